"""Presenting: only the requested claims (plus the issuer's mandatory ones) leave the wallet."""

from __future__ import annotations

import json
from dataclasses import replace
from types import MappingProxyType

import httpx
import pytest

from vc_core import KeyPair, verify
from wallet_sdk import MemoryStore, Wallet
from wallet_sdk.dcql import Candidate
from wallet_sdk.errors import PresentationRequestError
from wallet_sdk.keys import HolderKeys
from wallet_sdk.present import leaf_pointers
from wallet_sdk.store import WalletStore

from .helpers import INCOME, PERSON, fixed_clock, issue, keep, request_for, type_query

PERSON_LEAVES = {
    "voornamen": "Jan Pieter",
    "voorvoegsel": "van der",
    "geslachtsnaam": "Berg",
    "geboortedatum": "1990-04-12",
    "geboorteplaats": "Utrecht",
    "nationaliteit": "Nederlandse",
    "straat": "Oudegracht",
    "huisnummer": 12,
    "postcode": "3511 AB",
    "woonplaats": "Utrecht",
}


def _wallet(store: WalletStore) -> Wallet:
    return Wallet(store=store, http=httpx.Client(), trusted_issuers=[], clock=fixed_clock)


def _holder(store: WalletStore, curve: str = "P-256") -> str:
    keys = HolderKeys(store)
    key = keys.new(curve)  # type: ignore[arg-type]
    keys.save(key)
    assert key.controller is not None
    return key.controller


def test_two_of_ten_claims_leave_the_wallet(issuer_key: KeyPair) -> None:
    store = MemoryStore()
    holder = _holder(store)
    person = keep(
        store,
        issue(
            issuer_key,
            holder,
            type_name="PersoonsgegevensCredential",
            subject=PERSON,
            mandatory=("/credentialSubject/nationaliteit",),
        ),
    )
    dcql = {
        "credentials": [
            type_query(
                "persoon",
                "PersoonsgegevensCredential",
                claims=[
                    {"path": ["credentialSubject", "geslachtsnaam"]},
                    {"path": ["credentialSubject", "adres", "woonplaats"]},
                ],
            )
        ]
    }
    wallet = _wallet(store)
    request = request_for(dcql, purpose="Huurcontract")
    presentation = wallet.present(request)
    (vp,) = presentation.vp_token["persoon"]

    # The presentation verifies: holder's authentication proof with nonce and client_id.
    verified = verify(
        vp,
        challenge=request.nonce,
        domain=request.client_id,
        expected_proof_purpose="authentication",
    )
    assert verified.document["holder"] == holder
    (credential,) = vp["verifiableCredential"]
    assert credential["proof"]["proofValue"].startswith("u2V0B")
    disclosed = verify(credential).document

    # Exactly the two claims, the mandatory ones, and the ids/types on their paths.
    assert set(leaf_pointers(disclosed)) == {
        "/id",
        "/type/0",
        "/type/1",
        "/issuer",
        "/validFrom",
        "/validUntil",
        "/credentialSubject/id",
        "/credentialSubject/type",
        "/credentialSubject/nationaliteit",
        "/credentialSubject/geslachtsnaam",
        "/credentialSubject/adres/type",
        "/credentialSubject/adres/woonplaats",
    }
    sent = json.dumps(presentation.form_fields())
    shown = {"geslachtsnaam", "woonplaats", "nationaliteit"}
    for name, value in PERSON_LEAVES.items():
        if name not in shown:
            assert name not in sent
            if isinstance(value, str) and value != "Utrecht":  # = the disclosed woonplaats
                assert value not in sent
    assert presentation.form_fields()["state"] == request.state
    assert "proof" not in disclosed

    # The consent log says who got what and why; the copy counts one use.
    (entry,) = wallet.log()
    assert (entry.event, entry.counterparty, entry.purpose) == (
        "presented",
        request.client_id,
        "Huurcontract",
    )
    assert entry.credential_ids == (person.id,)
    assert "/credentialSubject/geslachtsnaam" in entry.claims
    assert "/credentialSubject/voornamen" not in entry.claims
    assert store.get_credential(person.id).use_count == 1


def test_credentials_from_several_sources_in_one_response(issuer_key: KeyPair) -> None:
    store = MemoryStore()
    tax_office, register = issuer_key, KeyPair.generate("P-256")
    keep(
        store,
        issue(tax_office, _holder(store), type_name="InkomensverklaringCredential", subject=INCOME),
    )
    keep(
        store,
        issue(register, _holder(store), type_name="PersoonsgegevensCredential", subject=PERSON),
    )
    dcql = {
        "credentials": [
            type_query(
                "inkomen",
                "InkomensverklaringCredential",
                claims=[{"path": ["credentialSubject", "inkomensklasse"]}],
            ),
            type_query(
                "persoon",
                "PersoonsgegevensCredential",
                claims=[{"path": ["credentialSubject", "geslachtsnaam"]}],
            ),
        ]
    }
    request = request_for(dcql)
    presentation = _wallet(store).present(request)
    assert set(presentation.vp_token) == {"inkomen", "persoon"}
    holders = set()
    for (vp,) in presentation.vp_token.values():
        verify(vp, challenge=request.nonce, domain=request.client_id)
        verify(vp["verifiableCredential"][0])
        holders.add(vp["holder"])
    assert len(holders) == 2  # each credential is bound to its own key
    tokens = json.loads(presentation.form_fields()["vp_token"])
    assert {k: len(v) for k, v in tokens.items()} == {"inkomen": 1, "persoon": 1}


