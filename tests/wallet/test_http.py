"""The wallet's HTTP door against a hostile server: redirects, huge bodies, wrong types."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from fastapi import FastAPI, Response
from fastapi.responses import JSONResponse, RedirectResponse
from fastapi.testclient import TestClient

from vc_core.errors import FetchError
from wallet_sdk import MemoryStore, Wallet
from wallet_sdk.errors import IssuerResponseError, OfferError
from wallet_sdk.http import WalletHttp
from wallet_sdk.offers import CredentialOfferReference
from wallet_sdk.oid4vci_client import fetch_issuer_metadata
from wallet_sdk.trust import did_web_for_issuer_url, issuer_url_for_did_web, trusted_issuer_map

HOSTILE = "https://hostile.example.nl"


def hostile_app() -> FastAPI:
    app = FastAPI()

    @app.get("/redirect")
    def redirect() -> Response:
        return RedirectResponse("https://elsewhere.example.nl/offer", status_code=302)

    @app.get("/big")
    def big() -> Response:
        return Response(b'{"a": "' + b"x" * (3 * 2**20) + b'"}', media_type="application/json")

    @app.get("/text")
    def text() -> Response:
        return Response("hello", media_type="text/plain")

    @app.get("/ok")
    def ok() -> Response:
        return JSONResponse({"a": 1})

    @app.get("/long-offer")
    def long_offer() -> Response:
        return JSONResponse({"credential_issuer": HOSTILE, "padding": "x" * 100_000})

    @app.get("/draft13/.well-known/openid-credential-issuer")
    def appended_metadata() -> Response:
        return JSONResponse(
            {
                "credential_issuer": f"{HOSTILE}/draft13",
                "credential_endpoint": f"{HOSTILE}/draft13/credential",
                "credential_configurations_supported": {
                    "a": {
                        "format": "ldp_vc",
                        "credential_definition": {"@context": [], "type": ["VerifiableCredential"]},
                    }
                },
            }
        )

    @app.get("/jwt-offer")
    def jwt_offer() -> Response:
        return Response("eyJ.eyJ.sig", media_type="application/jwt")

    return app


def _door(client: httpx.Client) -> WalletHttp:
    """The wallet's door with the hostile origin trusted (these tests are about its answers)."""
    return WalletHttp(client, trusted_origins=[HOSTILE])


@pytest.fixture
def client() -> Iterator[TestClient]:
    with TestClient(hostile_app(), base_url=HOSTILE) as test_client:
        yield test_client


def test_plain_json_is_fetched(client: TestClient) -> None:
    assert _door(client).fetch(f"{HOSTILE}/ok", accept="application/json") == b'{"a":1}'


@pytest.mark.parametrize(
    "url",
    [f"{HOSTILE}/redirect", f"{HOSTILE}/big", f"{HOSTILE}/text", f"{HOSTILE}/missing"],
    ids=["redirect", "oversized", "not-json", "404"],
)
def test_hostile_answers_are_fetch_errors(client: TestClient, url: str) -> None:
    with pytest.raises(FetchError) as info:
        _door(client).fetch(url, accept="application/json")
    assert info.value.code == "FETCH_ERROR"


@pytest.mark.parametrize(
    "url", ["http://hostile.example.nl/ok", "file:///etc/passwd", "https:///nohost"]
)
def test_only_https_urls_are_requested(client: TestClient, url: str) -> None:
    with pytest.raises(FetchError):
        _door(client).request("GET", url, accept="application/json")


def test_a_network_failure_is_a_fetch_error() -> None:
    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("connection refused", request=request)

    broken = httpx.Client(transport=httpx.MockTransport(refuse))
    with pytest.raises(FetchError):
        _door(broken).fetch(f"{HOSTILE}/ok", accept="application/json")


def test_the_wallet_needs_an_httpx_client() -> None:
    with pytest.raises(TypeError):
        WalletHttp(object())  # type: ignore[arg-type]


def test_an_offer_uri_that_redirects_is_refused_and_nothing_is_stored(client: TestClient) -> None:
    store = MemoryStore()
    wallet = Wallet(store=store, http=client, trusted_issuers=[HOSTILE])
    with pytest.raises(FetchError) as info:
        wallet.accept_offer(CredentialOfferReference(f"{HOSTILE}/redirect"), tx_code="123456")
    assert "redirect" in info.value.detail
    assert store.dump() == []


@pytest.mark.parametrize(
    "path", ["/jwt-offer", "/text", "/big", "/long-offer"], ids=["jwt", "text", "huge", "long"]
)
def test_an_offer_by_reference_must_be_plain_json(client: TestClient, path: str) -> None:
    wallet = Wallet(store=MemoryStore(), http=client, trusted_issuers=[HOSTILE])
    with pytest.raises((OfferError, FetchError)):
        wallet.preview_offer(CredentialOfferReference(HOSTILE + path))


def test_trusted_issuer_forms() -> None:
    did = "did:web:issuer.example.nl:duo"
    url = "https://issuer.example.nl/duo"
    expected = {url: did}
    assert trusted_issuer_map([did]) == expected
    assert trusted_issuer_map([url]) == expected
    assert trusted_issuer_map({"duo": did}) == expected
    assert trusted_issuer_map({url: "did:key:z6Mk"}) == {url: "did:key:z6Mk"}
    assert did_web_for_issuer_url("https://localhost:8443/a/b") == "did:web:localhost%3A8443:a:b"
    assert issuer_url_for_did_web("did:web:example.org") == "https://example.org"
    for bad in (["http://issuer.example.nl"], ["did:key:z6Mk"], ["https://1.2.3.4/x"]):
        with pytest.raises(ValueError, match="trusted issuer"):
            trusted_issuer_map(bad)
    with pytest.raises(TypeError):
        trusted_issuer_map("did:web:issuer.example.nl")


def test_metadata_falls_back_to_the_appended_well_known_path(client: TestClient) -> None:
    metadata = fetch_issuer_metadata(_door(client), f"{HOSTILE}/draft13")
    assert metadata.credential_endpoint == f"{HOSTILE}/draft13/credential"
    with pytest.raises(IssuerResponseError) as info:
        fetch_issuer_metadata(_door(client), f"{HOSTILE}/nothing")
    assert info.value.code == "INVALID_ISSUER_METADATA"
