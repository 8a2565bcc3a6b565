"""Running the landlord's page under uvicorn (the only module of vc_verifier that imports it)."""

from __future__ import annotations

from pathlib import Path

import uvicorn

from vc_verifier.landlord.app import create_landlord_app
from vc_verifier.landlord.settings import LandlordSettings

__all__ = ["run"]


def run(
    settings: LandlordSettings,
    *,
    host: str,
    port: int,
    ssl_certfile: Path | None = None,
    ssl_keyfile: Path | None = None,
) -> None:
    """Serve the landlord's page on ``host:port`` until stopped (one process)."""
    uvicorn.run(
        create_landlord_app(settings),
        host=host,
        port=port,
        access_log=False,
        ssl_certfile=str(ssl_certfile) if ssl_certfile else None,
        ssl_keyfile=str(ssl_keyfile) if ssl_keyfile else None,
    )
