"""ecdsa-sd-2023 base proof (issuer): transformation, hashing, configuration, serialization.

The issuer canonicalizes the credential with HMAC-derived blank node labels,
splits the N-Quads into mandatory and non-mandatory ones, signs each
non-mandatory N-Quad with a fresh proof-scoped P-256 key, and signs
``proofHash ‖ publicKey ‖ mandatoryHash`` with its own P-256 key
(docs/protocols.md, "ecdsa-sd-2023 base proof").
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Final

from vc_core import _jsonld
from vc_core.errors import ProofGenerationError
from vc_core.hazmat.data_integrity import (
    checked_proof_config,
)
from vc_core.hazmat.ecdsa_sd_2023.proof_value import (
    HMAC_KEY_SIZE,
    serialize_base_proof_value,
    serialize_sign_data,
)
from vc_core.hazmat.sd_primitives.canonicalize import (
    NQuadSyntaxError,
    create_hmac_id_label_map_function,
)
from vc_core.hazmat.sd_primitives.group import canonicalize_and_group
from vc_core.hazmat.sd_primitives.group_template import canonicalize_and_group_from_template
from vc_core.hazmat.sd_primitives.mandatory import hash_mandatory_nquads
from vc_core.keys import Curve, KeyPair
from vc_core.types import DocumentLoader, JsonObject

__all__ = [
    "CRYPTOSUITE",
    "HashData",
    "TransformedBase",
    "base_proof_configuration",
    "base_proof_hashing",
    "base_proof_serialization",
    "base_proof_transformation",
    "create_base_proof",
]

CRYPTOSUITE = "ecdsa-sd-2023"
CURVE: Final[Curve] = "P-256"


@dataclass(frozen=True, slots=True)
class TransformedBase:
    """The transformed data document: N-Quads split by the mandatory pointers."""

    mandatory_pointers: tuple[str, ...]
    mandatory: Mapping[int, str]
    non_mandatory: Mapping[int, str]
    hmac_key: bytes


@dataclass(frozen=True, slots=True)
class HashData:
    """The transformed document plus ``proofHash`` and ``mandatoryHash``."""

    mandatory_pointers: tuple[str, ...]
    mandatory: Mapping[int, str]
    non_mandatory: Mapping[int, str]
    hmac_key: bytes
    proof_hash: bytes
    mandatory_hash: bytes


def create_base_proof(
    unsecured_document: JsonObject,
    options: JsonObject,
    *,
    key: KeyPair,
    mandatory_pointers: Sequence[str],
    document_loader: DocumentLoader,
    hmac_key: bytes | None = None,
    proof_key: KeyPair | None = None,
) -> JsonObject:
    """Return the base proof (``proofValue`` ``u2V0A…``) of a credential.

    Spec: vc-di-ecdsa#create-base-proof-ecdsa-sd-2023

    ``key`` is the issuer's P-256 key. ``hmac_key`` (32 bytes) and
    ``proof_key`` (the proof-scoped P-256 key) are random unless given, which
    only tests do.
    """
    # Implementation note: the suite is defined for P-256 only (P17).
    if key.curve != CURVE:
        raise ProofGenerationError(f"ecdsa-sd-2023 signs with a P-256 key, not {key.curve}")
    # Step 1: the proof starts as a copy of the options.
    proof = dict(options)
    # Step 2: the canonical proof configuration.
    proof_config = base_proof_configuration(
        options, unsecured_document=unsecured_document, document_loader=document_loader
    )
    # Step 3: transform the document.
    transformed_data = base_proof_transformation(
        unsecured_document,
        mandatory_pointers=mandatory_pointers,
        hmac_key=hmac_key,
        document_loader=document_loader,
    )
    # Step 4: hash.
    hash_data = base_proof_hashing(transformed_data, proof_config)
    # Step 5: sign and serialize.
    proof_value = base_proof_serialization(hash_data, key=key, proof_key=proof_key)
    # Step 6: the proof value is already multibase base64url-no-pad.
    proof["proofValue"] = proof_value
    # Step 7: return the proof.
    return proof


def base_proof_transformation(
    unsecured_document: JsonObject,
    *,
    mandatory_pointers: Sequence[str],
    document_loader: DocumentLoader,
    hmac_key: bytes | None = None,
    random_string: str | None = None,
) -> TransformedBase:
    """Canonicalize with HMAC labels and split the N-Quads by the mandatory pointers.

    Spec: vc-di-ecdsa#base-proof-transformation-ecdsa-sd-2023
    """
    # Step 1: the HMAC key (32 random bytes unless given).
    if hmac_key is None:
        hmac_key = secrets.token_bytes(HMAC_KEY_SIZE)
    if not isinstance(hmac_key, bytes) or len(hmac_key) != HMAC_KEY_SIZE:
        raise ValueError(f"hmac_key must be {HMAC_KEY_SIZE} bytes")
    # Step 2: the label map factory.
    label_map_factory_function = create_hmac_id_label_map_function(hmac_key)
    # Step 3: one group, "mandatory".
    group_definitions = {"mandatory": list(mandatory_pointers)}
    # Step 4: canonicalize and group.
    # Implementation note: from the template of the document's shape where it
    # has one (the same groups; see group_template).
    try:
        groups = (
            canonicalize_and_group_from_template(
                unsecured_document,
                label_map_factory_function,
                group_definitions,
                document_loader=document_loader,
            )
            or canonicalize_and_group(
                unsecured_document,
                label_map_factory_function,
                group_definitions,
                document_loader=document_loader,
                random_string=random_string,
            ).groups
        )
    except NQuadSyntaxError as exc:
        raise ProofGenerationError(str(exc)) from exc
    # Step 5 and 6: the matching and non-matching N-Quads.
    mandatory = groups["mandatory"].matching
    non_mandatory = groups["mandatory"].non_matching
    # Step 7 and 8: return them with the pointers and the HMAC key.
    # Implementation note: the pointers as they apply to the compact form, where
    # other implementations select (the same statements as the caller's pointers).
    return TransformedBase(
        mandatory_pointers=groups["mandatory"].pointers,
        mandatory=mandatory,
        non_mandatory=non_mandatory,
        hmac_key=hmac_key,
    )


def base_proof_hashing(
    transformed_document: TransformedBase, canonical_proof_config: str
) -> HashData:
    """Hash the canonical proof configuration and the mandatory N-Quads.

    Spec: vc-di-ecdsa#base-proof-hashing-ecdsa-sd-2023
    """
    # Step 1: proofHash = SHA-256 of the canonical proof configuration.
    proof_hash = hashlib.sha256(canonical_proof_config.encode()).digest()
    # Step 2: mandatoryHash over the mandatory N-Quads in index order.
    mandatory = transformed_document.mandatory
    mandatory_hash = hash_mandatory_nquads(mandatory[index] for index in sorted(mandatory))
    # Step 3 and 4: the transformed document plus both hashes.
    return HashData(
        mandatory_pointers=transformed_document.mandatory_pointers,
        mandatory=mandatory,
        non_mandatory=transformed_document.non_mandatory,
        hmac_key=transformed_document.hmac_key,
        proof_hash=proof_hash,
        mandatory_hash=mandatory_hash,
    )


def base_proof_configuration(
    options: JsonObject,
    *,
    unsecured_document: JsonObject,
    document_loader: DocumentLoader,
) -> str:
    """Return the canonical N-Quads of the proof options under the document's ``@context``.

    Spec: vc-di-ecdsa#base-proof-configuration-ecdsa-sd-2023
    """
    # Steps 1-4: the checked options, without proofValue, under the document's @context.
    proof_config = checked_proof_config(unsecured_document, options, cryptosuite=CRYPTOSUITE)
    # Step 5 and 6: canonicalize and return the canonical text.
    # Implementation note: memoized (canonical_text); consecutive proofs share it.
    return _jsonld.canonical_text(proof_config, document_loader=document_loader)


def base_proof_serialization(
    hash_data: HashData,
    *,
    key: KeyPair,
    proof_key: KeyPair | None = None,
) -> str:
    """Sign every non-mandatory N-Quad and the sign data; return the base proof value.

    Spec: vc-di-ecdsa#base-proof-serialization-ecdsa-sd-2023
    """
    # Step 1: the inputs from the hash data.
    non_mandatory = hash_data.non_mandatory
    # Step 2: a proof-scoped P-256 key pair (fresh unless given).
    proof_scoped_key_pair = KeyPair.generate(CURVE) if proof_key is None else proof_key
    if proof_scoped_key_pair.curve != CURVE:
        raise ValueError("the proof-scoped key must be P-256")
    # Step 3: sign each non-mandatory N-Quad (UTF-8) in index order.
    signatures = [
        proof_scoped_key_pair.sign(non_mandatory[index].encode()) for index in sorted(non_mandatory)
    ]
    # Step 4: the proof-scoped public key as Multikey bytes (0x80 0x24 ‖ compressed point).
    public_key = proof_scoped_key_pair.public.multikey_bytes
    # Step 5: the sign data.
    to_sign = serialize_sign_data(hash_data.proof_hash, public_key, hash_data.mandatory_hash)
    # Step 6: the base signature with the issuer's key.
    base_signature = key.sign(to_sign)
    # Step 7 and 8: serialize the base proof value and return it.
    return serialize_base_proof_value(
        base_signature, public_key, hash_data.hmac_key, signatures, hash_data.mandatory_pointers
    )
