"""What the wallet keeps: credentials, holder keys, activity entries, deferred issuances.

Each record type round-trips through a JSON object (``to_json``/``from_json``),
which the store encrypts. ``from_json`` reads data the wallet wrote itself,
after its integrity check, so a malformed record is a ``StoreError``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from vc_core.formats import LDP_VC
from vc_core.types import JsonObject
from wallet_sdk.errors import StoreError

__all__ = ["ActivityEntry", "HolderKeyRecord", "PendingIssuance", "StoredCredential"]


def _strings(value: object) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise TypeError("expected a list of strings")
    return tuple(value)


def _read(kind: str, value: Mapping[str, Any], build: Any) -> Any:
    try:
        return build(value)
    except (KeyError, TypeError, ValueError) as exc:
        raise StoreError(f"a stored {kind} record is malformed: {exc}") from exc


@dataclass(frozen=True, slots=True)
class StoredCredential:
    """A verified credential with its base proof, as received and kept (never shown as is).

    ``id`` is the wallet's own id. ``holder`` is the DID the credential is
    bound to (its ``credentialSubject.id``, or the did:key of an SD-JWT VC's
    ``cnf`` key; a key in this store). Copies from one batch share
    ``batch_id``; ``use_count`` counts presentations, so the least used copy is
    offered first (docs/protocols.md, P16). ``format`` is the credential's
    format identifier. An SD-JWT VC is kept as issued in ``encoded`` (with every
    Disclosure), and ``credential`` holds what it says with everything disclosed.
    """

    id: str
    credential: JsonObject
    holder: str
    issuer: str
    credential_issuer: str
    configuration_id: str
    received_at: str
    batch_id: str
    types: tuple[str, ...]
    expanded_types: frozenset[str]
    issuer_name: str | None = None
    credential_name: str | None = None
    use_count: int = 0
    format: str = LDP_VC
    encoded: str | None = None

    @property
    def presentable(self) -> JsonObject | str:
        """The credential in the form its format presents from: the JSON, or the compact text."""
        return self.encoded if self.encoded is not None else self.credential

    def to_json(self) -> JsonObject:
        """The record as a JSON object."""
        return {
            "id": self.id,
            "format": self.format,
            "credential": self.credential,
            "encoded": self.encoded,
            "holder": self.holder,
            "issuer": self.issuer,
            "credential_issuer": self.credential_issuer,
            "configuration_id": self.configuration_id,
            "received_at": self.received_at,
            "batch_id": self.batch_id,
            "types": list(self.types),
            "expanded_types": sorted(self.expanded_types),
            "issuer_name": self.issuer_name,
            "credential_name": self.credential_name,
            "use_count": self.use_count,
        }

    @classmethod
    def from_json(cls, value: Mapping[str, Any]) -> StoredCredential:
        """Read a record written by :meth:`to_json`."""

        def build(v: Mapping[str, Any]) -> StoredCredential:
            if not isinstance(v["credential"], dict) or not isinstance(v["use_count"], int):
                raise TypeError("credential must be an object and use_count an integer")
            encoded = v.get("encoded")
            if encoded is not None and not isinstance(encoded, str):
                raise TypeError("encoded must be a string")
            return cls(
                id=str(v["id"]),
                credential=v["credential"],
                holder=str(v["holder"]),
                issuer=str(v["issuer"]),
                credential_issuer=str(v["credential_issuer"]),
                configuration_id=str(v["configuration_id"]),
                received_at=str(v["received_at"]),
                batch_id=str(v["batch_id"]),
                types=_strings(v["types"]),
                expanded_types=frozenset(_strings(v["expanded_types"])),
                issuer_name=v.get("issuer_name"),
                credential_name=v.get("credential_name"),
                use_count=v["use_count"],
                format=str(v.get("format", LDP_VC)),
                encoded=encoded,
            )

        result: StoredCredential = _read("credential", value, build)
        return result


@dataclass(frozen=True, slots=True)
class HolderKeyRecord:
    """A holder key: its did:key DID, curve and secret (``secretKeyMultibase``)."""

    did: str
    curve: str
    secret_multibase: str
    public_multibase: str
    created: str

    def to_json(self) -> JsonObject:
        """The record as a JSON object."""
        return {
            "did": self.did,
            "curve": self.curve,
            "secretKeyMultibase": self.secret_multibase,
            "publicKeyMultibase": self.public_multibase,
            "created": self.created,
        }

    @classmethod
    def from_json(cls, value: Mapping[str, Any]) -> HolderKeyRecord:
        """Read a record written by :meth:`to_json`."""

        def build(v: Mapping[str, Any]) -> HolderKeyRecord:
            return cls(
                did=str(v["did"]),
                curve=str(v["curve"]),
                secret_multibase=str(v["secretKeyMultibase"]),
                public_multibase=str(v["publicKeyMultibase"]),
                created=str(v["created"]),
            )

        result: HolderKeyRecord = _read("key", value, build)
        return result


@dataclass(frozen=True, slots=True)
class ActivityEntry:
    """One line of the citizen's own record: who got or gave what, when, and why.

    ``event`` is ``received``, ``deferred``, ``presented``, ``sent``,
    ``declined``, ``deleted``, ``restored``, ``consent_granted`` or
    ``consent_revoked``. ``counterparty`` is the issuer or verifier identifier
    (for consent: the recipient's DID); ``claims`` are the JSON Pointers
    disclosed (for a presentation), received, or granted. A ``consent_granted``
    entry keeps the signed grant in ``detail``; ``consent_revoked`` its id.
    """

    id: str
    at: str
    event: str
    counterparty: str
    counterparty_name: str | None = None
    purpose: str | None = None
    credential_ids: tuple[str, ...] = ()
    credential_types: tuple[str, ...] = ()
    claims: tuple[str, ...] = ()
    detail: str | None = None

    def to_json(self) -> JsonObject:
        """The record as a JSON object."""
        return {
            "id": self.id,
            "at": self.at,
            "event": self.event,
            "counterparty": self.counterparty,
            "counterparty_name": self.counterparty_name,
            "purpose": self.purpose,
            "credential_ids": list(self.credential_ids),
            "credential_types": list(self.credential_types),
            "claims": list(self.claims),
            "detail": self.detail,
        }

    @classmethod
    def from_json(cls, value: Mapping[str, Any]) -> ActivityEntry:
        """Read a record written by :meth:`to_json`."""

        def build(v: Mapping[str, Any]) -> ActivityEntry:
            return cls(
                id=str(v["id"]),
                at=str(v["at"]),
                event=str(v["event"]),
                counterparty=str(v["counterparty"]),
                counterparty_name=v.get("counterparty_name"),
                purpose=v.get("purpose"),
                credential_ids=_strings(v["credential_ids"]),
                credential_types=_strings(v["credential_types"]),
                claims=_strings(v["claims"]),
                detail=v.get("detail"),
            )

        result: ActivityEntry = _read("activity", value, build)
        return result


@dataclass(frozen=True, slots=True)
class PendingIssuance:
    """A deferred credential request (HTTP 202) waiting to be picked up.

    Holds what the deferred request needs: the endpoint, the access token and
    ``transaction_id``, plus the holder keys the proofs named, the issuer
    DID the credentials must come from, and their format (and ``vct``).
    """

    id: str
    credential_issuer: str
    issuer: str
    configuration_id: str
    deferred_endpoint: str
    access_token: str
    transaction_id: str
    holders: tuple[str, ...]
    interval: int
    created: str
    notification_endpoint: str | None = None
    issuer_name: str | None = None
    credential_name: str | None = None
    format: str = LDP_VC
    vct: str | None = None

    def to_json(self) -> JsonObject:
        """The record as a JSON object."""
        return {
            "id": self.id,
            "format": self.format,
            "vct": self.vct,
            "credential_issuer": self.credential_issuer,
            "issuer": self.issuer,
            "configuration_id": self.configuration_id,
            "deferred_endpoint": self.deferred_endpoint,
            "access_token": self.access_token,
            "transaction_id": self.transaction_id,
            "holders": list(self.holders),
            "interval": self.interval,
            "created": self.created,
            "notification_endpoint": self.notification_endpoint,
            "issuer_name": self.issuer_name,
            "credential_name": self.credential_name,
        }

    @classmethod
    def from_json(cls, value: Mapping[str, Any]) -> PendingIssuance:
        """Read a record written by :meth:`to_json`."""

        def build(v: Mapping[str, Any]) -> PendingIssuance:
            return cls(
                id=str(v["id"]),
                credential_issuer=str(v["credential_issuer"]),
                issuer=str(v["issuer"]),
                configuration_id=str(v["configuration_id"]),
                deferred_endpoint=str(v["deferred_endpoint"]),
                access_token=str(v["access_token"]),
                transaction_id=str(v["transaction_id"]),
                holders=_strings(v["holders"]),
                interval=int(v["interval"]),
                created=str(v["created"]),
                notification_endpoint=v.get("notification_endpoint"),
                issuer_name=v.get("issuer_name"),
                credential_name=v.get("credential_name"),
                format=str(v.get("format", LDP_VC)),
                vct=v.get("vct"),
            )

        result: PendingIssuance = _read("pending", value, build)
        return result
