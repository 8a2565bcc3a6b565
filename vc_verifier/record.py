"""The signed verification record a landlord keeps instead of copies of income statements.

After a decision the landlord signs a small record: which rule (name, year,
household size), the decision and its basis, which issuers vouched for which
credential types, which claims were seen, when, and the transaction id. It
holds the **names** of the claims seen and the values of the tax office's
yes/no facts only; income amounts and the income band are never written
down, and neither is the holder's DID (the landlord links the transaction id
to the applicant's file itself).

The record is a compact JWS (``typ`` ``verification-record+jwt``, signed with
the landlord's key under its DID URL ``kid``) next to a readable copy of the
same JSON::

    {"record": {...}, "jws": "eyJ…"}

A JWS rather than a Data Integrity proof: the record's vocabulary is not in
any bundled JSON-LD context, and a JWS over plain JSON needs none (protocol
messages stay plain JSON, docs/protocols.md, P30). :func:`verify_record` checks the
signature and that the readable copy is exactly what was signed.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from vc_core.errors import ParsingError, ProofVerificationError
from vc_core.jws import resolve_kid_did, sign_jws, verify_jws
from vc_core.keys import KeyPair, PublicKey
from vc_core.types import Clock, Fetch, JsonObject
from vc_verifier.policy.housing import PolicyResult
from vc_verifier.results import Presentations, verified_presentations

__all__ = [
    "FACT_CLAIMS",
    "RECORD_TYP",
    "RECORD_TYPE",
    "VerifiedRecord",
    "sign_record",
    "verify_record",
]

RECORD_TYP = "verification-record+jwt"
"""JWS ``typ`` of a verification record."""
RECORD_TYPE = "VerificationRecord"
FACT_CLAIMS = frozenset(
    {
        "belastingjaar",
        "inkomenstoets.regel",
        "inkomenstoets.regelJaar",
        "inkomenstoets.huishoudgrootte",
        "inkomenstoets.onderSocialeHuurgrens",
    }
)
"""Claims whose values a record may hold: the tax year and the tax office's yes/no fact."""


def _utc_now() -> datetime:
    return datetime.now(UTC)


def _stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")


def _leaves(value: Any, prefix: str = "") -> dict[str, Any]:
    """Dotted name → value of every disclosed leaf (``id`` and ``type`` left out)."""
    if isinstance(value, Mapping):
        found: dict[str, Any] = {}
        for key, item in value.items():
            if key not in ("id", "type"):
                found.update(_leaves(item, f"{prefix}.{key}" if prefix else key))
        return found
    return {prefix: value} if prefix else {}


def _canonical(value: object) -> str:
    try:
        return json.dumps(value, sort_keys=True, separators=(",", ":"), allow_nan=False)
    except (TypeError, ValueError, RecursionError) as exc:
        raise ParsingError(f"the readable record is not JSON: {exc}", path="record") from exc


def sign_record(
    presentations: Presentations,
    result: PolicyResult,
    *,
    key: KeyPair,
    kid: str,
    verifier: str,
    transaction_id: str | None = None,
    clock: Clock = _utc_now,
) -> JsonObject:
    """Sign the verification record of ``result`` reached from ``presentations``.

    ``verifier`` is the landlord's client_id, ``kid`` the DID URL of ``key``.
    Returns ``{"record": …, "jws": …}``; write it to a file as JSON.
    """
    credentials = []
    for presentation in verified_presentations(presentations):
        for credential in presentation.credentials:
            leaves = _leaves(credential.claims)
            credentials.append(
                {
                    "issuer": credential.issuer,
                    "types": list(credential.types),
                    "claims": sorted(leaves),
                    "facts": {
                        name: value for name, value in sorted(leaves.items()) if name in FACT_CLAIMS
                    },
                }
            )
    record: JsonObject = {
        "type": RECORD_TYPE,
        "version": 1,
        "verifier": verifier,
        "transaction": transaction_id,
        "decidedAt": _stamp(clock()),
        "rule": {
            "name": result.rule_name,
            "year": result.rule_year,
            "householdSize": result.household_size,
        },
        "decision": {"meets": result.meets, "reason": result.reason, "basis": result.basis},
        "adults": result.adults,
        "credentials": credentials,
    }
    return {"record": record, "jws": sign_jws(record, key, typ=RECORD_TYP, kid=kid)}


@dataclass(frozen=True, slots=True)
class VerifiedRecord:
    """A verification record whose signature checked out; ``record`` is the signed JSON."""

    signer: str
    verifier: str
    transaction_id: str | None
    decided_at: datetime
    rule_name: str
    rule_year: int
    household_size: int
    meets: bool | None
    reason: str
    basis: str | None
    record: JsonObject


def verify_record(
    unverified_record: object,
    *,
    key: PublicKey | None = None,
    fetch: Fetch | None = None,
    resolve_kid: Callable[[str], PublicKey] | None = None,
) -> VerifiedRecord:
    """Verify a record written by :func:`sign_record`; raise ``VerificationError`` if it fails.

    The key is ``key`` when given, else the JWS ``kid`` resolved through
    ``resolve_kid`` (default: did:key offline, did:web through ``fetch``).
    Raises ``ParsingError`` for a malformed record, ``JwsError`` for a bad
    signature, and ``ProofVerificationError`` when the readable copy differs
    from the signed record (it was edited).
    """
    if not isinstance(unverified_record, Mapping) or set(unverified_record) != {"record", "jws"}:
        raise ParsingError('a verification record is {"record": {...}, "jws": "..."}')

    def resolve(kid: str) -> PublicKey:
        return resolve_kid_did(kid, fetch=fetch)

    verified = verify_jws(
        unverified_record["jws"],
        expected_typ=RECORD_TYP,
        key=key,
        resolve_kid=resolve_kid or resolve,
    )
    record = verified.payload
    if _canonical(unverified_record["record"]) != _canonical(record):
        raise ProofVerificationError(
            "the readable record differs from the signed one", path="record"
        )
    try:
        rule, decision = record["rule"], record["decision"]
        return VerifiedRecord(
            signer=str(verified.header.get("kid", "")),
            verifier=str(record["verifier"]),
            transaction_id=record["transaction"],
            decided_at=datetime.fromisoformat(record["decidedAt"]),
            rule_name=str(rule["name"]),
            rule_year=int(rule["year"]),
            household_size=int(rule["householdSize"]),
            meets=decision["meets"],
            reason=str(decision["reason"]),
            basis=decision["basis"],
            record=record,
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise ParsingError(f"the signed record is incomplete: {exc!r}", path="record") from exc
