"""ecdsa-sd-2023 against the W3C vectors (employ, prc, windsurf): every step byte-exact."""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from vc_core import _jsonld
from vc_core._multibase import encode_base58btc
from vc_core.hazmat import data_integrity
from vc_core.hazmat.ecdsa_sd_2023 import EcdsaSd2023, add_derived_proof, confirm_base_proof
from vc_core.hazmat.ecdsa_sd_2023.base import (
    base_proof_configuration,
    base_proof_hashing,
    base_proof_serialization,
    base_proof_transformation,
)
from vc_core.hazmat.ecdsa_sd_2023.derived import create_disclosure_data
from vc_core.hazmat.ecdsa_sd_2023.proof_value import (
    parse_base_proof_value,
    parse_derived_proof_value,
)
from vc_core.hazmat.ecdsa_sd_2023.verify import create_verify_data
from vc_core.hazmat.registry import get_cryptosuite
from vc_core.hazmat.sd_primitives.canonicalize import (
    create_hmac_id_label_map_function,
    create_label_map_function,
    label_replacement_canonicalize_json_ld,
)
from vc_core.hazmat.sd_primitives.group import canonicalize_and_group
from vc_core.hazmat.sd_primitives.select import select_json_ld
from vc_core.keys import KeyPair, PublicKey

# The generic algorithms with every cryptosuite we implement.
verify_proof = functools.partial(data_integrity.verify_proof, suite_for=get_cryptosuite)

pytestmark = pytest.mark.vectors

SD = "ecdsa-sd-2023"
# case → (unsigned input, mandatory pointers, selective pointers), relative to SD.
INPUTS = {
    "employ": ("employmentAuth.json", "employMandatory.json", "employSelective.json"),
    # P34: the prc input is prc/addSignedSDBase.json minus its proof.
    "prc": ("prc/addSignedSDBase.json", "prCredMandatory.json", "prCredSelective.json"),
    "windsurf": (
        "windsurf/windDoc.json",
        "windsurf/windMandatory.json",
        "windsurf/windSelective.json",
    ),
}
ALL = list(INPUTS)
WITH_VERIFIER_FILES = ["employ", "prc"]  # windsurf has no verify*/derivedAllGroupData files


@dataclass(frozen=True)
class SdVector:
    """One case: its inputs, the SD key material, and its output files read in place."""

    folder: Path
    document: dict[str, Any]
    mandatory: list[str]
    selective: list[str]
    hmac_key: bytes
    base_key: KeyPair
    proof_key: KeyPair

    def load(self, name: str) -> Any:
        return json.loads((self.folder / name).read_text())

    @property
    def options(self) -> dict[str, Any]:
        """The base proof options: addProofConfig.json without its @context."""
        return {k: v for k, v in self.load("addProofConfig.json").items() if k != "@context"}

    def suite(self) -> EcdsaSd2023:
        return EcdsaSd2023(
            mandatory_pointers=self.mandatory, hmac_key=self.hmac_key, proof_key=self.proof_key
        )


def js_map(value: dict[str, Any]) -> dict[Any, Any]:
    """Read a JavaScript Map as the vectors serialize it (P32)."""
    assert value["dataType"] == "Map"
    return dict(value["value"])


def vm_key(proof: dict[str, Any]) -> PublicKey:
    """The issuer key: the did:key fragment of the verification method is the multibase."""
    return PublicKey.from_multibase(proof["verificationMethod"].split("#", 1)[1])


def without_proof(document: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in document.items() if k != "proof"}


def _vector(vectors_dir: Path, case: str) -> SdVector:
    root = vectors_dir / SD
    unsigned, mandatory, selective = INPUTS[case]
    keys = json.loads((root / "SDKeyMaterial.json").read_text())
    return SdVector(
        folder=root / case,
        document=without_proof(json.loads((root / unsigned).read_text())),
        mandatory=json.loads((root / mandatory).read_text()),
        selective=json.loads((root / selective).read_text()),
        hmac_key=bytes.fromhex(keys["hmacKeyString"]),
        base_key=KeyPair.from_multikey(keys["baseKeyPair"]),
        proof_key=KeyPair.from_multikey(keys["proofKeyPair"]),
    )


@pytest.fixture(params=ALL, ids=ALL)
def vector(request: pytest.FixtureRequest, vectors_dir: Path) -> SdVector:
    return _vector(vectors_dir, request.param)


@pytest.fixture(params=WITH_VERIFIER_FILES, ids=WITH_VERIFIER_FILES)
def verifier_vector(request: pytest.FixtureRequest, vectors_dir: Path) -> SdVector:
    return _vector(vectors_dir, request.param)


