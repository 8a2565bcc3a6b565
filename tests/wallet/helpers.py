"""Wallet test helpers: cheap Argon2id, issuer-signed credentials made with vc_core."""

from __future__ import annotations

import json
import secrets
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlencode

import httpx
from fastapi.testclient import TestClient

from vc_core import KeyPair, did_key, sign
from vc_issuer.issuer import Issuer
from wallet_sdk import MemoryStore, Wallet
from wallet_sdk.dcql import expand_types
from wallet_sdk.http import WalletHttp
from wallet_sdk.records import StoredCredential
from wallet_sdk.requests import PresentationRequest, open_request
from wallet_sdk.store import Argon2Params, WalletStore

BASE = "https://issuer.example.nl"
"""The demo issuer service's public base URL."""
SOURCES = {
    "belastingdienst": "InkomensverklaringCredential",
    "brp": "PersoonsgegevensCredential",
    "duo": "DiplomaCredential",
    "rdw": "VoertuigregistratieCredential",
}
"""Each demo source and the type of the credential it issues."""
CHEAP_KDF = Argon2Params(iterations=1, lanes=1, memory_cost=8)
NL_CONTEXT = ["https://www.w3.org/ns/credentials/v2", "https://issuer.example.nl/contexts/nl-vc/v1"]
VC_IRI = "https://www.w3.org/2018/credentials#VerifiableCredential"
NL = "https://issuer.example.nl/ns/nl-vc#"
NOW = datetime(2026, 1, 1, 12, 0, tzinfo=UTC)

# Ten claims about one person (BRP-style), for "2 of 10" disclosure tests.
PERSON = {
    "type": "Ingezetene",
    "voornamen": "Jan Pieter",
    "voorvoegsel": "van der",
    "geslachtsnaam": "Berg",
    "geboortedatum": "1990-04-12",
    "geboorteplaats": "Utrecht",
    "nationaliteit": "Nederlandse",
    "adres": {
        "type": "Adres",
        "straat": "Oudegracht",
        "huisnummer": 12,
        "postcode": "3511 AB",
        "woonplaats": "Utrecht",
    },
}
INCOME = {
    "type": "Belastingplichtige",
    "belastingjaar": 2024,
    "verzamelinkomen": {"type": "MonetaryAmount", "value": "41250.00", "currency": "EUR"},
    "inkomensklasse": "midden",
}


def fixed_clock() -> datetime:
    return NOW


def issue(
    issuer: KeyPair,
    holder: str,
    *,
    type_name: str,
    subject: dict[str, Any],
    mandatory: tuple[str, ...] = (),
    valid_until: str = "2027-01-01T00:00:00Z",
) -> dict[str, Any]:
    """An ecdsa-sd-2023 base-proof credential from ``issuer`` (did:key) about ``holder``."""
    credential = {
        "@context": NL_CONTEXT,
        "id": f"urn:uuid:{secrets.token_hex(16)}",
        "type": ["VerifiableCredential", type_name],
        "issuer": did_key(issuer),
        "validFrom": "2025-06-01T00:00:00Z",
        "validUntil": valid_until,
        "credentialSubject": {"id": holder, **subject},
    }
    pointers = ["/issuer", "/validFrom", "/validUntil", "/credentialSubject/id", *mandatory]
    return sign(
        credential,
        issuer,
        cryptosuite="ecdsa-sd-2023",
        mandatory_pointers=pointers,
        created=NOW,
    )


def keep(
    store: WalletStore,
    credential: dict[str, Any],
    *,
    credential_issuer: str = "https://issuer.example.nl/test",
    batch_id: str | None = None,
) -> StoredCredential:
    """Store a credential the way the receive flow does (its holder key must be in the store)."""
    stored = StoredCredential(
        id=secrets.token_hex(8),
        credential=credential,
        holder=credential["credentialSubject"]["id"],
        issuer=credential["issuer"],
        credential_issuer=credential_issuer,
        configuration_id=credential["type"][-1] + "_ldp_vc",
        received_at="2026-01-01T12:00:00Z",
        batch_id=batch_id or secrets.token_hex(8),
        types=tuple(credential["type"]),
        expanded_types=expand_types(credential),
        credential_name=credential["type"][-1],
    )
    store.put_credential(stored)
    return stored


RESPONSE_URI = "https://verhuur.example.nl/oid4vp/response"
REDIRECT_CLIENT = "redirect_uri:" + RESPONSE_URI


def type_query(query_id: str, type_name: str, **extra: Any) -> dict[str, Any]:
    """A DCQL credential query for one of our credential types."""
    return {
        "id": query_id,
        "format": "ldp_vc",
        "meta": {"type_values": [[VC_IRI, NL + type_name]]},
        **extra,
    }


def request_link(dcql: dict[str, Any], *, purpose: str | None = None) -> str:
    """An unsigned by-value request link (``redirect_uri`` client) carrying ``dcql``."""
    parameters = {
        "client_id": REDIRECT_CLIENT,
        "response_type": "vp_token",
        "response_mode": "direct_post",
        "response_uri": RESPONSE_URI,
        "nonce": "n-0S6_WzA2Mj3fLq9vY2x1Qw",
        "state": "eyJzZXNzaW9uIjoiYWJjIn0",
        "dcql_query": json.dumps(dcql),
    }
    if purpose is not None:
        parameters["purpose"] = purpose
    return "openid4vp://?" + urlencode(parameters)


def request_for(dcql: dict[str, Any], *, purpose: str | None = None) -> PresentationRequest:
    """The checked request of :func:`request_link` (no network is involved by value)."""
    return open_request(
        request_link(dcql, purpose=purpose), http=WalletHttp(httpx.Client()), clock=fixed_clock
    )


PUBLIC_RESOLVER = lambda host, port: ["93.184.215.14"]  # noqa: E731
"""A name resolver for in-process tests: every host name is at one public address."""


class Hosts(httpx.BaseTransport):
    """One injected client for the wallet, reaching each host's in-process app."""

    def __init__(self, apps: dict[str, TestClient]) -> None:
        self.apps = apps

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        response = self.apps[request.url.host].send(request)
        body = response.read()
        headers = {k: v for k, v in response.headers.items() if k.lower() != "content-length"}
        return httpx.Response(response.status_code, headers=headers, content=body)


def new_wallet(http: httpx.Client, issuer: Issuer, **options: Any) -> Wallet:
    """A wallet in memory (unless ``store`` is given) that trusts the issuer's sources."""
    return Wallet(
        store=options.pop("store", MemoryStore()),
        http=http,
        trusted_issuers=issuer.settings.issuer_dids(),
        **options,
    )
