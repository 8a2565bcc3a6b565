"""OpenID4VCI endpoints: offer by reference, token, nonce, credential, deferred, notification.

Declared here for the OpenAPI contract; :mod:`vc_issuer.web.wallet_flow` calls
these functions for the requests, in front of FastAPI's routing
(docs/protocols.md, P31).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Form, Response
from fastapi.responses import JSONResponse

from vc_issuer.oid4vci import EndpointResponse
from vc_issuer.web.deps import AuthorizationHeader, ServiceDep
from vc_issuer.web.errors import NO_STORE
from vc_issuer.web.openapi import (
    NO_SOURCE,
    Responses,
    json_body,
    json_request,
    oauth_error,
    problem,
    with_challenge,
)

router = APIRouter(tags=["OpenID4VCI"])

OptionalForm = Annotated[str | None, Form()]
_REQUEST_ERROR: Responses = {
    400: oauth_error("The request is refused (an OAuth error code says why).")
}
_TOKEN_ERROR: Responses = {
    401: with_challenge(oauth_error("The access token is missing, unknown or expired.")),
}
_DEFERRED = json_body(
    "Issuance is deferred: poll the deferred credential endpoint with transaction_id.",
    {
        "type": "object",
        "required": ["transaction_id", "interval"],
        "properties": {"transaction_id": {"type": "string"}, "interval": {"type": "integer"}},
    },
)
_CREDENTIALS = json_body(
    "The credentials, one per key proof.",
    {
        "type": "object",
        "required": ["credentials"],
        "properties": {
            "credentials": {
                "type": "array",
                "items": {"type": "object", "required": ["credential"]},
            },
            "notification_id": {"type": "string"},
        },
    },
)


def _respond(result: EndpointResponse) -> Response:
    if result.body is None:
        return Response(status_code=result.status, headers=NO_STORE)
    return JSONResponse(result.body, status_code=result.status, headers=NO_STORE)


@router.get(
    "/{source}/offers/{offer_id}",
    responses={
        200: json_body("The credential offer."),
        404: problem("No such source, or no open offer with this id (unknown or used)."),
        410: problem("The offer has expired."),
    },
)
def credential_offer(source: str, offer_id: str, service: ServiceDep) -> JSONResponse:
    """A credential offer by reference (404 unknown or used, 410 expired)."""
    return JSONResponse(service.offer(source, offer_id), headers=NO_STORE)


@router.post(
    "/{source}/token",
    responses={
        200: json_body(
            "The access token.",
            {
                "type": "object",
                "required": ["access_token", "token_type", "expires_in"],
                "properties": {
                    "access_token": {"type": "string"},
                    "token_type": {"type": "string"},
                    "expires_in": {"type": "integer"},
                },
            },
        ),
        **_REQUEST_ERROR,
        **NO_SOURCE,
    },
)
def token(
    source: str,
    service: ServiceDep,
    grant_type: OptionalForm = None,
    pre_authorized_code: Annotated[str | None, Form(alias="pre-authorized_code")] = None,
    tx_code: OptionalForm = None,
) -> Response:
    """Token endpoint: the pre-authorized code grant (form body)."""
    form = {"grant_type": grant_type, "pre-authorized_code": pre_authorized_code}
    fields = {name: value for name, value in form.items() if value is not None}
    if tx_code is not None:
        fields["tx_code"] = tx_code
    return _respond(service.token(source, fields))


@router.post(
    "/{source}/nonce",
    responses={
        200: json_body(
            "A fresh c_nonce for key proofs.",
            {
                "type": "object",
                "required": ["c_nonce"],
                "properties": {"c_nonce": {"type": "string"}},
            },
        ),
        **NO_SOURCE,
    },
)
def nonce(source: str, service: ServiceDep) -> Response:
    """Nonce endpoint: a fresh ``c_nonce`` (no token needed)."""
    return _respond(service.nonce(source))


@router.post(
    "/{source}/credential",
    responses={
        200: _CREDENTIALS,
        202: _DEFERRED,
        **_REQUEST_ERROR,
        **_TOKEN_ERROR,
        **NO_SOURCE,
    },
    openapi_extra=json_request(
        {
            "type": "object",
            "properties": {
                "credential_configuration_id": {"type": "string"},
                "credential_identifier": {"type": "string"},
                "proofs": {
                    "type": "object",
                    "properties": {"jwt": {"type": "array", "items": {"type": "string"}}},
                },
            },
        }
    ),
)
def credential(
    source: str,
    service: ServiceDep,
    body: Annotated[Any, Body()],
    authorization: AuthorizationHeader = None,
) -> Response:
    """Credential endpoint: one credential per JWT key proof (or 202 deferred)."""
    return _respond(service.credential(source, authorization, body))


@router.post(
    "/{source}/deferred_credential",
    responses={
        200: _CREDENTIALS,
        202: _DEFERRED,
        **_REQUEST_ERROR,
        **_TOKEN_ERROR,
        **NO_SOURCE,
    },
    openapi_extra=json_request(
        {
            "type": "object",
            "required": ["transaction_id"],
            "properties": {"transaction_id": {"type": "string"}},
        }
    ),
)
def deferred_credential(
    source: str,
    service: ServiceDep,
    body: Annotated[Any, Body()],
    authorization: AuthorizationHeader = None,
) -> Response:
    """Deferred credential endpoint: 202 while under review, the credentials when approved."""
    return _respond(service.deferred_credential(source, authorization, body))


@router.post(
    "/{source}/notification",
    status_code=204,
    responses={
        204: {"description": "The notification is taken."},
        **_REQUEST_ERROR,
        **_TOKEN_ERROR,
        **NO_SOURCE,
    },
    openapi_extra=json_request(
        {
            "type": "object",
            "required": ["notification_id", "event"],
            "properties": {
                "notification_id": {"type": "string"},
                "event": {
                    "enum": ["credential_accepted", "credential_failure", "credential_deleted"]
                },
                "event_description": {"type": "string"},
            },
        }
    ),
)
def notification(
    source: str,
    service: ServiceDep,
    body: Annotated[Any, Body()],
    authorization: AuthorizationHeader = None,
) -> Response:
    """Notification endpoint: the wallet reports accepted, failed or deleted credentials."""
    return _respond(service.notification(source, authorization, body))
