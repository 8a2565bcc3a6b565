"""vc_verifier: the relying-party library that landlord software embeds.

Verify OpenID4VP presentations of W3C credentials (ecdsa-sd-2023 derived
proofs, Bitstring Status List, trusted issuers, holder binding), decide the
housing income rule on verified claims only, and keep a signed verification
record instead of copies of income statements. With a citizen's Blauwe Knop
Plus consent, :class:`PlusClient` fetches the data straight from the sources
and :meth:`Verifier.verify_plus_credentials` checks it for the same rule.
The optional FastAPI router lives in ``vc_verifier.web`` (extra ``verifier-web``).
"""

from typing import TYPE_CHECKING

from vc_core._imports import lazy_exports

if TYPE_CHECKING:
    from vc_verifier.errors import (
        PlusFetchError,
        TransactionReplayError,
        UnknownTransactionError,
        WalletResponseError,
    )
    from vc_verifier.http import http_fetch
    from vc_verifier.plus import PlusClient, PlusFetch
    from vc_verifier.policy.housing import HousingIncomeRule, PolicyResult
    from vc_verifier.record import VerifiedRecord, verify_record
    from vc_verifier.results import (
        PresentationOutcome,
        PresentationReport,
        VerifiedCredential,
        VerifiedPresentation,
    )
    from vc_verifier.transactions import (
        MemoryTransactions,
        SqliteTransactions,
        Transaction,
        TransactionStatus,
        TransactionStore,
    )
    from vc_verifier.trust import TrustedIssuers
    from vc_verifier.verifier import Verifier

__all__ = [
    "HousingIncomeRule",
    "MemoryTransactions",
    "PlusClient",
    "PlusFetch",
    "PlusFetchError",
    "PolicyResult",
    "PresentationOutcome",
    "PresentationReport",
    "SqliteTransactions",
    "Transaction",
    "TransactionReplayError",
    "TransactionStatus",
    "TransactionStore",
    "TrustedIssuers",
    "UnknownTransactionError",
    "VerifiedCredential",
    "VerifiedPresentation",
    "VerifiedRecord",
    "Verifier",
    "WalletResponseError",
    "http_fetch",
    "verify_record",
]

__getattr__, __dir__ = lazy_exports(
    __name__,
    {
        "vc_verifier.errors": (
            "PlusFetchError",
            "TransactionReplayError",
            "UnknownTransactionError",
            "WalletResponseError",
        ),
        "vc_verifier.http": ("http_fetch",),
        "vc_verifier.plus": ("PlusClient", "PlusFetch"),
        "vc_verifier.policy.housing": ("HousingIncomeRule", "PolicyResult"),
        "vc_verifier.record": ("VerifiedRecord", "verify_record"),
        "vc_verifier.results": (
            "PresentationOutcome",
            "PresentationReport",
            "VerifiedCredential",
            "VerifiedPresentation",
        ),
        "vc_verifier.transactions": (
            "MemoryTransactions",
            "SqliteTransactions",
            "Transaction",
            "TransactionStatus",
            "TransactionStore",
        ),
        "vc_verifier.trust": ("TrustedIssuers",),
        "vc_verifier.verifier": ("Verifier",),
    },
)
