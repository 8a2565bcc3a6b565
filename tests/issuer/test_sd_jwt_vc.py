"""SD-JWT VC at the sources: configurations, documents, the flow, status, and draft-13 requests."""

from __future__ import annotations

import base64
import hashlib
import json
from typing import Any

import pytest
from fastapi.testclient import TestClient

from vc_core import KeyPair
from vc_core.hazmat.sd_jwt import parse_sd_jwt
from vc_core.sd_jwt import DidWebKeys, IssuerMetadataKeys, VerifiedSdJwtVc, verify_sd_jwt_vc
from vc_core.status import check_token_status
from vc_issuer.issuer import Issuer
from vc_issuer.sd_jwt_vc import always_disclosed_paths, disclosable_paths, sd_jwt_vc_twin
from vc_issuer.sources import default_sources

from .issuer_wallet import Session, TestWallet, proof_jwt
from .support import (
    ADMIN,
    BASE_URL,
    CONFIGURATIONS,
    REVIEW_BSN,
    SD_JWT_CONFIGURATIONS,
    VCTS,
    assert_error,
    client_fetch,
    make_offer,
)


def opened(client: TestClient, wallet: TestWallet, source: str, bsn: str | None = None) -> Session:
    """An SD-JWT VC offer of ``source`` redeemed for an access token."""
    extra = {} if bsn is None else {"bsn": bsn}
    offer = make_offer(client, source, configuration_id=SD_JWT_CONFIGURATIONS[source], **extra)
    session = wallet.open(offer["offer_uri"])
    assert wallet.token(session, offer["tx_code"]).status_code == 200
    return session


def holder_check(client: TestClient, source: str, issued: str) -> VerifiedSdJwtVc:
    """What a wallet checks on receipt: the issuer key from JWT VC Issuer Metadata."""
    keys = IssuerMetadataKeys(client_fetch(client), issuers=[f"{BASE_URL}/{source}"])
    return verify_sd_jwt_vc(issued, key_resolver=keys)


def status_of(client: TestClient, verified: VerifiedSdJwtVc) -> str:
    assert verified.status is not None
    keys = DidWebKeys(
        [f"did:web:issuer.example.nl:{verified.issuer.rsplit('/')[-1]}"], fetch=client_fetch(client)
    )
    return check_token_status(
        verified.status, issuer=verified.issuer, key_resolver=keys, fetch=client_fetch(client)
    ).name


# --- configurations and documents --------------------------------------------------------------


def test_every_configuration_has_an_sd_jwt_vc_twin_in_the_metadata(client: TestClient) -> None:
    for source, twin_id in SD_JWT_CONFIGURATIONS.items():
        metadata = client.get(f"/.well-known/openid-credential-issuer/{source}").json()
        supported = metadata["credential_configurations_supported"]
        assert set(supported) == {CONFIGURATIONS[source], twin_id}
        twin = supported[twin_id]
        assert twin["format"] == "dc+sd-jwt"
        assert twin["vct"] == VCTS[source]
        assert twin["cryptographic_binding_methods_supported"] == ["jwk"]
        assert twin["credential_signing_alg_values_supported"] == ["ES256"]
        assert "credential_definition" not in twin
        paths = [claim["path"] for claim in twin["credential_metadata"]["claims"]]
        assert all(path[0] != "credentialSubject" for path in paths)
        ldp_paths = [
            claim["path"][1:]
            for claim in supported[CONFIGURATIONS[source]]["credential_metadata"]["claims"]
        ]
        assert paths == ldp_paths


@pytest.mark.parametrize("source", sorted(VCTS))
def test_type_metadata_is_served_at_the_vct_with_its_integrity(
    client: TestClient, wallet: TestWallet, source: str
) -> None:
    response = client.get(VCTS[source])
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    document = response.json()
    assert document["vct"] == VCTS[source]
    assert [entry["locale"] for entry in document["display"]] == ["nl-NL", "en-US"]
    assert {"path", "display", "sd"} <= set(document["claims"][0])
    labels = {entry["locale"] for claim in document["claims"] for entry in claim["display"]}
    assert labels == {"nl-NL", "en-US"}
    issued = wallet.request_copies(opened(client, wallet, source)).json()["credentials"][0]
    payload = parse_sd_jwt(issued["credential"]).jws.payload
    digest = base64.b64encode(hashlib.sha256(response.content).digest()).decode()
    assert payload["vct#integrity"] == f"sha256-{digest}"
    assert client.get(VCTS[source]).content == response.content  # the same bytes every time


