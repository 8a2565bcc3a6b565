"""OpenID4VCI endpoints: offer by reference, token, nonce, credential, deferred, notification.

CPU-heavy and database-bound handlers are plain ``def`` so they run in the
threadpool, not on the event loop (docs/protocols.md, P31).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Form, Response
from fastapi.responses import JSONResponse

from vc_issuer.oid4vci import EndpointResponse
from vc_issuer.web.deps import AuthorizationHeader, ServiceDep
from vc_issuer.web.errors import NO_STORE

router = APIRouter(tags=["OpenID4VCI"])

OptionalForm = Annotated[str | None, Form()]


def _respond(result: EndpointResponse) -> Response:
    if result.body is None:
        return Response(status_code=result.status, headers=NO_STORE)
    return JSONResponse(result.body, status_code=result.status, headers=NO_STORE)


@router.get("/{source}/offers/{offer_id}")
def credential_offer(source: str, offer_id: str, service: ServiceDep) -> JSONResponse:
    """A credential offer by reference (404 unknown or used, 410 expired)."""
    return JSONResponse(service.offer(source, offer_id), headers=NO_STORE)


@router.post("/{source}/token")
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


@router.post("/{source}/nonce")
def nonce(source: str, service: ServiceDep) -> Response:
    """Nonce endpoint: a fresh ``c_nonce`` (no token needed)."""
    return _respond(service.nonce(source))


@router.post("/{source}/credential")
def credential(
    source: str,
    service: ServiceDep,
    body: Annotated[Any, Body()],
    authorization: AuthorizationHeader = None,
) -> Response:
    """Credential endpoint: one credential per JWT key proof (or 202 deferred)."""
    return _respond(service.credential(source, authorization, body))


@router.post("/{source}/deferred_credential")
def deferred_credential(
    source: str,
    service: ServiceDep,
    body: Annotated[Any, Body()],
    authorization: AuthorizationHeader = None,
) -> Response:
    """Deferred credential endpoint: 202 while under review, the credentials when approved."""
    return _respond(service.deferred_credential(source, authorization, body))


@router.post("/{source}/notification", status_code=204)
def notification(
    source: str,
    service: ServiceDep,
    body: Annotated[Any, Body()],
    authorization: AuthorizationHeader = None,
) -> Response:
    """Notification endpoint: the wallet reports accepted, failed or deleted credentials."""
    return _respond(service.notification(source, authorization, body))
