"""The connection guards with short timeouts, on a real uvicorn server (httptools) in a thread.

:class:`~vc_core.limits.HeaderGuard` cuts off headers that trickle in (1 s
here), also on a kept-alive connection after a first response, and answers 431
to a request line with headers over 16 KiB, however they arrive (and closes a
connection whose chunked body brings more than 16 KiB of chunk sizes and trailers);
:class:`~vc_core.limits.RequestGuard` answers 408 to a body that stalls (0.5 s
between chunks) or trickles past its deadline (2 s). uvicorn's own keep-alive
timeout and connection limit still hold with the guard in place.
"""

from __future__ import annotations

import select
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
import uvicorn
from fastapi import FastAPI, Request
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from tests.issuer.support import free_port
from vc_core.limits import HeaderGuard, RequestGuard

LIMIT = HeaderGuard.max_head_bytes


class _QuickGuard(HeaderGuard, HttpToolsProtocol):
    header_timeout = 1.0


def _echo_app() -> FastAPI:
    app = FastAPI()

    @app.post("/echo")
    async def echo(request: Request) -> dict[str, int]:
        return {"bytes": len(await request.body())}

    @app.get("/")
    def root() -> dict[str, bool]:
        return {"ok": True}

    return app


class _Guard(HeaderGuard, HttpToolsProtocol):
    """The guard as served: 10 s for headers."""


@contextmanager
def _serving(protocol: type[HttpToolsProtocol] = _QuickGuard, **config: Any) -> Iterator[int]:
    """A guarded app under uvicorn (httptools, uvloop) in a thread, 1 s for headers unless
    ``protocol`` says otherwise, 0.5 s idle and 2 s per body; yields its port."""
    app = RequestGuard(_echo_app(), idle_timeout=0.5, body_timeout=2.0)
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(
            app,
            host="127.0.0.1",
            port=port,
            http=protocol,
            loop="uvloop",
            log_level="error",
            **config,
        )
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        assert thread.is_alive()
        time.sleep(0.05)
    yield port
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def quick() -> Iterator[int]:
    """The guarded app with 1 s for headers."""
    with _serving() as port:
        yield port


def _response(connection: socket.socket) -> bytes:
    """One whole response (head and ``Content-Length`` body) from a kept-alive connection."""
    connection.settimeout(5)
    received = b""
    while b"\r\n\r\n" not in received:
        chunk = connection.recv(1)
        assert chunk, f"the connection closed after {received!r}"
        received += chunk
    length = next(
        int(line.partition(b":")[2])
        for line in received.lower().split(b"\r\n")
        if line.startswith(b"content-length:")
    )
    while len(received.partition(b"\r\n\r\n")[2]) < length:
        received += connection.recv(length)
    return received


def _everything(connection: socket.socket) -> bytes:
    """All the server sends until it closes the connection (or 5 s pass: then ``<open>``)."""
    connection.settimeout(5)
    received = b""
    try:
        while chunk := connection.recv(65536):
            received += chunk
    except TimeoutError:
        return received + b"<open>"
    except ConnectionResetError:
        pass
    return received


def _get(extra: bytes = b"", *, path: bytes = b"/") -> bytes:
    return b"GET " + path + b" HTTP/1.1\r\nHost: x\r\n" + extra + b"\r\n"


def _header(size: int) -> bytes:
    """One header field line of ``size`` bytes."""
    return b"X-Big: " + b"a" * (size - 9) + b"\r\n"


def _send_until_closed(connection: socket.socket) -> int:
    """Send 1 KiB at a time until the server closes the connection or 64 KiB are sent; return
    how many bytes went out."""
    sent = 0
    try:
        while sent < 4 * LIMIT:
            connection.sendall(b"z" * 1024)
            sent += 1024
            time.sleep(0.005)
    except OSError:
        pass  # closed by the server
    return sent


def _refused_as_too_large(answer: bytes) -> bool:
    head, _, body = answer.partition(b"\r\n\r\n")
    return (
        head.startswith(b"HTTP/1.1 431 ")
        and b"connection: close" in head
        and b"application/problem+json" in head
        and b'"code": "HEADERS_TOO_LARGE"' in body
        and not body.endswith(b"<open>")
    )


def test_a_stalled_body_gets_408(quick: int) -> None:
    with socket.create_connection(("127.0.0.1", quick)) as connection:
        connection.sendall(b"POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n0123")
        assert _response(connection).startswith(b"HTTP/1.1 408 ")


def test_a_trickling_body_gets_408_at_its_deadline(quick: int) -> None:
    with socket.create_connection(("127.0.0.1", quick)) as connection:
        connection.sendall(b"POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n")
        connection.setblocking(False)
        answer = b""
        for _ in range(40):  # a byte every 0.2 s: never idle, but 8 s in all
            readable, _, _ = select.select([connection], [], [], 0.2)
            if readable:
                answer = connection.recv(4096)
                break
            connection.send(b"x")
        assert answer.startswith(b"HTTP/1.1 408 ")


def test_a_kept_alive_connection_is_cut_off_when_the_next_headers_trickle(quick: int) -> None:
    with socket.create_connection(("127.0.0.1", quick)) as connection:
        connection.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
        assert _response(connection).startswith(b"HTTP/1.1 200 ")
        connection.settimeout(0.3)
        closed = False
        for _ in range(30):  # a header byte every 0.3 s would go on for 9 s
            try:
                connection.sendall(b"G")
                closed = connection.recv(1024) == b""
            except TimeoutError:
                continue
            except OSError:
                closed = True
            if closed:
                break
        assert closed


