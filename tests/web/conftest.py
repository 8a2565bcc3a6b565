"""Real servers on loopback and one headless Chromium per test module.

- ``issuer_server``: ``blauwe-knop issuer serve --demo`` (two workers, SQLite in
  a temporary folder) serving the citizen portal;
- ``landlord_server``: ``blauwe-knop verifier serve`` with the demo issuer routed
  to the loopback issuer;
- ``browser``: Debian's ``chromium`` through ``chromedriver`` (Selenium), headless,
  downloading into a temporary folder; never a downloaded browser.

Screenshots of every step land in ``tests/web/artifacts/<module>/`` (git-ignored), and every
page a step shows is audited with axe-core (``tests/web/axe``, a pinned test-only npm project
that ``make test`` installs): WCAG 2.1 A and AA and best practice, zero violations allowed.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from selenium import webdriver
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.remote.webdriver import WebDriver

from tests.issuer.support import TEST_PEOPLE, free_port
from tests.loopback import Hosts, cli_server
from tests.loopback import blauwe_knop as blauwe_knop  # the tests import it from here

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
ISSUER_HOST = "issuer.example.nl"
LANDLORD_HOST = "verhuur.example.nl"
ARTIFACTS = Path(__file__).parent / "artifacts"
AXE = Path(__file__).parent / "axe" / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice")
_AXE_RUN = """
const done = arguments[arguments.length - 1];
axe.run(document, {runOnly: {type: "tag", values: arguments[0]}, resultTypes: ["violations"]})
  .then((result) => done(result.violations.map((v) => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map((n) => n.target.join(" ")).slice(0, 5)}))))
  .catch((error) => done([{id: "axe-error", help: String(error)}]));
"""


@dataclass(frozen=True)
class Server:
    """A server process on 127.0.0.1: its URL, port, data folder and log."""

    url: str
    port: int
    data_dir: Path
    log: Path


def _start(args: list[str], *, ready: str, data_dir: Path, env: dict[str, str]) -> Iterator[Server]:
    """Run ``blauwe-knop <args>`` until the test session ends; wait until ``ready`` answers."""
    port = free_port()
    log = data_dir / "server.log"
    command = [*args, "--data-dir", str(data_dir / "data")]
    with cli_server(command, port=port, ready=ready, env=env, log=log) as url:
        yield Server(url, port, data_dir, log)


@pytest.fixture(scope="session")
def issuer_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """``blauwe-knop issuer serve --demo --workers 2`` on a free loopback port."""
    env = {
        **os.environ,
        "BLAUWE_KNOP_ISSUER_DEMO_PEOPLE": str(TEST_PEOPLE),
        # A revocation shows at once (the landlord tests upload a revoked statement).
        "BLAUWE_KNOP_ISSUER_STATUS_LIST_TTL_SECONDS": "0",
    }
    env.pop("BLAUWE_KNOP_ISSUER_DATABASE_URL", None)
    yield from _start(
        ["issuer", "serve", "--demo", "--workers", "2"],
        ready="/brp/did.json",
        data_dir=tmp_path_factory.mktemp("issuer-server"),
        env=env,
    )


@pytest.fixture(scope="session")
def landlord_server(
    issuer_server: Server, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Server]:
    """``blauwe-knop verifier serve``, fetching the demo issuer's documents from loopback.

    It trusts the tax office's published sealing certificate for uploaded PDFs.
    """
    folder = tmp_path_factory.mktemp("landlord-server")
    seal = folder / "belastingdienst-seal.pem"
    answer = httpx.get(f"{issuer_server.url}/belastingdienst/seal-certificate.pem", timeout=30)
    seal.write_bytes(answer.raise_for_status().content)
    yield from _start(
        [
            *("verifier", "serve", "--route", f"https://{ISSUER_HOST}={issuer_server.url}"),
            *("--seal-certificate", str(seal)),
        ],
        ready="/.well-known/did.json",
        data_dir=folder,
        env=dict(os.environ),
    )


@pytest.fixture(scope="session")
def public_http(issuer_server: Server) -> Iterator[httpx.Client]:
    """An HTTP client that reaches https://issuer.example.nl (and the landlord if running)."""
    ports = {ISSUER_HOST: issuer_server.port}
    with httpx.Client(transport=Hosts(ports), timeout=30) as client:
        yield client


@pytest.fixture(scope="module")
def artifacts(request: pytest.FixtureRequest) -> Path:
    """This module's screenshot and download folder, emptied first."""
    folder = ARTIFACTS / request.module.__name__.rpartition(".")[2]
    shutil.rmtree(folder, ignore_errors=True)
    (folder / "downloads").mkdir(parents=True)
    return folder


@pytest.fixture(scope="module")
def browser(artifacts: Path) -> Iterator[WebDriver]:
    """Headless Chromium (Debian's, through chromedriver) for this module."""
    if not (CHROMIUM.exists() and CHROMEDRIVER.exists()):
        pytest.fail(
            "the browser tests need Debian's chromium and chromium-driver "
            "(apt-get install chromium chromium-driver; make test installs them)",
            pytrace=False,
        )
    profile = tempfile.mkdtemp(prefix="bk-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--window-size=1280,1600",
        f"--user-data-dir={profile}",
    ):
        options.add_argument(flag)
    downloads = str(artifacts / "downloads")
    options.add_experimental_option(
        "prefs",
        {
            "download.default_directory": downloads,
            "download.prompt_for_download": False,
            "plugins.always_open_pdf_externally": True,
            "safebrowsing.enabled": False,
            "intl.accept_languages": "nl-NL,nl",
        },
    )
    try:
        driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    except WebDriverException as exc:
        shutil.rmtree(profile, ignore_errors=True)
        pytest.fail(f"chromium did not start: {exc.msg}", pytrace=False)
    driver.execute_cdp_cmd(
        "Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": downloads}
    )
    driver.set_page_load_timeout(60)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


def axe_violations(driver: WebDriver) -> list[dict[str, Any]]:
    """Run axe-core on the page the browser shows; its violations (empty when none)."""
    if not AXE.is_file():
        pytest.fail(
            "axe-core is missing: run make test (it runs npm ci in tests/web/axe)", pytrace=False
        )
    driver.set_script_timeout(60)
    driver.execute_script(AXE.read_text(encoding="utf-8"))
    found: list[dict[str, Any]] = driver.execute_async_script(_AXE_RUN, list(AXE_TAGS))
    return found


def assert_accessible(driver: WebDriver, page: str) -> None:
    """Fail with every axe-core violation of the page shown."""
    violations = axe_violations(driver)
    assert violations == [], f"{page} ({driver.current_url}): {violations}"


class Steps:
    """Numbered screenshots of a journey (``01-login.png``, …), each page audited by axe-core."""

    def __init__(self, driver: WebDriver, folder: Path) -> None:
        self.driver = driver
        self.folder = folder
        self.count = 0
        self.audited: list[str] = []

    def shot(self, name: str) -> Path:
        self.count += 1
        path = self.folder / f"{self.count:02d}-{name}.png"
        self.driver.save_screenshot(str(path))
        assert_accessible(self.driver, name)
        self.audited.append(name)
        return path


def wait_for_download(folder: Path, suffix: str, *, before: set[Path], timeout: float = 30) -> Path:
    """The new, finished file ending in ``suffix`` in ``folder``."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        done = [p for p in folder.glob(f"*{suffix}") if p not in before]
        if done and not list(folder.glob("*.crdownload")):
            return done[0]
        time.sleep(0.1)
    raise AssertionError(f"no {suffix} download appeared in {folder}")
