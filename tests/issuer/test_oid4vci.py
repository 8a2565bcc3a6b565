"""OpenID4VCI 1.0 through the HTTP API: the pre-authorized flow and every refusal."""

from __future__ import annotations

import base64
import json
import re
import time
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text

from vc_core.did import did_key
from vc_core.jws import sign_jws
from vc_core.keys import KeyPair
from vc_core.proofs import derive, verify
from vc_core.types import JsonObject
from vc_issuer.issuer import Issuer
from vc_issuer.web import create_app
from vc_issuer.web.wallet_flow import answered_route

from .issuer_wallet import PRE_AUTHORIZED_GRANT, PROOF_TYP, Session, TestWallet, proof_jwt
from .support import (
    ADMIN,
    BASE_URL,
    CONFIGURATIONS,
    DEMO_BSN,
    NOBODY_BSN,
    REVIEW_BSN,
    assert_error,
    client_fetch,
    make_offer,
)


@pytest.fixture
def session(client: TestClient, wallet: TestWallet) -> Session:
    """An income-statement offer redeemed for an access token."""
    offer = make_offer(client, "belastingdienst")
    opened = wallet.open(offer["offer_uri"])
    assert wallet.token(opened, offer["tx_code"]).status_code == 200
    return opened


@pytest.mark.parametrize("source", sorted(CONFIGURATIONS))
def test_full_pre_authorized_flow_for_each_source(
    client: TestClient, wallet: TestWallet, source: str
) -> None:
    offer = make_offer(client, source)
    session = wallet.open(offer["offer_uri"])
    assert session.configuration_id == CONFIGURATIONS[source]
    assert wallet.token(session, offer["tx_code"]).status_code == 200
    response = wallet.request_copies(session, 1)
    assert response.status_code == 200, response.text
    assert response.headers["cache-control"] == "no-store"
    (item,) = response.json()["credentials"]
    credential = item["credential"]
    assert credential["issuer"] == f"did:web:issuer.example.nl:{source}"
    assert credential["credentialSubject"]["id"] == did_key(session.keys[0])
    assert credential["proof"]["cryptosuite"] == "ecdsa-sd-2023"
    assert credential["proof"]["proofValue"].startswith("u2V0A")
    assert [s["statusPurpose"] for s in credential["credentialStatus"]] == [
        "revocation",
        "suspension",
    ]
    # The holder can disclose the mandatory claims only, and a verifier accepts them
    # after resolving the issuer's did:web through the app.
    shown = derive(credential, selective_pointers=[])
    verified = verify(shown, fetch=client_fetch(client))
    assert verified.document["credentialSubject"]["id"] == did_key(session.keys[0])


def test_metadata_is_served_at_both_well_known_paths(client: TestClient) -> None:
    inserted = client.get("/.well-known/openid-credential-issuer/belastingdienst").json()
    appended = client.get("/belastingdienst/.well-known/openid-credential-issuer").json()
    assert inserted == appended
    assert inserted["credential_issuer"] == f"{BASE_URL}/belastingdienst"
    assert inserted["batch_credential_issuance"] == {"batch_size": 10}
    configuration = inserted["credential_configurations_supported"][
        CONFIGURATIONS["belastingdienst"]
    ]
    assert configuration["format"] == "ldp_vc"
    assert configuration["proof_types_supported"]["jwt"]["proof_signing_alg_values_supported"] == [
        "ES256",
        "EdDSA",
    ]
    server = client.get("/.well-known/oauth-authorization-server/belastingdienst").json()
    assert server == client.get("/belastingdienst/.well-known/oauth-authorization-server").json()
    assert server["issuer"] == f"{BASE_URL}/belastingdienst"
    assert server["pre-authorized_grant_anonymous_access_supported"] is True
    assert client.get("/.well-known/openid-credential-issuer/nope").status_code == 404


def test_metadata_encoded_once_is_the_services_document(client: TestClient) -> None:
    """Every fetch, the first and later ones, at both paths, is the document the service
    builds now; an unknown source stays 404 (nothing is kept for it)."""
    service = client.app.state.service  # type: ignore[attr-defined]
    for source in sorted(CONFIGURATIONS):
        for path, document in (
            (f"/.well-known/openid-credential-issuer/{source}", service.issuer_metadata),
            (f"/{source}/.well-known/openid-credential-issuer", service.issuer_metadata),
            (
                f"/.well-known/oauth-authorization-server/{source}",
                service.authorization_server_metadata,
            ),
            (
                f"/{source}/.well-known/oauth-authorization-server",
                service.authorization_server_metadata,
            ),
        ):
            for _ in range(2):
                response = client.get(path)
                assert response.status_code == 200
                assert response.headers["content-type"] == "application/json"
                assert response.json() == document(source)
    for _ in range(2):
        assert client.get("/.well-known/oauth-authorization-server/nope").status_code == 404


