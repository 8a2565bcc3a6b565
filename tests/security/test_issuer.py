"""Findings 3, 5, 7 and 8 on the issuer service (real server processes on loopback).

3. Unicode digits in a status list number are a 404, not a 500.
5. A citizen makes only so many wallet offers, a client only so many requests
   with a body (429, ``Retry-After``).
7. A ``c_nonce`` of one source is refused by another.
8. Data files are the owner's only; no BSN in the offer, token and session
   tables; ``/docs`` is off in production; the demo login ends on the server.
"""

from __future__ import annotations

import re
import secrets
import sqlite3
import stat
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from blauwe_knop.servers import LoopbackTransport
from tests.issuer.issuer_wallet import TestWallet, proof_jwt
from tests.issuer.support import ADMIN, DEMO_BSN
from vc_core import KeyPair
from vc_issuer.auth import DEMO_SESSION_COOKIE

from .conftest import ISSUER_HOST, Service, issuer_process

BASE = f"https://{ISSUER_HOST}"
_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def _client(service: Service) -> httpx.Client:
    transport = LoopbackTransport({ISSUER_HOST: service.port})
    return httpx.Client(transport=transport, base_url=BASE, timeout=30)


@pytest.fixture
def http(issuer: Service) -> Iterator[httpx.Client]:
    with _client(issuer) as client:
        yield client


def _portal_login(client: httpx.Client) -> None:
    login = client.get("/portaal/inloggen")
    done = client.post(
        "/portaal/inloggen",
        data={"bsn": DEMO_BSN, "csrf_token": _CSRF.findall(login.text)[0]},
        follow_redirects=False,
    )
    assert done.status_code == 303


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.mark.parametrize("number", ["²", "٣", "1_0", "+1", " 1", "0x1", "1" * 40])
@pytest.mark.parametrize(
    "lists",
    [
        "/belastingdienst/status/revocation",
        "/belastingdienst/status/token",
        "/issuers/ecdsa-sd-2023/status/revocation",
    ],
)
def test_a_status_list_number_must_be_ascii_digits(
    http: httpx.Client, lists: str, number: str
) -> None:
    answered = http.get(f"{lists}/{number}")
    assert answered.status_code == 404
    assert answered.json()["code"] == "NOT_FOUND"


def test_a_nonce_of_one_source_is_refused_by_another(http: httpx.Client) -> None:
    offer = http.post("/admin/belastingdienst/offers", json={"bsn": DEMO_BSN}, headers=ADMIN)
    wallet = TestWallet(http)
    session = wallet.open(offer.json()["offer_uri"])
    assert wallet.token(session, offer.json()["tx_code"]).status_code == 200
    elsewhere = http.post("/brp/nonce").json()["c_nonce"]
    proof = proof_jwt(KeyPair.generate(), audience=session.issuer, nonce=elsewhere)
    body = {"credential_configuration_id": session.configuration_id, "proofs": {"jwt": [proof]}}
    refused = wallet.request(session, body)
    assert (refused.status_code, refused.json()["error"]) == (400, "invalid_nonce")
    own = proof_jwt(KeyPair.generate(), audience=session.issuer, nonce=wallet.nonce(session))
    body["proofs"] = {"jwt": [own]}
    assert wallet.request(session, body).status_code == 200


def test_data_files_are_the_owners_only(issuer: Service, http: httpx.Client) -> None:
    http.post("/admin/rdw/offers", json={"bsn": DEMO_BSN}, headers=ADMIN).raise_for_status()
    assert _mode(issuer.data_dir) == 0o700
    files = [issuer.data_dir / name for name in ("issuer.db", "issuer.db-wal", "issuer.db-shm")]
    assert {path.name: _mode(path) for path in files} == {path.name: 0o600 for path in files}


