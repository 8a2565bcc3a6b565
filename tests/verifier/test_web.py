"""The FastAPI router: request object, direct_post, polling; via TestClient and real uvicorn."""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
import uvicorn
from fastapi import FastAPI, Request
from fastapi.testclient import TestClient

from vc_core.jws import verify_jws
from vc_core.types import JsonObject
from vc_verifier import HousingIncomeRule, PresentationOutcome, Verifier
from vc_verifier.web import create_router

from .helpers import FACTS, Holder, disclose, present

RULE = HousingIncomeRule.load(year=2026)
RESPONSE_URI = "https://verhuur.example.nl/oid4vp/response"
FORM = {"Content-Type": "application/x-www-form-urlencoded"}
DESK = {"X-Desk": "the-desk-that-started-it"}


def _decide(outcome: PresentationOutcome) -> JsonObject:
    return RULE.evaluate(outcome, household_size=2).to_json()


def _is_desk(request: Request, transaction_id: str) -> bool:
    return request.headers.get("x-desk") == DESK["X-Desk"]


def _app(verifier: Verifier, **options: Any) -> FastAPI:
    app = FastAPI()
    options.setdefault("status_access", _is_desk)
    app.include_router(create_router(verifier, on_outcome=_decide, **options))
    return app


@pytest.fixture
def client(verifier: Verifier) -> Iterator[TestClient]:
    with TestClient(
        _app(verifier), base_url="https://verhuur.example.nl", headers=DESK
    ) as test_client:
        yield test_client


@pytest.fixture(scope="module")
def facts_vc(income_base: JsonObject) -> JsonObject:
    return disclose(income_base, FACTS)


def test_full_flow_through_the_router(
    verifier: Verifier, client: TestClient, holder: Holder, facts_vc: JsonObject
) -> None:
    tx = verifier.create_request(RULE.dcql_query(), response_uri=RESPONSE_URI)
    assert tx.request_uri is not None
    got = client.get(tx.request_uri)
    assert got.status_code == 200
    assert got.headers["content-type"] == "application/oauth-authz-req+jwt"
    assert got.headers["cache-control"] == "no-store"
    claims = verify_jws(
        got.text, expected_typ="oauth-authz-req+jwt", key=verifier.signing_key.public
    ).payload
    assert claims["response_uri"] == RESPONSE_URI

    assert client.get(f"/oid4vp/transactions/{tx.id}").json()["status"] == "pending"
    vp = present(holder, [facts_vc], challenge=claims["nonce"], domain=claims["client_id"])
    form = {"state": claims["state"], "vp_token": json.dumps({"inkomen": [vp]})}
    posted = client.post(RESPONSE_URI, data=form)
    assert (posted.status_code, posted.json()) == (200, {})
    assert not posted.is_redirect

    status = client.get(f"/oid4vp/transactions/{tx.id}").json()
    assert status["status"] == "verified"
    assert status["result"]["meets"] is True
    assert "41250" not in json.dumps(status)

    replay = client.post(RESPONSE_URI, data=form)
    assert replay.status_code == 400
    assert replay.json()["error"] == "invalid_request"
    assert "TRANSACTION_REPLAY" in replay.json()["error_description"]
    assert client.get(tx.request_uri).status_code == 404


def test_rejected_presentation_is_400_with_codes(
    verifier: Verifier, client: TestClient, holder: Holder, facts_vc: JsonObject
) -> None:
    tx = verifier.create_request(RULE.dcql_query(), response_uri=RESPONSE_URI)
    vp = present(holder, [facts_vc], challenge="not-the-nonce")
    posted = client.post(
        "/oid4vp/response", data={"state": tx.state, "vp_token": json.dumps({"inkomen": [vp]})}
    )
    assert posted.status_code == 400
    assert "INVALID_CHALLENGE_ERROR" in posted.json()["error_description"]
    status = client.get(f"/oid4vp/transactions/{tx.id}").json()
    assert (status["status"], status["failed_attempts"]) == ("pending", 1)
    assert "INVALID_CHALLENGE_ERROR" in status["problems"]


