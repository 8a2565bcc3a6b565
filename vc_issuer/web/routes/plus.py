"""Blauwe Knop Plus over HTTP: recipients fetch, citizens grant, list, read logs and revoke.

Bodies are read by hand (OAuth-style errors, never 422); the work runs in the
threadpool (docs/protocols.md, P31). Citizen endpoints behind the login accept JSON
bodies only, so a cross-site form cannot post to them (with the SameSite
session cookie, the CSRF defence of this API; pages add their own tokens).
The operator's routes come first: a ``/{source}/plus/…`` route would
otherwise take the ``/admin/plus/…`` paths.

========  ====================================================  =======================
who       endpoint                                              authenticated by
========  ====================================================  =======================
recipient ``POST /{source}/plus/credential`` (form)             client assertion (RFC 7523)
wallet    ``POST /{source}/plus/nonce``                         —
wallet    ``POST /{source}/plus/grants``                        consent-request+jwt + VP
wallet    ``POST /{source}/plus/grants/{id}/revoke``, ``…/status``  consent-control+jwt
citizen   ``GET|POST /plus/grants``, ``GET /plus/grants/{id}``,     the source's login
          ``POST /plus/grants/{id}/revoke``, ``GET …/access-log``
anyone    ``GET /plus/recipients``                              —
operator  ``GET|POST /admin/{source}/plus/recipients``,          admin bearer token
          ``GET /admin/plus/grants/{id}``, ``POST …/revoke``
========  ====================================================  =======================
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Annotated, Any, TypeVar

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool

from vc_core.limits import client_address
from vc_issuer.errors import InvalidRequest
from vc_issuer.plus import PlusService
from vc_issuer.plus.service import recipient_json
from vc_issuer.web.deps import AdminDep, CitizenDep
from vc_issuer.web.errors import NO_STORE
from vc_issuer.web.openapi import (
    ADMIN,
    CITIZEN,
    NO_SOURCE,
    Responses,
    both,
    form_request,
    json_body,
    json_request,
    oauth_error,
    problem,
    with_challenge,
)

router = APIRouter(tags=["Blauwe Knop Plus"])

_REFUSED: Responses = {
    400: both("The request is refused: an OAuth error, or a problem for a malformed document."),
    403: oauth_error("The grant does not allow this (access_denied or insufficient_scope)."),
}
_NO_GRANT: Responses = {404: problem("No such source, or no grant with this id.")}
_GRANT = json_body("The grant as the source keeps it.")
_JWT_BODY = json_request(
    {
        "type": "object",
        "required": ["request"],
        "properties": {"request": {"type": "string", "description": "The signed JWT."}},
    }
)

_T = TypeVar("_T")


def get_plus(request: Request) -> PlusService:
    plus: PlusService = request.app.state.plus
    return plus


PlusDep = Annotated[PlusService, Depends(get_plus)]


async def _json(request: Request, *, required: bool = True) -> Any:
    """The JSON body; ``invalid_request`` for anything else (and for a non-JSON type).

    The app's request guard has read it already, within the Plus routes' limit.
    """
    media_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    body = await request.body()
    if media_type != "application/json":
        raise InvalidRequest("send the body as application/json")
    if not body and not required:
        return {}
    try:
        return json.loads(body)
    except (ValueError, RecursionError) as exc:
        raise InvalidRequest("the body is not JSON") from exc


async def _form(request: Request) -> dict[str, str]:
    """The form fields (text only); ``invalid_request`` for another body."""
    media_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media_type != "application/x-www-form-urlencoded":
        raise InvalidRequest("send the request as application/x-www-form-urlencoded")
    form = await request.form()
    return {name: value for name, value in form.items() if isinstance(value, str)}


async def _run(call: Callable[..., _T], *args: Any, **kwargs: Any) -> _T:
    return await run_in_threadpool(call, *args, **kwargs)


def _reply(body: Any, status: int = 200) -> JSONResponse:
    return JSONResponse(body, status_code=status, headers=NO_STORE)


# The operator ----------------------------------------------------------------------------------


@router.post(
    "/admin/{source}/plus/recipients",
    status_code=201,
    responses={
        201: json_body("The recipient as registered."),
        **_REFUSED,
        **ADMIN,
        **NO_SOURCE,
    },
    openapi_extra=json_request(
        {
            "type": "object",
            "required": ["did", "name", "purposes", "scopes"],
            "properties": {
                "did": {"type": "string"},
                "name": {"type": "string"},
                "purposes": {"type": "array", "items": {"type": "string"}},
                "scopes": {"type": "array", "items": {"type": "object"}},
                "keys": {"type": ["array", "null"], "items": {"type": "object"}},
                "active": {"type": "boolean"},
            },
        }
    ),
)
async def register_recipient(
    source: str, request: Request, plus: PlusDep, _admin: AdminDep
) -> JSONResponse:
    """Register (or update) a recipient at a source."""
    body = await _json(request)
    if not isinstance(body, dict):
        raise InvalidRequest("the registration must be a JSON object")
    record = await _run(
        plus.register_recipient,
        source,
        did=body.get("did"),
        name=body.get("name"),
        purposes=body.get("purposes"),
        scopes=body.get("scopes"),
        keys=body.get("keys"),
        active=body.get("active", True) is not False,
    )
    return _reply(recipient_json(record), 201)


@router.get(
    "/admin/{source}/plus/recipients",
    responses={
        200: json_body("The recipients.", {"type": "array", "items": {"type": "object"}}),
        **ADMIN,
        **NO_SOURCE,
    },
)
async def source_recipients(source: str, plus: PlusDep, _admin: AdminDep) -> JSONResponse:
    """The recipients registered at a source."""
    records = await _run(plus.recipients, source)
    return _reply([recipient_json(record) for record in records])


@router.get("/admin/plus/grants/{grant_id}", responses={200: _GRANT, **ADMIN, **_NO_GRANT})
async def admin_grant(grant_id: str, plus: PlusDep, _admin: AdminDep) -> JSONResponse:
    """A grant and its access log (with the chain check), for the privacy officer."""
    view = await _run(plus.grant, grant_id)
    log = await _run(plus.access_log, grant_id)
    return _reply({**view.to_json(), "access_log": log.to_json()})


@router.post("/admin/plus/grants/{grant_id}/revoke", responses={200: _GRANT, **ADMIN, **_NO_GRANT})
async def admin_revoke(grant_id: str, plus: PlusDep, _admin: AdminDep) -> JSONResponse:
    """Revoke a grant as the operator (e.g. on the citizen's request by phone)."""
    return _reply((await _run(plus.revoke, grant_id)).to_json())


# Recipients ------------------------------------------------------------------------------------


@router.post(
    "/{source}/plus/credential",
    responses={
        200: json_body("The credentials the grant allows, addressed to the recipient."),
        **_REFUSED,
        401: with_challenge(oauth_error("The client assertion is missing or not valid.")),
        **NO_SOURCE,
    },
    openapi_extra=form_request(
        {
            "type": "object",
            "required": ["client_assertion_type", "client_assertion", "grant"],
            "properties": {
                "client_assertion_type": {"type": "string"},
                "client_assertion": {"type": "string"},
                "grant": {"type": "string"},
                "credential_configuration_id": {"type": "string"},
                "claims": {"type": "string"},
            },
        }
    ),
)
async def fetch_credential(source: str, request: Request, plus: PlusDep) -> JSONResponse:
    """A recipient fetches a fresh credential under the citizen's grant (form body).

    Refusals before the recipient authenticates are counted per client, not logged.
    """
    client = client_address(request.scope)
    plus.check_anonymous_limit(client)
    try:
        form = await _form(request)
    except InvalidRequest:
        plus.count_anonymous_refusal(client)
        raise
    result = await _run(plus.fetch, source, form, client=client)
    return _reply(result.to_json())


@router.get(
    "/plus/recipients",
    responses={
        200: json_body("The active recipients.", {"type": "array", "items": {"type": "object"}})
    },
)
async def list_recipients(plus: PlusDep) -> JSONResponse:
    """Who is registered to receive what, for which purposes (public; keys left out)."""
    records = await _run(plus.recipients)
    shown = [{k: v for k, v in recipient_json(r).items() if k != "keys"} for r in records]
    return _reply([entry for entry in shown if entry["active"]])


# The wallet ------------------------------------------------------------------------------------


@router.post(
    "/{source}/plus/nonce",
    responses={
        200: json_body(
            "A fresh nonce.",
            {
                "type": "object",
                "required": ["c_nonce"],
                "properties": {"c_nonce": {"type": "string"}},
            },
        ),
        **NO_SOURCE,
    },
)
async def consent_nonce(source: str, plus: PlusDep) -> JSONResponse:
    """A fresh nonce for a wallet's consent request."""
    return _reply({"c_nonce": await _run(plus.nonce, source)})


@router.post(
    "/{source}/plus/grants",
    status_code=201,
    responses={201: _GRANT, **_REFUSED, **NO_SOURCE},
    openapi_extra=_JWT_BODY,
)
async def wallet_grant(source: str, request: Request, plus: PlusDep) -> JSONResponse:
    """The wallet grants consent with a holder-signed request (no login)."""
    body = await _json(request)
    view = await _run(plus.grant_from_wallet, source, body)
    return _reply(view.to_json(), 201)


@router.post(
    "/{source}/plus/grants/{grant_id}/revoke",
    responses={200: _GRANT, **_REFUSED, **_NO_GRANT},
    openapi_extra=_JWT_BODY,
)
async def wallet_revoke(
    source: str, grant_id: str, request: Request, plus: PlusDep
) -> JSONResponse:
    """The wallet revokes a grant, signed with the grant's holder key."""
    body = await _json(request)
    return _reply(await _run(plus.control_from_wallet, source, grant_id, body, action="revoke"))


@router.post(
    "/{source}/plus/grants/{grant_id}/status",
    responses={200: _GRANT, **_REFUSED, **_NO_GRANT},
    openapi_extra=_JWT_BODY,
)
async def wallet_status(
    source: str, grant_id: str, request: Request, plus: PlusDep
) -> JSONResponse:
    """The wallet reads a grant and its signed access log."""
    body = await _json(request)
    return _reply(await _run(plus.control_from_wallet, source, grant_id, body, action="status"))


# The citizen, logged in ------------------------------------------------------------------------


@router.get(
    "/plus/grants",
    responses={
        200: json_body("The grants.", {"type": "array", "items": {"type": "object"}}),
        **CITIZEN,
    },
)
async def citizen_grants(bsn: CitizenDep, plus: PlusDep) -> JSONResponse:
    """The logged-in citizen's grants, oldest first."""
    views = await _run(plus.grants_for_citizen, bsn)
    return _reply([view.to_json() for view in views])


@router.post(
    "/plus/grants",
    status_code=201,
    responses={201: _GRANT, **_REFUSED, **CITIZEN, 404: problem("No such source.")},
    openapi_extra=json_request({"type": "object"}),
)
async def citizen_grant(request: Request, bsn: CitizenDep, plus: PlusDep) -> JSONResponse:
    """The logged-in citizen grants consent (JSON terms)."""
    terms = await _json(request)
    view = await _run(plus.grant_for_citizen, bsn, terms)
    return _reply(view.to_json(), 201)


@router.get("/plus/grants/{grant_id}", responses={200: _GRANT, **CITIZEN, **_NO_GRANT})
async def citizen_grant_detail(grant_id: str, bsn: CitizenDep, plus: PlusDep) -> JSONResponse:
    """One of the citizen's grants with its access log."""
    view = await _run(plus.grant_of_citizen, bsn, grant_id)
    log = await _run(plus.access_log_for_citizen, bsn, grant_id)
    return _reply({**view.to_json(), "access_log": log.to_json()})


@router.post(
    "/plus/grants/{grant_id}/revoke",
    responses={200: _GRANT, **_REFUSED, **CITIZEN, **_NO_GRANT},
    openapi_extra=json_request({"type": "object"}, required=False),
)
async def citizen_revoke(
    grant_id: str, request: Request, bsn: CitizenDep, plus: PlusDep
) -> JSONResponse:
    """The logged-in citizen revokes a grant; it takes effect at once."""
    await _json(request, required=False)
    view = await _run(plus.revoke_for_citizen, bsn, grant_id)
    return _reply(view.to_json())


@router.get(
    "/plus/grants/{grant_id}/access-log",
    responses={
        200: json_body(
            "The access log, and the same signed by the source.",
            {"type": "object", "required": ["log", "signed"]},
        ),
        **CITIZEN,
        **_NO_GRANT,
    },
)
async def citizen_access_log(grant_id: str, bsn: CitizenDep, plus: PlusDep) -> JSONResponse:
    """A grant's access log to keep: the entries and the same signed by the source."""
    log = await _run(plus.access_log_for_citizen, bsn, grant_id)
    return _reply({"log": log.to_json(), "signed": await _run(plus.export_access_log, grant_id)})
