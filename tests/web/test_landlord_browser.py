"""The letting agent's income check in headless Chromium; the citizen answers with wallet_sdk."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.remote.webelement import WebElement
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.wait import WebDriverWait

from tests.certified import flip_byte_in_object, page_content_object
from tests.issuer.support import ADMIN, DEMO_BSN
from vc_verifier.pdf_seals import open_sealed_pdf
from wallet_sdk import MemoryStore, Wallet
from wallet_sdk.qr_image import decode_qr_image

from .conftest import ISSUER_HOST, LANDLORD_HOST, Hosts, Server, Steps, blauwe_knop
from .conftest import wait_for_download as wait_for_file

INCOME_AMOUNT_TEXTS = ("41250", "41.250", "41,250")
VERDICTS = {
    "Het inkomen valt binnen de grens voor sociale huur.": True,
    "Het inkomen valt boven de grens voor sociale huur.": False,
    "De uitkomst kan niet worden vastgesteld.": None,
}


@pytest.fixture(scope="module")
def steps(browser: WebDriver, artifacts: Path) -> Steps:
    return Steps(browser, artifacts)


@pytest.fixture(scope="module")
def wallet(issuer_server: Server, landlord_server: Server) -> Iterator[Wallet]:
    """The demo citizen's wallet holding their income statement."""
    hosts = Hosts({ISSUER_HOST: issuer_server.port, LANDLORD_HOST: landlord_server.port})
    with httpx.Client(transport=hosts, timeout=30) as http:
        wallet = Wallet(
            store=MemoryStore(),
            http=http,
            trusted_issuers=["did:web:issuer.example.nl:belastingdienst"],
            trusted_verifiers=[f"https://{LANDLORD_HOST}"],
        )
        made = http.post(
            "https://issuer.example.nl/admin/belastingdienst/offers",
            json={"bsn": DEMO_BSN},
            headers=ADMIN,
        ).raise_for_status()
        offer = made.json()
        wallet.accept_offer(wallet.parse_offer(offer["offer_uri"]), tx_code=offer["tx_code"])
        yield wallet


def _start_check(browser: WebDriver, landlord: Server, *, size: int, ask: str) -> None:
    browser.get(landlord.url + "/")
    field = browser.find_element(By.ID, "household_size")
    field.clear()
    field.send_keys(str(size))
    browser.find_element(By.ID, f"ask-{ask}").click()
    browser.find_element(By.CSS_SELECTOR, "main form button[type=submit]").click()


def _scan(browser: WebDriver, artifacts: Path, name: str) -> str:
    qr: WebElement = WebDriverWait(browser, 20).until(
        expected_conditions.presence_of_element_located((By.CSS_SELECTOR, "#request-qr svg"))
    )
    png = qr.screenshot_as_png
    (artifacts / f"{name}.png").write_bytes(png)
    return decode_qr_image(png)


def _state(browser: WebDriver, state: str) -> WebElement:
    """Wait for the answer as the letting agent does, then for the page to show ``state``.

    The page does not refresh itself: its script polls and says in the live region that
    the answer is in; the agent then follows the link.
    """
    if browser.find_elements(By.CSS_SELECTOR, "#check-state[data-poll]"):
        WebDriverWait(browser, 30).until(
            lambda b: (
                b.find_element(By.ID, "check-state").get_attribute("data-state")
                not in ("pending", "processing")
            )
        )
        assert browser.find_element(By.ID, "check-state").get_attribute("role") == "status"
        assert browser.find_element(By.ID, "check-state-text").text == "Het antwoord is binnen."
        link = browser.find_element(By.ID, "check-again")
        assert link.text == "Toon de uitkomst"
        link.click()
    found: WebElement = WebDriverWait(browser, 30).until(
        expected_conditions.presence_of_element_located(
            (By.CSS_SELECTOR, f"#check-state[data-state={state}]")
        )
    )
    return found


def _verdict(browser: WebDriver) -> bool | None:
    text = browser.find_element(By.ID, "verdict").text
    assert text in VERDICTS, text
    return VERDICTS[text]


def _no_income_amounts(browser: WebDriver) -> None:
    page = browser.page_source
    assert not [shown for shown in INCOME_AMOUNT_TEXTS if shown in page]


