"""Run the four W3C VC test suites against our VC API, offline, and write docs/conformance.md.

    .venv/bin/python scripts/conformance.py --suites DIR     (what `make conformance` runs)

DIR holds plain checkouts (clones, or `git archive` extracts) of the GitHub
repositories, each in a folder named after its repository:
vc-di-ecdsa-test-suite, vc-di-eddsa-test-suite, vc-data-model-2.0-test-suite,
vc-bitstring-status-list-test-suite, and their dependencies
vc-test-suite-implementations, data-integrity-test-suite-assertion and
vc-di-ecdsa. The report names each suite's commit: `git rev-parse` in a clone,
else the first line of a `.commit` file in the folder (write it when
extracting). Nothing is fetched but npm packages from the registry.

1. Install: the two GitHub-only dependencies are packed with `npm pack`, each
   suite's `github:` dependencies point at the packs, its lockfile and its
   `pretest` script (an `npm update` against GitHub) go, vc-di-ecdsa is placed
   where the ECDSA suite's postinstall would clone it, then `npm install`.
2. Serve: `blauwe-knop issuer serve --demo` over TLS on localhost (a fresh
   self-signed certificate), with a random admin token for the issuers.
3. Configure: every suite gets the same localConfig.cjs, built from
   `blauwe-knop issuer vc-api --json`, declaring one issuer per cryptosuite and
   curve, the verifiers, the presentation verifier and the holder (derive).
   Interop tests run too, with our implementation as the only one (the ECDSA
   suite's holder is renamed to ours in the scratch checkout).
4. Run mocha with a JSON reporter per suite, and write the table (passed,
   failed, pending per suite, with the suite commits and the date) to the report.
"""

from __future__ import annotations

import argparse
import datetime
import ipaddress
import json
import os
import secrets
import shutil
import ssl
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from blauwe_knop.servers import blauwe_knop_command, free_port, run_until_ready

REPO = Path(__file__).resolve().parent.parent
SUITES = {
    "vc-di-ecdsa-test-suite": "Data Integrity ECDSA (ecdsa-rdfc-2019, ecdsa-sd-2023)",
    "vc-di-eddsa-test-suite": "Data Integrity EdDSA (eddsa-rdfc-2022)",
    "vc-data-model-2.0-test-suite": "VC Data Model 2.0",
    "vc-bitstring-status-list-test-suite": "Bitstring Status List",
}
PACKED = ("vc-test-suite-implementations", "data-integrity-test-suite-assertion")
IMPLEMENTATION = "blauwe-knop"


def npm(folder: Path, *args: str) -> str:
    result = subprocess.run(
        ["npm", *args, "--no-audit", "--no-fund", "--loglevel=error"],
        cwd=folder,
        check=True,
        capture_output=True,
        text=True,
    )
    return result.stdout


def install(suites: Path) -> None:
    """Make every suite runnable offline (step 1 of the module docstring)."""
    packs = suites / ".packs"
    packs.mkdir(exist_ok=True)
    for name in PACKED:
        if not list(packs.glob(f"{name}-*.tgz")):
            npm(suites / name, "pack", "--pack-destination", str(packs))
    for suite in SUITES:
        folder = suites / suite
        stamp = folder / "node_modules" / ".blauwe-knop-installed"
        if stamp.exists():
            continue
        manifest = json.loads((folder / "package.json").read_text())
        for section in ("dependencies", "devDependencies"):
            for dependency, spec in manifest.get(section, {}).items():
                if spec.startswith("github:"):
                    (pack,) = packs.glob(f"{dependency}-*.tgz")
                    manifest[section][dependency] = f"file:{pack}"
        manifest.get("scripts", {}).pop("pretest", None)
        (folder / "package.json").write_text(json.dumps(manifest, indent=2) + "\n")
        (folder / "package-lock.json").unlink(missing_ok=True)
        if suite == "vc-di-ecdsa-test-suite":
            target = folder / "tests" / "input" / "vc-di-ecdsa"
            if not target.exists():
                shutil.copytree(suites / "vc-di-ecdsa", target)
            # The SD interop test derives with the holder named here: ours.
            runner = folder / "config" / "runner.json"
            config = json.loads(runner.read_text())
            config["suites"]["ecdsa-sd-2023"]["vcHolder"]["holderName"] = IMPLEMENTATION
            runner.write_text(json.dumps(config, indent=2) + "\n")
        print(f"npm install in {suite} ...", flush=True)
        npm(folder, "install")
        stamp.touch()


