"""Public documents that credentials point to: our JSON-LD context and each credential type.

Every credential names ``https://issuer.example.nl/contexts/nl-vc/v1`` in its
``@context``; the service publishes that context, byte for byte as bundled
(its sha256 is pinned in ``contexts/manifest.json``), at the same path. A
wallet that shows a credential reads its type document at
``/<source>/types/<credential type>``: names, descriptions and claim labels in
Dutch and English (:mod:`vc_issuer.display`).
"""

from __future__ import annotations

import hashlib
from urllib.parse import urlsplit

from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse

from vc_core.loader import NL_VC_V1_URL, bundled_context_file
from vc_issuer.display import credential_type_document
from vc_issuer.errors import NotFound
from vc_issuer.web.deps import IssuerDep
from vc_issuer.web.openapi import json_body, problem

router = APIRouter(tags=["public documents"])

CONTEXT_PATH = urlsplit(NL_VC_V1_URL).path
_CONTEXT = bundled_context_file(NL_VC_V1_URL)
_CONTEXT_ETAG = f'"{hashlib.sha256(_CONTEXT).hexdigest()}"'
_CONTEXT_HEADERS = {
    "ETag": _CONTEXT_ETAG,
    "Cache-Control": "public, max-age=86400",
    # Implementation note: a JSON-LD processor in a browser (jsonld.js) fetches contexts
    # across origins; the context is public and static, so any origin may read it.
    "Access-Control-Allow-Origin": "*",
}


def _matches(if_none_match: str, etag: str) -> bool:
    """Whether an ``If-None-Match`` header names ``etag`` (weak comparison, ``*`` included).

    Spec: rfc9110#name-if-none-match
    """
    tags = [tag.strip().removeprefix("W/") for tag in if_none_match.split(",")]
    return "*" in tags or etag in tags


@router.get(
    CONTEXT_PATH,
    response_class=Response,
    responses={
        200: {
            "description": "The JSON-LD context, exactly as bundled.",
            "content": {"application/ld+json": {"schema": {"type": "object"}}},
        },
        304: {"description": "Not modified (the If-None-Match header names its ETag)."},
    },
)
def nl_vc_context(request: Request) -> Response:
    """Our JSON-LD context (``application/ld+json``), cacheable for a day, with an ETag."""
    if _matches(request.headers.get("if-none-match", ""), _CONTEXT_ETAG):
        return Response(status_code=304, headers=_CONTEXT_HEADERS)
    return Response(_CONTEXT, media_type="application/ld+json", headers=_CONTEXT_HEADERS)


@router.get(
    "/{source}/types/{credential_type}",
    responses={
        200: json_body("The type's names, descriptions and claim labels per language."),
        404: problem("No such source, or it issues no credential of this type."),
    },
)
def credential_type(source: str, credential_type: str, issuer: IssuerDep) -> JSONResponse:
    """How to show a credential of this type: names and claim labels in Dutch and English."""
    for configuration in issuer.source(source).configurations.values():
        if configuration.credential_type == credential_type:
            document = credential_type_document(
                configuration, issuer.settings.issuer_identifier(source)
            )
            return JSONResponse(document, headers={"Cache-Control": "public, max-age=3600"})
    raise NotFound(f"{source} issues no credential type {credential_type!r}")
