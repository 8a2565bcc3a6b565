"""The ``blauwe-knop`` command: one name for every group, each loaded only when it runs, quietly."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from blauwe_knop.cli import COMMANDS, app, load
from vc_core.devtls import development_certificate

REPO = Path(__file__).resolve().parent.parent
HEAVY = {
    "fastapi",
    "starlette",
    "sqlalchemy",
    "pyhanko",
    "pyhanko_certvalidator",
    "fpdf",
    "uvicorn",
    "httptools",
    "uvloop",
    "jinja2",
    "qrcode",
    "PIL",
    "zxingcpp",
    "psycopg",
    "aiohttp",
    "multiformats",
}
"""Libraries no light command may load: web, database, PDF, image and unused network code."""
ENGINE = {"pyld", "httpx", "vc_issuer", "vc_verifier", "wallet_sdk"}
"""What ``--help`` and ``vc keygen`` do without: JSON-LD, HTTP and the role packages."""


def _loaded_by(args: list[str], tmp_path: Path, **env: str) -> set[str]:
    """Run ``blauwe-knop <args>`` in a fresh interpreter; the top-level modules it imported."""
    report = tmp_path / "modules.json"
    code = (
        "import json, sys\n"
        "from blauwe_knop.cli import main\n"
        f"sys.argv = ['blauwe-knop', *{args!r}]\n"
        "try:\n    main()\nexcept SystemExit as exc:\n    code = exc.code\nelse:\n    code = 0\n"
        f"open({str(report)!r}, 'w').write(json.dumps([code, sorted(sys.modules)]))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        cwd=REPO,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert report.exists(), done.stderr
    exit_code, modules = json.loads(report.read_text())
    assert exit_code in (0, None), done.stdout + done.stderr
    return {name.partition(".")[0] for name in modules}


@pytest.mark.parametrize(
    ("args", "also_without"),
    [
        (["--help"], ENGINE | {"vc_core"}),
        (["vc", "keygen"], ENGINE),
        (["vc", "--help"], ENGINE),
        (["wallet", "--help"], ENGINE - {"wallet_sdk"}),
        (["issuer", "--help"], {"pyld", "httpx"}),
        (["verifier", "check", "--help"], set()),
    ],
    ids=["help", "vc-keygen", "vc-help", "wallet-help", "issuer-help", "verifier-help"],
)
def test_light_commands_load_no_heavy_library(
    args: list[str], also_without: set[str], tmp_path: Path
) -> None:
    assert _loaded_by(args, tmp_path) & (HEAVY | also_without) == set()


def test_reading_the_wallet_loads_no_protocol_code(tmp_path: Path) -> None:
    env = {"BLAUWE_KNOP_WALLET_PASSPHRASE": "a passphrase for this test"}
    _loaded_by(["wallet", "--wallet", str(tmp_path / "w"), "init"], tmp_path, **env)
    loaded = _loaded_by(["wallet", "--wallet", str(tmp_path / "w"), "list"], tmp_path, **env)
    assert loaded & (HEAVY | {"pyld", "httpx"}) == set()


def test_help_lists_every_group_with_its_own_first_line() -> None:
    shown = CliRunner().invoke(app, ["--help"])
    assert shown.exit_code == 0
    for name, command in COMMANDS.items():
        assert name in shown.stdout
        group = typer.main.get_command(load(name))
        assert (group.help or "").splitlines()[0] == command.help


def test_a_group_runs_with_the_rest_of_the_line() -> None:
    made = CliRunner().invoke(app, ["vc", "keygen", "--curve", "Ed25519"])
    assert made.exit_code == 0, made.output
    assert json.loads(made.stdout)["id"].startswith("did:key:z6Mk")
    wrong = CliRunner().invoke(app, ["vc", "keygen", "--curve", "P-521"])
    assert wrong.exit_code == 2
    assert "unknown curve" in wrong.stderr
    assert CliRunner().invoke(app, ["nothing"]).exit_code == 2


def test_a_missing_extra_is_named(tmp_path: Path) -> None:
    code = (
        "import sys\n"
        "sys.modules['pydantic_settings'] = None\n"
        "from blauwe_knop.cli import main\n"
        "sys.argv = ['blauwe-knop', 'issuer', 'serve']\n"
        "main()\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=False
    )
    assert done.returncode == 2
    assert "'blauwe-knop issuer' needs the issuer extra" in done.stderr
    assert "pip install 'blauwe-knop[issuer]'" in done.stderr


def test_no_third_party_warning_reaches_the_terminal(tmp_path: Path) -> None:
    """pyHanko's import warning stays silent; a warning of ours is still shown."""
    (tmp_path / "not.pdf").write_bytes(b"%PDF-1.7 nothing")
    certificate = development_certificate(tmp_path / "tls", "localhost").cert_path
    done = subprocess.run(
        [
            Path(sys.executable).with_name("blauwe-knop"),
            *(
                "pdf",
                "verify",
                tmp_path / "not.pdf",
                "--trust",
                f"did:web:localhost:brp={certificate}",
            ),
        ],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert done.returncode == 1, done.stdout + done.stderr
    assert "Warning" not in done.stderr
    ours = subprocess.run(
        [
            sys.executable,
            "-c",
            "import warnings, vc_issuer.pdf, vc_verifier.pdf_seals;"
            "warnings.warn('ours stays', UserWarning)",
        ],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    )
    assert ours.stderr.count("Warning") == 1
    assert "ours stays" in ours.stderr
