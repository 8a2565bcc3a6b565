"""The schema before migrations: what ``create_all`` made at commit 8bf2dc2.

Issuer tables (keys, offers, tokens, nonces, deferred requests, issued
credentials, status lists), the Plus tables with the triggers that keep
``plus_access`` append-only, the portal's sessions and the demo registers.
Open offers, tokens, deferred requests and portal sessions kept the BSN in
``subject`` then.

Revision ID: 0001
Revises:
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

_TIME = sa.DateTime(timezone=True)
_APPEND_ONLY = "the Plus access log is append-only"


def upgrade() -> None:
    op.create_table(
        "bd_inkomens",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("bsn", sa.String(length=9), nullable=False),
        sa.Column("belastingjaar", sa.Integer(), nullable=False),
        sa.Column("verzamelinkomen", sa.Numeric(precision=12, scale=2), nullable=False),
        sa.Column("huishoudgrootte", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("bsn", "belastingjaar"),
    )
    op.create_index("ix_bd_inkomens_bsn", "bd_inkomens", ["bsn"], unique=False)
    op.create_table(
        "bd_inkomensgrenzen",
        sa.Column("regel", sa.String(length=64), nullable=False),
        sa.Column("jaar", sa.Integer(), nullable=False),
        sa.Column("huishoudgrootte_vanaf", sa.Integer(), nullable=False),
        sa.Column("versie", sa.Integer(), nullable=False),
        sa.Column("grens", sa.Numeric(precision=12, scale=2), nullable=False),
        sa.PrimaryKeyConstraint("regel", "jaar", "huishoudgrootte_vanaf", "versie"),
    )
    op.create_table(
        "brp_personen",
        sa.Column("bsn", sa.String(length=9), nullable=False),
        sa.Column("voornamen", sa.String(length=200), nullable=False),
        sa.Column("voorvoegsel", sa.String(length=20), nullable=True),
        sa.Column("geslachtsnaam", sa.String(length=200), nullable=False),
        sa.Column("geboortedatum", sa.Date(), nullable=True),
        sa.Column("geboorteplaats", sa.String(length=100), nullable=False),
        sa.Column("nationaliteit", sa.String(length=60), nullable=False),
        sa.Column("straat", sa.String(length=200), nullable=False),
        sa.Column("huisnummer", sa.Integer(), nullable=False),
        sa.Column("huisnummertoevoeging", sa.String(length=20), nullable=True),
        sa.Column("postcode", sa.String(length=7), nullable=False),
        sa.Column("woonplaats", sa.String(length=100), nullable=False),
        sa.Column("gemeente", sa.String(length=100), nullable=False),
        sa.Column("land", sa.String(length=60), nullable=False),
        sa.PrimaryKeyConstraint("bsn"),
    )
    op.create_table(
        "duo_diplomas",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("bsn", sa.String(length=9), nullable=False),
        sa.Column("opleiding", sa.String(length=200), nullable=False),
        sa.Column("niveau", sa.String(length=60), nullable=False),
        sa.Column("onderwijsinstelling", sa.String(length=200), nullable=False),
        sa.Column("datum_behaald", sa.Date(), nullable=False),
        sa.Column("croho_code", sa.String(length=10), nullable=True),
        sa.Column("handmatige_controle", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_duo_diplomas_bsn", "duo_diplomas", ["bsn"], unique=False)
    op.create_table(
        "issued_credentials",
        sa.Column("id", sa.String(length=128), nullable=False),
        sa.Column("source", sa.String(length=64), nullable=False),
        sa.Column("configuration_id", sa.String(length=128), nullable=False),
        sa.Column("holder_did", sa.Text(), nullable=False),
        sa.Column("subject_ref", sa.String(length=64), nullable=False),
        sa.Column("issued_at", _TIME, nullable=False),
        sa.Column("valid_until", _TIME, nullable=False),
        sa.Column("notification_id", sa.String(length=64), nullable=True),
        sa.Column("token_hash", sa.String(length=64), nullable=True),
        sa.Column("last_event", sa.String(length=32), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        ("ix_issued_credentials_notification_id"),
        "issued_credentials",
        ["notification_id"],
        unique=False,
    )
    op.create_index(
        ("ix_issued_credentials_subject_ref"), "issued_credentials", ["subject_ref"], unique=False
    )
    op.create_table(
        "issuer_key_encryption",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("salt", sa.LargeBinary(length=32), nullable=False),
        sa.Column("scrypt_n", sa.Integer(), nullable=False),
        sa.Column("scrypt_r", sa.Integer(), nullable=False),
        sa.Column("scrypt_p", sa.Integer(), nullable=False),
        sa.Column("check", sa.LargeBinary(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "issuer_keys",
        sa.Column("source", sa.String(length=64), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("public_multibase", sa.String(length=128), nullable=False),
        sa.Column("sealed_secret", sa.LargeBinary(length=128), nullable=False),
        sa.Column("created_at", _TIME, nullable=False),
        sa.PrimaryKeyConstraint("source", "number"),
    )
    op.create_table(
        "issuer_sealing_identities",
        sa.Column("source", sa.String(length=64), nullable=False),
        sa.Column("certificate_pem", sa.Text(), nullable=False),
        sa.Column("sealed_identity", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", _TIME, nullable=False),
        sa.PrimaryKeyConstraint("source"),
    )
    op.create_table(
        "oid4vci_deferred",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("transaction_hash", sa.String(length=64), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("source", sa.String(length=64), nullable=False),
        sa.Column("subject", sa.String(length=32), nullable=False),
        sa.Column("configuration_id", sa.String(length=128), nullable=False),
        sa.Column("holder_dids", sa.JSON(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("created_at", _TIME, nullable=False),
        sa.Column("expires_at", _TIME, nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("transaction_hash"),
    )
    op.create_index(("ix_oid4vci_deferred_state"), "oid4vci_deferred", ["state"], unique=False)
    op.create_table(
        "oid4vci_offers",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("source", sa.String(length=64), nullable=False),
        sa.Column("subject", sa.String(length=32), nullable=False),
        sa.Column("configuration_ids", sa.JSON(), nullable=False),
        sa.Column("code_hash", sa.String(length=64), nullable=False),
        sa.Column("tx_code_hash", sa.String(length=64), nullable=True),
        sa.Column("failed_attempts", sa.Integer(), nullable=False),
        sa.Column("created_at", _TIME, nullable=False),
        sa.Column("expires_at", _TIME, nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("code_hash"),
    )
    op.create_index(
        ("ix_oid4vci_offers_expires_at"), "oid4vci_offers", ["expires_at"], unique=False
    )
    op.create_table(
        "oid4vci_tokens",
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("source", sa.String(length=64), nullable=False),
        sa.Column("subject", sa.String(length=32), nullable=False),
        sa.Column("configuration_ids", sa.JSON(), nullable=False),
        sa.Column("credentials_issued", sa.Integer(), nullable=False),
        sa.Column("expires_at", _TIME, nullable=False),
        sa.PrimaryKeyConstraint("token_hash"),
    )
    op.create_index(
        ("ix_oid4vci_tokens_expires_at"), "oid4vci_tokens", ["expires_at"], unique=False
    )
    op.create_table(
        "oid4vci_used_nonces",
        sa.Column("nonce_hash", sa.String(length=64), nullable=False),
        sa.Column("expires_at", _TIME, nullable=False),
        sa.PrimaryKeyConstraint("nonce_hash"),
    )
    op.create_index(
        ("ix_oid4vci_used_nonces_expires_at"), "oid4vci_used_nonces", ["expires_at"], unique=False
    )
    op.create_table(
        "plus_access",
        sa.Column("chain", sa.String(length=128), nullable=False),
        sa.Column("seq", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("at", _TIME, nullable=False),
        sa.Column("event", sa.String(length=16), nullable=False),
        sa.Column("source", sa.String(length=64), nullable=True),
        sa.Column("actor", sa.String(length=255), nullable=True),
        sa.Column("error", sa.String(length=64), nullable=True),
        sa.Column("detail", sa.JSON(), nullable=False),
        sa.Column("prev_hash", sa.String(length=64), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("chain", "seq"),
    )
    op.create_table(
        "plus_chains",
        sa.Column("chain", sa.String(length=128), nullable=False),
        sa.Column("last_seq", sa.Integer(), nullable=False),
        sa.Column("last_hash", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("chain"),
    )
    op.create_table(
        "plus_grants",
        sa.Column("id", sa.String(length=128), nullable=False),
        sa.Column("recipient", sa.String(length=255), nullable=False),
        sa.Column("recipient_name", sa.String(length=200), nullable=False),
        sa.Column("subject_ref", sa.String(length=64), nullable=False),
        sa.Column("sealed_bsn", sa.LargeBinary(), nullable=False),
        sa.Column("holder", sa.String(length=255), nullable=False),
        sa.Column("purpose", sa.String(length=200), nullable=False),
        sa.Column("details", sa.JSON(), nullable=False),
        sa.Column("sources", sa.JSON(), nullable=False),
        sa.Column("valid_from", _TIME, nullable=False),
        sa.Column("valid_until", _TIME, nullable=False),
        sa.Column("max_uses", sa.Integer(), nullable=True),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("granted_via", sa.String(length=16), nullable=False),
        sa.Column("created_at", _TIME, nullable=False),
        sa.Column("revoked_at", _TIME, nullable=True),
        sa.Column("revoked_by", sa.String(length=32), nullable=True),
        sa.Column("payload_hash", sa.String(length=64), nullable=False),
        sa.Column("document", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_plus_grants_holder", "plus_grants", ["holder"], unique=False)
    op.create_index("ix_plus_grants_recipient", "plus_grants", ["recipient"], unique=False)
    op.create_index("ix_plus_grants_subject_ref", "plus_grants", ["subject_ref"], unique=False)
    op.create_table(
        "plus_holders",
        sa.Column("holder_did", sa.String(length=255), nullable=False),
        sa.Column("credential_id", sa.String(length=128), nullable=False),
        sa.Column("source", sa.String(length=64), nullable=False),
        sa.Column("subject_ref", sa.String(length=64), nullable=False),
        sa.Column("sealed_bsn", sa.LargeBinary(), nullable=False),
        sa.Column("expires_at", _TIME, nullable=False),
        sa.PrimaryKeyConstraint("holder_did"),
    )
    op.create_index("ix_plus_holders_expires_at", "plus_holders", ["expires_at"], unique=False)
    op.create_table(
        "plus_recipients",
        sa.Column("source", sa.String(length=64), nullable=False),
        sa.Column("did", sa.String(length=255), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("purposes", sa.JSON(), nullable=False),
        sa.Column("scopes", sa.JSON(), nullable=False),
        sa.Column("keys", sa.JSON(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("registered_at", _TIME, nullable=False),
        sa.PrimaryKeyConstraint("source", "did"),
    )
    op.create_table(
        "plus_used_jtis",
        sa.Column("jti_hash", sa.String(length=64), nullable=False),
        sa.Column("expires_at", _TIME, nullable=False),
        sa.PrimaryKeyConstraint("jti_hash"),
    )
    op.create_index(
        ("ix_plus_used_jtis_expires_at"), "plus_used_jtis", ["expires_at"], unique=False
    )
    op.create_table(
        "portal_sessions",
        sa.Column("id_hash", sa.String(length=64), nullable=False),
        sa.Column("subject", sa.String(length=32), nullable=False),
        sa.Column("csrf_token", sa.String(length=64), nullable=False),
        sa.Column("created_at", _TIME, nullable=False),
        sa.Column("expires_at", _TIME, nullable=False),
        sa.Column("ends_at", _TIME, nullable=False),
        sa.PrimaryKeyConstraint("id_hash"),
    )
    op.create_index(
        ("ix_portal_sessions_expires_at"), "portal_sessions", ["expires_at"], unique=False
    )
    op.create_table(
        "rdw_voertuigen",
        sa.Column("kenteken", sa.String(length=10), nullable=False),
        sa.Column("bsn", sa.String(length=9), nullable=False),
        sa.Column("merk", sa.String(length=60), nullable=False),
        sa.Column("handelsbenaming", sa.String(length=100), nullable=False),
        sa.Column("datum_eerste_toelating", sa.Date(), nullable=False),
        sa.Column("brandstof", sa.String(length=40), nullable=False),
        sa.Column("tenaamstellingsdatum", sa.Date(), nullable=False),
        sa.PrimaryKeyConstraint("kenteken"),
    )
    op.create_index("ix_rdw_voertuigen_bsn", "rdw_voertuigen", ["bsn"], unique=False)
    op.create_table(
        "status_entries",
        sa.Column("source", sa.String(length=64), nullable=False),
        sa.Column("purpose", sa.String(length=16), nullable=False),
        sa.Column("list_number", sa.Integer(), nullable=False),
        sa.Column("index", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("credential_id", sa.String(length=128), nullable=False),
        sa.Column("status", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("source", "purpose", "list_number", "index"),
    )
    op.create_index(
        "ix_status_entries_credential", "status_entries", ["credential_id"], unique=False
    )
    op.create_table(
        "status_lists",
        sa.Column("source", sa.String(length=64), nullable=False),
        sa.Column("purpose", sa.String(length=16), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("signed", sa.Text(), nullable=True),
        sa.Column("signed_version", sa.Integer(), nullable=True),
        sa.Column("signed_at", _TIME, nullable=True),
        sa.PrimaryKeyConstraint("source", "purpose", "number"),
    )

    _protect_access_log()


def _protect_access_log() -> None:
    """Refuse UPDATE and DELETE (and on PostgreSQL TRUNCATE) on ``plus_access``."""
    if op.get_bind().dialect.name == "sqlite":
        for action in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER IF NOT EXISTS plus_access_no_{action.lower()} "
                f"BEFORE {action} ON plus_access BEGIN SELECT RAISE(ABORT, '{_APPEND_ONLY}'); END"
            )
        return
    op.execute(
        "CREATE OR REPLACE FUNCTION plus_access_append_only() RETURNS trigger "
        f"LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION '{_APPEND_ONLY}'; END $$"
    )
    for name, when in (("append_only", "UPDATE OR DELETE"), ("no_truncate", "TRUNCATE")):
        level = "STATEMENT" if when == "TRUNCATE" else "ROW"
        op.execute(
            f"CREATE OR REPLACE TRIGGER plus_access_{name} BEFORE {when} ON plus_access "
            f"FOR EACH {level} EXECUTE FUNCTION plus_access_append_only()"
        )


_TABLES = (
    "bd_inkomens",
    "bd_inkomensgrenzen",
    "brp_personen",
    "duo_diplomas",
    "issued_credentials",
    "issuer_key_encryption",
    "issuer_keys",
    "issuer_sealing_identities",
    "oid4vci_deferred",
    "oid4vci_offers",
    "oid4vci_tokens",
    "oid4vci_used_nonces",
    "plus_access",
    "plus_chains",
    "plus_grants",
    "plus_holders",
    "plus_recipients",
    "plus_used_jtis",
    "portal_sessions",
    "rdw_voertuigen",
    "status_entries",
    "status_lists",
)


def downgrade() -> None:
    for table in reversed(_TABLES):
        op.drop_table(table)
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP FUNCTION IF EXISTS plus_access_append_only()")
