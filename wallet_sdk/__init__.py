"""wallet_sdk: the citizen's wallet companion library.

Receive credentials by QR (OpenID4VCI 1.0, pre-authorized code), keep them in
an encrypted store, and show a verifier exactly the claims its DCQL query asks
for (OpenID4VP 1.0, ecdsa-sd-2023 disclosures in holder-signed presentations).
With Blauwe Knop Plus the citizen lets a source share data straight with an
organisation, and keeps, checks and revokes those consents
(:meth:`Wallet.grant_consent`). Everything goes through :class:`Wallet`; the
network only through the ``httpx.Client`` the caller injects.

Errors (all ``vc_core.errors.VcError`` with a ``code``) are drawn in
:mod:`wallet_sdk.errors`.
"""

from typing import TYPE_CHECKING

from vc_core._imports import lazy_exports

if TYPE_CHECKING:
    from wallet_sdk.consent import ConsentGrant, ConsentStatus, claim_scope
    from wallet_sdk.dcql import Candidate
    from wallet_sdk.errors import (
        BackupError,
        IssuerResponseError,
        NoMatchingCredentialError,
        OfferError,
        PresentationRequestError,
        StoreError,
        WalletError,
        WrongPassphraseError,
    )
    from wallet_sdk.export import EXPORT_DOMAIN
    from wallet_sdk.offers import CredentialOffer, CredentialOfferReference, TxCode
    from wallet_sdk.present import Disclosure, Match, Presentation
    from wallet_sdk.receive import OfferPreview
    from wallet_sdk.records import ActivityEntry, PendingIssuance, StoredCredential
    from wallet_sdk.requests import PresentationRequest, ResponseResult
    from wallet_sdk.store import Argon2Params, EncryptedStore, MemoryStore, WalletStore
    from wallet_sdk.wallet import Wallet

__all__ = [
    "EXPORT_DOMAIN",
    "ActivityEntry",
    "Argon2Params",
    "BackupError",
    "Candidate",
    "ConsentGrant",
    "ConsentStatus",
    "CredentialOffer",
    "CredentialOfferReference",
    "Disclosure",
    "EncryptedStore",
    "IssuerResponseError",
    "Match",
    "MemoryStore",
    "NoMatchingCredentialError",
    "OfferError",
    "OfferPreview",
    "PendingIssuance",
    "Presentation",
    "PresentationRequest",
    "PresentationRequestError",
    "ResponseResult",
    "StoreError",
    "StoredCredential",
    "TxCode",
    "Wallet",
    "WalletError",
    "WalletStore",
    "WrongPassphraseError",
    "claim_scope",
]

__getattr__, __dir__ = lazy_exports(
    __name__,
    {
        "wallet_sdk.consent": ("ConsentGrant", "ConsentStatus", "claim_scope"),
        "wallet_sdk.dcql": ("Candidate",),
        "wallet_sdk.errors": (
            "BackupError",
            "IssuerResponseError",
            "NoMatchingCredentialError",
            "OfferError",
            "PresentationRequestError",
            "StoreError",
            "WalletError",
            "WrongPassphraseError",
        ),
        "wallet_sdk.export": ("EXPORT_DOMAIN",),
        "wallet_sdk.offers": ("CredentialOffer", "CredentialOfferReference", "TxCode"),
        "wallet_sdk.present": ("Disclosure", "Match", "Presentation"),
        "wallet_sdk.receive": ("OfferPreview",),
        "wallet_sdk.records": ("ActivityEntry", "PendingIssuance", "StoredCredential"),
        "wallet_sdk.requests": ("PresentationRequest", "ResponseResult"),
        "wallet_sdk.store": ("Argon2Params", "EncryptedStore", "MemoryStore", "WalletStore"),
        "wallet_sdk.wallet": ("Wallet",),
    },
)
