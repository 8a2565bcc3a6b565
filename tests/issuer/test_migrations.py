"""Schema migrations: an operator's database of the last release upgrades without losing anything.

The fixtures in ``migration_fixtures/`` are databases written by the issuer of
commit 8bf2dc2 (the last release before migrations; made by
``scripts/make_migration_fixture.py`` running that commit's code), as SQL, with
the credentials it issued, their statuses and the secrets a wallet or browser
holds for its open rows. Every test runs on SQLite and on PostgreSQL.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from fastapi.testclient import TestClient
from pydantic import SecretStr
from sqlalchemy import inspect, make_url, text

from vc_core.proofs import confirm, derive, verify
from vc_core.status import check_status
from vc_issuer.db import Base, Database
from vc_issuer.errors import StartupRefused
from vc_issuer.issuer import Issuer
from vc_issuer.migrations import BASELINE, head_revision, upgrade_database
from vc_issuer.settings import IssuerSettings
from vc_issuer.web import create_app
from vc_issuer.web.portal.sessions import PortalSessions

from .support import ADMIN, BASE_URL, client_fetch

FIXTURES = Path(__file__).parent / "migration_fixtures"
REPOSITORY = Path(__file__).resolve().parents[2]
GRANT = "urn:ietf:params:oauth:grant-type:pre-authorized_code"
SEALED_TABLES = ("oid4vci_offers", "oid4vci_tokens", "oid4vci_deferred", "portal_sessions")


def fixture_of(backend: str) -> dict[str, Any]:
    made: dict[str, Any] = json.loads((FIXTURES / f"8bf2dc2-{backend}.json").read_text())
    return made


def load_old_database(backend: str, url: str) -> None:
    """Restore the 8bf2dc2 database into the empty database at ``url``."""
    script = (FIXTURES / f"8bf2dc2-{backend}.sql").read_text()
    if backend == "sqlite":
        with sqlite3.connect(str(make_url(url).database)) as connection:
            connection.executescript(script)
        return
    import psycopg

    plain = url.replace("postgresql+psycopg://", "postgresql://", 1)
    with psycopg.connect(plain, autocommit=True) as connection:
        connection.execute(script.encode())


@pytest.fixture
def old_database(
    backend: str, new_database_url: Callable[[str], str], tmp_path: Path
) -> IssuerSettings:
    """Settings over a fresh copy of the 8bf2dc2 database (its passphrase, demo keys)."""
    url = new_database_url(backend)
    load_old_database(backend, url)
    return IssuerSettings.model_validate(
        {
            "database_url": url,
            "data_dir": tmp_path,
            "demo_keys": True,
            "key_passphrase": SecretStr(fixture_of(backend)["key_passphrase"]),
            "rate_limits": False,
        }
    )


def alembic_upgrade_head(settings: IssuerSettings) -> subprocess.CompletedProcess[str]:
    """``alembic upgrade head`` as an operator runs it: alembic.ini, settings from the env."""
    environment = {
        **os.environ,
        "BLAUWE_KNOP_ISSUER_DATABASE_URL": str(settings.database_url),
        "BLAUWE_KNOP_ISSUER_KEY_PASSPHRASE": settings.key_passphrase.get_secret_value(),
    }
    alembic = Path(sys.executable).parent / "alembic"
    return subprocess.run(
        [str(alembic), "upgrade", "head"],
        cwd=REPOSITORY,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def revision_of(db: Database) -> str | None:
    with db.engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def schema_differences(db: Database) -> list[Any]:
    """What differs between the database's tables and the models (none after an upgrade)."""
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return list(compare_metadata(context, Base.metadata))


