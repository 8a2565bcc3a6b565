"""The eddsa-rdfc-2022 cryptosuite: RDFC-1.0 canonical N-Quads signed with Ed25519.

Spec: vc-di-eddsa#eddsa-rdfc-2022

Everything is SHA-256 and Ed25519 (pure EdDSA, always deterministic); the
``proofValue`` is ``z`` + base58btc of the 64-byte signature. The canonical
N-Quads equal the ecdsa-rdfc-2019 P-256 ones for the same input, and the
algorithm bodies are shared with that suite (``vc_core.hazmat._rdfc``).
"""

from __future__ import annotations

from functools import partial

from vc_core.errors import ProofGenerationError, ProofVerificationError, VcError
from vc_core.hazmat import _rdfc
from vc_core.hazmat.data_integrity import BoundCryptosuite
from vc_core.keys import KeyPair, PublicKey
from vc_core.types import DocumentLoader, JsonObject

__all__ = [
    "CRYPTOSUITE",
    "EddsaRdfc2022",
    "create_proof",
    "hashing",
    "proof_configuration",
    "proof_serialization",
    "proof_verification",
    "transformation",
    "verify_proof",
]

CRYPTOSUITE = "eddsa-rdfc-2022"

_PARAMETERS = _rdfc.RdfcParameters(CRYPTOSUITE, "sha256", 64)


def _check_ed25519(curve: str, error: type[VcError]) -> None:
    """Raise ``error`` unless ``curve`` is Ed25519, the only key type of this suite."""
    if curve != "Ed25519":
        raise error(f"{CRYPTOSUITE} needs an Ed25519 key, not {curve}")


def transformation(
    unsecured_document: JsonObject, options: JsonObject, *, document_loader: DocumentLoader
) -> str:
    """Canonicalize the unsecured document to RDFC-1.0 N-Quads (the transformed data).

    Spec: vc-di-eddsa#transformation-eddsa-rdfc-2022

    Raises ``ProofTransformationError`` for options of another suite, and the
    canonicalization errors (``DataLossError``, ``DocumentLoadError``,
    ``CanonicalizationLimitError``).
    """
    # Steps 1-3: check the options, then canonicalize with RDFC-1.0.
    return _rdfc.transformation(
        _PARAMETERS, unsecured_document, options, document_loader=document_loader
    )


def hashing(transformed_document: str, canonical_proof_config: str) -> bytes:
    """Return hashData: SHA-256(canonical proof config) ‖ SHA-256(transformed document).

    Spec: vc-di-eddsa#hashing-eddsa-rdfc-2022
    """
    # Steps 1-4: proofConfigHash, transformedDocumentHash, and hashData (64 bytes).
    return _rdfc.hashing(_PARAMETERS, transformed_document, canonical_proof_config)


def proof_configuration(
    unsecured_document: JsonObject, options: JsonObject, *, document_loader: DocumentLoader
) -> str:
    """Return the canonical proof configuration: the options under the document's context.

    Spec: vc-di-eddsa#proof-configuration-eddsa-rdfc-2022

    Raises ``ProofGenerationError`` for options of another suite or a
    ``created`` that is not an XSD dateTimeStamp.
    """
    # Steps 1-6: the checked options under the document's @context, canonicalized.
    return _rdfc.proof_configuration(
        _PARAMETERS, unsecured_document, options, document_loader=document_loader
    )


def proof_serialization(hash_data: bytes, options: JsonObject, *, key: KeyPair) -> bytes:
    """Sign hashData with Ed25519 (pure EdDSA); returns the 64-byte signature.

    Spec: vc-di-eddsa#proof-serialization-eddsa-rdfc-2022

    ``key`` is the signing key of ``options["verificationMethod"]``. Raises
    ``ProofGenerationError`` for a key of another type.
    """
    # Step 1: privateKeyBytes: the caller's signing key for options.verificationMethod.
    _check_ed25519(key.curve, ProofGenerationError)
    # Step 2: proofBytes = Ed25519(privateKey, hashData).
    # Step 3: return proofBytes.
    return key.sign(hash_data)


def proof_verification(
    hash_data: bytes, proof_bytes: bytes, options: JsonObject, *, public_key: PublicKey
) -> bool:
    """Return whether ``proof_bytes`` is an Ed25519 signature of hashData.

    Spec: vc-di-eddsa#proof-verification-eddsa-rdfc-2022

    ``public_key`` is the key dereferenced from ``options["verificationMethod"]``.
    """
    # Step 1: publicKeyBytes: the caller dereferenced options.verificationMethod.
    # Step 2: verificationResult = Ed25519 verify(publicKey, hashData, proofBytes).
    # Step 3: return verificationResult.
    return public_key.verify(proof_bytes, hash_data)


def create_proof(
    unsecured_document: JsonObject,
    options: JsonObject,
    *,
    key: KeyPair,
    document_loader: DocumentLoader,
) -> JsonObject:
    """Return the Data Integrity proof of ``unsecured_document`` under ``options``.

    Spec: vc-di-eddsa#create-proof-eddsa-rdfc-2022

    Raises ``ProofGenerationError`` (wrong suite options or key type, bad
    ``created``), ``ProofTransformationError`` and the canonicalization errors.
    """
    # Implementation note: refuse another key type before canonicalizing anything.
    _check_ed25519(key.curve, ProofGenerationError)
    # Steps 1-7: proofConfig, transformedData, hashData, proofBytes, then proof.proofValue.
    return _rdfc.create_proof(
        _PARAMETERS,
        unsecured_document,
        options,
        document_loader=document_loader,
        proof_serialization=partial(proof_serialization, key=key),
    )


def verify_proof(
    unsecured_document: JsonObject,
    proof: JsonObject,
    *,
    public_key: PublicKey,
    document_loader: DocumentLoader,
) -> None:
    """Check ``proof`` over ``unsecured_document`` (the document without this proof).

    Spec: vc-di-eddsa#verify-proof-eddsa-rdfc-2022

    The caller removed ``proof`` from the secured document (step 1) and
    dereferenced ``public_key``. Raises ``ProofVerificationError`` for a wrong
    key type, a malformed ``proofValue``, options of another suite or a bad
    signature; ``DataLossError`` and the other canonicalization errors propagate.
    """
    # Implementation note: the key must be an Ed25519 key.
    _check_ed25519(public_key.curve, ProofVerificationError)
    # Steps 1-8: proofOptions, proofBytes, transformedData, proofConfig, hashData, verify.
    _rdfc.verify_proof(
        _PARAMETERS,
        unsecured_document,
        proof,
        document_loader=document_loader,
        proof_verification=proof_verification,
        public_key=public_key,
    )


class EddsaRdfc2022(BoundCryptosuite):
    """The eddsa-rdfc-2022 suite instance (``Cryptosuite`` protocol); it takes no options."""

    __slots__ = ()

    def __init__(self) -> None:
        super().__init__(CRYPTOSUITE, create_proof, verify_proof)
