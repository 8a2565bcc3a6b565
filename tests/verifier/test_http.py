"""vc_verifier.http against a real HTTPS server on 127.0.0.1: status lists, did:web, no 3xx."""

from __future__ import annotations

import http.server
import json
import ssl
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest

from tests.loopback import tls_files
from vc_core import KeyPair, StatusList
from vc_core.errors import FetchError, StatusListError
from vc_verifier import MemoryTransactions, Verifier, http_fetch

from .helpers import (
    CLIENT_ID,
    FACTS,
    Holder,
    Issuer,
    disclose,
    income_subject,
    issue,
    now,
    present,
    status_entries,
    status_list_credential,
)


@dataclass
class Site:
    """What the server answers: path -> (status, headers, body); and what it was asked."""

    routes: dict[str, tuple[int, dict[str, str], bytes]] = field(default_factory=dict)
    hits: list[str] = field(default_factory=list)
    port: int = 0

    @property
    def base(self) -> str:
        return f"https://localhost:{self.port}"


def _handler(site: Site) -> type[http.server.BaseHTTPRequestHandler]:
    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            site.hits.append(self.path)
            if self.path == "/slow":
                time.sleep(0.8)
            status, headers, body = site.routes.get(self.path, (404, {}, b"not found"))
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            if "Content-Length" not in headers and self.path != "/unsized":
                self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            if self.path == "/unsized":
                self.close_connection = True

        def log_message(self, format: str, *args: object) -> None:
            pass

    return Handler


@pytest.fixture(scope="module")
def tls(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Path]:
    return tls_files(tmp_path_factory.mktemp("tls"))


@pytest.fixture
def site(tls: tuple[Path, Path, Path]) -> Iterator[Site]:
    _ca, cert, key = tls
    site = Site()
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _handler(site))
    server.daemon_threads = True
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    site.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield site
    server.shutdown()
    server.server_close()


@pytest.fixture
def client(tls: tuple[Path, Path, Path]) -> Iterator[httpx.Client]:
    with httpx.Client(verify=ssl.create_default_context(cafile=str(tls[0])), timeout=5) as c:
        yield c


def test_fetches_over_real_tls(site: Site, client: httpx.Client) -> None:
    site.routes["/doc"] = (200, {"Content-Type": "application/json"}, b'{"ok": true}')
    fetch = http_fetch(client)
    assert fetch(f"{site.base}/doc", accept="application/json") == b'{"ok": true}'


def test_redirect_is_refused_and_not_followed(site: Site, client: httpx.Client) -> None:
    site.routes["/moved"] = (302, {"Location": "/doc"}, b"")
    site.routes["/doc"] = (200, {}, b"{}")
    with pytest.raises(FetchError) as caught:
        http_fetch(client)(f"{site.base}/moved", accept="application/json")
    assert caught.value.code == "FETCH_ERROR"
    assert "redirect" in caught.value.detail
    assert site.hits == ["/moved"]


@pytest.mark.parametrize(
    ("path", "route", "message"),
    [
        ("/missing", None, "HTTP 404"),
        ("/big", (200, {"Content-Length": "999999"}, b""), "declares"),
        ("/unsized", (200, {}, b"x" * 5000), "more than"),
        ("/slow", (200, {}, b"{}"), "Timeout"),
    ],
    ids=["404", "declared-too-big", "streamed-too-big", "timeout"],
)
def test_failures_are_fetch_errors(
    site: Site,
    client: httpx.Client,
    path: str,
    route: tuple[int, dict[str, str], bytes] | None,
    message: str,
) -> None:
    if route is not None:
        site.routes[path] = route
    fetch = http_fetch(client, max_bytes=1000, timeout=0.3)
    with pytest.raises(FetchError) as caught:
        fetch(f"{site.base}{path}", accept="application/json")
    assert message in caught.value.detail


def test_plain_http_and_bad_urls_are_refused_without_a_request(client: httpx.Client) -> None:
    fetch = http_fetch(client)
    for url in ("http://localhost:1/x", "file:///etc/passwd", "not a url"):
        with pytest.raises(FetchError):
            fetch(url, accept="application/json")
    with pytest.raises(TypeError):
        http_fetch("client")  # type: ignore[arg-type]


def test_verifier_over_real_https_with_did_web_and_status_lists(
    site: Site, client: httpx.Client
) -> None:
    """did.json and both status lists come from the server, through vc_verifier.http."""
    issuer = Issuer.on_web(f"did:web:localhost%3A{site.port}:belastingdienst")
    revocation = f"{site.base}/belastingdienst/status/revocation/1"
    suspension = f"{site.base}/belastingdienst/status/suspension/1"
    holder = Holder.new()
    base = issue(
        issuer,
        income_subject(holder.did),
        status=status_entries(7, revocation=revocation, suspension=suspension),
    )
    vp = present(holder, [disclose(base, FACTS)], challenge="nonce-1")
    json_type = {"Content-Type": "application/vc"}
    site.routes["/belastingdienst/did.json"] = (
        200,
        {"Content-Type": "application/did+json"},
        json.dumps(issuer.did_document()).encode(),
    )
    for url, purpose in ((revocation, "revocation"), (suspension, "suspension")):
        document = status_list_credential(issuer, url, purpose, StatusList.new())
        site.routes[url.removeprefix(site.base)] = (
            200,
            json_type,
            json.dumps(document).encode(),
        )
    verifier = Verifier(
        client_id=CLIENT_ID,
        signing_key=KeyPair.generate("P-256"),
        signing_kid="did:web:verhuur.example.nl#key-1",
        trusted_issuers={issuer.did: ["InkomensverklaringCredential"]},
        transactions=MemoryTransactions(),
        http=client,
        clock=now,
    )
    verified = verifier.verify_presentation(vp, challenge="nonce-1", domain=CLIENT_ID)
    assert verified.credentials[0].issuer == issuer.did
    assert sorted(site.hits) == [
        "/belastingdienst/did.json",
        "/belastingdienst/status/revocation/1",
        "/belastingdienst/status/suspension/1",
    ]

    # A status list that moved (3xx) is not followed: the status cannot be retrieved.
    site.routes["/belastingdienst/status/revocation/1"] = (301, {"Location": "/elsewhere"}, b"")
    fresh = Verifier(
        client_id=CLIENT_ID,
        signing_key=KeyPair.generate("P-256"),
        signing_kid="did:web:verhuur.example.nl#key-1",
        trusted_issuers={issuer.did: ["InkomensverklaringCredential"]},
        http=client,
        clock=now,
    )
    with pytest.raises(StatusListError) as caught:
        fresh.verify_presentation(vp, challenge="nonce-1", domain=CLIENT_ID)
    assert caught.value.code == "STATUS_RETRIEVAL_ERROR"
    assert "/elsewhere" not in site.hits