def test_alembic_upgrade_head_keeps_every_credential_verifiable_and_every_status(
    backend: str, old_database: IssuerSettings
) -> None:
    made = fixture_of(backend)
    upgraded = alembic_upgrade_head(old_database)
    assert upgraded.returncode == 0, upgraded.stderr
    issuer = Issuer.from_settings(old_database)
    assert revision_of(issuer.db) == head_revision()
    with TestClient(create_app(issuer), base_url=BASE_URL) as client:
        fetch = client_fetch(client)
        for item in made["credentials"]:
            credential = item["credential"]
            if item["kind"] == "wallet":
                confirm(credential, fetch=fetch)
                shown = derive(credential, selective_pointers=["/credentialSubject"])
                verify(shown, fetch=fetch)
            else:
                verify(credential, fetch=fetch)
            assert issuer.status_of(credential["id"]) == item["status"]
            served = {
                result.purpose: result.status for result in check_status(credential, fetch=fetch)
            }
            assert served == item["status"]
    assert {tuple(sorted(item["status"].items())) for item in made["credentials"]} >= {
        (("revocation", 1), ("suspension", 0)),
        (("revocation", 0), ("suspension", 1)),
        (("revocation", 1), ("suspension", 1)),
        (("revocation", 0), ("suspension", 0)),
    }
    issuer.db.dispose()


def test_open_offers_tokens_deferred_issuance_and_sessions_carry_on(
    backend: str, old_database: IssuerSettings
) -> None:
    made = fixture_of(backend)
    issuer = Issuer.from_settings(old_database)
    with TestClient(create_app(issuer), base_url=BASE_URL) as client:
        # The open offer: the wallet redeems it with the tx_code sent earlier.
        offer = made["offer"]
        redeemed = client.post(
            f"/{offer['source']}/token",
            data={
                "grant_type": GRANT,
                "pre-authorized_code": offer["pre_authorized_code"],
                "tx_code": offer["tx_code"],
            },
        )
        assert redeemed.status_code == 200, redeemed.text
        # The open access token still authorizes a credential request (its BSN unsealed).
        token = made["token"]
        nonce = client.post(f"/{token['source']}/nonce").json()["c_nonce"]
        body = {
            "credential_configuration_id": token["configuration_id"],
            "proofs": {"jwt": [_proof(f"{BASE_URL}/{token['source']}", nonce)]},
        }
        issued = client.post(
            f"/{token['source']}/credential",
            json=body,
            headers={"Authorization": f"Bearer {token['access_token']}"},
        )
        assert issued.status_code == 200, issued.text
        # Deferred issuance: the approved one is collected, the pending one waits, then is too.
        pending, approved = made["deferred"]
        for item, status in ((approved, 200), (pending, 202)):
            polled = _poll(client, item)
            assert polled.status_code == status, polled.text
        (review,) = client.get("/admin/deferred", headers=ADMIN).json()["pending"]
        assert client.post(f"/admin/deferred/{review['id']}/approve", headers=ADMIN).is_success
        collected = _poll(client, pending)
        assert collected.status_code == 200, collected.text
        assert collected.json()["credentials"][0]["credential"]["issuer"].endswith(":duo")
    # The portal session: the browser's cookie still logs the same citizen in.
    session = made["portal_session"]
    sessions = PortalSessions(issuer.db, keys=issuer.keys)
    assert sessions.subject(session["cookie"].split(".")[0]) == session["bsn"]
    issuer.db.dispose()


def _poll(client: TestClient, item: dict[str, str]) -> Any:
    return client.post(
        "/duo/deferred_credential",
        json={"transaction_id": item["transaction_id"]},
        headers={"Authorization": f"Bearer {item['access_token']}"},
    )


def _proof(audience: str, nonce: str) -> str:
    import time

    from vc_core import KeyPair
    from vc_core.did import did_key_verification_method_id
    from vc_core.jws import sign_jws

    key = KeyPair.generate("P-256")
    claims = {"aud": audience, "iat": int(time.time()), "nonce": nonce}
    return sign_jws(
        claims, key, typ="openid4vci-proof+jwt", kid=did_key_verification_method_id(key)
    )


