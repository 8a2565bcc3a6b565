"""The W3C vector checks both RDFC suites pass: every step byte-exact, then end to end.

A suite's test module subclasses :class:`RdfcVectorChecks` (as ``TestVectors``),
names its suite module and the ways the suites differ, and makes its ``vector``
fixture with :func:`vector_fixture` over its cases (see :func:`vector_cases`).
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any, ClassVar

import pytest

from vc_core.errors import ProofGenerationError, ProofVerificationError
from vc_core.hazmat import data_integrity
from vc_core.hazmat.cryptosuite import Cryptosuite
from vc_core.hazmat.data_integrity import add_proof
from vc_core.hazmat.registry import get_cryptosuite
from vc_core.keys import Curve, KeyPair

# The generic algorithms with every cryptosuite we implement.
verify_proof = functools.partial(data_integrity.verify_proof, suite_for=get_cryptosuite)

# Bytes per hash (each half of hashData) and per signature, by the key's curve.
HASH_SIZES = {"Ed25519": 32, "P-256": 32, "P-384": 48}
SIGNATURE_SIZES = {"Ed25519": 64, "P-256": 64, "P-384": 96}


@dataclass(frozen=True)
class Case:
    """Where one vector case's files are, and the curve of its key."""

    folder: str
    sub: str
    unsigned: str
    suffix: str
    key_file: str
    curve: Curve


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


def vector_cases(
    label: str, folder: str, suffix: str, key_file: str, curve: Curve
) -> dict[str, Case]:
    """The two documents each RDFC vector folder signs: a credential and an employment one."""
    return {
        label: Case(folder, "", "unsigned.json", suffix, key_file, curve),
        f"{label}-employ": Case(folder, "employ", "employmentAuth.json", suffix, key_file, curve),
    }


def vector_fixture(cases: dict[str, Case]) -> Any:
    """A ``vector`` fixture parametrized over ``cases`` (the ids are the case names)."""

    @pytest.fixture(params=list(cases), ids=list(cases))
    def vector(request: pytest.FixtureRequest, vectors_dir: Path) -> Vector:
        case = cases[request.param]
        root = vectors_dir / case.folder
        folder = root / case.sub
        config = json.loads((folder / f"proofConfig{case.suffix}.json").read_text())
        options = {k: v for k, v in config.items() if k != "@context"}
        key = KeyPair.from_multikey(json.loads((root / case.key_file).read_text()))
        document = json.loads((root / case.unsigned).read_text())
        return Vector(folder, case, document, options, key)

    return vector


class RdfcVectorChecks:
    """The tests both RDFC suites share; a subclass sets the class attributes."""

    suite: ClassVar[ModuleType]
    """The suite module (its spec functions and ``CRYPTOSUITE``)."""
    refused_curve: ClassVar[Curve]
    """A key type the suite neither signs nor verifies with."""
    other_suite: ClassVar[str]

    def step_options(self, vector: Vector) -> dict[str, Any]:
        """Keyword arguments the step functions take besides the document loader."""
        return {}

    def suite_instance(self) -> Cryptosuite:
        return get_cryptosuite(self.suite.CRYPTOSUITE)

    def test_transformation_gives_canon_doc(self, vector: Vector, reference_loader: Any) -> None:
        canonical = self.suite.transformation(
            vector.document,
            vector.options,
            document_loader=reference_loader,
            **self.step_options(vector),
        )
        assert canonical == vector.text("canonDoc")

    def test_proof_configuration_gives_proof_canon(
        self, vector: Vector, reference_loader: Any
    ) -> None:
        canonical = self.suite.proof_configuration(
            vector.document,
            vector.options,
            document_loader=reference_loader,
            **self.step_options(vector),
        )
        assert canonical == vector.text("proofCanon")

    def test_hashing_gives_proof_doc_and_combined_hashes(self, vector: Vector) -> None:
        hash_data = self.suite.hashing(
            vector.text("canonDoc"), vector.text("proofCanon"), **self.step_options(vector)
        )
        half = HASH_SIZES[vector.case.curve]
        assert len(hash_data) == 2 * half
        assert hash_data.hex() == vector.text("combinedHash").strip()
        assert hash_data[:half].hex() == vector.text("proofHash").strip()
        assert hash_data[half:].hex() == vector.text("docHash").strip()

    def test_proof_serialization_gives_deterministic_signature(self, vector: Vector) -> None:
        hash_data = bytes.fromhex(vector.text("combinedHash").strip())
        signature = self.suite.proof_serialization(hash_data, vector.options, key=vector.key)
        assert signature.hex() == vector.text("sigHex").strip()
        assert len(signature) == SIGNATURE_SIZES[vector.case.curve]
        assert self.suite.proof_verification(
            hash_data, signature, vector.options, public_key=vector.key.public
        )

    def test_add_proof_reproduces_signed_document(
        self, vector: Vector, reference_loader: Any
    ) -> None:
        secured = add_proof(
            vector.document,
            suite=self.suite_instance(),
            key=vector.key,
            options=vector.options,
            document_loader=reference_loader,
        )
        assert secured["proof"]["proofValue"] == vector.text("sigBTC58").strip()
        assert json.dumps(secured, indent=2) == vector.signed_text()

    def test_signed_document_verifies(self, vector: Vector, reference_loader: Any) -> None:
        signed = json.loads(vector.signed_text())
        result = verify_proof(
            signed, document_loader=reference_loader, expected_proof_purpose="assertionMethod"
        )
        assert result.verified
        assert result.document == vector.document

    def test_refused_key_type_cannot_create_proof(
        self, vector: Vector, reference_loader: Any
    ) -> None:
        options = {"type": "DataIntegrityProof", "cryptosuite": self.suite.CRYPTOSUITE}
        with pytest.raises(ProofGenerationError) as caught:
            self.suite.create_proof(
                vector.document,
                {**options, **vector.options},
                key=KeyPair.generate(self.refused_curve),
                document_loader=reference_loader,
            )
        assert caught.value.code == "PROOF_GENERATION_ERROR"

    def test_refused_key_type_cannot_verify_proof(
        self, vector: Vector, reference_loader: Any
    ) -> None:
        signed = json.loads(vector.signed_text())
        proof = signed.pop("proof")
        with pytest.raises(ProofVerificationError) as caught:
            self.suite_instance().verify_proof(
                signed,
                proof,
                public_key=KeyPair.generate(self.refused_curve).public,
                document_loader=reference_loader,
            )
        assert caught.value.code == "PROOF_VERIFICATION_ERROR"

    def test_proof_of_other_suite_is_refused_by_the_suite(
        self, vector: Vector, reference_loader: Any
    ) -> None:
        signed = json.loads(vector.signed_text())
        proof = signed.pop("proof")
        proof["cryptosuite"] = self.other_suite
        with pytest.raises(ProofVerificationError) as caught:
            self.suite_instance().verify_proof(
                signed, proof, public_key=vector.key.public, document_loader=reference_loader
            )
        assert caught.value.code == "PROOF_VERIFICATION_ERROR"
