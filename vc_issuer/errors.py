"""Errors of the issuer service, on top of the ``vc_core`` error tree.

OAuth-style errors carry the ``error`` value the OpenID4VCI and OAuth specs
define and the HTTP status the web layer answers with; the other errors map to
RFC 9457 problems::

    VcError (vc_core)
    └── IssuerError                      .status: int
        ├── OAuthError                   .error (== .code); 400 unless noted
        │   ├── InvalidRequest           invalid_request
        │   ├── InvalidGrant             invalid_grant
        │   ├── InvalidClient            invalid_client
        │   │   └── ClientAuthenticationFailed   invalid_client (401: bad client assertion)
        │   ├── UnsupportedGrantType     unsupported_grant_type
        │   ├── InvalidToken             invalid_token (401, WWW-Authenticate)
        │   ├── InvalidCredentialRequest invalid_credential_request
        │   ├── InvalidProof             invalid_proof
        │   ├── InvalidNonce             invalid_nonce
        │   ├── UnknownCredentialConfiguration   unknown_credential_configuration
        │   ├── UnknownCredentialIdentifier      unknown_credential_identifier
        │   ├── UnsupportedCredentialFormat      unsupported_credential_format (draft 13)
        │   ├── UnsupportedCredentialType        unsupported_credential_type (draft 13)
        │   ├── CredentialRequestDenied  credential_request_denied
        │   ├── InvalidTransactionId     invalid_transaction_id
        │   ├── InvalidNotification      invalid_notification_id | invalid_notification_request
        │   ├── InvalidScope             invalid_scope (Plus: scope not allowed for the recipient)
        │   ├── InsufficientScope        insufficient_scope (403: a fetch outside the grant)
        │   └── AccessDenied             access_denied (403: the citizen's identity not proven)
        ├── OfferNotFound                404
        ├── OfferExpired                 410
        ├── NotFound                     404 (unknown source, subject, credential, transaction)
        ├── Unauthorized                 401 (admin token or citizen login missing or wrong)
        ├── TooManyRequests              429 (a rate limit; .retry_after seconds)
        └── StartupRefused               settings or stored keys unfit for the mode
"""

# ruff: noqa: N818 (the OAuth error names of docs/architecture.md, Errors carry no Error suffix)
from __future__ import annotations

import re
from typing import Any

from vc_core.errors import VcError

__all__ = [
    "AccessDenied",
    "ClientAuthenticationFailed",
    "CredentialRequestDenied",
    "InsufficientScope",
    "InvalidClient",
    "InvalidCredentialRequest",
    "InvalidGrant",
    "InvalidNonce",
    "InvalidNotification",
    "InvalidProof",
    "InvalidRequest",
    "InvalidScope",
    "InvalidToken",
    "InvalidTransactionId",
    "IssuerError",
    "NotFound",
    "OAuthError",
    "OfferExpired",
    "OfferNotFound",
    "StartupRefused",
    "TooManyRequests",
    "Unauthorized",
    "UnknownCredentialConfiguration",
    "UnknownCredentialIdentifier",
    "UnsupportedCredentialFormat",
    "UnsupportedCredentialType",
    "UnsupportedGrantType",
]

# RFC 6749 §5.2: error_description is %x20-21 / %x23-5B / %x5D-7E (no '"', no '\').
_NOT_DESCRIPTION_CHARS = re.compile(r"[^\x20\x21\x23-\x5b\x5d-\x7e]")


class IssuerError(VcError):
    """Base of the issuer's own errors; ``status`` is the HTTP status to answer with.

    A subclass names its code and status in its header, e.g.
    ``class OfferExpired(IssuerError, code="OFFER_EXPIRED", status=410)``.
    """

    status: int = 400

    def __init_subclass__(
        cls, *, code: str | None = None, status: int | None = None, **kwargs: Any
    ) -> None:
        super().__init_subclass__(**kwargs)
        if code is not None:
            cls.default_code = code
        if status is not None:
            cls.status = status


