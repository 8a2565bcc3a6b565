"""TrustedIssuers: issuer DID -> allowed credential types, compared as expanded IRIs."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from vc_verifier import TrustedIssuers

from .helpers import INCOME_IRI, VC_IRI

TAX = "did:web:issuer.example.nl:belastingdienst"
DUO = "did:web:issuer.example.nl:duo"


def test_load_and_decide(tmp_path: Path) -> None:
    file = tmp_path / "trusted.json"
    file.write_text(
        json.dumps(
            {
                TAX: ["InkomensverklaringCredential"],
                DUO: ["https://issuer.example.nl/ns/nl-vc#DiplomaCredential"],
            }
        )
    )
    trust = TrustedIssuers.load(file)
    assert trust.issuers == (TAX, DUO)
    assert trust.allowed_types(TAX) == {INCOME_IRI}
    assert trust.decide(TAX, {VC_IRI, INCOME_IRI}).trusted
    refused = trust.decide(DUO, {VC_IRI, INCOME_IRI})
    assert (refused.known, refused.not_allowed) == (True, (INCOME_IRI,))
    unknown = trust.decide("did:web:evil.example", {VC_IRI, INCOME_IRI})
    assert (unknown.known, unknown.trusted) == (False, False)


def test_a_credential_must_have_a_specific_type() -> None:
    trust = TrustedIssuers({TAX: ["InkomensverklaringCredential"]})
    assert trust.decide(TAX, {VC_IRI}).not_allowed == (VC_IRI,)


def test_extra_types_need_permission_too() -> None:
    trust = TrustedIssuers({TAX: ["InkomensverklaringCredential"]})
    other = "https://issuer.example.nl/ns/nl-vc#DiplomaCredential"
    assert trust.decide(TAX, {VC_IRI, INCOME_IRI, other}).not_allowed == (other,)


def test_an_undefined_type_name_matches_nothing() -> None:
    trust = TrustedIssuers({TAX: ["IncomeCredential"]})
    assert not trust.decide(TAX, {VC_IRI, INCOME_IRI}).trusted
    assert trust.allowed_types(TAX) == {"IncomeCredential"}


@pytest.mark.parametrize(
    "content",
    [
        "[]",
        "not json",
        json.dumps({TAX: "InkomensverklaringCredential"}),
        json.dumps({"x": []}),
        json.dumps({TAX: [5]}),
    ],
    ids=["array", "not-json", "string-types", "not-a-did", "number-type"],
)
def test_bad_registry_files_are_value_errors(tmp_path: Path, content: str) -> None:
    file = tmp_path / "trusted.json"
    file.write_text(content)
    with pytest.raises(ValueError, match=r"JSON|types|DID|list"):
        TrustedIssuers.load(file)


def test_registry_is_not_a_mapping_type_error() -> None:
    with pytest.raises(TypeError):
        TrustedIssuers([TAX])  # type: ignore[arg-type]