def test_headers_over_16_kib_in_one_piece_get_431_and_the_connection_closes(quick: int) -> None:
    with socket.create_connection(("127.0.0.1", quick)) as connection:
        connection.sendall(_get(_header(LIMIT)))
        assert _refused_as_too_large(_everything(connection))


def test_headers_just_under_16_kib_are_served(quick: int) -> None:
    with socket.create_connection(("127.0.0.1", quick)) as connection:
        request = _get(b"Connection: close\r\n")
        connection.sendall(_get(b"Connection: close\r\n" + _header(LIMIT - len(request) - 100)))
        assert _everything(connection).startswith(b"HTTP/1.1 200 ")


def test_many_header_fields_add_up_to_the_limit(quick: int) -> None:
    fields = b"".join(b"X-Field-%d: %s\r\n" % (n, b"b" * 100) for n in range(170))
    with socket.create_connection(("127.0.0.1", quick)) as connection:
        connection.sendall(_get(fields))
        assert _refused_as_too_large(_everything(connection))


def test_a_long_request_target_counts(quick: int) -> None:
    with socket.create_connection(("127.0.0.1", quick)) as connection:
        connection.sendall(_get(path=b"/?q=" + b"c" * LIMIT))
        assert _refused_as_too_large(_everything(connection))


@pytest.mark.parametrize("first_request", [False, True], ids=["fresh", "kept-alive"])
def test_an_endless_head_is_refused_once_16_kib_are_in(quick: int, first_request: bool) -> None:
    """Headers that never end, 1 KiB at a time: refused when the limit is passed, not buffered on;
    also on a kept-alive connection after a first response."""
    with socket.create_connection(("127.0.0.1", quick)) as connection:
        if first_request:
            connection.sendall(_get())
            assert _response(connection).startswith(b"HTTP/1.1 200 ")
        connection.sendall(b"GET / HTTP/1.1\r\nHost: x\r\nX-Endless: ")
        assert _send_until_closed(connection) < 2 * LIMIT
        assert _refused_as_too_large(_everything(connection))


def test_an_endless_trailer_field_closes_the_connection(quick: int) -> None:
    """Chunk sizes and trailer fields may take 16 KiB while a body arrives, not endless bytes."""
    with socket.create_connection(("127.0.0.1", quick)) as connection:
        connection.sendall(
            b"POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
            b"5\r\nhello\r\n0\r\nX-Trailer: "
        )
        assert _send_until_closed(connection) < 2 * LIMIT
        assert not _everything(connection).endswith(b"<open>")


def test_a_chunked_body_in_small_chunks_with_a_trailer_is_served(quick: int) -> None:
    with socket.create_connection(("127.0.0.1", quick)) as connection:
        connection.sendall(
            b"POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n"
            b"Connection: close\r\n\r\n"
        )
        for _ in range(3 * LIMIT // 256):
            connection.sendall(b"100\r\n" + b"f" * 256 + b"\r\n")
        connection.sendall(b"0\r\nX-Checksum: none\r\n\r\n")
        assert _everything(connection).endswith(b'{"bytes":%d}' % (3 * LIMIT))


def test_a_large_body_behind_a_small_head_is_not_counted_as_headers(quick: int) -> None:
    body = b"e" * (3 * LIMIT)
    with socket.create_connection(("127.0.0.1", quick)) as connection:
        connection.sendall(
            b"POST /echo HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
            b"Content-Length: %d\r\n\r\n%s" % (len(body), body)
        )
        answer = _everything(connection)
        assert answer.startswith(b"HTTP/1.1 200 ")
        assert answer.endswith(b'{"bytes":%d}' % len(body))


def test_the_limit_is_per_request_on_a_kept_alive_connection(quick: int) -> None:
    """Requests that together pass 16 KiB are all served; the next too large one is refused."""
    requests = [_get(_header(1024)) for _ in range(30)]
    with socket.create_connection(("127.0.0.1", quick)) as connection:
        for request in requests:
            connection.sendall(request)
            assert _response(connection).startswith(b"HTTP/1.1 200 ")
        connection.sendall(_get(_header(LIMIT)))
        assert _refused_as_too_large(_everything(connection))


def test_a_pipelined_request_with_too_large_headers_is_refused_after_the_first_response(
    quick: int,
) -> None:
    with socket.create_connection(("127.0.0.1", quick)) as connection:
        connection.sendall(_get() + _get(_header(LIMIT)) + _get())
        first, second = _everything(connection).split(b"HTTP/1.1 ")[1:]
        assert first.startswith(b"200 ")
        assert _refused_as_too_large(b"HTTP/1.1 " + second)


def test_an_idle_kept_alive_connection_closes_after_the_keep_alive_timeout() -> None:
    """uvicorn's keep-alive timeout (1 s here) closes it, well before the header deadline."""
    with (
        _serving(_Guard, timeout_keep_alive=1) as port,
        socket.create_connection(("127.0.0.1", port)) as connection,
    ):
        connection.sendall(_get())
        assert _response(connection).startswith(b"HTTP/1.1 200 ")
        assert _everything(connection) == b""  # closed (else b"<open>" after 5 s)


def test_past_the_connection_limit_requests_get_503() -> None:
    """With 2 allowed, a second open connection's request gets 503 (the connections count)."""
    with (
        _serving(limit_concurrency=2) as port,
        socket.create_connection(("127.0.0.1", port)) as first,
    ):
        first.sendall(_get())
        assert _response(first).startswith(b"HTTP/1.1 200 ")
        with socket.create_connection(("127.0.0.1", port)) as second:
            second.sendall(_get())
            assert _response(second).startswith(b"HTTP/1.1 503 ")
