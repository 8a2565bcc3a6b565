"""A ready FastAPI router for the OpenID4VP endpoints (extra ``verifier-web``).

The only module of vc_verifier that imports FastAPI. Mount it in the
landlord's app::

    app.include_router(create_router(verifier, on_outcome=decide))

and create requests with ``response_uri="https://<host>/oid4vp/response"``;
the default ``request_uri`` (``…/oid4vp/request/<request_id>``) is then served
here too.

- ``GET {prefix}/request/{request_id}``: the signed request object,
  ``application/oauth-authz-req+jwt``; 404 once answered or expired.
- ``POST {prefix}/response``: the wallet's ``direct_post`` form; ``200 {}``
  when it verified (or the wallet reported an error), ``400
  {"error": "invalid_request", …}`` otherwise. It never redirects (P26).
  An answer that does not verify leaves the transaction open until the
  verifier's ``max_failed_responses`` (see :meth:`Verifier.handle_response`).
- ``GET {prefix}/transactions/{transaction_id}``: the status for the
  landlord's page to poll (no claims, only status, problem codes and what
  ``on_outcome`` returned), served only with ``status_access``: it decides
  per request whether the caller may read that transaction (e.g. the desk
  that started it; 404 otherwise).

Each operation documents its statuses, bodies and media types in the host
app's OpenAPI document; what all of them can answer is in
:data:`COMMON_RESPONSES`, given to the router once: among them 408, 413 and
429 (:data:`vc_core.limits.GUARD_RESPONSES`). Put
:class:`vc_core.limits.RequestGuard` in front of the app, as the landlord's
page does, so that bodies are capped and read before anything else runs.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qsl

from fastapi import APIRouter, Request, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse

from vc_core.errors import VerificationError
from vc_core.limits import GUARD_RESPONSES
from vc_core.types import JsonObject
from vc_verifier.errors import UnknownTransactionError
from vc_verifier.results import PresentationOutcome
from vc_verifier.verifier import Verifier

__all__ = ["COMMON_RESPONSES", "MAX_BODY_BYTES", "create_router"]

MAX_BODY_BYTES = 8 * 2**20
"""Largest ``direct_post`` body read (form encoding triples a ``vp_token`` at worst)."""
_FORM = "application/x-www-form-urlencoded"
_MAX_FIELDS = 16
_NO_STORE = {"Cache-Control": "no-store"}
_OAUTH_ERROR: dict[str, Any] = {
    "application/json": {
        "schema": {
            "type": "object",
            "required": ["error"],
            "properties": {"error": {"type": "string"}, "error_description": {"type": "string"}},
        }
    }
}
COMMON_RESPONSES: dict[int | str, dict[str, Any]] = {
    500: {"description": "The host app could not handle the request."},
    **GUARD_RESPONSES,
}
"""Responses every operation of the router can give, declared once for all of them."""


def _error(status: int, description: str, error: str = "invalid_request") -> JSONResponse:
    return JSONResponse(
        {"error": error, "error_description": description}, status_code=status, headers=_NO_STORE
    )


async def _read_form(request: Request, max_body_bytes: int) -> dict[str, str] | JSONResponse:
    """Read a bounded url-encoded body into single-valued fields, or the 4xx answer."""
    media_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media_type != _FORM:
        return _error(400, f"the response must be {_FORM}")
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > max_body_bytes:
            return _error(413, f"the response body exceeds {max_body_bytes} bytes")
    try:
        pairs = parse_qsl(
            body.decode("utf-8"),
            keep_blank_values=True,
            strict_parsing=bool(body),
            errors="strict",
            max_num_fields=_MAX_FIELDS,
        )
    except (UnicodeDecodeError, ValueError) as exc:
        return _error(400, f"the response body is not a valid form: {exc}")
    fields = dict(pairs)
    if len(fields) != len(pairs):
        return _error(400, "a form field appears more than once")
    return fields


def create_router(
    verifier: Verifier,
    *,
    prefix: str = "/oid4vp",
    on_outcome: Callable[[PresentationOutcome], JsonObject | None] | None = None,
    max_body_bytes: int = MAX_BODY_BYTES,
    status_access: Callable[[Request, str], bool] | None = None,
) -> APIRouter:
    """Return a router serving request objects, ``direct_post`` responses and status polls.

    ``on_outcome`` runs for every transaction that ends with an answer (in a
    worker thread); what it returns is kept for the polling endpoint, e.g. a
    policy decision. ``status_access(request, transaction_id)`` says whether a
    caller may poll a transaction; without it the polling endpoint is not
    served (a transaction's decision is for the one who started it).
    """
    router = APIRouter(prefix=prefix, responses=COMMON_RESPONSES)

    @router.get(
        "/request/{request_id}",
        response_class=Response,
        responses={
            200: {
                "description": "The signed request object.",
                "content": {"application/oauth-authz-req+jwt": {"schema": {"type": "string"}}},
            },
            404: {"description": "No open request has this id.", "content": _OAUTH_ERROR},
        },
    )
    def request_object(request_id: str) -> Response:
        try:
            token = verifier.request_object(request_id)
        except UnknownTransactionError:
            return _error(404, "no open request has this id")
        return Response(token, media_type="application/oauth-authz-req+jwt", headers=_NO_STORE)

    @router.post(
        "/response",
        responses={
            200: {
                "description": "Taken: the presentation verified, or the wallet's error is noted.",
                "content": {"application/json": {"schema": {"type": "object"}}},
            },
            400: {"description": "Refused (invalid_request says why).", "content": _OAUTH_ERROR},
            413: {
                "description": "The body is larger than the router reads.",
                "content": _OAUTH_ERROR,
            },
        },
        openapi_extra={
            "requestBody": {
                "required": True,
                "content": {
                    _FORM: {
                        "schema": {
                            "type": "object",
                            "required": ["state"],
                            "properties": {
                                "vp_token": {"type": "string"},
                                "state": {"type": "string"},
                                "error": {"type": "string"},
                                "error_description": {"type": "string"},
                            },
                        }
                    }
                },
            }
        },
    )
    async def response(request: Request) -> Response:
        fields = await _read_form(request, max_body_bytes)
        if isinstance(fields, Response):
            return fields
        try:
            outcome = await run_in_threadpool(
                verifier.handle_response, fields, on_outcome=on_outcome
            )
        except VerificationError as exc:
            return _error(400, f"{exc.code}: {exc.detail}")
        if outcome.status == "rejected":
            codes = sorted({problem.code for problem in outcome.problems})
            return _error(400, "the presentation was refused: " + ", ".join(codes))
        return JSONResponse({}, headers=_NO_STORE)

    if status_access is None:
        return router

    @router.get(
        "/transactions/{transaction_id}",
        responses={
            200: {
                "description": "The transaction's status (no claims).",
                "content": {"application/json": {"schema": {"type": "object"}}},
            },
            404: {"description": "No transaction has this id.", "content": _OAUTH_ERROR},
        },
    )
    def transaction_status(transaction_id: str, request: Request) -> Response:
        status = verifier.transaction_status(transaction_id)
        if status is None or not status_access(request, transaction_id):
            return _error(404, "no transaction has this id")
        return JSONResponse(status.to_json(), headers=_NO_STORE)

    return router
