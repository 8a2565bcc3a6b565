"""The requests of a wallet's issuance flow, dispatched without FastAPI's routing.

A wallet taking one credential sends six requests to a source: the offer by
reference, the two metadata documents, token, nonce and credential (plus, for
a verifier, the status list); the operator's request for the offer comes
first. This ASGI layer answers exactly those method and path shapes (and the
deferred credential and notification endpoints) by calling the route functions
of :mod:`vc_issuer.web.routes` directly; any other
request, and any other method on these paths (a 405 with ``Allow``), goes on
to the FastAPI app, where the same routes are declared for the OpenAPI
contract.

It sits inside the access log and the request guard (rate limits, body
limits: the body arrives here read in full) and inside Starlette's server
error middleware (an unexpected exception is a 500 problem, as elsewhere).
Our typed errors are answered as the app's error handlers answer them; a body
that is not JSON, or a token request that is not a form, is an OAuth error of
the endpoint. The operator's offer request is checked as FastAPI checked it:
the admin token first, then an ``application/json`` body (strict JSON here) and
the ``qr`` query parameter validated by the same models, a failure a 400
``PARSING_ERROR`` problem.

Implementation note: measured on this project's 2-core machine, FastAPI's
route matching over the app's sixty routes, its dependency injection and form
parsing and the hop of a ``def`` route to the threadpool cost about 1 ms of
CPU per request, as much as the rest of a token or nonce request; issue 17
asks for 150 flows of seven requests a second on two cores. The handlers run
on the event loop: each is a few short database statements or (credential) a
signature, the GIL serialises them anyway, and a transaction is never
suspended half way, so a row lock is held only for as long as its statements
run.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl

from starlette.responses import Response

from vc_core.errors import ParsingError
from vc_core.jws import loads_strict_json
from vc_core.limits import AsgiApp, Receive, Scope, Send
from vc_issuer.errors import OAuthError
from vc_issuer.status_lists import TOKEN_STATUS_LIST
from vc_issuer.web.deps import check_admin_token
from vc_issuer.web.errors import OAUTH_ENDPOINTS, typed_error_response
from vc_issuer.web.routes import admin, oid4vci, status, well_known
from vc_issuer.web.schemas import CreateOfferRequest, query_flag

__all__ = ["WalletFlow", "answered_route"]


@dataclass(frozen=True, slots=True)
class _Request:
    """What a handler gets: the app state, path parameters, query, headers and the whole body."""

    state: Any
    params: tuple[str, ...]
    query: bytes
    headers: dict[bytes, bytes]
    body: bytes

    @property
    def authorization(self) -> str | None:
        value = self.headers.get(b"authorization")
        return None if value is None else value.decode("latin-1")


@dataclass(frozen=True, slots=True)
class _Endpoint:
    """A route: its template ``path`` (what the access log records) and its handler."""

    path: str
    handle: Callable[[_Request], Response]


def _json_body(request: _Request, endpoint: str) -> object:
    """The request body as strict JSON; else the endpoint's OAuth error (never a 422)."""
    try:
        return loads_strict_json(request.body)
    except ValueError:
        raise OAuthError("the request body is not JSON", error=OAUTH_ENDPOINTS[endpoint]) from None


def _form(request: _Request) -> dict[str, str]:
    """An ``application/x-www-form-urlencoded`` body, each parameter at most once.

    Spec: rfc6749#section-3.2
    """
    media_type = request.headers.get(b"content-type", b"").partition(b";")[0].strip().lower()
    if media_type != b"application/x-www-form-urlencoded":
        raise OAuthError("the token request is an application/x-www-form-urlencoded form")
    try:
        pairs = parse_qsl(
            request.body.decode("utf-8"),
            keep_blank_values=True,
            strict_parsing=bool(request.body),
            max_num_fields=16,
        )
    except ValueError:
        raise OAuthError("the token request is not a well-formed form") from None
    form = dict(pairs)
    if len(form) != len(pairs):
        raise OAuthError("a parameter is sent more than once")
    return form


def _token(request: _Request) -> Response:
    form = _form(request)
    return oid4vci.token(
        request.params[0],
        request.state.service,
        form.get("grant_type"),
        form.get("pre-authorized_code"),
        form.get("tx_code"),
    )


def _create_offer(request: _Request) -> Response:
    """``POST /admin/{source}/offers``: the admin token, then the query and the JSON body."""
    check_admin_token(request.state.issuer, request.authorization)
    query = dict(parse_qsl(request.query.decode("latin-1"), keep_blank_values=True))
    media_type = request.headers.get(b"content-type", b"").partition(b";")[0].strip().lower()
    json_media = media_type == b"application/json" or (
        media_type.startswith(b"application/") and media_type.endswith(b"+json")
    )
    qr = query_flag(query, "qr")
    if not json_media:
        raise ParsingError("body: the request body is not application/json")
    try:
        body = loads_strict_json(request.body)
    except ValueError:
        raise ParsingError("body: the request body is not JSON") from None
    offer = CreateOfferRequest.parse(body)
    return admin.offer_created(request.state.issuer, request.params[0], offer, qr=qr)


