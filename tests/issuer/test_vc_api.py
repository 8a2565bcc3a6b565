"""VC API endpoints: issue, verify, derive, verify presentation; bad input is 400, never 500."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from fastapi.testclient import TestClient

from vc_core import KeyPair, did_key
from vc_core.loader import CREDENTIALS_V2_URL, NL_VC_V1_URL
from vc_core.proofs import sign
from vc_core.types import JsonObject
from vc_issuer.issuer import Issuer

from .support import ADMIN, CONFIGURATIONS, DEMO_BSN

UNSIGNED: JsonObject = {
    "@context": [CREDENTIALS_V2_URL, NL_VC_V1_URL],
    "type": ["VerifiableCredential", "InkomensverklaringCredential"],
    "credentialSubject": {
        "type": "Belastingplichtige",
        "belastingjaar": 2024,
        "inkomensklasse": "midden",
    },
}


@pytest.fixture
def issued(client: TestClient) -> JsonObject:
    response = client.post(
        "/credentials/issue",
        json={"credential": UNSIGNED, "options": {"mandatoryPointers": ["/issuer"]}},
        headers=ADMIN,
    )
    assert response.status_code == 201, response.text
    credential: JsonObject = response.json()["verifiableCredential"]
    return credential


def test_issue_uses_the_interop_did_key(issued: JsonObject) -> None:
    assert issued["issuer"].startswith("did:key:zDn")
    assert issued["proof"]["verificationMethod"].startswith(issued["issuer"] + "#")
    assert issued["proof"]["cryptosuite"] == "ecdsa-sd-2023"


def test_issue_needs_the_admin_token_and_our_issuer(client: TestClient) -> None:
    assert client.post("/credentials/issue", json={"credential": UNSIGNED}).status_code == 401
    foreign = {**UNSIGNED, "issuer": "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK"}
    response = client.post("/credentials/issue", json={"credential": foreign}, headers=ADMIN)
    assert response.status_code == 400
    assert response.headers["content-type"] == "application/problem+json"
    undefined = copy.deepcopy(UNSIGNED)
    undefined["credentialSubject"]["jaarinkomen"] = 1
    response = client.post("/credentials/issue", json={"credential": undefined}, headers=ADMIN)
    assert response.status_code == 400
    assert response.json()["title"] == "DATA_LOSS_DETECTION_ERROR"


def test_issue_with_default_pointers_and_rdfc(client: TestClient) -> None:
    for options in ({}, {"cryptosuite": "ecdsa-rdfc-2019"}):
        body = {"credential": UNSIGNED, "options": options}
        response = client.post("/credentials/issue", json=body, headers=ADMIN)
        assert response.status_code == 201, response.text
    rdfc = response.json()["verifiableCredential"]
    assert (
        client.post("/credentials/verify", json={"verifiableCredential": rdfc}).status_code == 200
    )


def test_derive_then_verify(client: TestClient, issued: JsonObject) -> None:
    response = client.post(
        "/credentials/derive",
        json={
            "verifiableCredential": issued,
            "options": {"selectivePointers": ["/credentialSubject/inkomensklasse"]},
        },
    )
    assert response.status_code == 201, response.text
    derived = response.json()
    assert "belastingjaar" not in derived["credentialSubject"]
    result = client.post("/credentials/verify", json={"verifiableCredential": derived})
    assert result.status_code == 200
    assert result.json()["verified"] is True
    assert result.json()["problemDetails"] == []
    tampered = copy.deepcopy(derived)
    tampered["credentialSubject"]["inkomensklasse"] = "laag"
    failed = client.post("/credentials/verify", json={"verifiableCredential": tampered})
    assert failed.status_code == 400
    assert failed.json()["verified"] is False
    assert failed.json()["problemDetails"][0]["title"] == "PROOF_VERIFICATION_ERROR"


def test_verify_reports_revocation_of_our_credentials(client: TestClient, issuer: Issuer) -> None:
    credential = issuer.basis_credential("belastingdienst", DEMO_BSN)
    checks = {"checks": ["proof", "credentialStatus"]}
    body = {"verifiableCredential": credential, "options": checks}
    assert client.post("/credentials/verify", json=body).status_code == 200
    issuer.revoke(credential["id"])
    for options in (checks, {}):
        revoked = client.post("/credentials/verify", json={**body, "options": options})
        assert revoked.status_code == 400
        assert [p["title"] for p in revoked.json()["problemDetails"]] == ["CREDENTIAL_REVOKED"]
    # Asked for the proof only, the verifier leaves the status alone.
    proof_only = {**body, "options": {"checks": ["proof"]}}
    assert client.post("/credentials/verify", json=proof_only).json()["checks"] == [
        "proof",
        "validity",
    ]


def test_presentation_verify(client: TestClient, issuer: Issuer) -> None:
    holder = KeyPair.generate()
    credential = issuer.issue_credential(
        "rdw",
        bsn=DEMO_BSN,
        configuration_id=CONFIGURATIONS["rdw"],
        holder_did=did_key(holder),
    )
    derived = client.post(
        "/credentials/derive",
        json={"verifiableCredential": credential, "options": {"selectivePointers": []}},
    ).json()
    challenge = client.post("/challenges").json()["challenge"]
    presentation = sign(
        {
            "@context": [CREDENTIALS_V2_URL],
            "type": ["VerifiablePresentation"],
            "holder": did_key(holder),
            "verifiableCredential": [derived],
        },
        holder,
        proof_purpose="authentication",
        challenge=challenge,
        domain="verhuur.example.nl",
    )

    def check(options: dict[str, Any], status: int) -> Any:
        body = {"verifiablePresentation": presentation, "options": options}
        response = client.post("/presentations/verify", json=body)
        assert response.status_code == status, response.text
        return response.json()

    verified = check({"challenge": challenge, "domain": "verhuur.example.nl"}, 200)
    assert verified["verified"] is True
    assert verified["errors"] == []
    wrong = check({"challenge": "other", "domain": "verhuur.example.nl"}, 400)
    assert wrong["verified"] is False
    assert wrong["problemDetails"][0]["title"] == "INVALID_CHALLENGE_ERROR"


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/credentials/verify", {}),
        ("/credentials/verify", {"verifiableCredential": "x"}),
        ("/credentials/verify", {"verifiableCredential": {"@context": 1}}),
        ("/credentials/derive", {"verifiableCredential": {}}),
        ("/credentials/derive", {"verifiableCredential": {}, "options": {"selectivePointers": 1}}),
        ("/presentations/verify", {"verifiablePresentation": []}),
        ("/presentations/verify", {"verifiablePresentation": {"type": "x"}}),
        ("/presentations/verify", {"verifiablePresentation": {}, "options": []}),
    ],
)
def test_invalid_input_is_400(client: TestClient, path: str, body: Any) -> None:
    response = client.post(path, json=body)
    assert response.status_code == 400, response.text


def test_status_endpoint(client: TestClient, issuer: Issuer) -> None:
    credential = issuer.basis_credential("duo", DEMO_BSN)
    body = {
        "credentialId": credential["id"],
        "credentialStatus": {"type": "BitstringStatusListEntry", "statusPurpose": "suspension"},
        "status": True,
    }
    assert client.post("/credentials/status", json=body).status_code == 401
    assert client.post("/credentials/status", json=body, headers=ADMIN).status_code == 200
    assert issuer.status_of(credential["id"])["suspension"] == 1
    undo = {**body, "credentialStatus": {"statusPurpose": "revocation"}, "status": False}
    assert client.post("/credentials/status", json=undo, headers=ADMIN).status_code == 400