# --- issuer --------------------------------------------------------------------------------


def test_base_doc_canon(vector: SdVector, reference_loader: Any) -> None:
    canonical = _jsonld.canonicalize(vector.document, document_loader=reference_loader)
    assert list(canonical.nquads) == vector.load("addBaseDocCanon.json")


def test_base_doc_hmac_canon(vector: SdVector, reference_loader: Any) -> None:
    grouped = canonicalize_and_group(
        vector.document,
        create_hmac_id_label_map_function(vector.hmac_key),
        {"mandatory": vector.mandatory},
        document_loader=reference_loader,
    )
    assert list(grouped.nquads) == vector.load("addBaseDocHMACCanon.json")


@pytest.fixture(params=["general", "template"])
def base_loader(
    request: pytest.FixtureRequest, reference_loader: Any, keyed_reference_loader: Any
) -> Any:
    """A loader without ``cache_key`` (canonicalize_and_group) and with one (from a template)."""
    return reference_loader if request.param == "general" else keyed_reference_loader


def test_base_transform(vector: SdVector, base_loader: Any) -> None:
    expected = vector.load("addBaseTransform.json")
    # Twice: with a keyed loader, the second time from the shape's template.
    for _ in range(2):
        transformed = base_proof_transformation(
            vector.document,
            mandatory_pointers=vector.mandatory,
            hmac_key=vector.hmac_key,
            document_loader=base_loader,
        )
        assert list(transformed.mandatory_pointers) == expected["mandatoryPointers"]
        assert transformed.mandatory == js_map(expected["mandatory"])
        assert transformed.non_mandatory == js_map(expected["nonMandatory"])
        assert transformed.hmac_key.hex() == expected["hmacKeyString"].lower()


def test_proof_config_canon(vector: SdVector, reference_loader: Any) -> None:
    canonical = base_proof_configuration(
        vector.options, unsecured_document=vector.document, document_loader=reference_loader
    )
    assert canonical == (vector.folder / "addProofConfigCanon.txt").read_text()


def test_hash_data(vector: SdVector, reference_loader: Any) -> None:
    transform = vector.load("addBaseTransform.json")
    transformed = base_proof_transformation(
        vector.document,
        mandatory_pointers=vector.mandatory,
        hmac_key=vector.hmac_key,
        document_loader=reference_loader,
    )
    assert transformed.mandatory == js_map(transform["mandatory"])
    hash_data = base_proof_hashing(
        transformed, (vector.folder / "addProofConfigCanon.txt").read_text()
    )
    expected = vector.load("addHashData.json")
    assert hash_data.proof_hash.hex() == expected["proofHash"]
    assert hash_data.mandatory_hash.hex() == expected["mandatoryHash"]


def test_raw_base_signature_info(vector: SdVector, reference_loader: Any) -> None:
    transformed = base_proof_transformation(
        vector.document,
        mandatory_pointers=vector.mandatory,
        hmac_key=vector.hmac_key,
        document_loader=reference_loader,
    )
    hash_data = base_proof_hashing(
        transformed, (vector.folder / "addProofConfigCanon.txt").read_text()
    )
    proof_value = base_proof_serialization(
        hash_data, key=vector.base_key, proof_key=vector.proof_key
    )
    parsed = parse_base_proof_value(proof_value)
    expected = vector.load("addRawBaseSignatureInfo.json")
    assert parsed.base_signature.hex() == expected["baseSignature"]
    assert encode_base58btc(parsed.public_key) == expected["publicKey"]
    assert [s.hex() for s in parsed.signatures] == expected["signatures"]
    assert list(parsed.mandatory_pointers) == expected["mandatoryPointers"]


def test_signed_sd_base(vector: SdVector, base_loader: Any) -> None:
    expected = vector.load("addSignedSDBase.json")
    # Twice: with a keyed loader, the second time from the shape's template.
    for _ in range(2):
        proof = vector.suite().create_proof(
            vector.document, vector.options, key=vector.base_key, document_loader=base_loader
        )
        assert proof["proofValue"] == expected["proof"]["proofValue"]
        assert proof["proofValue"].startswith("u2V0A")
        assert {**vector.document, "proof": proof} == expected


