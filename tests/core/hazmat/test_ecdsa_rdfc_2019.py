"""ecdsa-rdfc-2019 against the W3C vectors: every step byte-exact, P-256 and P-384."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from vc_core._multibase import encode_base58btc
from vc_core.errors import ProofGenerationError, ProofVerificationError
from vc_core.hazmat import ecdsa_rdfc_2019 as suite
from vc_core.hazmat.data_integrity import add_proof, verify_proof
from vc_core.keys import KeyPair


@dataclass(frozen=True)
class Case:
    folder: str
    sub: str
    unsigned: str
    suffix: str
    curve: suite.EcdsaCurve


CASES = {
    "p256": Case("ecdsa-rdfc-2019-p256", "", "unsigned.json", "ECDSAP256", "P-256"),
    "p256-employ": Case(
        "ecdsa-rdfc-2019-p256", "employ", "employmentAuth.json", "ECDSAP256", "P-256"
    ),
    "p384": Case("ecdsa-rdfc-2019-p384", "", "unsigned.json", "ECDSAP384", "P-384"),
    "p384-employ": Case(
        "ecdsa-rdfc-2019-p384", "employ", "employmentAuth.json", "ECDSAP384", "P-384"
    ),
}


@dataclass(frozen=True)
class Vector:
    """One case's inputs and expected outputs, read in place."""

    folder: Path
    case: Case
    document: dict[str, Any]
    options: dict[str, Any]
    key: KeyPair

    def text(self, stem: str) -> str:
        return (self.folder / f"{stem}{self.case.suffix}.txt").read_text()

    def signed_text(self) -> str:
        return (self.folder / f"signed{self.case.suffix}.json").read_text()


@pytest.fixture(params=list(CASES), ids=list(CASES))
def vector(request: pytest.FixtureRequest, vectors_dir: Path) -> Vector:
    case = CASES[request.param]
    root = vectors_dir / case.folder
    folder = root / case.sub
    config = json.loads((folder / f"proofConfig{case.suffix}.json").read_text())
    options = {k: v for k, v in config.items() if k != "@context"}
    key_file = "p256KeyPair.json" if case.curve == "P-256" else "p384KeyPair.json"
    key = KeyPair.from_multikey(json.loads((root / key_file).read_text()))
    document = json.loads((root / case.unsigned).read_text())
    return Vector(folder, case, document, options, key)


pytestmark = pytest.mark.vectors


def test_transformation_gives_canon_doc(vector: Vector, shared_loader: Any) -> None:
    canonical = suite.transformation(
        vector.document, vector.options, curve=vector.case.curve, document_loader=shared_loader
    )
    assert canonical == vector.text("canonDoc")


def test_proof_configuration_gives_proof_canon(vector: Vector, shared_loader: Any) -> None:
    canonical = suite.proof_configuration(
        vector.document, vector.options, curve=vector.case.curve, document_loader=shared_loader
    )
    assert canonical == vector.text("proofCanon")


def test_hashing_gives_proof_doc_and_combined_hashes(vector: Vector) -> None:
    curve = vector.case.curve
    hash_data = suite.hashing(vector.text("canonDoc"), vector.text("proofCanon"), curve=curve)
    half = len(hash_data) // 2
    assert half == (32 if curve == "P-256" else 48)
    assert hash_data.hex() == vector.text("combinedHash").strip()
    assert hash_data[:half].hex() == vector.text("proofHash").strip()
    assert hash_data[half:].hex() == vector.text("docHash").strip()


def test_proof_serialization_gives_deterministic_signature(vector: Vector) -> None:
    hash_data = bytes.fromhex(vector.text("combinedHash").strip())
    signature = suite.proof_serialization(hash_data, vector.options, key=vector.key)
    assert signature.hex() == vector.text("sigHex").strip()
    assert len(signature) == (64 if vector.case.curve == "P-256" else 96)
    assert suite.proof_verification(
        hash_data, signature, vector.options, public_key=vector.key.public
    )


def test_add_proof_reproduces_signed_document(vector: Vector, shared_loader: Any) -> None:
    secured = add_proof(
        vector.document,
        suite=suite.EcdsaRdfc2019(),
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


def test_randomized_signature_differs_and_verifies(vector: Vector, shared_loader: Any) -> None:
    secured = add_proof(
        vector.document,
        suite=suite.EcdsaRdfc2019(deterministic=False),
        key=vector.key,
        options=vector.options,
        document_loader=shared_loader,
    )
    assert secured["proof"]["proofValue"] != vector.text("sigBTC58").strip()
    assert verify_proof(secured, document_loader=shared_loader).verified


def test_ed25519_key_cannot_create_ecdsa_proof(vector: Vector, shared_loader: Any) -> None:
    with pytest.raises(ProofGenerationError) as caught:
        suite.create_proof(
            vector.document,
            {"type": "DataIntegrityProof", "cryptosuite": "ecdsa-rdfc-2019", **vector.options},
            key=KeyPair.generate("Ed25519"),
            document_loader=shared_loader,
        )
    assert caught.value.code == "PROOF_GENERATION_ERROR"


def test_signature_of_other_curve_length_is_refused(vector: Vector, shared_loader: Any) -> None:
    signed = json.loads(vector.signed_text())
    other = "P-384" if vector.case.curve == "P-256" else "P-256"
    signed["proof"]["proofValue"] = encode_base58btc(KeyPair.generate(other).sign(b"hash data"))
    with pytest.raises(ProofVerificationError) as caught:
        verify_proof(signed, document_loader=shared_loader)
    assert caught.value.code == "PROOF_VERIFICATION_ERROR"
