"""The load generator's HTTP/1.1 client: one keep-alive connection per wallet, on loopback.

The load benchmarks run the server, PostgreSQL and the wallets on the same two cores, so every
millisecond of CPU the wallets spend is taken from the server they measure. Client CPU per
request, measured on this machine (16 concurrent wallets in one process, alternating a GET and a
POST with a JSON body, 2 KB JSON responses parsed, a canned server in another process; 2026-12-07):

==========================================  =======  ======
client                                      asyncio  uvloop
==========================================  =======  ======
httpx.Client, one thread per wallet (old)    920 µs       -
httpx.AsyncClient                           1300 µs  1300 µs
aiohttp.ClientSession                        320 µs   260 µs
asyncio streams + httptools                  120 µs    90 µs
asyncio.Protocol + httptools (this module)    80 µs    50 µs
==========================================  =======  ======

In the load benchmark itself the server answers one response at a time, so nearly every
response wakes the wallets' process on its own; on this machine a wake-up costs about 60 µs of
CPU even for a blocking socket, and 130 to 180 µs for this client with one request in flight.
A whole flow (seven requests, a P-256 key and proof JWT, the JSON) then costs the wallets about
2 ms of CPU at some 35 flows/s, against 13 ms with the httpx threads (2026-12-07, 16 wallets,
PostgreSQL), and about 1.2 ms at 140 flows/s against a server that answers in 15 ms.

So this module is a small client written on ``asyncio.Protocol``, with ``httptools`` (the C
llhttp parser, which uvicorn can use too) doing the response framing: Content-Length and chunked
bodies, keep-alive. It speaks only what the issuer's routes need: no TLS, no redirects, no
compression, no body delimited by the end of the connection (refused as an error). A connection
the server closes (``Connection: close``, an idle timeout) is opened again for the next request;
a request that went out just as the server closed an idle connection, so that not one byte of an
answer came back, is sent once more on a new connection.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Coroutine, Mapping
from dataclasses import dataclass
from importlib.util import find_spec
from typing import Any, TypeVar
from urllib.parse import urlencode, urlsplit

import httptools

T = TypeVar("T")


class HttpError(Exception):
    """A request failed: an error status, no connection, a timeout or an invalid response."""


class ConnectionClosedError(HttpError):
    """The server closed the connection before the response was complete."""


@dataclass(frozen=True, slots=True)
class Response:
    status: int
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


class _Connection(asyncio.Protocol):
    """One HTTP/1.1 connection: at most one request in flight, its response parsed as it comes."""

    def __init__(self) -> None:
        self.parser = httptools.HttpResponseParser(self)
        self.transport: asyncio.Transport | None = None
        self.waiter: asyncio.Future[Response] | None = None
        self.timer: asyncio.TimerHandle | None = None
        self.body: list[bytes] = []
        self.answered = False  # a byte of the response in flight has arrived
        self.reused = False  # a response was complete on this connection before
        self.closed = False

    def send(self, request: bytes, timeout: float) -> asyncio.Future[Response]:
        """Write ``request``; the future gets its response or the error."""
        assert self.transport is not None
        assert self.waiter is None
        loop = asyncio.get_running_loop()
        self.waiter = loop.create_future()
        self.answered = False
        self.timer = loop.call_later(timeout, self.fail, HttpError(f"no response in {timeout} s"))
        self.transport.write(request)
        return self.waiter

    def data_received(self, data: bytes) -> None:
        self.answered = True
        try:
            self.parser.feed_data(data)
        except httptools.HttpParserError as exc:
            self.fail(HttpError(f"invalid HTTP response: {exc}"))

    def on_body(self, body: bytes) -> None:
        self.body.append(body)

    def on_message_complete(self) -> None:
        response = Response(self.parser.get_status_code(), b"".join(self.body))
        self.body = []
        if self.waiter is None or not self.parser.should_keep_alive():
            self.close()  # a response nobody asked for, or the server's last on this connection
        self.reused = True
        self._settle(response)

    def connection_lost(self, exc: Exception | None) -> None:
        self.closed = True
        self._settle(ConnectionClosedError(f"connection closed: {exc or 'by the server'}"))

    def fail(self, error: HttpError) -> None:
        """End the request in flight with ``error``; the connection is not used again."""
        self.close()
        self._settle(error)

    def close(self) -> None:
        self.closed = True
        if self.transport is not None:
            self.transport.close()

    def _settle(self, outcome: Response | HttpError) -> None:
        waiter, self.waiter = self.waiter, None
        if self.timer is not None:
            self.timer.cancel()
            self.timer = None
        if waiter is None or waiter.done():
            return
        if isinstance(outcome, Response):
            waiter.set_result(outcome)
        else:
            waiter.set_exception(outcome)


class LoopbackClient:
    """Requests to a server on ``127.0.0.1:port`` as if to ``host``, over one connection.

    ``url`` may be a path or an absolute URL of the public origin: only its path and query are
    sent. Not safe for concurrent requests: one client per wallet task.
    """

    def __init__(self, port: int, *, host: str, timeout: float = 60) -> None:
        self.port = port
        self.host = host
        self.timeout = timeout
        self.connection: _Connection | None = None

    async def request(
        self,
        method: str,
        url: str,
        *,
        json_body: Any = None,
        form: Mapping[str, str] | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> Response:
        """Send one request; return its response if the status is 2xx, else raise HttpError."""
        parts = urlsplit(url)
        target = parts.path + (f"?{parts.query}" if parts.query else "")
        lines = [f"{method} {target} HTTP/1.1", f"Host: {self.host}"]
        body = b""
        if json_body is not None:
            body = json.dumps(json_body, separators=(",", ":")).encode()
            lines.append("Content-Type: application/json")
        elif form is not None:
            body = urlencode(form).encode()
            lines.append("Content-Type: application/x-www-form-urlencoded")
        if body or method not in ("GET", "HEAD"):
            lines.append(f"Content-Length: {len(body)}")
        lines.extend(f"{name}: {value}" for name, value in (headers or {}).items())
        request = ("\r\n".join(lines) + "\r\n\r\n").encode() + body
        connection = self.connection
        if connection is None or connection.closed:
            connection = await self._connect()
        try:
            response = await connection.send(request, self.timeout)
        except ConnectionClosedError:
            if not connection.reused or connection.answered:
                raise
            # Implementation note: the server closed this idle connection as the request went
            # out, and answered nothing: it did not handle it. Send it again, once.
            response = await (await self._connect()).send(request, self.timeout)
        if not 200 <= response.status < 300:
            raise HttpError(f"{method} {target}: status {response.status}: {response.body[:300]!r}")
        return response

    async def _connect(self) -> _Connection:
        loop = asyncio.get_running_loop()
        try:
            transport, connection = await loop.create_connection(
                _Connection, "127.0.0.1", self.port
            )
        except OSError as exc:
            raise HttpError(f"cannot connect to 127.0.0.1:{self.port}: {exc}") from exc
        # Implementation note: uvloop may call connection_made only after this returns.
        connection.transport = transport
        self.connection = connection
        return connection

    def close(self) -> None:
        if self.connection is not None:
            self.connection.close()
            self.connection = None


def event_loop_name() -> str:
    """``uvloop`` if it is installed (the cheaper loop, used then), else ``asyncio``."""
    return "asyncio" if find_spec("uvloop") is None else "uvloop"


def _new_event_loop() -> asyncio.AbstractEventLoop:
    try:
        import uvloop
    except ImportError:
        return asyncio.new_event_loop()
    return uvloop.new_event_loop()


def run_event_loop(main: Coroutine[Any, Any, T]) -> T:
    """Run ``main`` to completion on a new event loop (uvloop if installed)."""
    with asyncio.Runner(loop_factory=_new_event_loop) as runner:
        return runner.run(main)
