"""vc_core: the credential engines of blauwe-knop.

Recipes for signing, deriving, verifying and (as a holder) confirming W3C
Verifiable Credentials with ``ecdsa-sd-2023``, ``ecdsa-rdfc-2019`` and
``eddsa-rdfc-2022``, over an offline JSON-LD loader; for issuing, presenting
and verifying SD-JWT VCs (``vc_core.sd_jwt``); plus keys, DIDs, and Bitstring
and Token Status List checks (``vc_core.status``).
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
        IssuerKeyError,
        JwsError,
        KeyBindingError,
        ParsingError,
        Problem,
        ProofExpiredError,
        ProofGenerationError,
        ProofTransformationError,
        ProofVerificationError,
        SdJwtError,
        StatusListError,
        UnsupportedCryptosuiteError,
        VcError,
        VerificationError,
    )
    from vc_core.keys import Curve, KeyPair, PublicKey
    from vc_core.loader import document_loader
    from vc_core.proofs import VerifiedDocument, canonicalize, confirm, derive, sign, verify
    from vc_core.sd_jwt import VerifiedSdJwtVc, issue_sd_jwt_vc, present_sd_jwt_vc, verify_sd_jwt_vc
    from vc_core.status import (
        StatusList,
        StatusListCache,
        StatusResult,
        TokenStatusResult,
        check_status,
        check_token_status,
    )
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
    "IssuerKeyError",
    "JsonObject",
    "JwsError",
    "KeyBindingError",
    "KeyPair",
    "ParsingError",
    "Problem",
    "ProofExpiredError",
    "ProofGenerationError",
    "ProofTransformationError",
    "ProofVerificationError",
    "PublicKey",
    "SdJwtError",
    "StatusList",
    "StatusListCache",
    "StatusListError",
    "StatusResult",
    "TokenStatusResult",
    "UnsupportedCryptosuiteError",
    "VcError",
    "VerificationError",
    "VerificationMethod",
    "VerifiedDocument",
    "VerifiedSdJwtVc",
    "canonicalize",
    "check_status",
    "check_token_status",
    "confirm",
    "derive",
    "did_key",
    "document_loader",
    "issue_sd_jwt_vc",
    "present_sd_jwt_vc",
    "resolve_did",
    "sign",
    "verify",
    "verify_sd_jwt_vc",
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
            "IssuerKeyError",
            "JwsError",
            "KeyBindingError",
            "ParsingError",
            "Problem",
            "ProofExpiredError",
            "ProofGenerationError",
            "ProofTransformationError",
            "ProofVerificationError",
            "SdJwtError",
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
        "vc_core.sd_jwt": (
            "VerifiedSdJwtVc",
            "issue_sd_jwt_vc",
            "present_sd_jwt_vc",
            "verify_sd_jwt_vc",
        ),
        "vc_core.status": (
            "StatusList",
            "StatusListCache",
            "StatusResult",
            "TokenStatusResult",
            "check_status",
            "check_token_status",
        ),
        "vc_core.types": ("Clock", "CryptosuiteName", "DocumentLoader", "Fetch", "JsonObject"),
    },
)
