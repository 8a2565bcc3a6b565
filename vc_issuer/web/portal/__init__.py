"""The citizen portal (``/portaal``): server-rendered pages on top of the issuer.

:func:`install_portal` mounts it on the issuer app; ``create_app`` does that.
Every portal response carries strict security headers (no scripts at all,
no framing, no referrer, ``no-store`` unless a page says otherwise).
"""

from __future__ import annotations

from fastapi import FastAPI

from vc_core.limits import AsgiApp, Message, Receive, Scope, Send
from vc_core.types import Clock
from vc_issuer.auth import CitizenAuthenticator
from vc_issuer.issuer import Issuer
from vc_issuer.web.portal import consents
from vc_issuer.web.portal.sessions import PortalSessions
from vc_issuer.web.portal.views import (
    LoginRequiredError,
    Portal,
    on_login_required,
    root_router,
    router,
)

__all__ = ["SECURITY_HEADERS", "install_portal"]


SECURITY_HEADERS: dict[str, str] = {
    "Content-Security-Policy": (
        "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; "
        "frame-ancestors 'none'; base-uri 'none'"
    ),
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=()",
    "Cross-Origin-Opener-Policy": "same-origin",
}
"""Headers on every portal response."""


class _PortalHeaders:
    """Adds :data:`SECURITY_HEADERS` (and ``no-store``, HSTS over https) to portal responses."""

    def __init__(self, app: AsgiApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "")
        if scope["type"] != "http" or not (path == "/" or path.startswith("/portaal")):
            await self.app(scope, receive, send)
            return
        https = scope.get("scheme") == "https"

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {name.lower() for name, _ in headers}
                extra = dict(SECURITY_HEADERS)
                if b"cache-control" not in present:
                    extra |= {"Cache-Control": "no-store", "Pragma": "no-cache"}
                if https:
                    extra["Strict-Transport-Security"] = "max-age=31536000"
                headers += [(k.lower().encode(), v.encode()) for k, v in extra.items()]
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_headers)


def install_portal(
    app: FastAPI,
    issuer: Issuer,
    authenticator: CitizenAuthenticator | None,
    *,
    sessions: PortalSessions | None = None,
    clock: Clock | None = None,
) -> None:
    """Mount the portal on ``app``: its routes, its session store and its headers.

    ``sessions`` defaults to a store over the issuer's database (``clock``: its clock).
    """
    if sessions is None:
        sessions = (
            PortalSessions(issuer.db, keys=issuer.keys)
            if clock is None
            else PortalSessions(issuer.db, keys=issuer.keys, clock=clock)
        )
    app.state.portal = Portal(issuer, authenticator, sessions)
    app.add_exception_handler(LoginRequiredError, on_login_required)
    app.include_router(root_router)
    app.include_router(consents.router)
    app.include_router(router)
    app.add_middleware(_PortalHeaders)
