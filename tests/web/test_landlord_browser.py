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

from tests.issuer.support import ADMIN, DEMO_BSN
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
    """Wait until the self-refreshing page reaches ``state``."""
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
    # Anyone who saw the QR code could send that error, so the request stays open.
    shown = WebDriverWait(browser, 30).until(
        expected_conditions.presence_of_element_located((By.ID, "failed-attempts"))
    )
    assert "access_denied" in shown.text
    assert _state(browser, "pending")
    assert browser.find_elements(By.ID, "request-qr")
    assert not browser.find_elements(By.ID, "record-download")
    steps.shot("declined")