def test_always_disclosed_claims_are_marked_never_selectively_disclosable(
    client: TestClient,
) -> None:
    document = client.get(VCTS["belastingdienst"]).json()
    sd = {tuple(claim["path"]): claim["sd"] for claim in document["claims"]}
    assert sd[("belastingjaar",)] == "never"
    assert sd[("inkomenstoets",)] == "never"  # it holds the rule, year and household size
    assert sd[("verzamelinkomen",)] == "always"
    assert client.get("/belastingdienst/vct/DiplomaCredential").status_code == 404
    assert client.get("/nope/vct/InkomensverklaringCredential").status_code == 404


def test_disclosable_paths_follow_the_always_disclosed_pointers() -> None:
    sources = default_sources()
    twin = sd_jwt_vc_twin(
        sources["belastingdienst"].configurations[CONFIGURATIONS["belastingdienst"]]
    )
    assert always_disclosed_paths(twin) == {
        ("belastingjaar",),
        ("inkomenstoets",),
        ("inkomenstoets", "regel"),
        ("inkomenstoets", "regelJaar"),
        ("inkomenstoets", "huishoudgrootte"),
    }
    claims = {
        "belastingjaar": 2024,
        "verzamelinkomen": {"value": "1.00", "currency": "EUR"},
        "inkomenstoets": {"regel": "r", "onderSocialeHuurgrens": True},
        "lijst": ["a", {"b": 1}],
    }
    assert disclosable_paths(claims, twin) == [
        ["verzamelinkomen"],
        ["verzamelinkomen", "value"],
        ["verzamelinkomen", "currency"],
        ["inkomenstoets", "onderSocialeHuurgrens"],
        ["lijst"],
        ["lijst", 0],
        ["lijst", 1],
        ["lijst", 1, "b"],
    ]


def test_jwt_vc_issuer_metadata_lists_every_key_by_its_did_url(
    issuer: Issuer, client: TestClient
) -> None:
    response = client.get("/.well-known/jwt-vc-issuer/rdw")
    assert response.status_code == 200
    metadata = response.json()
    assert metadata["issuer"] == f"{BASE_URL}/rdw"
    kids = [key["kid"] for key in metadata["jwks"]["keys"]]
    did = issuer.did_document("rdw")
    assert kids == [method["id"] for method in did["verificationMethod"]]
    assert client.get("/.well-known/jwt-vc-issuer/nope").status_code == 404


# --- issuance ------------------------------------------------------------------------------------


@pytest.mark.parametrize("source", sorted(SD_JWT_CONFIGURATIONS))
def test_full_flow_for_each_source(client: TestClient, wallet: TestWallet, source: str) -> None:
    session = opened(client, wallet, source)
    response = wallet.request_copies(session, 1)
    assert response.status_code == 200, response.text
    (item,) = response.json()["credentials"]
    issued = item["credential"]
    assert isinstance(issued, str)
    assert issued.endswith("~")
    verified = holder_check(client, source, issued)
    assert verified.vct == VCTS[source]
    assert verified.holder_key == session.keys[0].public
    assert verified.id is not None
    assert verified.id.startswith("urn:uuid:")
    assert verified.valid_until is not None
    assert "type" not in json.dumps(verified.claims)
    header = parse_sd_jwt(issued).jws.header
    assert header["typ"] == "dc+sd-jwt"
    assert header["kid"].startswith(f"did:web:issuer.example.nl:{source}#key-")
    assert status_of(client, verified) == "VALID"


def test_batch_gives_copies_each_bound_to_its_key_with_its_own_status_entry(
    client: TestClient, wallet: TestWallet
) -> None:
    session = opened(client, wallet, "belastingdienst")
    response = wallet.request_copies(session, 3)
    issued = [item["credential"] for item in response.json()["credentials"]]
    verified = [holder_check(client, "belastingdienst", one) for one in issued]
    assert [v.holder_key for v in verified] == [key.public for key in session.keys]
    assert len({v.status for v in verified}) == 3
    assert len({v.id for v in verified}) == 3


