"""A development issuer and landlord page that outside clients reach by name, over real https.

``blauwe-knop issuer serve --demo --dev-tls`` in one process; the wallet command
line in others, trusting only ``<data-dir>/tls/cert.pem`` through
``SSL_CERT_FILE``: no host mapping, no base-URL variable, no hand-made
certificate. Then ``blauwe-knop verifier serve --dev-tls`` decides on the
wallet's presentation, fetching the issuer's did:web document and status list
over https itself (no ``--route``).
"""

from __future__ import annotations

import html
import json
import os
import re
import ssl
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

import httpx

from blauwe_knop.servers import free_port, run_until_ready
from tests.issuer.support import DEMO_BSN
from tests.loopback import blauwe_knop
from vc_core.did import resolve_did
from vc_core.loader import NL_VC_V1_URL, bundled_contexts
from vc_core.status import check_status
from vc_verifier.http import http_fetch


def _clean_environment(**extra: str) -> dict[str, str]:
    """This process's environment without any blauwe-knop setting or trust store override."""
    kept = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith("BLAUWE_KNOP_") and name not in ("SSL_CERT_FILE", "SSL_CERT_DIR")
    }
    return {**kept, **extra}


def _run(*args: str | Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [blauwe_knop(), *map(str, args)],
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )


@contextmanager
def _serving(
    args: list[str], data_dir: Path, port: int, ready: str, env: dict[str, str]
) -> Iterator[str]:
    """Run ``blauwe-knop <args>``; yield its output once https://localhost:<port><ready> answers."""
    log = data_dir.parent / f"{data_dir.name}.log"
    command = [blauwe_knop(), *args, "--port", str(port), "--data-dir", str(data_dir)]
    url = f"https://localhost:{port}{ready}"
    with run_until_ready(command, env, log, url, trust=data_dir / "tls" / "cert.pem"):
        yield log.read_text()


def test_a_wallet_and_a_landlord_page_reach_a_dev_tls_issuer(tmp_path: Path) -> None:
    port, issuer_data = free_port(), tmp_path / "issuer"
    base = f"https://localhost:{port}"
    args = ["issuer", "serve", "--demo", "--dev-tls"]
    with _serving(args, issuer_data, port, "/brp/did.json", _clean_environment()) as started:
        certificate = issuer_data / "tls" / "cert.pem"
        assert oct((issuer_data / "tls" / "key.pem").stat().st_mode & 0o777) == "0o600"
        tax_office = f"did:web:localhost%3A{port}:belastingdienst"
        assert f"{base}/belastingdienst" in started
        assert tax_office in started
        assert f"Citizen portal: {base}/portaal/" in started
        assert f"SSL_CERT_FILE={certificate}" in started

        # The operator makes an offer through the running service; its QR code is a PNG file.
        trusting = _clean_environment(SSL_CERT_FILE=str(certificate))
        made = _run(
            *("issuer", "offer", "--source", "belastingdienst", "--bsn", DEMO_BSN),
            *("--server", base, "--data-dir", issuer_data, "--json"),
            env=trusting,
        )
        assert made.returncode == 0, made.stderr
        offer = json.loads(made.stdout)
        assert offer["offer_uri"].startswith("openid-credential-offer://")

        # The citizen's wallet, in its own processes, scans that QR image.
        wallet_dir = tmp_path / "wallet"
        citizen = {**trusting, "BLAUWE_KNOP_WALLET_PASSPHRASE": "correct horse battery staple"}
        wallet = ("wallet", "--wallet", wallet_dir)
        created = _run(*wallet, "init", "--trust", f"{base}/belastingdienst", env=citizen)
        assert created.returncode == 0, created.stderr
        received = _run(
            *wallet, "receive", offer["qr_png"], "--tx-code", offer["tx_code"], "--yes", env=citizen
        )
        assert received.returncode == 0, received.stdout + received.stderr
        assert "saved" in received.stdout
        listed = json.loads(_run(*wallet, "list", "--json", env=citizen).stdout)
        assert [(c["credential_issuer"], c["issuer"]) for c in listed] == [
            (f"{base}/belastingdienst", tax_office)
        ]

        # An outside verifier with a plain client (trusting cert.pem) finds everything the
        # credential points to on the service: the did:web, our context, the status list.
        shown = _run(*wallet, "show", listed[0]["id"], env=citizen)
        credential = json.loads(shown.stdout)
        trust_issuer = ssl.create_default_context(cafile=certificate)
        with httpx.Client(verify=trust_issuer, timeout=30) as plain:
            fetch = http_fetch(plain)
            assert resolve_did(tax_office, fetch=fetch)["id"] == tax_office
            ours = urlsplit(NL_VC_V1_URL).path
            assert NL_VC_V1_URL in credential["@context"]
            context = fetch(f"{base}{ours}", accept="application/ld+json")
            assert json.loads(context) == bundled_contexts()[NL_VC_V1_URL]
            statuses = check_status(credential, fetch=fetch)
            assert [(s.purpose, s.valid) for s in statuses] == [
                ("revocation", True),
                ("suspension", True),
            ]

        # The landlord's page trusts the issuer's certificate and DID, and nothing is routed.
        page_port, page_data = free_port(), tmp_path / "landlord"
        page_args = ["verifier", "serve", "--dev-tls", "--trust-issuer", tax_office]
        ready = "/.well-known/did.json"
        with _serving(page_args, page_data, page_port, ready, trusting) as page_log:
            assert f"did:web:localhost%3A{page_port}" in page_log
            page_certificate = page_data / "tls" / "cert.pem"
            bundle = tmp_path / "both.pem"
            bundle.write_text(certificate.read_text() + page_certificate.read_text())
            trust_page = ssl.create_default_context(cafile=page_certificate)
            with httpx.Client(
                base_url=f"https://localhost:{page_port}", verify=trust_page, timeout=30
            ) as desk:
                token = re.search(r'name="csrf_token" value="([^"]+)"', desk.get("/").text)
                assert token is not None
                check = desk.post(
                    "/controles", data={"csrf_token": token.group(1), "household_size": "1"}
                )
                assert check.status_code == 303
                page = desk.get(check.headers["location"]).text
                uri = re.search(r'href="(openid4vp://[^"]+)"', page)
                assert uri is not None
                # The page is on localhost: the citizen trusts this development verifier.
                origin = f"https://localhost:{page_port}"
                trusted = _run(*wallet, "trust", "--verifier", origin, env=citizen)
                assert trusted.returncode == 0, trusted.stderr
                shown = _run(
                    *wallet, "present", html.unescape(uri.group(1)), "--yes",
                    env={**citizen, "SSL_CERT_FILE": str(bundle)},
                )  # fmt: skip
                assert shown.returncode == 0, shown.stdout + shown.stderr
                decided = _answered(desk, check.headers["location"])
        assert 'data-state="decided"' in decided, decided
        assert "Het inkomen valt binnen de grens voor sociale huur." in decided


def _answered(desk: httpx.Client, location: str) -> str:
    """Poll the check's page until it leaves the waiting states; return the page."""
    deadline = time.monotonic() + 60
    while True:
        page = desk.get(location).text
        waiting = 'data-state="pending"' in page or 'data-state="processing"' in page
        if not waiting or time.monotonic() > deadline:
            return page
        time.sleep(0.5)
