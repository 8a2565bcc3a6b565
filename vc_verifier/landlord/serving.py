"""Running the landlord's page under uvicorn (the only module of vc_verifier that imports it).

uvicorn parses HTTP with httptools and runs on uvloop where it is installed (not
on Windows: asyncio there). The protocol adds
:class:`~vc_core.limits.HeaderGuard` (10 s and 16 KiB for a request's headers),
the server runs with :data:`~vc_core.limits.SERVER_LIMITS`; the app itself
limits bodies and rates.
"""

from __future__ import annotations

from pathlib import Path

import uvicorn
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from vc_core.limits import SERVER_LIMITS, HeaderGuard
from vc_verifier.landlord.app import create_landlord_app
from vc_verifier.landlord.settings import LandlordSettings

__all__ = ["GuardedHttpToolsProtocol", "run"]


class GuardedHttpToolsProtocol(HeaderGuard, HttpToolsProtocol):
    """uvicorn's httptools protocol with the time and size limits of a request's head."""


def run(
    settings: LandlordSettings,
    *,
    host: str,
    port: int,
    ssl_certfile: Path | None = None,
    ssl_keyfile: Path | None = None,
    max_connections: int = SERVER_LIMITS["limit_concurrency"],
) -> None:
    """Serve the landlord's page on ``host:port`` until stopped (one process).

    ``max_connections``: past it, new requests get 503.
    """
    uvicorn.run(
        create_landlord_app(settings),
        host=host,
        port=port,
        access_log=False,
        http=GuardedHttpToolsProtocol,
        loop="auto",  # uvloop where installed, else asyncio
        ssl_certfile=str(ssl_certfile) if ssl_certfile else None,
        ssl_keyfile=str(ssl_keyfile) if ssl_keyfile else None,
        **{**SERVER_LIMITS, "limit_concurrency": max_connections},
    )
