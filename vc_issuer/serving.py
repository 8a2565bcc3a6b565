"""Running the issuer app under uvicorn: the only module of vc_issuer that imports uvicorn.

uvicorn parses HTTP with httptools (llhttp) and runs on uvloop where it is
installed (not on Windows: asyncio there): the HTTP layer takes less than half
the CPU per request that h11 on asyncio took. The protocol adds
:class:`~vc_core.limits.HeaderGuard` (10 s and 16 KiB for a request's headers);
the other limits are :data:`~vc_core.limits.SERVER_LIMITS`.

Implementation note: a response's head and body are two writes, so a
connection without ``TCP_NODELAY`` waits about 40 ms per request for the
client's delayed ACK (Nagle's algorithm). uvloop sets ``TCP_NODELAY`` on every
TCP connection it accepts, asyncio on those of a TCP listening socket.
"""

from __future__ import annotations

from pathlib import Path

import uvicorn
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from vc_core.limits import SERVER_LIMITS, HeaderGuard
from vc_issuer.logs import LOGGING_CONFIG

__all__ = ["GuardedHttpToolsProtocol", "run"]


class GuardedHttpToolsProtocol(HeaderGuard, HttpToolsProtocol):
    """uvicorn's httptools protocol with the time and size limits of a request's head."""


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
        http=f"{__name__}:GuardedHttpToolsProtocol",
        loop="auto",  # uvloop where installed, else asyncio
        access_log=False,
        log_config=LOGGING_CONFIG,
        ssl_certfile=str(ssl_certfile) if ssl_certfile else None,
        ssl_keyfile=str(ssl_keyfile) if ssl_keyfile else None,
        **{**SERVER_LIMITS, "limit_concurrency": max_connections},
    )
