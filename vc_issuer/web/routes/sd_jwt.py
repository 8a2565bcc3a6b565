"""What SD-JWT VC verifiers and wallets fetch from a source: keys, types, status lists.

- JWT VC Issuer Metadata at ``/.well-known/jwt-vc-issuer/<source>`` (the
  well-known segment inserted before the issuer's path), with every key of the
  source under its DID URL ``kid``;
- the type metadata of each SD-JWT VC type at its ``vct``
  (``/<source>/vct/<CredentialType>``), always the same bytes (their hash is
  the credential's ``vct#integrity``);
- the Token Status Lists (``application/statuslist+jwt``) at
  ``/<source>/status/token/<n>``.
"""

from __future__ import annotations

from fastapi import APIRouter, Response
from fastapi.responses import JSONResponse

from vc_core.status import STATUS_LIST_JWT_ACCEPT
from vc_issuer.status_lists import TOKEN_STATUS_LIST, status_list_number
from vc_issuer.web.deps import IssuerDep
from vc_issuer.web.openapi import NO_SOURCE, json_body, problem

router = APIRouter(tags=["SD-JWT VC"])


@router.get(
    "/.well-known/jwt-vc-issuer/{source}",
    responses={200: json_body("The issuer identifier and its keys (jwks)."), **NO_SOURCE},
)
def jwt_vc_issuer_metadata(source: str, issuer: IssuerDep) -> JSONResponse:
    """JWT VC Issuer Metadata of a source: its issuer identifier and keys (``jwks``)."""
    ttl = issuer.settings.status_list_ttl_seconds
    return JSONResponse(
        issuer.jwt_vc_issuer_metadata(source),
        headers={"Cache-Control": f"public, max-age={ttl}"},
    )


@router.get(
    "/{source}/vct/{credential_type}",
    response_class=Response,
    responses={
        200: json_body("The type metadata, always the same bytes (see vct#integrity)."),
        404: problem("No such source, or it issues no SD-JWT VC of this type."),
    },
)
def type_metadata(source: str, credential_type: str, issuer: IssuerDep) -> Response:
    """The SD-JWT VC type metadata of a credential type (display texts, claims, ``sd``)."""
    return Response(
        issuer.type_metadata(source, credential_type),
        media_type="application/json",
        headers={"Cache-Control": "public, max-age=86400"},
    )


@router.get(
    "/{source}/status/token/{number}",
    response_class=Response,
    responses={
        200: {
            "description": "The Status List Token (a JWT).",
            "content": {STATUS_LIST_JWT_ACCEPT: {"schema": {"type": "string"}}},
        },
        404: problem("No such source or list."),
    },
)
def token_status_list(source: str, number: str, issuer: IssuerDep) -> Response:
    """A Status List Token (``application/statuslist+jwt``), cacheable for its ttl."""
    text = issuer.status_list(source, TOKEN_STATUS_LIST, status_list_number(number))
    ttl = issuer.settings.status_list_ttl_seconds
    return Response(
        text,
        media_type=STATUS_LIST_JWT_ACCEPT,
        headers={"Cache-Control": f"public, max-age={ttl}"},
    )
