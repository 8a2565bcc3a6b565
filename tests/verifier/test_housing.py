"""The housing income rule: tables, the DCQL query, and decisions from facts or amounts."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from vc_core.types import JsonObject
from vc_verifier import HousingIncomeRule, VerifiedCredential, VerifiedPresentation
from vc_verifier.openid4vp import check_dcql_query
from vc_verifier.policy.housing import INCOME_CREDENTIAL_TYPE, INCOME_VCT

from .helpers import NOW, VC_IRI

RULE = HousingIncomeRule.load(year=2026)
LIMIT_2 = RULE.limit_for(2)


def _fact(
    below: bool, *, size: int = 2, year: int = 2026, rule: str = "sociale-huurgrens"
) -> JsonObject:
    return {
        "type": "InkomenToets",
        "regel": rule,
        "regelJaar": year,
        "huishoudgrootte": size,
        "onderSocialeHuurgrens": below,
    }


def _amount(value: str, currency: str = "EUR") -> JsonObject:
    return {"type": "MonetaryAmount", "value": value, "currency": currency}


def adult(holder: str, *, tax_year: Any = 2024, **claims: Any) -> VerifiedPresentation:
    subject = {"id": holder, "type": "Belastingplichtige", "belastingjaar": tax_year, **claims}
    credential = VerifiedCredential(
        issuer="did:web:issuer.example.nl:belastingdienst",
        types=("VerifiableCredential", "InkomensverklaringCredential"),
        type_iris=frozenset({VC_IRI, INCOME_CREDENTIAL_TYPE}),
        document={"credentialSubject": subject},
        valid_from=None,
        valid_until=None,
        status=(),
        cryptosuite="ecdsa-sd-2023",
    )
    return VerifiedPresentation(holder, (credential,), NOW)


def test_shipped_tables() -> None:
    assert {2025, 2026} <= set(HousingIncomeRule.shipped_years())
    assert RULE.demo
    assert RULE.tax_years == (2024, 2025)
    assert RULE.limit_for(1) < RULE.limit_for(2) == RULE.limit_for(7)
    assert HousingIncomeRule.load() == HousingIncomeRule.load(year=max(RULE.shipped_years()))
    assert HousingIncomeRule.load("limits-2025.json").year == 2025
    with pytest.raises(ValueError, match="household_size"):
        RULE.limit_for(0)


def test_load_replacement_table(tmp_path: Path) -> None:
    table = {
        "rule": "sociale-huurgrens",
        "year": 2027,
        "currency": "EUR",
        "taxYears": [2025],
        "limits": {"1": "50000.00", "2": "55000.00", "3": "56000.00"},
        "source": "test",
    }
    file = tmp_path / "limits-2027.json"
    file.write_text(json.dumps(table))
    rule = HousingIncomeRule.load(file)
    assert (rule.year, rule.demo, rule.limit_for(4)) == (2027, False, Decimal("56000.00"))
    with pytest.raises(ValueError, match="2026"):
        HousingIncomeRule.load(file, year=2026)


@pytest.mark.parametrize(
    "table",
    [
        [],
        {"rule": "x"},
        {"rule": "x", "year": 2026, "currency": "EUR", "taxYears": [], "limits": {"2": "1"}},
        {"rule": "x", "year": 2026, "currency": "EUR", "taxYears": [], "limits": {"1": "abc"}},
    ],
    ids=["array", "incomplete", "no-size-1", "not-decimal"],
)
def test_malformed_tables(tmp_path: Path, table: object) -> None:
    file = tmp_path / "bad.json"
    file.write_text(json.dumps(table))
    with pytest.raises(ValueError, match=r"table"):
        HousingIncomeRule.load(file)


def test_dcql_query_asks_facts_first_in_either_format() -> None:
    query = RULE.dcql_query()
    check_dcql_query(query)
    ldp, sd_jwt = query["credentials"]
    assert ldp["format"] == "ldp_vc"
    assert ldp["meta"]["type_values"] == [[VC_IRI, INCOME_CREDENTIAL_TYPE]]
    assert ldp["claim_sets"] == [["jaar", "toets"], ["jaar", "bedrag"]]
    assert ldp["claims"][1]["path"] == ["credentialSubject", "inkomenstoets"]
    assert sd_jwt["format"] == "dc+sd-jwt"
    assert sd_jwt["meta"]["vct_values"] == [INCOME_VCT]
    assert sd_jwt["claims"][1]["path"] == ["inkomenstoets"]
    assert sd_jwt["claim_sets"] == ldp["claim_sets"]
    assert query["credential_sets"] == [{"options": [["inkomen"], ["inkomen_sd_jwt"]]}]
    assert RULE.dcql_query(prefer_facts=False)["credentials"][0]["claim_sets"][0] == [
        "jaar",
        "bedrag",
    ]


@pytest.mark.parametrize("formats", [("ldp_vc",), ("dc+sd-jwt",), ("dc+sd-jwt", "ldp_vc")])
def test_dcql_query_for_chosen_formats(formats: tuple[str, ...]) -> None:
    query = RULE.dcql_query(formats=formats)
    check_dcql_query(query)
    assert [q["format"] for q in query["credentials"]] == list(formats)
    assert query["credentials"][0]["id"] == "inkomen"
    assert ("credential_sets" in query) == (len(formats) > 1)
    with pytest.raises(ValueError, match="once each"):
        RULE.dcql_query(formats=[*formats, formats[0]])


def test_single_adult_facts() -> None:
    result = RULE.evaluate(adult("did:key:a", inkomenstoets=_fact(True)), household_size=2)
    assert (result.meets, result.basis, result.adults) == (True, "facts", 1)
    assert result.claims_seen == (
        "belastingjaar",
        "inkomenstoets.huishoudgrootte",
        "inkomenstoets.onderSocialeHuurgrens",
        "inkomenstoets.regel",
        "inkomenstoets.regelJaar",
    )
    above = RULE.evaluate(adult("did:key:a", inkomenstoets=_fact(False)), household_size=2)
    assert (above.meets, above.basis) == (False, "facts")


def test_fact_for_another_household_size_with_the_same_limit_counts() -> None:
    presentation = adult("did:key:a", inkomenstoets=_fact(True, size=3))
    assert RULE.evaluate(presentation, household_size=2).meets is True
    single = RULE.evaluate(presentation, household_size=1)
    assert single.meets is None
    assert "household size 3" in single.reason


@pytest.mark.parametrize(
    ("fact", "reason"),
    [
        (_fact(True, year=2025), "2025"),
        (_fact(True, rule="vrije-sector"), "vrije-sector"),
        (
            {
                "type": "InkomenToets",
                "regel": "sociale-huurgrens",
                "regelJaar": 2026,
                "huishoudgrootte": 2,
            },
            "yes/no",
        ),
        ({**_fact(True), "huishoudgrootte": "2"}, "household size"),
    ],
    ids=["stale-rule-year", "other-rule", "no-answer", "size-as-text"],
)
def test_unusable_facts_are_undetermined(fact: JsonObject, reason: str) -> None:
    result = RULE.evaluate(adult("did:key:a", inkomenstoets=fact), household_size=2)
    assert result.meets is None
    assert reason in result.reason


def test_single_adult_amount_including_the_boundary() -> None:
    at_limit = adult("did:key:a", verzamelinkomen=_amount(str(LIMIT_2)))
    assert RULE.evaluate(at_limit, household_size=2).meets is True
    over = adult("did:key:a", verzamelinkomen=_amount(str(LIMIT_2 + Decimal("0.01"))))
    result = RULE.evaluate(over, household_size=2)
    assert (result.meets, result.basis) == (False, "amount")


@pytest.mark.parametrize(
    ("claims", "tax_year", "reason"),
    [
        ({"verzamelinkomen": _amount("100.00", "USD")}, 2024, "EUR"),
        ({"verzamelinkomen": _amount("100.00")}, 2021, "tax year"),
        ({"verzamelinkomen": _amount("-5.00")}, 2024, "non-negative"),
        ({"verzamelinkomen": _amount("NaN")}, 2024, "non-negative"),
        ({"verzamelinkomen": _amount("12,5")}, 2024, "decimal"),
        ({"verzamelinkomen": {"value": 41250}}, 2024, "decimal value"),
        ({}, 2024, "no inkomenstoets"),
    ],
    ids=["currency", "old-year", "negative", "nan", "comma", "number", "nothing"],
)
def test_unusable_amounts_are_undetermined(claims: JsonObject, tax_year: int, reason: str) -> None:
    result = RULE.evaluate(adult("did:key:a", tax_year=tax_year, **claims), household_size=1)
    assert result.meets is None
    assert reason in result.reason


def test_household_amounts_are_added() -> None:
    half = (LIMIT_2 / 2).quantize(Decimal("0.01"))
    within = [
        adult("did:key:a", verzamelinkomen=_amount(str(half))),
        adult("did:key:b", verzamelinkomen=_amount(str(half))),
    ]
    assert RULE.evaluate(within, household_size=2).meets is True
    over = [
        adult("did:key:a", verzamelinkomen=_amount(str(half))),
        adult("did:key:b", verzamelinkomen=_amount(str(half + 1))),
    ]
    result = RULE.evaluate(over, household_size=2)
    assert (result.meets, result.basis, result.adults) == (False, "amount", 2)


def test_household_facts_one_above_decides_no() -> None:
    household = [
        adult("did:key:a", inkomenstoets=_fact(True)),
        adult("did:key:b", inkomenstoets=_fact(False)),
    ]
    result = RULE.evaluate(household, household_size=2)
    assert (result.meets, result.basis) == (False, "facts")


def test_household_facts_all_below_cannot_be_added() -> None:
    household = [
        adult("did:key:a", inkomenstoets=_fact(True)),
        adult("did:key:b", inkomenstoets=_fact(True)),
    ]
    result = RULE.evaluate(household, household_size=2)
    assert result.meets is None
    assert "amount" in result.reason


def test_household_mixed_evidence() -> None:
    above = [
        adult("did:key:a", inkomenstoets=_fact(True)),
        adult("did:key:b", verzamelinkomen=_amount(str(LIMIT_2 + 1))),
    ]
    result = RULE.evaluate(above, household_size=2)
    assert (result.meets, result.basis) == (False, "mixed")
    unclear = [
        adult("did:key:a", inkomenstoets=_fact(True)),
        adult("did:key:b", verzamelinkomen=_amount("1000.00")),
    ]
    assert RULE.evaluate(unclear, household_size=2).meets is None


def test_missing_adult_evidence_is_never_guessed() -> None:
    household = [adult("did:key:a", inkomenstoets=_fact(True)), adult("did:key:b")]
    result = RULE.evaluate(household, household_size=2)
    assert result.meets is None
    assert "no inkomenstoets" in result.reason


def test_same_holder_twice_and_no_presentation() -> None:
    twice = [adult("did:key:a", inkomenstoets=_fact(True))] * 2
    assert "more than once" in RULE.evaluate(twice, household_size=2).reason
    assert RULE.evaluate([], household_size=2).meets is None


def test_result_json_has_no_amounts() -> None:
    result = RULE.evaluate(
        adult("did:key:a", verzamelinkomen=_amount("12345.67")), household_size=2
    )
    text = json.dumps(result.to_json())
    assert "12345" not in text
    assert result.to_json()["meets"] is True
