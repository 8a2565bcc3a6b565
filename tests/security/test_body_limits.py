"""Finding 1: a 64 MB body to any issuer or landlord endpoint is refused with 413 at once.

Every route of both apps gets a 64 MB request body (GET and form routes too),
declared with ``Content-Length`` and streamed with chunked transfer encoding,
before any authentication. The answer must be 413 while the client is still
sending, and the server process's peak resident memory may grow by less than
32 MB over all of it.
"""

from __future__ import annotations

import re
import select
import socket
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from vc_issuer.settings import IssuerSettings
from vc_issuer.web import create_app
from vc_verifier.landlord import create_landlord_app

from .conftest import ISSUER_HOST, LANDLORD_HOST, Service

BODY = 64 * 2**20
MEMORY_GROWTH = 32 * 2**20
_CHUNK = b"x" * 65536
_PARAMETER = re.compile(r"\{[^}]+\}")


def _routes(routes: Iterable[Any]) -> Iterator[tuple[str, str]]:
    """(method, path) of every route, those of included routers too; parameters filled in."""
    for route in routes:
        inner = getattr(route, "original_router", None)
        if inner is not None:
            yield from _routes(inner.routes)
            continue
        path = _PARAMETER.sub("x", route.path.replace("{source}", "belastingdienst"))
        for method in sorted(getattr(route, "methods", None) or ()):
            if method != "HEAD":
                yield method, path


def _body(size: int, *, chunked: bool) -> Iterator[bytes]:
    """``size`` bytes of body in 64 KiB pieces, framed as chunks when ``chunked``."""
    left = size
    while left:
        piece = _CHUNK[: min(left, len(_CHUNK))]
        left -= len(piece)
        yield f"{len(piece):x}\r\n".encode() + piece + b"\r\n" if chunked else piece
    if chunked:
        yield b"0\r\n\r\n"


@dataclass(frozen=True)
class Answer:
    """The answer's status and head, and how many body bytes were sent by then."""

    status: int
    head: str
    sent: int


def send_huge_body(
    port: int, method: str, path: str, *, host: str, chunked: bool, size: int = BODY
) -> Answer:
    """Send ``size`` bytes as a request body; return the answer (and the bytes sent by then).

    The body is declared with ``Content-Length`` or sent chunked; sending stops
    as soon as the server answers.
    """
    framing = "Transfer-Encoding: chunked" if chunked else f"Content-Length: {size}"
    head = (
        f"{method} {path} HTTP/1.1\r\nHost: {host}\r\n"
        f"Content-Type: application/x-www-form-urlencoded\r\n{framing}\r\n\r\n"
    )
    pieces = _body(size, chunked=chunked)
    answer, sent, pending = b"", 0, b""
    with socket.create_connection(("127.0.0.1", port), timeout=30) as connection:
        connection.sendall(head.encode())
        connection.setblocking(False)
        while b"\r\n\r\n" not in answer:
            pending = pending or next(pieces, b"")
            readable, writable, _ = select.select(
                [connection], [connection] if pending else [], [], 30
            )
            assert readable or writable, f"{method} {path}: no answer within 30 s"
            if readable:
                received = connection.recv(65536)
                assert received, f"{method} {path}: closed without an answer"
                answer += received
                continue
            try:
                written = connection.send(pending)
            except (BrokenPipeError, ConnectionResetError):
                # The server answered and closed; the answer is in the receive buffer.
                connection.setblocking(True)
                answer += connection.recv(65536)
                break
            pending, sent = pending[written:], sent + written
    head = answer.partition(b"\r\n\r\n")[0].decode("latin-1")
    return Answer(int(head.split(" ", 2)[1]), head.lower(), sent)


def _every_route(app: Any) -> list[tuple[str, str]]:
    found = sorted(set(_routes(app.routes)))
    assert len(found) > 5
    return found


ISSUER_ROUTES = _every_route(create_app(IssuerSettings.demo(demo_people=5)))
LANDLORD_ROUTES = _every_route(create_landlord_app())


def _refuse_everywhere(service: Service, routes: list[tuple[str, str]], host: str) -> None:
    before = service.peak_memory()
    for chunked in (False, True):
        for method, path in routes:
            answer = send_huge_body(service.port, method, path, host=host, chunked=chunked)
            assert answer.status == 413, (method, path, chunked)
            assert answer.sent < BODY, f"{method} {path}: the server waited for the whole body"
    grown = service.peak_memory() - before
    assert grown < MEMORY_GROWTH, f"peak memory grew by {grown / 2**20:.1f} MiB"


def test_every_issuer_route_refuses_a_64_mb_body(issuer: Service) -> None:
    _refuse_everywhere(issuer, ISSUER_ROUTES, ISSUER_HOST)


def test_every_landlord_route_refuses_a_64_mb_body(landlord: Service) -> None:
    _refuse_everywhere(landlord, LANDLORD_ROUTES, LANDLORD_HOST)


@pytest.mark.parametrize(
    ("method", "path", "allowed"),
    [
        ("POST", "/belastingdienst/credential", 256 * 1024),
        ("POST", "/belastingdienst/plus/credential", 256 * 1024),
        ("POST", "/credentials/verify", 1024 * 1024),
        ("POST", "/issuers/ecdsa-sd-2023/credentials/issue", 1024 * 1024),
        ("POST", "/admin/belastingdienst/offers", 64 * 1024),
    ],
)
def test_limits_are_per_route(issuer: Service, method: str, path: str, allowed: int) -> None:
    """A body just over a route's own limit is refused; one just under it reaches the route."""
    over = send_huge_body(
        issuer.port, method, path, host=ISSUER_HOST, chunked=True, size=allowed + 1
    )
    assert over.status == 413
    under = send_huge_body(
        issuer.port, method, path, host=ISSUER_HOST, chunked=False, size=allowed - 1024
    )
    assert under.status not in (413, 500)


@pytest.mark.parametrize(
    ("size", "chunked", "answered_by"),
    [(4 * 2**20 + 100_000, False, "text/html"), (5 * 2**20 + 1, True, "application/problem+json")],
    ids=["the-page", "the-guard"],
)
def test_the_landlords_pdf_upload_keeps_its_own_page_below_the_guards_cap(
    landlord: Service, size: int, chunked: bool, answered_by: str
) -> None:
    """Over 4 MiB the upload route answers with its own page; over 5 MiB the guard stops it."""
    answer = send_huge_body(
        landlord.port, "POST", "/pdf-controles", host=LANDLORD_HOST, chunked=chunked, size=size
    )
    assert answer.status == 413
    assert f"content-type: {answered_by}" in answer.head
