"""The operator CLI on a local database: seed, offer, status changes, PDFs, serve's refusals."""

from __future__ import annotations

import io
import json
import os
from collections.abc import Callable
from pathlib import Path

import pytest
import zxingcpp
from PIL import Image
from typer.testing import CliRunner

from blauwe_knop.pdf_cli import app as pdf_app
from vc_core import KeyPair, did_key
from vc_issuer.cli import app
from vc_issuer.issuer import Issuer
from vc_issuer.pdf import create_sealing_identity
from vc_issuer.settings import IssuerSettings

from .support import CONFIGURATIONS, DEMO_BSN, NOBODY_BSN

runner = CliRunner()


@pytest.fixture
def data_dir(
    backend: str,
    new_database_url: Callable[[str], str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> Path:
    """A data folder and a fresh database (via the environment), with demo keys."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("BLAUWE_KNOP_ISSUER_DATABASE_URL", new_database_url(backend))
    monkeypatch.setenv("BLAUWE_KNOP_ISSUER_DEMO_KEYS", "true")
    folder = tmp_path / "data"
    seeded = runner.invoke(app, ["seed", "--people", "30", "--data-dir", str(folder)])
    assert seeded.exit_code == 0, seeded.output
    assert "seeded 32 people" in seeded.output
    return folder


def test_offer_prints_uri_tx_code_and_a_decodable_qr(data_dir: Path) -> None:
    result = runner.invoke(
        app,
        [
            "offer",
            "--source",
            "belastingdienst",
            "--bsn",
            DEMO_BSN,
            "--json",
            "--data-dir",
            str(data_dir),
        ],
    )
    assert result.exit_code == 0, result.output
    printed = json.loads(result.stdout)
    assert printed["offer_uri"].startswith("openid-credential-offer://?credential_offer_uri=")
    assert len(printed["tx_code"]) == 6
    png = Path(printed["qr_png"]).read_bytes()
    (decoded,) = zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))
    assert decoded.text == printed["offer_uri"]
    plain = runner.invoke(
        app, ["offer", "--source", "rdw", "--bsn", DEMO_BSN, "--data-dir", str(data_dir)]
    )
    assert "tx_code:" in plain.stdout


def test_offer_for_an_unknown_citizen_fails(data_dir: Path) -> None:
    result = runner.invoke(
        app, ["offer", "--source", "rdw", "--bsn", NOBODY_BSN, "--data-dir", str(data_dir)]
    )
    assert result.exit_code == 1
    assert "no VoertuigregistratieCredential_ldp_vc data" in result.output


def test_revoke_suspend_reinstate(data_dir: Path) -> None:
    issuer = Issuer.from_settings(IssuerSettings(data_dir=data_dir))
    credential = issuer.issue_credential(
        "duo",
        bsn=DEMO_BSN,
        configuration_id=CONFIGURATIONS["duo"],
        holder_did=did_key(KeyPair.generate()),
    )
    for command, expected in (
        ("suspend", {"revocation": 0, "suspension": 1}),
        ("reinstate", {"revocation": 0, "suspension": 0}),
        ("revoke", {"revocation": 1, "suspension": 0}),
    ):
        result = runner.invoke(app, [command, credential["id"], "--data-dir", str(data_dir)])
        assert result.exit_code == 0, result.output
        assert json.loads(result.stdout.split(": ", 1)[1]) == expected
    unknown = runner.invoke(app, ["revoke", "urn:uuid:nope", "--data-dir", str(data_dir)])
    assert unknown.exit_code == 1


def test_rotate_key(data_dir: Path) -> None:
    result = runner.invoke(app, ["rotate-key", "--source", "brp", "--data-dir", str(data_dir)])
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == "did:web:issuer.example.nl:brp#key-2"


def _make(data_dir: Path, out: Path, source: str, *extra: str) -> None:
    made = runner.invoke(
        pdf_app,
        [
            "make",
            "--source",
            source,
            "--bsn",
            DEMO_BSN,
            "-o",
            str(out),
            "--data-dir",
            str(data_dir),
            *extra,
        ],
    )
    assert made.exit_code == 0, made.output


def test_pdf_make_and_verify(data_dir: Path, tmp_path: Path) -> None:
    pdf = tmp_path / "afschrift.pdf"
    _make(data_dir, pdf, "belastingdienst")
    good = runner.invoke(pdf_app, ["verify", str(pdf), "--data-dir", str(data_dir)])
    assert good.exit_code == 0, good.output
    assert good.stdout.strip().endswith("VALID")
    assert "InkomensverklaringCredential: verified; status unknown (offline)" in good.stdout
    assert "seal Waarmerk-belastingdienst: intact, trusted; revision 2 of 2" in good.stdout
    tampered = bytearray(pdf.read_bytes())
    tampered[len(tampered) // 3] ^= 0x01
    (tmp_path / "tampered.pdf").write_bytes(bytes(tampered))
    bad = runner.invoke(
        pdf_app, ["verify", str(tmp_path / "tampered.pdf"), "--data-dir", str(data_dir)]
    )
    assert bad.exit_code == 1
    assert "NOT VALID" in bad.stdout
    untrusted = tmp_path / "other.pem"
    untrusted.write_bytes(
        create_sealing_identity(organisation="X", common_name="X").certificate_pem
    )
    tax = "did:web:issuer.example.nl:belastingdienst"
    stranger = runner.invoke(pdf_app, ["verify", str(pdf), "--trust", f"{tax}={untrusted}"])
    assert stranger.exit_code == 1
    assert "SIGNER_UNTRUSTED" in stranger.stdout
    no_did = runner.invoke(pdf_app, ["verify", str(pdf), "--trust", str(untrusted)])
    assert no_did.exit_code == 2
    assert "names no DID" in no_did.output
    assert runner.invoke(pdf_app, ["verify", str(tmp_path / "missing.pdf")]).exit_code == 2


def test_pdf_make_all_sources_with_the_bundle_and_verify_as_json(
    data_dir: Path, tmp_path: Path
) -> None:
    pdf, bundle = tmp_path / "overzicht.pdf", tmp_path / "overzicht.json"
    _make(data_dir, pdf, "all", "--bundle", str(bundle))
    checked = runner.invoke(pdf_app, ["verify", str(pdf), "--json", "--data-dir", str(data_dir)])
    assert checked.exit_code == 0, checked.output
    report = json.loads(checked.stdout)
    assert report["valid"] is True
    assert [s["source"] for s in report["sources"]] == list(CONFIGURATIONS)
    assert all(s["seal"]["intact"] and s["seal"]["trusted"] for s in report["sources"])
    assert all(s["credential"]["verified"] for s in report["sources"])
    assert all(s["printed"]["matches"] for s in report["sources"])
    ids = {s["credential"]["id"] for s in report["sources"]}
    assert {c["id"] for c in json.loads(bundle.read_text())["verifiableCredential"]} == ids
    two = tmp_path / "twee.pdf"
    _make(data_dir, two, "rdw,brp")
    shown = runner.invoke(pdf_app, ["verify", str(two), "--json", "--data-dir", str(data_dir)])
    assert [s["source"] for s in json.loads(shown.stdout)["sources"]] == ["rdw", "brp"]
    nobody = runner.invoke(
        pdf_app,
        [
            "make",
            "--source",
            "all",
            "--bsn",
            NOBODY_BSN,
            "-o",
            str(tmp_path / "x.pdf"),
            "--data-dir",
            str(data_dir),
        ],
    )
    assert nobody.exit_code == 1
    assert "no source holds data" in nobody.output


def test_serve_refuses_plain_http_off_loopback(data_dir: Path) -> None:
    result = runner.invoke(app, ["serve", "--host", "0.0.0.0", "--data-dir", str(data_dir)])
    assert result.exit_code == 2
    assert "loopback" in result.output


@pytest.mark.parametrize(
    ("options", "environment", "message"),
    [
        (["--dev-tls", "--ssl-certfile", "c.pem"], {}, "leave out --ssl-certfile"),
        (["--dev-tls", "--public-url", "https://192.168.1.20:8443"], {}, "IP address"),
        (["--public-url", "http://localhost:8443"], {}, "https URL"),
        (["--dev-tls", "--host", "0.0.0.0"], {}, "admin token of your own"),
        (
            ["--dev-tls", "--host", "0.0.0.0"],
            {"BLAUWE_KNOP_ISSUER_ADMIN_TOKEN": "a-token-of-my-own-" * 2},
            "demo registers only",
        ),
        (
            ["--dev-tls"],
            {
                "BLAUWE_KNOP_ISSUER_MODE": "production",
                "BLAUWE_KNOP_ISSUER_KEY_PASSPHRASE": "tulip quarry nine velvet orbit",
                "BLAUWE_KNOP_ISSUER_ADMIN_TOKEN": "Jk3v9-QpX2_mWz7Lr4tYb8NcHs6dAe1UgF0o",
            },
            "--dev-tls is for development",
        ),
    ],
    ids=["two-certificates", "ip-address", "plain-http-url", "public-token", "real-data", "prod"],
)
def test_serve_refuses_an_unsafe_or_unreachable_set_up(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    options: list[str],
    environment: dict[str, str],
    message: str,
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("BLAUWE_KNOP_ISSUER_BASE_URL", raising=False)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    before = dict(os.environ)
    result = runner.invoke(app, ["serve", "--data-dir", str(tmp_path / "data"), *options])
    assert result.exit_code == 2, result.output
    assert message in result.output
    assert dict(os.environ) == before
    assert not (tmp_path / "data").exists()


def test_vc_api_lists_one_issuer_identity_per_cryptosuite_and_curve(data_dir: Path) -> None:
    result = runner.invoke(app, ["vc-api", "--json", "--data-dir", str(data_dir)])
    assert result.exit_code == 0, result.output
    identities = json.loads(result.output)
    assert {name: (i["cryptosuite"], i["curve"]) for name, i in identities.items()} == {
        "ecdsa-rdfc-2019": ("ecdsa-rdfc-2019", "P-256"),
        "ecdsa-rdfc-2019-p384": ("ecdsa-rdfc-2019", "P-384"),
        "ecdsa-sd-2023": ("ecdsa-sd-2023", "P-256"),
        "eddsa-rdfc-2022": ("eddsa-rdfc-2022", "Ed25519"),
    }
    for name, identity in identities.items():
        assert identity["endpoint"] == f"/issuers/{name}/credentials/issue"
        assert identity["id"].startswith("did:key:z")
    # The same database gives the same identities (the keys are stored, not made anew).
    again = runner.invoke(app, ["vc-api", "--json", "--data-dir", str(data_dir)])
    assert json.loads(again.output) == identities
    table = runner.invoke(app, ["vc-api", "--data-dir", str(data_dir)])
    assert identities["eddsa-rdfc-2022"]["id"] in table.output
