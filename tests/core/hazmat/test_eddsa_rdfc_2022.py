"""eddsa-rdfc-2022 against the W3C vectors: every step byte-exact (Ed25519 is deterministic)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from vc_core.errors import ProofGenerationError, ProofVerificationError
from vc_core.hazmat import eddsa_rdfc_2022 as suite
from vc_core.hazmat.data_integrity import add_proof, verify_proof
from vc_core.keys import KeyPair

CASES = {"root": ("", "unsigned.json"), "employ": ("employ", "employmentAuth.json")}


@dataclass(frozen=True)
class Vector:
    """One case's inputs and expected outputs, read in place."""

    folder: Path
    document: dict[str, Any]
    options: dict[str, Any]
    key: KeyPair

    def text(self, stem: str) -> str:
        return (self.folder / f"{stem}DataInt.txt").read_text()

    def signed_text(self) -> str:
        return (self.folder / "signedDataInt.json").read_text()


@pytest.fixture(params=list(CASES), ids=list(CASES))
def vector(request: pytest.FixtureRequest, vectors_dir: Path) -> Vector:
    sub, unsigned = CASES[request.param]
    root = vectors_dir / "eddsa-rdfc-2022"
    folder = root / sub
    config = json.loads((folder / "proofConfigDataInt.json").read_text())
    options = {k: v for k, v in config.items() if k != "@context"}
    key = KeyPair.from_multikey(json.loads((root / "keyPair.json").read_text()))
    document = json.loads((root / unsigned).read_text())
    return Vector(folder, document, options, key)


pytestmark = pytest.mark.vectors


def test_transformation_gives_canon_doc(vector: Vector, shared_loader: Any) -> None:
    canonical = suite.transformation(vector.document, vector.options, document_loader=shared_loader)
    assert canonical == vector.text("canonDoc")


def test_proof_configuration_gives_proof_canon(vector: Vector, shared_loader: Any) -> None:
    canonical = suite.proof_configuration(
        vector.document, vector.options, document_loader=shared_loader
    )
    assert canonical == vector.text("proofCanon")


def test_hashing_gives_proof_doc_and_combined_hashes(vector: Vector) -> None:
    hash_data = suite.hashing(vector.text("canonDoc"), vector.text("proofCanon"))
    assert len(hash_data) == 64
    assert hash_data.hex() == vector.text("combinedHash").strip()
    assert hash_data[:32].hex() == vector.text("proofHash").strip()
    assert hash_data[32:].hex() == vector.text("docHash").strip()


def test_proof_serialization_gives_signature(vector: Vector) -> None:
    hash_data = bytes.fromhex(vector.text("combinedHash").strip())
    signature = suite.proof_serialization(hash_data, vector.options, key=vector.key)
    assert signature.hex() == vector.text("sigHex").strip()
    assert suite.proof_verification(
        hash_data, signature, vector.options, public_key=vector.key.public
    )


def test_add_proof_reproduces_signed_document(vector: Vector, shared_loader: Any) -> None:
    secured = add_proof(
        vector.document,
        suite=suite.EddsaRdfc2022(),
        key=vector.key,
        options=vector.options,
        document_loader=shared_loader,
    )
    assert secured["proof"]["proofValue"] == vector.text("sigBTC58").strip()
    assert json.dumps(secured, indent=2) == vector.signed_text()


def test_signed_document_verifies(vector: Vector, shared_loader: Any) -> None:
    signed = json.loads(vector.signed_text())
    result = verify_proof(
        signed, document_loader=shared_loader, expected_proof_purpose="assertionMethod"
    )
    assert result.verified
    assert result.document == vector.document


def test_p256_key_cannot_create_eddsa_proof(vector: Vector, shared_loader: Any) -> None:
    options = {"type": "DataIntegrityProof", "cryptosuite": "eddsa-rdfc-2022", **vector.options}
    with pytest.raises(ProofGenerationError) as caught:
        suite.create_proof(
            vector.document, options, key=KeyPair.generate("P-256"), document_loader=shared_loader
        )
    assert caught.value.code == "PROOF_GENERATION_ERROR"


def test_p256_key_cannot_verify_eddsa_proof(vector: Vector, shared_loader: Any) -> None:
    signed = json.loads(vector.signed_text())
    proof = signed.pop("proof")
    with pytest.raises(ProofVerificationError) as caught:
        suite.EddsaRdfc2022().verify_proof(
            signed,
            proof,
            public_key=KeyPair.generate("P-256").public,
            document_loader=shared_loader,
        )
    assert caught.value.code == "PROOF_VERIFICATION_ERROR"


def test_proof_of_other_suite_is_refused_by_the_suite(vector: Vector, shared_loader: Any) -> None:
    signed = json.loads(vector.signed_text())
    proof = signed.pop("proof")
    proof["cryptosuite"] = "ecdsa-rdfc-2019"
    with pytest.raises(ProofVerificationError) as caught:
        suite.EddsaRdfc2022().verify_proof(
            signed, proof, public_key=vector.key.public, document_loader=shared_loader
        )
    assert caught.value.code == "PROOF_VERIFICATION_ERROR"
