"""HTTP error mapping: OAuth errors as JSON, everything else as RFC 9457 problems, never 422."""

from __future__ import annotations

import functools
import logging
import re
from collections.abc import Sequence
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from vc_core.errors import ProofGenerationError, VcError
from vc_core.limits import PROBLEM_JSON, retry_after
from vc_issuer.errors import IssuerError, OAuthError, TooManyRequests

__all__ = [
    "NO_STORE",
    "OAUTH_ENDPOINTS",
    "PROBLEM_JSON",
    "install_error_handlers",
    "problem_response",
    "typed_error_response",
    "validation_detail",
]

NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache"}
_SECURITY_VOCAB = "https://w3id.org/security#"
# The last path segment of the endpoints that answer OAuth-style errors, and the
# error a malformed body gets there.
OAUTH_ENDPOINTS = {
    "token": "invalid_request",
    "nonce": "invalid_request",
    "credential": "invalid_credential_request",
    "deferred_credential": "invalid_credential_request",
    "notification": "invalid_notification_request",
}
_log = logging.getLogger("vc_issuer.web")


def problem_response(
    status: int,
    code: str,
    detail: str,
    *,
    type_uri: str = "about:blank",
    headers: dict[str, str] | None = None,
) -> JSONResponse:
    """An ``application/problem+json`` response (RFC 9457) with our ``code`` as an extension."""
    body = {"type": type_uri, "title": code, "status": status, "detail": detail, "code": code}
    return JSONResponse(body, status_code=status, media_type=PROBLEM_JSON, headers=headers)


def oauth_response(error: OAuthError) -> JSONResponse:
    """``{"error", "error_description"}`` with 400 (401 and WWW-Authenticate for a bad token)."""
    headers = dict(NO_STORE)
    if error.status == 401:
        headers["WWW-Authenticate"] = (
            f'Bearer error="{error.error}", error_description="{error.description}"'
        )
    return JSONResponse(error.body(), status_code=error.status, headers=headers)


def _oauth_endpoint(request: Request) -> str | None:
    return OAUTH_ENDPOINTS.get(request.url.path.rstrip("/").rpartition("/")[2])


def typed_error_response(exc: Exception) -> JSONResponse | None:
    """The answer to one of our typed errors; ``None`` for any other exception.

    An ``OAuthError`` is an OAuth error object; another ``IssuerError`` a problem with
    its status; a ``VcError`` a problem (500 for a proof the issuer cannot make).
    """
    if isinstance(exc, OAuthError):
        _log.info("oauth_error", extra={"error": exc.error})
        return oauth_response(exc)
    if isinstance(exc, IssuerError):
        if exc.status >= 500:
            _log.error("issuer_error", extra={"code": exc.code})
        headers = dict(NO_STORE)
        if isinstance(exc, TooManyRequests):
            headers["Retry-After"] = retry_after(exc.retry_after)
        return problem_response(exc.status, exc.code or "ISSUER_ERROR", exc.detail, headers=headers)
    if isinstance(exc, VcError):
        code = exc.code or "VC_ERROR"
        # Implementation note: the issuer signs only its own data, so a proof it cannot
        # make is its fault (500); untrusted input reaches vc_core through handlers that
        # answer 400 themselves (the VC API).
        status = 500 if isinstance(exc, ProofGenerationError) else 400
        if status == 500:
            _log.error("proof_generation_failed", extra={"code": code})
        return problem_response(status, code, exc.detail, type_uri=_SECURITY_VOCAB + code)
    return None


def validation_detail(errors: Sequence[Any], *, location: tuple[str, ...] = ()) -> str:
    """What a 400 says of a failed validation: where (``body.bsn``) and why, of the first error.

    ``errors`` are pydantic's error details; ``location`` is put before their ``loc``.
    """
    first = errors[0] if errors else {}
    where = ".".join(str(part) for part in (*location, *first.get("loc", ())))
    return f"{where}: {first.get('msg', 'invalid request')}" if where else "invalid request"


async def _on_typed_error(request: Request, exc: Exception) -> JSONResponse:
    response = typed_error_response(exc)
    assert response is not None
    return response


async def _on_validation_error(request: Request, exc: Exception) -> JSONResponse:
    """A body or parameter FastAPI could not parse: 400, never 422."""
    assert isinstance(exc, RequestValidationError)
    detail = validation_detail(exc.errors())
    oauth_error = _oauth_endpoint(request)
    if oauth_error is not None:
        return oauth_response(OAuthError(detail, error=oauth_error))
    return problem_response(
        400, "PARSING_ERROR", detail, type_uri=_SECURITY_VOCAB + "PARSING_ERROR"
    )


_METHODS = ("get", "put", "post", "delete", "patch", "head", "options")


@functools.cache
def _template(path: str) -> re.Pattern[str]:
    """A documented path (``/{source}/did.json``) as a pattern for request paths."""
    parts = re.split(r"(\{[^/{}]+\})", path)
    return re.compile("".join("[^/]+" if p.startswith("{") else re.escape(p) for p in parts))


def _allowed_methods(request: Request) -> str | None:
    """Every method the OpenAPI contract documents for this path, for ``Allow``; else ``None``.

    Implementation note: Starlette names only the methods of the first route
    whose path matches, while a path may be served by several routes (a ``GET``
    and a ``POST`` handler, or a literal and a ``/{source}/…`` route).

    Spec: rfc9110#name-405-method-not-allowed
    """
    path = request.scope.get("path", "")
    documented = request.app.openapi().get("paths", {})
    methods = {
        method.upper()
        for template, item in documented.items()
        if _template(template).fullmatch(path)
        for method in item
        if method in _METHODS
    }
    return ", ".join(sorted(methods)) if methods else None


async def _on_http_error(request: Request, exc: Exception) -> JSONResponse:
    """An error Starlette raised: a 405 (with a complete ``Allow``), or a body it cannot read."""
    assert isinstance(exc, StarletteHTTPException)
    headers = dict(exc.headers or {})
    if exc.status_code == 405:
        headers["Allow"] = _allowed_methods(request) or headers.get("Allow", "")
    oauth_error = _oauth_endpoint(request)
    if exc.status_code == 400 and oauth_error is not None:
        return oauth_response(OAuthError(str(exc.detail), error=oauth_error))
    return problem_response(exc.status_code, "HTTP_ERROR", str(exc.detail), headers=headers)


async def _on_unexpected(request: Request, exc: Exception) -> JSONResponse:
    # Implementation note: only the class name is logged; messages of database errors
    # can carry query parameters (personal data).
    _log.error("unexpected_error", extra={"error": type(exc).__name__})
    return problem_response(500, "INTERNAL_ERROR", "the issuer could not handle this request")


def install_error_handlers(app: FastAPI) -> None:
    """Register the handlers on ``app``."""
    for typed in (OAuthError, IssuerError, VcError):
        app.add_exception_handler(typed, _on_typed_error)
    app.add_exception_handler(RequestValidationError, _on_validation_error)
    app.add_exception_handler(StarletteHTTPException, _on_http_error)
    app.add_exception_handler(Exception, _on_unexpected)
