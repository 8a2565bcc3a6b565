"""The algorithm bodies ecdsa-rdfc-2019 and eddsa-rdfc-2022 share.

Both suites canonicalize with RDFC-1.0, hash the proof configuration and the
document separately, sign the two hashes and store the signature as a
base58btc ``proofValue``. They differ only in the key types they accept, the
hash (SHA-256, or SHA-384 for P-384 keys, also inside RDFC-1.0) and the
signature size, which :class:`RdfcParameters` holds. Each suite module keeps
one public function per spec algorithm and calls the body here.
"""

from __future__ import annotations

import copy
import hashlib
from collections.abc import Callable
from dataclasses import dataclass

from vc_core._jsonld import HashName, canonicalize
from vc_core._multibase import encode_base58btc
from vc_core.errors import ProofGenerationError, ProofTransformationError, ProofVerificationError
from vc_core.hazmat.data_integrity import (
    check_proof_options,
    checked_proof_config,
    decode_proof_value,
)
from vc_core.keys import PublicKey
from vc_core.types import DocumentLoader, JsonObject

__all__ = [
    "RdfcParameters",
    "create_proof",
    "hashing",
    "proof_configuration",
    "transformation",
    "verify_proof",
]


# Implementation note: the constructors, as hashlib.new costs a Python call per hash.
_HASHES = {"sha256": hashlib.sha256, "sha384": hashlib.sha384}


@dataclass(frozen=True, slots=True)
class RdfcParameters:
    """What tells one RDFC suite, for one key type, apart from the other."""

    cryptosuite: str
    hash_name: HashName
    signature_size: int


def transformation(
    parameters: RdfcParameters,
    unsecured_document: JsonObject,
    options: JsonObject,
    *,
    document_loader: DocumentLoader,
) -> str:
    """Canonicalize the unsecured document to RDFC-1.0 N-Quads (the transformed data).

    Spec: vc-di-eddsa#transformation-eddsa-rdfc-2022 (the same steps as
    vc-di-ecdsa#transformation-ecdsa-rdfc-2019).
    """
    # Step 1: options must name DataIntegrityProof and this suite.
    check_proof_options(options, cryptosuite=parameters.cryptosuite, error=ProofTransformationError)
    # Step 2: convert to RDF, run RDFC-1.0 with the suite's hash and serialize.
    # Step 3: return the canonical document.
    return canonicalize(
        unsecured_document, document_loader=document_loader, hash_name=parameters.hash_name
    ).text


def proof_configuration(
    parameters: RdfcParameters,
    unsecured_document: JsonObject,
    options: JsonObject,
    *,
    document_loader: DocumentLoader,
) -> str:
    """Return the canonical proof configuration: the options under the document's context.

    Spec: vc-di-eddsa#proof-configuration-eddsa-rdfc-2022 (the same steps as
    vc-di-ecdsa#proof-configuration-ecdsa-rdfc-2019).
    """
    # Steps 1-4: the checked options, without proofValue, under the document's @context.
    proof_config = checked_proof_config(
        unsecured_document, options, cryptosuite=parameters.cryptosuite
    )
    # Step 5: canonicalize the proof configuration with RDFC-1.0.
    # Step 6: return it.
    return canonicalize(
        proof_config, document_loader=document_loader, hash_name=parameters.hash_name
    ).text


def hashing(
    parameters: RdfcParameters, transformed_document: str, canonical_proof_config: str
) -> bytes:
    """Return hashData: hash(canonical proof config) ‖ hash(transformed document).

    Spec: vc-di-eddsa#hashing-eddsa-rdfc-2022 (vc-di-ecdsa#hashing-ecdsa-rdfc-2019
    computes the same two hashes in the other order).
    """
    new_hash = _HASHES[parameters.hash_name]
    # Step 1: proofConfigHash.
    proof_config_hash = new_hash(canonical_proof_config.encode()).digest()
    # Step 2: transformedDocumentHash.
    transformed_document_hash = new_hash(transformed_document.encode()).digest()
    # Step 3: hashData = proofConfigHash ‖ transformedDocumentHash.
    # Step 4: return hashData.
    return proof_config_hash + transformed_document_hash


def create_proof(
    parameters: RdfcParameters,
    unsecured_document: JsonObject,
    options: JsonObject,
    *,
    document_loader: DocumentLoader,
    proof_serialization: Callable[[bytes, JsonObject], bytes],
) -> JsonObject:
    """Return the Data Integrity proof of ``unsecured_document`` under ``options``.

    Spec: vc-di-eddsa#create-proof-eddsa-rdfc-2022 (the same steps as
    vc-di-ecdsa#create-proof-ecdsa-rdfc-2019).

    ``proof_serialization`` is the suite's, with the signing key bound.
    """
    # Step 1: proof is a clone of the options.
    proof = copy.deepcopy(options)
    # Step 2: proofConfig.
    proof_config = proof_configuration(
        parameters, unsecured_document, options, document_loader=document_loader
    )
    # Step 3: transformedData.
    transformed_data = transformation(
        parameters, unsecured_document, options, document_loader=document_loader
    )
    # Step 4: hashData.
    hash_data = hashing(parameters, transformed_data, proof_config)
    # Step 5: proofBytes.
    proof_bytes = proof_serialization(hash_data, options)
    # Step 6: proof.proofValue = base58btc multibase of proofBytes.
    proof["proofValue"] = encode_base58btc(proof_bytes)
    # Step 7: return proof.
    return proof


def verify_proof(
    parameters: RdfcParameters,
    unsecured_document: JsonObject,
    proof: JsonObject,
    *,
    document_loader: DocumentLoader,
    proof_verification: Callable[..., bool],
    public_key: PublicKey,
) -> None:
    """Check ``proof`` over ``unsecured_document`` (the document without this proof).

    Spec: vc-di-eddsa#verify-proof-eddsa-rdfc-2022 (vc-di-ecdsa#verify-proof-ecdsa-rdfc-2019
    has the same steps, numbered without step 5).

    ``proof_verification`` is the suite's; it gets ``public_key``.
    """
    # Step 1: unsecuredDocument (given).
    # Step 2: proofOptions is the proof without proofValue.
    proof_options = {k: v for k, v in proof.items() if k != "proofValue"}
    # Step 3: proofBytes = base58btc multibase decoding of proofValue.
    proof_bytes = decode_proof_value(proof.get("proofValue"), size=parameters.signature_size)
    try:
        # Step 4: transformedData.
        transformed_data = transformation(
            parameters, unsecured_document, proof_options, document_loader=document_loader
        )
        # Step 5: proofConfig.
        # Implementation note: vc-di-ecdsa has no such step and hashes proofConfig as it
        # is; it needs canonicalizing first, as vc-di-eddsa says explicitly.
        proof_config = proof_configuration(
            parameters, unsecured_document, proof_options, document_loader=document_loader
        )
    except (ProofTransformationError, ProofGenerationError) as exc:
        # Implementation note: while verifying, a bad proof is a verification failure.
        raise ProofVerificationError(str(exc.detail)) from exc
    # Step 6: hashData.
    hash_data = hashing(parameters, transformed_data, proof_config)
    # Step 7: verified = proof verification.
    verified = proof_verification(hash_data, proof_bytes, proof_options, public_key=public_key)
    # Step 8: return the result (implementation note: a failure raises instead).
    if not verified:
        raise ProofVerificationError(f"the {parameters.cryptosuite} signature does not verify")