def test_offer_by_reference_is_no_store_and_gone_after_redemption(
    client: TestClient, wallet: TestWallet
) -> None:
    offer = make_offer(client, "rdw")
    url = offer["credential_offer_uri"]
    first = client.get(url)
    assert first.status_code == 200
    assert first.headers["cache-control"] == "no-store"
    assert first.json()["grants"][PRE_AUTHORIZED_GRANT]["tx_code"]["length"] == 6
    session = wallet.open(offer["offer_uri"])
    assert wallet.token(session, offer["tx_code"]).status_code == 200
    gone = client.get(url)
    assert gone.status_code == 404
    assert gone.headers["content-type"] == "application/problem+json"


def test_five_wrong_tx_codes_lock_the_code(client: TestClient, wallet: TestWallet) -> None:
    offer = make_offer(client, "belastingdienst")
    session = wallet.open(offer["offer_uri"])
    wrong = "000000" if offer["tx_code"] != "000000" else "111111"
    for attempt in range(1, 5):
        response = wallet.token(session, wrong)
        assert_error(response, 400, "invalid_grant")
        assert f"{5 - attempt} tries left" in response.json()["error_description"]
    assert "locked" in wallet.token(session, wrong).json()["error_description"]
    assert_error(wallet.token(session, offer["tx_code"]), 400, "invalid_grant")


def test_replayed_pre_authorized_code_is_refused(client: TestClient, wallet: TestWallet) -> None:
    offer = make_offer(client, "duo")
    session = wallet.open(offer["offer_uri"])
    assert wallet.token(session, offer["tx_code"]).status_code == 200
    assert_error(wallet.token(session, offer["tx_code"]), 400, "invalid_grant")


def test_token_request_checks_tx_code_presence_and_grant(
    client: TestClient, wallet: TestWallet
) -> None:
    offer = make_offer(client, "brp")
    session = wallet.open(offer["offer_uri"])
    assert_error(wallet.token(session, None), 400, "invalid_request")
    response = client.post(
        session.token_endpoint, data={"grant_type": "authorization_code", "code": "x"}
    )
    assert_error(response, 400, "unsupported_grant_type")
    assert_error(wallet.token(session, "123456", code="not-a-code"), 400, "invalid_grant")
    token = wallet.token(session, offer["tx_code"])
    assert token.status_code == 200
    assert token.headers["cache-control"] == "no-store"
    assert token.json()["token_type"] == "Bearer"
    assert "c_nonce" not in token.json()


def test_replayed_nonce_is_refused(session: Session, wallet: TestWallet) -> None:
    nonce = wallet.nonce(session)
    key = KeyPair.generate()

    def request() -> Any:
        proof = proof_jwt(key, audience=session.issuer, nonce=nonce)
        body = {"credential_configuration_id": session.configuration_id, "proofs": {"jwt": [proof]}}
        return wallet.request(session, body)

    assert request().status_code == 200
    assert_error(request(), 400, "invalid_nonce")


def _alg_none(key: KeyPair, claims: JsonObject) -> str:
    def part(value: JsonObject) -> str:
        return base64.urlsafe_b64encode(json.dumps(value).encode()).decode().rstrip("=")

    header = {"alg": "none", "typ": PROOF_TYP, "kid": f"{did_key(key)}#{key.public.multibase}"}
    return f"{part(header)}.{part(claims)}."


def _private_jwk(key: KeyPair, claims: JsonObject) -> str:
    jwk = dict(key.public.to_jwk())
    jwk["d"] = base64.urlsafe_b64encode(key.secret_bytes).decode().rstrip("=")
    token = sign_jws(claims, key, typ=PROOF_TYP, include_jwk=True)
    header = {"alg": "ES256", "typ": PROOF_TYP, "jwk": jwk}
    encoded = base64.urlsafe_b64encode(json.dumps(header).encode()).decode().rstrip("=")
    return encoded + token[token.index(".") :]


