"""ecdsa-sd-2023 derived proof (holder): disclose only the selected statements.

No new signature is made: the holder keeps the base signature, the
proof-scoped public key and the per-statement signatures of the disclosed
non-mandatory N-Quads, and tells the verifier which canonical labels map to
which HMAC labels (docs/protocols.md, "Derived proof").
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from vc_core import _jsonld
from vc_core.errors import ParsingError, ProofGenerationError
from vc_core.hazmat.data_integrity import check_proof_options
from vc_core.hazmat.ecdsa_sd_2023.base import CRYPTOSUITE
from vc_core.hazmat.ecdsa_sd_2023.proof_value import (
    parse_base_proof_value,
    serialize_derived_proof_value,
)
from vc_core.hazmat.sd_primitives.canonicalize import (
    NQuadSyntaxError,
    create_hmac_id_label_map_function,
)
from vc_core.hazmat.sd_primitives.group import canonicalize_and_group
from vc_core.hazmat.sd_primitives.select import equivalent_pointer, select_json_ld
from vc_core.types import DocumentLoader, JsonObject

__all__ = ["DisclosureData", "add_derived_proof", "create_disclosure_data"]


@dataclass(frozen=True, slots=True)
class DisclosureData:
    """What the holder discloses: signatures to keep, label map, mandatory indexes, document."""

    base_signature: bytes
    public_key: bytes
    signatures: tuple[bytes, ...]
    label_map: Mapping[str, str]
    mandatory_indexes: tuple[int, ...]
    reveal_document: JsonObject


def create_disclosure_data(
    document: JsonObject,
    proof: JsonObject,
    selective_pointers: Sequence[str],
    *,
    document_loader: DocumentLoader,
    random_string: str | None = None,
) -> DisclosureData:
    """Compute the reveal document and the proof data for ``selective_pointers``.

    Spec: vc-di-ecdsa#createdisclosuredata

    ``document`` is the credential without its proof. Raises
    ``ProofVerificationError`` for a malformed base proof value and
    ``ProofGenerationError`` when a pointer matches nothing or nothing is selected.
    """
    # Step 1: parse the base proof value.
    base = parse_base_proof_value(proof.get("proofValue"))
    mandatory_pointers = list(base.mandatory_pointers)
    # Implementation note: disclosing nothing at all is refused
    # (docs/protocols.md, "Derived proof").
    if not mandatory_pointers and not selective_pointers:
        raise ProofGenerationError("no mandatory and no selective pointers: nothing to disclose")
    # Step 2 and 3: the HMAC label map factory from the base proof's key.
    label_map_factory_function = create_hmac_id_label_map_function(base.hmac_key)
    # Step 4: mandatory pointers first, then the selective ones.
    combined_pointers = mandatory_pointers + list(selective_pointers)
    # Step 5: three groups.
    group_definitions = {
        "mandatory": mandatory_pointers,
        "selective": list(selective_pointers),
        "combined": combined_pointers,
    }
    # Step 6: canonicalize and group.
    try:
        grouped = canonicalize_and_group(
            document,
            label_map_factory_function,
            group_definitions,
            document_loader=document_loader,
            random_string=random_string,
        )
    except NQuadSyntaxError as exc:
        raise ProofGenerationError(str(exc)) from exc
    groups, label_map = grouped.groups, grouped.label_map
    mandatory_matching = groups["mandatory"].matching
    # Implementation note: the base proof must carry one signature per
    # non-mandatory N-Quad, or the signatures below would be misaligned.
    if len(base.signatures) != len(groups["mandatory"].non_matching):
        raise ProofGenerationError("the base proof does not match this document")
    # Step 7 to 9: positions of the mandatory N-Quads among the combined ones.
    mandatory_indexes = [
        relative_index
        for relative_index, absolute_index in enumerate(sorted(groups["combined"].matching))
        if absolute_index in mandatory_matching
    ]
    # Step 10: keep the signatures of the selected non-mandatory N-Quads.
    index = 0
    filtered_signatures: list[bytes] = []
    selective_matching = groups["selective"].matching
    for signature in base.signatures:
        while index in mandatory_matching:
            index += 1
        if index in selective_matching:
            filtered_signatures.append(signature)
        index += 1
    # Step 11: the reveal document.
    # Implementation note: with the pointers that name the same values in the
    # document as written (the base proof's may be written for its compact form).
    compact = grouped.skolemized_compact_document
    reveal_document = select_json_ld(
        [equivalent_pointer(pointer, document, compact) for pointer in combined_pointers],
        document,
    )
    assert reveal_document is not None  # the combined pointers are not empty (checked above)
    # Step 12: the labels a verifier will produce for the combined N-Quads.
    canonical_id_map = _jsonld.canonicalize_nquads(
        groups["combined"].deskolemized_nquads
    ).issued_ids
    # Step 13 and 14: verifier label → HMAC label.
    verifier_label_map = {
        verifier_label: label_map[input_label]
        for input_label, verifier_label in canonical_id_map.items()
    }
    # Step 15: return the disclosure data.
    return DisclosureData(
        base_signature=base.base_signature,
        public_key=base.public_key,
        signatures=tuple(filtered_signatures),
        label_map=verifier_label_map,
        mandatory_indexes=tuple(mandatory_indexes),
        reveal_document=reveal_document,
    )


def add_derived_proof(
    base_document: JsonObject,
    *,
    selective_pointers: Sequence[str],
    document_loader: DocumentLoader,
    random_string: str | None = None,
) -> JsonObject:
    """Return the selectively revealed credential with a derived proof (``u2V0B…``).

    Spec: vc-di-ecdsa#add-derived-proof-ecdsa-sd-2023

    ``base_document`` is the credential with its base proof; the derived
    proof copies every other proof field.
    """
    if isinstance(selective_pointers, str):
        raise TypeError("selective_pointers is a sequence of JSON Pointers, not one string")
    # Implementation note: split the secured document into document and proof.
    if not isinstance(base_document, dict) or not isinstance(base_document.get("proof"), dict):
        raise ParsingError("a base credential is a JSON object with one proof object")
    document = {name: value for name, value in base_document.items() if name != "proof"}
    proof: JsonObject = base_document["proof"]
    check_proof_options(proof, cryptosuite=CRYPTOSUITE, error=ProofGenerationError)
    # Step 1: the disclosure data.
    disclosure = create_disclosure_data(
        document,
        proof,
        selective_pointers,
        document_loader=document_loader,
        random_string=random_string,
    )
    # Step 2: a shallow copy of the base proof.
    new_proof = dict(proof)
    # Step 3: with the derived proof value.
    new_proof["proofValue"] = serialize_derived_proof_value(
        disclosure.base_signature,
        disclosure.public_key,
        disclosure.signatures,
        disclosure.label_map,
        disclosure.mandatory_indexes,
    )
    # Step 4: attach it to the reveal document.
    reveal_document = disclosure.reveal_document
    reveal_document["proof"] = new_proof
    # Step 5: return it.
    return reveal_document
