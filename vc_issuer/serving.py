"""Running the issuer app under uvicorn: the only module of vc_issuer that imports uvicorn.

uvicorn parses HTTP with httptools (llhttp) and runs on uvloop where it is
installed (not on Windows: asyncio there): the HTTP layer takes less than half
the CPU per request that h11 on asyncio took. The protocol adds
:class:`~vc_core.limits.HeaderGuard` (10 s and 16 KiB for a request's headers);
the other limits are :data:`~vc_core.limits.SERVER_LIMITS`.

Implementation note: uvicorn writes a response's head and body as two writes;
on a connection without ``TCP_NODELAY`` the second waited about 40 ms for the
client's delayed ACK (Nagle's algorithm). uvloop sets ``TCP_NODELAY`` on every
TCP connection it accepts, asyncio on those of a TCP listening socket; and
:class:`OneWritePerResponse` joins the two.
"""

from __future__ import annotations

import asyncio
import logging
import socket
import sys
from pathlib import Path
from typing import Any, cast

import uvicorn
from uvicorn.config import STARTUP_FAILURE
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol
from uvicorn.supervisors import Multiprocess

from vc_core.limits import SERVER_LIMITS, HeaderGuard
from vc_issuer.logs import LOGGING_CONFIG

__all__ = ["GuardedHttpToolsProtocol", "OneWritePerResponse", "run"]

_APP = "vc_issuer.web:create_app"
_log = logging.getLogger("uvicorn.error")


class _JoinedWrites:
    """The transport as a response cycle writes to it: what it writes in one step of the
    event loop goes out as one write, at the loop's next turn (before it polls for I/O)."""

    __slots__ = ("_loop", "_pending", "_transport")

    def __init__(self, transport: asyncio.Transport, loop: asyncio.AbstractEventLoop) -> None:
        self._transport = transport
        self._loop = loop
        self._pending: list[bytes] = []

    def write(self, data: bytes) -> None:
        if not self._pending:
            self._loop.call_soon(self._flush)
        self._pending.append(data)

    def _flush(self) -> None:
        if self._pending:
            data = b"".join(self._pending)
            self._pending.clear()
            if not self._transport.is_closing():
                self._transport.write(data)

    def is_closing(self) -> bool:
        return self._transport.is_closing()

    def close(self) -> None:
        self._flush()
        self._transport.close()


class OneWritePerResponse:
    """Mix into uvicorn's ``HttpToolsProtocol``: a response's head and body in one write.

    uvicorn writes the status line and headers, then the body: two system calls
    and, with ``TCP_NODELAY``, two TCP segments, each of which can wake the client.
    The writes of a request's response cycle made in one step of the event loop
    (a whole small response) are joined, in order, and written at the loop's
    next turn; closing the connection writes what is pending first.

    Implementation note: measured on this project's machine (a metadata GET on
    kept-alive loopback connections, uvloop): about 11 µs less CPU per request
    in the server and 11 µs less in the client. This relies on uvicorn's
    ``on_headers_complete`` making ``cycle`` with the protocol's ``transport``,
    and on the cycle calling only its ``write``, ``close`` and ``is_closing``.
    """

    loop: asyncio.AbstractEventLoop
    transport: asyncio.Transport
    cycle: Any

    def on_headers_complete(self) -> None:
        super().on_headers_complete()  # type: ignore[misc]
        cycle = self.cycle
        if cycle is not None and getattr(cycle, "transport", None) is self.transport:
            cycle.transport = _JoinedWrites(self.transport, self.loop)


class GuardedHttpToolsProtocol(HeaderGuard, OneWritePerResponse, HttpToolsProtocol):
    """uvicorn's httptools protocol with the time and size limits of a request's head,
    answering each response in one write."""


def run(
    *,
    host: str,
    port: int,
    workers: int,
    ssl_certfile: Path | None = None,
    ssl_keyfile: Path | None = None,
    max_connections: int = SERVER_LIMITS["limit_concurrency"],
) -> None:
    """Serve ``vc_issuer.web.create_app`` (settings from the environment) until stopped.

    ``max_connections`` is per worker: past it, new requests get 503. On Linux,
    several workers each listen on a socket of their own (see
    :class:`_OwnListeningSocket`).
    """
    options: dict[str, Any] = {
        "factory": True,
        "host": host,
        "port": port,
        "workers": workers,
        "http": f"{__name__}:GuardedHttpToolsProtocol",
        "loop": "auto",  # uvloop where installed, else asyncio
        "access_log": False,
        "log_config": LOGGING_CONFIG,
        "ssl_certfile": str(ssl_certfile) if ssl_certfile else None,
        "ssl_keyfile": str(ssl_keyfile) if ssl_keyfile else None,
        **SERVER_LIMITS,
        "limit_concurrency": max_connections,
    }
    if workers == 1 or sys.platform != "linux":
        uvicorn.run(_APP, **options)
        return
    config = uvicorn.Config(_APP, **options)
    address = _OwnListeningSocket(host, port)
    # The port is taken here, before any worker starts: a port in use fails at once.
    try:
        reserved = address.bind()
    except OSError as exc:
        _log.error("cannot listen on %s:%d: %s", host, port, exc)
        sys.exit(STARTUP_FAILURE)
    with reserved:
        scheme = "https" if ssl_certfile else "http"
        _log.info("listening on %s://%s:%d with %d workers", scheme, host, port, workers)
        # Typed as uvicorn's list of sockets; a worker unpickles each into a socket.
        Multiprocess(config, sockets=[cast(socket.socket, address)]).run()


class _OwnListeningSocket:
    """Stands for the listening socket in the supervisor; each worker gets its own.

    uvicorn's supervisor hands its workers the socket it bound, and every worker
    accepts on that one socket: a worker that wakes accepts every connection
    waiting, and on two cores one worker would take most of a load of short
    connections while the other idled (about a tenth fewer flows a second in
    ``make bench-issuer``). A worker that unpickles this object instead binds a
    socket of its own to the same address with ``SO_REUSEPORT``, so the kernel
    spreads new connections evenly over the workers' sockets. Linux lets only
    sockets of the same user share a port this way. The supervisor keeps a
    bound socket that does not listen (it gets no connections) so the port stays
    this server's while workers come and go.
    """

    def __init__(self, host: str, port: int) -> None:
        self.host = host
        self.port = port

    def bind(self) -> socket.socket:
        family = socket.AF_INET6 if ":" in self.host else socket.AF_INET
        sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
        try:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
            sock.bind((self.host, self.port))
        except OSError:
            sock.close()
            raise
        return sock

    def __reduce__(self) -> tuple[Any, ...]:
        return (_bound_socket, (self.host, self.port))


def _bound_socket(host: str, port: int) -> socket.socket:
    """In a worker: its own socket on the supervisor's address (uvicorn makes it listen)."""
    return _OwnListeningSocket(host, port).bind()
