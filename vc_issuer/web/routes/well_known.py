"""Issuer and authorization-server metadata, at the inserted (1.0) and appended (draft) paths.

Served through :mod:`vc_issuer.web.wallet_flow`, which calls these functions.
"""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from vc_issuer.web.deps import ServiceDep
from vc_issuer.web.openapi import NO_SOURCE, Responses, json_body

_ISSUER: Responses = {200: json_body("The Credential Issuer metadata."), **NO_SOURCE}
_SERVER: Responses = {200: json_body("The authorization-server metadata."), **NO_SOURCE}

router = APIRouter(tags=["metadata"])


@router.get("/.well-known/openid-credential-issuer/{source}", responses=_ISSUER)
def issuer_metadata(source: str, service: ServiceDep) -> JSONResponse:
    """Credential Issuer metadata (OpenID4VCI 1.0: well-known inserted after the host)."""
    return JSONResponse(service.issuer_metadata(source))


@router.get("/{source}/.well-known/openid-credential-issuer", responses=_ISSUER)
def issuer_metadata_appended(source: str, service: ServiceDep) -> JSONResponse:
    """The same metadata at the draft-13 style path (well-known appended)."""
    return JSONResponse(service.issuer_metadata(source))


@router.get("/.well-known/oauth-authorization-server/{source}", responses=_SERVER)
def authorization_server_metadata(source: str, service: ServiceDep) -> JSONResponse:
    """OAuth authorization-server metadata (RFC 8414, inserted form)."""
    return JSONResponse(service.authorization_server_metadata(source))


@router.get("/{source}/.well-known/oauth-authorization-server", responses=_SERVER)
def authorization_server_metadata_appended(source: str, service: ServiceDep) -> JSONResponse:
    """The same at the appended path, for older wallets."""
    return JSONResponse(service.authorization_server_metadata(source))
