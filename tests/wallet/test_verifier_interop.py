"""The whole chain in-process: issuer app → wallet → landlord's verifier app, over HTTP."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from vc_core import KeyPair
from vc_issuer.issuer import Issuer
from vc_issuer.settings import IssuerSettings
from vc_issuer.web import create_app
from vc_verifier.results import PresentationOutcome
from vc_verifier.verifier import Verifier
from vc_verifier.web import create_router
from wallet_sdk import MemoryStore, Wallet

from .helpers import NL, VC_IRI, Hosts

LANDLORD = "https://verhuur.example.nl"
LANDLORD_DID = "did:web:verhuur.example.nl"


@pytest.fixture(scope="module")
def chain() -> Iterator[tuple[Issuer, Verifier, httpx.Client, list[PresentationOutcome]]]:
    issuer = Issuer.from_settings(IssuerSettings.demo())
    issuer_client = TestClient(create_app(issuer), base_url="https://issuer.example.nl")
    key = KeyPair.generate("P-256")
    signing_key = KeyPair(key.public, key.private_key, f"{LANDLORD_DID}#key-1", LANDLORD_DID)
    types = {
        "belastingdienst": "InkomensverklaringCredential",
        "brp": "PersoonsgegevensCredential",
    }
    verifier = Verifier(
        client_id="decentralized_identifier:" + LANDLORD_DID,
        signing_key=signing_key,
        trusted_issuers={issuer.settings.issuer_did(s): [NL + t] for s, t in types.items()},
        http=issuer_client,
    )
    outcomes: list[PresentationOutcome] = []

    def keep(outcome: PresentationOutcome) -> None:
        outcomes.append(outcome)

    landlord = FastAPI()
    landlord.include_router(create_router(verifier, on_outcome=keep))

    @landlord.get("/.well-known/did.json")
    def did_json() -> dict[str, Any]:
        vm = signing_key.to_multikey()
        return {
            "@context": ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1"],
            "id": LANDLORD_DID,
            "verificationMethod": [vm],
            "authentication": [vm["id"]],
        }

    with TestClient(landlord, base_url=LANDLORD) as landlord_client:
        http = httpx.Client(
            transport=Hosts(
                {"issuer.example.nl": issuer_client, "verhuur.example.nl": landlord_client}
            )
        )
        yield issuer, verifier, http, outcomes


def test_landlord_sees_only_what_it_asked_for(
    chain: tuple[Issuer, Verifier, httpx.Client, list[PresentationOutcome]],
) -> None:
    issuer, verifier, http, outcomes = chain
    wallet = Wallet(
        store=MemoryStore(),
        http=http,
        trusted_issuers=issuer.settings.issuer_dids(),
        trusted_verifiers=[LANDLORD],
    )
    for source in ("belastingdienst", "brp"):
        wallet.accept_offer(wallet.parse_offer(issuer.demo_offer(source)), tx_code="000000")

    dcql = {
        "credentials": [
            {
                "id": "inkomen",
                "format": "ldp_vc",
                "meta": {"type_values": [[VC_IRI, NL + "InkomensverklaringCredential"]]},
                "claims": [
                    {"id": "jaar", "path": ["credentialSubject", "belastingjaar"]},
                    {"id": "klasse", "path": ["credentialSubject", "inkomensklasse"]},
                ],
            },
            {
                "id": "persoon",
                "format": "ldp_vc",
                "meta": {"type_values": [[VC_IRI, NL + "PersoonsgegevensCredential"]]},
                "claims": [{"path": ["credentialSubject", "geslachtsnaam"]}],
            },
        ]
    }
    transaction = verifier.create_request(
        dcql, response_uri=f"{LANDLORD}/oid4vp/response", purpose="Huurwoning Oudegracht 12"
    )
    request = wallet.open_request(transaction.uri)
    assert request.purpose == "Huurwoning Oudegracht 12"
    wallet.send(wallet.present(request))

    (outcome,) = outcomes
    assert outcome.verified, outcome.problems
    (income,) = outcome.presentations["inkomen"][0].credentials
    (person,) = outcome.presentations["persoon"][0].credentials
    subject = income.document["credentialSubject"]
    # Asked: year and class. The issuer makes the rule's frame (not its outcome) mandatory.
    assert set(subject) == {"id", "type", "belastingjaar", "inkomensklasse", "inkomenstoets"}
    assert "onderSocialeHuurgrens" not in subject["inkomenstoets"]
    assert set(person.document["credentialSubject"]) == {"id", "type", "geslachtsnaam"}
    assert [e.event for e in wallet.log()].count("presented") == 2
