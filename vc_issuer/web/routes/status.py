"""Public documents of each source: status lists, the DID document, the sealing certificate.

A Bitstring Status List is served through :mod:`vc_issuer.web.wallet_flow`, which
calls :func:`status_list`.
"""

from __future__ import annotations

import json

from fastapi import APIRouter, Response

from vc_issuer.status_lists import status_list_number
from vc_issuer.web.deps import IssuerDep
from vc_issuer.web.openapi import NO_SOURCE, json_body, problem

router = APIRouter(tags=["status and DIDs"])


@router.get(
    "/{source}/status/{purpose}/{number}",
    response_class=Response,
    responses={
        200: json_body("The status list credential.", media_type="application/vc"),
        404: problem("No such source, purpose or list."),
    },
)
def status_list(source: str, purpose: str, number: str, issuer: IssuerDep) -> Response:
    """A signed Bitstring Status List credential (``application/vc``), cacheable for its ttl."""
    text = issuer.status_list(source, purpose, status_list_number(number))
    ttl = issuer.settings.status_list_ttl_seconds
    return Response(
        text, media_type="application/vc", headers={"Cache-Control": f"public, max-age={ttl}"}
    )


@router.get(
    "/{source}/did.json",
    response_class=Response,
    responses={
        200: json_body("The DID document.", media_type="application/did+json"),
        **NO_SOURCE,
    },
)
def did_document(source: str, issuer: IssuerDep) -> Response:
    """The did:web DID document of the source (every key, newest last)."""
    document = issuer.did_document(source)
    return Response(json.dumps(document), media_type="application/did+json")


@router.get(
    "/{source}/seal-certificate.pem",
    response_class=Response,
    responses={
        200: {
            "description": "The sealing certificate (PEM).",
            "content": {"application/x-pem-file": {"schema": {"type": "string"}}},
        },
        **NO_SOURCE,
    },
)
def sealing_certificate(source: str, issuer: IssuerDep) -> Response:
    """The certificate that seals the source's PDFs (trust it in ``pdf verify``)."""
    identity = issuer.sealing_identity(source)
    return Response(identity.certificate_pem, media_type="application/x-pem-file")
