"""vc_core: the Data Integrity engine of blauwe-knop.

Recipes for signing, deriving and verifying W3C Verifiable Credentials with
``ecdsa-sd-2023``, ``ecdsa-rdfc-2019`` and ``eddsa-rdfc-2022``, over an
offline JSON-LD loader, plus keys, DIDs and the Bitstring Status List codec.
Spec algorithms live in ``vc_core.hazmat``; only this package imports them.
"""

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
from vc_core.proofs import VerifiedDocument, canonicalize, derive, sign, verify
from vc_core.status import StatusList
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
    "KeyPair",
    "ParsingError",
    "Problem",
    "ProofExpiredError",
    "ProofGenerationError",
    "ProofTransformationError",
    "ProofVerificationError",
    "PublicKey",
    "StatusList",
    "StatusListError",
    "UnsupportedCryptosuiteError",
    "VcError",
    "VerificationError",
    "VerificationMethod",
    "VerifiedDocument",
    "canonicalize",
    "derive",
    "did_key",
    "document_loader",
    "resolve_did",
    "sign",
    "verify",
]