def test_wallet_error_is_acknowledged(verifier: Verifier, client: TestClient) -> None:
    tx = verifier.create_request(RULE.dcql_query(), response_uri=RESPONSE_URI)
    posted = client.post("/oid4vp/response", data={"state": tx.state, "error": "access_denied"})
    assert (posted.status_code, posted.json()) == (200, {})
    status = client.get(f"/oid4vp/transactions/{tx.id}").json()
    assert (status["status"], status["error"]) == ("pending", "access_denied")


def test_the_status_is_only_for_whom_status_access_allows(
    verifier: Verifier, client: TestClient
) -> None:
    tx = verifier.create_request(RULE.dcql_query(), response_uri=RESPONSE_URI)
    assert client.get(f"/oid4vp/transactions/{tx.id}").status_code == 200
    stranger = client.get(f"/oid4vp/transactions/{tx.id}", headers={"X-Desk": "another"})
    assert stranger.status_code == 404
    with TestClient(_app(verifier, status_access=None)) as without:
        assert without.get(f"/oid4vp/transactions/{tx.id}", headers=DESK).status_code == 404


@pytest.mark.parametrize(
    ("body", "headers", "status"),
    [
        ('{"state": "x"}', {"Content-Type": "application/json"}, 400),
        ("state=a&state=b", FORM, 400),
        ("state", FORM, 400),
        (b"state=%ff%fe", FORM, 400),
        ("", FORM, 400),
        ("state=unknown&vp_token=%7B%7D", FORM, 400),
    ],
    ids=["json-body", "duplicate-field", "not-a-form", "not-utf8", "empty", "unknown-state"],
)
def test_bad_bodies_get_400_never_422(
    client: TestClient, body: str | bytes, headers: dict[str, str], status: int
) -> None:
    posted = client.post("/oid4vp/response", content=body, headers=headers)
    assert posted.status_code == status
    assert posted.json()["error"] == "invalid_request"


def test_oversized_body_is_413(verifier: Verifier) -> None:
    with TestClient(_app(verifier, max_body_bytes=1000)) as small:
        posted = small.post("/oid4vp/response", content="vp_token=" + "A" * 2000, headers=FORM)
    assert posted.status_code == 413


def test_unknown_ids_are_404(client: TestClient) -> None:
    assert client.get("/oid4vp/request/nope").status_code == 404
    assert client.get("/oid4vp/transactions/nope").status_code == 404


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_real_uvicorn_server(make_verifier: Any, holder: Holder, facts_vc: JsonObject) -> None:
    """A wallet-like client against the router under uvicorn on a loopback port."""
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    verifier = make_verifier(client_id=f"redirect_uri:{base}/oid4vp/response")
    server = uvicorn.Server(
        uvicorn.Config(_app(verifier), host="127.0.0.1", port=port, log_level="warning")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        for _ in range(100):
            if server.started:
                break
            time.sleep(0.05)
        tx = verifier.create_request(RULE.dcql_query())
        vp = present(holder, [facts_vc], challenge=tx.nonce, domain=tx.client_id)
        with httpx.Client(follow_redirects=False, timeout=10) as wallet:
            posted = wallet.post(
                tx.response_uri,
                data={"state": tx.state, "vp_token": json.dumps({"inkomen": [vp]})},
            )
            assert (posted.status_code, posted.json()) == (200, {})
            polled = wallet.get(f"{base}/oid4vp/transactions/{tx.id}", headers=DESK).json()
        assert polled["status"] == "verified"
        assert polled["result"]["meets"] is True
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def test_the_router_documents_the_guards_answers(verifier: Verifier) -> None:
    spec = _app(verifier).openapi()
    operations = [op for item in spec["paths"].values() for op in item.values()]
    assert len(operations) == 3
    for operation in operations:
        assert {"408", "413", "429"} <= set(operation["responses"])
