"""OpenID4VP requests: signed request objects by reference, checks, direct_post and refusals."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, urlencode

import pytest
from fastapi import FastAPI, Request, Response
from fastapi.responses import JSONResponse, RedirectResponse
from fastapi.testclient import TestClient

from vc_core import KeyPair, did_key, verify
from vc_core.errors import FetchError
from vc_core.jws import sign_jws
from wallet_sdk import MemoryStore, Wallet
from wallet_sdk.errors import PresentationRequestError
from wallet_sdk.keys import HolderKeys

from .helpers import INCOME, NOW, fixed_clock, issue, keep, request_link, type_query

VERIFIER = "https://verhuur.example.nl"
DID_WEB = "did:web:verhuur.example.nl"
CLIENT_ID = "decentralized_identifier:" + DID_WEB
RESPONSE_URI = VERIFIER + "/response"
DCQL = {
    "credentials": [
        type_query(
            "inkomen",
            "InkomensverklaringCredential",
            claims=[{"path": ["credentialSubject", "inkomensklasse"]}],
        )
    ]
}


@dataclass
class Verifier:
    """A small relying party: its did:web document, request objects, and a response endpoint."""

    key: KeyPair = field(default_factory=lambda: KeyPair.generate("P-256"))
    objects: dict[str, tuple[str, str]] = field(default_factory=dict)
    received: list[dict[str, list[str]]] = field(default_factory=list)

    def did_document(self) -> dict[str, Any]:
        vm = f"{DID_WEB}#key-1"
        return {
            "@context": ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1"],
            "id": DID_WEB,
            "verificationMethod": [
                {
                    "id": vm,
                    "type": "Multikey",
                    "controller": DID_WEB,
                    "publicKeyMultibase": self.key.public.multibase,
                }
            ],
            "authentication": [vm],
            "assertionMethod": [vm],
        }

    def claims(self, **changes: Any) -> dict[str, Any]:
        claims = {
            "client_id": CLIENT_ID,
            "aud": "https://self-issued.me/v2",
            "iat": int(NOW.timestamp()),
            "exp": int(NOW.timestamp()) + 300,
            "response_type": "vp_token",
            "response_mode": "direct_post",
            "response_uri": RESPONSE_URI,
            "nonce": "n-0S6_WzA2Mj3fLq9vY2x1Qw",
            "state": "eyJzZXNzaW9uIjoiYWJjIn0",
            "dcql_query": DCQL,
            "purpose": "Inkomenstoets huurwoning",
            "client_metadata": {
                "client_name": "Verhuur BV",
                "vp_formats_supported": {
                    "ldp_vc": {
                        "proof_type_values": ["DataIntegrityProof"],
                        "cryptosuite_values": ["ecdsa-sd-2023", "ecdsa-rdfc-2019"],
                    }
                },
            },
        }
        claims.update(changes)
        return {k: v for k, v in claims.items() if v is not None}

    def publish(
        self,
        name: str,
        *,
        typ: str = "oauth-authz-req+jwt",
        kid: str = f"{DID_WEB}#key-1",
        key: KeyPair | None = None,
        media_type: str = "application/oauth-authz-req+jwt",
        **changes: Any,
    ) -> str:
        token = sign_jws(self.claims(**changes), key or self.key, typ=typ, kid=kid)
        self.objects[name] = (token, media_type)
        return link(name)

    def app(self) -> FastAPI:
        app = FastAPI()

        @app.get("/.well-known/did.json")
        def did_json() -> Response:
            return JSONResponse(self.did_document())

        @app.get("/request/moved")
        def moved() -> Response:
            return RedirectResponse(f"{VERIFIER}/request/ok", status_code=302)

        @app.get("/request/{name}")
        def request_object(name: str) -> Response:
            token, media_type = self.objects[name]
            return Response(token, media_type=media_type)

        @app.post("/response")
        async def response(request: Request) -> Response:
            self.received.append(parse_qs((await request.body()).decode()))
            return JSONResponse({})

        @app.post("/bounce")
        def bounce() -> Response:
            return RedirectResponse(f"{VERIFIER}/response", status_code=307)

        @app.post("/reject")
        def reject() -> Response:
            return JSONResponse({"error": "invalid_request"}, status_code=400)

        return app


def link(name: str, client_id: str = CLIENT_ID) -> str:
    return "openid4vp://?" + urlencode(
        {"client_id": client_id, "request_uri": f"{VERIFIER}/request/{name}"}
    )


@pytest.fixture
def verifier() -> Verifier:
    return Verifier()


@pytest.fixture
def client(verifier: Verifier) -> Iterator[TestClient]:
    with TestClient(verifier.app(), base_url=VERIFIER) as test_client:
        yield test_client


@pytest.fixture
def wallet(client: TestClient, issuer_key: KeyPair) -> Wallet:
    store = MemoryStore()
    keys = HolderKeys(store)
    holder = keys.new()
    keys.save(holder)
    assert holder.controller is not None
    keep(
        store,
        issue(
            issuer_key, holder.controller, type_name="InkomensverklaringCredential", subject=INCOME
        ),
    )
    return Wallet(
        store=store,
        http=client,
        trusted_issuers=[],
        trusted_verifiers=[VERIFIER],
        clock=fixed_clock,
    )


def test_signed_request_by_reference_then_direct_post(wallet: Wallet, verifier: Verifier) -> None:
    request = wallet.open_request(verifier.publish("ok"))
    assert (request.client_id, request.verifier, request.client_name, request.purpose) == (
        CLIENT_ID,
        DID_WEB,
        "Verhuur BV",
        "Inkomenstoets huurwoning",
    )
    assert request.signed
    result = wallet.send(wallet.present(request))
    assert result.redirect_uri is None
    (form,) = verifier.received
    assert form["state"] == ["eyJzZXNzaW9uIjoiYWJjIn0"]
    (vp,) = json.loads(form["vp_token"][0])["inkomen"]
    verify(vp, challenge=request.nonce, domain=CLIENT_ID, expected_proof_purpose="authentication")
    assert [e.event for e in wallet.log()] == ["presented", "sent"]


def test_a_did_key_client_needs_no_network(wallet: Wallet, verifier: Verifier) -> None:
    key = KeyPair.generate("P-256")
    did = did_key(key)
    client_id = "decentralized_identifier:" + did
    verifier.publish("didkey", key=key, kid=f"{did}#{key.public.multibase}", client_id=client_id)
    request = wallet.open_request(link("didkey", client_id))
    assert request.verifier == did


def test_decline_posts_access_denied(wallet: Wallet, verifier: Verifier) -> None:
    request = wallet.open_request(verifier.publish("ok"))
    wallet.decline(request)
    assert verifier.received == [{"error": ["access_denied"], "state": ["eyJzZXNzaW9uIjoiYWJjIn0"]}]
    assert [e.event for e in wallet.log()] == ["declined"]


OTHER = KeyPair.generate("P-256")

BAD_OBJECTS: dict[str, dict[str, Any]] = {
    "wrong-typ": {"typ": "JWT"},
    "jwt-typ": {"typ": "oauth-authz-req+jwt "},
    "client-id-mismatch": {"client_id": "decentralized_identifier:did:web:other.example.nl"},
    "kid-of-another-did": {
        "kid": f"did:key:{OTHER.public.multibase}#{OTHER.public.multibase}",
        "key": OTHER,
    },
    "kid-not-in-document": {"kid": f"{DID_WEB}#key-2"},
    "signed-by-another-key": {"key": OTHER},
    "wrong-aud": {"aud": "https://verhuur.example.nl"},
    "expired": {"exp": int(NOW.timestamp()) - 3600},
    "issued-in-future": {"iat": int(NOW.timestamp()) + 3600},
    "wrong-media-type": {"media_type": "application/json"},
    "response-mode-jwt": {"response_mode": "direct_post.jwt"},
    "fragment-mode": {"response_mode": "fragment"},
    "no-response-uri": {"response_uri": None},
    "http-response-uri": {"response_uri": "http://verhuur.example.nl/response"},
    "redirect-uri-too": {"redirect_uri": "https://verhuur.example.nl/cb"},
    "no-nonce": {"nonce": None},
    "nonce-charset": {"nonce": "a b+c"},
    "state-charset": {"state": "ü"},
    "scope-instead": {"scope": "inkomen", "dcql_query": None},
    "no-query": {"dcql_query": None},
    "transaction-data": {"transaction_data": ["eyJ0"]},
    "unsupported-type": {"response_type": "vp_token id_token"},
    "purpose-too-long": {"purpose": "x" * 301},
    "client-metadata-not-object": {"client_metadata": "x"},
    "asks-for-the-base-proof": {
        "dcql_query": {
            "credentials": [
                type_query(
                    "inkomen",
                    "InkomensverklaringCredential",
                    claims=[{"path": ["proof", "proofValue"]}],
                )
            ]
        }
    },
}


@pytest.mark.parametrize("changes", BAD_OBJECTS.values(), ids=BAD_OBJECTS.keys())
def test_bad_request_objects_are_refused(
    wallet: Wallet, verifier: Verifier, changes: dict[str, Any]
) -> None:
    text = verifier.publish("bad", **changes)
    with pytest.raises(PresentationRequestError) as info:
        wallet.open_request(text)
    assert info.value.error == "invalid_request"
    assert wallet.log() == []
    assert verifier.received == []


def test_formats_the_verifier_does_not_take(wallet: Wallet, verifier: Verifier) -> None:
    metadata = {"vp_formats_supported": {"ldp_vc": {"cryptosuite_values": ["eddsa-rdfc-2022"]}}}
    with pytest.raises(PresentationRequestError) as info:
        wallet.open_request(verifier.publish("bad", client_metadata=metadata))
    assert info.value.error == "vp_formats_not_supported"


def test_a_request_uri_that_redirects_is_refused(wallet: Wallet, verifier: Verifier) -> None:
    verifier.publish("ok")
    with pytest.raises(PresentationRequestError) as info:
        wallet.open_request(link("moved"))
    assert "redirect" in info.value.detail
    assert wallet.store.activity() == []


def test_alg_none_and_garbage_tokens_are_refused(wallet: Wallet, verifier: Verifier) -> None:
    verifier.objects["none"] = (
        "eyJhbGciOiJub25lIiwidHlwIjoib2F1dGgtYXV0aHotcmVxK2p3dCJ9.e30.",
        "application/oauth-authz-req+jwt",
    )
    verifier.objects["garbage"] = ("not a jwt", "application/oauth-authz-req+jwt")
    for name in ("none", "garbage"):
        with pytest.raises(PresentationRequestError):
            wallet.open_request(link(name))


UNSUPPORTED_LINKS = {
    "x509-prefix": link("ok", "x509_san_dns:verhuur.example.nl"),
    "origin-prefix": link("ok", "origin:https://verhuur.example.nl"),
    "no-prefix": link("ok", "verhuur"),
    "did-method-other": link("ok", "decentralized_identifier:did:ion:abc"),
}


@pytest.mark.parametrize("text", UNSUPPORTED_LINKS.values(), ids=UNSUPPORTED_LINKS.keys())
def test_unsupported_client_identifiers(wallet: Wallet, verifier: Verifier, text: str) -> None:
    verifier.publish("ok")
    with pytest.raises(PresentationRequestError) as info:
        wallet.open_request(text)
    assert info.value.error == "invalid_client"


MALFORMED_LINKS = {
    "not-a-link": "hello",
    "wrong-scheme": "openid-credential-offer://?client_id=x",
    "no-client-id": "openid4vp://?request_uri=https%3A%2F%2Fverhuur.example.nl%2Frequest%2Fok",
    "repeated-parameter": link("ok") + "&client_id=x",
    "http-request-uri": "openid4vp://?client_id=x&request_uri=http%3A%2F%2Fverhuur.example.nl",
    "request-and-uri": link("ok") + "&request=a.b.c",
    "unsigned-did-client": "openid4vp://?"
    + urlencode(
        {
            "client_id": CLIENT_ID,
            "response_type": "vp_token",
            "response_mode": "direct_post",
            "response_uri": RESPONSE_URI,
            "nonce": "abc",
            "dcql_query": json.dumps(DCQL),
        }
    ),
    "redirect-client-by-reference": link("ok", "redirect_uri:" + RESPONSE_URI),
    "redirect-client-other-uri": request_link(DCQL).replace(
        "verhuur.example.nl%2Foid4vp%2Fresponse&", "evil.example.nl%2Fx&", 1
    ),
    "dcql-not-json": request_link(DCQL).replace("dcql_query=%7B", "dcql_query=%7C"),
    "oversized": link("ok") + "&x=" + "a" * 40000,
    "request-uri-method": link("ok") + "&request_uri_method=put",
}


@pytest.mark.parametrize("text", MALFORMED_LINKS.values(), ids=MALFORMED_LINKS.keys())
def test_malformed_links(wallet: Wallet, verifier: Verifier, text: str) -> None:
    verifier.publish("ok")
    with pytest.raises(PresentationRequestError):
        wallet.open_request(text)
    assert verifier.received == []


def test_an_unsigned_by_value_request(wallet: Wallet) -> None:
    request = wallet.open_request(request_link(DCQL, purpose="test"))
    assert (request.signed, request.client_id_prefix, request.purpose) == (
        False,
        "redirect_uri",
        "test",
    )


def test_a_response_uri_that_redirects_or_rejects(wallet: Wallet, verifier: Verifier) -> None:
    bounced = wallet.open_request(verifier.publish("bounce", response_uri=VERIFIER + "/bounce"))
    with pytest.raises(FetchError, match="redirect"):
        wallet.send(wallet.present(bounced))
    rejected = wallet.open_request(verifier.publish("reject", response_uri=VERIFIER + "/reject"))
    with pytest.raises(PresentationRequestError) as info:
        wallet.send(wallet.present(rejected))
    assert info.value.code == "RESPONSE_REJECTED"
    assert verifier.received == []
