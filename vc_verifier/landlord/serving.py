"""Running the landlord's page under uvicorn (the only module of vc_verifier that imports it).

The server closes a connection whose request headers take longer than 10 s
(:class:`~vc_core.limits.HeaderDeadline`) and runs with
:data:`~vc_core.limits.SERVER_LIMITS`; the app itself limits bodies and rates.
"""

from __future__ import annotations

from pathlib import Path

import uvicorn
from uvicorn.protocols.http.h11_impl import H11Protocol

from vc_core.limits import SERVER_LIMITS, HeaderDeadline
from vc_verifier.landlord.app import create_landlord_app
from vc_verifier.landlord.settings import LandlordSettings

__all__ = ["GuardedH11Protocol", "run"]


class GuardedH11Protocol(HeaderDeadline, H11Protocol):
    """uvicorn's h11 protocol that closes connections whose headers trickle in."""


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
        http=GuardedH11Protocol,
        ssl_certfile=str(ssl_certfile) if ssl_certfile else None,
        ssl_keyfile=str(ssl_keyfile) if ssl_keyfile else None,
        **{**SERVER_LIMITS, "limit_concurrency": max_connections},
    )
