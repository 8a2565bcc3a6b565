"""Issuer and authorization-server metadata, at the inserted (1.0) and appended (draft) paths.

Served through :mod:`vc_issuer.web.wallet_flow`, which calls these functions.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response
from fastapi.responses import JSONResponse

from vc_core.types import JsonObject
from vc_issuer.oid4vci import CredentialIssuerService
from vc_issuer.web.openapi import NO_SOURCE, Responses, json_body

__all__ = ["EncodedMetadata", "router"]

_ISSUER: Responses = {200: json_body("The Credential Issuer metadata."), **NO_SOURCE}
_SERVER: Responses = {200: json_body("The authorization-server metadata."), **NO_SOURCE}

router = APIRouter(tags=["metadata"])


class EncodedMetadata:
    """Each source's two metadata documents, built and JSON-encoded once per app.

    Implementation note: they are a function of the settings and the sources'
    credential configurations, which are fixed for the life of the app; the
    issuer metadata took about 0.13 ms of CPU to build and encode, for every wallet.
    """

    def __init__(self, service: CredentialIssuerService) -> None:
        self._service = service
        self._encoded: dict[tuple[str, str], bytes] = {}

    def _response(self, kind: str, source: str, build: Callable[[str], JsonObject]) -> Response:
        encoded = self._encoded.get((kind, source))
        if encoded is None:
            # An unknown source raises NotFound here, so only real sources are kept.
            encoded = bytes(JSONResponse(build(source)).body)
            self._encoded[kind, source] = encoded
        return Response(encoded, media_type="application/json")

    def issuer(self, source: str) -> Response:
        """The Credential Issuer metadata of ``source`` (``NotFound`` if unknown)."""
        return self._response("issuer", source, self._service.issuer_metadata)

    def authorization_server(self, source: str) -> Response:
        """The OAuth authorization-server metadata of ``source`` (``NotFound`` if unknown)."""
        return self._response("server", source, self._service.authorization_server_metadata)


async def _metadata(request: Request) -> EncodedMetadata:
    metadata: EncodedMetadata = request.app.state.metadata
    return metadata


MetadataDep = Annotated[EncodedMetadata, Depends(_metadata)]


@router.get("/.well-known/openid-credential-issuer/{source}", responses=_ISSUER)
def issuer_metadata(source: str, metadata: MetadataDep) -> Response:
    """Credential Issuer metadata (OpenID4VCI 1.0: well-known inserted after the host)."""
    return metadata.issuer(source)


@router.get("/{source}/.well-known/openid-credential-issuer", responses=_ISSUER)
def issuer_metadata_appended(source: str, metadata: MetadataDep) -> Response:
    """The same metadata at the draft-13 style path (well-known appended)."""
    return metadata.issuer(source)


@router.get("/.well-known/oauth-authorization-server/{source}", responses=_SERVER)
def authorization_server_metadata(source: str, metadata: MetadataDep) -> Response:
    """OAuth authorization-server metadata (RFC 8414, inserted form)."""
    return metadata.authorization_server(source)


@router.get("/{source}/.well-known/oauth-authorization-server", responses=_SERVER)
def authorization_server_metadata_appended(source: str, metadata: MetadataDep) -> Response:
    """The same at the appended path, for older wallets."""
    return metadata.authorization_server(source)
