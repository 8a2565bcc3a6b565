"""DCQL: parsing untrusted queries, claim paths, and matching stored credentials."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from vc_core import KeyPair
from wallet_sdk import MemoryStore
from wallet_sdk.dcql import claim_pointers, expand_types, match_query, parse_dcql_query
from wallet_sdk.errors import NoMatchingCredentialError, PresentationRequestError
from wallet_sdk.present import match_request

from .helpers import INCOME, NL, PERSON, VC_IRI, issue, keep, request_for, type_query

INCOME_QUERY = type_query(
    "inkomen",
    "InkomensverklaringCredential",
    claims=[
        {"id": "jaar", "path": ["credentialSubject", "belastingjaar"]},
        {"id": "klasse", "path": ["credentialSubject", "inkomensklasse"]},
        {"id": "bedrag", "path": ["credentialSubject", "verzamelinkomen"]},
    ],
    claim_sets=[["jaar", "klasse"], ["jaar", "bedrag"]],
)


def _query(**changes: Any) -> dict[str, Any]:
    """The income query with some members replaced (``None`` removes one)."""
    query = {**INCOME_QUERY, **changes}
    return {"credentials": [{k: v for k, v in query.items() if v is not None}]}


BAD_QUERIES: dict[str, object] = {
    "not-object": [],
    "no-credentials": {},
    "empty-credentials": {"credentials": []},
    "bad-id": _query(id="a b"),
    "repeated-id": {"credentials": [INCOME_QUERY, INCOME_QUERY]},
    "no-format": _query(format=None),
    "no-meta": {"credentials": [{"id": "a", "format": "ldp_vc"}]},
    "no-type-values": _query(meta={}),
    "type-values-not-nested": _query(meta={"type_values": [VC_IRI]}),
    "claims-empty": _query(claims=[], claim_sets=None),
    "claim-without-id-with-sets": _query(claims=[{"path": ["credentialSubject", "x"]}]),
    "empty-path": _query(claims=[{"id": "jaar", "path": []}], claim_sets=[["jaar"]]),
    "float-in-path": _query(claims=[{"id": "jaar", "path": ["a", 1.5]}], claim_sets=[["jaar"]]),
    "bool-in-path": _query(claims=[{"id": "jaar", "path": ["a", True]}], claim_sets=[["jaar"]]),
    "negative-index": _query(claims=[{"id": "jaar", "path": ["a", -1]}], claim_sets=[["jaar"]]),
    "unknown-claim-set-id": _query(claim_sets=[["jaar", "nope"]]),
    "claim-set-not-strings": _query(claim_sets=[[{"a": 1}]]),
    "values-of-objects": _query(
        claims=[{"id": "jaar", "path": ["credentialSubject"], "values": [{}]}],
        claim_sets=[["jaar"]],
    ),
    "multiple-not-bool": _query(multiple="yes"),
    "unknown-credential-set-id": {
        "credentials": [INCOME_QUERY],
        "credential_sets": [{"options": [["other"]]}],
    },
    "credential-set-required-not-bool": {
        "credentials": [INCOME_QUERY],
        "credential_sets": [{"options": [["inkomen"]], "required": "no"}],
    },
    "too-many-credentials": {
        "credentials": [type_query(f"q{i}", "InkomensverklaringCredential") for i in range(65)]
    },
}


@pytest.mark.parametrize("query", BAD_QUERIES.values(), ids=BAD_QUERIES.keys())
def test_malformed_queries_are_refused(query: object) -> None:
    with pytest.raises(PresentationRequestError) as info:
        parse_dcql_query(query)
    assert info.value.code == "INVALID_PRESENTATION_REQUEST"
    assert info.value.error == "invalid_request"


@pytest.mark.parametrize(
    "path",
    [["proof"], ["proof", "proofValue"], ["@context"]],
    ids=["proof", "proof-value", "context"],
)
def test_the_base_proof_is_never_a_claim(path: list[object]) -> None:
    with pytest.raises(PresentationRequestError) as info:
        parse_dcql_query(_query(claims=[{"id": "p", "path": path}], claim_sets=None))
    assert info.value.code == "UNDISCLOSABLE_CLAIM"


def test_claim_paths_become_pointers() -> None:
    document = {
        "credentialSubject": {"a/b": 1, "t~x": [{"v": True}, {"v": 1}, {"v": "s"}]},
    }
    assert claim_pointers(document, ("credentialSubject", "a/b")) == [
        ("/credentialSubject/a~1b", 1)
    ]
    assert [p for p, _ in claim_pointers(document, ("credentialSubject", "t~x", None, "v"))] == [
        "/credentialSubject/t~0x/0/v",
        "/credentialSubject/t~0x/1/v",
        "/credentialSubject/t~0x/2/v",
    ]
    assert claim_pointers(document, ("credentialSubject", "t~x", 1, "v")) == [
        ("/credentialSubject/t~0x/1/v", 1)
    ]
    # values compare type and value: True is not 1.
    assert claim_pointers(document, ("credentialSubject", "t~x", None, "v"), [1]) == [
        ("/credentialSubject/t~0x/1/v", 1)
    ]
    assert claim_pointers(document, ("credentialSubject", "missing")) == []
    assert claim_pointers(document, ("credentialSubject", "a/b", 0)) == []


def test_types_are_compared_expanded(issuer_key: KeyPair) -> None:
    credential = issue(
        issuer_key, "did:key:za", type_name="InkomensverklaringCredential", subject=INCOME
    )
    assert expand_types(credential) == {VC_IRI, NL + "InkomensverklaringCredential"}
    inline = {
        "@context": [{"ex": "https://example.org/ns#", "Thing": "ex:Thing"}],
        "type": ["Thing", "ex:Other", "Undefined"],
    }
    assert expand_types(inline) == {
        "https://example.org/ns#Thing",
        "https://example.org/ns#Other",
        "Undefined",
    }


def test_first_satisfiable_claim_set_wins(issuer_key: KeyPair) -> None:
    store = MemoryStore()
    stored = keep(
        store,
        issue(issuer_key, "did:key:za", type_name="InkomensverklaringCredential", subject=INCOME),
    )
    query = parse_dcql_query(_query())
    (candidate,) = match_query(query, store.credentials())["inkomen"]
    assert candidate.credential_id == stored.id
    assert candidate.pointers == (
        "/credentialSubject/belastingjaar",
        "/credentialSubject/inkomensklasse",
    )
    # Without the class, the second option (the exact amount) is the only one left.
    without_class = {k: v for k, v in INCOME.items() if k != "inkomensklasse"}
    store = MemoryStore()
    keep(
        store,
        issue(
            issuer_key,
            "did:key:za",
            type_name="InkomensverklaringCredential",
            subject=without_class,
        ),
    )
    (candidate,) = match_query(query, store.credentials())["inkomen"]
    assert candidate.pointers == (
        "/credentialSubject/belastingjaar",
        "/credentialSubject/verzamelinkomen",
    )


def test_no_claims_means_mandatory_only(issuer_key: KeyPair) -> None:
    store = MemoryStore()
    keep(
        store,
        issue(issuer_key, "did:key:za", type_name="InkomensverklaringCredential", subject=INCOME),
    )
    query = parse_dcql_query(
        {"credentials": [type_query("inkomen", "InkomensverklaringCredential")]}
    )
    (candidate,) = match_query(query, store.credentials())["inkomen"]
    assert candidate.pointers == ()


def test_type_and_value_mismatches_do_not_match(issuer_key: KeyPair) -> None:
    store = MemoryStore()
    keep(
        store,
        issue(issuer_key, "did:key:za", type_name="InkomensverklaringCredential", subject=INCOME),
    )
    other_type = parse_dcql_query({"credentials": [type_query("p", "PersoonsgegevensCredential")]})
    assert match_query(other_type, store.credentials()) == {"p": ()}
    wrong_value = parse_dcql_query(
        _query(
            claims=[
                {"id": "k", "path": ["credentialSubject", "inkomensklasse"], "values": ["laag"]}
            ],
            claim_sets=None,
        )
    )
    assert match_query(wrong_value, store.credentials()) == {"inkomen": ()}
    other_format = parse_dcql_query(
        {"credentials": [{"id": "m", "format": "mso_mdoc", "meta": {"doctype_value": "x"}}]}
    )
    assert match_query(other_format, store.credentials()) == {"m": ()}


def test_required_and_optional_credential_sets(
    issuer_key: KeyPair, holder_in: Callable[..., str]
) -> None:
    store = MemoryStore()
    income = keep(
        store,
        issue(
            issuer_key, holder_in(store), type_name="InkomensverklaringCredential", subject=INCOME
        ),
    )
    dcql: dict[str, Any] = {
        "credentials": [
            type_query("inkomen", "InkomensverklaringCredential"),
            type_query("persoon", "PersoonsgegevensCredential"),
            type_query("diploma", "DiplomaCredential"),
        ],
        "credential_sets": [
            {"options": [["persoon"], ["inkomen"]]},
            {"options": [["diploma"]], "required": False},
        ],
    }
    match = match_request(request_for(dcql), store.credentials())
    assert dict(match.selection) == {"inkomen": (income.id,)}
    dcql["credential_sets"][0]["options"] = [["persoon"]]
    with pytest.raises(NoMatchingCredentialError) as info:
        match_request(request_for(dcql), store.credentials())
    assert info.value.missing == ("persoon",)
    assert info.value.code == "NO_MATCHING_CREDENTIAL"


def test_every_query_is_required_without_credential_sets(issuer_key: KeyPair) -> None:
    store = MemoryStore()
    keep(
        store,
        issue(issuer_key, "did:key:za", type_name="PersoonsgegevensCredential", subject=PERSON),
    )
    dcql = {
        "credentials": [
            type_query("inkomen", "InkomensverklaringCredential"),
            type_query("persoon", "PersoonsgegevensCredential"),
        ]
    }
    with pytest.raises(NoMatchingCredentialError) as info:
        match_request(request_for(dcql), store.credentials())
    assert info.value.missing == ("inkomen",)
