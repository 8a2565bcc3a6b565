"""ecdsa-rdfc-2019 against the W3C vectors: every step byte-exact, P-256 and P-384."""

from __future__ import annotations

import functools
import json
from typing import Any

import pytest

from tests.core.hazmat.rdfc_vectors import RdfcVectorChecks, Vector, vector_cases, vector_fixture
from vc_core._multibase import encode_base58btc
from vc_core.errors import ProofVerificationError
from vc_core.hazmat import data_integrity, ecdsa_rdfc_2019
from vc_core.hazmat.data_integrity import add_proof
from vc_core.hazmat.registry import get_cryptosuite
from vc_core.keys import KeyPair

# The generic algorithms with every cryptosuite we implement.
verify_proof = functools.partial(data_integrity.verify_proof, suite_for=get_cryptosuite)

pytestmark = pytest.mark.vectors

CASES = {
    **vector_cases("p256", "ecdsa-rdfc-2019-p256", "ECDSAP256", "p256KeyPair.json", "P-256"),
    **vector_cases("p384", "ecdsa-rdfc-2019-p384", "ECDSAP384", "p384KeyPair.json", "P-384"),
}
vector = vector_fixture(CASES)


class TestVectors(RdfcVectorChecks):
    suite = ecdsa_rdfc_2019
    refused_curve = "Ed25519"
    other_suite = "eddsa-rdfc-2022"

    def step_options(self, vector: Vector) -> dict[str, Any]:
        return {"curve": vector.case.curve}


def test_randomized_signature_differs_and_verifies(vector: Vector, reference_loader: Any) -> None:
    secured = add_proof(
        vector.document,
        suite=ecdsa_rdfc_2019.EcdsaRdfc2019(deterministic=False),
        key=vector.key,
        options=vector.options,
        document_loader=reference_loader,
    )
    assert secured["proof"]["proofValue"] != vector.text("sigBTC58").strip()
    assert verify_proof(secured, document_loader=reference_loader).verified


def test_signature_of_other_curve_length_is_refused(vector: Vector, reference_loader: Any) -> None:
    signed = json.loads(vector.signed_text())
    other = "P-384" if vector.case.curve == "P-256" else "P-256"
    signed["proof"]["proofValue"] = encode_base58btc(KeyPair.generate(other).sign(b"hash data"))
    with pytest.raises(ProofVerificationError) as caught:
        verify_proof(signed, document_loader=reference_loader)
    assert caught.value.code == "PROOF_VERIFICATION_ERROR"
