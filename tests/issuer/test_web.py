"""The HTTP service: problems, admin auth, demo login and Basis downloads, docs, logs."""

from __future__ import annotations

import io
import json
import logging
import secrets
import zipfile
from collections.abc import Callable, Mapping
from datetime import UTC, datetime, timedelta
from types import MappingProxyType
from typing import Any

import pytest
from cryptography import x509
from fastapi.testclient import TestClient
from sqlalchemy.exc import DBAPIError

from vc_core import KeyPair
from vc_core.proofs import verify
from vc_issuer.auth import DEMO_SESSION_COOKIE
from vc_issuer.db import AccessTokenRecord
from vc_issuer.issuer import Issuer
from vc_issuer.settings import SOURCE_NAMES, IssuerSettings
from vc_issuer.sources import (
    CredentialConfiguration,
    Source,
    SubjectClaims,
    default_sources,
)
from vc_issuer.sources.duo import DIPLOMA
from vc_issuer.web import create_app
from vc_verifier import Verifier
from vc_verifier.trust import ANY_TYPE

from .issuer_wallet import TestWallet
from .support import ADMIN, BASE_URL, DEMO_BSN, client_fetch, make_offer


@pytest.fixture
def citizen(issuer: Issuer) -> Any:
    """A fresh client (own cookie jar) logged in as the demo citizen via the DEMO login."""
    with TestClient(create_app(issuer), base_url=BASE_URL) as fresh:
        assert "DEMO" in fresh.get("/demo-login").text
        response = fresh.post("/demo-login", data={"bsn": DEMO_BSN})
        assert response.status_code == 200
        assert DEMO_SESSION_COOKIE in response.cookies
        yield fresh


def test_problems_are_rfc9457(client: TestClient) -> None:
    for response in (
        client.get("/nope/did.json"),
        client.get("/no/such/route/at/all"),
        client.post("/admin/rdw/offers", json={"bsn": DEMO_BSN}),
    ):
        assert response.headers["content-type"] == "application/problem+json"
        body = response.json()
        assert body["status"] == response.status_code
        assert {"type", "title", "detail"} <= set(body)
    assert client.get("/nope/did.json").status_code == 404
    assert client.post("/admin/rdw/offers", json={"bsn": DEMO_BSN}).status_code == 401


def test_admin_token_is_checked(client: TestClient) -> None:
    wrong = {"Authorization": "Bearer development-only-admin-tokeX"}
    assert (
        client.post("/admin/rdw/offers", json={"bsn": DEMO_BSN}, headers=wrong).status_code == 401
    )
    assert client.get("/admin/deferred", headers=ADMIN).status_code == 200
    assert client.post("/admin/rdw/keys/rotate").status_code == 401


