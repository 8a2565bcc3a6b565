"""How a citizen proves who they are before a Basis download or a self-service offer.

:class:`CitizenAuthenticator` is the seam for an identity provider: given the
request's ``Authorization`` header and cookies, return the citizen's BSN or
``None``. A production deployment plugs in an adapter for its identity
provider (e.g. one that checks an ID token a trusted gateway passes on).

:class:`DemoLogin` is **a demo, not an identity check**: anyone can log in as
any test BSN. Its cookie holds a random session token; the session lives on
the server (:class:`LoginSessions`, the portal's session table, with the BSN
sealed), so logging out ends it there and a copied cookie is worthless
afterwards. It is served only in development mode (settings refuse it in
production).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Protocol, runtime_checkable

__all__ = ["DEMO_SESSION_COOKIE", "CitizenAuthenticator", "DemoLogin", "LoginSessions"]

DEMO_SESSION_COOKIE = "bk_demo_session"


@runtime_checkable
class CitizenAuthenticator(Protocol):
    """Finds the authenticated citizen of a request."""

    def authenticate(self, *, authorization: str | None, cookies: Mapping[str, str]) -> str | None:
        """The BSN of the citizen who made the request, or ``None`` if not authenticated."""
        ...


class LoginSessions(Protocol):
    """Server-side sessions: a random token per login, found again, ended at log-out."""

    def open(self, subject: str) -> str:
        """Start a session for ``subject``; return its token."""
        ...

    def subject(self, token: str) -> str | None:
        """The subject of a live session, or ``None``."""
        ...

    def close(self, token: str) -> None:
        """End a session (unknown tokens are ignored)."""
        ...


class DemoLogin:
    """DEMO ONLY: a session for any BSN that passes the 11-test; no real identity check."""

    def __init__(self, sessions: LoginSessions) -> None:
        self._sessions = sessions

    def login(self, bsn: str) -> str:
        """Start a session for ``bsn``; return the cookie value."""
        return self._sessions.open(bsn)

    def logout(self, cookies: Mapping[str, str]) -> None:
        """End the session of the request's cookie on the server."""
        self._sessions.close(cookies.get(DEMO_SESSION_COOKIE, ""))

    def authenticate(self, *, authorization: str | None, cookies: Mapping[str, str]) -> str | None:
        """The BSN of the live session in the demo cookie, else ``None``."""
        return self._sessions.subject(cookies.get(DEMO_SESSION_COOKIE, ""))
