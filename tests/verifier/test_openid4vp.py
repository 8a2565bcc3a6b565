"""OpenID4VP: request objects, links, direct_post handling, replay and hostile vp_tokens."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from datetime import timedelta
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from vc_core import KeyPair
from vc_core.did import did_key, did_key_verification_method_id
from vc_core.errors import JwsError, VerificationError
from vc_core.jws import parse_jws, verify_jws
from vc_core.types import JsonObject
from vc_verifier import (
    HousingIncomeRule,
    TransactionReplayError,
    UnknownTransactionError,
    Verifier,
    WalletResponseError,
)
from vc_verifier.openid4vp import check_dcql_query, random_token

from .conftest import MovableClock
from .helpers import (
    CLIENT_ID,
    FACTS,
    INCOME_IRI,
    VC_IRI,
    Holder,
    Issuer,
    disclose,
    income_subject,
    issue,
    present,
)

RESPONSE_URI = "https://verhuur.example.nl/oid4vp/response"
QUERY = HousingIncomeRule.load(year=2026).dcql_query()


@pytest.fixture(scope="module")
def facts_vc(income_base: JsonObject) -> JsonObject:
    return disclose(income_base, FACTS)


def _answer(tx_state: str, vp_token: Any) -> dict[str, str]:
    text = vp_token if isinstance(vp_token, str) else json.dumps(vp_token)
    return {"state": tx_state, "vp_token": text}


def _codes(outcome: Any) -> list[str]:
    return [problem.code for problem in outcome.problems]


# --- requests --------------------------------------------------------------------------------


def test_request_link_is_by_reference(verifier: Verifier) -> None:
    tx = verifier.create_request(QUERY, response_uri=RESPONSE_URI, purpose="Inkomenstoets")
    assert tx.uri.startswith("openid4vp://?")
    query = parse_qs(urlsplit(tx.uri).query, strict_parsing=True)
    assert query == {"client_id": [CLIENT_ID], "request_uri": [tx.request_uri]}
    assert tx.request_uri == f"https://verhuur.example.nl/oid4vp/request/{tx.request_id}"
    assert verifier.transaction_status(tx.id).status == "pending"  # type: ignore[union-attr]


def test_nonce_and_state_are_fresh_url_safe_128_bit(verifier: Verifier) -> None:
    txs = [verifier.create_request(QUERY, response_uri=RESPONSE_URI) for _ in range(20)]
    values = [v for tx in txs for v in (tx.nonce, tx.state, tx.id, tx.request_id)]
    assert len(set(values)) == len(values)
    for value in values:
        assert len(value) >= 22
        assert set(value) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
    with pytest.raises(ValueError, match="128"):
        random_token(nbytes=8)


def test_request_object_is_a_valid_jws_with_the_right_claims(
    verifier: Verifier, landlord_key: KeyPair, clock: MovableClock
) -> None:
    tx = verifier.create_request(
        QUERY, response_uri=RESPONSE_URI, purpose="Inkomenstoets", ttl=timedelta(minutes=10)
    )
    token = verifier.request_object(tx.request_id)
    verified = verify_jws(token, expected_typ="oauth-authz-req+jwt", key=landlord_key.public)
    assert verified.header == {
        "alg": "ES256",
        "typ": "oauth-authz-req+jwt",
        "kid": "did:web:verhuur.example.nl#key-1",
    }
    claims = verified.payload
    assert claims["client_id"] == CLIENT_ID
    assert claims["aud"] == "https://self-issued.me/v2"
    assert claims["response_type"] == "vp_token"
    assert claims["response_mode"] == "direct_post"
    assert claims["response_uri"] == RESPONSE_URI
    assert "redirect_uri" not in claims
    assert (claims["nonce"], claims["state"]) == (tx.nonce, tx.state)
    assert claims["dcql_query"] == QUERY
    assert claims["purpose"] == "Inkomenstoets"
    assert claims["iat"] == int(clock.moment.timestamp())
    assert claims["exp"] == claims["iat"] + 600
    assert claims["client_metadata"] == {
        "vp_formats_supported": {
            "ldp_vc": {
                "proof_type_values": ["DataIntegrityProof"],
                "cryptosuite_values": ["ecdsa-rdfc-2019", "ecdsa-sd-2023", "eddsa-rdfc-2022"],
            },
            "dc+sd-jwt": {
                "sd-jwt_alg_values": ["ES256", "ES384", "Ed25519", "EdDSA"],
                "kb-jwt_alg_values": ["ES256", "ES384", "Ed25519", "EdDSA"],
            },
        }
    }
    with pytest.raises(JwsError):
        verify_jws(token, expected_typ="JWT", key=landlord_key.public)


def test_did_key_client_request_object_resolves_offline() -> None:
    key = KeyPair.generate("P-256")
    verifier = Verifier(
        client_id=f"decentralized_identifier:{did_key(key)}", signing_key=key, trusted_issuers={}
    )
    tx = verifier.create_request(QUERY, response_uri=RESPONSE_URI)
    token = verifier.request_object(tx.request_id)
    assert parse_jws(token).header["kid"] == did_key_verification_method_id(key)
    assert verify_jws(token, expected_typ="oauth-authz-req+jwt").payload["state"] == tx.state


def test_request_object_gone_once_answered_or_expired(
    verifier: Verifier, clock: MovableClock
) -> None:
    tx = verifier.create_request(QUERY, response_uri=RESPONSE_URI)
    verifier.handle_response({"state": tx.state, "error": "access_denied"})
    assert verifier.request_object(tx.request_id)  # one failed answer leaves it open
    for _ in range(verifier.max_failed_responses - 1):
        verifier.handle_response({"state": tx.state, "error": "access_denied"})
    with pytest.raises(UnknownTransactionError) as caught:
        verifier.request_object(tx.request_id)
    assert caught.value.code == "UNKNOWN_TRANSACTION"
    late = verifier.create_request(QUERY, response_uri=RESPONSE_URI, ttl=timedelta(seconds=30))
    clock.moment += timedelta(seconds=31)
    with pytest.raises(UnknownTransactionError):
        verifier.request_object(late.request_id)
    with pytest.raises(UnknownTransactionError):
        verifier.request_object("no-such-request")


def test_redirect_uri_client_sends_everything_by_value(landlord_key: KeyPair) -> None:
    client_id = "redirect_uri:http://127.0.0.1:8000/oid4vp/response"
    verifier = Verifier(client_id=client_id, signing_key=landlord_key, trusted_issuers={})
    tx = verifier.create_request(QUERY, purpose="test")
    assert tx.request_uri is None
    params = {k: v[0] for k, v in parse_qs(urlsplit(tx.uri).query).items()}
    assert params["client_id"] == client_id
    assert params["response_uri"] == "http://127.0.0.1:8000/oid4vp/response"
    assert params["response_mode"] == "direct_post"
    assert (params["nonce"], params["state"]) == (tx.nonce, tx.state)
    assert json.loads(params["dcql_query"]) == QUERY
    assert "vp_formats_supported" in json.loads(params["client_metadata"])
    with pytest.raises(UnknownTransactionError):
        verifier.request_object(tx.request_id)
    with pytest.raises(ValueError, match="response_uri"):
        verifier.create_request(QUERY, response_uri="https://elsewhere.example/r")


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({}, "credentials"),
        ({"credentials": [{"id": "a b", "format": "ldp_vc"}]}, "id"),
        ({"credentials": [{"id": "a", "format": "jwt_vc_json", "meta": {}}]}, "format"),
        ({"credentials": [{"id": "a", "format": "ldp_vc", "meta": {}}]}, "type_values"),
        (
            {"credentials": [{"id": "a", "format": "ldp_vc", "meta": {"type_values": [["X"]]}}]},
            "expanded",
        ),
        (
            {
                "credentials": [
                    {
                        "id": "a",
                        "format": "ldp_vc",
                        "meta": {"type_values": [[VC_IRI]]},
                        "claims": [{"id": "x", "path": ["credentialSubject", "a"]}],
                        "claim_sets": [["y"]],
                    }
                ]
            },
            "claim set",
        ),
        (
            {
                "credentials": [
                    {"id": "a", "format": "ldp_vc", "meta": {"type_values": [[VC_IRI]]}}
                ],
                "credential_sets": [{"options": [["b"]]}],
            },
            "credential set",
        ),
    ],
)
def test_malformed_dcql_queries_are_refused(query: JsonObject, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        check_dcql_query(query)


# --- responses -------------------------------------------------------------------------------


def test_accepts_a_valid_direct_post(
    verifier: Verifier, holder: Holder, facts_vc: JsonObject
) -> None:
    tx = verifier.create_request(QUERY, response_uri=RESPONSE_URI)
    vp = present(holder, [facts_vc], challenge=tx.nonce)
    seen: list[str] = []

    def decide(outcome: Any) -> JsonObject:
        seen.append(outcome.transaction_id)
        return {"meets": True}

    outcome = verifier.handle_response(_answer(tx.state, {"inkomen": [vp]}), on_outcome=decide)
    assert outcome.verified
    assert outcome.raise_for_problems() is outcome
    assert outcome.transaction_id == tx.id == seen[0]
    [presentation] = outcome.presentations["inkomen"]
    assert presentation.holder == holder.did
    status = verifier.transaction_status(tx.id)
    assert status is not None
    assert (status.status, status.problems, status.result) == ("verified", (), {"meets": True})


def test_replayed_state_is_refused(
    verifier: Verifier, holder: Holder, facts_vc: JsonObject
) -> None:
    tx = verifier.create_request(QUERY, response_uri=RESPONSE_URI)
    form = _answer(tx.state, {"inkomen": [present(holder, [facts_vc], challenge=tx.nonce)]})
    assert verifier.handle_response(form).verified
    with pytest.raises(TransactionReplayError) as caught:
        verifier.handle_response(form)
    assert caught.value.code == "TRANSACTION_REPLAY"
    assert verifier.transaction_status(tx.id).status == "verified"  # type: ignore[union-attr]


def test_presentation_for_another_transaction_is_refused(
    verifier: Verifier, holder: Holder, facts_vc: JsonObject
) -> None:
    """A presentation made for one nonce cannot be replayed into another transaction."""
    first = verifier.create_request(QUERY, response_uri=RESPONSE_URI)
    second = verifier.create_request(QUERY, response_uri=RESPONSE_URI)
    vp = present(holder, [facts_vc], challenge=first.nonce)
    outcome = verifier.handle_response(_answer(second.state, {"inkomen": [vp]}))
    assert outcome.status == "rejected"
    assert _codes(outcome) == ["INVALID_CHALLENGE_ERROR", "CREDENTIAL_SETS_NOT_SATISFIED"]
    assert outcome.problems[0].path == "vp_token.inkomen[0].proof"
    assert outcome.presentations == {}
    with pytest.raises(VerificationError) as caught:
        outcome.raise_for_problems()
    assert caught.value.code == "INVALID_CHALLENGE_ERROR"
    assert verifier.transaction_status(second.id).problems == tuple(_codes(outcome))  # type: ignore[union-attr]


@pytest.mark.parametrize(
    "state", [None, "", "unknown-state-value-1234"], ids=["none", "empty", "unknown"]
)
def test_wrong_state_is_refused(verifier: Verifier, state: str | None) -> None:
    verifier.create_request(QUERY, response_uri=RESPONSE_URI)
    form = {"vp_token": "{}"} if state is None else {"vp_token": "{}", "state": state}
    with pytest.raises(UnknownTransactionError) as caught:
        verifier.handle_response(form)
    assert caught.value.code == "UNKNOWN_TRANSACTION"


def test_expired_transaction_is_refused(verifier: Verifier, clock: MovableClock) -> None:
    tx = verifier.create_request(QUERY, response_uri=RESPONSE_URI, ttl=timedelta(minutes=1))
    clock.moment += timedelta(minutes=2)
    with pytest.raises(UnknownTransactionError) as caught:
        verifier.handle_response({"state": tx.state, "vp_token": "{}"})
    assert caught.value.code == "TRANSACTION_EXPIRED"
    assert verifier.transaction_status(tx.id).status == "expired"  # type: ignore[union-attr]


def test_wallet_error_is_a_typed_outcome(verifier: Verifier) -> None:
    tx = verifier.create_request(QUERY, response_uri=RESPONSE_URI)
    outcome = verifier.handle_response(
        {"state": tx.state, "error": "access_denied", "error_description": "user said no"}
    )
    assert outcome.status == "wallet_error"
    assert outcome.wallet_error == "access_denied"
    with pytest.raises(WalletResponseError) as caught:
        outcome.raise_for_problems()
    assert caught.value.code == "WALLET_ERROR_RESPONSE"
    assert caught.value.error == "access_denied"
    # Anyone who saw the QR code can post an error: it is counted, the request stays open.
    status = verifier.transaction_status(tx.id)
    assert status is not None
    assert (status.status, status.error, status.failed_attempts) == (
        "pending",
        "access_denied",
        1,
    )
    for _ in range(verifier.max_failed_responses - 1):
        verifier.handle_response({"state": tx.state, "error": "access_denied"})
    ended = verifier.transaction_status(tx.id)
    assert ended is not None
    assert (ended.status, ended.error, ended.failed_attempts) == (
        "wallet_error",
        "access_denied",
        5,
    )
    with pytest.raises(TransactionReplayError):
        verifier.handle_response({"state": tx.state, "error": "access_denied"})


HOSTILE_TOKENS = {
    "missing": None,
    "not-json": "{inkomen:",
    "array": "[]",
    "string": '"vp"',
    "nan": '{"inkomen": [NaN]}',
    "duplicate-keys": '{"inkomen": [{}], "inkomen": [{}]}',
    "not-an-array": '{"inkomen": {}}',
    "empty-array": '{"inkomen": []}',
    "unknown-query": '{"diploma": [{}]}',
    "jwt-string": '{"inkomen": ["eyJhbGciOi.x.y"]}',
    "two-without-multiple": '{"inkomen": [{}, {}]}',
    "deep": '{"inkomen": [' + "[" * 100_000 + "]" * 100_000 + "]}",
    "oversized": '{"inkomen": ["' + "A" * (2 * 2**20) + '"]}',
}


@pytest.mark.parametrize("name", list(HOSTILE_TOKENS))
def test_hostile_vp_token_is_a_parsing_error(verifier: Verifier, name: str) -> None:
    tx = verifier.create_request(QUERY, response_uri=RESPONSE_URI)
    token = HOSTILE_TOKENS[name]
    form: dict[str, Any] = {"state": tx.state}
    if token is not None:
        form["vp_token"] = token
    outcome = verifier.handle_response(form)
    assert outcome.status == "rejected"
    assert _codes(outcome) == ["PARSING_ERROR"]
    with pytest.raises(VerificationError) as caught:
        outcome.raise_for_problems()
    assert caught.value.code == "PARSING_ERROR"
    status = verifier.transaction_status(tx.id)
    assert status is not None
    assert (status.status, status.problems, status.failed_attempts) == (
        "pending",
        ("PARSING_ERROR",),
        1,
    )


@pytest.mark.parametrize(
    "form",
    [{"state": ["a", "b"]}, {"state": 5}, "not a mapping"],
    ids=["list", "number", "string"],
)
def test_hostile_form_is_refused(verifier: Verifier, form: Any) -> None:
    with pytest.raises(UnknownTransactionError):
        verifier.handle_response(form)


def test_empty_vp_token_does_not_satisfy_the_query(verifier: Verifier) -> None:
    tx = verifier.create_request(QUERY, response_uri=RESPONSE_URI)
    outcome = verifier.handle_response(_answer(tx.state, {}))
    assert _codes(outcome) == ["CREDENTIAL_SETS_NOT_SATISFIED"]


def test_required_claims_must_really_be_present(
    verifier: Verifier, holder: Holder, income_base: JsonObject
) -> None:
    """The wallet disclosed only the mandatory claims (the year), neither fact nor amount."""
    tx = verifier.create_request(QUERY, response_uri=RESPONSE_URI)
    minimal = disclose(income_base, ["/credentialSubject/type"])
    vp = present(holder, [minimal], challenge=tx.nonce)
    outcome = verifier.handle_response(_answer(tx.state, {"inkomen": [vp]}))
    assert _codes(outcome) == ["CLAIMS_NOT_SATISFIED", "CREDENTIAL_SETS_NOT_SATISFIED"]
    assert (
        outcome.problems[0].path == "vp_token.inkomen[0].verifiableCredential[0].credentialSubject"
    )


def test_claim_values_are_checked(verifier: Verifier, holder: Holder, facts_vc: JsonObject) -> None:
    query = copy.deepcopy(QUERY)
    query["credentials"][0]["claims"][0]["values"] = [2023]  # the credential is for 2024
    tx = verifier.create_request(query, response_uri=RESPONSE_URI)
    vp = present(holder, [facts_vc], challenge=tx.nonce)
    outcome = verifier.handle_response(_answer(tx.state, {"inkomen": [vp]}))
    assert "CLAIMS_NOT_SATISFIED" in _codes(outcome)


def test_type_values_are_checked(
    make_verifier: Callable[..., Verifier], issuer: Issuer, holder: Holder
) -> None:
    verifier = make_verifier(
        trusted_issuers={issuer.did: ["InkomensverklaringCredential", "PersoonsgegevensCredential"]}
    )
    other = issue(
        issuer,
        income_subject(holder.did),
        types=("VerifiableCredential", "PersoonsgegevensCredential"),
    )
    tx = verifier.create_request(QUERY, response_uri=RESPONSE_URI)
    vp = present(holder, [disclose(other, FACTS)], challenge=tx.nonce)
    outcome = verifier.handle_response(_answer(tx.state, {"inkomen": [vp]}))
    assert _codes(outcome) == ["CREDENTIAL_TYPE_MISMATCH", "CREDENTIAL_SETS_NOT_SATISFIED"]
    assert INCOME_IRI in outcome.problems[0].detail


def test_one_credential_per_presentation(
    verifier: Verifier, holder: Holder, facts_vc: JsonObject
) -> None:
    tx = verifier.create_request(QUERY, response_uri=RESPONSE_URI)
    vp = present(holder, [facts_vc, facts_vc], challenge=tx.nonce)
    outcome = verifier.handle_response(_answer(tx.state, {"inkomen": [vp]}))
    assert _codes(outcome)[0] == "PARSING_ERROR"


def test_multiple_and_credential_sets(
    verifier: Verifier, holder: Holder, facts_vc: JsonObject
) -> None:
    """Two queries, only one required through credential_sets; multiple allowed on one."""
    base = QUERY["credentials"][0]
    query = {
        "credentials": [
            {**base, "id": "inkomen", "multiple": True},
            {**base, "id": "extra"},
        ],
        "credential_sets": [
            {"options": [["inkomen"]]},
            {"options": [["extra"]], "required": False},
        ],
    }
    tx = verifier.create_request(query, response_uri=RESPONSE_URI)
    vp = present(holder, [facts_vc], challenge=tx.nonce)
    outcome = verifier.handle_response(_answer(tx.state, {"inkomen": [vp, vp]}))
    assert outcome.verified
    assert len(outcome.presentations["inkomen"]) == 2
    missing = verifier.create_request(query, response_uri=RESPONSE_URI)
    vp = present(holder, [facts_vc], challenge=missing.nonce)
    outcome = verifier.handle_response(_answer(missing.state, {"extra": [vp]}))
    assert _codes(outcome) == ["CREDENTIAL_SETS_NOT_SATISFIED"]


def test_failing_callback_still_records_the_outcome(
    make_verifier: Callable[..., Verifier],
) -> None:
    verifier = make_verifier(max_failed_responses=1)
    tx = verifier.create_request(QUERY, response_uri=RESPONSE_URI)

    def broken(outcome: Any) -> JsonObject:
        raise RuntimeError("the landlord's database is down")

    with pytest.raises(RuntimeError):
        verifier.handle_response({"state": tx.state, "error": "access_denied"}, on_outcome=broken)
    assert verifier.transaction_status(tx.id).status == "wallet_error"  # type: ignore[union-attr]