def test_random_keys_make_a_different_base_proof_that_confirms(
    vector: SdVector, reference_loader: Any
) -> None:
    proof = EcdsaSd2023(mandatory_pointers=vector.mandatory).create_proof(
        vector.document, vector.options, key=vector.base_key, document_loader=reference_loader
    )
    expected = vector.load("addSignedSDBase.json")["proof"]["proofValue"]
    parsed, reference = (
        parse_base_proof_value(proof["proofValue"]),
        parse_base_proof_value(expected),
    )
    assert parsed.hmac_key != reference.hmac_key
    assert parsed.public_key != reference.public_key
    confirm_base_proof(
        {**vector.document, "proof": proof},
        public_key=vector.base_key.public,
        document_loader=reference_loader,
    )


def test_signed_sd_base_confirms(vector: SdVector, reference_loader: Any) -> None:
    signed = vector.load("addSignedSDBase.json")
    confirm_base_proof(signed, public_key=vm_key(signed["proof"]), document_loader=reference_loader)


# --- holder --------------------------------------------------------------------------------


def test_recovered_base_data(vector: SdVector) -> None:
    signed = vector.load("addSignedSDBase.json")
    parsed = parse_base_proof_value(signed["proof"]["proofValue"])
    expected = vector.load("derivedRecoveredBaseData.json")
    assert parsed.base_signature.hex() == expected["baseSignature"]
    assert encode_base58btc(parsed.public_key) == expected["proofPublicKey"]
    assert parsed.hmac_key.hex() == expected["hmacKey"]
    assert [s.hex() for s in parsed.signatures] == expected["signatures"]
    assert list(parsed.mandatory_pointers) == expected["mandatoryPointers"]


def test_unsigned_reveal(vector: SdVector) -> None:
    reveal = select_json_ld(vector.mandatory + vector.selective, vector.document)
    assert reveal == vector.load("derivedUnsignedReveal.json")


def test_group_indexes(vector: SdVector, reference_loader: Any) -> None:
    grouped = canonicalize_and_group(
        vector.document,
        create_hmac_id_label_map_function(vector.hmac_key),
        {
            "mandatory": vector.mandatory,
            "selective": vector.selective,
            "combined": vector.mandatory + vector.selective,
        },
        document_loader=reference_loader,
    )
    groups = grouped.groups
    assert {
        "combinedIndexes": list(groups["combined"].matching),
        "mandatoryIndexes": list(groups["mandatory"].matching),
        "nonMandatoryIndexes": list(groups["mandatory"].non_matching),
        "selectiveIndexes": list(groups["selective"].matching),
    } == vector.load("derivedGroupIndexes.json")


def test_all_group_data(verifier_vector: SdVector, reference_loader: Any) -> None:
    """With the vector's own skolem UUID injected, even the random parts match."""
    expected = verifier_vector.load("derivedAllGroupData.json")
    skolem_id = expected["skolemized"]["compact"]["id"]  # urn:bnid:_<uuid>_<n>
    random_string = skolem_id.removeprefix("urn:bnid:_").rsplit("_", 1)[0]
    grouped = canonicalize_and_group(
        verifier_vector.document,
        create_hmac_id_label_map_function(verifier_vector.hmac_key),
        {
            "mandatory": verifier_vector.mandatory,
            "selective": verifier_vector.selective,
            "combined": verifier_vector.mandatory + verifier_vector.selective,
        },
        document_loader=reference_loader,
        random_string=random_string,
    )
    assert grouped.skolemized_expanded_document == expected["skolemized"]["expanded"]
    assert grouped.skolemized_compact_document == expected["skolemized"]["compact"]
    assert list(grouped.deskolemized_nquads) == expected["deskolemizedNQuads"]
    assert list(grouped.nquads) == expected["nquads"]
    assert grouped.label_map == js_map(expected["labelMap"])
    assert set(grouped.groups) == set(expected["groups"])
    for name, group in grouped.groups.items():
        assert group.matching == js_map(expected["groups"][name]["matching"])
        assert group.non_matching == js_map(expected["groups"][name]["nonMatching"])
        assert list(group.deskolemized_nquads) == expected["groups"][name]["deskolemizedNQuads"]


def test_disclosure_data(vector: SdVector, reference_loader: Any) -> None:
    signed = vector.load("addSignedSDBase.json")
    disclosure = create_disclosure_data(
        without_proof(signed), signed["proof"], vector.selective, document_loader=reference_loader
    )
    expected = vector.load("derivedDisclosureData.json")
    assert disclosure.base_signature.hex() == expected["baseSignature"]
    assert encode_base58btc(disclosure.public_key) == expected["publicKey"]
    assert [s.hex() for s in disclosure.signatures] == expected["signatures"]
    assert disclosure.label_map == js_map(expected["labelMap"])
    assert list(disclosure.mandatory_indexes) == expected["mandatoryIndexes"]
    assert disclosure.reveal_document == vector.load("derivedUnsignedReveal.json")
    adjusted = vector.load("derivedAdjMandatoryIndexes.json")
    assert list(disclosure.mandatory_indexes) == adjusted["adjMandatoryIndexes"]
    signatures = vector.load("derivedAdjSignatures.json")
    assert [s.hex() for s in disclosure.signatures] == signatures["filteredSignatures"]
    all_signatures = parse_base_proof_value(signed["proof"]["proofValue"]).signatures
    kept = [all_signatures.index(s) for s in disclosure.signatures]
    assert kept == signatures["adjSignatureIndexes"]


