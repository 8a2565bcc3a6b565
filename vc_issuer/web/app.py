"""The FastAPI app factory: every source under one host, plus admin, VC API and Basis download.

Run it with ``blauwe-knop issuer serve`` or ``uvicorn --factory vc_issuer.web:create_app``
(settings from the environment). OpenAPI docs live at ``/docs`` when the settings
serve them (``api_docs``: by default in development only).

Every request passes :class:`~vc_core.limits.RequestGuard` first: a rate limit per
client on requests with a body, and the body read within the limit of its route
(:data:`BODY_LIMITS`), before any authentication or parsing.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager

from fastapi import FastAPI
from starlette.concurrency import run_in_threadpool

from vc_core.limits import (
    AsgiApp,
    BodyLimit,
    ClientLimit,
    Message,
    RateLimiter,
    Receive,
    RequestGuard,
    Scope,
    Send,
)
from vc_core.types import Clock
from vc_issuer.auth import CitizenAuthenticator, DemoLogin
from vc_issuer.issuer import Issuer
from vc_issuer.oid4vci import CredentialIssuerService
from vc_issuer.plus import PlusService
from vc_issuer.settings import IssuerSettings
from vc_issuer.vc_api import VcApi
from vc_issuer.web.errors import install_error_handlers
from vc_issuer.web.openapi import install_openapi
from vc_issuer.web.portal import install_portal
from vc_issuer.web.portal.sessions import PortalSessions
from vc_issuer.web.routes import (
    admin,
    basis,
    documents,
    oid4vci,
    plus,
    sd_jwt,
    status,
    vc_api,
    well_known,
)
from vc_issuer.web.wallet_flow import WalletFlow

__all__ = ["BODY_LIMITS", "DEFAULT_BODY_LIMIT", "create_app"]

DEFAULT_BODY_LIMIT = 64 * 1024
"""The largest request body of a route not in :data:`BODY_LIMITS` (forms, admin calls)."""
BODY_LIMITS: tuple[BodyLimit, ...] = (
    # A batch of up to 100 JWT key proofs.
    BodyLimit(r"/[^/]+/(credential|deferred_credential)", 256 * 1024),
    # Consent requests carry a presentation; registrations list keys and scopes.
    BodyLimit(r"(/[^/]+|/admin/[^/]+)?/plus/.*", 256 * 1024),
    # The VC API takes whole credentials and presentations.
    BodyLimit(
        r"(/issuers/[^/]+)?/credentials/(issue|verify|derive|status)|/presentations/verify",
        1024 * 1024,
    ),
)
"""Larger body limits of the routes that need them (path regular expressions)."""

_log = logging.getLogger("vc_issuer.web")


class _AccessLog:
    """Logs method, route template, status and duration; never the raw path or client address.

    Implementation note: raw paths hold offer ids and credential ids, and client
    addresses are personal data, so only the matched route template is logged.
    """

    def __init__(self, app: AsgiApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500

        async def send_and_record(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
            await send(message)

        try:
            await self.app(scope, receive, send_and_record)
        finally:
            route = scope.get("route")
            _log.info(
                "request",
                extra={
                    "method": scope.get("method"),
                    "route": getattr(route, "path", "unmatched"),
                    "status": status,
                    "ms": round(1000 * (time.perf_counter() - started), 1),
                },
            )


_PURGE_EVERY_SECONDS = 600.0


def _lifespan(issuer: Issuer) -> Callable[[FastAPI], AbstractAsyncContextManager[None]]:
    """Purge expired offers, tokens, nonces and deferred requests before the first request,
    then every ten minutes (every instance does; a purge is one DELETE per table)."""

    async def purge() -> None:
        try:
            removed = await run_in_threadpool(issuer.purge_expired)
        except Exception as exc:  # the next round tries again
            _log.error("purge_failed", extra={"error": type(exc).__name__})
        else:
            _log.info("purged_expired", extra={"rows": removed})

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        async def purge_forever() -> None:
            while True:
                await asyncio.sleep(_PURGE_EVERY_SECONDS)
                await purge()

        await purge()
        task = asyncio.create_task(purge_forever())
        try:
            yield
        finally:
            task.cancel()

    return lifespan


def create_app(
    config: IssuerSettings | Issuer | None = None,
    *,
    authenticator: CitizenAuthenticator | None = None,
    clock: Clock | None = None,
) -> FastAPI:
    """Build the issuer app from settings (default: the environment) or a ready :class:`Issuer`.

    ``authenticator`` identifies citizens for the Basis download; without one,
    the demo login is used when the settings enable it, else those endpoints
    answer 401. ``clock`` replaces the OpenID4VCI endpoints' clock (tests).
    """
    issuer = (
        config if isinstance(config, Issuer) else Issuer.from_settings(config or IssuerSettings())
    )
    settings = issuer.settings
    sessions = PortalSessions(issuer.db, keys=issuer.keys)
    if authenticator is None and settings.demo_login_enabled:
        authenticator = DemoLogin(sessions)
    docs = settings.api_docs_enabled
    app = FastAPI(
        # Implementation note: FastAPI's own OpenTelemetry instrumentation is off. It
        # would record raw paths (offer and credential ids), which our access log never
        # does, and checking for a configured provider cost about 10 µs per request.
        telemetry={"tracing": False, "metrics": False, "logs": False},
        lifespan=_lifespan(issuer),
        title="blauwe-knop issuer",
        version="0.1.0",
        description=(
            "The sources (BRP, Belastingdienst, DUO, RDW) as OpenID4VCI 1.0 credential "
            "issuers, with Bitstring Status Lists, a VC API and Basis downloads."
        ),
        docs_url="/docs" if docs else None,
        redoc_url="/redoc" if docs else None,
        openapi_url="/openapi.json" if docs else None,
    )
    app.state.issuer = issuer
    app.state.service = (
        CredentialIssuerService(issuer)
        if clock is None
        else CredentialIssuerService(issuer, clock=clock)
    )
    app.state.metadata = well_known.EncodedMetadata(app.state.service)
    app.state.vc_api = VcApi(issuer)
    app.state.authenticator = authenticator
    limits = settings.rate_limits
    app.state.offer_limiter = RateLimiter(settings.citizen_offer_rate) if limits else None
    app.state.plus = PlusService(
        issuer,
        clock=app.state.service.clock,
        anonymous_limiter=RateLimiter(settings.plus_anonymous_rate) if limits else None,
    )
    install_error_handlers(app)
    # Literal paths first, so that no "/{source}/…" route shadows them.
    app.include_router(vc_api.router)
    app.include_router(admin.router)
    app.include_router(plus.router)
    app.include_router(documents.router)
    if isinstance(authenticator, DemoLogin):
        app.include_router(basis.demo_router)
    install_portal(app, issuer, authenticator, sessions=sessions)
    app.include_router(well_known.router)
    app.include_router(oid4vci.router)
    app.include_router(sd_jwt.router)
    app.include_router(status.router)
    app.include_router(basis.router)
    app.add_middleware(WalletFlow, state=app.state)
    app.add_middleware(
        RequestGuard,
        default_max_bytes=DEFAULT_BODY_LIMIT,
        body_limits=BODY_LIMITS,
        client_limits=[ClientLimit(".*", RateLimiter(settings.client_rate))] if limits else [],
    )
    app.add_middleware(_AccessLog)
    install_openapi(app, issuer.sources)
    return app