BAD_PROOFS: dict[str, tuple[str, dict[str, Any]]] = {
    "wrong_aud": ("invalid_proof", {"audience": f"{BASE_URL}/rdw"}),
    "wrong_typ": ("invalid_proof", {"typ": "JWT"}),
    "old_iat": ("invalid_proof", {"iat": int(time.time()) - 3600}),
    "future_iat": ("invalid_proof", {"iat": int(time.time()) + 3600}),
    "no_nonce": ("invalid_proof", {"nonce": None}),
    "with_iss": ("invalid_proof", {"extra_claims": {"iss": "wallet"}}),
    "forged_nonce": (
        "invalid_nonce",
        {"nonce": "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"},
    ),
}


@pytest.mark.parametrize("case", sorted(BAD_PROOFS))
def test_bad_proof_jwt_is_refused(session: Session, wallet: TestWallet, case: str) -> None:
    error, options = BAD_PROOFS[case]
    nonce = wallet.nonce(session)
    key = KeyPair.generate()
    arguments: dict[str, Any] = {"audience": session.issuer, "nonce": nonce} | options
    body = {
        "credential_configuration_id": session.configuration_id,
        "proofs": {"jwt": [proof_jwt(key, **arguments)]},
    }
    assert_error(wallet.request(session, body), 400, error)


@pytest.mark.parametrize("forge", [_alg_none, _private_jwk], ids=["alg_none", "d_in_jwk"])
def test_forged_proof_headers_are_refused(session: Session, wallet: TestWallet, forge: Any) -> None:
    claims = {"aud": session.issuer, "iat": int(time.time()), "nonce": wallet.nonce(session)}
    body = {
        "credential_configuration_id": session.configuration_id,
        "proofs": {"jwt": [forge(KeyPair.generate(), claims)]},
    }
    assert_error(wallet.request(session, body), 400, "invalid_proof")


def test_stale_nonce_is_refused(issuer: Issuer, session: Session, wallet: TestWallet) -> None:
    service_app = create_app(issuer)
    old = datetime.now(UTC) - timedelta(minutes=6)
    stale = service_app.state.service.nonces.issue(source="belastingdienst", clock=lambda: old)
    proof = proof_jwt(KeyPair.generate(), audience=session.issuer, nonce=stale)
    body = {"credential_configuration_id": session.configuration_id, "proofs": {"jwt": [proof]}}
    response = wallet.request(session, body)
    assert_error(response, 400, "invalid_nonce")
    assert "expired" in response.json()["error_description"]


def test_expired_offer_is_refused(issuer: Issuer, client: TestClient) -> None:
    offer = make_offer(client, "belastingdienst")
    later = datetime.now(UTC) + timedelta(minutes=11)
    with TestClient(create_app(issuer, clock=lambda: later), base_url=BASE_URL) as future:
        assert future.get(offer["credential_offer_uri"]).status_code == 410
        code = client.get(offer["credential_offer_uri"]).json()["grants"][PRE_AUTHORIZED_GRANT]
        response = future.post(
            "/belastingdienst/token",
            data={
                "grant_type": PRE_AUTHORIZED_GRANT,
                "pre-authorized_code": code["pre-authorized_code"],
                "tx_code": offer["tx_code"],
            },
        )
        assert_error(response, 400, "invalid_grant")
        assert "expired" in response.json()["error_description"]


def test_batch_issuance_gives_independent_bound_credentials(
    session: Session, wallet: TestWallet
) -> None:
    response = wallet.request_copies(session, 3)
    assert response.status_code == 200, response.text
    credentials = [item["credential"] for item in response.json()["credentials"]]
    assert [c["credentialSubject"]["id"] for c in credentials] == [did_key(k) for k in session.keys]
    assert len({c["id"] for c in credentials}) == 3
    assert len({c["proof"]["proofValue"] for c in credentials}) == 3
    indexes = {s["statusListIndex"] for c in credentials for s in c["credentialStatus"]}
    assert len(indexes) == 6


def test_batch_limit_per_request_and_per_offer(session: Session, wallet: TestWallet) -> None:
    assert_error(wallet.request_copies(session, 11), 400, "invalid_credential_request")
    assert wallet.request_copies(session, 10).status_code == 200
    assert_error(wallet.request_copies(session, 1), 400, "credential_request_denied")


