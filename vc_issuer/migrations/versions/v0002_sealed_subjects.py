"""No BSN in plain text: open offers, tokens, deferred requests and portal sessions seal it.

``subject VARCHAR(32)`` becomes ``sealed_subject`` (up to 64 bytes: a 12-byte
nonce and the AES-256-GCM ciphertext with its tag, under the key-encryption
key, associated data ``subject:<kind>:<row key>``). Expired rows are deleted
first; every live row is sealed, so a citizen halfway through a flow, a
deferred issuance waiting for review and a logged-in portal session all
carry on. Sealing needs the key passphrase (the issuer's settings), but only
when there is a row to seal. The downgrade opens the values again.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-07
"""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

from vc_issuer.db.models import UtcDateTime
from vc_issuer.errors import StartupRefused
from vc_issuer.keys import open_subject, seal_subject
from vc_issuer.migrations import kek_for

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

# Implementation note: the labels as the code of this revision binds them
# (offers.offer_label, the token endpoint, deferred issuance, the portal); a
# migration keeps its own copy, so later code changes cannot change what it wrote.
_TABLES = (
    ("oid4vci_offers", "id", "offer"),
    ("oid4vci_tokens", "token_hash", "token"),
    ("oid4vci_deferred", "id", "deferred"),
    ("portal_sessions", "id_hash", "portal-session"),
)
_NONCE_BYTES = 12


def _table(name: str, key: str) -> sa.TableClause:
    return sa.table(
        name,
        sa.column(key, sa.String()),
        sa.column("subject", sa.String()),
        sa.column("sealed_subject", sa.LargeBinary()),
        sa.column("expires_at", UtcDateTime()),
    )


def _rewrite(
    table: sa.TableClause,
    key: str,
    source: str,
    target: str,
    change: Callable[[object, str], object],
) -> None:
    """Set ``target`` from ``source`` on every row, one row at a time."""
    bind = op.get_bind()
    rows = bind.execute(sa.select(table.c[key], table.c[source])).all()
    for row_key, value in rows:
        bind.execute(
            sa.update(table)
            .where(table.c[key] == row_key)
            .values({target: change(value, f"{kind_of(table)}:{row_key}")})
        )


def kind_of(table: sa.TableClause) -> str:
    """The label kind of one of the four tables."""
    return next(kind for name, _, kind in _TABLES if name == table.name)


def upgrade() -> None:
    bind = op.get_bind()
    now = datetime.now(UTC)
    kek: list[bytes] = []

    def seal(value: object, bound_to: str) -> bytes:
        if not kek:
            kek.append(kek_for(op.get_context()))
        return seal_subject(kek[0], str(value), bound_to=bound_to, nonce=os.urandom(_NONCE_BYTES))

    for name, key, _ in _TABLES:
        table = _table(name, key)
        # Step 1: expired rows are of no use to anyone (the service purges them too).
        bind.execute(sa.delete(table).where(table.c.expires_at < now))
        # Step 2: seal the BSN of every live row for that row.
        op.add_column(name, sa.Column("sealed_subject", sa.LargeBinary(length=64), nullable=True))
        _rewrite(table, key, "subject", "sealed_subject", seal)
        # Step 3: the plain BSN goes.
        with op.batch_alter_table(name) as batch:
            batch.alter_column("sealed_subject", existing_type=sa.LargeBinary(64), nullable=False)
            batch.drop_column("subject")


def downgrade() -> None:
    kek: list[bytes] = []

    def open_sealed(value: object, bound_to: str) -> str:
        if not kek:
            kek.append(kek_for(op.get_context()))
        if not isinstance(value, bytes):
            raise StartupRefused(f"the sealed BSN of {bound_to} is not bytes")
        return open_subject(kek[0], value, bound_to=bound_to)

    for name, key, _ in _TABLES:
        table = _table(name, key)
        op.add_column(name, sa.Column("subject", sa.String(length=32), nullable=True))
        _rewrite(table, key, "sealed_subject", "subject", open_sealed)
        with op.batch_alter_table(name) as batch:
            batch.alter_column("subject", existing_type=sa.String(32), nullable=False)
            batch.drop_column("sealed_subject")
