"""Limits for services that face untrusted clients: integers, request bodies, rates, headers.

The issuer service and the landlord's page share these (the role packages
never import each other), so nothing here imports a web framework:

- :func:`parse_int` reads an integer from untrusted text: ASCII digits only,
  bounded length (``"²".isdigit()`` is true, ``int("²")`` fails; ``"٣"`` is a
  digit ``int`` accepts; both are refused here).
- :class:`RateLimiter` is a token bucket per key (a client address, a
  session) in memory, answering how long to wait.
- :class:`RequestGuard` is plain ASGI middleware: before the application sees
  a request it applies per-client rate limits (``429`` with ``Retry-After``)
  and reads the body with a cap per route and read timeouts (``413``,
  ``408``), so neither a huge nor a slow body reaches authentication or a
  parser. :data:`GUARD_RESPONSES` documents those answers for OpenAPI.
- :class:`HeaderGuard` closes a connection whose request headers do not
  arrive in time and answers ``431`` to headers over 16 KiB (uvicorn's
  httptools protocol has neither limit of its own); :data:`SERVER_LIMITS` are
  the uvicorn settings the ``serve`` commands use.

>>> parse_int("42")
42
>>> parse_int("²")
Traceback (most recent call last):
...
vc_core.errors.ParsingError: PARSING_ERROR: the value must be ASCII digits, got '²'
>>> Rate.parse("20/minute")
Rate(count=20, seconds=60.0)
"""

from __future__ import annotations

import asyncio
import json
import math
import re
import threading
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Collection, MutableMapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from vc_core.errors import ParsingError

__all__ = [
    "GUARD_RESPONSES",
    "PROBLEM_SCHEMA",
    "SERVER_LIMITS",
    "AsgiApp",
    "BodyLimit",
    "ClientLimit",
    "HeaderGuard",
    "Message",
    "Rate",
    "RateLimiter",
    "Receive",
    "RequestGuard",
    "Scope",
    "Send",
    "client_address",
    "guard_reply",
    "parse_int",
    "retry_after",
]

_MAX_DIGITS = 18
_UNITS = {"second": 1.0, "minute": 60.0, "hour": 3600.0, "day": 86400.0}
_BODY_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
PROBLEM_JSON = "application/problem+json"

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
AsgiApp = Callable[[Scope, Receive, Send], Awaitable[None]]


def parse_int(text: object, *, max_digits: int = _MAX_DIGITS, name: str = "the value") -> int:
    """An integer from untrusted text: 1 to ``max_digits`` ASCII digits, nothing else.

    Signs, spaces, underscores, exponents and non-ASCII digits (``²``, ``٣``)
    are refused with ``ParsingError``, as is a longer string (``int()`` on
    huge digit strings is slow).

    >>> parse_int("0012", max_digits=4)
    12
    """
    if not isinstance(text, str) or not text or not text.isascii() or not text.isdigit():
        raise ParsingError(f"{name} must be ASCII digits, got {str(text)[:24]!r}")
    if len(text) > max_digits:
        raise ParsingError(f"{name} has more than {max_digits} digits")
    return int(text)


@dataclass(frozen=True, slots=True)
class Rate:
    """``count`` events per ``seconds``; written ``"<count>/<second|minute|hour|day>"``."""

    count: int
    seconds: float

    def __post_init__(self) -> None:
        if self.count < 1 or self.seconds <= 0:
            raise ValueError("a rate needs a positive count and period")

    @classmethod
    def parse(cls, text: str) -> Rate:
        """Read ``"20/minute"``; ``ValueError`` for anything else."""
        count, _, unit = text.strip().partition("/")
        if unit not in _UNITS:
            raise ValueError(f"a rate is <count>/<{'|'.join(_UNITS)}>, got {text!r}")
        try:
            return cls(parse_int(count, max_digits=9, name="a rate's count"), _UNITS[unit])
        except ParsingError as exc:
            raise ValueError(f"a rate is <count>/<unit>, got {text!r}: {exc.detail}") from None

    def __str__(self) -> str:
        unit = next((name for name, size in _UNITS.items() if size == self.seconds), None)
        return f"{self.count}/{unit}" if unit else f"{self.count}/{self.seconds:g}s"


