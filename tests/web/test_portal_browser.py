"""The citizen's journey through the portal in headless Chromium, against a real issuer server."""

from __future__ import annotations

import json
import subprocess
import zipfile
from pathlib import Path

import httpx
import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.remote.webelement import WebElement
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.wait import WebDriverWait

from tests.certified import flip_byte_in_object, page_content_object, strip_last_revision
from tests.issuer.support import ADMIN, client_fetch
from vc_core import KeyPair, did_key
from vc_core.proofs import verify
from vc_verifier.errors import PlusFetchError
from vc_verifier.plus import PlusClient
from wallet_sdk import MemoryStore, Wallet
from wallet_sdk.qr_image import decode_qr_image

from .conftest import Server, Steps, axe_violations, blauwe_knop, wait_for_download

DEMO_BSN = "999993653"
INCOME = "InkomensverklaringCredential"
SOURCES = ("brp", "belastingdienst", "duo", "rdw")


@pytest.fixture(scope="module")
def steps(browser: WebDriver, artifacts: Path) -> Steps:
    return Steps(browser, artifacts)


@pytest.fixture(scope="module")
def logged_in(browser: WebDriver, issuer_server: Server, steps: Steps) -> WebDriver:
    """The browser, logged in through the DEMO login as the demo citizen."""
    browser.get(issuer_server.url + "/")
    assert browser.current_url == issuer_server.url + "/portaal/inloggen"
    assert browser.find_element(By.TAG_NAME, "html").get_attribute("lang") == "nl"
    assert "DEMO" in browser.find_element(By.CSS_SELECTOR, "p.demo").text
    steps.shot("login")
    field = browser.find_element(By.ID, "bsn")
    label = browser.find_element(By.CSS_SELECTOR, "label[for=bsn]")
    assert label.text
    assert field.get_attribute("aria-describedby")
    field.send_keys(DEMO_BSN)
    browser.find_element(By.CSS_SELECTOR, "#demo-login ~ form button[type=submit]").click()
    _wait_for(browser, By.CSS_SELECTOR, "article#belastingdienst")
    return browser


def _wait_for(browser: WebDriver, by: str, selector: str) -> WebElement:
    found: WebElement = WebDriverWait(browser, 20).until(
        expected_conditions.presence_of_element_located((by, selector))
    )
    return found


def _button(browser: WebDriver, source: str, action: str) -> WebElement:
    return browser.find_element(By.CSS_SELECTOR, f"article#{source} button[value={action}]")


def test_the_audit_finds_what_the_old_pages_had(browser: WebDriver) -> None:
    """axe-core really runs: a banner outside any landmark and a self-refreshing page fail."""
    browser.get(
        "data:text/html,<!doctype html><html lang=nl><head><title>t</title>"
        "<meta http-equiv=refresh content=3></head><body><p>DEMO</p>"
        "<main><h1>Kop</h1><img src=qr.png></main></body></html>"
    )
    found = {violation["id"] for violation in axe_violations(browser)}
    assert {"meta-refresh", "region", "image-alt"} <= found


def test_overview_shows_the_citizens_data_per_source(logged_in: WebDriver, steps: Steps) -> None:
    browser = logged_in
    assert browser.current_url.endswith("/portaal/overzicht")
    steps.shot("overview")
    headings = [h.text for h in browser.find_elements(By.CSS_SELECTOR, "section.source h2")]
    assert headings == [
        "Basisregistratie Personen (demo)",
        "Belastingdienst (demo)",
        "Dienst Uitvoering Onderwijs (demo)",
        "Rijksdienst voor het Wegverkeer (demo)",
    ]
    person = browser.find_element(By.CSS_SELECTOR, "article#brp table").text
    assert "Anna Maria" in person
    assert "Oudegracht" in person
    income = browser.find_element(By.CSS_SELECTOR, "article#belastingdienst table").text
    assert "€ 41.250,00" in income
    assert "GZ-123-B" in browser.find_element(By.CSS_SELECTOR, "article#rdw table").text


def test_the_language_switch_shows_english(logged_in: WebDriver, steps: Steps) -> None:
    browser = logged_in
    browser.find_element(By.LINK_TEXT, "English").click()
    _wait_for(browser, By.CSS_SELECTOR, "html[lang=en]")
    assert browser.find_element(By.TAG_NAME, "h1").text == "My data"
    assert "Aggregate income" in browser.find_element(By.ID, "belastingdienst").text
    steps.shot("overview-english")
    browser.find_element(By.LINK_TEXT, "Nederlands").click()
    _wait_for(browser, By.CSS_SELECTOR, "html[lang=nl]")
    assert browser.find_element(By.TAG_NAME, "h1").text == "Mijn gegevens"


