"""The landlord's app in-process: settings, its DID document, the start form and `serve`."""

from __future__ import annotations

import hashlib
import json
import stat
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from tests.certified import flip_byte_in_object, page_content_object
from tests.issuer.support import DEMO_BSN, client_fetch
from vc_core import PublicKey
from vc_core.errors import FetchError
from vc_issuer import Issuer, IssuerSettings
from vc_issuer.web import create_app
from vc_verifier import verify_record
from vc_verifier.cli import app as verifier_cli
from vc_verifier.landlord import LandlordSettings, create_landlord_app, landlord_state
from vc_verifier.landlord.app import MAX_UPLOAD_BYTES
from vc_verifier.landlord.checks import Check, Checks
from vc_verifier.transactions import SqliteTransactions

from .test_portal_app import _check_markup, _token


def _no_fetch(url: str, *, accept: str) -> bytes:
    raise FetchError(f"no network in this test: {url}")


def _at(moment: datetime) -> Callable[[], datetime]:
    return lambda: moment


@pytest.mark.parametrize(
    "url",
    ["http://verhuur.example.nl", "https://verhuur.example.nl/pad", "https://", "verhuur"],
)
def test_the_public_url_is_a_bare_https_origin(url: str) -> None:
    with pytest.raises(ValueError, match="public_url"):
        LandlordSettings(public_url=url)


def test_settings_give_the_did_and_check_overrides() -> None:
    settings = LandlordSettings(
        public_url="https://Verhuur.Example.nl:8443/",
        fetch_overrides={"https://issuer.example.nl/": "http://127.0.0.1:8080"},
    )
    assert settings.did == "did:web:verhuur.example.nl%3A8443"
    assert dict(settings.fetch_overrides) == {"https://issuer.example.nl": "http://127.0.0.1:8080"}
    with pytest.raises(ValueError, match="overridden origin"):
        LandlordSettings(fetch_overrides={"http://issuer.example.nl": "http://127.0.0.1"})


def test_the_key_is_made_once_and_kept_private(tmp_path: Path) -> None:
    settings = LandlordSettings(data_dir=tmp_path / "data")
    key, secret = landlord_state(settings)
    again, same_secret = landlord_state(settings)
    assert (again.public, same_secret) == (key.public, secret)
    assert key.id == "did:web:verhuur.example.nl#key-1"
    state = tmp_path / "data" / "landlord.json"
    assert stat.S_IMODE(state.stat().st_mode) == 0o600
    fresh, _ = landlord_state(LandlordSettings())
    assert fresh.public != key.public


def test_the_did_document_names_the_signing_key(tmp_path: Path) -> None:
    settings = LandlordSettings(data_dir=tmp_path)
    with TestClient(create_landlord_app(settings, fetch=_no_fetch)) as client:
        document = client.get("/.well-known/did.json").json()
    key, _ = landlord_state(settings)
    (method,) = document["verificationMethod"]
    assert document["id"] == "did:web:verhuur.example.nl"
    assert method["publicKeyMultibase"] == key.public.multibase
    assert document["authentication"] == [method["id"]] == [key.id]
    assert "secretKeyMultibase" not in json.dumps(document)


def test_the_start_page_and_its_form(tmp_path: Path) -> None:
    app = create_landlord_app(LandlordSettings(rule_year=2025), fetch=_no_fetch)
    with TestClient(app, follow_redirects=False) as client:
        page = client.get("/")
        _check_markup(page.text, "nl")
        assert "€ 48.625,00" in page.text  # the 2025 table's limit for one person
        assert page.headers["x-frame-options"] == "DENY"
        assert "bk_balie" in client.cookies
        token = _token(page.text)
        for size in ("0", "13", "twee", ""):
            refused = client.post("/controles", data={"csrf_token": token, "household_size": size})
            assert refused.status_code == 400, size
            assert 'aria-invalid="true"' in refused.text
        started = client.post("/controles", data={"csrf_token": token, "household_size": "4"})
        assert started.status_code == 303
        check = client.get(started.headers["location"])
        _check_markup(check.text, "nl")
        # WCAG 2.2.1: the page never refreshes itself; a link checks again, a script may poll.
        assert 'http-equiv="refresh"' not in check.text
        assert 'role="status"' in check.text
        assert f'href="{started.headers["location"]}" id="check-again"' in check.text
        assert '<script src="/static/landlord.js" defer></script>' in check.text
        state = client.get(started.headers["location"] + "/status.json")
        assert state.json() == {"state": "pending"}
        assert "script-src 'self'" in state.headers["content-security-policy"]
        assert (
            client.get("/static/landlord.js").headers["content-type"].startswith("text/javascript")
        )
        assert "openid4vp://?client_id=decentralized_identifier" in check.text
        english = client.get(started.headers["location"] + "?lang=en")
        assert "Income check for a household of 4" in english.text