class RateLimiter:
    """A token bucket per key: ``rate.count`` at once, refilled evenly over ``rate.seconds``.

    Kept in memory (per process) for at most ``max_keys`` keys, least recently
    seen dropped first (a dropped key starts full again, as an idle one would).
    Thread-safe. ``clock`` returns seconds (monotonic).

    >>> now = [0.0]
    >>> limiter = RateLimiter(Rate(2, 60), clock=lambda: now[0])
    >>> limiter.take("a"), limiter.take("a"), limiter.take("a")
    (0.0, 0.0, 30.0)
    >>> now[0] = 30.0
    >>> limiter.take("a")
    0.0
    """

    def __init__(
        self,
        rate: Rate,
        *,
        clock: Callable[[], float] = time.monotonic,
        max_keys: int = 100_000,
    ) -> None:
        self.rate = rate
        self._clock = clock
        self._max_keys = max_keys
        self._per_second = rate.count / rate.seconds
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()
        self._lock = threading.Lock()
        self.refused = 0

    def _level(self, key: str, now: float) -> float:
        tokens, at = self._buckets.get(key, (float(self.rate.count), now))
        return min(float(self.rate.count), tokens + (now - at) * self._per_second)

    def _store(self, key: str, tokens: float, now: float) -> None:
        self._buckets[key] = (tokens, now)
        self._buckets.move_to_end(key)
        while len(self._buckets) > self._max_keys:
            self._buckets.popitem(last=False)

    def wait(self, key: str) -> float:
        """Seconds until ``key`` may act again (0.0: now); takes nothing."""
        with self._lock:
            level = self._level(key, self._clock())
        return 0.0 if level >= 1.0 else (1.0 - level) / self._per_second

    def take(self, key: str) -> float:
        """Take a token for ``key``: 0.0 when allowed, else the seconds to wait (none taken)."""
        with self._lock:
            now = self._clock()
            level = self._level(key, now)
            if level < 1.0:
                self.refused += 1
                return (1.0 - level) / self._per_second
            self._store(key, level - 1.0, now)
            return 0.0

    def charge(self, key: str) -> None:
        """Count one event against ``key`` after the fact (the bucket stops at empty)."""
        with self._lock:
            now = self._clock()
            self._store(key, max(0.0, self._level(key, now) - 1.0), now)


def retry_after(seconds: float) -> str:
    """A ``Retry-After`` value: whole seconds, at least 1."""
    return str(max(1, math.ceil(seconds)))


PROBLEM_SCHEMA: dict[str, Any] = {
    "type": "object",
    "description": "An RFC 9457 problem; code, where present, is the machine-readable reason.",
    "required": ["type", "title", "detail"],
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "code": {"type": "string"},
        "instance": {"type": "string"},
    },
}
"""The JSON Schema of an ``application/problem+json`` body (OpenAPI documents)."""

GUARD_RESPONSES: dict[int | str, dict[str, Any]] = {
    status: {
        "description": description,
        "content": {PROBLEM_JSON: {"schema": PROBLEM_SCHEMA}},
        **(
            {
                "headers": {
                    "Retry-After": {
                        "description": "Seconds to wait before trying again.",
                        "schema": {"type": "integer", "minimum": 1},
                    }
                }
            }
            if status == 429
            else {}
        ),
    }
    for status, description in (
        (408, "The request body did not arrive in time (REQUEST_TIMEOUT)."),
        (413, "The request body is larger than this route accepts (PAYLOAD_TOO_LARGE)."),
        (429, "Too many requests from this client or session (RATE_LIMITED)."),
    )
}
"""OpenAPI ``responses`` for the answers of :class:`RequestGuard` and the rate limits."""


def guard_reply(
    status: int, code: str, detail: str, *, headers: Sequence[tuple[str, str]] = ()
) -> tuple[int, list[tuple[bytes, bytes]], bytes]:
    """Status, headers and ``application/problem+json`` body of a guard's refusal."""
    body = json.dumps(
        {"type": "about:blank", "title": code, "status": status, "detail": detail, "code": code}
    ).encode()
    head = [
        (b"content-type", PROBLEM_JSON.encode()),
        (b"content-length", str(len(body)).encode()),
        (b"cache-control", b"no-store"),
        *((name.lower().encode(), value.encode()) for name, value in headers),
    ]
    return status, head, body