def _with_body(
    route: Callable[[str, Any, Any, str | None], Response], endpoint: str
) -> Callable[[_Request], Response]:
    def handle(request: _Request) -> Response:
        body = _json_body(request, endpoint)
        return route(request.params[0], request.state.service, body, request.authorization)

    return handle


def _source_only(route: Callable[[str, Any], Response]) -> Callable[[_Request], Response]:
    def handle(request: _Request) -> Response:
        return route(request.params[0], request.state.service)

    return handle


def _metadata(route: Callable[[str, Any], Response]) -> Callable[[_Request], Response]:
    def handle(request: _Request) -> Response:
        return route(request.params[0], request.state.metadata)

    return handle


_PARAMETER = re.compile(r"\{[^/{}]+\}")


def _endpoints() -> dict[tuple[str, str], _Endpoint]:
    """(method, shape) → endpoint; a shape is the template with ``*`` for each parameter."""
    routes: list[tuple[str, str, Callable[[_Request], Response]]] = []
    for name, inserted, appended in (
        (
            "openid-credential-issuer",
            well_known.issuer_metadata,
            well_known.issuer_metadata_appended,
        ),
        (
            "oauth-authorization-server",
            well_known.authorization_server_metadata,
            well_known.authorization_server_metadata_appended,
        ),
    ):
        routes.append(("GET", f"/.well-known/{name}/{{source}}", _metadata(inserted)))
        routes.append(("GET", f"/{{source}}/.well-known/{name}", _metadata(appended)))
    routes += [
        ("POST", "/admin/{source}/offers", _create_offer),
        (
            "GET",
            "/{source}/offers/{offer_id}",
            lambda r: oid4vci.credential_offer(r.params[0], r.params[1], r.state.service),
        ),
        ("POST", "/{source}/token", _token),
        ("POST", "/{source}/nonce", _source_only(oid4vci.nonce)),
        ("POST", "/{source}/credential", _with_body(oid4vci.credential, "credential")),
        (
            "POST",
            "/{source}/deferred_credential",
            _with_body(oid4vci.deferred_credential, "deferred_credential"),
        ),
        ("POST", "/{source}/notification", _with_body(oid4vci.notification, "notification")),
        (
            "GET",
            "/{source}/status/{purpose}/{number}",
            lambda r: status.status_list(r.params[0], r.params[1], r.params[2], r.state.issuer),
        ),
    ]
    return {
        (method, _PARAMETER.sub("*", template)): _Endpoint(template, handle)
        for method, template, handle in routes
    }


_ENDPOINTS = _endpoints()


def _shape(path: str) -> tuple[str, tuple[str, ...]] | None:
    """The path with its parameters replaced by ``*``, and the parameters; ``None`` if
    the path has none of the wallet flow's shapes (or an empty parameter)."""
    parts = path.split("/")
    if len(parts) == 3:
        return f"/*/{parts[2]}", (parts[1],)
    if len(parts) == 4:
        if parts[1] == "admin":
            return f"/admin/*/{parts[3]}", (parts[2],)
        if parts[1] == ".well-known":
            return f"/.well-known/{parts[2]}/*", (parts[3],)
        if parts[2] == ".well-known":
            return f"/*/.well-known/{parts[3]}", (parts[1],)
        return f"/*/{parts[2]}/*", (parts[1], parts[3])
    # Implementation note: the Token Status List (``status/token/<n>``) is FastAPI's.
    if len(parts) == 5 and parts[3] != TOKEN_STATUS_LIST:
        return f"/*/{parts[2]}/*/*", (parts[1], parts[3], parts[4])
    return None


def _endpoint(method: str, path: str) -> tuple[_Endpoint, tuple[str, ...]] | None:
    shape = _shape(path)
    if shape is None or not all(shape[1]):
        return None
    endpoint = _ENDPOINTS.get((method, shape[0]))
    return None if endpoint is None else (endpoint, shape[1])


def answered_route(method: str, path: str) -> str | None:
    """The route template :class:`WalletFlow` answers ``method`` and ``path`` with, if any."""
    found = _endpoint(method, path)
    return None if found is None else found[0].path


class WalletFlow:
    """ASGI middleware: answers the wallet flow's requests, passes on all others."""

    def __init__(self, app: AsgiApp, *, state: Any) -> None:
        self.app = app
        self.state = state

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        found = _endpoint(scope["method"], scope["path"]) if scope["type"] == "http" else None
        if found is None:
            await self.app(scope, receive, send)
            return
        endpoint, params = found
        scope["route"] = endpoint
        body = bytearray()
        while True:
            message = await receive()
            body += message.get("body", b"")
            if message["type"] != "http.request" or not message.get("more_body", False):
                break
        request = _Request(
            self.state, params, scope.get("query_string", b""), dict(scope["headers"]), bytes(body)
        )
        try:
            response = endpoint.handle(request)
        except Exception as exc:
            answer = typed_error_response(exc)
            if answer is None:
                raise
            response = answer
        await response(scope, receive, send)
