"""Build credentials, status lists and presentations with vc_core, as issuer and wallet would.

Until the wallet exists, the verifier's tests make their own presentations:
an ecdsa-sd-2023 credential signed by a did:key or did:web issuer, a
derived disclosure, and a presentation signed by the holder with
ecdsa-rdfc-2019 (purpose ``authentication``, challenge = nonce, domain = the
full client_id). :class:`FakeWeb` is the injected fetch: it serves signed
status list credentials and did:web documents from memory and counts calls.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from vc_core import KeyPair, StatusList, derive, did_key, sign
from vc_core.did import did_key_verification_method_id
from vc_core.errors import FetchError
from vc_core.types import JsonObject

NOW = datetime(2026, 1, 1, 12, 0, tzinfo=UTC)
CREATED = "2025-12-31T09:00:00Z"
CONTEXT = ["https://www.w3.org/ns/credentials/v2", "https://issuer.example.nl/contexts/nl-vc/v1"]
VC_IRI = "https://www.w3.org/2018/credentials#VerifiableCredential"
INCOME_IRI = "https://issuer.example.nl/ns/nl-vc#InkomensverklaringCredential"
CLIENT_ID = "decentralized_identifier:did:web:verhuur.example.nl"
WEB_ISSUER = "did:web:issuer.example.nl:belastingdienst"
STATUS_BASE = "https://issuer.example.nl/belastingdienst/status"
REVOCATION_LIST = f"{STATUS_BASE}/revocation/1"
SUSPENSION_LIST = f"{STATUS_BASE}/suspension/1"
MANDATORY = [
    "/issuer",
    "/validFrom",
    "/validUntil",
    "/credentialStatus",
    "/credentialSubject/id",
    "/credentialSubject/belastingjaar",
]
FACTS = ["/credentialSubject/inkomenstoets"]
AMOUNT = ["/credentialSubject/verzamelinkomen"]


def now() -> datetime:
    """The tests' clock: 2026-01-01T12:00:00Z."""
    return NOW


@dataclasses.dataclass(frozen=True)
class Issuer:
    """An issuer key with its DID and verification method id."""

    key: KeyPair
    did: str
    vm: str

    @classmethod
    def on_web(cls, did: str = WEB_ISSUER) -> Issuer:
        vm = f"{did}#key-1"
        key = dataclasses.replace(KeyPair.generate("P-256"), id=vm, controller=did)
        return cls(key, did, vm)

    @classmethod
    def with_did_key(cls) -> Issuer:
        key = KeyPair.generate("P-256")
        return cls(key, did_key(key), did_key_verification_method_id(key))

    def did_document(self) -> JsonObject:
        method = {**self.key.to_multikey(), "id": self.vm, "controller": self.did}
        return {
            "@context": ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1"],
            "id": self.did,
            "verificationMethod": [method],
            "assertionMethod": [self.vm],
            "authentication": [self.vm],
        }


@dataclasses.dataclass(frozen=True)
class Holder:
    """A wallet's holder key (did:key)."""

    key: KeyPair

    @classmethod
    def new(cls) -> Holder:
        return cls(KeyPair.generate("P-256"))

    @property
    def did(self) -> str:
        return did_key(self.key)


def status_entries(
    index: int = 94567,
    *,
    revocation: str = REVOCATION_LIST,
    suspension: str | None = SUSPENSION_LIST,
) -> list[JsonObject]:
    entries = [
        {
            "id": f"{revocation}#{index}",
            "type": "BitstringStatusListEntry",
            "statusPurpose": "revocation",
            "statusListIndex": str(index),
            "statusListCredential": revocation,
        }
    ]
    if suspension is not None:
        entries.append(
            {
                "id": f"{suspension}#{index}",
                "type": "BitstringStatusListEntry",
                "statusPurpose": "suspension",
                "statusListIndex": str(index),
                "statusListCredential": suspension,
            }
        )
    return entries


def income_subject(
    holder: str,
    *,
    year: int = 2024,
    amount: str = "41250.00",
    below: bool = True,
    household_size: int = 2,
    rule_year: int = 2026,
) -> JsonObject:
    return {
        "id": holder,
        "type": "Belastingplichtige",
        "belastingjaar": year,
        "verzamelinkomen": {"type": "MonetaryAmount", "value": amount, "currency": "EUR"},
        "inkomensklasse": "midden",
        "inkomenstoets": {
            "type": "InkomenToets",
            "regel": "sociale-huurgrens",
            "regelJaar": rule_year,
            "huishoudgrootte": household_size,
            "onderSocialeHuurgrens": below,
        },
    }