@dataclass(frozen=True, slots=True)
class BodyLimit:
    """The largest body (bytes) a route accepts: ``path`` is a regular expression (fullmatch)."""

    path: str
    max_bytes: int
    methods: Collection[str] = ("POST", "PUT", "PATCH", "DELETE")

    def matches(self, method: str, path: str) -> bool:
        return method in self.methods and re.fullmatch(self.path, path) is not None


@dataclass(frozen=True, slots=True)
class ClientLimit:
    """A rate limit per client address on the routes whose path matches ``path`` (fullmatch)."""

    path: str
    limiter: RateLimiter = field(compare=False)
    methods: Collection[str] = ("POST", "PUT", "PATCH", "DELETE")

    def matches(self, method: str, path: str) -> bool:
        return method in self.methods and re.fullmatch(self.path, path) is not None


class _RefusedError(Exception):
    def __init__(self, status: int, code: str, detail: str, **headers: str) -> None:
        super().__init__(detail)
        self.reply = guard_reply(status, code, detail, headers=list(headers.items()))


def _too_large(limit: int) -> _RefusedError:
    return _RefusedError(413, "PAYLOAD_TOO_LARGE", f"this route takes at most {limit} bytes")


def client_address(scope: Scope) -> str:
    """The client's address of an ASGI scope (uvicorn puts the proxy's client there when told)."""
    client = scope.get("client")
    return str(client[0]) if client else "unknown"


class RequestGuard:
    """ASGI middleware: rate limits per client, then the body read in full within limits.

    For each HTTP request, in this order and before the application runs:

    1. the first :class:`ClientLimit` whose path and method match takes a token
       for the client's address; none left: ``429`` with ``Retry-After``;
    2. a declared ``Content-Length`` over the route's limit (the first matching
       :class:`BodyLimit`, else ``default_max_bytes``): ``413`` at once, unread;
    3. a body (declared, or chunked) is read with the same cap (``413`` as soon
       as it is passed), at most ``idle_timeout`` seconds between chunks and
       ``body_timeout`` in all (``408``); the application then gets it whole.

    Refusals are ``application/problem+json`` with ``Connection: close``.
    """

    def __init__(
        self,
        app: AsgiApp,
        *,
        default_max_bytes: int = 64 * 1024,
        body_limits: Sequence[BodyLimit] = (),
        client_limits: Sequence[ClientLimit] = (),
        idle_timeout: float = 15.0,
        body_timeout: float = 60.0,
    ) -> None:
        self.app = app
        self.default_max_bytes = default_max_bytes
        self.body_limits = tuple(body_limits)
        self.client_limits = tuple(client_limits)
        self.idle_timeout = idle_timeout
        self.body_timeout = body_timeout

    def max_bytes(self, method: str, path: str) -> int:
        """The body limit of a route."""
        found = next((rule for rule in self.body_limits if rule.matches(method, path)), None)
        return self.default_max_bytes if found is None else found.max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        try:
            self._limit_rate(scope)
            body = await self._read_body(scope, receive)
        except _RefusedError as refused:
            status, headers, content = refused.reply
            headers.append((b"connection", b"close"))
            await send({"type": "http.response.start", "status": status, "headers": headers})
            await send({"type": "http.response.body", "body": content})
            return
        if body is None:
            await self.app(scope, receive, send)
            return
        delivered = False

        async def replay() -> Message:
            nonlocal delivered
            if not delivered:
                delivered = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)

    def _limit_rate(self, scope: Scope) -> None:
        method, path = scope["method"], scope["path"]
        rule = next((rule for rule in self.client_limits if rule.matches(method, path)), None)
        if rule is None:
            return
        wait = rule.limiter.take(client_address(scope))
        if wait > 0:
            raise _RefusedError(
                429,
                "RATE_LIMITED",
                f"too many requests from this client (at most {rule.limiter.rate}); "
                f"try again in {retry_after(wait)} s",
                **{"Retry-After": retry_after(wait)},
            )

    async def _read_body(self, scope: Scope, receive: Receive) -> bytes | None:
        """The whole body within limits, or ``None`` when the request has none."""
        headers = dict(scope.get("headers") or [])
        declared = headers.get(b"content-length")
        chunked = b"transfer-encoding" in headers
        if declared is None and not chunked:
            return None if scope["method"] not in _BODY_METHODS else b""
        limit = self.max_bytes(scope["method"], scope["path"])
        if declared is not None:
            try:
                length = parse_int(declared.decode("latin-1"), name="Content-Length")
            except ParsingError:
                raise _RefusedError(
                    400, "REQUEST_GUARD", "Content-Length is not a number"
                ) from None
            if length > limit:
                raise _too_large(limit)
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.body_timeout
        body = bytearray()
        while True:
            wait = min(self.idle_timeout, deadline - loop.time())
            try:
                # Implementation note: asyncio.timeout, not wait_for: no task per chunk.
                async with asyncio.timeout(max(wait, 0.0)):
                    message = await receive()
            except TimeoutError:
                raise _RefusedError(
                    408, "REQUEST_TIMEOUT", "the request body did not arrive in time"
                ) from None
            if message["type"] == "http.disconnect":
                raise _RefusedError(400, "REQUEST_GUARD", "the client went away")
            body += message.get("body", b"")
            if len(body) > limit:
                raise _too_large(limit)
            if not message.get("more_body", False):
                return bytes(body)


