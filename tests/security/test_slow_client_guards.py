"""The slow-client guards with short timeouts, on a real uvicorn server in a thread.

:class:`~vc_core.limits.HeaderDeadline` (1 s here) cuts off headers that
trickle in, also on a kept-alive connection after a first response;
:class:`~vc_core.limits.RequestGuard` answers 408 to a body that stalls (0.5 s
between chunks) or trickles past its deadline (2 s).
"""

from __future__ import annotations

import select
import socket
import threading
import time
from collections.abc import Iterator

import pytest
import uvicorn
from fastapi import FastAPI, Request
from uvicorn.protocols.http.h11_impl import H11Protocol

from tests.issuer.support import free_port
from vc_core.limits import HeaderDeadline, RequestGuard


class _QuickDeadline(HeaderDeadline, H11Protocol):
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


@pytest.fixture(scope="module")
def quick() -> Iterator[int]:
    """A guarded app under uvicorn in a thread: 1 s for headers, 0.5 s idle and 2 s per body."""
    app = RequestGuard(_echo_app(), idle_timeout=0.5, body_timeout=2.0)
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, http=_QuickDeadline, log_level="error")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        assert thread.is_alive()
        time.sleep(0.05)
    yield port
    server.should_exit = True
    thread.join(timeout=10)


def _answer(connection: socket.socket) -> bytes:
    connection.settimeout(10)
    received = b""
    while b"\r\n\r\n" not in received:
        chunk = connection.recv(4096)
        if not chunk:
            break
        received += chunk
    return received


def test_a_stalled_body_gets_408(quick: int) -> None:
    with socket.create_connection(("127.0.0.1", quick)) as connection:
        connection.sendall(b"POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n0123")
        assert _answer(connection).startswith(b"HTTP/1.1 408 ")


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
        assert _answer(connection).startswith(b"HTTP/1.1 200 ")
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