def test_jwk_and_eddsa_holder_keys_are_bound_as_did_key(
    session: Session, wallet: TestWallet
) -> None:
    nonce = wallet.nonce(session)
    ed25519, p256 = KeyPair.generate("Ed25519"), KeyPair.generate("P-256")
    proofs = [
        proof_jwt(ed25519, audience=session.issuer, nonce=nonce),
        proof_jwt(p256, audience=session.issuer, nonce=nonce, use_jwk=True),
    ]
    body = {"credential_configuration_id": session.configuration_id, "proofs": {"jwt": proofs}}
    response = wallet.request(session, body)
    assert response.status_code == 200, response.text
    holders = [c["credential"]["credentialSubject"]["id"] for c in response.json()["credentials"]]
    assert holders == [did_key(ed25519), did_key(p256)]
    assert holders[0].startswith("did:key:z6Mk")


@pytest.mark.parametrize(
    ("body", "error"),
    [
        (
            {"credential_configuration_id": "Nope_ldp_vc", "proofs": {"jwt": ["x"]}},
            "unknown_credential_configuration",
        ),
        ({"credential_identifier": "x", "proofs": {"jwt": ["x"]}}, "unknown_credential_identifier"),
        (
            {
                "credential_configuration_id": CONFIGURATIONS["belastingdienst"],
                "proof": {"proof_type": "jwt", "jwt": "x"},
            },
            "invalid_proof",
        ),
        ({"credential_configuration_id": CONFIGURATIONS["belastingdienst"]}, "invalid_proof"),
        (
            {
                "credential_configuration_id": CONFIGURATIONS["belastingdienst"],
                "proofs": {"di_vp": [{}]},
            },
            "invalid_proof",
        ),
        (
            {
                "credential_configuration_id": CONFIGURATIONS["belastingdienst"],
                "proofs": {"jwt": []},
            },
            "invalid_proof",
        ),
        (["not", "an", "object"], "invalid_credential_request"),
    ],
    ids=[
        "unknown_config",
        "identifier",
        "draft13_singular_proof_checked_like_proofs",
        "no_proofs",
        "other_type",
        "empty",
        "array",
    ],
)
def test_malformed_credential_requests(
    session: Session, wallet: TestWallet, body: Any, error: str
) -> None:
    assert_error(wallet.request(session, body), 400, error)


def test_bad_bodies_get_400_never_422(client: TestClient, session: Session) -> None:
    endpoint = session.metadata["credential_endpoint"]
    not_json = client.post(
        endpoint, content=b"{oops", headers={**session.auth, "Content-Type": "application/json"}
    )
    assert_error(not_json, 400, "invalid_credential_request")
    assert_error(client.post(endpoint, headers=session.auth), 400, "invalid_credential_request")
    token_as_json = client.post("/belastingdienst/token", json={"grant_type": PRE_AUTHORIZED_GRANT})
    assert_error(token_as_json, 400, "invalid_request")
    notification = client.post("/belastingdienst/notification", content=b"[", headers=session.auth)
    assert_error(notification, 400, "invalid_notification_request")
    admin = client.post("/admin/rdw/offers", json={"bsn": "12"}, headers=ADMIN)
    assert admin.status_code == 400
    assert admin.headers["content-type"] == "application/problem+json"


def test_form_parameters_and_json_members_come_once(client: TestClient, session: Session) -> None:
    form = {"Content-Type": "application/x-www-form-urlencoded"}
    twice = client.post(
        "/belastingdienst/token",
        content=f"grant_type={PRE_AUTHORIZED_GRANT}&grant_type=x".encode(),
        headers=form,
    )
    assert_error(twice, 400, "invalid_request")
    duplicate = client.post(
        session.metadata["credential_endpoint"],
        content=b'{"credential_configuration_id": "a", "credential_configuration_id": "b"}',
        headers={**session.auth, "Content-Type": "application/json"},
    )
    assert_error(duplicate, 400, "invalid_credential_request")


