"""eddsa-rdfc-2022 against the W3C vectors: every step byte-exact (Ed25519 is deterministic)."""

from __future__ import annotations

import pytest

from tests.core.hazmat.rdfc_vectors import RdfcVectorChecks, vector_cases, vector_fixture
from vc_core.hazmat import eddsa_rdfc_2022

pytestmark = pytest.mark.vectors

CASES = vector_cases("ed25519", "eddsa-rdfc-2022", "DataInt", "keyPair.json", "Ed25519")
vector = vector_fixture(CASES)


class TestVectors(RdfcVectorChecks):
    suite = eddsa_rdfc_2022
    refused_curve = "P-256"
    other_suite = "ecdsa-rdfc-2019"
