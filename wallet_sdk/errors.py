"""The wallet's errors: every one is a :class:`vc_core.errors.VcError` with a ``code``.

A refused credential raises the vc_core verification error that found the
fault (``ProofVerificationError``, ``CredentialPolicyError``,
``StatusListError``, ``ParsingError``); a network failure below the protocol
(a redirect, a timeout, an oversized or non-JSON body) raises
``vc_core.errors.FetchError``. Everything else is one of these::

    VcError
    └── WalletError                    WALLET_ERROR
        ├── OfferError                 INVALID_CREDENTIAL_OFFER | UNTRUSTED_ISSUER |
        │                              UNSUPPORTED_OFFER | INVALID_TX_CODE
        ├── IssuerResponseError        ISSUER_RESPONSE_ERROR | INVALID_ISSUER_METADATA |
        │                              ISSUANCE_PENDING; .error (OAuth code), .status
        ├── PresentationRequestError   INVALID_PRESENTATION_REQUEST | RESPONSE_REJECTED;
        │                              .error (OpenID4VP error code to answer with)
        ├── NoMatchingCredentialError  NO_MATCHING_CREDENTIAL; .missing (query ids)
        ├── WrongPassphraseError       WRONG_PASSPHRASE
        ├── StoreError                 STORE_INTEGRITY_ERROR | STORE_FORMAT_ERROR |
        │                              RECORD_NOT_FOUND
        └── BackupError                BACKUP_FORMAT_ERROR | BACKUP_INTEGRITY_ERROR |
                                       WRONG_PASSPHRASE
"""

from __future__ import annotations

from vc_core.errors import VcError

__all__ = [
    "BackupError",
    "IssuerResponseError",
    "NoMatchingCredentialError",
    "OfferError",
    "PresentationRequestError",
    "StoreError",
    "WalletError",
    "WrongPassphraseError",
]


class WalletError(VcError):
    """Base of the wallet's own errors."""

    default_code = "WALLET_ERROR"


class OfferError(WalletError):
    """A credential offer is malformed, from an untrusted issuer, or not supported."""

    default_code = "INVALID_CREDENTIAL_OFFER"


class IssuerResponseError(WalletError):
    """The credential issuer answered with an error or with something we cannot use.

    ``error`` is the OAuth error code the issuer sent (``invalid_grant`` for a
    wrong transaction code, ``invalid_nonce``, ...), ``status`` the HTTP
    status. ``pending_id`` names the stored deferred transaction when the code
    is ``ISSUANCE_PENDING``.
    """

    default_code = "ISSUER_RESPONSE_ERROR"

    def __init__(
        self,
        detail: str = "",
        *,
        code: str | None = None,
        error: str | None = None,
        status: int | None = None,
        pending_id: str | None = None,
    ) -> None:
        super().__init__(detail, code=code)
        self.error = error
        self.status = status
        self.pending_id = pending_id


class PresentationRequestError(WalletError):
    """An OpenID4VP request is malformed, unsigned where it must be signed, or refused.

    ``error`` is the OpenID4VP error code a wallet may answer with
    (``invalid_request``, ``invalid_client``, ``vp_formats_not_supported``,
    ``access_denied``).
    """

    default_code = "INVALID_PRESENTATION_REQUEST"

    def __init__(
        self, detail: str = "", *, code: str | None = None, error: str = "invalid_request"
    ) -> None:
        super().__init__(detail, code=code)
        self.error = error


class NoMatchingCredentialError(WalletError):
    """The wallet holds no credential (set) that satisfies the request; ``missing`` names them."""

    default_code = "NO_MATCHING_CREDENTIAL"

    def __init__(self, detail: str = "", *, missing: tuple[str, ...] = ()) -> None:
        super().__init__(detail)
        self.missing = missing


class WrongPassphraseError(WalletError):
    """The passphrase does not open the wallet store."""

    default_code = "WRONG_PASSPHRASE"


class StoreError(WalletError):
    """The store file is not a wallet, a record failed its integrity check, or is missing."""

    default_code = "STORE_INTEGRITY_ERROR"


class BackupError(WalletError):
    """A backup file is malformed, was altered, or the passphrase does not open it."""

    default_code = "BACKUP_INTEGRITY_ERROR"
