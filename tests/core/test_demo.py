"""``blauwe-knop demo``: issue -> disclose selectively -> verify -> tamper, with its files."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from vc_core import ProofVerificationError, canonicalize, verify
from vc_core._demo import MANDATORY_POINTERS, run
from vc_core.cli import app

FILES = ["credential.json", "signed-base.json", "disclosure.json", "disclosure.nq", "tampered.json"]


def read(folder: Path, name: str) -> dict[str, Any]:
    value = json.loads((folder / name).read_text(encoding="utf-8"))
    assert isinstance(value, dict)
    return value


def test_run_writes_every_file_and_returns_0(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "nested" / "demo"
    assert run(out) == 0
    assert sorted(path.name for path in out.iterdir()) == sorted(FILES)
    printed = capsys.readouterr().out
    assert "4. A tampered copy was refused: PROOF_VERIFICATION_ERROR" in printed
    assert "FAILED" not in printed


def test_disclosure_hides_the_income_and_verifies(tmp_path: Path) -> None:
    assert run(tmp_path) == 0
    credential = read(tmp_path, "credential.json")
    disclosure = read(tmp_path, "disclosure.json")
    subject = disclosure["credentialSubject"]
    assert "verzamelinkomen" not in subject
    assert subject["inkomensklasse"] == "midden"
    verified = verify(disclosure).document
    assert "verzamelinkomen" not in json.dumps(verified)
    for pointer in MANDATORY_POINTERS:
        *parents, name = pointer.lstrip("/").split("/")
        shown, original = verified, credential
        for parent in parents:
            shown, original = shown[parent], original[parent]
        assert shown[name] == original[name]
    assert (tmp_path / "disclosure.nq").read_text() == canonicalize(disclosure)


def test_signed_base_is_not_a_presentation_and_tampered_copy_fails(tmp_path: Path) -> None:
    assert run(tmp_path) == 0
    base = read(tmp_path, "signed-base.json")
    assert base["proof"]["proofValue"].startswith("u2V0A")
    with pytest.raises(ProofVerificationError):
        verify(base)
    with pytest.raises(ProofVerificationError) as caught:
        verify(read(tmp_path, "tampered.json"))
    assert caught.value.code == "PROOF_VERIFICATION_ERROR"


def test_demo_command(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["demo", "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "3. Landlord verified it: tax year 2024, income class 'midden'" in result.stdout
    assert (tmp_path / "disclosure.json").is_file()