def self_signed_certificate(folder: Path) -> tuple[Path, Path]:
    """A throwaway TLS certificate for localhost and 127.0.0.1; returns (cert, key) paths."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = datetime.datetime.now(datetime.UTC)
    san = x509.SubjectAlternativeName(
        [x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]
    )
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(san, critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = folder / "cert.pem", folder / "key.pem"
    cert_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_path, key_path


@contextmanager
def service(folder: Path, port: int, admin_token: str, log: Path) -> Iterator[dict[str, str]]:
    """Run the issuer service over TLS (output to ``log``); yield the environment it runs with."""
    cert, key = self_signed_certificate(folder)
    environment = {
        **os.environ,
        "BLAUWE_KNOP_ISSUER_MODE": "development",
        "BLAUWE_KNOP_ISSUER_BASE_URL": f"https://localhost:{port}",
        "BLAUWE_KNOP_ISSUER_DATA_DIR": str(folder / "data"),
        "BLAUWE_KNOP_ISSUER_ADMIN_TOKEN": admin_token,
        "BLAUWE_KNOP_ISSUER_DEMO_PEOPLE": "20",
        "BLAUWE_KNOP_ISSUER_STATUS_LIST_TTL_SECONDS": "0",
    }
    command = [
        *blauwe_knop_command(),
        *("issuer", "serve", "--demo", "--host", "localhost", "--port", str(port)),
        *("--ssl-certfile", str(cert), "--ssl-keyfile", str(key)),
    ]
    ready = f"https://localhost:{port}/openapi.json"
    trust = ssl.create_default_context(cafile=cert)
    with run_until_ready(command, environment, log, ready, verify=trust):
        yield environment


def local_config(identities: dict[str, dict[str, str]], base_url: str, admin_token: str) -> str:
    """The localConfig.cjs every suite reads: our issuers, verifiers and holder, by tag.

    Each issuer endpoint signs with one cryptosuite and key, so the DI issuers
    carry no ``options``: the ECDSA suite's helper writes a test's
    ``mandatoryPointers`` into a declared ``options`` object and so leaks them
    into every later request. The status list issuer asks for a status entry.
    """
    headers = {"Authorization": f"Bearer {admin_token}"}
    both = {"vc": ["1.1", "2.0"]}

    def issuer(name: str, tags: list[str], **extra: object) -> dict[str, object]:
        identity = identities[name]
        return {
            "id": identity["id"],
            "endpoint": base_url + identity["endpoint"],
            "headers": headers,
            "supports": both,
            "tags": tags,
            **extra,
        }

    verify_tags = ["ecdsa-rdfc-2019", "ecdsa-sd-2023", "eddsa-rdfc-2022", "vc2.0"]
    status_options = {"credentialStatus": {"type": "BitstringStatusListEntry"}}
    implementation = {
        "name": IMPLEMENTATION,
        "implementation": IMPLEMENTATION,
        "issuers": [
            issuer("ecdsa-rdfc-2019", ["ecdsa-rdfc-2019"], supportedEcdsaKeyTypes=["P-256"]),
            issuer("ecdsa-rdfc-2019-p384", ["ecdsa-rdfc-2019"], supportedEcdsaKeyTypes=["P-384"]),
            issuer("ecdsa-sd-2023", ["ecdsa-sd-2023"], supportedEcdsaKeyTypes=["P-256"]),
            issuer("eddsa-rdfc-2022", ["eddsa-rdfc-2022", "vc2.0"]),
            issuer("eddsa-rdfc-2022", ["BitstringStatusList"], options=status_options),
        ],
        "verifiers": [
            {
                "id": f"urn:{IMPLEMENTATION}:verifier",
                "endpoint": f"{base_url}/credentials/verify",
                "supportedEcdsaKeyTypes": ["P-256", "P-384"],
                "supports": both,
                "tags": [*verify_tags, "BitstringStatusList"],
            }
        ],
        "vpVerifiers": [
            {
                "id": f"urn:{IMPLEMENTATION}:verifier",
                "endpoint": f"{base_url}/presentations/verify",
                "supports": both,
                "tags": ["vc2.0"],
            }
        ],
        "vcHolders": [
            {
                "id": identities["ecdsa-sd-2023"]["id"],
                "endpoint": f"{base_url}/credentials/derive",
                "tags": ["vcHolder"],
            }
        ],
    }
    config = {
        "settings": {"enableInteropTests": True, "testAllImplementations": False},
        "implementations": [implementation],
    }
    return "// Written by scripts/conformance.py\nmodule.exports = " + json.dumps(config, indent=2)


def run_suite(folder: Path, environment: dict[str, str]) -> dict[str, object]:
    """Run one suite's mocha tests with the JSON reporter; return the parsed report."""
    report = folder / "conformance-result.json"
    report.unlink(missing_ok=True)
    # The suites print their debugging output (failed requests with their bodies) here.
    with (folder / "conformance-output.log").open("wb") as output:
        subprocess.run(
            [
                "npx",
                "mocha",
                "tests/",
                "--timeout",
                "30000",
                "--preserve-symlinks",
                "--reporter",
                "json",
                "--reporter-option",
                f"output={report}",
            ],
            cwd=folder,
            env={**environment, "NODE_TLS_REJECT_UNAUTHORIZED": "0", "DISABLE_INTEROP": "false"},
            stdout=output,
            stderr=subprocess.STDOUT,
            check=False,
        )
    result: dict[str, object] = json.loads(report.read_text())
    return result


