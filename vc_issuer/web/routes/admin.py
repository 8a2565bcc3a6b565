"""Operator endpoints behind the admin bearer token: offers, status, reviews, key rotation."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import JSONResponse

from vc_issuer.issuer import Issuer
from vc_issuer.offers import CreatedOffer
from vc_issuer.web.deps import AdminDep, IssuerDep, ServiceDep
from vc_issuer.web.errors import NO_STORE
from vc_issuer.web.openapi import ADMIN, NO_SOURCE, Responses, json_body, problem
from vc_issuer.web.schemas import CreateOfferRequest, OfferResponse

router = APIRouter(prefix="/admin", tags=["admin"])

_STATUS = json_body(
    "The credential's status per purpose (0 clear, 1 set).",
    {
        "type": "object",
        "required": ["id", "status"],
        "properties": {
            "id": {"type": "string"},
            "status": {"type": "object", "additionalProperties": {"type": "integer"}},
        },
    },
)
_NO_CREDENTIAL: Responses = {404: problem("No credential with this id has status entries here.")}
_REVIEWED = json_body(
    "The review's outcome.",
    {
        "type": "object",
        "required": ["id", "state"],
        "properties": {"id": {"type": "string"}, "state": {"enum": ["approved", "rejected"]}},
    },
)
_NO_REVIEW: Responses = {404: problem("No deferred request with this id is waiting for review.")}


def offer_response(offer: CreatedOffer, *, with_qr: bool) -> OfferResponse:
    """What a new offer shows: the QR text and link (and SVG), and the tx_code to send."""
    return OfferResponse(
        offer_uri=offer.offer_uri,
        credential_offer_uri=offer.offer_url,
        tx_code=offer.tx_code,
        expires_at=offer.expires_at.strftime("%Y-%m-%dT%H:%M:%SZ"),
        qr_svg=offer.qr_svg() if with_qr else None,
    )


@router.post(
    "/{source}/offers",
    status_code=201,
    responses={
        201: {"model": OfferResponse, "description": "The new offer."},
        **ADMIN,
        404: problem("No such source or configuration, or the register holds no data."),
    },
)
async def create_offer(
    source: str,
    request: CreateOfferRequest,
    issuer: IssuerDep,
    _admin: AdminDep,
    qr: Annotated[bool, Query(description="Include the QR code as SVG.")] = False,
) -> JSONResponse:
    """Create a credential offer for a citizen (404 when the register holds no data).

    Implementation note: :mod:`vc_issuer.web.wallet_flow` answers these requests
    on the event loop, like the wallet flow they start (docs/protocols.md, P31),
    with :func:`offer_created`; this declaration documents them.
    """
    return offer_created(issuer, source, request, qr=qr)


def offer_created(
    issuer: Issuer, source: str, request: CreateOfferRequest, *, qr: bool
) -> JSONResponse:
    """The 201 answer to an operator's offer request: the offer is made and stored.

    :mod:`vc_issuer.web.wallet_flow` answers the requests with this too.
    """
    offer = issuer.create_offer(
        source, request.bsn, request.credential_configuration_id, tx_code=request.tx_code
    )
    body = offer_response(offer, with_qr=qr).model_dump()
    return JSONResponse(body, status_code=201, headers=NO_STORE)


def _status(issuer: IssuerDep, credential_id: str) -> JSONResponse:
    return JSONResponse({"id": credential_id, "status": issuer.status_of(credential_id)})


@router.get("/credentials/{credential_id}", responses={200: _STATUS, **ADMIN, **_NO_CREDENTIAL})
def credential_status(credential_id: str, issuer: IssuerDep, _admin: AdminDep) -> JSONResponse:
    """A credential's current status per purpose."""
    return _status(issuer, credential_id)


@router.post(
    "/credentials/{credential_id}/revoke", responses={200: _STATUS, **ADMIN, **_NO_CREDENTIAL}
)
def revoke(credential_id: str, issuer: IssuerDep, _admin: AdminDep) -> JSONResponse:
    """Revoke a credential for good (the list is re-signed at once)."""
    issuer.revoke(credential_id)
    return _status(issuer, credential_id)


@router.post(
    "/credentials/{credential_id}/suspend", responses={200: _STATUS, **ADMIN, **_NO_CREDENTIAL}
)
def suspend(credential_id: str, issuer: IssuerDep, _admin: AdminDep) -> JSONResponse:
    """Suspend a credential."""
    issuer.suspend(credential_id)
    return _status(issuer, credential_id)


@router.post(
    "/credentials/{credential_id}/reinstate", responses={200: _STATUS, **ADMIN, **_NO_CREDENTIAL}
)
def reinstate(credential_id: str, issuer: IssuerDep, _admin: AdminDep) -> JSONResponse:
    """Lift a suspension."""
    issuer.reinstate(credential_id)
    return _status(issuer, credential_id)


@router.get(
    "/deferred",
    responses={
        200: json_body(
            "The deferred requests waiting for review.",
            {
                "type": "object",
                "required": ["pending"],
                "properties": {"pending": {"type": "array", "items": {"type": "object"}}},
            },
        ),
        **ADMIN,
    },
)
def pending_reviews(service: ServiceDep, _admin: AdminDep) -> JSONResponse:
    """Deferred requests waiting for manual review."""
    return JSONResponse({"pending": service.pending_reviews()})


@router.post("/deferred/{deferred_id}/approve", responses={200: _REVIEWED, **ADMIN, **_NO_REVIEW})
def approve(deferred_id: str, service: ServiceDep, _admin: AdminDep) -> JSONResponse:
    """Approve a deferred request; the wallet's next poll gets the credentials."""
    service.review(deferred_id, approve=True)
    return JSONResponse({"id": deferred_id, "state": "approved"})


@router.post("/deferred/{deferred_id}/reject", responses={200: _REVIEWED, **ADMIN, **_NO_REVIEW})
def reject(deferred_id: str, service: ServiceDep, _admin: AdminDep) -> JSONResponse:
    """Turn a deferred request down."""
    service.review(deferred_id, approve=False)
    return JSONResponse({"id": deferred_id, "state": "rejected"})


@router.post(
    "/{source}/keys/rotate",
    responses={
        200: json_body(
            "The new key's verification method id.",
            {
                "type": "object",
                "required": ["verificationMethod"],
                "properties": {"verificationMethod": {"type": "string"}},
            },
        ),
        **ADMIN,
        **NO_SOURCE,
    },
)
def rotate_key(source: str, issuer: IssuerDep, _admin: AdminDep) -> JSONResponse:
    """Add a newest issuer key; older credentials keep verifying with the old one."""
    return JSONResponse({"verificationMethod": issuer.rotate_key(source)})