def test_no_bsn_is_kept_in_offers_tokens_and_sessions(issuer: Service, http: httpx.Client) -> None:
    offer = http.post("/admin/duo/offers", json={"bsn": DEMO_BSN}, headers=ADMIN).json()
    redeemed = http.post("/admin/brp/offers", json={"bsn": DEMO_BSN}, headers=ADMIN).json()
    wallet = TestWallet(http)
    assert wallet.token(wallet.open(redeemed["offer_uri"]), redeemed["tx_code"]).status_code == 200
    assert http.post("/demo-login", data={"bsn": DEMO_BSN}).status_code == 200
    _portal_login(http)
    assert offer["offer_uri"]
    tables = ("oid4vci_offers", "oid4vci_tokens", "oid4vci_deferred", "portal_sessions")
    with sqlite3.connect(issuer.data_dir / "issuer.db") as database:
        rows = {table: database.execute(f"SELECT * FROM {table}").fetchall() for table in tables}
    assert all(rows[table] for table in ("oid4vci_offers", "oid4vci_tokens", "portal_sessions"))
    for table, found in rows.items():
        for row in found:
            for value in row:
                text = value.decode("latin-1") if isinstance(value, bytes) else str(value)
                assert DEMO_BSN not in text, f"{table} keeps the BSN in plain text"


def test_the_demo_login_ends_on_the_server_at_logout(http: httpx.Client) -> None:
    assert http.post("/demo-login", data={"bsn": DEMO_BSN}).status_code == 200
    cookie = http.cookies[DEMO_SESSION_COOKIE]
    assert http.get("/belastingdienst/basis/credential.json").status_code == 200
    out = http.post("/logout")
    assert out.status_code == 200
    cleared = out.headers["set-cookie"]
    assert cleared.startswith(f'{DEMO_SESSION_COOKIE}=""')
    for attribute in ("Max-Age=0", "Secure", "HttpOnly", "SameSite=strict"):
        assert attribute in cleared
    assert DEMO_SESSION_COOKIE not in http.cookies
    # A copy of the old cookie is worthless now.
    http.cookies.set(DEMO_SESSION_COOKIE, cookie, domain=ISSUER_HOST)
    assert http.get("/belastingdienst/basis/credential.json").status_code == 401


@pytest.fixture(scope="module")
def limited(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Service]:
    """The demo issuer with low limits: 3 offers a citizen an hour, 30 posts a client a minute."""
    yield from issuer_process(
        tmp_path_factory, citizen_offer_rate="3/hour", client_rate="30/minute"
    )


def test_a_citizen_makes_only_so_many_offers(limited: Service) -> None:
    with _client(limited) as api, _client(limited) as browser:
        assert api.post("/demo-login", data={"bsn": DEMO_BSN}).status_code == 200
        made = [api.post("/belastingdienst/basis/offer").status_code for _ in range(3)]
        assert made == [201, 201, 201]
        refused = api.post("/belastingdienst/basis/offer")
        assert refused.status_code == 429
        assert int(refused.headers["Retry-After"]) > 60
        assert refused.json()["code"] == "RATE_LIMITED"
        # Another session of the same citizen (the portal) shares the limit.
        _portal_login(browser)
        overview = browser.get("/portaal/overzicht")
        form = {
            "csrf_token": _CSRF.findall(overview.text)[0],
            "configuration": "InkomensverklaringCredential_ldp_vc",
        }
        page = browser.post("/portaal/belastingdienst/wallet", data=form)
        assert page.status_code == 429
        assert "Retry-After" in page.headers
        assert 'lang="nl"' in page.text


def test_a_client_sends_only_so_many_requests_with_a_body(limited: Service) -> None:
    with _client(limited) as client:
        statuses = [client.post("/rdw/nonce").status_code for _ in range(40)]
        assert 429 in statuses
        refused = client.post("/rdw/nonce")
        assert refused.status_code == 429
        assert int(refused.headers["Retry-After"]) >= 1
        assert client.get("/rdw/did.json").status_code == 200  # reading is not limited


@pytest.fixture(scope="module")
def production(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Service]:
    """The issuer in production mode (its own keys and secrets, no demo anything)."""
    yield from issuer_process(
        tmp_path_factory,
        demo=False,
        mode="production",
        key_passphrase=secrets.token_urlsafe(24),
        admin_token=secrets.token_urlsafe(32),
    )


def test_api_docs_are_off_in_production(production: Service, http: httpx.Client) -> None:
    with _client(production) as client:
        for path in ("/docs", "/redoc", "/openapi.json"):
            assert client.get(path).status_code == 404
    assert http.get("/openapi.json").status_code == 200  # development serves them
