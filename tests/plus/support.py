"""Helpers of the Plus tests: logins, grants, raw recipient requests, wallets."""

from __future__ import annotations

import json
import secrets
import time
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

import httpx
from issuer.support import BASE_URL, DEMO_BSN, client_fetch, make_offer

from vc_core import KeyPair
from vc_core.did import dereference_verification_method
from vc_core.jws import sign_jws
from vc_core.keys import PublicKey
from vc_issuer.plus import CLIENT_ASSERTION_TYP, CLIENT_ASSERTION_TYPE, scope_item
from wallet_sdk import MemoryStore, Wallet

from .conftest import INCOME, LANDLORD, PERSON, PURPOSE, Recipient

TAX = f"{BASE_URL}/belastingdienst"
BRP = f"{BASE_URL}/brp"


def income(*claims: str) -> dict[str, Any]:
    return scope_item(TAX, INCOME, claims or ("belastingjaar", "verzamelinkomen"))


def person(*claims: str) -> dict[str, Any]:
    return scope_item(BRP, PERSON, claims or ("geslachtsnaam", "adres/woonplaats"))


def login(http: httpx.Client, bsn: str = DEMO_BSN) -> None:
    done = http.post("/demo-login", data={"bsn": bsn})
    assert done.status_code == 200, done.text


def grant_by_login(
    http: httpx.Client,
    items: Sequence[dict[str, Any]],
    *,
    recipient: str = LANDLORD,
    **terms: Any,
) -> dict[str, Any]:
    body = {"recipient": recipient, "purpose": PURPOSE, "authorization_details": list(items)}
    done = http.post("/plus/grants", json={**body, **terms})
    assert done.status_code == 201, done.text
    view: dict[str, Any] = done.json()
    return view


def compact_for(document: dict[str, Any], location: str) -> str:
    """The grant JWT one source signed (its signature with the shared payload)."""
    for signature in document["signatures"]:
        header = json.loads(_b64(signature["protected"]))
        if header["iss"] == location:
            return f"{signature['protected']}.{document['payload']}.{signature['signature']}"
    raise AssertionError(f"no signature of {location}")


def _b64(part: str) -> bytes:
    import base64

    return base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))


def assertion(
    recipient: Recipient,
    audience: str,
    *,
    clock: Callable[[], datetime],
    key: KeyPair | None = None,
    claims: dict[str, Any] | None = None,
) -> str:
    """A client assertion as ``recipient`` (signed with ``key``, default its own)."""
    now = int(clock().timestamp())
    payload = {
        "iss": recipient.did,
        "sub": recipient.did,
        "aud": audience,
        "jti": secrets.token_urlsafe(16),
        "iat": now,
        "exp": now + 60,
        **(claims or {}),
    }
    signer = key or recipient.key
    kid = recipient.key.id or f"{recipient.did}#{recipient.key.public.multibase}"
    return sign_jws(payload, signer, typ=CLIENT_ASSERTION_TYP, kid=kid)


def raw_fetch(
    http: httpx.Client,
    location: str,
    grant: str,
    client_assertion: str,
    **extra: str,
) -> httpx.Response:
    form = {
        "client_assertion_type": CLIENT_ASSERTION_TYPE,
        "client_assertion": client_assertion,
        "grant": grant,
        **extra,
    }
    return http.post(f"{location}/plus/credential", data=form)


def assert_oauth(response: httpx.Response, status: int, error: str) -> None:
    assert response.status_code == status, response.text
    assert response.json()["error"] == error, response.text


def wallet_with(
    http: httpx.Client, trusted: dict[str, str], clock: Callable[[], datetime], *sources: str
) -> Wallet:
    """A wallet that received the demo citizen's credentials of ``sources``."""
    wallet = Wallet(store=MemoryStore(), http=http, trusted_issuers=trusted, clock=clock)
    for source in sources:
        offer = make_offer(http, source)
        wallet.accept_offer(wallet.parse_offer(offer["offer_uri"]), tx_code=offer["tx_code"])
    return wallet


def source_keys(http: httpx.Client) -> Callable[[str], PublicKey]:
    """Resolve a source's did:web key through ``http`` (for checking what a source signed)."""

    def key_of(kid: str) -> PublicKey:
        return dereference_verification_method(kid, fetch=client_fetch(http)).public_key

    return key_of


def wait_for(condition: Callable[[], bool], timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.01)
