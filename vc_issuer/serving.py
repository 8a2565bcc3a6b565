"""Running the issuer app under uvicorn: the only module that imports uvicorn.

Implementation note: with several worker processes uvicorn hands each worker a
copy of the listening socket whose Python object no longer says it is TCP, so
asyncio skips ``TCP_NODELAY`` on accepted connections; h11 then writes the
response head and body in two small segments and Nagle's algorithm meets the
client's delayed ACK: every request waits about 40 ms. The protocol below sets
``TCP_NODELAY`` itself, and closes a connection whose request headers take
longer than 10 s (:class:`~vc_core.limits.HeaderDeadline`); the other limits
are :data:`~vc_core.limits.SERVER_LIMITS`.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
from pathlib import Path

import uvicorn
from uvicorn.protocols.http.h11_impl import H11Protocol

from vc_core.limits import SERVER_LIMITS, HeaderDeadline
from vc_issuer.logs import LOGGING_CONFIG

__all__ = ["GuardedH11Protocol", "NoDelayH11Protocol", "run"]


class NoDelayH11Protocol(H11Protocol):
    """uvicorn's h11 protocol with ``TCP_NODELAY`` on every TCP connection."""

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        sock = transport.get_extra_info("socket")
        if sock is not None and sock.family in (socket.AF_INET, socket.AF_INET6):
            with contextlib.suppress(OSError):  # the peer may be gone already
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        super().connection_made(transport)  # type: ignore[arg-type]


class GuardedH11Protocol(HeaderDeadline, NoDelayH11Protocol):
    """:class:`NoDelayH11Protocol` that closes connections whose headers trickle in."""


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

    ``max_connections`` is per worker: past it, new requests get 503.
    """
    uvicorn.run(
        "vc_issuer.web:create_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        http=f"{__name__}:GuardedH11Protocol",
        access_log=False,
        log_config=LOGGING_CONFIG,
        ssl_certfile=str(ssl_certfile) if ssl_certfile else None,
        ssl_keyfile=str(ssl_keyfile) if ssl_keyfile else None,
        **{**SERVER_LIMITS, "limit_concurrency": max_connections},
    )
