"""A minimal test-side OpenID4VCI wallet over any ``httpx.Client``.

Its steps are those of docs/protocols.md, "Wallet sequence".

It follows the wire format literally so the issuer tests do not depend on
``wallet_sdk``; each step is a method so tests can break one on purpose.
"""

from __future__ import annotations

import json
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx

from vc_core.did import did_key_verification_method_id
from vc_core.jws import sign_jws
from vc_core.keys import KeyPair

PRE_AUTHORIZED_GRANT = "urn:ietf:params:oauth:grant-type:pre-authorized_code"
PROOF_TYP = "openid4vci-proof+jwt"


def well_known(identifier: str, name: str) -> str:
    """The OpenID4VCI 1.0 / RFC 8414 inserted well-known URL of an issuer identifier."""
    parts = urlsplit(identifier)
    return f"{parts.scheme}://{parts.netloc}/.well-known/{name}{parts.path}"


def proof_jwt(
    key: KeyPair,
    *,
    audience: str,
    nonce: str | None,
    iat: int | None = None,
    typ: str = PROOF_TYP,
    use_jwk: bool = False,
    extra_claims: Mapping[str, Any] | None = None,
) -> str:
    """A key proof JWT naming the key by did:key ``kid`` (or by ``jwk``)."""
    claims: dict[str, Any] = {"aud": audience, "iat": int(time.time()) if iat is None else iat}
    if nonce is not None:
        claims["nonce"] = nonce
    claims.update(extra_claims or {})
    if use_jwk:
        return sign_jws(claims, key, typ=typ, include_jwk=True)
    return sign_jws(claims, key, typ=typ, kid=did_key_verification_method_id(key))


@dataclass
class Session:
    """What a wallet learns while redeeming one offer."""

    offer: dict[str, Any]
    metadata: dict[str, Any]
    token_endpoint: str
    access_token: str | None = None
    keys: list[KeyPair] = field(default_factory=list)

    @property
    def issuer(self) -> str:
        return str(self.offer["credential_issuer"])

    @property
    def configuration_id(self) -> str:
        return str(self.offer["credential_configuration_ids"][0])

    @property
    def code(self) -> str:
        return str(self.offer["grants"][PRE_AUTHORIZED_GRANT]["pre-authorized_code"])

    @property
    def auth(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.access_token}"}


class TestWallet:
    """Drives the pre-authorized flow step by step."""

    __test__ = False  # not a pytest test class

    def __init__(self, http: httpx.Client) -> None:
        self.http = http

    def open(self, offer_uri: str) -> Session:
        """Parse the offer (fetching it by reference) and load both metadata documents."""
        query = parse_qs(urlsplit(offer_uri).query)
        if "credential_offer" in query:
            offer = json.loads(query["credential_offer"][0])
        else:
            response = self.http.get(query["credential_offer_uri"][0])
            response.raise_for_status()
            offer = response.json()
        metadata = self.http.get(well_known(offer["credential_issuer"], "openid-credential-issuer"))
        metadata.raise_for_status()
        assert metadata.json()["credential_issuer"] == offer["credential_issuer"]
        server = self.http.get(well_known(offer["credential_issuer"], "oauth-authorization-server"))
        server.raise_for_status()
        return Session(offer, metadata.json(), server.json()["token_endpoint"])

    def token(
        self, session: Session, tx_code: str | None, *, code: str | None = None
    ) -> httpx.Response:
        """POST the pre-authorized code grant; keeps the access token on success."""
        form = {"grant_type": PRE_AUTHORIZED_GRANT, "pre-authorized_code": code or session.code}
        if tx_code is not None:
            form["tx_code"] = tx_code
        response = self.http.post(session.token_endpoint, data=form)
        if response.status_code == 200:
            session.access_token = response.json()["access_token"]
        return response

    def nonce(self, session: Session) -> str:
        response = self.http.post(session.metadata["nonce_endpoint"])
        response.raise_for_status()
        return str(response.json()["c_nonce"])

    def request(self, session: Session, body: Any) -> httpx.Response:
        return self.http.post(
            session.metadata["credential_endpoint"], json=body, headers=session.auth
        )

    def request_copies(
        self, session: Session, copies: int = 1, **proof_options: Any
    ) -> httpx.Response:
        """Fresh nonce, one new P-256 holder key per copy, one proof each."""
        nonce = self.nonce(session)
        session.keys = [KeyPair.generate("P-256") for _ in range(copies)]
        proofs = [
            proof_jwt(key, audience=session.issuer, nonce=nonce, **proof_options)
            for key in session.keys
        ]
        body = {"credential_configuration_id": session.configuration_id, "proofs": {"jwt": proofs}}
        return self.request(session, body)

    def receive(self, offer_uri: str, tx_code: str | None, copies: int = 1) -> list[dict[str, Any]]:
        """The whole flow; returns the credentials (raises on any HTTP error)."""
        session = self.open(offer_uri)
        self.token(session, tx_code).raise_for_status()
        response = self.request_copies(session, copies)
        response.raise_for_status()
        return [item["credential"] for item in response.json()["credentials"]]
