"""The ecdsa-rdfc-2019 cryptosuite: RDFC-1.0 canonical N-Quads signed with ECDSA.

Spec: vc-di-ecdsa#ecdsa-rdfc-2019

P-256 keys use SHA-256 everywhere; P-384 keys use SHA-384 for the hashes and
also as RDFC-1.0's internal hash (vc-di-ecdsa#canon-and-hash), so the curve of
the key decides how the document is canonicalized. Signatures are raw ``r‖s``
(64 or 96 bytes), deterministic (RFC 6979) unless the suite is built with
``deterministic=False``; ``proofValue`` is ``z`` + base58btc of the signature.
"""

from __future__ import annotations

import copy
import hashlib
from typing import Literal

from vc_core._jsonld import canonicalize
from vc_core._multibase import encode_base58btc
from vc_core.errors import (
    ProofGenerationError,
    ProofTransformationError,
    ProofVerificationError,
    VcError,
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
    "EcdsaCurve",
    "EcdsaRdfc2019",
    "create_proof",
    "hashing",
    "proof_configuration",
    "proof_serialization",
    "proof_verification",
    "transformation",
    "verify_proof",
]

CRYPTOSUITE = "ecdsa-rdfc-2019"

EcdsaCurve = Literal["P-256", "P-384"]
_HASHES: dict[EcdsaCurve, Literal["sha256", "sha384"]] = {"P-256": "sha256", "P-384": "sha384"}
_SIGNATURE_SIZES: dict[EcdsaCurve, int] = {"P-256": 64, "P-384": 96}


def _ecdsa_curve(curve: str, error: type[VcError]) -> EcdsaCurve:
    """Return ``curve`` if this suite signs with it; raise ``error`` otherwise."""
    if curve in _HASHES:
        return curve
    raise error(f"{CRYPTOSUITE} needs a P-256 or P-384 key, not {curve}")


def transformation(
    unsecured_document: JsonObject,
    options: JsonObject,
    *,
    curve: EcdsaCurve,
    document_loader: DocumentLoader,
) -> str:
    """Canonicalize the unsecured document to RDFC-1.0 N-Quads (the transformed data).

    Spec: vc-di-ecdsa#transformation-ecdsa-rdfc-2019

    ``curve`` selects RDFC-1.0's internal hash. Raises ``ProofTransformationError``
    for options of another suite, and the canonicalization errors (``DataLossError``,
    ``DocumentLoadError``, ``CanonicalizationLimitError``).
    """
    # Step 1: options must name DataIntegrityProof and ecdsa-rdfc-2019.
    check_proof_options(options, cryptosuite=CRYPTOSUITE, error=ProofTransformationError)
    # Step 2: expand, convert to RDF, run RDFC-1.0 with the curve's hash and serialize.
    # Step 3: return the canonical document.
    return canonicalize(
        unsecured_document, document_loader=document_loader, hash_name=_HASHES[curve]
    ).text


def hashing(transformed_document: str, canonical_proof_config: str, *, curve: EcdsaCurve) -> bytes:
    """Return hashData: hash(canonical proof config) ‖ hash(transformed document).

    Spec: vc-di-ecdsa#hashing-ecdsa-rdfc-2019

    SHA-256 for P-256 (32 + 32 bytes), SHA-384 for P-384 (48 + 48 bytes).
    """
    hash_name = _HASHES[curve]
    # Step 1: transformedDocumentHash.
    transformed_document_hash = hashlib.new(hash_name, transformed_document.encode()).digest()
    # Step 2: proofConfigHash.
    proof_config_hash = hashlib.new(hash_name, canonical_proof_config.encode()).digest()
    # Step 3: hashData = proofConfigHash ‖ transformedDocumentHash.
    # Step 4: return hashData.
    return proof_config_hash + transformed_document_hash


def proof_configuration(
    unsecured_document: JsonObject,
    options: JsonObject,
    *,
    curve: EcdsaCurve,
    document_loader: DocumentLoader,
) -> str:
    """Return the canonical proof configuration: the options under the document's context.

    Spec: vc-di-ecdsa#proof-configuration-ecdsa-rdfc-2019

    Raises ``ProofGenerationError`` for options of another suite or a
    ``created`` that is not an XSD dateTimeStamp.
    """
    # Steps 1-4: the checked options, without proofValue, under the document's @context.
    proof_config = checked_proof_config(unsecured_document, options, cryptosuite=CRYPTOSUITE)
    # Step 5: canonicalize the proof configuration with RDFC-1.0.
    # Step 6: return it.
    return canonicalize(
        proof_config, document_loader=document_loader, hash_name=_HASHES[curve]
    ).text


