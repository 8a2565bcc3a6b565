"""The landlord's app in-process: settings, its DID document, the start form and `serve`."""

from __future__ import annotations

import json
import stat
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from vc_core.errors import FetchError
from vc_verifier.cli import app as verifier_cli
from vc_verifier.landlord import LandlordSettings, create_landlord_app, landlord_state
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
        assert '<meta http-equiv="refresh"' in check.text
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