def test_revoke_suspend_and_reinstate_through_the_admin_api(
    client: TestClient, wallet: TestWallet
) -> None:
    session = opened(client, wallet, "rdw")
    issued = wallet.request_copies(session, 1).json()["credentials"][0]["credential"]
    verified = holder_check(client, "rdw", issued)
    admin = f"/admin/credentials/{verified.id}"
    suspended = client.post(f"{admin}/suspend", headers=ADMIN).json()
    assert suspended["status"] == {"revocation": 0, "suspension": 1}
    assert status_of(client, verified) == "SUSPENDED"
    assert client.post(f"{admin}/reinstate", headers=ADMIN).json()["status"]["suspension"] == 0
    assert status_of(client, verified) == "VALID"
    assert client.post(f"{admin}/revoke", headers=ADMIN).json()["status"]["revocation"] == 1
    assert status_of(client, verified) == "INVALID"
    # Revoked is for good: suspending or reinstating changes nothing.
    client.post(f"{admin}/suspend", headers=ADMIN)
    client.post(f"{admin}/reinstate", headers=ADMIN)
    assert status_of(client, verified) == "INVALID"
    assert client.get(admin, headers=ADMIN).json()["status"] == {"revocation": 1, "suspension": 0}


def test_the_token_status_list_is_a_signed_jwt_with_caching_headers(
    client: TestClient, wallet: TestWallet
) -> None:
    session = opened(client, wallet, "duo")
    issued = wallet.request_copies(session, 1).json()["credentials"][0]["credential"]
    reference = holder_check(client, "duo", issued).status
    assert reference is not None
    assert reference.uri.startswith(f"{BASE_URL}/duo/status/token/")
    response = client.get(reference.uri)
    assert response.headers["content-type"] == "application/statuslist+jwt"
    assert response.headers["cache-control"].startswith("public, max-age=")
    header = json.loads(base64.urlsafe_b64decode(response.text.split(".")[0] + "=="))
    assert header["typ"] == "statuslist+jwt"
    assert header["kid"].startswith("did:web:issuer.example.nl:duo#key-")
    assert client.get("/duo/status/token/999").status_code == 404
    assert client.get("/duo/status/token/x").status_code == 404


def test_deferred_issuance_and_notification_work_the_same(
    client: TestClient, wallet: TestWallet
) -> None:
    session = opened(client, wallet, "duo", REVIEW_BSN)
    deferred = wallet.request_copies(session, 2)
    assert deferred.status_code == 202, deferred.text
    pending = client.get("/admin/deferred", headers=ADMIN).json()["pending"]
    (review,) = [
        p
        for p in pending
        if p["credential_configuration_id"] == SD_JWT_CONFIGURATIONS["duo"] and p["copies"] == 2
    ]
    client.post(f"/admin/deferred/{review['id']}/approve", headers=ADMIN).raise_for_status()
    done = client.post(
        session.metadata["deferred_credential_endpoint"],
        json={"transaction_id": deferred.json()["transaction_id"]},
        headers=session.auth,
    )
    assert done.status_code == 200, done.text
    issued = [item["credential"] for item in done.json()["credentials"]]
    assert [holder_check(client, "duo", one).holder_key for one in issued] == [
        key.public for key in session.keys
    ]
    notified = client.post(
        session.metadata["notification_endpoint"],
        json={"notification_id": done.json()["notification_id"], "event": "credential_accepted"},
        headers=session.auth,
    )
    assert notified.status_code == 204


def test_an_offer_of_one_format_does_not_yield_the_other(
    client: TestClient, wallet: TestWallet
) -> None:
    session = opened(client, wallet, "belastingdienst")
    key = KeyPair.generate("P-256")
    body = {
        "credential_configuration_id": CONFIGURATIONS["belastingdienst"],
        "proofs": {"jwt": [proof_jwt(key, audience=session.issuer, nonce=wallet.nonce(session))]},
    }
    assert_error(wallet.request(session, body), 400, "credential_request_denied")