def test_the_operators_offer_request_is_checked_like_before(client: TestClient) -> None:
    """The admin token first, then the query and a strict JSON body; each refusal a 400
    ``PARSING_ERROR`` problem that says where."""
    json_type = {"Content-Type": "application/json"}
    unauthorized = client.post("/admin/rdw/offers", content=b"{", headers=json_type)
    assert unauthorized.status_code == 401
    assert unauthorized.json()["code"] == "UNAUTHORIZED"
    for query, content, headers, where in (
        ("", b'{"bsn": "12"}', json_type, "body.bsn: "),
        (
            "",
            b'{"bsn": "%s", "bsn": "%s"}' % (DEMO_BSN.encode(), DEMO_BSN.encode()),
            json_type,
            "body",
        ),
        ("", b'{"bsn": "%s", "tx_code": NaN}' % DEMO_BSN.encode(), json_type, "body"),
        ("", b"[]", json_type, "body: "),
        ("", b"{" * 5000, json_type, "body"),
        ("", b"\xff", json_type, "body"),
        ("", b"bsn=%s" % DEMO_BSN.encode(), {"Content-Type": "text/plain"}, "body"),
        ("", b'{"bsn": "%s"}' % DEMO_BSN.encode(), {}, "body"),
        ("?qr=perhaps", b'{"bsn": "%s"}' % DEMO_BSN.encode(), json_type, "query.qr: "),
    ):
        response = client.post(
            "/admin/rdw/offers" + query, content=content, headers={**ADMIN, **headers}
        )
        assert response.status_code == 400, (query, content[:20], response.text)
        assert response.headers["content-type"] == "application/problem+json"
        assert response.json()["code"] == "PARSING_ERROR"
        assert response.json()["detail"].startswith(where), response.json()
    plain = client.post("/admin/rdw/offers?qr=false", json={"bsn": DEMO_BSN}, headers=ADMIN)
    assert plain.status_code == 201
    assert plain.headers["cache-control"] == "no-store"
    assert plain.json()["qr_svg"] is None
    with_qr = client.post(
        "/admin/rdw/offers?qr=true",
        content=json.dumps({"bsn": DEMO_BSN, "tx_code": "123456", "note": "allowed"}),
        headers={**ADMIN, "Content-Type": "application/vnd.example+json; charset=utf-8"},
    )
    assert with_qr.status_code == 201
    assert with_qr.json()["qr_svg"].startswith("<svg")
    assert with_qr.json()["tx_code"] == "123456"


def test_another_method_on_a_wallet_path_gets_405_with_allow(client: TestClient) -> None:
    for method, path, allow in (
        ("GET", "/admin/rdw/offers", "POST"),
        ("GET", "/rdw/token", "POST"),
        ("PUT", "/rdw/credential", "POST"),
        ("POST", "/.well-known/openid-credential-issuer/rdw", "GET"),
        ("DELETE", "/rdw/status/revocation/1", "GET"),
    ):
        response = client.request(method, path)
        assert response.status_code == 405, (method, path)
        assert response.headers["allow"] == allow
        assert response.headers["content-type"] == "application/problem+json"


def test_the_wallet_flow_answers_only_its_own_routes(client: TestClient) -> None:
    """Every documented operation is answered by the route it documents: a new route
    with the shape of a wallet-flow path would otherwise never be reached."""
    documented = client.get("/openapi.json").json()["paths"]
    answered = set()
    for template, item in documented.items():
        path = re.sub(r"\{[^/{}]+\}", "x1", template)
        for method in item:
            route = answered_route(method.upper(), path)
            assert route in (None, template), (method, template, route)
            if route is not None:
                answered.add((method.upper(), route))
    assert ("POST", "/{source}/credential") in answered
    assert ("GET", "/{source}/status/{purpose}/{number}") in answered
    assert ("POST", "/admin/{source}/offers") in answered
    assert len(answered) == 12


def test_bad_access_token_gets_401_with_www_authenticate(
    client: TestClient, session: Session
) -> None:
    body = {"credential_configuration_id": session.configuration_id, "proofs": {"jwt": ["x"]}}
    for headers in ({}, {"Authorization": "Bearer nope"}, {"Authorization": "Basic x"}):
        response = client.post(session.metadata["credential_endpoint"], json=body, headers=headers)
        assert_error(response, 401, "invalid_token")
        assert response.headers["www-authenticate"].startswith('Bearer error="invalid_token"')
    other_source = client.post("/rdw/credential", json=body, headers=session.auth)
    assert_error(other_source, 401, "invalid_token")


def test_offer_for_a_citizen_without_data_is_404(client: TestClient) -> None:
    response = client.post("/admin/rdw/offers", json={"bsn": NOBODY_BSN}, headers=ADMIN)
    assert response.status_code == 404
    assert response.json()["code"] == "NOT_FOUND"


