"""A household decision end to end, and the signed verification record it leaves."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable

import pytest

from vc_core import KeyPair
from vc_core.did import did_key
from vc_core.errors import JwsError, ParsingError, ProofVerificationError
from vc_core.types import JsonObject
from vc_verifier import (
    HousingIncomeRule,
    PresentationOutcome,
    Verifier,
    verify_record,
)

from .helpers import (
    AMOUNT,
    FACTS,
    Holder,
    Issuer,
    disclose,
    income_subject,
    issue,
    present,
)

RESPONSE_URI = "https://verhuur.example.nl/oid4vp/response"
RULE = HousingIncomeRule.load(year=2026)


def _present_via_wallet(
    verifier: Verifier, holder: Holder, base: JsonObject, pointers: list[str]
) -> PresentationOutcome:
    """One adult's own transaction: request, disclosure, direct_post."""
    tx = verifier.create_request(RULE.dcql_query(), response_uri=RESPONSE_URI)
    vp = present(holder, [disclose(base, pointers)], challenge=tx.nonce, domain=tx.client_id)
    form = {"state": tx.state, "vp_token": json.dumps({"inkomen": [vp]})}
    return verifier.handle_response(form).raise_for_problems()


@pytest.fixture(scope="module")
def household(issuer: Issuer) -> list[tuple[Holder, JsonObject]]:
    """Two adults: A below the limit, B (alone) above it; amounts 21000 and 61000."""
    a, b = Holder.new(), Holder.new()
    return [
        (a, issue(issuer, income_subject(a.did, amount="21000.00", below=True))),
        (b, issue(issuer, income_subject(b.did, amount="61000.00", below=False))),
    ]


def test_household_of_two_with_one_above_the_limit(
    verifier: Verifier, household: list[tuple[Holder, JsonObject]]
) -> None:
    outcomes = [_present_via_wallet(verifier, h, base, FACTS) for h, base in household]
    result = RULE.evaluate(outcomes, household_size=2)
    assert (result.meets, result.basis, result.adults) == (False, "facts", 2)

    record = verifier.sign_record(outcomes, result, transaction_id="landlord-file-17")
    text = json.dumps(record)
    for amount in ("21000", "61000", "41250", "verzamelinkomen", "midden"):
        assert amount not in text
    body = record["record"]
    assert body["decision"] == {"meets": False, "reason": result.reason, "basis": "facts"}
    assert body["rule"] == {"name": "sociale-huurgrens", "year": 2026, "householdSize": 2}
    assert body["transaction"] == "landlord-file-17"
    assert body["decidedAt"] == "2026-01-01T12:00:00Z"
    assert [c["facts"]["inkomenstoets.onderSocialeHuurgrens"] for c in body["credentials"]] == [
        True,
        False,
    ]
    assert body["credentials"][0]["issuer"] == "did:web:issuer.example.nl:belastingdienst"
    assert "inkomenstoets.regelJaar" in body["credentials"][0]["claims"]
    holders = [h.did for h, _ in household]
    assert not any(did in text for did in holders)


def test_household_amounts_sum_and_record_keeps_only_claim_names(
    verifier: Verifier, household: list[tuple[Holder, JsonObject]]
) -> None:
    outcomes = [_present_via_wallet(verifier, h, base, AMOUNT) for h, base in household]
    result = RULE.evaluate(outcomes, household_size=2)
    assert (result.meets, result.basis) == (False, "amount")  # 21000 + 61000 > limit
    record = verifier.sign_record(outcomes[0], result)
    assert record["record"]["transaction"] == outcomes[0].transaction_id
    assert "verzamelinkomen.value" in record["record"]["credentials"][0]["claims"]
    assert "21000" not in json.dumps(record)


@pytest.fixture
def signed_record(verifier: Verifier, household: list[tuple[Holder, JsonObject]]) -> JsonObject:
    holder, base = household[0]
    outcome = _present_via_wallet(verifier, holder, base, FACTS)
    return verifier.sign_record(outcome, RULE.evaluate(outcome, household_size=2))


def test_record_verifies(signed_record: JsonObject, landlord_key: KeyPair) -> None:
    verified = verify_record(signed_record, key=landlord_key.public)
    assert verified.signer == "did:web:verhuur.example.nl#key-1"
    assert (verified.rule_name, verified.rule_year, verified.household_size) == (
        "sociale-huurgrens",
        2026,
        2,
    )
    assert verified.meets is True
    assert verified.verifier == "decentralized_identifier:did:web:verhuur.example.nl"


def test_edited_record_fails(signed_record: JsonObject, landlord_key: KeyPair) -> None:
    edited = copy.deepcopy(signed_record)
    edited["record"]["decision"]["meets"] = False
    with pytest.raises(ProofVerificationError) as caught:
        verify_record(edited, key=landlord_key.public)
    assert caught.value.code == "PROOF_VERIFICATION_ERROR"


def test_record_with_changed_payload_fails(
    signed_record: JsonObject, landlord_key: KeyPair
) -> None:
    header, payload, signature = signed_record["jws"].split(".")
    forged = copy.deepcopy(signed_record)
    forged["jws"] = ".".join([header, payload[:-4] + "AAAA", signature])
    with pytest.raises(JwsError) as caught:
        verify_record(forged, key=landlord_key.public)
    assert caught.value.code == "INVALID_JWS"


def test_record_signed_by_another_key_fails(signed_record: JsonObject) -> None:
    with pytest.raises(JwsError):
        verify_record(signed_record, key=KeyPair.generate("P-256").public)
    with pytest.raises(JwsError):  # did:web kid is not resolved without a fetch
        verify_record(signed_record)


@pytest.mark.parametrize(
    "hostile", [None, [], {"record": {}}, {"record": {}, "jws": 5, "x": 1}], ids=str
)
def test_malformed_record(hostile: object) -> None:
    with pytest.raises(ParsingError):
        verify_record(hostile)


def test_did_key_landlord_record_verifies_offline(
    make_verifier: Callable[..., Verifier], household: list[tuple[Holder, JsonObject]]
) -> None:
    key = KeyPair.generate("P-256")
    verifier = make_verifier(client_id=f"decentralized_identifier:{did_key(key)}", signing_key=key)
    holder, base = household[0]
    outcome = _present_via_wallet(verifier, holder, base, FACTS)
    record = verifier.sign_record(outcome, RULE.evaluate(outcome, household_size=2))
    assert verify_record(record).signer.startswith(did_key(key))
