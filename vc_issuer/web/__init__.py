"""The issuer's HTTP service (the only FastAPI importer): :func:`create_app`."""

from vc_issuer.web.app import create_app

__all__ = ["create_app"]