SERVER_LIMITS: dict[str, Any] = {
    "timeout_keep_alive": 5,
    "limit_concurrency": 256,
    "backlog": 1024,
    "timeout_graceful_shutdown": 10,
    "ws": "none",
}
"""uvicorn settings of the ``serve`` commands (per worker process).

An idle kept-alive connection closes after 5 s; past 256 open connections or
running requests new requests get 503; at most 1024 connections wait to be
accepted; a shutdown waits 10 s for running requests. Neither service has a
WebSocket route, so no request is upgraded to one (with a WebSocket library
installed, uvicorn would hand an upgrade request's connection to it, past
:class:`HeaderGuard`'s size cap). :class:`HeaderGuard`
adds the 10 s header timeout and the 16 KiB header cap, :class:`RequestGuard`
the body limits and timeouts.
"""


class HeaderGuard:
    """Mix into uvicorn's ``HttpToolsProtocol``: bound the time and size of a request's head.

    ``class P(HeaderGuard, HttpToolsProtocol)`` and ``uvicorn.run(..., http=P)``.

    - **Time**: a connection whose request line and headers take longer than
      ``header_timeout`` seconds is closed. The clock starts when the connection
      opens and again when a response is complete (waiting for the next request
      on a kept-alive connection); it stops when the request's headers are in.
    - **Size**: a request line with its headers over ``max_head_bytes`` gets
      ``431`` (``application/problem+json``, code ``HEADERS_TOO_LARGE``) and the
      connection closes. A head still incomplete after that many bytes is
      refused as soon as they are in, so no more of it is buffered; a complete
      head is measured as parsed (without optional whitespace). While a body
      arrives, what is not body (chunk sizes, trailer fields) may take as many
      bytes again; past that the connection closes (the app is reading the body
      then, so there is no answer).

    Implementation note: uvicorn's own ``timeout_keep_alive`` stops at the first
    byte of the next request and nothing bounds a fresh connection, so a client
    that trickles header bytes kept a connection open for as long as it liked;
    and its httptools protocol (unlike its h11 one) has no size limit on headers or
    trailers, nor has llhttp: httptools kept an endless trailer field in memory
    until the body timed out (80 MB in 8 s on loopback). Bytes are counted per
    read, so a pipelined head that begins in the read that ends the previous
    request is counted from the next read on. This relies on the hooks
    ``connection_made``, ``data_received``, ``on_headers_complete`` (which reads
    ``app`` to start the request's task), ``on_body``, ``on_message_complete``,
    ``on_response_complete`` and ``connection_lost`` of uvicorn's httptools
    protocol, and on its ``parser``, ``url``, ``headers`` and ``cycle``.
    """

    header_timeout: float = 10.0
    max_head_bytes: int = 16 * 1024
    _header_timer: asyncio.TimerHandle | None = None
    _head_bytes: int | None = 0
    """Bytes received since the current request's head began; ``None`` while a body arrives."""
    _body_bytes: int = 0
    """Body bytes parsed on this connection."""
    _not_body_bytes: int = 0
    """Bytes received while the current body arrives that were not body."""
    loop: asyncio.AbstractEventLoop
    transport: asyncio.Transport
    app: AsgiApp
    parser: Any
    url: bytes
    headers: list[tuple[bytes, bytes]]
    cycle: Any

    def _start_header_clock(self) -> None:
        self._stop_header_clock()
        self._header_timer = self.loop.call_later(self.header_timeout, self._headers_too_slow)

    def _stop_header_clock(self) -> None:
        if self._header_timer is not None:
            self._header_timer.cancel()
            self._header_timer = None

    def _headers_too_slow(self) -> None:
        self._header_timer = None
        if not self.transport.is_closing():
            self.transport.close()

    def _head_too_large(self) -> tuple[int, list[tuple[bytes, bytes]], bytes]:
        status, headers, body = guard_reply(
            431,
            "HEADERS_TOO_LARGE",
            f"the request line and headers may take at most {self.max_head_bytes} bytes",
        )
        return status, [*headers, (b"connection", b"close")], body

    async def _refuse_head(self, scope: Scope, receive: Receive, send: Send) -> None:
        """The ASGI app that answers a complete head over the limit."""
        status, headers, body = self._head_too_large()
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": body})

    def _refuse_incomplete_head(self) -> None:
        # Implementation note: no request exists yet to answer through the app. A
        # response still being written (a pipelined client) is not broken into.
        if self.cycle is None or self.cycle.response_complete:
            status, headers, body = self._head_too_large()
            lines = [f"HTTP/1.1 {status} Request Header Fields Too Large".encode()]
            lines += [name + b": " + value for name, value in headers]
            self.transport.write(b"\r\n".join([*lines, b"", body]))
        self.transport.close()

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        super().connection_made(transport)  # type: ignore[misc]
        self._start_header_clock()

    def data_received(self, data: bytes) -> None:
        if self._head_bytes is None:
            body_bytes = self._body_bytes
            super().data_received(data)  # type: ignore[misc]
            if self._head_bytes is None:  # the body goes on
                self._not_body_bytes += len(data) - (self._body_bytes - body_bytes)
                if self._not_body_bytes > self.max_head_bytes:
                    self.transport.close()
            return
        self._head_bytes += len(data)
        super().data_received(data)  # type: ignore[misc]
        if (
            self._head_bytes is not None
            and self._head_bytes > self.max_head_bytes
            and not self.transport.is_closing()
        ):
            self._refuse_incomplete_head()

    def on_headers_complete(self) -> None:
        self._stop_header_clock()
        self._head_bytes = None
        self._not_body_bytes = 0
        # method SP target SP HTTP/1.1 CRLF, a line per header field, CRLF
        size = len(self.parser.get_method()) + len(self.url) + 14
        size += sum(len(name) + len(value) + 4 for name, value in self.headers)
        if size <= self.max_head_bytes:
            super().on_headers_complete()  # type: ignore[misc]
            return
        app, self.app = self.app, self._refuse_head
        try:
            super().on_headers_complete()  # type: ignore[misc]
        finally:
            self.app = app

    def on_body(self, body: bytes) -> None:
        self._body_bytes += len(body)
        super().on_body(body)  # type: ignore[misc]

    def on_message_complete(self) -> None:
        super().on_message_complete()  # type: ignore[misc]
        self._head_bytes = 0

    def on_response_complete(self) -> None:
        super().on_response_complete()  # type: ignore[misc]
        if not self.transport.is_closing() and (self.cycle is None or self.cycle.response_complete):
            self._start_header_clock()

    def connection_lost(self, exc: Exception | None) -> None:
        self._stop_header_clock()
        super().connection_lost(exc)  # type: ignore[misc]
