"""The eddsa-rdfc-2022 cryptosuite: RDFC-1.0 canonical N-Quads signed with Ed25519.

Spec: vc-di-eddsa#eddsa-rdfc-2022

Everything is SHA-256 and Ed25519 (pure EdDSA, always deterministic); the
``proofValue`` is ``z`` + base58btc of the 64-byte signature. The canonical
N-Quads equal the ecdsa-rdfc-2019 P-256 ones for the same input.
"""

from __future__ import annotations

import copy
import hashlib

from vc_core._jsonld import canonicalize
from vc_core._multibase import encode_base58btc
from vc_core.errors import (
    ProofGenerationError,
    ProofTransformationError,
    ProofVerificationError,
)
from vc_core.hazmat.data_integrity import (
    check_proof_options,
    checked_proof_config,
    decode_proof_value,
)
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

_SIGNATURE_SIZE = 64


def transformation(
    unsecured_document: JsonObject, options: JsonObject, *, document_loader: DocumentLoader
) -> str:
    """Canonicalize the unsecured document to RDFC-1.0 N-Quads (the transformed data).

    Spec: vc-di-eddsa#transformation-eddsa-rdfc-2022

    Raises ``ProofTransformationError`` for options of another suite, and the
    canonicalization errors (``DataLossError``, ``DocumentLoadError``,
    ``CanonicalizationLimitError``).
    """
    # Step 1: options must name DataIntegrityProof and eddsa-rdfc-2022.
    check_proof_options(options, cryptosuite=CRYPTOSUITE, error=ProofTransformationError)
    # Step 2: convert to RDF, run RDFC-1.0 and serialize the canonical form.
    # Step 3: return the canonical document.
    return canonicalize(unsecured_document, document_loader=document_loader).text


def hashing(transformed_document: str, canonical_proof_config: str) -> bytes:
    """Return hashData: SHA-256(canonical proof config) ‖ SHA-256(transformed document).

    Spec: vc-di-eddsa#hashing-eddsa-rdfc-2022
    """
    # Step 1: proofConfigHash.
    proof_config_hash = hashlib.sha256(canonical_proof_config.encode()).digest()
    # Step 2: transformedDocumentHash.
    transformed_document_hash = hashlib.sha256(transformed_document.encode()).digest()
    # Step 3: hashData = proofConfigHash ‖ transformedDocumentHash (64 bytes).
    # Step 4: return hashData.
    return proof_config_hash + transformed_document_hash


def proof_configuration(
    unsecured_document: JsonObject, options: JsonObject, *, document_loader: DocumentLoader
) -> str:
    """Return the canonical proof configuration: the options under the document's context.

    Spec: vc-di-eddsa#proof-configuration-eddsa-rdfc-2022

    Raises ``ProofGenerationError`` for options of another suite or a
    ``created`` that is not an XSD dateTimeStamp.
    """
    # Steps 1-4: the checked options, without proofValue, under the document's @context.
    proof_config = checked_proof_config(unsecured_document, options, cryptosuite=CRYPTOSUITE)
    # Step 5: canonicalize the proof configuration with RDFC-1.0.
    # Step 6: return it.
    return canonicalize(proof_config, document_loader=document_loader).text


def proof_serialization(hash_data: bytes, options: JsonObject, *, key: KeyPair) -> bytes:
    """Sign hashData with Ed25519 (pure EdDSA); returns the 64-byte signature.

    Spec: vc-di-eddsa#proof-serialization-eddsa-rdfc-2022

    ``key`` is the signing key of ``options["verificationMethod"]``. Raises
    ``ProofGenerationError`` for a key of another type.
    """
    # Step 1: privateKeyBytes: the caller's signing key for options.verificationMethod.
    if key.curve != "Ed25519":
        raise ProofGenerationError(f"{CRYPTOSUITE} needs an Ed25519 key, not {key.curve}")
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
    if key.curve != "Ed25519":
        raise ProofGenerationError(f"{CRYPTOSUITE} needs an Ed25519 key, not {key.curve}")
    # Step 1: proof is a clone of the options.
    proof = copy.deepcopy(options)
    # Step 2: proofConfig.
    proof_config = proof_configuration(unsecured_document, options, document_loader=document_loader)
    # Step 3: transformedData.
    transformed_data = transformation(unsecured_document, options, document_loader=document_loader)
    # Step 4: hashData.
    hash_data = hashing(transformed_data, proof_config)
    # Step 5: proofBytes.
    proof_bytes = proof_serialization(hash_data, options, key=key)
    # Step 6: proof.proofValue = base58btc multibase of proofBytes.
    proof["proofValue"] = encode_base58btc(proof_bytes)
    # Step 7: return proof.
    return proof


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
    if public_key.curve != "Ed25519":
        raise ProofVerificationError(f"{CRYPTOSUITE} needs an Ed25519 key, not {public_key.curve}")
    # Step 1: unsecuredDocument (given).
    # Step 2: proofOptions is the proof without proofValue.
    proof_options = {k: v for k, v in proof.items() if k != "proofValue"}
    # Step 3: proofBytes = base58btc multibase decoding of proofValue.
    proof_bytes = decode_proof_value(proof.get("proofValue"), size=_SIGNATURE_SIZE)
    try:
        # Step 4: transformedData.
        transformed_data = transformation(
            unsecured_document, proof_options, document_loader=document_loader
        )
        # Step 5: proofConfig.
        proof_config = proof_configuration(
            unsecured_document, proof_options, document_loader=document_loader
        )
    except (ProofTransformationError, ProofGenerationError) as exc:
        # Implementation note: while verifying, a bad proof is a verification failure.
        raise ProofVerificationError(str(exc.detail)) from exc
    # Step 6: hashData.
    hash_data = hashing(transformed_data, proof_config)
    # Step 7: verified = proof verification.
    verified = proof_verification(hash_data, proof_bytes, proof_options, public_key=public_key)
    # Step 8: return the result (implementation note: a failure raises instead).
    if not verified:
        raise ProofVerificationError(f"the {CRYPTOSUITE} signature does not verify")


class EddsaRdfc2022:
    """The eddsa-rdfc-2022 suite instance (``Cryptosuite`` protocol); it takes no options."""

    __slots__ = ()

    @property
    def name(self) -> str:
        """The ``cryptosuite`` value: ``eddsa-rdfc-2022``."""
        return CRYPTOSUITE

    def create_proof(
        self,
        unsecured_document: JsonObject,
        options: JsonObject,
        *,
        key: KeyPair,
        document_loader: DocumentLoader,
    ) -> JsonObject:
        """See :func:`create_proof`."""
        return create_proof(unsecured_document, options, key=key, document_loader=document_loader)

    def verify_proof(
        self,
        unsecured_document: JsonObject,
        proof: JsonObject,
        *,
        public_key: PublicKey,
        document_loader: DocumentLoader,
    ) -> None:
        """See :func:`verify_proof`."""
        verify_proof(
            unsecured_document, proof, public_key=public_key, document_loader=document_loader
        )
