"""Portal sessions: a signed random cookie in the browser, the record on the server.

- The cookie holds a random token and its HMAC under a server secret; the
  database keeps only the token's SHA-256 with the citizen's BSN sealed for
  that row, a CSRF token and two expiry times (15 minutes idle, 2 hours at
  most).
- The cookie is ``HttpOnly``, ``SameSite=Lax``, ``Path=/portaal`` and, over
  https, ``Secure`` with the ``__Host-`` name prefix.
- Every form carries the session's CSRF token (synchronizer pattern). The
  login form, before there is a session, carries an HMAC of a random nonce
  kept in a separate cookie (signed double submit), so nobody can log a
  victim in under another BSN.
- Logging in always starts a new session (no fixation); logging out deletes
  the record, so a copied cookie is worthless afterwards.

The same store keeps the DEMO login's sessions (:class:`~vc_issuer.auth.DemoLogin`
through :meth:`PortalSessions.open`, :meth:`~PortalSessions.subject` and
:meth:`~PortalSessions.close`), so its log-out ends them on the server too.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from starlette.requests import Request
from starlette.responses import Response

from vc_core.types import Clock
from vc_issuer.db import Database, PortalSessionRecord, PortalSessionTable
from vc_issuer.keys import KeyRing

__all__ = ["COOKIE_PATH", "CitizenSession", "PortalSessions"]

COOKIE_PATH = "/portaal"
_SESSION_COOKIE = "bk_portaal"
_LOGIN_COOKIE = "bk_portaal_login"
_LANGUAGE_COOKIE = "bk_taal"
_MAC_CHARS = 43


def _utc_now() -> datetime:
    return datetime.now(UTC)


def _is_https(request: Request) -> bool:
    return request.url.scheme == "https"


def _cookie_name(request: Request, name: str) -> str:
    """``__Host-`` names over https: the browser then insists on Secure and Path=/."""
    return f"__Host-{name}" if _is_https(request) else name


@dataclass(frozen=True, slots=True)
class CitizenSession:
    """The logged-in citizen of a request: their BSN and the CSRF token of their forms."""

    subject: str
    csrf_token: str
    expires_at: datetime


def _id_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _label(id_hash: str) -> str:
    return f"portal-session:{id_hash}"


class PortalSessions:
    """Creates, finds and ends portal sessions; checks CSRF tokens."""

    def __init__(
        self,
        db: Database,
        *,
        keys: KeyRing,
        idle: timedelta = timedelta(minutes=15),
        lifetime: timedelta = timedelta(hours=2),
        clock: Clock = _utc_now,
        token: Callable[[int], str] = secrets.token_urlsafe,
    ) -> None:
        self._table = PortalSessionTable(db)
        self._keys = keys
        self._secret = keys.derived_secret("portal")
        self._idle = idle
        self._lifetime = lifetime
        self._clock = clock
        self._token = token

    def _mac(self, purpose: str, value: str) -> str:
        digest = hmac.new(self._secret, f"{purpose}:{value}".encode(), hashlib.sha256).digest()
        return base64.urlsafe_b64encode(digest).decode().rstrip("=")[:_MAC_CHARS]

    def _set_cookie(self, request: Request, response: Response, name: str, value: str) -> None:
        https = _is_https(request)
        response.set_cookie(
            _cookie_name(request, name),
            value,
            httponly=True,
            secure=https,
            samesite="lax",
            path="/" if https else COOKIE_PATH,
        )

    # Sessions by token (also the DEMO login's) -----------------------------------------------

    def _open(self, subject: str) -> tuple[str, CitizenSession]:
        now = self._clock()
        self._table.purge(now=now)
        token = self._token(32)
        id_hash = _id_hash(token)
        record = PortalSessionRecord(
            id_hash=id_hash,
            sealed_subject=self._keys.seal_subject(subject, bound_to=_label(id_hash)),
            csrf_token=self._token(32),
            created_at=now,
            expires_at=now + self._idle,
            ends_at=now + self._lifetime,
        )
        self._table.add(record)
        return token, CitizenSession(subject, record.csrf_token, record.expires_at)

    def _live(self, token: str) -> CitizenSession | None:
        now = self._clock()
        id_hash = _id_hash(token)
        record = self._table.live(id_hash, now=now, extend_to=now + self._idle)
        if record is None:
            return None
        subject = self._keys.open_subject(record.sealed_subject, bound_to=_label(id_hash))
        return CitizenSession(subject, record.csrf_token, record.expires_at)

    def open(self, subject: str) -> str:
        """Start a session for ``subject``; return its token (the cookie value to set)."""
        return self._open(subject)[0]

    def subject(self, token: str) -> str | None:
        """The subject of a live session (its idle time restarts), or ``None``."""
        session = self._live(token) if token else None
        return None if session is None else session.subject

    def close(self, token: str) -> None:
        """End a session: its record is deleted."""
        if token:
            self._table.remove(_id_hash(token))

    # Sessions in the portal's cookie ---------------------------------------------------------

    def start(self, request: Request, response: Response, subject: str) -> CitizenSession:
        """Log ``subject`` in: end any session of this browser, start a new one, set the cookie."""
        self._forget(request)
        token, session = self._open(subject)
        self._set_cookie(request, response, _SESSION_COOKIE, f"{token}.{self._mac('s', token)}")
        return session

    def _token_of(self, request: Request) -> str | None:
        value = request.cookies.get(_cookie_name(request, _SESSION_COOKIE), "")
        token, _, mac = value.rpartition(".")
        if not token or not hmac.compare_digest(mac.encode(), self._mac("s", token).encode()):
            return None
        return token

    def current(self, request: Request) -> CitizenSession | None:
        """The live session of this request (its idle time restarts), or ``None``."""
        token = self._token_of(request)
        return None if token is None else self._live(token)

    def _forget(self, request: Request) -> None:
        token = self._token_of(request)
        if token is not None:
            self.close(token)

    def end(self, request: Request, response: Response) -> None:
        """Log out: delete the server record and the cookie."""
        self._forget(request)
        https = _is_https(request)
        response.delete_cookie(
            _cookie_name(request, _SESSION_COOKIE),
            path="/" if https else COOKIE_PATH,
            secure=https,
            httponly=True,
            samesite="lax",
        )

    @staticmethod
    def csrf_ok(session: CitizenSession, submitted: str) -> bool:
        """Whether a form's CSRF token is the session's (constant-time)."""
        return bool(submitted) and hmac.compare_digest(
            submitted.encode(), session.csrf_token.encode()
        )

    # The login form -----------------------------------------------------------------------

    def login_token(self, request: Request) -> tuple[str, str | None]:
        """The login form's CSRF token, and a new nonce to keep (``keep_login_nonce``) if any."""
        nonce = request.cookies.get(_cookie_name(request, _LOGIN_COOKIE), "")
        if len(nonce) >= 32:
            return self._mac("login", nonce), None
        fresh = self._token(32)
        return self._mac("login", fresh), fresh

    def keep_login_nonce(self, request: Request, response: Response, nonce: str) -> None:
        """Set the cookie that binds the login form's token to this browser."""
        self._set_cookie(request, response, _LOGIN_COOKIE, nonce)

    def login_token_ok(self, request: Request, submitted: str) -> bool:
        """Whether the login form's token matches this browser's nonce cookie."""
        nonce = request.cookies.get(_cookie_name(request, _LOGIN_COOKIE), "")
        return (
            len(nonce) >= 32
            and bool(submitted)
            and hmac.compare_digest(submitted.encode(), self._mac("login", nonce).encode())
        )

    # Language -----------------------------------------------------------------------------

    @staticmethod
    def language_cookie(request: Request) -> str | None:
        """The remembered page language."""
        return request.cookies.get(_LANGUAGE_COOKIE)

    def remember_language(self, request: Request, response: Response, language: str) -> None:
        """Remember the chosen page language."""
        https = _is_https(request)
        response.set_cookie(
            _LANGUAGE_COOKIE,
            language,
            max_age=365 * 24 * 3600,
            httponly=True,
            secure=https,
            samesite="lax",
            path="/",
        )
