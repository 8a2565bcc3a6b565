"""Schema migrations (Alembic): the database follows the code through numbered revisions.

The revisions live in ``vc_issuer/migrations/versions``: ``0001`` is the schema
of the last release made without migrations (the tables SQLAlchemy's
``create_all`` made at commit 8bf2dc2), each later revision one change.
:func:`upgrade_database` brings a database to the newest revision in one
transaction under a lock (a PostgreSQL advisory lock; ``BEGIN IMMEDIATE`` on
SQLite), so several instances or workers that start together migrate it once:

- an empty database gets every revision in order;
- a database made before migrations (our tables, no ``alembic_version``) is
  recognised by its columns, stamped at the revision its schema is, and upgraded;
- a database at some revision gets the revisions after it.

The service calls it at start (``Issuer.from_settings``); ``blauwe-knop issuer
migrate`` and ``alembic upgrade head`` (with ``alembic.ini`` at the repository
root; database and passphrase from the ``BLAUWE_KNOP_ISSUER_*`` settings) run
the same environment. A revision that rewrites secrets (``0002`` seals BSNs)
opens the key-encryption key with :func:`kek_for`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.environment import EnvironmentContext
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, inspect, select

from vc_issuer.db import Base, Database, KekParams
from vc_issuer.db.models import KeyEncryptionRow
from vc_issuer.errors import StartupRefused
from vc_issuer.keys import open_kek
from vc_issuer.settings import IssuerSettings

__all__ = [
    "BASELINE",
    "SCRIPT_LOCATION",
    "MigrationReport",
    "alembic_config",
    "head_revision",
    "kek_for",
    "run_environment",
    "upgrade_database",
]

SCRIPT_LOCATION = str(Path(__file__).parent)
"""The Alembic script folder (``env.py`` and ``versions/``)."""
BASELINE = "0001"
"""The revision of the schema made before migrations (commit 8bf2dc2)."""
_SEALED_SUBJECTS = "0002"
_SETTINGS = "settings"
_CONNECTION = "connection"
_REPORT = "report"


@dataclass(slots=True)
class MigrationReport:
    """What :func:`upgrade_database` found and did.

    ``before`` is the revision the database was at (None: empty), ``stamped`` the
    revision a database made before migrations was recognised as, ``after`` the
    revision it is at now.
    """

    before: str | None = None
    stamped: str | None = None
    after: str | None = None


def alembic_config(settings: IssuerSettings | None = None) -> Config:
    """An Alembic configuration over our revisions (``settings`` for revisions that need keys)."""
    config = Config()
    config.set_main_option("script_location", SCRIPT_LOCATION)
    if settings is not None:
        config.attributes[_SETTINGS] = settings
    return config


def head_revision() -> str:
    """The newest revision the code knows."""
    head = ScriptDirectory(SCRIPT_LOCATION).get_current_head()
    if head is None:
        raise RuntimeError("the migrations folder has no revisions")
    return head


def upgrade_database(db: Database, *, settings: IssuerSettings | None = None) -> MigrationReport:
    """Bring ``db`` to the newest revision (see the module docstring); return what happened.

    ``settings`` give the key passphrase to revisions that rewrite sealed data;
    without them such a revision refuses a database that holds that data.
    """
    config = alembic_config(settings)
    report = MigrationReport()
    config.attributes[_REPORT] = report
    with db.schema_transaction() as connection:
        config.attributes[_CONNECTION] = connection
        command.upgrade(config, "head")
    return report


def run_environment(context: EnvironmentContext) -> None:
    """What ``env.py`` runs: the revisions up to the target, on our connection or a new one.

    From :func:`upgrade_database` the connection is given; from the ``alembic``
    command line the database and passphrase come from the service's settings
    (environment or ``.env``), as ``blauwe-knop issuer serve`` reads them.
    """
    if context.is_offline_mode():
        raise StartupRefused(
            "offline (--sql) migrations are not supported: revision 0002 seals data with "
            "the key passphrase; run the upgrade against the database"
        )
    config = context.config
    connection = config.attributes.get(_CONNECTION)
    if connection is not None:
        _run(context, connection)
        return
    settings = config.attributes.get(_SETTINGS) or IssuerSettings()
    config.attributes[_SETTINGS] = settings
    db = Database(settings.resolved_database_url)
    try:
        with db.schema_transaction() as new_connection:
            _run(context, new_connection)
    finally:
        db.dispose()


def _run(context: EnvironmentContext, connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=True,
        compare_type=True,
    )
    migration = context.get_context()
    report: MigrationReport = context.config.attributes.get(_REPORT) or MigrationReport()
    report.before = migration.get_current_revision()
    if report.before is None:
        report.stamped = _made_without_migrations(connection)
        if report.stamped is not None:
            migration.stamp(context.script, report.stamped)
    with context.begin_transaction():
        context.run_migrations()
    report.after = MigrationContext.configure(connection).get_current_revision()


def _made_without_migrations(connection: Connection) -> str | None:
    """The revision whose schema a database made by ``create_all`` has; None when empty.

    Implementation note: before 0002 the open offers (and tokens, deferred
    requests, portal sessions) kept the BSN in ``subject``; since, sealed in
    ``sealed_subject``.
    """
    tables = set(inspect(connection).get_table_names())
    if not tables & set(Base.metadata.tables):
        return None
    columns = {column["name"] for column in inspect(connection).get_columns("oid4vci_offers")}
    return _SEALED_SUBJECTS if "sealed_subject" in columns else BASELINE


def kek_for(migration: MigrationContext) -> bytes:
    """The key-encryption key of the database being migrated, opened with the passphrase.

    For revisions that seal or open data (``kek_for(op.get_context())``). Raises
    ``StartupRefused`` without the issuer's settings, without key-encryption
    parameters in the database, or for a wrong passphrase.
    """
    settings = migration.config.attributes.get(_SETTINGS) if migration.config else None
    if not isinstance(settings, IssuerSettings):
        raise StartupRefused(
            "this migration seals data with the key passphrase: run it with the issuer's "
            "settings (blauwe-knop issuer migrate, or the service's start)"
        )
    if migration.connection is None:
        raise StartupRefused("this migration needs a database connection")
    table = KeyEncryptionRow.__table__
    found = migration.connection.execute(select(table).where(table.c.id == 1)).mappings().first()
    if found is None:
        raise StartupRefused("the database holds sealed data but no key-encryption parameters")
    params = KekParams(
        found["salt"], found["scrypt_n"], found["scrypt_r"], found["scrypt_p"], found["check"]
    )
    return open_kek(settings.key_passphrase.get_secret_value(), params)
