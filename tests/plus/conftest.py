"""Plus fixtures: the issuer on a real uvicorn server on 127.0.0.1 (SQLite and PostgreSQL),
with a clock the tests move, and the landlord registered as a recipient.

The database fixtures (``backend``, ``settings_for``, the PostgreSQL cluster) and the
CLI-started multi-worker ``server`` are the issuer tests' own.
"""

from __future__ import annotations

import dataclasses
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
import uvicorn
from issuer.conftest import (  # noqa: F401 - shared fixtures of the issuer tests
    RunningServer,
    backend,
    new_database_url,
    postgres_server_url,
    server,
    settings_for,
)
from issuer.support import ADMIN, BASE_URL, free_port

from vc_core import KeyPair, did_key
from vc_issuer.issuer import Issuer
from vc_issuer.plus import PlusService
from vc_issuer.settings import IssuerSettings
from vc_issuer.web import create_app
from vc_verifier import PlusClient, Verifier

LANDLORD = "did:web:verhuur.example.nl"
PURPOSE = "toewijzing-huurwoning"
INCOME = "InkomensverklaringCredential_ldp_vc"
PERSON = "PersoonsgegevensCredential_ldp_vc"
TRUSTED = {
    "did:web:issuer.example.nl:belastingdienst": [
        "InkomensverklaringCredential",
        f"{BASE_URL}/belastingdienst/vct/InkomensverklaringCredential",
    ],
    "did:web:issuer.example.nl:brp": [
        "PersoonsgegevensCredential",
        f"{BASE_URL}/brp/vct/PersoonsgegevensCredential",
    ],
}
# What the landlord is registered to receive, per source.
ALLOWED = {
    "belastingdienst": (INCOME, ["belastingjaar", "verzamelinkomen", "inkomenstoets"]),
    "brp": (PERSON, ["geslachtsnaam", "voorvoegsel", "adres"]),
}


class Loopback(httpx.BaseTransport):
    """Sends requests for the issuer's https URLs to the plain-http server on 127.0.0.1.

    Implementation note: the request the client sees keeps its https URL, so the
    cookie jar keeps the (Secure) demo session cookie for issuer.example.nl.
    """

    def __init__(self, port: int) -> None:
        self._port = port
        self._inner = httpx.HTTPTransport()

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        if request.url.host != "issuer.example.nl":
            raise httpx.ConnectError(f"only the issuer is reachable, not {request.url.host}")
        local = request.url.copy_with(scheme="http", host="127.0.0.1", port=self._port)
        forwarded = httpx.Request(
            request.method,
            local,
            headers=request.headers,
            stream=request.stream,
            extensions=request.extensions,
        )
        return self._inner.handle_request(forwarded)

    def close(self) -> None:
        self._inner.close()


class MovableClock:
    """The real time, moved forward by what the test adds."""

    def __init__(self) -> None:
        self.offset = timedelta(0)

    def __call__(self) -> datetime:
        return datetime.now(UTC) + self.offset

    def advance(self, delta: timedelta) -> None:
        self.offset += delta


@dataclass(frozen=True)
class Recipient:
    """A registered recipient: its DID and key, and how it fetches and verifies."""

    did: str
    key: KeyPair

    def client(self, http: httpx.Client, clock: Callable[[], datetime]) -> PlusClient:
        return PlusClient(client_id=self.did, signing_key=self.key, http=http, clock=clock)

    def verifier(self, http: httpx.Client, clock: Callable[[], datetime]) -> Verifier:
        return Verifier(
            client_id=f"decentralized_identifier:{self.did}",
            signing_key=self.key,
            trusted_issuers=TRUSTED,
            http=http,
            clock=clock,
        )


def web_key(did: str) -> KeyPair:
    return dataclasses.replace(KeyPair.generate("P-256"), id=f"{did}#key-1", controller=did)


def registration(recipient: Recipient, source: str, *, name: str) -> dict[str, Any]:
    configuration, claims = ALLOWED[source]
    body: dict[str, Any] = {
        "did": recipient.did,
        "name": name,
        "purposes": [PURPOSE],
        "scopes": [
            {
                "credential_configuration_id": configuration,
                "claims": [{"path": ["credentialSubject", *c.split("/")]} for c in claims],
            }
        ],
    }
    if recipient.did.startswith("did:web:"):
        body["keys"] = [
            {"id": recipient.key.id, "publicKeyMultibase": recipient.key.public.multibase}
        ]
    return body


def register(http: httpx.Client, recipient: Recipient, *, name: str) -> None:
    for source in ALLOWED:
        done = http.post(
            f"/admin/{source}/plus/recipients",
            json=registration(recipient, source, name=name),
            headers=ADMIN,
        )
        assert done.status_code == 201, done.text


@dataclass(frozen=True)
class PlusServer:
    """The issuer app under uvicorn on 127.0.0.1 (a thread of this process)."""

    issuer: Issuer
    plus: PlusService
    clock: MovableClock
    port: int
    landlord: Recipient
    corporation: Recipient

    def client(self) -> httpx.Client:
        """An httpx client reaching the server under its public https base URL."""
        return httpx.Client(transport=Loopback(self.port), base_url=BASE_URL, timeout=30)


@pytest.fixture(scope="session")
def plus_server(
    backend: str,  # noqa: F811 - the issuer tests' fixture, imported above
    settings_for: Callable[..., IssuerSettings],  # noqa: F811
) -> Iterator[PlusServer]:
    issuer = Issuer.from_settings(settings_for(backend))
    clock = MovableClock()
    app = create_app(issuer, clock=clock)
    port = free_port()
    uvicorn_server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning")
    )
    thread = threading.Thread(target=uvicorn_server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not uvicorn_server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            pytest.fail("uvicorn did not start")
        time.sleep(0.05)
    landlord = Recipient(LANDLORD, web_key(LANDLORD))
    corporation_key = KeyPair.generate("P-256")
    corporation = Recipient(did_key(corporation_key), corporation_key)
    running = PlusServer(issuer, app.state.plus, clock, port, landlord, corporation)
    with running.client() as http:
        register(http, landlord, name="Verhuur BV")
        register(http, corporation, name="Woningcorporatie Thuis")
    try:
        yield running
    finally:
        uvicorn_server.should_exit = True
        thread.join(timeout=15)
        issuer.db.dispose()
