"""Findings 3, 4 and 6 on the landlord's page (real servers on loopback).

3. Unicode digits in the household size are a 400, not a 500.
4. Anyone who saw the request QR knows its ``state``: junk posted with it does
   not end the check; the real wallet still answers. Only a fifth failed answer
   ends it.
6. The wallet router's status poll answers only the desk that started the check.

Finding 5 (limits on starting checks) is in ``test_landlord_limits``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from urllib.parse import parse_qs, unquote, urlsplit

import httpx
import pytest

from blauwe_knop.servers import LoopbackTransport
from tests.issuer.support import ADMIN, DEMO_BSN
from vc_core.jws import parse_jws
from wallet_sdk import MemoryStore, Wallet
from wallet_sdk.errors import PresentationRequestError

from .conftest import ISSUER_HOST, LANDLORD_HOST, Service

_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
_STATE = re.compile(r'data-state="([a-z_]+)"')


def _csrf(page: httpx.Response) -> str:
    found = _CSRF.search(page.text)
    assert found is not None, page.text
    return found.group(1)


class Desk:
    """A browser at the landlord's desk: its cookie, its CSRF token, its checks."""

    def __init__(self, url: str) -> None:
        self.http = httpx.Client(base_url=url, timeout=30)
        self.token = _csrf(self.http.get("/"))

    def start(self, household_size: str = "2") -> httpx.Response:
        form = {"csrf_token": self.token, "household_size": household_size, "ask": "facts"}
        return self.http.post("/controles", data=form)

    def check(self) -> str:
        """Start a check; return its page path."""
        started = self.start()
        assert started.status_code == 303, started.text
        return str(started.headers["location"])

    def state(self, page: str) -> str:
        found = _STATE.search(self.http.get(page).text)
        assert found is not None
        return found.group(1)

    def request_link(self, page: str) -> str:
        link = re.search(r'href="(openid4vp://[^"]+)"', self.http.get(page).text)
        assert link is not None
        return unquote(link.group(1).replace("&amp;", "&"))


@pytest.fixture
def desk(landlord: Service) -> Iterator[Desk]:
    opened = Desk(landlord.url)
    yield opened
    opened.http.close()


@pytest.fixture(scope="module")
def public(issuer: Service, landlord: Service) -> Iterator[httpx.Client]:
    """A client reaching both services under their public https names."""
    transport = LoopbackTransport({ISSUER_HOST: issuer.port, LANDLORD_HOST: landlord.port})
    with httpx.Client(transport=transport, timeout=30) as client:
        yield client


@pytest.fixture(scope="module")
def wallet(public: httpx.Client) -> Wallet:
    """The demo citizen's wallet with an income statement; it trusts the demo landlord."""
    held = Wallet(
        store=MemoryStore(),
        http=public,
        trusted_issuers=["did:web:issuer.example.nl:belastingdienst"],
        trusted_verifiers=[f"https://{LANDLORD_HOST}"],
    )
    made = public.post(
        f"https://{ISSUER_HOST}/admin/belastingdienst/offers", json={"bsn": DEMO_BSN}, headers=ADMIN
    ).raise_for_status()
    offer = made.json()
    held.accept_offer(held.parse_offer(offer["offer_uri"]), tx_code=offer["tx_code"])
    return held


RESPONSE_URI = f"https://{LANDLORD_HOST}/oid4vp/response"


def _watched_check(desk: Desk, public: httpx.Client) -> tuple[str, str, str]:
    """Start a check; return its page, its request link, and what anyone who scanned the QR
    learns from the public request object: its ``state``."""
    page = desk.check()
    link = desk.request_link(page)
    request_uri = parse_qs(urlsplit(link).query)["request_uri"][0]
    token = public.get(request_uri).raise_for_status().text
    state: str = parse_jws(token).payload["state"]
    return page, link, state


@pytest.mark.parametrize("size", ["²", "٣", "3.0", "+3", " 3x", "9" * 40])
def test_a_household_size_of_unicode_digits_is_a_400(desk: Desk, size: str) -> None:
    assert desk.start(size).status_code == 400


def test_junk_with_the_public_state_does_not_void_the_check(
    desk: Desk, public: httpx.Client, wallet: Wallet
) -> None:
    page, link, state = _watched_check(desk, public)
    for junk in ({"state": state, "vp_token": "{}"}, {"state": state, "error": "access_denied"}):
        assert public.post(RESPONSE_URI, data=junk).status_code in (200, 400)
    assert desk.state(page) == "pending"
    # The real wallet still answers, and the desk gets its decision.
    wallet.send(wallet.present(wallet.open_request(link)))
    assert desk.state(page) == "decided"


def test_the_fifth_failed_answer_ends_the_check(
    desk: Desk, public: httpx.Client, wallet: Wallet
) -> None:
    page, link, state = _watched_check(desk, public)
    for _ in range(4):
        assert public.post(RESPONSE_URI, data={"state": state, "vp_token": "{}"}).status_code == 400
        assert desk.state(page) == "pending"
    assert public.post(RESPONSE_URI, data={"state": state, "vp_token": "{}"}).status_code == 400
    assert desk.state(page) == "rejected"
    with pytest.raises(PresentationRequestError):
        wallet.send(wallet.present(wallet.open_request(link)))


def test_the_status_poll_answers_only_the_desk(desk: Desk, landlord: Service) -> None:
    page = desk.check()
    transaction_id = page.rsplit("/", 1)[1]
    poll = f"/oid4vp/transactions/{transaction_id}"
    assert desk.http.get(poll).json()["status"] == "pending"
    with httpx.Client(base_url=landlord.url, timeout=30) as stranger:
        assert stranger.get(poll).status_code == 404
    other = Desk(landlord.url)
    try:
        assert other.http.get(poll).status_code == 404
    finally:
        other.http.close()