def test_derived_reveal_document(vector: SdVector, reference_loader: Any) -> None:
    derived = add_derived_proof(
        vector.load("addSignedSDBase.json"),
        selective_pointers=vector.selective,
        document_loader=reference_loader,
    )
    expected = vector.load("derivedRevealDocument.json")
    assert derived["proof"]["proofValue"] == expected["proof"]["proofValue"]
    assert derived["proof"]["proofValue"].startswith("u2V0B")
    assert derived == expected


# --- verifier ------------------------------------------------------------------------------


def test_verify_nquads(verifier_vector: SdVector, reference_loader: Any) -> None:
    revealed = verifier_vector.load("derivedRevealDocument.json")
    label_map = parse_derived_proof_value(revealed["proof"]["proofValue"]).label_map
    nquads = label_replacement_canonicalize_json_ld(
        without_proof(revealed),
        create_label_map_function(label_map),
        document_loader=reference_loader,
    ).canonical_nquads
    assert list(nquads) == verifier_vector.load("verifyNQuads.json")


def test_verify_derived_proof_value(verifier_vector: SdVector) -> None:
    revealed = verifier_vector.load("derivedRevealDocument.json")
    parsed = parse_derived_proof_value(revealed["proof"]["proofValue"])
    expected = verifier_vector.load("verifyDerivedProofValue.json")
    assert parsed.base_signature.hex() == expected["baseSignature"]
    assert encode_base58btc(parsed.public_key) == expected["publicKey"]
    assert [s.hex() for s in parsed.signatures] == expected["signatures"]
    assert list(parsed.label_map.items()) == [tuple(pair) for pair in expected["labelMap"]]
    assert list(parsed.mandatory_indexes) == expected["mandatoryIndexes"]


def test_create_verify_data(verifier_vector: SdVector, reference_loader: Any) -> None:
    revealed = verifier_vector.load("derivedRevealDocument.json")
    verify_data = create_verify_data(
        without_proof(revealed), revealed["proof"], document_loader=reference_loader
    )
    expected = verifier_vector.load("verifyCreateVerifyData.json")
    assert verify_data.base_signature.hex() == expected["baseSignature"]
    assert verify_data.proof_hash.hex() == expected["proofHash"]
    assert encode_base58btc(verify_data.public_key) == expected["publicKey"]
    assert [s.hex() for s in verify_data.signatures] == expected["signatures"]
    assert list(verify_data.non_mandatory) == expected["nonMandatory"]
    assert verify_data.mandatory_hash.hex() == expected["mandatoryHash"]


def test_derived_reveal_document_verifies(vector: SdVector, reference_loader: Any) -> None:
    revealed = vector.load("derivedRevealDocument.json")
    EcdsaSd2023().verify_proof(
        without_proof(revealed),
        revealed["proof"],
        public_key=vm_key(revealed["proof"]),
        document_loader=reference_loader,
    )


def test_derived_reveal_document_verifies_through_data_integrity(
    vector: SdVector, reference_loader: Any
) -> None:
    revealed = vector.load("derivedRevealDocument.json")
    result = verify_proof(revealed, document_loader=reference_loader)
    assert result.verified
    assert result.document == without_proof(revealed)


def test_issue_derive_verify_with_random_keys(vector: SdVector, reference_loader: Any) -> None:
    proof = EcdsaSd2023(mandatory_pointers=vector.mandatory).create_proof(
        vector.document, vector.options, key=vector.base_key, document_loader=reference_loader
    )
    base_document = {**vector.document, "proof": proof}
    confirm_base_proof(
        base_document, public_key=vector.base_key.public, document_loader=reference_loader
    )
    for selective in ([], vector.selective):
        derived = add_derived_proof(
            base_document, selective_pointers=selective, document_loader=reference_loader
        )
        EcdsaSd2023().verify_proof(
            without_proof(derived),
            derived["proof"],
            public_key=vector.base_key.public,
            document_loader=reference_loader,
        )