def test_serve_refuses_unsafe_or_malformed_options(tmp_path: Path) -> None:
    runner = CliRunner()
    cases = [
        (["--host", "0.0.0.0"], "loopback"),
        (["--route", "issuer.example.nl"], "ORIGIN=URL"),
        (["--public-url", "http://verhuur.example.nl"], "public_url"),
        (["--public-url", "https://10.0.0.7:8444"], "did:web cannot use an IP address"),
        (["--dev-tls", "--ssl-keyfile", "k.pem"], "leave out --ssl-certfile"),
        (["--trust-issuer", "https://issuer.example.nl"], "issuer's DID"),
        (["--year", "1999"], "limits-1999"),
    ]
    for options, message in cases:
        result = runner.invoke(
            verifier_cli, ["serve", "--data-dir", str(tmp_path), *options], catch_exceptions=False
        )
        assert result.exit_code == 2, (options, result.output)
        assert message in result.output


def test_unanswered_checks_are_purged_and_decided_records_kept(tmp_path: Path) -> None:
    started = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    settings = LandlordSettings(data_dir=tmp_path, rule_year=2025)
    app = create_landlord_app(settings, fetch=_no_fetch, clock=_at(started))
    with TestClient(app, follow_redirects=False) as client:
        token = _token(client.get("/").text)
        answer = client.post("/controles", data={"csrf_token": token, "household_size": "2"})
        transaction_id = answer.headers["location"].rstrip("/").rsplit("/", 1)[-1]
    database = tmp_path / "landlord.db"
    checks = Checks(database)
    checks.add(Check("decided", "desk", 1, "facts", started))
    checks.keep_record("decided", {"jws": "kept for the annual accounts"})
    assert checks.get(transaction_id) is not None
    transactions = SqliteTransactions(database)
    assert transactions.status(transaction_id, now=started) is not None

    # Within the hour after expiry nothing goes; past it the unanswered check goes.
    for hours, purged in ((0.5, False), (2, True)):
        later = started + timedelta(hours=hours)
        with TestClient(create_landlord_app(settings, fetch=_no_fetch, clock=_at(later))):
            pass
        assert (checks.get(transaction_id) is None) is purged
        assert (transactions.status(transaction_id, now=later) is None) is purged
    decided = checks.get("decided")
    assert decided is not None
    assert decided.record == {"jws": "kept for the annual accounts"}
    checks.close()
    transactions.close()


# --- "Upload a PDF" -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def issuer() -> Iterator[Issuer]:
    built = Issuer.from_settings(IssuerSettings.demo(demo_people=20, status_list_ttl_seconds=0))
    yield built
    built.db.dispose()


@pytest.fixture(scope="module")
def issuer_http(issuer: Issuer) -> Iterator[TestClient]:
    with TestClient(create_app(issuer), base_url="https://issuer.example.nl") as client:
        yield client


@pytest.fixture
def landlord(issuer: Issuer, issuer_http: TestClient) -> Iterator[TestClient]:
    pem = issuer.sealing_identity("belastingdienst").certificate_pem.decode()
    settings = LandlordSettings(trusted_seals={TAX: (pem,)})
    app = create_landlord_app(settings, fetch=client_fetch(issuer_http))
    with TestClient(app, follow_redirects=False) as client:
        yield client


TAX = "did:web:issuer.example.nl:belastingdienst"


def _upload(client: TestClient, pdf: bytes, *, size: str = "1", token: str | None = None) -> Any:
    if token is None:
        token = _token(client.get("/").text)
    return client.post(
        "/pdf-controles",
        data={"csrf_token": token, "household_size": size},
        files={"pdf": ("overzicht.pdf", pdf, "application/pdf")},
    )


