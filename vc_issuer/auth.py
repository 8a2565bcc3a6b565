"""How a citizen proves who they are before a Basis download or a self-service offer.

:class:`CitizenAuthenticator` is the seam for an identity provider: given the
request's ``Authorization`` header and cookies, return the citizen's BSN or
``None``. A production deployment plugs in an adapter for its identity
provider (e.g. one that checks an ID token a trusted gateway passes on).

:class:`DemoLogin` is **a demo, not an identity check**: anyone can log in as
any test BSN. It signs a short-lived session cookie with a server secret and is
served only in development mode (settings refuse it in production).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import Protocol, runtime_checkable

from vc_core.types import Clock

__all__ = ["DEMO_SESSION_COOKIE", "CitizenAuthenticator", "DemoLogin"]

DEMO_SESSION_COOKIE = "bk_demo_session"


def _utc_now() -> datetime:
    return datetime.now(UTC)


@runtime_checkable
class CitizenAuthenticator(Protocol):
    """Finds the authenticated citizen of a request."""

    def authenticate(self, *, authorization: str | None, cookies: Mapping[str, str]) -> str | None:
        """The BSN of the citizen who made the request, or ``None`` if not authenticated."""
        ...


class DemoLogin:
    """DEMO ONLY: a session cookie for any BSN that passes the 11-test; no real identity check."""

    def __init__(self, secret: bytes, *, ttl: timedelta = timedelta(minutes=30)) -> None:
        self._secret = secret
        self._ttl = ttl

    def _mac(self, message: bytes) -> str:
        return hmac.new(self._secret, message, hashlib.sha256).hexdigest()

    def login(self, bsn: str, *, clock: Clock = _utc_now) -> str:
        """A session cookie value for ``bsn``."""
        expires = int((clock() + self._ttl).timestamp())
        message = f"{bsn}.{expires}".encode()
        return base64.urlsafe_b64encode(message).decode() + "." + self._mac(message)

    def authenticate(
        self,
        *,
        authorization: str | None,
        cookies: Mapping[str, str],
        clock: Clock = _utc_now,
    ) -> str | None:
        """The BSN in a valid, unexpired demo session cookie, else ``None``."""
        value = cookies.get(DEMO_SESSION_COOKIE, "")
        encoded, _, mac = value.rpartition(".")
        try:
            message = base64.urlsafe_b64decode(encoded.encode("ascii"))
            bsn, _, expires = message.decode("ascii").partition(".")
            expires_at = datetime.fromtimestamp(int(expires), UTC)
        except (binascii.Error, UnicodeError, ValueError, OverflowError, OSError):
            return None
        if not hmac.compare_digest(mac, self._mac(message)) or clock() >= expires_at:
            return None
        return bsn