def commit_of(folder: Path) -> str:
    """The commit of a checkout: ``git rev-parse`` in a clone, else its ``.commit`` file."""
    marker = folder / ".commit"
    if marker.exists():
        return marker.read_text().strip()[:8]
    found = subprocess.run(
        ["git", "-C", str(folder), "rev-parse", "HEAD"], capture_output=True, text=True
    )
    return found.stdout.strip()[:8] if found.returncode == 0 else "unknown"


def write_report(results: dict[str, dict[str, object]], suites: Path, out: Path) -> None:
    """The pass/fail table per suite with the suite commits and the date, then what did not pass."""
    today = datetime.date.today().isoformat()
    lines = [
        "# W3C test suites",
        "",
        f"`make conformance` on {today}: the four suites against `blauwe-knop issuer serve --demo` "
        "over TLS on localhost, with every cryptosuite, curve, VC version, the holder (derive) "
        "and the presentation verifier declared, and interop tests on (our implementation is "
        "the only one). Written by `scripts/conformance.py`.",
        "",
        "| suite | commit | passed | failed | pending |",
        "|---|---|---|---|---|",
    ]
    for suite, result in results.items():
        stats = result["stats"]
        assert isinstance(stats, dict)
        lines.append(
            f"| {suite} | {commit_of(suites / suite)} | {stats['passes']} | {stats['failures']} "
            f"| {stats['pending']} |"
        )
    for suite, result in results.items():
        failures = result["failures"]
        pending = result["pending"]
        assert isinstance(failures, list)
        assert isinstance(pending, list)
        if failures or pending:
            lines += ["", f"## {suite}", ""]
            lines += [f"- failed: {test['fullTitle']}" for test in failures]
            lines += [f"- pending (skipped by the suite): {test['fullTitle']}" for test in pending]
    out.write_text("\n".join(lines) + "\n")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--suites", type=Path, required=True, help="folder of the checkouts")
    parser.add_argument("--out", type=Path, default=REPO / "docs" / "conformance.md")
    parser.add_argument("--only", nargs="*", choices=list(SUITES), help="run only these suites")
    args = parser.parse_args()
    suites = args.suites.resolve()
    missing = [name for name in (*SUITES, *PACKED, "vc-di-ecdsa") if not (suites / name).is_dir()]
    if missing:
        parser.error(f"{suites} lacks the checkouts {', '.join(missing)}")
    install(suites)
    port, admin_token = free_port(), secrets.token_urlsafe(32)
    base_url = f"https://localhost:{port}"
    results: dict[str, dict[str, object]] = {}
    with tempfile.TemporaryDirectory(prefix="conformance-") as scratch:
        log = suites / "conformance-server.log"
        with service(Path(scratch), port, admin_token, log) as environment:
            identities = json.loads(
                subprocess.run(
                    [*blauwe_knop_command(), "issuer", "vc-api", "--json"],
                    env=environment,
                    check=True,
                    capture_output=True,
                    text=True,
                ).stdout
            )
            config = local_config(identities, base_url, admin_token)
            for suite in args.only or SUITES:
                (suites / suite / "localConfig.cjs").write_text(config)
                print(f"running {suite} ...", flush=True)
                results[suite] = run_suite(suites / suite, environment)
                stats = results[suite]["stats"]
                print(f"  {stats}", flush=True)
    write_report(results, suites, args.out)
    print(f"wrote {args.out}")
    return 0 if all(r["stats"]["failures"] == 0 for r in results.values()) else 1  # type: ignore[index]


if __name__ == "__main__":
    sys.exit(main())
