"""Basis 2.0 bundles: signed by the sources together, checked offline and online."""

from __future__ import annotations

import copy
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from tests.certified import checker
from tests.issuer.support import DEMO_BSN, client_fetch
from vc_core import KeyPair, sign
from vc_core.certified_copy import BUNDLE_DOMAIN
from vc_core.types import JsonObject
from vc_issuer import Issuer, IssuerSettings
from vc_issuer.web import create_app
from vc_verifier import Verifier


@pytest.fixture(scope="module")
def issuer() -> Issuer:
    return Issuer.from_settings(IssuerSettings.demo(demo_people=20, status_list_ttl_seconds=0))


@pytest.fixture(scope="module")
def bundle(issuer: Issuer) -> JsonObject:
    return issuer.aggregated_bundle(issuer.basis_set(DEMO_BSN))


@pytest.fixture(scope="module")
def did_documents(issuer: Issuer) -> dict[str, JsonObject]:
    return {issuer.settings.issuer_did(s): issuer.did_document(s) for s in issuer.sources}


@pytest.fixture
def offline(issuer: Issuer, did_documents: dict[str, JsonObject]) -> Verifier:
    return checker(issuer, did_documents=did_documents)


@pytest.fixture(scope="module")
def http(issuer: Issuer) -> Iterator[TestClient]:
    with TestClient(create_app(issuer), base_url="https://issuer.example.nl") as client:
        yield client


def test_the_bundle_is_a_presentation_signed_by_every_source(bundle: JsonObject) -> None:
    assert bundle["type"] == ["VerifiablePresentation"]
    assert "holder" not in bundle
    issuers = [c["issuer"] for c in bundle["verifiableCredential"]]
    signers = [p["verificationMethod"].partition("#")[0] for p in bundle["proof"]]
    assert signers == issuers
    assert {p["proofPurpose"] for p in bundle["proof"]} == {"assertionMethod"}
    assert {p["domain"] for p in bundle["proof"]} == {BUNDLE_DOMAIN}
    assert {c["proof"]["cryptosuite"] for c in bundle["verifiableCredential"]} == {
        "ecdsa-rdfc-2019"
    }


def test_the_bundle_checks_out_offline_with_pinned_did_documents(
    offline: Verifier, bundle: JsonObject
) -> None:
    report = offline.check_bundle(bundle)
    assert report.verified, report.problems
    assert report.presentation is not None
    assert len(report.presentation.credentials) == 4
    assert all(c.status_unverified for c in report.presentation.credentials)  # offline
    assert report.presentation.holder.startswith("urn:sha256:")


def test_online_a_revoked_credential_in_the_bundle_is_named(
    issuer: Issuer, http: TestClient
) -> None:
    credentials = issuer.basis_set(DEMO_BSN, ["brp", "rdw"])
    bundle = issuer.aggregated_bundle(credentials)
    online = checker(issuer, fetch=client_fetch(http))
    assert online.check_bundle(bundle).verified
    issuer.revoke(credentials["rdw"]["id"])
    report = checker(issuer, fetch=client_fetch(http)).check_bundle(bundle)
    assert report.codes == ("CREDENTIAL_REVOKED",)
    assert report.problems[0].path.startswith("verifiableCredential[1]")


def test_a_credential_taken_out_breaks_every_proof(offline: Verifier, bundle: JsonObject) -> None:
    fewer = copy.deepcopy(bundle)
    fewer["verifiableCredential"].pop(1)
    report = offline.check_bundle(fewer)
    assert not report.verified
    assert "PROOF_VERIFICATION_ERROR" in report.codes


def test_a_changed_claim_breaks_the_bundle_and_that_credential(
    offline: Verifier, bundle: JsonObject
) -> None:
    changed = copy.deepcopy(bundle)
    changed["verifiableCredential"][1]["credentialSubject"]["belastingjaar"] = 2025
    report = offline.check_bundle(changed)
    assert not report.verified
    paths = {p.path for p in report.problems}
    assert any(path.startswith("verifiableCredential[1]") for path in paths)


def test_a_proof_by_someone_else_is_refused(
    issuer: Issuer, offline: Verifier, bundle: JsonObject
) -> None:
    """The sources sign, nobody else: an extra proof by a stranger's key fails the set."""
    stranger = KeyPair.generate("P-256")
    extra = sign(
        {k: v for k, v in bundle.items() if k != "proof"},
        stranger,
        cryptosuite="ecdsa-rdfc-2019",
        domain=BUNDLE_DOMAIN,
    )
    both = {**bundle, "proof": [*bundle["proof"], extra["proof"]]}
    assert not offline.check_bundle(both).verified
    one_missing = {**bundle, "proof": bundle["proof"][:-1]}
    report = offline.check_bundle(one_missing)
    assert report.codes == ("PROOF_VERIFICATION_ERROR",)
    assert "not by exactly the issuers" in report.problems[0].detail


@pytest.mark.parametrize(
    "bundle_value",
    [None, "text", [], {"type": "VerifiablePresentation"}, {"@context": [], "proof": 1}],
)
def test_hostile_bundles_are_reports(offline: Verifier, bundle_value: object) -> None:
    report = offline.check_bundle(bundle_value)
    assert not report.verified
    assert report.problems
