"""ecdsa-sd-2023 verification: derived proofs (verifier) and base proofs (wallet).

A verifier only ever accepts a derived proof (``u2V0B…``); a base proof holds
the HMAC key and every signature and must never be presented (P15). The
wallet checks a base proof once, before storing it, with
:func:`confirm_base_proof` (docs/protocols.md, "Confirm a base proof").
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from vc_core.errors import ParsingError, ProofGenerationError, ProofVerificationError
from vc_core.hazmat.data_integrity import check_proof_options
from vc_core.hazmat.ecdsa_sd_2023.base import (
    CRYPTOSUITE,
    CURVE,
    base_proof_configuration,
    base_proof_hashing,
    base_proof_transformation,
)
from vc_core.hazmat.ecdsa_sd_2023.proof_value import (
    parse_base_proof_value,
    parse_derived_proof_value,
    serialize_sign_data,
)
from vc_core.hazmat.sd_primitives.canonicalize import (
    NQuadSyntaxError,
    create_label_map_function,
    label_replacement_canonicalize_json_ld,
)
from vc_core.hazmat.sd_primitives.mandatory import hash_mandatory_nquads
from vc_core.keys import PublicKey
from vc_core.types import DocumentLoader, JsonObject

__all__ = ["VerifyData", "confirm_base_proof", "create_verify_data", "verify_derived_proof"]


@dataclass(frozen=True, slots=True)
class VerifyData:
    """The inputs of the final signature checks."""

    base_signature: bytes
    proof_hash: bytes
    public_key: bytes
    signatures: tuple[bytes, ...]
    non_mandatory: tuple[str, ...]
    mandatory_hash: bytes


def create_verify_data(
    document: JsonObject,
    proof: JsonObject,
    *,
    document_loader: DocumentLoader,
) -> VerifyData:
    """Recompute the hashes and the non-mandatory N-Quads of a revealed credential.

    Spec: vc-di-ecdsa#createverifydata

    ``document`` is the revealed credential without its proof.
    """
    if not isinstance(document, dict):
        raise ParsingError("a credential is a JSON object")
    _check_proof_shape(proof)
    # Step 1: proofHash over the canonical proof options (minus proofValue, plus @context).
    canonical_proof_config = _canonical_proof_config(proof, document, document_loader)
    proof_hash = hashlib.sha256(canonical_proof_config.encode()).digest()
    # Step 2: parse the derived proof value.
    derived = parse_derived_proof_value(proof.get("proofValue"))
    # Implementation note: two canonical labels must never share one HMAC label,
    # or distinct blank nodes would merge into the signed ones.
    if len(set(derived.label_map.values())) != len(derived.label_map):
        raise ProofVerificationError("the derived proof's label map repeats a label")
    # Step 3: a label map factory over the disclosed label map.
    label_map_factory_function = create_label_map_function(derived.label_map)
    # Step 4: canonicalize the document with those labels.
    try:
        nquads = label_replacement_canonicalize_json_ld(
            document, label_map_factory_function, document_loader=document_loader
        ).canonical_nquads
    except KeyError as exc:
        raise ProofVerificationError(
            f"the derived proof's label map has no label for blank node {exc.args[0]}"
        ) from exc
    # Step 5 to 7: split by mandatoryIndexes.
    mandatory_indexes = set(derived.mandatory_indexes)
    mandatory = [nq for index, nq in enumerate(nquads) if index in mandatory_indexes]
    non_mandatory = [nq for index, nq in enumerate(nquads) if index not in mandatory_indexes]
    # Step 8: mandatoryHash.
    mandatory_hash = hash_mandatory_nquads(mandatory)
    # Step 9: return the verify data.
    return VerifyData(
        base_signature=derived.base_signature,
        proof_hash=proof_hash,
        public_key=derived.public_key,
        signatures=derived.signatures,
        non_mandatory=tuple(non_mandatory),
        mandatory_hash=mandatory_hash,
    )


def verify_derived_proof(
    unsecured_document: JsonObject,
    proof: JsonObject,
    *,
    public_key: PublicKey,
    document_loader: DocumentLoader,
) -> None:
    """Check a derived proof over the revealed credential; raise if it does not hold.

    Spec: vc-di-ecdsa#verify-derived-proof-ecdsa-sd-2023

    ``public_key`` is the issuer's key from the proof's verification method.
    Returns ``None`` when valid; raises ``ProofVerificationError``
    (``PROOF_VERIFICATION_ERROR``) otherwise.
    """
    # Step 1: the caller passes the document without its proof.
    # Step 2: the verify data.
    verify_data = create_verify_data(unsecured_document, proof, document_loader=document_loader)
    # Step 3 to 9: the signature checks.
    _check_signatures(
        public_key,
        verify_data.proof_hash,
        verify_data.public_key,
        verify_data.mandatory_hash,
        verify_data.base_signature,
        verify_data.signatures,
        verify_data.non_mandatory,
    )


def confirm_base_proof(
    secured_document: JsonObject,
    *,
    public_key: PublicKey,
    document_loader: DocumentLoader,
) -> None:
    """Check a base proof the wallet received, before it stores the credential.

    Not a spec algorithm (docs/protocols.md, "Confirm a base proof"): it regenerates
    the base proof's N-Quads with its own HMAC key and mandatory pointers, as the
    issuer did, then checks every per-statement signature and the base signature.
    Raises ``ProofVerificationError`` (``PROOF_VERIFICATION_ERROR``).
    """
    if not isinstance(secured_document, dict) or not isinstance(
        secured_document.get("proof"), dict
    ):
        raise ParsingError("a base credential is a JSON object with one proof object")
    proof: JsonObject = secured_document["proof"]
    document = {name: value for name, value in secured_document.items() if name != "proof"}
    _check_proof_shape(proof)
    base = parse_base_proof_value(proof.get("proofValue"))
    canonical_proof_config = _canonical_proof_config(proof, document, document_loader)
    try:
        transformed = base_proof_transformation(
            document,
            mandatory_pointers=base.mandatory_pointers,
            hmac_key=base.hmac_key,
            document_loader=document_loader,
        )
    except (ProofGenerationError, NQuadSyntaxError) as exc:
        raise ProofVerificationError(f"the base proof does not fit the document: {exc}") from exc
    hash_data = base_proof_hashing(transformed, canonical_proof_config)
    non_mandatory = hash_data.non_mandatory
    _check_signatures(
        public_key,
        hash_data.proof_hash,
        base.public_key,
        hash_data.mandatory_hash,
        base.base_signature,
        base.signatures,
        [non_mandatory[index] for index in sorted(non_mandatory)],
    )


def _check_proof_shape(proof: object) -> None:
    if not isinstance(proof, dict):
        raise ParsingError("a proof is a JSON object")
    check_proof_options(proof, cryptosuite=CRYPTOSUITE, error=ProofVerificationError)


def _canonical_proof_config(
    proof: JsonObject, document: JsonObject, document_loader: DocumentLoader
) -> str:
    """The canonical proof options (minus proofValue, plus the document's @context)."""
    try:
        return base_proof_configuration(
            proof, unsecured_document=document, document_loader=document_loader
        )
    except ProofGenerationError as exc:
        raise ProofVerificationError(exc.detail) from exc


def _check_signatures(
    issuer_key: PublicKey,
    proof_hash: bytes,
    public_key: bytes,
    mandatory_hash: bytes,
    base_signature: bytes,
    signatures: tuple[bytes, ...],
    non_mandatory: list[str] | tuple[str, ...],
) -> None:
    """Steps 3 to 9 of verifyDerivedProof, shared with :func:`confirm_base_proof`."""
    # Step 3: one signature per non-mandatory N-Quad.
    if len(signatures) != len(non_mandatory):
        raise ProofVerificationError(
            f"{len(signatures)} signatures for {len(non_mandatory)} non-mandatory statements"
        )
    # Step 4: the proof-scoped public key (35-byte P-256 Multikey, P11).
    try:
        proof_scoped_key = PublicKey.from_multikey_bytes(public_key)
    except ParsingError as exc:
        raise ProofVerificationError(f"invalid proof-scoped public key: {exc.detail}") from exc
    if proof_scoped_key.curve != CURVE or issuer_key.curve != CURVE:
        raise ProofVerificationError("ecdsa-sd-2023 keys must be P-256")
    # Step 5: the data the issuer signed.
    to_verify = serialize_sign_data(proof_hash, public_key, mandatory_hash)
    # Step 6 and 7: the base signature, with the issuer's key.
    verified = issuer_key.verify(base_signature, to_verify)
    # Step 8: every disclosed statement, with the proof-scoped key.
    for signature, nq in zip(signatures, non_mandatory, strict=True):
        verified = proof_scoped_key.verify(signature, nq.encode()) and verified
    # Step 9: the result.
    if not verified:
        raise ProofVerificationError("the ecdsa-sd-2023 proof signatures do not verify")