# --- draft-13 requests (the NL Wallet's shapes) ---------------------------------------------------


def draft13(session: Session, wallet: TestWallet, **request: Any) -> Any:
    key = KeyPair.generate("P-256")
    session.keys = [key]
    jwt = proof_jwt(key, audience=session.issuer, nonce=wallet.nonce(session))
    return wallet.request(session, {**request, "proof": {"proof_type": "jwt", "jwt": jwt}})


@pytest.mark.parametrize("name", ["vc+sd-jwt", "dc+sd-jwt"])
def test_draft13_sd_jwt_request_by_format_and_vct(
    client: TestClient, wallet: TestWallet, name: str
) -> None:
    session = opened(client, wallet, "rdw")
    response = draft13(session, wallet, format=name, vct=VCTS["rdw"])
    assert response.status_code == 200, response.text
    body = response.json()
    assert "credentials" not in body
    assert holder_check(client, "rdw", body["credential"]).holder_key == session.keys[0].public
    assert isinstance(body["notification_id"], str)


def test_draft13_ldp_vc_request_by_credential_definition(
    client: TestClient, wallet: TestWallet
) -> None:
    offer = make_offer(client, "brp")
    session = wallet.open(offer["offer_uri"])
    wallet.token(session, offer["tx_code"]).raise_for_status()
    definition = {"type": ["PersoonsgegevensCredential", "VerifiableCredential"]}
    response = draft13(session, wallet, format="ldp_vc", credential_definition=definition)
    assert response.status_code == 200, response.text
    assert response.json()["credential"]["type"][-1] == "PersoonsgegevensCredential"


def test_draft13_proof_with_a_configuration_id(client: TestClient, wallet: TestWallet) -> None:
    session = opened(client, wallet, "brp")
    response = draft13(session, wallet, credential_configuration_id=SD_JWT_CONFIGURATIONS["brp"])
    assert response.status_code == 200, response.text
    assert isinstance(response.json()["credential"], str)


@pytest.mark.parametrize(
    ("request_body", "error"),
    [
        ({"format": "mso_mdoc", "doctype": "x"}, "unsupported_credential_format"),
        (
            {"format": "vc+sd-jwt", "vct": f"{BASE_URL}/rdw/vct/Other"},
            "unsupported_credential_type",
        ),
        ({"format": "vc+sd-jwt", "vct": VCTS["duo"]}, "unsupported_credential_type"),
        ({"format": "vc+sd-jwt"}, "invalid_credential_request"),
        ({"format": "ldp_vc", "credential_definition": {}}, "invalid_credential_request"),
        (
            {"format": "ldp_vc", "credential_definition": {"type": ["VerifiableCredential"]}},
            "unsupported_credential_type",
        ),
        (
            {"format": "vc+sd-jwt", "vct": VCTS["rdw"], "credential_configuration_id": "x"},
            "invalid_credential_request",
        ),
    ],
)
def test_draft13_requests_are_checked_like_any_other(
    client: TestClient, wallet: TestWallet, request_body: dict[str, Any], error: str
) -> None:
    session = opened(client, wallet, "rdw")
    assert_error(draft13(session, wallet, **request_body), 400, error)


@pytest.mark.parametrize(
    ("proof", "error"),
    [
        ({"proof_type": "ldp_vp", "ldp_vp": {}}, "invalid_proof"),
        ({"proof_type": "jwt"}, "invalid_proof"),
        ("eyJ.e30.x", "invalid_proof"),
        ({"proof_type": "jwt", "jwt": "eyJ.e30.x"}, "invalid_proof"),
    ],
)
def test_draft13_proof_objects_are_checked(
    client: TestClient, wallet: TestWallet, proof: object, error: str
) -> None:
    session = opened(client, wallet, "rdw")
    body = {"format": "vc+sd-jwt", "vct": VCTS["rdw"], "proof": proof}
    assert_error(wallet.request(session, body), 400, error)
    both = {**body, "proof": {"proof_type": "jwt", "jwt": "x"}, "proofs": {"jwt": ["x"]}}
    assert_error(wallet.request(session, both), 400, "invalid_credential_request")