class OAuthError(IssuerError):
    """An OAuth 2.0 / OpenID4VCI error response: ``{"error", "error_description"}``.

    A subclass names its ``error`` value in its header, e.g.
    ``class InvalidGrant(OAuthError, error="invalid_grant")``.
    """

    error: str = "invalid_request"

    def __init_subclass__(cls, *, error: str | None = None, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if error is not None:
            cls.error = error

    def __init__(self, detail: str = "", *, error: str | None = None) -> None:
        super().__init__(detail, code=error or self.error)
        self.error = self.code or self.error

    @property
    def description(self) -> str:
        """The detail as an RFC 6749 ``error_description`` (printable ASCII, no quotes)."""
        return _NOT_DESCRIPTION_CHARS.sub("?", self.detail)[:300]

    def body(self) -> dict[str, str]:
        """The JSON error body."""
        body = {"error": self.error}
        if self.detail:
            body["error_description"] = self.description
        return body


class InvalidRequest(OAuthError, error="invalid_request"):
    """A required parameter is missing or malformed (also: a bad body, never 422)."""


class InvalidGrant(OAuthError, error="invalid_grant"):
    """The pre-authorized code is wrong, expired, used or locked, or the tx_code is wrong."""


class InvalidClient(OAuthError, error="invalid_client"):
    """Client authentication failed (anonymous access refused)."""


class ClientAuthenticationFailed(InvalidClient, status=401):
    """A recipient's client assertion is missing, invalid, replayed or from an unknown key (401)."""


class InvalidScope(OAuthError, error="invalid_scope"):
    """The requested scope is unknown, malformed or more than the recipient may receive."""


class InsufficientScope(OAuthError, error="insufficient_scope", status=403):
    """The request reaches outside what the consent grant covers (HTTP 403)."""


class AccessDenied(OAuthError, error="access_denied", status=403):
    """The citizen's identity could not be established for a consent (HTTP 403)."""


class UnsupportedGrantType(OAuthError, error="unsupported_grant_type"):
    """The token endpoint only speaks the pre-authorized code grant."""


class InvalidToken(OAuthError, error="invalid_token", status=401):
    """The access token is missing, unknown, expired or for another issuer (HTTP 401)."""


class InvalidCredentialRequest(OAuthError, error="invalid_credential_request"):
    """The credential request is malformed."""


class InvalidProof(OAuthError, error="invalid_proof"):
    """A key proof is missing or invalid."""


class InvalidNonce(OAuthError, error="invalid_nonce"):
    """A key proof carries a stale, forged or used ``c_nonce``: fetch a new one."""


class UnknownCredentialConfiguration(OAuthError, error="unknown_credential_configuration"):
    """The requested credential configuration is unknown to this issuer."""


class UnknownCredentialIdentifier(OAuthError, error="unknown_credential_identifier"):
    """The requested credential identifier is unknown (we issue none)."""


class UnsupportedCredentialFormat(OAuthError, error="unsupported_credential_format"):
    """A draft-13 request names a format this issuer does not issue."""


class UnsupportedCredentialType(OAuthError, error="unsupported_credential_type"):
    """A draft-13 request names a format and type no credential configuration has."""


class CredentialRequestDenied(OAuthError, error="credential_request_denied"):
    """The issuer will not issue this credential (not offered, no data, limit reached)."""


class InvalidTransactionId(OAuthError, error="invalid_transaction_id"):
    """The deferred transaction id is unknown, used or belongs to another token."""


class InvalidNotification(OAuthError, error="invalid_notification_request"):
    """A notification names an unknown id (``invalid_notification_id``) or is malformed."""


class OfferNotFound(IssuerError, code="OFFER_NOT_FOUND", status=404):
    """No credential offer with this id (never made, or already redeemed)."""


class OfferExpired(IssuerError, code="OFFER_EXPIRED", status=410):
    """The credential offer has expired."""


class NotFound(IssuerError, code="NOT_FOUND", status=404):
    """An unknown source, citizen, credential or deferred transaction."""


class Unauthorized(IssuerError, code="UNAUTHORIZED", status=401):
    """Missing or wrong credentials for an admin or citizen endpoint."""


class TooManyRequests(IssuerError, code="RATE_LIMITED", status=429):
    """A rate limit was reached; ``retry_after`` says in how many seconds to try again."""

    def __init__(self, detail: str = "", *, retry_after: float) -> None:
        super().__init__(detail)
        self.retry_after = retry_after


class StartupRefused(IssuerError, code="STARTUP_REFUSED", status=500):
    """The service refuses to start: a development secret or demo key in production, etc."""
