"""Check a received credential before it is stored (PROTOCOLS.md §1.8 step 7 and §6.6).

The public ``vc_core`` recipes verify *derived* ecdsa-sd-2023 proofs only,
and confirming a base proof is hazmat. So the wallet derives a disclosure of
everything (every top-level property selected) and verifies that: the derived
proof checks the issuer's base signature over the mandatory statements and
one per-statement signature for every other statement, so together they
cover the whole credential. The verified document must then equal the
credential as received, or some statement escaped the check.

Failures raise the ``vc_core`` error that found them: ``ParsingError``,
``ProofVerificationError``, ``CredentialPolicyError`` (``UNTRUSTED_ISSUER``,
``HOLDER_BINDING_ERROR``, ``CREDENTIAL_EXPIRED``, ``CREDENTIAL_REVOKED``, …)
or ``StatusListError``.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from vc_core.errors import (
    CredentialPolicyError,
    ParsingError,
    ProofVerificationError,
    VcError,
    VerificationError,
)
from vc_core.proofs import derive, verify
from vc_core.status import StatusListCache, check_status
from vc_core.types import Clock, DocumentLoader, Fetch, JsonObject
from vc_core.vcdm import (
    check_credential_shape,
    check_issuer_is_controller,
    check_validity_period,
    subject_ids,
)
from vc_core.vcdm import credential_issuer as issuer_of

__all__ = ["CLOCK_SKEW", "ConfirmedCredential", "confirm_credential", "full_disclosure_pointers"]

CLOCK_SKEW = timedelta(minutes=5)
"""Slack allowed between our clock and the issuer's for ``validFrom``/``validUntil``."""

_BASE_PROOF_PREFIX = "u2V0A"


@dataclass(frozen=True, slots=True)
class ConfirmedCredential:
    """A received credential that passed every check, with the holder DID it is bound to."""

    credential: JsonObject
    holder: str
    issuer: str


def _escape(name: str) -> str:
    return name.replace("~", "~0").replace("/", "~1")


def full_disclosure_pointers(credential: JsonObject) -> list[str]:
    """Pointers selecting every property of ``credential`` but ``@context`` and ``proof``."""
    return ["/" + _escape(name) for name in credential if name not in ("@context", "proof")]


def _single_base_proof(credential: JsonObject) -> JsonObject:
    proof: Any = credential.get("proof")
    if not isinstance(proof, dict):
        raise ProofVerificationError("the credential needs exactly one proof object", path="proof")
    if proof.get("cryptosuite") != "ecdsa-sd-2023":
        raise ProofVerificationError(
            f"expected an ecdsa-sd-2023 proof, got {proof.get('cryptosuite')!r}", path="proof"
        )
    value = proof.get("proofValue")
    if not isinstance(value, str) or not value.startswith(_BASE_PROOF_PREFIX):
        raise ProofVerificationError("the credential's proof is not a base proof", path="proof")
    return proof


def confirm_credential(
    credential: object,
    *,
    expected_issuer: str,
    holders: Collection[str],
    fetch: Fetch,
    clock: Clock,
    document_loader: DocumentLoader | None = None,
    status_cache: StatusListCache | None = None,
) -> ConfirmedCredential:
    """Verify a received ecdsa-sd-2023 base-proof credential; raise if anything is wrong.

    Checks: VCDM shape; one ecdsa-sd-2023 base proof, confirmed over every
    statement; proof purpose ``assertionMethod`` with the method listed
    there in the issuer's DID document (did:web through ``fetch``); issuer =
    the method's controller = ``expected_issuer``; ``credentialSubject.id``
    one of ``holders``; validity window (with :data:`CLOCK_SKEW`); every
    revocation or suspension status entry unset.
    """
    # The credential's shape and its single base proof.
    if not isinstance(credential, dict):
        raise ParsingError("a credential must be a JSON object")
    check_credential_shape(credential)
    proof = _single_base_proof(credential)
    # The issuer is the one this offer's Credential Issuer stands for.
    issuer = issuer_of(credential)
    if issuer != expected_issuer:
        raise CredentialPolicyError(
            f"the credential is issued by {issuer!r}, expected {expected_issuer!r}",
            code="UNTRUSTED_ISSUER",
            path="issuer",
        )
    check_issuer_is_controller(credential, proof)
    # Confirm the base proof by verifying a disclosure of every statement.
    # (See the module docstring: vc_core has no public recipe to confirm a base proof.)
    try:
        disclosed = derive(
            credential,
            selective_pointers=full_disclosure_pointers(credential),
            document_loader=document_loader,
        )
    except VerificationError:
        raise
    except VcError as exc:
        raise ProofVerificationError(
            f"the base proof cannot be confirmed: {exc}", path="proof"
        ) from exc
    verified = verify(
        disclosed,
        expected_proof_purpose="assertionMethod",
        cryptosuites=("ecdsa-sd-2023",),
        document_loader=document_loader,
        fetch=fetch,
        clock=clock,
    )
    unsecured = {name: value for name, value in credential.items() if name != "proof"}
    if verified.document != unsecured:
        raise ProofVerificationError(
            "the confirmed statements differ from the credential as received", path="proof"
        )
    # Holder binding: the subject is one of the keys we sent proofs for.
    subjects = subject_ids(credential)
    if len(subjects) != 1 or subjects[0] not in holders:
        raise CredentialPolicyError(
            f"credentialSubject.id {subjects!r} is not a holder key of this wallet request",
            code="HOLDER_BINDING_ERROR",
            path="credentialSubject.id",
        )
    # Inside its validity window.
    check_validity_period(credential, clock=clock, skew=CLOCK_SKEW)
    # Not revoked or suspended.
    for result in check_status(
        credential,
        fetch=fetch,
        clock=clock,
        cache=status_cache,
        document_loader=document_loader,
    ):
        if not result.valid and result.purpose in ("revocation", "suspension"):
            raise CredentialPolicyError(
                f"the credential's {result.purpose} status is set",
                code="CREDENTIAL_REVOKED"
                if result.purpose == "revocation"
                else "CREDENTIAL_SUSPENDED",
                path="credentialStatus",
            )
    return ConfirmedCredential(credential, subjects[0], issuer)
