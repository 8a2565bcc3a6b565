"""The ecdsa-rdfc-2019 cryptosuite: RDFC-1.0 canonical N-Quads signed with ECDSA.

Spec: vc-di-ecdsa#ecdsa-rdfc-2019

P-256 keys use SHA-256 everywhere; P-384 keys use SHA-384 for the hashes and
also as RDFC-1.0's internal hash (vc-di-ecdsa#canon-and-hash), so the curve of
the key decides how the document is canonicalized. Signatures are raw ``r‖s``
(64 or 96 bytes), deterministic (RFC 6979) unless the suite is built with
``deterministic=False``; ``proofValue`` is ``z`` + base58btc of the signature.
The algorithm bodies are shared with eddsa-rdfc-2022 (``vc_core.hazmat._rdfc``).
"""

from __future__ import annotations

from functools import partial
from typing import Literal

from vc_core.errors import ProofGenerationError, ProofVerificationError, VcError
from vc_core.hazmat import _rdfc
from vc_core.hazmat.data_integrity import BoundCryptosuite
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
_PARAMETERS: dict[EcdsaCurve, _rdfc.RdfcParameters] = {
    "P-256": _rdfc.RdfcParameters(CRYPTOSUITE, "sha256", 64),
    "P-384": _rdfc.RdfcParameters(CRYPTOSUITE, "sha384", 96),
}


def _ecdsa_curve(curve: str, error: type[VcError]) -> EcdsaCurve:
    """Return ``curve`` if this suite signs with it; raise ``error`` otherwise."""
    if curve in _PARAMETERS:
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
    # Steps 1-3: check the options, then canonicalize with the curve's hash.
    return _rdfc.transformation(
        _PARAMETERS[curve], unsecured_document, options, document_loader=document_loader
    )


def hashing(transformed_document: str, canonical_proof_config: str, *, curve: EcdsaCurve) -> bytes:
    """Return hashData: hash(canonical proof config) ‖ hash(transformed document).

    Spec: vc-di-ecdsa#hashing-ecdsa-rdfc-2019

    SHA-256 for P-256 (32 + 32 bytes), SHA-384 for P-384 (48 + 48 bytes).
    """
    # Steps 1-4: transformedDocumentHash, proofConfigHash, and hashData = proofConfigHash ‖
    # transformedDocumentHash.
    return _rdfc.hashing(_PARAMETERS[curve], transformed_document, canonical_proof_config)


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
    # Steps 1-6: the checked options under the document's @context, canonicalized.
    return _rdfc.proof_configuration(
        _PARAMETERS[curve], unsecured_document, options, document_loader=document_loader
    )


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
    # Steps 1-7: proofConfig, transformedData, hashData, proofBytes, then proof.proofValue.
    return _rdfc.create_proof(
        _PARAMETERS[curve],
        unsecured_document,
        options,
        document_loader=document_loader,
        proof_serialization=partial(proof_serialization, key=key, deterministic=deterministic),
    )


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
    # Steps 1-7: proofConfig, proofBytes, transformedData, hashData, then verify.
    _rdfc.verify_proof(
        _PARAMETERS[curve],
        unsecured_document,
        proof,
        document_loader=document_loader,
        proof_verification=proof_verification,
        public_key=public_key,
    )


class EcdsaRdfc2019(BoundCryptosuite):
    """The ecdsa-rdfc-2019 suite instance (``Cryptosuite`` protocol).

    ``deterministic`` selects RFC 6979 signing (the default, which reproduces
    the W3C vectors); ``False`` uses random nonces.
    """

    __slots__ = ()

    def __init__(self, *, deterministic: bool = True) -> None:
        super().__init__(
            CRYPTOSUITE, partial(create_proof, deterministic=deterministic), verify_proof
        )
