"""The public API is a promise: the exports of wallet_sdk are pinned."""

from __future__ import annotations

import wallet_sdk


def test_exports_are_pinned() -> None:
    assert set(wallet_sdk.__all__) == {
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
    }
    for name in wallet_sdk.__all__:
        assert getattr(wallet_sdk, name) is not None


def test_every_wallet_error_is_a_coded_vc_error() -> None:
    from vc_core.errors import VcError

    for name in wallet_sdk.__all__:
        value = getattr(wallet_sdk, name)
        if isinstance(value, type) and issubclass(value, Exception):
            assert issubclass(value, VcError)
            assert value().code