def test_openapi_documents_the_endpoints(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    for path in (
        "/{source}/credential",
        "/{source}/token",
        "/credentials/verify",
        "/admin/{source}/offers",
        "/{source}/status/{purpose}/{number}",
    ):
        assert path in paths
    assert client.get("/docs").status_code == 200


def test_garbage_never_gives_500_or_422(client: TestClient) -> None:
    garbage: list[Any] = [b"", b"null", b"[]", b"{}", b'"x"', b"\xff\xfe", b"{" * 5000]
    for path in (
        "/credentials/verify",
        "/credentials/derive",
        "/presentations/verify",
        "/belastingdienst/credential",
        "/belastingdienst/notification",
        "/belastingdienst/deferred_credential",
        "/belastingdienst/token",
    ):
        for body in garbage:
            response = client.post(path, content=body, headers={"Content-Type": "application/json"})
            assert response.status_code in (400, 401), (path, body[:20], response.text)


def test_basis_downloads_need_a_login(client: TestClient) -> None:
    response = client.get("/belastingdienst/basis/credential.json")
    assert response.status_code == 401
    assert response.json()["code"] == "UNAUTHORIZED"


def test_demo_login_refuses_a_non_test_bsn(citizen: TestClient) -> None:
    assert citizen.post("/demo-login", data={"bsn": "123456782"}).status_code == 400


def test_basis_credential_download(citizen: TestClient) -> None:
    response = citizen.get("/rdw/basis/credential.json")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/vc"
    assert "attachment" in response.headers["content-disposition"]
    credential = response.json()
    assert credential["credentialSubject"]["voertuig"]["kenteken"] == "GZ-123-B"
    verify(credential, fetch=client_fetch(citizen))


def _pdf_checker(citizen: TestClient, sources: tuple[str, ...]) -> Verifier:
    seals = {
        f"did:web:issuer.example.nl:{source}": [
            x509.load_pem_x509_certificate(citizen.get(f"/{source}/seal-certificate.pem").content)
        ]
        for source in sources
    }
    return Verifier(
        client_id="redirect_uri:http://localhost/tests",
        signing_key=KeyPair.generate("P-256"),
        trusted_issuers={did: [ANY_TYPE] for did in seals},
        trusted_seals=seals,
        fetch=client_fetch(citizen),
    )


def test_basis_pdf_download_is_sealed(citizen: TestClient) -> None:
    response = citizen.get("/belastingdienst/basis/afschrift.pdf")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/pdf"
    checker = _pdf_checker(citizen, ("belastingdienst",))
    report = checker.check_certified_pdf(response.content)
    assert report.valid, report.to_json()
    assert report.presentation is not None
    assert report.presentation.credentials[0].claim("belastingjaar") == 2024
    tampered = bytearray(response.content)
    tampered[len(tampered) // 3] ^= 0x01
    assert not checker.check_certified_pdf(bytes(tampered)).valid


def test_basis_2_downloads_the_pdf_the_bundle_or_both(citizen: TestClient) -> None:
    both = citizen.get("/basis-2.0/gewaarmerkt-overzicht.zip?bronnen=duo,rdw")
    assert both.status_code == 200
    assert both.headers["content-type"] == "application/zip"
    with zipfile.ZipFile(io.BytesIO(both.content)) as archive:
        pdf = archive.read("gewaarmerkt-overzicht.pdf")
        bundle = json.loads(archive.read("gewaarmerkt-overzicht.json"))
    report = _pdf_checker(citizen, ("duo", "rdw")).check_certified_pdf(pdf)
    assert report.valid, report.to_json()
    assert [s.source for s in report.sources] == ["duo", "rdw"]
    assert [c["id"] for c in bundle["verifiableCredential"]] == [
        s.credential.unverified_id for s in report.sources
    ]
    every = citizen.get("/basis-2.0/gewaarmerkt-overzicht.pdf")
    assert every.headers["content-type"] == "application/pdf"
    assert len(_pdf_checker(citizen, ("brp",)).check_certified_pdf(every.content).sources) == 4
    assert citizen.get("/basis-2.0/gewaarmerkt-overzicht.json").json()["proof"]
    assert citizen.get("/basis-2.0/iets-anders.pdf").status_code == 404
    assert citizen.get("/basis-2.0/gewaarmerkt-overzicht.pdf?bronnen=kadaster").status_code == 404


def test_self_service_offer_for_the_logged_in_citizen(citizen: TestClient) -> None:
    response = citizen.post("/duo/basis/offer")
    assert response.status_code == 201
    offer = response.json()
    assert offer["qr_svg"].startswith("<svg")
    (credential,) = TestWallet(citizen).receive(offer["offer_uri"], offer["tx_code"])
    assert credential["credentialSubject"]["diploma"]["opleiding"] == "HBO-ICT"


def test_logs_are_structured_and_hold_no_personal_data(
    client: TestClient, caplog: pytest.LogCaptureFixture
) -> None:
    from vc_issuer.logs import JsonFormatter

    with caplog.at_level(logging.INFO, logger="vc_issuer"):
        offer = make_offer(client, "belastingdienst")
        TestWallet(client).receive(offer["offer_uri"], offer["tx_code"])
    lines = [JsonFormatter().format(record) for record in caplog.records]
    events = [json.loads(line)["event"] for line in lines]
    assert "token_issued" in events
    assert "credentials_issued" in events
    routes = {json.loads(line).get("route") for line in lines}
    assert "/{source}/offers/{offer_id}" in routes
    text = "\n".join(lines)
    assert DEMO_BSN not in text
    assert offer["tx_code"] not in text
    assert offer["credential_offer_uri"].rsplit("/", 1)[1] not in text


class BrokenSource:
    """A source adapter whose claims use a term our context does not define."""

    name = "broken"
    display_name = "Broken (test)"
    configurations: Mapping[str, CredentialConfiguration] = MappingProxyType({DIPLOMA.id: DIPLOMA})

    def claims_for(self, connection: Any, bsn: str, configuration_id: str) -> SubjectClaims:
        return SubjectClaims({"type": "Diplomahouder", "cijferlijst": "8,5"})


def test_a_source_that_cannot_be_signed_gives_500(
    backend: str, settings_for: Callable[..., IssuerSettings]
) -> None:
    sources: dict[str, Source] = {**default_sources(), "broken": BrokenSource()}
    settings = settings_for(backend, sources=(*SOURCE_NAMES, "broken"))
    issuer = Issuer.from_settings(settings, sources=sources)
    with TestClient(create_app(issuer), base_url=BASE_URL) as client:
        offer = make_offer(client, "broken")
        session = TestWallet(client).open(offer["offer_uri"])
        TestWallet(client).token(session, offer["tx_code"]).raise_for_status()
        response = TestWallet(client).request_copies(session, 1)
    assert response.status_code == 500
    assert response.json()["code"] == "PROOF_GENERATION_ERROR"


def vehicle_token(token_hash: str, *, expires_at: datetime) -> AccessTokenRecord:
    """An access token record for the vehicle register's credential, nothing issued yet."""
    return AccessTokenRecord(
        token_hash=token_hash,
        source="rdw",
        sealed_subject=b"",
        configuration_ids=("VoertuigregistratieCredential_ldp_vc",),
        credentials_issued=0,
        expires_at=expires_at,
    )


def test_expired_protocol_state_is_purged(issuer: Issuer, client: TestClient) -> None:
    long_ago = datetime.now(UTC) - timedelta(hours=2)
    offer = issuer.create_offer("rdw", DEMO_BSN, clock=lambda: long_ago)
    assert client.get(offer.offer_url).status_code == 410
    assert issuer.purge_expired() >= 1
    assert client.get(offer.offer_url).status_code == 404


def test_the_service_purges_expired_state_before_its_first_request(issuer: Issuer) -> None:
    """Expired offers, tokens and used nonces go when an instance starts; live ones stay."""
    now = datetime.now(UTC)
    long_ago = now - timedelta(hours=2)
    offer = issuer.create_offer("rdw", DEMO_BSN, clock=lambda: long_ago)
    token = vehicle_token(f"expired-{offer.id}", expires_at=long_ago)
    live = vehicle_token(f"live-{offer.id}", expires_at=now + timedelta(hours=1))
    with issuer.db.write() as unit:
        unit.add_token(token)
        unit.add_token(live)
        assert unit.consume_nonce(f"nonce-{offer.id}", long_ago)
    with TestClient(create_app(issuer), base_url=BASE_URL), issuer.db.read() as unit:
        assert unit.offer(offer.id) is None
        assert unit.token(token.token_hash) is None
        assert unit.token(live.token_hash) == live
    with issuer.db.write() as unit:
        assert unit.consume_nonce(f"nonce-{offer.id}", long_ago)  # its record was purged


def test_a_read_unit_writes_nothing(issuer: Issuer) -> None:
    """On PostgreSQL a read unit runs in autocommit on a read-only connection, so the server
    refuses a write; on SQLite it is rolled back. Either way the token is not stored."""
    token = vehicle_token(
        f"read-unit-{secrets.token_hex(8)}", expires_at=datetime.now(UTC) + timedelta(hours=1)
    )
    if issuer.db.backend == "postgresql":
        with pytest.raises(DBAPIError, match="read-only transaction"), issuer.db.read() as unit:
            unit.add_token(token)
    else:
        with issuer.db.read() as unit:
            unit.add_token(token)
    with issuer.db.read() as unit:
        assert unit.token(token.token_hash) is None


def test_every_operation_documents_the_guards_answers(client: TestClient) -> None:
    """413, 408 and 429 (with Retry-After) come from the request guard on every route."""
    spec = client.get("/openapi.json").json()
    operations = [op for item in spec["paths"].values() for op in item.values()]
    assert len(operations) > 40
    for operation in operations:
        for status in ("408", "413", "429"):
            documented = operation["responses"][status]
            assert "application/problem+json" in documented["content"]
        assert "Retry-After" in operation["responses"]["429"]["headers"]