def test_upgrade_seals_every_bsn_and_drops_expired_rows(
    backend: str, old_database: IssuerSettings
) -> None:
    db = Database(str(old_database.database_url))
    with db.engine.connect() as connection:
        tokens_before = connection.scalar(text("SELECT count(*) FROM oid4vci_tokens"))
    report = upgrade_database(db, settings=old_database)
    assert (report.before, report.stamped, report.after) == (None, BASELINE, head_revision())
    with db.engine.connect() as connection:
        for table in SEALED_TABLES:
            columns = {column["name"] for column in inspect(connection).get_columns(table)}
            assert "subject" not in columns
            assert "sealed_subject" in columns
            values = connection.execute(text(f"SELECT sealed_subject FROM {table}")).scalars()
            assert all(b"99999" not in bytes(value) for value in values)
        # The four tokens of the issuing flows had expired; the open one and the two
        # that deferred issuances extended are kept.
        tokens = connection.scalar(text("SELECT count(*) FROM oid4vci_tokens"))
        assert (tokens_before, tokens) == (7, 3)
    assert schema_differences(db) == []
    db.dispose()


def test_wrong_passphrase_refuses_and_leaves_the_old_database_as_it_was(
    backend: str, old_database: IssuerSettings
) -> None:
    wrong = old_database.model_copy(update={"key_passphrase": SecretStr("not the passphrase")})
    db = Database(str(old_database.database_url))
    with pytest.raises(StartupRefused, match="passphrase"):
        upgrade_database(db, settings=wrong)
    assert revision_of(db) is None
    with db.engine.connect() as connection:
        columns = {c["name"] for c in inspect(connection).get_columns("oid4vci_offers")}
        assert "subject" in columns
        assert "sealed_subject" not in columns
    assert upgrade_database(db, settings=old_database).after == head_revision()
    db.dispose()


def test_without_the_settings_a_database_with_rows_to_seal_is_refused(
    backend: str, old_database: IssuerSettings
) -> None:
    db = Database(str(old_database.database_url))
    with pytest.raises(StartupRefused, match="settings"):
        upgrade_database(db)
    assert revision_of(db) is None
    db.dispose()


def test_downgrade_to_the_baseline_and_back(backend: str, old_database: IssuerSettings) -> None:
    from alembic import command

    from vc_issuer.migrations import alembic_config

    db = Database(str(old_database.database_url))
    upgrade_database(db, settings=old_database)
    config = alembic_config(old_database)
    with db.schema_transaction() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, BASELINE)
    with db.engine.connect() as connection:
        subjects = connection.execute(text("SELECT subject FROM oid4vci_deferred")).scalars()
        assert set(subjects) == {"999990019"}
    assert upgrade_database(db, settings=old_database).after == head_revision()
    issuer = Issuer.from_settings(old_database)
    for item in fixture_of(backend)["credentials"]:
        assert issuer.status_of(item["credential"]["id"]) == item["status"]
    issuer.db.dispose()
    db.dispose()


def test_a_new_database_gets_every_revision_and_matches_the_models(
    backend: str, new_database_url: Callable[[str], str]
) -> None:
    db = Database(new_database_url(backend))
    report = upgrade_database(db)
    assert (report.before, report.stamped, report.after) == (None, None, head_revision())
    assert schema_differences(db) == []
    again = upgrade_database(db)
    assert (again.before, again.after) == (head_revision(), head_revision())
    db.dispose()


def test_a_database_made_by_create_all_after_0002_is_stamped_there(
    backend: str, new_database_url: Callable[[str], str]
) -> None:
    """Databases that the code between the release and migrations made (sealed subjects)."""
    db = Database(new_database_url(backend))
    Base.metadata.create_all(db.engine)
    report = upgrade_database(db)
    assert (report.before, report.stamped) == (None, "0002")
    assert report.after == head_revision()
    assert schema_differences(db) == []
    db.dispose()


def test_instances_starting_together_migrate_once(
    backend: str, new_database_url: Callable[[str], str]
) -> None:
    url = new_database_url(backend)
    reports: list[Any] = []
    errors: list[BaseException] = []

    def start() -> None:
        db = Database(url)
        try:
            reports.append(upgrade_database(db))
        except BaseException as exc:  # collected for the assertion below
            errors.append(exc)
        finally:
            db.dispose()

    threads = [threading.Thread(target=start) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(report.before is None for report in reports) == [False, False, False, True]
    assert {report.after for report in reports} == {head_revision()}
