"""blauwe-knop verifier request | check | record verify."""

from __future__ import annotations

import io
import json
import sqlite3
from pathlib import Path

import pytest
import zxingcpp
from PIL import Image
from typer.testing import CliRunner

from vc_core import KeyPair
from vc_core.did import did_key
from vc_core.types import JsonObject
from vc_verifier import HousingIncomeRule, Verifier
from vc_verifier.cli import app

from .helpers import FACTS, Holder, Issuer, disclose, income_subject, issue, present

runner = CliRunner()
NONCE = "cli-nonce-0123456789abcdef"
DOMAIN = "decentralized_identifier:did:web:verhuur.example.nl"


def test_request_prints_link_and_saves_qr(tmp_path: Path) -> None:
    qr = tmp_path / "qr.png"
    result = runner.invoke(app, ["request", "--household-size", "2", "--qr-out", str(qr)])
    assert result.exit_code == 0, result.output
    link = result.stdout.strip().splitlines()[0]
    assert link.startswith("openid4vp://?client_id=decentralized_identifier%3Adid%3Akey%3A")
    [barcode] = zxingcpp.read_barcodes(Image.open(io.BytesIO(qr.read_bytes())))
    assert barcode.text == link


def test_request_with_key_and_database(tmp_path: Path) -> None:
    key = KeyPair.generate("P-256")
    did = did_key(key)
    key_file = tmp_path / "key.json"
    key_file.write_text(
        json.dumps({**key.to_multikey(include_secret=True), "id": f"{did}#{key.public.multibase}"})
    )
    db = tmp_path / "rp.db"
    svg = tmp_path / "qr.svg"
    result = runner.invoke(
        app,
        [
            "request",
            "--household-size",
            "1",
            "--key",
            str(key_file),
            "--db",
            str(db),
            "--qr-out",
            str(svg),
            "--year",
            "2025",
        ],
    )
    assert result.exit_code == 0, result.output
    assert f"decentralized_identifier%3A{did.replace(':', '%3A')}" in result.stdout
    assert svg.read_text().startswith("<?xml")
    with sqlite3.connect(db) as connection:
        [(body,)] = connection.execute("SELECT body FROM vp_transactions").fetchall()
    assert "2025" in json.loads(body)["purpose"]


@pytest.mark.parametrize(
    "arguments",
    [
        ["request", "--household-size", "0"],
        ["request", "--household-size", "2", "--qr-out", "x.gif"],
        ["request", "--household-size", "2", "--year", "1999"],
        ["request", "--household-size", "2", "--client-id", "not-a-client-id"],
    ],
    ids=["size-0", "qr-suffix", "no-table", "client-id"],
)
def test_request_usage_errors(arguments: list[str]) -> None:
    assert runner.invoke(app, arguments).exit_code == 2


@pytest.fixture(scope="module")
def presentation_files(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A presentation from a did:key issuer (verifiable offline) and a trust file."""
    folder = tmp_path_factory.mktemp("cli")
    issuer, holder = Issuer.with_did_key(), Holder.new()
    vc = disclose(issue(issuer, income_subject(holder.did)), FACTS)
    vp = folder / "vp.json"
    vp.write_text(json.dumps(present(holder, [vc], challenge=NONCE, domain=DOMAIN)))
    trusted = folder / "trusted.json"
    trusted.write_text(json.dumps({issuer.did: ["InkomensverklaringCredential"]}))
    return vp, trusted


def _check(vp: Path, trusted: Path, *extra: str) -> list[str]:
    return ["check", str(vp), "--trusted", str(trusted), "--at", "2026-01-01T12:00:00Z", *extra]


def test_check_offline_cannot_reach_status_lists(presentation_files: tuple[Path, Path]) -> None:
    vp, trusted = presentation_files
    result = runner.invoke(app, _check(vp, trusted, "--challenge", NONCE, "--domain", DOMAIN))
    assert result.exit_code == 1
    assert result.stdout.startswith("STATUS_RETRIEVAL_ERROR verifiableCredential[0]")


def test_check_passes_with_status_fail_open(presentation_files: tuple[Path, Path]) -> None:
    vp, trusted = presentation_files
    result = runner.invoke(
        app,
        _check(vp, trusted, "--challenge", NONCE, "--domain", DOMAIN, "--status-fail-open"),
    )
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert summary["credentials"][0]["claims"]["inkomenstoets"]["onderSocialeHuurgrens"] is True


def test_check_refuses_wrong_challenge_and_untrusted(
    presentation_files: tuple[Path, Path], tmp_path: Path
) -> None:
    vp, trusted = presentation_files
    wrong = runner.invoke(
        app, _check(vp, trusted, "--challenge", "x", "--domain", DOMAIN, "--status-fail-open")
    )
    assert wrong.exit_code == 1
    assert wrong.stdout.startswith("INVALID_CHALLENGE_ERROR proof")
    untrusted = runner.invoke(app, ["check", str(vp), "--at", "2026-01-01T12:00:00Z"])
    assert untrusted.exit_code == 1
    assert "UNTRUSTED_ISSUER" in untrusted.stdout
    assert "replay is NOT checked" in untrusted.stderr


def test_check_usage_errors(presentation_files: tuple[Path, Path], tmp_path: Path) -> None:
    vp, trusted = presentation_files
    not_json = tmp_path / "x.json"
    not_json.write_text("{")
    assert runner.invoke(app, ["check", str(not_json)]).exit_code == 2
    assert runner.invoke(app, ["check", str(tmp_path / "missing.json")]).exit_code == 2
    assert runner.invoke(app, ["check", str(vp), "--trusted", str(not_json)]).exit_code == 2
    assert runner.invoke(app, _check(vp, trusted, "--at", "yesterday")).exit_code == 2


@pytest.fixture
def record_file(tmp_path: Path, verifier: Verifier) -> Path:
    rule = HousingIncomeRule.load(year=2026)
    result = rule.evaluate([], household_size=2)
    path = tmp_path / "record.json"
    path.write_text(json.dumps(verifier.sign_record([], result)))
    return path


def test_record_verify(record_file: Path, landlord_key: KeyPair, tmp_path: Path) -> None:
    key_file = tmp_path / "landlord.json"
    key_file.write_text(json.dumps(landlord_key.to_multikey()))
    ok = runner.invoke(app, ["record", "verify", str(record_file), "--key", str(key_file)])
    assert ok.exit_code == 0, ok.output
    assert json.loads(ok.stdout)["type"] == "VerificationRecord"
    record: JsonObject = json.loads(record_file.read_text())
    record["record"]["decision"]["meets"] = True
    record_file.write_text(json.dumps(record))
    bad = runner.invoke(app, ["record", "verify", str(record_file), "--key", str(key_file)])
    assert bad.exit_code == 1
    assert bad.stdout.startswith("PROOF_VERIFICATION_ERROR record")
    assert (
        runner.invoke(
            app, ["record", "verify", str(record_file), "--key", str(record_file)]
        ).exit_code
        == 2
    )
