"""The wallet and hostile QR codes: URLs into the network the phone is on are refused.

A real TLS server on 127.0.0.1 (its own test CA) stands in for a service on
the phone's network. An untrusted ``credential_offer_uri`` or ``request_uri``
pointing there (by IP, or by a name that resolves there) is refused before any
connection; a trusted development issuer or verifier on ``localhost`` is
reached. A name is resolved once, every address checked, and the connection
goes to the checked address with the name kept for TLS (DNS rebinding).
"""

from __future__ import annotations

import ipaddress
import ssl
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest
import uvicorn
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, PlainTextResponse, StreamingResponse

from tests.issuer.support import free_port
from tests.loopback import tls_files
from vc_core.errors import FetchError
from wallet_sdk import MemoryStore, Wallet
from wallet_sdk.errors import PresentationRequestError
from wallet_sdk.http import WalletHttp
from wallet_sdk.offers import CredentialOfferReference

NAMES = ("localhost", "rebind.test")


@dataclass
class Seen:
    """What the server was asked: the Host header of every request."""

    hosts: list[str] = field(default_factory=list)


def _app(seen: Seen) -> FastAPI:
    app = FastAPI()

    @app.middleware("http")
    async def record(request: Request, call_next):  # type: ignore[no-untyped-def]
        seen.hosts.append(request.headers.get("host", ""))
        return await call_next(request)

    @app.get("/doc")
    def doc() -> JSONResponse:
        return JSONResponse({"served": True})

    @app.get("/request")
    def request_object() -> PlainTextResponse:
        return PlainTextResponse("not.a.jwt", media_type="application/oauth-authz-req+jwt")

    @app.get("/slow")
    def slow() -> StreamingResponse:
        def drip() -> Iterator[bytes]:
            for _ in range(20):
                time.sleep(0.3)
                yield b" "

        return StreamingResponse(drip(), media_type="application/json")

    return app


@dataclass(frozen=True)
class TlsServer:
    port: int
    ca: Path
    seen: Seen

    def client(self) -> httpx.Client:
        return httpx.Client(verify=ssl.create_default_context(cafile=str(self.ca)), timeout=10)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TlsServer]:
    ca, cert, key = tls_files(tmp_path_factory.mktemp("tls"), NAMES, ["127.0.0.1"])
    seen = Seen()
    port = free_port()
    config = uvicorn.Config(
        _app(seen),
        host="127.0.0.1",
        port=port,
        ssl_certfile=str(cert),
        ssl_keyfile=str(key),
        log_level="error",
    )
    running = uvicorn.Server(config)
    thread = threading.Thread(target=running.run, daemon=True)
    thread.start()
    while not running.started:
        assert thread.is_alive()
        time.sleep(0.05)
    yield TlsServer(port, ca, seen)
    running.should_exit = True
    thread.join(timeout=10)


def _request_text(request_uri: str) -> str:
    return (
        "openid4vp://?client_id=decentralized_identifier:did:web:verhuur.example.nl"
        f"&request_uri={request_uri}"
    )


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost"])
def test_a_request_uri_into_the_local_network_is_refused_unseen(
    server: TlsServer, host: str
) -> None:
    before = len(server.seen.hosts)
    with server.client() as client:
        wallet = Wallet(store=MemoryStore(), http=client, trusted_issuers=[])
        with pytest.raises(PresentationRequestError) as refused:
            wallet.open_request(_request_text(f"https://{host}:{server.port}/request"))
    assert "private, loopback or link-local" in refused.value.detail
    assert len(server.seen.hosts) == before


@pytest.mark.parametrize(
    "url",
    [
        "https://169.254.169.254/latest/meta-data/",
        "https://10.0.0.1/offer",
        "https://[::1]/offer",
        "https://[::ffff:192.168.1.1]/offer",
        "https://100.64.0.1/offer",
    ],
)
def test_an_offer_uri_into_the_local_network_is_refused(server: TlsServer, url: str) -> None:
    with server.client() as client:
        wallet = Wallet(store=MemoryStore(), http=client, trusted_issuers=[])
        with pytest.raises(FetchError, match="private, loopback or link-local"):
            wallet.preview_offer(CredentialOfferReference(url))


def test_a_trusted_development_verifier_on_localhost_is_reached(server: TlsServer) -> None:
    origin = f"https://localhost:{server.port}"
    with server.client() as client:
        wallet = Wallet(
            store=MemoryStore(), http=client, trusted_issuers=[], trusted_verifiers=[origin]
        )
        with pytest.raises(PresentationRequestError) as refused:
            wallet.open_request(_request_text(f"{origin}/request"))
    # It got as far as the (junk) request object the server sent.
    assert "private" not in refused.value.detail
    assert server.seen.hosts[-1] == f"localhost:{server.port}"


def test_a_name_is_resolved_once_and_the_checked_address_is_used(server: TlsServer) -> None:
    answers = iter([["127.0.0.1"], ["10.9.8.7"]])  # the second would be the rebinding
    asked: list[str] = []

    def resolve(host: str, port: int) -> list[str]:
        asked.append(host)
        return next(answers)

    loopback_only = ipaddress.ip_address("127.0.0.1")
    with server.client() as client:
        door = WalletHttp(client, resolve=resolve, is_allowed_address=lambda a: a == loopback_only)
        body = door.fetch(f"https://rebind.test:{server.port}/doc", accept="application/json")
    assert body == b'{"served":true}'
    assert asked == ["rebind.test"]
    # TLS checked the certificate for the name, and the server saw the name.
    assert server.seen.hosts[-1] == f"rebind.test:{server.port}"


def test_every_address_of_a_name_is_checked(server: TlsServer) -> None:
    loopback_only = ipaddress.ip_address("127.0.0.1")
    before = len(server.seen.hosts)
    with server.client() as client:
        door = WalletHttp(
            client,
            resolve=lambda host, port: ["127.0.0.1", "192.168.0.10"],
            is_allowed_address=lambda a: a == loopback_only,
        )
        with pytest.raises(FetchError, match=r"192\.168\.0\.10"):
            door.fetch(f"https://rebind.test:{server.port}/doc", accept="application/json")
    assert len(server.seen.hosts) == before


def test_a_slow_answer_is_cut_off_at_the_deadline(server: TlsServer) -> None:
    origin = f"https://localhost:{server.port}"
    with server.client() as client:
        door = WalletHttp(client, trusted_origins=[origin], deadline=1.0)
        with pytest.raises(FetchError, match="took longer than 1 s"):
            door.fetch(f"{origin}/slow", accept="application/json")


@pytest.mark.parametrize(
    ("address", "public"),
    [
        ("127.0.0.1", False),
        ("10.1.2.3", False),
        ("172.16.0.1", False),
        ("192.168.1.1", False),
        ("169.254.169.254", False),
        ("100.64.0.1", False),
        ("0.0.0.0", False),
        ("224.0.0.1", False),
        ("::1", False),
        ("fe80::1", False),
        ("fc00::1", False),
        ("::ffff:127.0.0.1", False),
        ("93.184.215.14", True),
        ("2606:4700:4700::1111", True),
    ],
)
def test_public_addresses(address: str, public: bool) -> None:
    from wallet_sdk.http import is_public_address

    assert is_public_address(ipaddress.ip_address(address)) is public
