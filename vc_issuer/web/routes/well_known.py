"""Issuer and authorization-server metadata, at the inserted (1.0) and appended (draft) paths."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from vc_issuer.web.deps import ServiceDep

router = APIRouter(tags=["metadata"])


@router.get("/.well-known/openid-credential-issuer/{source}")
def issuer_metadata(source: str, service: ServiceDep) -> JSONResponse:
    """Credential Issuer metadata (OpenID4VCI 1.0: well-known inserted after the host)."""
    return JSONResponse(service.issuer_metadata(source))


@router.get("/{source}/.well-known/openid-credential-issuer")
def issuer_metadata_appended(source: str, service: ServiceDep) -> JSONResponse:
    """The same metadata at the draft-13 style path (well-known appended)."""
    return JSONResponse(service.issuer_metadata(source))


@router.get("/.well-known/oauth-authorization-server/{source}")
def authorization_server_metadata(source: str, service: ServiceDep) -> JSONResponse:
    """OAuth authorization-server metadata (RFC 8414, inserted form)."""
    return JSONResponse(service.authorization_server_metadata(source))


@router.get("/{source}/.well-known/oauth-authorization-server")
def authorization_server_metadata_appended(source: str, service: ServiceDep) -> JSONResponse:
    """The same at the appended path, for older wallets."""
    return JSONResponse(service.authorization_server_metadata(source))