def test_download_a_sealed_pdf_that_pdf_verify_accepts(
    logged_in: WebDriver,
    artifacts: Path,
    public_http: httpx.Client,
    tmp_path: Path,
) -> None:
    downloads = artifacts / "downloads"
    before = set(downloads.iterdir())
    _button(logged_in, "belastingdienst", "pdf").click()
    pdf = wait_for_download(downloads, ".pdf", before=before)
    assert pdf.name == "belastingdienst-afschrift.pdf"
    assert pdf.read_bytes().startswith(b"%PDF")
    certificate = tmp_path / "seal.pem"
    seal = public_http.get("https://issuer.example.nl/belastingdienst/seal-certificate.pem")
    certificate.write_bytes(seal.raise_for_status().content)
    checked = subprocess.run(
        [blauwe_knop(), "pdf", "verify", str(pdf), "--trust", str(certificate)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert checked.stdout.strip().endswith("VALID")
    assert "seal Waarmerk-belastingdienst: intact, trusted" in checked.stdout


def _seal_certificates(public_http: httpx.Client, folder: Path) -> list[str]:
    """``--trust`` options for the four sources' published sealing certificates."""
    options = []
    for source in SOURCES:
        answer = public_http.get(f"https://issuer.example.nl/{source}/seal-certificate.pem")
        path = folder / f"{source}.pem"
        path.write_bytes(answer.raise_for_status().content)
        options += ["--trust", str(path)]
    return options


def test_download_everything_and_pdf_verify_reports_four_valid_sources(
    logged_in: WebDriver,
    steps: Steps,
    artifacts: Path,
    public_http: httpx.Client,
    issuer_server: Server,
    tmp_path: Path,
) -> None:
    """Basis 2.0 in the browser: one ZIP with the sealed PDF and the bundle of the same data."""
    browser = logged_in
    browser.get(issuer_server.url + "/portaal/overzicht")
    browser.find_element(By.CSS_SELECTOR, "#all-at-once a").click()
    _wait_for(browser, By.ID, "download-all")
    boxes = browser.find_elements(By.CSS_SELECTOR, "input[name=bron]")
    assert len(boxes) == 4
    assert all(box.is_selected() for box in boxes)
    assert browser.find_element(By.ID, "formaat-both").is_selected()
    steps.shot("download-all")
    for box in boxes:
        box.click()
    browser.find_element(By.ID, "download-all-button").click()
    _wait_for(browser, By.ID, "all-error")
    steps.shot("download-all-nothing-chosen")
    for box in browser.find_elements(By.CSS_SELECTOR, "input[name=bron]"):
        if not box.is_selected():
            box.click()
    downloads = artifacts / "downloads"
    before = set(downloads.iterdir())
    browser.find_element(By.ID, "download-all-button").click()
    archive = wait_for_download(downloads, ".zip", before=before)
    assert archive.name == "gewaarmerkt-overzicht.zip"
    with zipfile.ZipFile(archive) as opened:
        opened.extractall(tmp_path)
    pdf, bundle = tmp_path / "gewaarmerkt-overzicht.pdf", tmp_path / "gewaarmerkt-overzicht.json"

    trust = _seal_certificates(public_http, tmp_path)
    offline = _run([blauwe_knop(), "pdf", "verify", str(pdf), "--json", *trust])
    report = json.loads(offline.stdout)
    assert offline.returncode == 0, offline.stdout + offline.stderr
    assert report["valid"] is True
    assert [s["source"] for s in report["sources"]] == list(SOURCES)
    assert [s["seal"]["intact"] and s["seal"]["trusted"] for s in report["sources"]] == [True] * 4
    assert [s["credential"]["verified"] for s in report["sources"]] == [True] * 4
    assert [s["printed"]["matches"] for s in report["sources"]] == [True] * 4
    assert {s["credential"]["status"] for s in report["sources"]} == {"unknown"}
    online = _run(
        [
            blauwe_knop(),
            "pdf",
            "verify",
            str(pdf),
            "--json",
            *trust,
            "--online",
            "--route",
            f"https://issuer.example.nl={issuer_server.url}",
        ]
    )
    assert online.returncode == 0, online.stdout + online.stderr
    assert {s["credential"]["status"] for s in json.loads(online.stdout)["sources"]} == {"valid"}
    in_bundle = {c["id"] for c in json.loads(bundle.read_text())["verifiableCredential"]}
    assert in_bundle == {s["credential"]["id"] for s in report["sources"]}

    # One byte changed in the tax office's section, or the last seal cut off: named.
    data = pdf.read_bytes()
    page = report["sources"][1]["printed"]["pages"][0]
    tampered = tmp_path / "tampered.pdf"
    tampered.write_bytes(flip_byte_in_object(data, page_content_object(data, page)))
    changed = _run([blauwe_knop(), "pdf", "verify", str(tampered), *trust])
    assert changed.returncode == 1
    assert "NOT valid: changed section(s): belastingdienst" in changed.stdout
    tampered.write_bytes(strip_last_revision(data))
    stripped = _run([blauwe_knop(), "pdf", "verify", str(tampered), *trust])
    assert stripped.returncode == 1
    assert "seal Waarmerk-rdw: MISSING" in stripped.stdout
    assert "NOT valid: seal(s) missing: rdw" in stripped.stdout
    browser.find_element(By.LINK_TEXT, "Terug naar mijn gegevens").click()
    _wait_for(browser, By.CSS_SELECTOR, "article#belastingdienst")


def _run(command: list[str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, capture_output=True, text=True, timeout=180, check=False)


def test_download_the_credential_json(
    logged_in: WebDriver, artifacts: Path, public_http: httpx.Client
) -> None:
    downloads = artifacts / "downloads"
    before = set(downloads.iterdir())
    _button(logged_in, "brp", "json").click()
    credential = json.loads(wait_for_download(downloads, ".json", before=before).read_text())
    assert credential["type"] == ["VerifiableCredential", "PersoonsgegevensCredential"]
    assert credential["credentialSubject"]["geslachtsnaam"] == "Vries"
    assert credential["proof"]["cryptosuite"] == "ecdsa-rdfc-2019"
    verify(credential, fetch=client_fetch(public_http))


def test_add_to_my_wallet_by_scanning_the_shown_qr_code(
    logged_in: WebDriver, steps: Steps, artifacts: Path, public_http: httpx.Client
) -> None:
    browser = logged_in
    _button(browser, "belastingdienst", "wallet").click()
    figure = _wait_for(browser, By.CSS_SELECTOR, "#offer-qr svg")
    assert figure.get_attribute("role") == "img"
    assert figure.get_attribute("aria-label")
    steps.shot("add-to-wallet")
    tx_code = browser.find_element(By.ID, "tx-code").text
    assert len(tx_code) == 6
    assert tx_code.isdigit()
    assert "geldig tot" in browser.find_element(By.ID, "offer-expiry").text
    png = figure.screenshot_as_png
    (artifacts / "offer-qr.png").write_bytes(png)
    scanned = decode_qr_image(png)
    assert scanned.startswith("openid-credential-offer://?credential_offer_uri=")
    assert scanned == browser.find_element(By.ID, "offer-link").get_attribute("href")
    assert (
        browser.find_element(By.ID, "offer-png")
        .get_attribute("href")
        .startswith("data:image/png;base64,")
    )

    wallet = Wallet(
        store=MemoryStore(),
        http=public_http,
        trusted_issuers=["did:web:issuer.example.nl:belastingdienst"],
    )
    (stored,) = wallet.accept_offer(wallet.parse_offer(scanned), tx_code=tx_code)
    assert stored.types == ("VerifiableCredential", INCOME)
    assert stored.credential["credentialSubject"]["belastingjaar"] == 2024
    browser.find_element(By.LINK_TEXT, "Terug naar mijn gegevens").click()
    _wait_for(browser, By.CSS_SELECTOR, "article#belastingdienst")


RECIPIENT_NAME = "Woningcorporatie De Sleutel (demo)"
PURPOSE = "toewijzing sociale huurwoning"


@pytest.fixture(scope="module")
def recipient(public_http: httpx.Client) -> PlusClient:
    """A housing corporation registered at the tax office for the income facts."""
    key = KeyPair.generate("P-256")
    did = did_key(key)
    registration = {
        "did": did,
        "name": RECIPIENT_NAME,
        "purposes": [PURPOSE],
        "scopes": [
            {
                "credential_configuration_id": "InkomensverklaringCredential_ldp_vc",
                "claims": [
                    {"path": ["credentialSubject", "belastingjaar"]},
                    {"path": ["credentialSubject", "inkomenstoets"]},
                ],
            }
        ],
    }
    registered = public_http.post(
        "https://issuer.example.nl/admin/belastingdienst/plus/recipients",
        json=registration,
        headers=ADMIN,
    )
    assert registered.status_code == 201, registered.text
    return PlusClient(client_id=did, signing_key=key, http=public_http)


def _log_events(browser: WebDriver) -> list[str]:
    rows = browser.find_elements(By.CSS_SELECTOR, "#access-log tbody tr")
    return [str(row.get_attribute("data-event")) for row in rows]


def test_grant_see_the_access_log_and_withdraw_a_consent(
    logged_in: WebDriver, steps: Steps, artifacts: Path, recipient: PlusClient
) -> None:
    browser = logged_in
    browser.find_element(By.LINK_TEXT, "Toestemmingen").click()
    _wait_for(browser, By.ID, "new")
    assert "U heeft nog niemand toestemming gegeven." in browser.page_source
    choice = browser.find_element(By.CSS_SELECTOR, "input[name=keuze]:checked")
    assert (
        RECIPIENT_NAME
        in browser.find_element(By.CSS_SELECTOR, f"label[for={choice.get_attribute('id')}]").text
    )
    steps.shot("consents")
    browser.find_element(By.CSS_SELECTOR, "#new ~ form button[type=submit]").click()
    _wait_for(browser, By.ID, "give-consent")
    boxes = browser.find_elements(By.CSS_SELECTOR, "input[name=claim]")
    assert len(boxes) == 2
    assert all(box.is_selected() for box in boxes)
    browser.find_element(By.ID, "eenmalig").click()
    steps.shot("consent-terms")
    browser.find_element(By.ID, "give-consent").click()
    status = _wait_for(browser, By.ID, "consent-status")
    assert status.get_attribute("data-status") == "active"
    assert _log_events(browser) == ["granted"]
    assert "onbeschadigd" in browser.find_element(By.ID, "chain-check").text

    downloads = artifacts / "downloads"
    before = set(downloads.iterdir())
    browser.find_element(By.ID, "grant-download").click()
    grant = json.loads(wait_for_download(downloads, ".json", before=before).read_text())
    fetched = recipient.fetch(grant)
    (credential,) = fetched.unverified_credentials.values()
    subject = credential["credentialSubject"]
    assert set(subject) == {"id", "type", "belastingjaar", "inkomenstoets"}
    assert credential["ontvanger"] == recipient.client_id

    browser.refresh()
    _wait_for(browser, By.CSS_SELECTOR, "#access-log tr[data-event=served]")
    assert _log_events(browser) == ["granted", "served"]
    served = browser.find_element(By.CSS_SELECTOR, "#access-log tr[data-event=served]").text
    assert RECIPIENT_NAME in served
    assert "Inkomenstoets" in served
    status = browser.find_element(By.ID, "consent-status")
    assert status.get_attribute("data-status") == "used"  # once only
    steps.shot("consent-access-log")

    browser.find_element(By.ID, "withdraw").click()
    _wait_for(browser, By.CSS_SELECTOR, "#consent-status[data-status=revoked]")
    with pytest.raises(PlusFetchError) as refused:
        recipient.fetch(grant)
    assert refused.value.error == "invalid_grant"
    browser.refresh()
    _wait_for(browser, By.CSS_SELECTOR, "#access-log tr[data-event=refused]")
    assert _log_events(browser) == ["granted", "served", "revoked", "refused"]
    assert not browser.find_elements(By.ID, "withdraw")
    steps.shot("consent-withdrawn")
    browser.find_element(By.LINK_TEXT, "Toestemmingen").click()
    listed = _wait_for(browser, By.CSS_SELECTOR, "#consents tr.grant")
    assert listed.get_attribute("data-status") == "revoked"


def test_log_out_and_the_pages_are_closed(
    logged_in: WebDriver, steps: Steps, issuer_server: Server
) -> None:
    browser = logged_in
    browser.find_element(By.CSS_SELECTOR, "header form button").click()
    _wait_for(browser, By.CSS_SELECTOR, "a.button[href='/portaal/inloggen']")
    assert browser.find_element(By.TAG_NAME, "h1").text == "U bent uitgelogd"
    steps.shot("logged-out")
    assert "logged-out" in steps.audited
    browser.get(issuer_server.url + "/portaal/overzicht")
    assert browser.current_url == issuer_server.url + "/portaal/inloggen"
    assert "Anna Maria" not in browser.page_source