def test_deferred_issuance_after_manual_review(client: TestClient, wallet: TestWallet) -> None:
    offer = make_offer(client, "duo", REVIEW_BSN)
    session = wallet.open(offer["offer_uri"])
    assert wallet.token(session, offer["tx_code"]).status_code == 200
    deferred = wallet.request_copies(session, 2)
    assert deferred.status_code == 202, deferred.text
    transaction = deferred.json()["transaction_id"]
    assert deferred.json()["interval"] > 0
    endpoint = session.metadata["deferred_credential_endpoint"]
    poll = client.post(endpoint, json={"transaction_id": transaction}, headers=session.auth)
    assert poll.status_code == 202
    pending = client.get("/admin/deferred", headers=ADMIN).json()["pending"]
    (review,) = [p for p in pending if p["source"] == "duo" and p["copies"] == 2]
    assert "999990019" not in json.dumps(pending)
    assert client.post(f"/admin/deferred/{review['id']}/approve", headers=ADMIN).status_code == 200
    done = client.post(endpoint, json={"transaction_id": transaction}, headers=session.auth)
    assert done.status_code == 200, done.text
    holders = [c["credential"]["credentialSubject"]["id"] for c in done.json()["credentials"]]
    assert holders == [did_key(key) for key in session.keys]
    again = client.post(endpoint, json={"transaction_id": transaction}, headers=session.auth)
    assert_error(again, 400, "invalid_transaction_id")
    unknown = client.post(endpoint, json={"transaction_id": "nope"}, headers=session.auth)
    assert_error(unknown, 400, "invalid_transaction_id")


def test_rejected_review_denies_the_credential(client: TestClient, wallet: TestWallet) -> None:
    offer = make_offer(client, "duo", REVIEW_BSN)
    session = wallet.open(offer["offer_uri"])
    wallet.token(session, offer["tx_code"]).raise_for_status()
    transaction = wallet.request_copies(session, 1).json()["transaction_id"]
    pending = client.get("/admin/deferred", headers=ADMIN).json()["pending"]
    for review in pending:
        client.post(f"/admin/deferred/{review['id']}/reject", headers=ADMIN)
    response = client.post(
        session.metadata["deferred_credential_endpoint"],
        json={"transaction_id": transaction},
        headers=session.auth,
    )
    assert_error(response, 400, "credential_request_denied")
    assert client.post("/admin/deferred/nope/approve", headers=ADMIN).status_code == 404


def test_notification_endpoint(client: TestClient, session: Session, wallet: TestWallet) -> None:
    issued = wallet.request_copies(session, 1)
    notification_id = issued.json()["notification_id"]
    endpoint = session.metadata["notification_endpoint"]
    accepted = {"notification_id": notification_id, "event": "credential_accepted"}
    response = client.post(endpoint, json=accepted, headers=session.auth)
    assert response.status_code == 204
    assert response.content == b""
    unknown = {"notification_id": "nope", "event": "credential_deleted"}
    assert_error(
        client.post(endpoint, json=unknown, headers=session.auth), 400, "invalid_notification_id"
    )
    bad_event = {"notification_id": notification_id, "event": "credential_liked"}
    assert_error(
        client.post(endpoint, json=bad_event, headers=session.auth),
        400,
        "invalid_notification_request",
    )
    assert_error(client.post(endpoint, json=accepted), 401, "invalid_token")


def test_open_offers_tokens_and_deferred_requests_keep_no_bsn(
    issuer: Issuer, client: TestClient, wallet: TestWallet
) -> None:
    """On SQLite and PostgreSQL: the BSN is sealed for its row, never stored in plain text."""
    make_offer(client, "rdw")
    offer = make_offer(client, "duo", REVIEW_BSN)
    session = wallet.open(offer["offer_uri"])
    assert wallet.token(session, offer["tx_code"]).status_code == 200
    assert wallet.request_copies(session, 1).status_code == 202
    tables = ("oid4vci_offers", "oid4vci_tokens", "oid4vci_deferred")
    with issuer.db.read() as unit:
        rows = {t: unit.session.execute(text(f"SELECT * FROM {t}")).all() for t in tables}
    assert all(rows.values())
    for table, found in rows.items():
        for row in found:
            for value in row:
                raw = isinstance(value, bytes | memoryview)
                shown = bytes(value).decode("latin-1") if raw else str(value)
                assert REVIEW_BSN not in shown, table
                assert DEMO_BSN not in shown, table