def _download_and_verify_record(
    browser: WebDriver, artifacts: Path, landlord: Server, tmp_path: Path
) -> dict[str, Any]:
    downloads = artifacts / "downloads"
    before = set(downloads.iterdir())
    browser.find_element(By.ID, "record-download").click()
    saved = wait_for_file(downloads, ".json", before=before)
    did_document = httpx.get(landlord.url + "/.well-known/did.json").raise_for_status().json()
    key = tmp_path / "landlord-key.json"
    key.write_text(json.dumps(did_document["verificationMethod"][0]))
    checked = subprocess.run(
        [blauwe_knop(), "verifier", "record", "verify", str(saved), "--key", str(key)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr
    record: dict[str, Any] = json.loads(checked.stdout)
    assert not [shown for shown in INCOME_AMOUNT_TEXTS if shown in saved.read_text()]
    return record


def test_an_income_check_asking_for_the_tax_offices_outcome(
    browser: WebDriver,
    landlord_server: Server,
    wallet: Wallet,
    steps: Steps,
    artifacts: Path,
    tmp_path: Path,
) -> None:
    browser.get(landlord_server.url + "/")
    assert browser.find_element(By.TAG_NAME, "html").get_attribute("lang") == "nl"
    steps.shot("start")
    _start_check(browser, landlord_server, size=1, ask="facts")
    scanned = _scan(browser, artifacts, "facts-request-qr")
    assert scanned == browser.find_element(By.ID, "request-link").get_attribute("href")
    steps.shot("facts-request")
    request = wallet.open_request(scanned)
    assert request.client_id == "decentralized_identifier:did:web:verhuur.example.nl"
    assert request.purpose is not None
    assert "huishouden van 1" in request.purpose
    wallet.send(wallet.present(request))
    _state(browser, "decided")
    steps.shot("facts-decision")
    _no_income_amounts(browser)
    meets = _verdict(browser)
    if meets is None:
        # The facts did not fit the rule: the agent is offered to ask for the amount.
        assert browser.find_element(By.ID, "ask-amount-instead").is_displayed()
    record = _download_and_verify_record(browser, artifacts, landlord_server, tmp_path)
    assert record["decision"] == {
        "meets": meets,
        "reason": record["decision"]["reason"],
        "basis": "facts" if meets is not None else None,
    }
    (credential,) = record["credentials"]
    assert credential["issuer"] == "did:web:issuer.example.nl:belastingdienst"
    assert "verzamelinkomen.value" not in credential["claims"]
    assert credential["facts"]["inkomenstoets.onderSocialeHuurgrens"] is True


def test_an_income_check_asking_for_the_amount_shows_no_amount(
    browser: WebDriver,
    landlord_server: Server,
    wallet: Wallet,
    steps: Steps,
    artifacts: Path,
    tmp_path: Path,
) -> None:
    _start_check(browser, landlord_server, size=1, ask="amount")
    scanned = _scan(browser, artifacts, "amount-request-qr")
    wallet.send(wallet.present(wallet.open_request(scanned)))
    _state(browser, "decided")
    steps.shot("amount-decision")
    _no_income_amounts(browser)
    assert _verdict(browser) is True
    record = _download_and_verify_record(browser, artifacts, landlord_server, tmp_path)
    assert record["decision"]["basis"] == "amount"
    (credential,) = record["credentials"]
    assert "verzamelinkomen.value" in credential["claims"]
    assert "verzamelinkomen.value" not in credential["facts"]


def test_a_declined_request_is_shown_and_stays_open(
    browser: WebDriver, landlord_server: Server, wallet: Wallet, steps: Steps, artifacts: Path
) -> None:
    _start_check(browser, landlord_server, size=3, ask="facts")
    wallet.decline(wallet.open_request(_scan(browser, artifacts, "declined-request-qr")))

    # Anyone who saw the QR code could send that error, so the request stays open: the
    # agent, checking again, sees the wallet's answer next to the same QR code.
    def hint(driver: WebDriver) -> WebElement | bool:
        driver.find_element(By.ID, "check-again").click()
        found = driver.find_elements(By.ID, "failed-attempts")
        return found[0] if found else False

    shown = WebDriverWait(browser, 30, poll_frequency=1).until(hint)
    assert isinstance(shown, WebElement)
    assert "access_denied" in shown.text
    assert browser.find_element(By.ID, "check-state").get_attribute("data-state") == "pending"
    assert browser.find_elements(By.ID, "request-qr")
    assert not browser.find_elements(By.ID, "record-download")
    steps.shot("declined")


def _upload(browser: WebDriver, landlord: Server, pdf: Path, *, size: int = 1) -> None:
    browser.get(landlord.url + "/")
    field = browser.find_element(By.ID, "household_size_pdf")
    field.clear()
    field.send_keys(str(size))
    browser.find_element(By.ID, "pdf").send_keys(str(pdf))
    browser.find_element(By.ID, "upload-button").click()


@pytest.fixture(scope="module")
def basis_2_pdf(
    issuer_server: Server, landlord_server: Server, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[bytes, dict[str, Any]]]:
    """The demo citizen's aggregated PDF (all four sources), and its check report."""
    hosts = Hosts({ISSUER_HOST: issuer_server.port, LANDLORD_HOST: landlord_server.port})
    with httpx.Client(transport=hosts, timeout=60) as http:
        login = http.post("https://issuer.example.nl/demo-login", data={"bsn": DEMO_BSN})
        # The session cookie is Secure; the loopback transport talks plain http underneath.
        session = {"Cookie": login.raise_for_status().headers["set-cookie"].split(";")[0]}
        url = "https://issuer.example.nl/basis-2.0/gewaarmerkt-overzicht.pdf"
        pdf = http.get(url, headers=session)
        yield pdf.raise_for_status().content, {"http": http, "session": session, "url": url}


def test_an_uploaded_aggregated_pdf_gets_the_same_decision_and_record(
    browser: WebDriver,
    landlord_server: Server,
    basis_2_pdf: tuple[bytes, dict[str, Any]],
    steps: Steps,
    artifacts: Path,
    tmp_path: Path,
) -> None:
    path = tmp_path / "gewaarmerkt-overzicht.pdf"
    path.write_bytes(basis_2_pdf[0])
    _upload(browser, landlord_server, path)
    _state(browser, "decided")
    steps.shot("pdf-decision")
    _no_income_amounts(browser)
    assert _verdict(browser) is True
    rows = browser.find_elements(By.CSS_SELECTOR, "#pdf-sources tbody tr")
    assert len(rows) == 4
    record = _download_and_verify_record(browser, artifacts, landlord_server, tmp_path)
    assert record["decision"]["basis"] == "amount"
    (credential,) = record["credentials"]
    assert credential["issuer"] == "did:web:issuer.example.nl:belastingdienst"
    assert record["transaction"].startswith("pdf:")


def test_an_uploaded_pdf_with_a_broken_seal_is_refused_naming_it(
    browser: WebDriver,
    landlord_server: Server,
    basis_2_pdf: tuple[bytes, dict[str, Any]],
    steps: Steps,
    tmp_path: Path,
) -> None:
    data = basis_2_pdf[0]
    path = tmp_path / "gewijzigd.pdf"
    path.write_bytes(flip_byte_in_object(data, page_content_object(data, 4)))
    _upload(browser, landlord_server, path)
    refused = _state(browser, "refused")
    steps.shot("pdf-refused-broken-seal")
    codes = {
        item.get_attribute("data-code")
        for item in refused.find_elements(By.CSS_SELECTOR, "#refusal-reasons li")
    }
    assert {"SEAL_BROKEN", "PRINTED_DATA_MISMATCH"} <= codes
    assert "een zegel is verbroken" in refused.text
    assert not browser.find_elements(By.ID, "record-download")


def test_an_uploaded_pdf_with_a_revoked_income_statement_is_refused_naming_it(
    browser: WebDriver,
    landlord_server: Server,
    basis_2_pdf: tuple[bytes, dict[str, Any]],
    steps: Steps,
    tmp_path: Path,
) -> None:
    http: httpx.Client = basis_2_pdf[1]["http"]
    pdf = http.get(basis_2_pdf[1]["url"], headers=basis_2_pdf[1]["session"]).content
    income = json.loads(open_sealed_pdf(pdf).attachments()["belastingdienst-credential.json"])
    http.post(
        f"https://issuer.example.nl/admin/credentials/{income['id']}/revoke", headers=ADMIN
    ).raise_for_status()
    path = tmp_path / "ingetrokken.pdf"
    path.write_bytes(pdf)
    _upload(browser, landlord_server, path)
    refused = _state(browser, "refused")
    steps.shot("pdf-refused-revoked")
    codes = [
        item.get_attribute("data-code")
        for item in refused.find_elements(By.CSS_SELECTOR, "#refusal-reasons li")
    ]
    assert codes == ["CREDENTIAL_REVOKED"]
    assert "ingetrokken" in refused.text
    status = browser.find_element(By.CSS_SELECTOR, "#pdf-sources tbody tr:nth-child(2)").text
    assert "ingetrokken" in status


def test_a_check_of_another_desk_is_not_found(
    browser: WebDriver, landlord_server: Server, steps: Steps
) -> None:
    browser.get(landlord_server.url + "/controles/onbekend")
    assert browser.find_element(By.TAG_NAME, "h1").text == "Niet gevonden"
    steps.shot("not-found")
