"""The ``blauwe-knop vc`` command line: exit codes 0 / 1 / 2, files, stdin and --output."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner, Result

from tests.core.samples import income_credential
from vc_core import KeyPair, canonicalize, did_key, verify
from vc_core.cli import app

Json = dict[str, Any]

REPO = Path(__file__).resolve().parents[2]
GARDEN_URL = "https://example.org/contexts/tuin/v1"
GARDEN_CONTEXT: Json = {
    "@context": {
        "TuinCredential": "https://example.org/ns/tuin#TuinCredential",
        "grondsoort": "https://example.org/ns/tuin#grondsoort",
    }
}
SUITES = [
    ("P-256", "ecdsa-rdfc-2019"),
    ("P-384", "ecdsa-rdfc-2019"),
    ("Ed25519", "eddsa-rdfc-2022"),
    ("P-256", "ecdsa-sd-2023"),
]
SUITE_IDS = ["p256-ecdsa-rdfc-2019", "p384-ecdsa-rdfc-2019", "eddsa-rdfc-2022", "ecdsa-sd-2023"]


def run(*args: str | Path, stdin: str | None = None) -> Result:
    return CliRunner().invoke(app, [str(arg) for arg in args], input=stdin)


def write_json(path: Path, value: object) -> Path:
    path.write_text(json.dumps(value), encoding="utf-8")
    return path


@pytest.fixture
def key_file(tmp_path: Path) -> Path:
    path = tmp_path / "key.json"
    assert run("keygen", "--output", path).exit_code == 0
    return path


@pytest.fixture
def credential_file(tmp_path: Path, key_file: Path) -> Path:
    issuer = KeyPair.from_multikey(json.loads(key_file.read_text()))
    return write_json(tmp_path / "credential.json", income_credential(did_key(issuer), "did:x:h"))


@pytest.fixture
def signed_file(tmp_path: Path, credential_file: Path, key_file: Path) -> Path:
    path = tmp_path / "signed.json"
    assert run("sign", credential_file, "--key", key_file, "-o", path).exit_code == 0
    return path


# --- the happy path ---------------------------------------------------------------------------


@pytest.mark.parametrize(("curve", "suite"), SUITES, ids=SUITE_IDS)
def test_keygen_sign_derive_verify(tmp_path: Path, curve: str, suite: str) -> None:
    keygen = run("keygen", "--curve", curve)
    assert keygen.exit_code == 0, keygen.output
    key_json = json.loads(keygen.stdout)
    assert key_json["id"].startswith("did:key:")
    key = KeyPair.from_multikey(key_json)
    assert key.curve == curve
    key_file = write_json(tmp_path / "key.json", key_json)
    credential_file = write_json(tmp_path / "c.json", income_credential(did_key(key), "did:x:h"))

    options = ["--cryptosuite", suite]
    if suite == "ecdsa-sd-2023":
        options += ["--mandatory", "/issuer", "--mandatory", "/credentialSubject/id"]
    signed = run("sign", credential_file, "--key", key_file, *options)
    assert signed.exit_code == 0, signed.output
    secured = json.loads(signed.stdout)
    assert secured["proof"]["cryptosuite"] == suite
    assert secured["proof"]["verificationMethod"] == key_json["id"]
    if suite == "ecdsa-sd-2023":
        derived = run(
            "derive", "-", "--selective", "/credentialSubject/inkomensklasse",
            stdin=signed.stdout,
        )  # fmt: skip
        assert derived.exit_code == 0, derived.output
        secured = json.loads(derived.stdout)
        assert "verzamelinkomen" not in secured["credentialSubject"]

    secured_file = write_json(tmp_path / "secured.json", secured)
    verified = run("verify", secured_file)
    assert verified.exit_code == 0, verified.output
    assert verified.stdout.startswith("verified (1 proof(s); did:key:")
    verify(secured)


def test_keygen_writes_a_secret_multikey(key_file: Path) -> None:
    key_json = json.loads(key_file.read_text())
    assert set(key_json) == {"id", "type", "controller", "publicKeyMultibase", "secretKeyMultibase"}
    assert key_json["id"] == f"{key_json['controller']}#{key_json['publicKeyMultibase']}"


def test_default_cryptosuite_and_options(key_file: Path, credential_file: Path) -> None:
    signed = run(
        "sign", credential_file, "--key", key_file,
        "--challenge", "c-1", "--domain", "rp.example", "--purpose", "authentication",
    )  # fmt: skip
    proof = json.loads(signed.stdout)["proof"]
    assert (proof["cryptosuite"], proof["challenge"], proof["domain"], proof["proofPurpose"]) == (
        "ecdsa-rdfc-2019",
        "c-1",
        "rp.example",
        "authentication",
    )
    checks = ["--challenge", "c-1", "--domain", "rp.example", "--purpose", "authentication"]
    assert run("verify", "-", *checks, stdin=signed.stdout).exit_code == 0


# --- not verified: exit 1 ---------------------------------------------------------------------


def test_tampered_document_exits_1_with_the_problem_code(tmp_path: Path, signed_file: Path) -> None:
    document = json.loads(signed_file.read_text())
    document["credentialSubject"]["inkomensklasse"] = "hoog"
    result = run("verify", write_json(tmp_path / "t.json", document))
    assert result.exit_code == 1
    assert result.stdout.startswith("PROOF_VERIFICATION_ERROR at proof: ")


def test_wrong_challenge_exits_1(signed_file: Path) -> None:
    result = run("verify", signed_file, "--challenge", "expected")
    assert result.exit_code == 1
    assert result.stdout.startswith("INVALID_CHALLENGE_ERROR")


@pytest.mark.parametrize(
    ("content", "code"), [("{not json", "PARSING_ERROR"), ("[]", "PARSING_ERROR")]
)
def test_unparsable_or_non_object_input_is_not_verified(content: str, code: str) -> None:
    result = run("verify", "-", stdin=content)
    assert result.exit_code == 1
    assert result.stdout.startswith(code)


def test_sign_and_derive_failures_exit_1(
    tmp_path: Path, credential_file: Path, key_file: Path, signed_file: Path
) -> None:
    wrong_suite = run(
        "sign", credential_file, "--key", key_file, "--cryptosuite", "eddsa-rdfc-2022"
    )
    assert wrong_suite.exit_code == 1
    assert "PROOF_GENERATION_ERROR" in wrong_suite.stderr
    not_sd = run("derive", signed_file, "--selective", "/issuer")
    assert not_sd.exit_code == 1
    assert "PROOF_GENERATION_ERROR" in not_sd.stderr


# --- usage errors: exit 2 ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        ["verify", "--no-such-option", "{signed}"],
        ["verify", "{missing}"],
        ["keygen", "--curve", "P-521"],
        ["sign", "{credential}", "--key", "{missing}"],
        ["sign", "{credential}", "--key", "{credential}"],
        ["sign", "{credential}"],
        ["sign", "{credential}", "--key", "{key}", "--cryptosuite", "bbs-2023"],
        ["verify", "{signed}", "--context", "no-equals-sign"],
        ["canonicalize", "{credential}", "--hash", "md5"],
        ["nothing"],
    ],
    ids=[
        "unknown-option",
        "missing-file",
        "unknown-curve",
        "missing-key-file",
        "not-a-key",
        "no-key",
        "unknown-cryptosuite",
        "bad-context",
        "unknown-hash",
        "unknown-command",
    ],
)
def test_usage_errors_exit_2(
    args: list[str], tmp_path: Path, credential_file: Path, key_file: Path, signed_file: Path
) -> None:
    files = {
        "signed": signed_file,
        "credential": credential_file,
        "key": key_file,
        "missing": tmp_path / "missing.json",
    }
    result = run(*(arg.format(**files) for arg in args))
    assert result.exit_code == 2, result.output
    assert result.stdout == ""


# --- canonicalize, stdin, --output, --context -------------------------------------------------


@pytest.mark.parametrize("hash_name", ["sha256", "sha384"])
def test_canonicalize_prints_the_library_nquads(credential_file: Path, hash_name: Any) -> None:
    result = run("canonicalize", credential_file, "--hash", hash_name)
    assert result.exit_code == 0, result.output
    document = json.loads(credential_file.read_text())
    assert result.stdout == canonicalize(document, hash_name=hash_name)


def test_canonicalize_reads_stdin_and_writes_output(tmp_path: Path, credential_file: Path) -> None:
    output = tmp_path / "out.nq"
    result = run("canonicalize", "-", "--output", output, stdin=credential_file.read_text())
    assert (result.exit_code, result.stdout) == (0, "")
    assert output.read_text() == canonicalize(json.loads(credential_file.read_text()))


def test_canonicalize_refuses_an_undefined_term(tmp_path: Path) -> None:
    document = {"@context": "https://www.w3.org/ns/credentials/v2", "annualIncome": 1}
    result = run("canonicalize", write_json(tmp_path / "d.json", document))
    assert result.exit_code == 1
    assert "DATA_LOSS_DETECTION_ERROR" in result.stderr


def test_sign_reads_stdin_and_writes_output(
    tmp_path: Path, credential_file: Path, key_file: Path
) -> None:
    output = tmp_path / "signed.json"
    stdin = credential_file.read_text()
    result = run("sign", "-", "--key", key_file, "--output", output, stdin=stdin)
    assert (result.exit_code, result.stdout) == (0, "")
    verify(json.loads(output.read_text()))


def test_context_option_serves_a_custom_context(tmp_path: Path, key_file: Path) -> None:
    context_file = write_json(tmp_path / "tuin.json", GARDEN_CONTEXT)
    issuer = KeyPair.from_multikey(json.loads(key_file.read_text()))
    credential = {
        "@context": ["https://www.w3.org/ns/credentials/v2", GARDEN_URL],
        "type": ["VerifiableCredential", "TuinCredential"],
        "issuer": did_key(issuer),
        "credentialSubject": {"grondsoort": "klei"},
    }
    context = f"{GARDEN_URL}={context_file}"
    source = write_json(tmp_path / "c.json", credential)
    signed = run("sign", source, "--key", key_file, "--context", context)
    assert signed.exit_code == 0, signed.output
    assert run("verify", "-", "--context", context, stdin=signed.stdout).exit_code == 0
    without = run("verify", "-", stdin=signed.stdout)
    assert without.exit_code == 1
    assert without.stdout.startswith("LOADING_DOCUMENT_FAILED")
    # A context may not replace a bundled one.
    bundled = f"https://www.w3.org/ns/credentials/v2={context_file}"
    assert run("verify", "-", "--context", bundled, stdin=signed.stdout).exit_code == 2


# --- the installed console script -------------------------------------------------------------


def test_console_script(tmp_path: Path, signed_file: Path) -> None:
    script = Path(sys.executable).with_name("blauwe-knop")
    if script.exists():
        command = [str(script)]
    else:  # not installed with `pip install -e .`: run the same entry point
        command = [sys.executable, "-c", "from blauwe_knop.cli import main; main()"]
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    verified = subprocess.run(
        [*command, "vc", "verify", str(signed_file)],
        capture_output=True, text=True, env=env, check=False, timeout=60,
    )  # fmt: skip
    assert verified.returncode == 0, verified.stderr
    assert verified.stdout.startswith("verified (1 proof(s)")
    usage = subprocess.run(
        [*command, "vc", "keygen", "--curve", "secp256k1"],
        capture_output=True, text=True, env=env, check=False, timeout=60,
    )  # fmt: skip
    assert usage.returncode == 2
    assert "unknown curve" in usage.stderr
