"""`blauwe-knop demo` end to end: a real issuer process on loopback, then its artefacts checked."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from cryptography import x509

from blauwe_knop.servers import ISSUER_BASE_URL
from vc_core import verify
from vc_core.certified_copy import BUNDLE_DOMAIN
from vc_core.errors import FetchError, ProofVerificationError
from vc_core.keys import KeyPair
from vc_core.sd_jwt import DidWebKeys, verify_sd_jwt_vc
from vc_core.types import Fetch
from vc_verifier import Verifier, verify_record
from vc_verifier.trust import ANY_TYPE
from wallet_sdk import EXPORT_DOMAIN
from wallet_sdk.qr_image import decode_qr_image


def blauwe_knop() -> str:
    found = shutil.which("blauwe-knop", path=str(Path(sys.executable).parent))
    assert found is not None, "install the package (make setup) for the blauwe-knop command"
    return found


def run_demo(out: Path, **environment: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [blauwe_knop(), "demo", "--out", str(out), "--people", "20"],
        env={**os.environ, "COLUMNS": "120", **environment},
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )


def read(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def offline_fetch(out: Path) -> Fetch:
    """The DID documents the demo saved, served by URL; anything else is not there."""
    documents = {
        f"{ISSUER_BASE_URL}/{path.stem}/did.json": path.read_bytes()
        for path in (out / "dids").glob("*.json")
        if path.stem != "landlord"
    }
    documents["https://verhuur.example.nl/.well-known/did.json"] = (
        out / "dids" / "landlord.json"
    ).read_bytes()

    def fetch(url: str, *, accept: str) -> bytes:
        if url not in documents:
            raise FetchError(f"not saved by the demo: {url}")
        return documents[url]

    return fetch


@dataclass(frozen=True)
class Served:
    """What the pages answered while ``demo --serve`` kept them running, and what it printed."""

    portal_status: int
    landlord_status: int
    landlord_page: str
    landlord_url: str
    printed: str


@pytest.fixture(scope="module")
def demo_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Served]:
    """One ``blauwe-knop demo --serve`` run: pages checked, then stopped with SIGTERM."""
    out = tmp_path_factory.mktemp("demo") / "run"
    process = subprocess.Popen(
        [blauwe_knop(), "demo", "--serve", "--out", str(out), "--people", "20"],
        env={**os.environ, "COLUMNS": "160"},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    assert process.stdout is not None
    lines = []
    try:
        for line in process.stdout:
            lines.append(line)
            if "Ctrl-C" in line:
                break
        text = "".join(lines)
        portal = re.search(r"http://127\.0\.0\.1:\d+/portaal/", text)
        landlord = re.search(r"Landlord's page: (http://127\.0\.0\.1:\d+/)", text)
        assert portal is not None, text
        assert landlord is not None, text
        page = httpx.get(landlord.group(1))
        served = Served(
            httpx.get(portal.group(0)).status_code,
            page.status_code,
            page.text,
            landlord.group(1),
            text,
        )
    finally:
        process.send_signal(signal.SIGTERM)
        rest, _ = process.communicate(timeout=60)
    assert process.returncode == 0, "".join(lines) + rest
    return out, served


@pytest.fixture(scope="module")
def demo_out(demo_run: tuple[Path, Served]) -> Path:
    return demo_run[0]


def test_the_run_names_its_folder_and_nothing_failed(demo_run: tuple[Path, Served]) -> None:
    out, served = demo_run
    assert "FAILED" not in served.printed
    assert str(out.resolve()) in served.printed.replace("\n", "")


def test_serve_kept_the_portal_and_the_landlord_page_running(
    demo_run: tuple[Path, Served],
) -> None:
    _, served = demo_run
    assert served.portal_status in (200, 303)
    assert served.landlord_status == 200
    assert "49.500,00" in served.landlord_page
    with pytest.raises(httpx.TransportError):
        httpx.get(served.landlord_url, timeout=2)


def test_every_step_ran(demo_out: Path) -> None:
    summary = read(demo_out / "summary.json")
    statuses = [status for _, status in summary["steps"]]
    assert statuses == ["ok"] * 8
    assert (demo_out / "logs" / "issuer.log").stat().st_size > 0
    assert "Revocation by the source" in (demo_out / "logs" / "demo.txt").read_text()


def test_the_sd_jwt_vc_leg_decided_on_the_facts_alone(demo_out: Path) -> None:
    summary = read(demo_out / "summary.json")
    assert summary["sd_jwt_vc"]["decision"]["basis"] == "facts"
    assert summary["sd_jwt_vc"]["decision"]["claimsSeen"] == [
        "belastingjaar",
        "inkomenstoets.huishoudgrootte",
        "inkomenstoets.onderSocialeHuurgrens",
        "inkomenstoets.regel",
        "inkomenstoets.regelJaar",
    ]
    # The SD-JWT VC the wallet received verifies offline with the DID document the demo saved.
    issued = (demo_out / "credentials" / "belastingdienst-sd-jwt.txt").read_text()
    keys = DidWebKeys(["did:web:issuer.example.nl:belastingdienst"], fetch=offline_fetch(demo_out))
    verified = verify_sd_jwt_vc(issued, key_resolver=keys)
    assert verified.vct == f"{ISSUER_BASE_URL}/belastingdienst/vct/InkomensverklaringCredential"
    assert verified.id in read(demo_out / "summary.json")["revocation"]["revoked"]


def _offline_checker(out: Path, sources: list[str]) -> Verifier:
    """Trusts the seal certificates the demo saved; no network (the keys are in the PDF)."""
    seals = {
        f"did:web:issuer.example.nl:{source}": [
            x509.load_pem_x509_certificate(
                (out / "certificates" / f"{source}-seal.pem").read_bytes()
            )
        ]
        for source in sources
    }
    return Verifier(
        client_id="redirect_uri:http://localhost/tests",
        signing_key=KeyPair.generate("P-256"),
        trusted_issuers={did: [ANY_TYPE] for did in seals},
        trusted_seals=seals,
    )


def test_the_basis_pdf_verifies_against_the_sources_certificate(demo_out: Path) -> None:
    pdf = (demo_out / "basis" / "belastingdienst-afschrift.pdf").read_bytes()
    checker = _offline_checker(demo_out, ["belastingdienst"])
    report = checker.check_certified_pdf(pdf)
    assert report.valid, report.to_json()
    assert report.presentation is not None
    (credential,) = report.presentation.credentials
    assert credential.claim("belastingjaar") == 2024
    tampered = pdf.replace(b"Belastingdienst", b"Belastingdienxt", 1)
    assert not checker.check_certified_pdf(tampered).valid
    assert read(demo_out / "basis" / "belastingdienst-afschrift-check.json")["valid"] is True


def test_the_aggregated_pdf_and_bundle_carry_the_same_four_credentials(demo_out: Path) -> None:
    folder = demo_out / "basis-2.0"
    sources = ["brp", "belastingdienst", "duo", "rdw"]
    checker = _offline_checker(demo_out, sources)
    report = checker.check_certified_pdf((folder / "gewaarmerkt-overzicht.pdf").read_bytes())
    assert report.valid, report.to_json()
    assert [s.source for s in report.sources] == sources
    online = read(folder / "pdf-check.json")  # the demo checked it online
    assert {s["credential"]["status"] for s in online["sources"]} == {"valid"}
    bundle = read(folder / "gewaarmerkt-overzicht.json")
    assert {c["id"] for c in bundle["verifiableCredential"]} == {
        s.credential.unverified_id for s in report.sources
    }
    verify(bundle, domain=BUNDLE_DOMAIN, fetch=offline_fetch(demo_out))


def test_the_qr_images_hold_the_offers_and_the_request(demo_out: Path) -> None:
    for source in ("brp", "belastingdienst", "duo", "rdw"):
        text = decode_qr_image(demo_out / "qr" / f"offer-{source}.png")
        assert text.startswith("openid-credential-offer://")
    request = decode_qr_image(demo_out / "qr" / "landlord-request-facts.png")
    assert "client_id=decentralized_identifier" in request


def test_the_export_verifies_offline(demo_out: Path) -> None:
    exported = read(demo_out / "basis-2.0" / "wallet-export.json")
    fetch = offline_fetch(demo_out)
    verify(exported, domain=EXPORT_DOMAIN, expected_proof_purpose="authentication", fetch=fetch)
    types = [credential["type"][-1] for credential in exported["verifiableCredential"]]
    assert types == [
        "PersoonsgegevensCredential",
        "InkomensverklaringCredential",
        "DiplomaCredential",
    ]
    for credential in exported["verifiableCredential"]:
        verify(credential, fetch=fetch)


def test_the_facts_presentation_hides_the_amount(demo_out: Path) -> None:
    fields = read(demo_out / "landlord" / "facts-presentation.json")
    (presentation,) = json.loads(fields["vp_token"])["inkomen"]
    (credential,) = presentation["verifiableCredential"]
    subject = credential["credentialSubject"]
    assert "verzamelinkomen" not in subject
    assert "inkomensklasse" not in subject
    assert subject["inkomenstoets"]["onderSocialeHuurgrens"] is True


def test_the_verification_record_verifies_and_edits_are_caught(demo_out: Path) -> None:
    # The facts decide, or (when the fact was computed for another rule year) the amount.
    landlord = demo_out / "landlord"
    decided = landlord / "amount-verification-record.json"
    record = read(decided if decided.exists() else landlord / "facts-verification-record.json")
    checked = verify_record(record, fetch=offline_fetch(demo_out))
    assert checked.meets is True
    assert checked.signer == "did:web:verhuur.example.nl#key-1"
    record["record"]["decision"]["meets"] = False
    with pytest.raises(ProofVerificationError) as caught:
        verify_record(record, fetch=offline_fetch(demo_out))
    assert caught.value.code == "PROOF_VERIFICATION_ERROR"


def test_plus_shared_only_the_granted_claims_until_revoked(demo_out: Path) -> None:
    grant = read(demo_out / "plus" / "grant.json")
    assert len(grant["signatures"]) == 1
    shared = read(demo_out / "plus" / "fetched-credential.json")
    verify(shared, fetch=offline_fetch(demo_out))
    assert set(shared["credentialSubject"]) == {"id", "type", "belastingjaar", "verzamelinkomen"}
    assert shared["ontvanger"] == "did:web:verhuur.example.nl"
    record = verify_record(
        read(demo_out / "plus" / "verification-record.json"), fetch=offline_fetch(demo_out)
    )
    assert record.meets is True
    log = read(demo_out / "plus" / "access-log.json")
    assert log["chain_valid"] is True
    assert [entry["event"] for entry in log["entries"]] == [
        "granted",
        "served",
        "revoked",
        "refused",
    ]


def test_the_revoked_statement_was_refused(demo_out: Path) -> None:
    refusal = read(demo_out / "landlord" / "after-revocation-refusal.json")
    assert "CREDENTIAL_REVOKED" in refusal["problems"]
    assert "400" in refusal["answer"]


def test_a_failing_start_gives_a_nonzero_exit(tmp_path: Path) -> None:
    finished = run_demo(
        tmp_path / "out",
        BLAUWE_KNOP_ISSUER_DATABASE_URL=f"sqlite:///{tmp_path}/missing/folder/issuer.db",
    )
    assert finished.returncode == 1
    assert "FAILED" in finished.stdout