def test_an_ed25519_holder_signs_with_eddsa(issuer_key: KeyPair) -> None:
    store = MemoryStore()
    keep(
        store,
        issue(
            issuer_key,
            _holder(store, "Ed25519"),
            type_name="InkomensverklaringCredential",
            subject=INCOME,
        ),
    )
    request = request_for({"credentials": [type_query("i", "InkomensverklaringCredential")]})
    (vp,) = _wallet(store).present(request).vp_token["i"]
    assert vp["proof"]["cryptosuite"] == "eddsa-rdfc-2022"
    verify(vp, challenge=request.nonce, domain=request.client_id)


def test_an_unrequested_claim_cannot_be_slipped_into_the_choice(issuer_key: KeyPair) -> None:
    store = MemoryStore()
    keep(
        store,
        issue(issuer_key, _holder(store), type_name="InkomensverklaringCredential", subject=INCOME),
    )
    request = request_for(
        {
            "credentials": [
                type_query(
                    "inkomen",
                    "InkomensverklaringCredential",
                    claims=[{"path": ["credentialSubject", "inkomensklasse"]}],
                )
            ]
        }
    )
    wallet = _wallet(store)
    match = wallet.match(request)
    (candidate,) = match.candidates["inkomen"]
    widened = Candidate(
        candidate.query_id,
        candidate.credential_id,
        (*candidate.pointers, "/credentialSubject/verzamelinkomen"),
        candidate.claims,
    )
    forged = replace(match, candidates=MappingProxyType({"inkomen": (widened,)}))
    with pytest.raises(PresentationRequestError) as info:
        wallet.present(request, forged)
    assert info.value.error == "access_denied"
    assert wallet.log() == []
    assert store.get_credential(candidate.credential_id).use_count == 0


def test_one_credential_per_query_unless_multiple(issuer_key: KeyPair) -> None:
    store = MemoryStore()
    first = keep(
        store,
        issue(
            issuer_key,
            _holder(store),
            type_name="DiplomaCredential",
            subject={"type": "Diplomahouder", "diploma": {"type": "Diploma", "niveau": "MBO 4"}},
        ),
    )
    second = keep(
        store,
        issue(
            issuer_key,
            _holder(store),
            type_name="DiplomaCredential",
            subject={
                "type": "Diplomahouder",
                "diploma": {"type": "Diploma", "niveau": "WO master"},
            },
        ),
    )
    single = request_for({"credentials": [type_query("d", "DiplomaCredential")]})
    wallet = _wallet(store)
    match = wallet.match(single)
    assert match.selection == {"d": (first.id,)}
    forged = replace(match, selection=MappingProxyType({"d": (first.id, second.id)}))
    with pytest.raises(PresentationRequestError):
        wallet.present(single, forged)
    several = request_for({"credentials": [type_query("d", "DiplomaCredential", multiple=True)]})
    both = wallet.match(several).select("d", first.id, second.id)
    assert len(wallet.present(several, both).vp_token["d"]) == 2


def test_a_choice_made_for_another_request_is_misuse(issuer_key: KeyPair) -> None:
    store = MemoryStore()
    keep(
        store,
        issue(issuer_key, _holder(store), type_name="InkomensverklaringCredential", subject=INCOME),
    )
    wallet = _wallet(store)
    first = request_for({"credentials": [type_query("a", "InkomensverklaringCredential")]})
    second = request_for({"credentials": [type_query("b", "InkomensverklaringCredential")]})
    with pytest.raises(ValueError, match="different request"):
        wallet.present(second, wallet.match(first))
    with pytest.raises(ValueError, match="candidates"):
        wallet.match(first).select("a", "not-a-candidate")


def test_the_least_used_copy_of_a_batch_is_offered(issuer_key: KeyPair) -> None:
    store = MemoryStore()
    copies = [
        keep(
            store,
            issue(
                issuer_key, _holder(store), type_name="InkomensverklaringCredential", subject=INCOME
            ),
            batch_id="batch",
        )
        for _ in range(3)
    ]
    wallet = _wallet(store)
    request = request_for({"credentials": [type_query("i", "InkomensverklaringCredential")]})
    shown = []
    for _ in range(3):
        (vp,) = wallet.present(request).vp_token["i"]
        shown.append(vp["holder"])
    assert sorted(shown) == sorted(c.holder for c in copies)  # three different holder DIDs


def test_optional_sets_are_opt_in_and_required_ones_cannot_be_omitted(
    issuer_key: KeyPair,
) -> None:
    store = MemoryStore()
    income = keep(
        store,
        issue(issuer_key, _holder(store), type_name="InkomensverklaringCredential", subject=INCOME),
    )
    person = keep(
        store,
        issue(issuer_key, _holder(store), type_name="PersoonsgegevensCredential", subject=PERSON),
    )
    dcql = {
        "credentials": [
            type_query("inkomen", "InkomensverklaringCredential"),
            type_query(
                "persoon",
                "PersoonsgegevensCredential",
                claims=[{"path": ["credentialSubject", "voornamen"]}],
            ),
        ],
        "credential_sets": [
            {"options": [["inkomen"]]},
            {"options": [["persoon"]], "required": False},
        ],
    }
    request = request_for(dcql)
    wallet = _wallet(store)
    match = wallet.match(request)
    assert dict(match.selection) == {"inkomen": (income.id,)}
    assert set(wallet.present(request, match).vp_token) == {"inkomen"}
    with_person = match.select("persoon", person.id)
    assert set(wallet.present(request, with_person).vp_token) == {"inkomen", "persoon"}
    with pytest.raises(PresentationRequestError) as info:
        wallet.present(request, with_person.omit("inkomen"))
    assert info.value.error == "access_denied"
