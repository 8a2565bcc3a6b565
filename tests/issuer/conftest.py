"""Issuer fixtures: every database-backed test runs on SQLite and on PostgreSQL.

PostgreSQL comes from ``BLAUWE_KNOP_TEST_POSTGRES_URL`` (a server URL whose
user may create databases; ``.ci/run`` sets it). Without it, the fixture
starts a throwaway cluster when the PostgreSQL server binaries are installed,
and otherwise fails: the PostgreSQL half of the suite never passes silently.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from tests.loopback import Hosts, cli_server
from tests.loopback import blauwe_knop as blauwe_knop  # the tests import it from here
from tests.postgres import postgres_bindir, throwaway_postgres
from vc_issuer.issuer import Issuer
from vc_issuer.settings import IssuerSettings
from vc_issuer.web import create_app

from .issuer_wallet import TestWallet
from .support import BASE_URL, TEST_PEOPLE, free_port

POSTGRES_URL_ENV = "BLAUWE_KNOP_TEST_POSTGRES_URL"


@pytest.fixture(scope="session")
def postgres_server_url() -> Iterator[str]:
    """A PostgreSQL server URL: from the environment, or a throwaway cluster."""
    configured = os.environ.get(POSTGRES_URL_ENV)
    if configured:
        yield configured
        return
    bindir = postgres_bindir()
    if bindir is None:
        pytest.fail(
            f"the PostgreSQL half of the issuer suite needs {POSTGRES_URL_ENV} or the "
            "PostgreSQL server binaries (initdb, pg_ctl); make test installs them",
            pytrace=False,
        )
    with throwaway_postgres() as url:
        yield url


def _create_postgres_database(server_url: str) -> str:
    import psycopg

    name = f"bk_test_{secrets.token_hex(6)}"
    plain = server_url.replace("postgresql+psycopg://", "postgresql://", 1)
    with psycopg.connect(plain, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    base, _, _ = server_url.rpartition("/")
    return f"{base}/{name}"


@pytest.fixture(scope="session")
def new_database_url(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Callable[[str], str]:
    """Make an empty database on ``sqlite`` (a file) or ``postgresql`` and return its URL."""

    def make(backend: str) -> str:
        if backend == "sqlite":
            return f"sqlite:///{tmp_path_factory.mktemp('sqlite') / 'issuer.db'}"
        server_url: str = request.getfixturevalue("postgres_server_url")
        return _create_postgres_database(server_url)

    return make


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def backend(request: pytest.FixtureRequest) -> str:
    """The database backend of this run of a test."""
    backend_name: str = request.param
    return backend_name


@pytest.fixture(scope="session")
def settings_for(
    new_database_url: Callable[[str], str], tmp_path_factory: pytest.TempPathFactory
) -> Callable[..., IssuerSettings]:
    """Development settings over a fresh database of the given backend, with demo data."""

    def make(backend: str, **overrides: object) -> IssuerSettings:
        values: dict[str, object] = {
            "database_url": new_database_url(backend),
            "data_dir": tmp_path_factory.mktemp("issuer-data"),
            "demo_data": True,
            "demo_people": TEST_PEOPLE,
            "demo_keys": True,
        }
        values.update(overrides)
        return IssuerSettings.model_validate(values)

    return make


@pytest.fixture(scope="session")
def issuer(backend: str, settings_for: Callable[..., IssuerSettings]) -> Iterator[Issuer]:
    """One issuer per backend, shared by the tests that do not need a fresh database."""
    built = Issuer.from_settings(settings_for(backend))
    yield built
    built.db.dispose()


@pytest.fixture(scope="session")
def client(issuer: Issuer) -> Iterator[TestClient]:
    """The issuer app in-process, addressed by its public https base URL."""
    with TestClient(create_app(issuer), base_url=BASE_URL) as test_client:
        yield test_client


@pytest.fixture
def wallet(client: TestClient) -> TestWallet:
    """A wallet of the tests' own (``issuer_wallet``) on the in-process app."""
    return TestWallet(client)


@dataclass(frozen=True)
class RunningServer:
    """A ``blauwe-knop issuer serve`` process on 127.0.0.1."""

    url: str
    port: int
    data_dir: Path
    environment: dict[str, str]

    def client(self) -> httpx.Client:
        """An httpx client that reaches the server under its public base URL."""
        transport = Hosts({"issuer.example.nl": self.port})
        return httpx.Client(transport=transport, base_url=BASE_URL, timeout=30)


@pytest.fixture(scope="module")
def server(
    backend: str,
    new_database_url: Callable[[str], str],
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[RunningServer]:
    """A real uvicorn server (two workers) on a free loopback port, started by the CLI."""
    data_dir = tmp_path_factory.mktemp("served")
    port = free_port()
    environment = {
        **os.environ,
        "BLAUWE_KNOP_ISSUER_DATABASE_URL": new_database_url(backend),
        "BLAUWE_KNOP_ISSUER_DEMO_PEOPLE": str(TEST_PEOPLE),
    }
    args = ["issuer", "serve", "--data-dir", str(data_dir), "--demo", "--workers", "2"]
    log = data_dir / "server.log"
    with cli_server(args, port=port, ready="/brp/did.json", env=environment, log=log) as url:
        yield RunningServer(url, port, data_dir, environment)