def test_an_uploaded_aggregated_pdf_is_decided_with_a_signed_record(
    issuer: Issuer, landlord: TestClient
) -> None:
    pdf = issuer.aggregated_pdf(DEMO_BSN, issuer.basis_set(DEMO_BSN))
    answer = _upload(landlord, pdf)
    assert answer.status_code == 303
    page = landlord.get(answer.headers["location"])
    _check_markup(page.text, "nl")
    assert 'id="verdict"' in page.text
    assert "Het inkomen valt binnen de grens voor sociale huur." in page.text
    assert not [shown for shown in ("41250", "41.250") if shown in page.text]
    assert page.text.count('<tr><th scope="row">') == 4  # every source listed
    record = landlord.get(answer.headers["location"] + "/verslag.json")
    assert record.status_code == 200
    method = landlord.get("/.well-known/did.json").json()["verificationMethod"][0]
    verified = verify_record(
        record.json(), key=PublicKey.from_multibase(method["publicKeyMultibase"])
    )
    assert verified.meets is True
    assert verified.basis == "amount"  # the whole statement is in a PDF
    assert verified.transaction_id == f"pdf:{hashlib.sha256(pdf).hexdigest()}"
    (credential,) = record.json()["record"]["credentials"]
    assert credential["issuer"] == TAX
    assert "41250" not in record.text
    other_desk = TestClient(landlord.app)
    assert other_desk.get(answer.headers["location"]).status_code == 404


def test_a_revoked_income_statement_is_refused_by_name(
    issuer: Issuer, landlord: TestClient
) -> None:
    credentials = issuer.basis_set(DEMO_BSN, ["belastingdienst", "rdw"])
    pdf = issuer.aggregated_pdf(DEMO_BSN, credentials)
    issuer.revoke(credentials["belastingdienst"]["id"])
    page = landlord.get(_upload(landlord, pdf).headers["location"])
    assert 'data-state="refused"' in page.text
    assert 'data-code="CREDENTIAL_REVOKED"' in page.text
    assert "de organisatie heeft deze verklaring ingetrokken" in page.text
    assert "verslag.json" not in page.text


def test_a_pdf_with_a_broken_seal_is_refused_by_name(issuer: Issuer, landlord: TestClient) -> None:
    pdf = issuer.certified_pdf("belastingdienst", DEMO_BSN)
    broken = flip_byte_in_object(pdf, page_content_object(pdf, 1))
    page = landlord.get(_upload(landlord, broken).headers["location"])
    assert 'data-code="SEAL_BROKEN"' in page.text
    assert 'data-code="PRINTED_DATA_MISMATCH"' in page.text
    assert "een zegel is verbroken" in page.text


def test_a_pdf_without_a_trusted_income_statement_is_refused(
    issuer: Issuer, landlord: TestClient
) -> None:
    pdf = issuer.certified_pdf("duo", DEMO_BSN)
    page = landlord.get(_upload(landlord, pdf).headers["location"])
    assert 'data-code="NO_TRUSTED_CREDENTIAL"' in page.text


def test_the_upload_route_refuses_bad_forms_and_large_bodies(
    issuer: Issuer, landlord: TestClient
) -> None:
    pdf = issuer.certified_pdf("belastingdienst", DEMO_BSN)
    assert _upload(landlord, pdf, token="forged").status_code == 403
    refused = _upload(landlord, pdf, size="13")
    assert refused.status_code == 400
    assert 'role="alert"' in refused.text
    assert _upload(landlord, b"not a pdf").status_code == 400
    too_large = _upload(landlord, b"%PDF-1.7\n" + b"0" * MAX_UPLOAD_BYTES)
    assert too_large.status_code == 413
    declared = landlord.post(
        "/pdf-controles", content=b"x", headers={"content-length": str(MAX_UPLOAD_BYTES + 1)}
    )
    assert declared.status_code == 413
    garbage = landlord.post(
        "/pdf-controles",
        content=b"--x\r\nbroken",
        headers={"content-type": "multipart/form-data; boundary=x"},
    )
    assert garbage.status_code == 403  # no form, so no CSRF token