def issue(
    issuer: Issuer,
    subject: JsonObject,
    *,
    types: Sequence[str] = ("VerifiableCredential", "InkomensverklaringCredential"),
    status: list[JsonObject] | None = None,
    valid_from: str = "2025-06-01T00:00:00Z",
    valid_until: str = "2026-06-01T00:00:00Z",
    cryptosuite: str = "ecdsa-sd-2023",
    mandatory: Sequence[str] = MANDATORY,
) -> JsonObject:
    """Sign an income credential (a base proof for ecdsa-sd-2023)."""
    credential: JsonObject = {
        "@context": CONTEXT,
        "id": "urn:uuid:3978344f-8596-4c3a-a978-8fcaba3903c5",
        "type": list(types),
        "issuer": issuer.did,
        "validFrom": valid_from,
        "validUntil": valid_until,
        "credentialStatus": status_entries() if status is None else status,
        "credentialSubject": subject,
    }
    if not credential["credentialStatus"]:
        del credential["credentialStatus"]
    if cryptosuite == "ecdsa-sd-2023":
        pointers = [
            p for p in mandatory if p != "/credentialStatus" or "credentialStatus" in credential
        ]
        return sign(
            credential,
            issuer.key,
            cryptosuite="ecdsa-sd-2023",
            mandatory_pointers=pointers,
            verification_method=issuer.vm,
            created=CREATED,
        )
    return sign(
        credential,
        issuer.key,
        cryptosuite=cryptosuite,  # type: ignore[arg-type]
        verification_method=issuer.vm,
        created=CREATED,
    )


def disclose(base: JsonObject, pointers: Sequence[str] = FACTS) -> JsonObject:
    return derive(base, selective_pointers=list(pointers))


def present(
    holder: Holder | KeyPair,
    credentials: Sequence[JsonObject],
    *,
    challenge: str,
    domain: str = CLIENT_ID,
    holder_did: str | None = None,
) -> JsonObject:
    """Wrap credentials in a presentation signed by the holder (ecdsa-rdfc-2019)."""
    key = holder.key if isinstance(holder, Holder) else holder
    presentation: JsonObject = {
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "type": ["VerifiablePresentation"],
        "holder": holder_did or did_key(key),
        "verifiableCredential": list(credentials),
    }
    return sign(
        presentation,
        key,
        cryptosuite="ecdsa-rdfc-2019",
        proof_purpose="authentication",
        challenge=challenge,
        domain=domain,
        created=CREATED,
    )


def status_list_credential(
    issuer: Issuer,
    url: str,
    purpose: str,
    bits: StatusList,
    *,
    valid_from: str = "2025-12-31T00:00:00Z",
    valid_until: str = "2026-01-02T00:00:00Z",
    ttl: int = 300_000,
) -> JsonObject:
    document = {
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "id": url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": issuer.did,
        "validFrom": valid_from,
        "validUntil": valid_until,
        "credentialSubject": {
            "id": f"{url}#list",
            "type": "BitstringStatusList",
            "statusPurpose": purpose,
            "encodedList": bits.encode(),
            "ttl": ttl,
        },
    }
    return sign(
        document,
        issuer.key,
        cryptosuite="ecdsa-rdfc-2019",
        verification_method=issuer.vm,
        created=CREATED,
    )


class FakeWeb:
    """The injected ``Fetch``: URL → bytes from memory, with a call log and outages."""

    def __init__(self) -> None:
        self.documents: dict[str, bytes] = {}
        self.calls: list[str] = []
        self.down: set[str] = set()

    def serve(self, url: str, document: Any) -> None:
        self.documents[url] = json.dumps(document).encode()

    def __call__(self, url: str, *, accept: str) -> bytes:
        self.calls.append(url)
        if url in self.down or url not in self.documents:
            raise FetchError(f"{url} is unreachable")
        return self.documents[url]


def publish_issuer(
    web: FakeWeb, issuer: Issuer, *, revoked: Sequence[int] = (), suspended: Sequence[int] = ()
) -> None:
    """Serve the issuer's did.json (did:web) and both of its status lists."""
    if issuer.did.startswith("did:web:"):
        path = issuer.did.removeprefix("did:web:").replace(":", "/")
        web.serve(f"https://{path}/did.json", issuer.did_document())
    for url, purpose, indexes in (
        (REVOCATION_LIST, "revocation", revoked),
        (SUSPENSION_LIST, "suspension", suspended),
    ):
        bits = StatusList.new()
        for index in indexes:
            bits = bits.with_status(index, 1)
        web.serve(url, status_list_credential(issuer, url, purpose, bits))
