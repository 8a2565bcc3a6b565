"""The issuer's own tables (keys, OpenID4VCI state, status lists, issued credentials).

The registers (the sources' data) are declared by the source adapters in
``vc_issuer.sources`` on the same :class:`Base`. Secrets are stored hashed
(pre-authorized codes, access tokens, nonces, transaction ids) or encrypted
(issuer keys). No table holds a BSN in plain text: an open offer, token or
deferred request keeps it sealed (AES-256-GCM under the key-encryption key,
bound to its row, ``KeyRing.seal_subject``) and only while it is open;
issued credentials keep a keyed hash of it (``subject_ref``).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, ClassVar

from sqlalchemy import JSON, DateTime, Index, Integer, LargeBinary, String, Text, TypeDecorator
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

__all__ = [
    "AccessTokenRow",
    "Base",
    "DeferredRow",
    "IssuedCredentialRow",
    "IssuerKeyRow",
    "KeyEncryptionRow",
    "OfferRow",
    "SealingIdentityRow",
    "StatusEntryRow",
    "StatusListRow",
    "UsedNonceRow",
    "UtcDateTime",
]

_HASH = 64  # hex SHA-256 / HMAC-SHA-256
_NAME = 64
# A sealed BSN: 12-byte nonce, the ciphertext, a 16-byte tag (37 bytes for 9 digits).
_SEALED_BSN = 64


class UtcDateTime(TypeDecorator[datetime]):
    """An aware UTC ``datetime`` on every backend (SQLite stores naive text)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("UtcDateTime needs an aware datetime")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if not isinstance(value, datetime):
            raise TypeError(f"expected a datetime from the database, got {type(value).__name__}")
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    """Declarative base of every table, the registers included."""

    type_annotation_map: ClassVar[dict[Any, Any]] = {
        datetime: UtcDateTime,
        dict[str, Any]: JSON,
        list[str]: JSON,
    }


class KeyEncryptionRow(Base):
    """The one row that says how the key-encryption key is derived from the passphrase."""

    __tablename__ = "issuer_key_encryption"

    id: Mapped[int] = mapped_column(primary_key=True)
    salt: Mapped[bytes] = mapped_column(LargeBinary(32))
    scrypt_n: Mapped[int]
    scrypt_r: Mapped[int]
    scrypt_p: Mapped[int]
    check: Mapped[bytes] = mapped_column(LargeBinary(64))


class IssuerKeyRow(Base):
    """An issuer key ``key-<number>`` of a source; the secret is sealed with AES-256-GCM."""

    __tablename__ = "issuer_keys"

    source: Mapped[str] = mapped_column(String(_NAME), primary_key=True)
    number: Mapped[int] = mapped_column(primary_key=True)
    public_multibase: Mapped[str] = mapped_column(String(128))
    sealed_secret: Mapped[bytes] = mapped_column(LargeBinary(128))
    created_at: Mapped[datetime]


class SealingIdentityRow(Base):
    """A source's PDF sealing certificate and key (PEM), the key sealed like the issuer keys."""

    __tablename__ = "issuer_sealing_identities"

    source: Mapped[str] = mapped_column(String(_NAME), primary_key=True)
    certificate_pem: Mapped[str] = mapped_column(Text)
    sealed_identity: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime]


class OfferRow(Base):
    """An open credential offer: pre-authorized code (hashed), tx_code (keyed hash), sealed BSN."""

    __tablename__ = "oid4vci_offers"

    id: Mapped[str] = mapped_column(String(_NAME), primary_key=True)
    source: Mapped[str] = mapped_column(String(_NAME))
    sealed_subject: Mapped[bytes] = mapped_column(LargeBinary(_SEALED_BSN))
    configuration_ids: Mapped[list[str]]
    code_hash: Mapped[str] = mapped_column(String(_HASH), unique=True)
    tx_code_hash: Mapped[str | None] = mapped_column(String(_HASH))
    failed_attempts: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime] = mapped_column(index=True)


class AccessTokenRow(Base):
    """An access token (hashed) bound to one redeemed offer, with the sealed BSN."""

    __tablename__ = "oid4vci_tokens"

    token_hash: Mapped[str] = mapped_column(String(_HASH), primary_key=True)
    source: Mapped[str] = mapped_column(String(_NAME))
    sealed_subject: Mapped[bytes] = mapped_column(LargeBinary(_SEALED_BSN))
    configuration_ids: Mapped[list[str]]
    credentials_issued: Mapped[int] = mapped_column(default=0)
    expires_at: Mapped[datetime] = mapped_column(index=True)


class UsedNonceRow(Base):
    """A ``c_nonce`` (hashed) that a credential request has consumed, kept until it expires."""

    __tablename__ = "oid4vci_used_nonces"

    nonce_hash: Mapped[str] = mapped_column(String(_HASH), primary_key=True)
    expires_at: Mapped[datetime] = mapped_column(index=True)


class DeferredRow(Base):
    """A credential request waiting for manual review (deferred issuance)."""

    __tablename__ = "oid4vci_deferred"

    id: Mapped[str] = mapped_column(String(_NAME), primary_key=True)
    transaction_hash: Mapped[str] = mapped_column(String(_HASH), unique=True)
    token_hash: Mapped[str] = mapped_column(String(_HASH))
    source: Mapped[str] = mapped_column(String(_NAME))
    sealed_subject: Mapped[bytes] = mapped_column(LargeBinary(_SEALED_BSN))
    configuration_id: Mapped[str] = mapped_column(String(128))
    holder_dids: Mapped[list[str]]
    state: Mapped[str] = mapped_column(String(16), index=True)
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime]


class IssuedCredentialRow(Base):
    """What the issuer remembers of a credential it issued (no claims, no BSN)."""

    __tablename__ = "issued_credentials"

    id: Mapped[str] = mapped_column(String(128), primary_key=True)
    source: Mapped[str] = mapped_column(String(_NAME))
    configuration_id: Mapped[str] = mapped_column(String(128))
    holder_did: Mapped[str] = mapped_column(Text)
    subject_ref: Mapped[str] = mapped_column(String(_HASH), index=True)
    issued_at: Mapped[datetime]
    valid_until: Mapped[datetime]
    notification_id: Mapped[str | None] = mapped_column(String(_NAME), index=True)
    token_hash: Mapped[str | None] = mapped_column(String(_HASH))
    last_event: Mapped[str | None] = mapped_column(String(32))


class StatusListRow(Base):
    """One status list (source, purpose, number) with its signed publication."""

    __tablename__ = "status_lists"

    source: Mapped[str] = mapped_column(String(_NAME), primary_key=True)
    purpose: Mapped[str] = mapped_column(String(16), primary_key=True)
    number: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[int] = mapped_column(default=0)
    signed: Mapped[str | None] = mapped_column(Text)
    signed_version: Mapped[int | None]
    signed_at: Mapped[datetime | None]


class StatusEntryRow(Base):
    """A claimed index in a status list; the primary key makes every index unique."""

    __tablename__ = "status_entries"
    __table_args__ = (Index("ix_status_entries_credential", "credential_id"),)

    source: Mapped[str] = mapped_column(String(_NAME), primary_key=True)
    purpose: Mapped[str] = mapped_column(String(16), primary_key=True)
    list_number: Mapped[int] = mapped_column(primary_key=True)
    index: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    credential_id: Mapped[str] = mapped_column(String(128))
    status: Mapped[int] = mapped_column(default=0)