def proof_serialization(
    hash_data: bytes, options: JsonObject, *, key: KeyPair, deterministic: bool = True
) -> bytes:
    """Sign hashData with ECDSA, which hashes it once more with the curve's hash.

    Spec: vc-di-ecdsa#proof-serialization-ecdsa-rdfc-2019

    ``key`` is the signing key of ``options["verificationMethod"]``. Returns raw
    ``r‖s``: 64 bytes (P-256) or 96 bytes (P-384). Raises ``ProofGenerationError``
    for a key of another type.
    """
    # Step 1: privateKeyBytes: the caller's signing key for options.verificationMethod.
    _ecdsa_curve(key.curve, ProofGenerationError)
    # Step 2: proofBytes = ECDSA(privateKey, hashData), raw r‖s.
    # Step 3: return proofBytes.
    return key.sign(hash_data, deterministic=deterministic)


def proof_verification(
    hash_data: bytes, proof_bytes: bytes, options: JsonObject, *, public_key: PublicKey
) -> bool:
    """Return whether ``proof_bytes`` is an ECDSA signature of hashData.

    Spec: vc-di-ecdsa#proof-verification-ecdsa-rdfc-2019

    ``public_key`` is the key dereferenced from ``options["verificationMethod"]``.
    """
    # Step 1: publicKeyBytes: the caller dereferenced options.verificationMethod.
    # Step 2: verificationResult = ECDSA verify(publicKey, hashData, proofBytes).
    # Step 3: return verificationResult.
    return public_key.verify(proof_bytes, hash_data)


def create_proof(
    unsecured_document: JsonObject,
    options: JsonObject,
    *,
    key: KeyPair,
    document_loader: DocumentLoader,
    deterministic: bool = True,
) -> JsonObject:
    """Return the Data Integrity proof of ``unsecured_document`` under ``options``.

    Spec: vc-di-ecdsa#create-proof-ecdsa-rdfc-2019

    Raises ``ProofGenerationError`` (wrong suite options or key type, bad
    ``created``), ``ProofTransformationError`` and the canonicalization errors.
    """
    # Implementation note: the key's curve picks the hashes, so check it first.
    curve = _ecdsa_curve(key.curve, ProofGenerationError)
    # Step 1: proof is a clone of the options.
    proof = copy.deepcopy(options)
    # Step 2: proofConfig.
    proof_config = proof_configuration(
        unsecured_document, options, curve=curve, document_loader=document_loader
    )
    # Step 3: transformedData.
    transformed_data = transformation(
        unsecured_document, options, curve=curve, document_loader=document_loader
    )
    # Step 4: hashData.
    hash_data = hashing(transformed_data, proof_config, curve=curve)
    # Step 5: proofBytes.
    proof_bytes = proof_serialization(hash_data, options, key=key, deterministic=deterministic)
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

    Spec: vc-di-ecdsa#verify-proof-ecdsa-rdfc-2019

    The caller removed ``proof`` from the secured document (step 1) and
    dereferenced ``public_key``. Raises ``ProofVerificationError`` for a wrong
    key type, a malformed ``proofValue``, options of another suite or a bad
    signature; ``DataLossError`` and the other canonicalization errors propagate.
    """
    # Implementation note: the key's curve picks the hashes; another key type fails here.
    curve = _ecdsa_curve(public_key.curve, ProofVerificationError)
    # Step 1: unsecuredDocument (given).
    # Step 2: proofConfig is the proof without proofValue.
    proof_options = {k: v for k, v in proof.items() if k != "proofValue"}
    # Step 3: proofBytes = base58btc multibase decoding of proofValue.
    proof_bytes = decode_proof_value(proof.get("proofValue"), size=_SIGNATURE_SIZES[curve])
    try:
        # Step 4: transformedData.
        transformed_data = transformation(
            unsecured_document, proof_options, curve=curve, document_loader=document_loader
        )
        # Implementation note: the spec hashes proofConfig; canonicalize it first, as
        # vc-di-eddsa's verify algorithm says explicitly.
        proof_config = proof_configuration(
            unsecured_document, proof_options, curve=curve, document_loader=document_loader
        )
    except (ProofTransformationError, ProofGenerationError) as exc:
        # Implementation note: while verifying, a bad proof is a verification failure.
        raise ProofVerificationError(str(exc.detail)) from exc
    # Step 5: hashData.
    hash_data = hashing(transformed_data, proof_config, curve=curve)
    # Step 6: verified = proof verification.
    verified = proof_verification(hash_data, proof_bytes, proof_options, public_key=public_key)
    # Step 7: return the result (implementation note: a failure raises instead).
    if not verified:
        raise ProofVerificationError(f"the {CRYPTOSUITE} signature does not verify")


class EcdsaRdfc2019:
    """The ecdsa-rdfc-2019 suite instance (``Cryptosuite`` protocol).

    ``deterministic`` selects RFC 6979 signing (the default, which reproduces
    the W3C vectors); ``False`` uses random nonces.
    """

    __slots__ = ("_deterministic",)

    def __init__(self, *, deterministic: bool = True) -> None:
        self._deterministic = deterministic

    @property
    def name(self) -> str:
        """The ``cryptosuite`` value: ``ecdsa-rdfc-2019``."""
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
        return create_proof(
            unsecured_document,
            options,
            key=key,
            document_loader=document_loader,
            deterministic=self._deterministic,
        )

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
