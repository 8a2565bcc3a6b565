"""Sessions, CSRF and isolation on the real servers: what a browser's cookies can and cannot do."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import httpx
import pytest

from tests.issuer.support import ADMIN, DEMO_BSN, REVIEW_BSN
from vc_core import KeyPair, did_key

from .conftest import Server

INCOME = "InkomensverklaringCredential_ldp_vc"
PERSON = "PersoonsgegevensCredential_ldp_vc"
_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def _csrf(page: httpx.Response) -> str:
    found = _CSRF.search(page.text)
    assert found is not None, page.text
    return found.group(1)


def _login(server: Server, bsn: str) -> httpx.Client:
    """A browser-like client logged in to the portal as ``bsn``."""
    client = httpx.Client(base_url=server.url, timeout=30)
    login = client.get("/portaal/inloggen")
    done = client.post("/portaal/inloggen", data={"bsn": bsn, "csrf_token": _csrf(login)})
    assert done.status_code == 303, done.text
    assert done.headers["location"] == "/portaal/overzicht"
    return client


@pytest.fixture
def anna(issuer_server: Server) -> Iterator[httpx.Client]:
    client = _login(issuer_server, DEMO_BSN)
    yield client
    client.close()


@pytest.fixture
def rafael(issuer_server: Server) -> Iterator[httpx.Client]:
    client = _login(issuer_server, REVIEW_BSN)
    yield client
    client.close()


def test_each_citizen_sees_only_their_own_data(anna: httpx.Client, rafael: httpx.Client) -> None:
    anna_page = anna.get("/portaal/overzicht").text
    rafael_page = rafael.get("/portaal/overzicht").text
    assert "Anna Maria" in anna_page
    assert "Oliveira" not in anna_page
    assert "Oliveira" in rafael_page
    assert "Anna Maria" not in rafael_page
    assert DEMO_BSN not in anna_page  # not even one's own BSN is echoed into pages


def test_no_form_field_can_name_another_citizen(anna: httpx.Client, rafael: httpx.Client) -> None:
    token = _csrf(rafael.get("/portaal/overzicht"))
    form = {"csrf_token": token, "configuration": PERSON, "bsn": DEMO_BSN, "subject": DEMO_BSN}
    own = rafael.post("/portaal/brp/credential.json", data=form, params={"bsn": DEMO_BSN})
    assert own.status_code == 200
    assert own.json()["credentialSubject"]["geslachtsnaam"] == "Oliveira"
    # Rafael has no income data; asking for it never yields Anna's.
    income = {"csrf_token": token, "configuration": INCOME, "bsn": DEMO_BSN}
    refused = rafael.post("/portaal/belastingdienst/credential.json", data=income)
    assert refused.status_code == 404
    assert "41250" not in refused.text
    assert "Anna" not in refused.text


def test_another_sessions_csrf_token_is_refused(anna: httpx.Client, rafael: httpx.Client) -> None:
    annas_token = _csrf(anna.get("/portaal/overzicht"))
    form = {"csrf_token": annas_token, "configuration": PERSON}
    for action in ("credential.json", "afschrift.pdf", "wallet"):
        response = rafael.post(f"/portaal/brp/{action}", data=form)
        assert response.status_code == 403, action
        assert response.headers["content-type"].startswith("text/html")
        assert "Anna" not in response.text


def test_a_forged_session_cookie_is_refused(issuer_server: Server, anna: httpx.Client) -> None:
    value = anna.cookies["bk_portaal"]
    token, _, mac = value.rpartition(".")
    forged = {"bk_portaal": f"{token}.{mac[::-1]}"}
    other = {"bk_portaal": "x" * 43 + "." + mac}
    for cookies in (forged, other):
        with httpx.Client(base_url=issuer_server.url, cookies=cookies) as stranger:
            response = stranger.get("/portaal/overzicht")
            assert response.status_code == 303
            assert response.headers["location"] == "/portaal/inloggen"


@pytest.mark.parametrize("action", ["credential.json", "afschrift.pdf", "wallet"])
@pytest.mark.parametrize("token", [None, "", "not-the-token"], ids=["missing", "empty", "wrong"])
def test_a_form_without_the_csrf_token_is_refused(
    anna: httpx.Client, action: str, token: str | None
) -> None:
    form = {"configuration": PERSON}
    if token is not None:
        form["csrf_token"] = token
    response = anna.post(f"/portaal/brp/{action}", data=form)
    assert response.status_code == 403
    assert "application/vc" not in response.headers["content-type"]
    assert "Vries" not in response.text


def test_log_out_and_login_need_their_tokens_too(issuer_server: Server, anna: httpx.Client) -> None:
    assert anna.post("/portaal/uitloggen", data={}).status_code == 403
    assert anna.get("/portaal/overzicht").status_code == 200  # still logged in
    with httpx.Client(base_url=issuer_server.url) as fresh:
        fresh.get("/portaal/inloggen")
        refused = fresh.post("/portaal/inloggen", data={"bsn": DEMO_BSN})
        assert refused.status_code == 403
        assert "bk_portaal" not in fresh.cookies


def test_a_logged_out_session_is_refused(issuer_server: Server, anna: httpx.Client) -> None:
    overview = anna.get("/portaal/overzicht")
    token, cookie = _csrf(overview), anna.cookies["bk_portaal"]
    out = anna.post("/portaal/uitloggen", data={"csrf_token": token})
    assert (out.status_code, out.headers["location"]) == (303, "/portaal/uitgelogd")
    assert "bk_portaal" not in anna.cookies
    # The old cookie, replayed, opens nothing: the server record is gone.
    with httpx.Client(base_url=issuer_server.url, cookies={"bk_portaal": cookie}) as replay:
        page = replay.get("/portaal/overzicht")
        assert (page.status_code, page.headers["location"]) == (303, "/portaal/inloggen")
        form = {"csrf_token": token, "configuration": PERSON}
        posted = replay.post("/portaal/brp/credential.json", data=form)
        assert posted.status_code == 401
        assert "Vries" not in posted.text


def test_portal_pages_carry_security_headers_and_strict_cookies(issuer_server: Server) -> None:
    with httpx.Client(base_url=issuer_server.url) as client:
        login = client.get("/portaal/inloggen")
        done = client.post("/portaal/inloggen", data={"bsn": DEMO_BSN, "csrf_token": _csrf(login)})
        cookie = done.headers["set-cookie"].lower()
        assert cookie.startswith("bk_portaal=")
        assert "httponly" in cookie
        assert "samesite=lax" in cookie
        assert "path=/portaal" in cookie
        page = client.get("/portaal/overzicht")
    headers = page.headers
    policy = headers["content-security-policy"]
    assert "script-src" not in policy
    assert "default-src 'none'" in policy
    assert "frame-ancestors 'none'" in policy
    assert headers["x-frame-options"] == "DENY"
    assert headers["referrer-policy"] == "no-referrer"
    assert headers["cache-control"] == "no-store"
    assert headers["x-content-type-options"] == "nosniff"
    assert "<script" not in page.text


PURPOSE = "huurtoeslag-check (test)"
INCOME_FACT = "belastingdienst InkomensverklaringCredential_ldp_vc inkomenstoets"


@pytest.fixture(scope="module")
def recipient_did(public_http: httpx.Client) -> str:
    did = did_key(KeyPair.generate("P-256"))
    registration = {
        "did": did,
        "name": "Testcorporatie",
        "purposes": [PURPOSE],
        "scopes": [
            {
                "credential_configuration_id": INCOME,
                "claims": [{"path": ["credentialSubject", "inkomenstoets"]}],
            }
        ],
    }
    done = public_http.post(
        "https://issuer.example.nl/admin/belastingdienst/plus/recipients",
        json=registration,
        headers=ADMIN,
    )
    assert done.status_code == 201, done.text
    return did


def _grant(client: httpx.Client, recipient: str) -> str:
    token = _csrf(client.get("/portaal/overzicht"))
    until = (datetime.now(ZoneInfo("Europe/Amsterdam")).date() + timedelta(days=10)).isoformat()
    form = {
        "csrf_token": token,
        "keuze": f"{recipient} {PURPOSE}",
        "claim": INCOME_FACT,
        "geldig_tot": until,
    }
    assert client.post("/portaal/toestemmingen", data={**form, "csrf_token": ""}).status_code == 403
    done = client.post("/portaal/toestemmingen", data=form)
    assert done.status_code == 303, done.text
    page: str = done.headers["location"]
    return page


def test_one_citizens_consents_are_out_of_anothers_reach(
    anna: httpx.Client, rafael: httpx.Client, recipient_did: str
) -> None:
    page = _grant(anna, recipient_did)
    assert 'data-status="active"' in anna.get(page).text
    grant_id = page.rpartition("/")[2]
    assert grant_id not in rafael.get("/portaal/toestemmingen").text
    for suffix in ("", "/toestemming.json", "/logboek.json"):
        refused = rafael.get(page + suffix)
        assert refused.status_code == 404, suffix
        assert "Testcorporatie" not in refused.text
    token = _csrf(rafael.get("/portaal/overzicht"))
    assert rafael.post(page + "/intrekken", data={"csrf_token": token}).status_code == 404
    # Anna's own withdrawal needs her token as well.
    assert anna.post(page + "/intrekken", data={}).status_code == 403
    assert 'data-status="active"' in anna.get(page).text
    annas = _csrf(anna.get(page))
    assert anna.post(page + "/intrekken", data={"csrf_token": annas}).status_code == 303
    assert 'data-status="revoked"' in anna.get(page).text
    assert anna.get(page + "/logboek.json").status_code == 200


def _desk(server: Server) -> tuple[httpx.Client, str]:
    client = httpx.Client(base_url=server.url, timeout=30)
    return client, _csrf(client.get("/"))


def test_a_check_belongs_to_the_desk_that_started_it(landlord_server: Server) -> None:
    first, token = _desk(landlord_server)
    second, other_token = _desk(landlord_server)
    try:
        started = first.post("/controles", data={"csrf_token": token, "household_size": "2"})
        assert started.status_code == 303
        page = started.headers["location"]
        assert first.get(page).status_code == 200
        assert second.get(page).status_code == 404
        assert second.get(page + "/verslag.json").status_code == 404
        # Neither a missing token nor another desk's token starts a check.
        assert first.post("/controles", data={"household_size": "2"}).status_code == 403
        crossed = first.post("/controles", data={"csrf_token": other_token, "household_size": "2"})
        assert crossed.status_code == 403
    finally:
        first.close()
        second.close()
