"""vc_core: the Data Integrity engine of blauwe-knop.

Recipes for signing, deriving, verifying and (as a holder) confirming W3C
Verifiable Credentials with ``ecdsa-sd-2023``, ``ecdsa-rdfc-2019`` and
``eddsa-rdfc-2022``, over an offline JSON-LD loader, plus keys, DIDs and
Bitstring Status List checks.
Spec algorithms live in ``vc_core.hazmat``; only this package imports them.
"""

from typing import TYPE_CHECKING

from vc_core._imports import lazy_exports

if TYPE_CHECKING:
    from vc_core.did import VerificationMethod, did_key, resolve_did
    from vc_core.errors import (
        CanonicalizationLimitError,
        CredentialPolicyError,
        DataLossError,
        DidResolutionError,
        DocumentLoadError,
        FetchError,
        InvalidChallengeError,
        InvalidDomainError,
        JwsError,
        ParsingError,
        Problem,
        ProofExpiredError,
        ProofGenerationError,
        ProofTransformationError,
        ProofVerificationError,
        StatusListError,
        UnsupportedCryptosuiteError,
        VcError,
        VerificationError,
    )
    from vc_core.keys import Curve, KeyPair, PublicKey
    from vc_core.loader import document_loader
    from vc_core.proofs import VerifiedDocument, canonicalize, confirm, derive, sign, verify
    from vc_core.status import StatusList, StatusListCache, StatusResult, check_status
    from vc_core.types import Clock, CryptosuiteName, DocumentLoader, Fetch, JsonObject

__all__ = [
    "CanonicalizationLimitError",
    "Clock",
    "CredentialPolicyError",
    "CryptosuiteName",
    "Curve",
    "DataLossError",
    "DidResolutionError",
    "DocumentLoadError",
    "DocumentLoader",
    "Fetch",
    "FetchError",
    "InvalidChallengeError",
    "InvalidDomainError",
    "JsonObject",
    "JwsError",
    "KeyPair",
    "ParsingError",
    "Problem",
    "ProofExpiredError",
    "ProofGenerationError",
    "ProofTransformationError",
    "ProofVerificationError",
    "PublicKey",
    "StatusList",
    "StatusListCache",
    "StatusListError",
    "StatusResult",
    "UnsupportedCryptosuiteError",
    "VcError",
    "VerificationError",
    "VerificationMethod",
    "VerifiedDocument",
    "canonicalize",
    "check_status",
    "confirm",
    "derive",
    "did_key",
    "document_loader",
    "resolve_did",
    "sign",
    "verify",
]

__getattr__, __dir__ = lazy_exports(
    __name__,
    {
        "vc_core.did": ("VerificationMethod", "did_key", "resolve_did"),
        "vc_core.errors": (
            "CanonicalizationLimitError",
            "CredentialPolicyError",
            "DataLossError",
            "DidResolutionError",
            "DocumentLoadError",
            "FetchError",
            "InvalidChallengeError",
            "InvalidDomainError",
            "JwsError",
            "ParsingError",
            "Problem",
            "ProofExpiredError",
            "ProofGenerationError",
            "ProofTransformationError",
            "ProofVerificationError",
            "StatusListError",
            "UnsupportedCryptosuiteError",
            "VcError",
            "VerificationError",
        ),
        "vc_core.keys": ("Curve", "KeyPair", "PublicKey"),
        "vc_core.loader": ("document_loader",),
        "vc_core.proofs": (
            "VerifiedDocument",
            "canonicalize",
            "confirm",
            "derive",
            "sign",
            "verify",
        ),
        "vc_core.status": ("StatusList", "StatusListCache", "StatusResult", "check_status"),
        "vc_core.types": ("Clock", "CryptosuiteName", "DocumentLoader", "Fetch", "JsonObject"),
    },
)
