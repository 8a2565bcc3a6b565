"""The issuer app's OpenAPI contract: response and body descriptions shared by the routes.

Each route lists the statuses it answers with the helpers below. What every
operation can answer is declared once, in :data:`COMMON_RESPONSES`, and added
to every operation by :func:`install_openapi`, which also keeps the document
true to the error handlers: a body or parameter FastAPI cannot parse answers
400 (an OAuth error at the OAuth endpoints, an RFC 9457 problem elsewhere),
never the 422 FastAPI would document. ``tests/issuer/test_openapi.py`` checks
the contract with schemathesis.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

from vc_core.limits import GUARD_RESPONSES, PROBLEM_SCHEMA
from vc_issuer.web.errors import OAUTH_ENDPOINTS, PROBLEM_JSON

__all__ = [
    "ADMIN",
    "CITIZEN",
    "COMMON_RESPONSES",
    "JSON_OBJECT",
    "NO_SOURCE",
    "OAUTH_ERROR_SCHEMA",
    "PROBLEM_SCHEMA",
    "Responses",
    "both",
    "form_request",
    "install_openapi",
    "json_body",
    "json_request",
    "oauth_error",
    "problem",
    "with_challenge",
]

Response = dict[str, Any]
Responses = dict[int | str, Response]
"""What a route's ``responses=`` takes: a response per status code."""

JSON_OBJECT: Mapping[str, Any] = {"type": "object"}
OAUTH_ERROR_SCHEMA: Mapping[str, Any] = {
    "type": "object",
    "description": "An OAuth 2.0 error response (RFC 6749 section 5.2).",
    "required": ["error"],
    "properties": {"error": {"type": "string"}, "error_description": {"type": "string"}},
}


def problem(description: str) -> Response:
    """A response documented as an ``application/problem+json`` problem."""
    return {"description": description, "content": {PROBLEM_JSON: {"schema": PROBLEM_SCHEMA}}}


def oauth_error(description: str) -> Response:
    """A response documented as an OAuth error object (``application/json``)."""
    return {
        "description": description,
        "content": {"application/json": {"schema": OAUTH_ERROR_SCHEMA}},
    }


def json_body(
    description: str,
    schema: Mapping[str, Any] = JSON_OBJECT,
    *,
    media_type: str = "application/json",
) -> Response:
    """A response with a JSON body of ``schema``."""
    return {"description": description, "content": {media_type: {"schema": dict(schema)}}}


def json_request(schema: Mapping[str, Any], *, required: bool = True) -> dict[str, Any]:
    """``openapi_extra`` for a route that reads its JSON body itself."""
    return {
        "requestBody": {
            "required": required,
            "content": {"application/json": {"schema": dict(schema)}},
        }
    }


def form_request(schema: Mapping[str, Any]) -> dict[str, Any]:
    """``openapi_extra`` for a route that reads an ``application/x-www-form-urlencoded`` body."""
    return {
        "requestBody": {
            "required": True,
            "content": {"application/x-www-form-urlencoded": {"schema": dict(schema)}},
        }
    }


def both(description: str) -> Response:
    """A 400 that is an OAuth error or, for a malformed JSON-LD document, a problem."""
    return {
        "description": description,
        "content": {
            "application/json": {"schema": OAUTH_ERROR_SCHEMA},
            PROBLEM_JSON: {"schema": PROBLEM_SCHEMA},
        },
    }


def with_challenge(response: Response) -> Response:
    """``response`` with the ``WWW-Authenticate`` header a 401 carries."""
    header = {"description": "The Bearer challenge (RFC 6750).", "schema": {"type": "string"}}
    return {**response, "headers": {"WWW-Authenticate": header}}


ADMIN: Responses = {401: problem("The admin bearer token is missing or wrong.")}
"""What an operation behind the admin token adds."""
CITIZEN: Responses = {401: problem("Nobody is logged in (development: see /demo-login).")}
"""What an operation behind the citizen's login adds."""
NO_SOURCE: Responses = {404: problem("The service runs no such source.")}
"""What an operation under ``/{source}`` adds."""


COMMON_RESPONSES: Mapping[str, Response] = {
    "500": problem("The service could not handle the request (only its route is logged)."),
    # The request guard's answers (body too large or too slow, a rate limit).
    **{str(status): response for status, response in GUARD_RESPONSES.items()},
}
"""Responses every operation can give, declared once for all of them."""


def _is_oauth_endpoint(path: str) -> bool:
    return path.rstrip("/").rpartition("/")[2] in OAUTH_ENDPOINTS


def _operations(document: Mapping[str, Any]) -> Iterable[tuple[str, dict[str, Any]]]:
    for path, item in document.get("paths", {}).items():
        for method, operation in item.items():
            if method in ("get", "put", "post", "delete", "patch", "head", "options"):
                yield path, operation


def _contract(app: FastAPI, sources: Iterable[str]) -> dict[str, Any]:
    document = get_openapi(
        title=app.title,
        version=app.version,
        description=app.description,
        routes=app.routes,
    )
    names = sorted(sources)
    for path, operation in _operations(document):
        responses: dict[str, Any] = operation.setdefault("responses", {})
        if responses.pop("422", None) is not None and "400" not in responses:
            responses["400"] = (
                oauth_error("The request is malformed (invalid_request and the like).")
                if _is_oauth_endpoint(path)
                else problem("The request is malformed (PARSING_ERROR).")
            )
        for status, response in COMMON_RESPONSES.items():
            responses.setdefault(status, response)
        for parameter in operation.get("parameters", []):
            if parameter.get("in") == "path" and parameter.get("name") == "source":
                parameter["schema"] = {"type": "string", "enum": names}
    document.get("components", {}).get("schemas", {}).pop("HTTPValidationError", None)
    document.get("components", {}).get("schemas", {}).pop("ValidationError", None)
    return document


def install_openapi(app: FastAPI, sources: Iterable[str]) -> None:
    """Serve the contract above at ``/openapi.json`` (built once, on first request)."""
    names = tuple(sources)

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = _contract(app, names)
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
