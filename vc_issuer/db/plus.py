"""Blauwe Knop Plus tables: recipients, holder links, consent grants, the access chain, used jtis.

:class:`PlusUnit` adds the Plus operations to a :class:`~vc_issuer.db.Unit`
(the same transaction). Like the rest of the issuer's storage, each
operation that can race is one statement whose result says who won: a chain
entry starts with ``UPDATE plus_chains … RETURNING``, which also takes the
chain head's row lock on PostgreSQL (SQLite writers are serialized by
``BEGIN IMMEDIATE``), so everything that touches one grant — fetches,
revocation — runs one after the other, in the order of its sequence numbers.

The BSN is kept sealed (AES-256-GCM under the issuer's key-encryption key),
only while a grant or a wallet credential that needs it is valid. Access
entries are only ever inserted; their hashes chain them per grant, and the
database itself refuses ``UPDATE``, ``DELETE`` (and on PostgreSQL
``TRUNCATE``) on them: triggers made with the tables (migration ``0001``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    LargeBinary,
    String,
    Text,
    func,
    select,
    update,
)
from sqlalchemy.orm import Mapped, Session, mapped_column

from vc_issuer.db._statements import (
    add_row,
    delete_where,
    found,
    insert_new,
    insert_new_rows,
    to_columns,
    to_record,
    update_where,
)
from vc_issuer.db.database import Unit
from vc_issuer.db.models import Base

__all__ = [
    "GENESIS_HASH",
    "AccessRecord",
    "ChainSlot",
    "GrantRecord",
    "HolderLink",
    "PlusAccessRow",
    "PlusChainRow",
    "PlusGrantRow",
    "PlusHolderRow",
    "PlusRecipientRow",
    "PlusUnit",
    "PlusUsedJtiRow",
    "RecipientRecord",
]

GENESIS_HASH = "0" * 64
"""The ``prev_hash`` of the first entry of every chain."""
_HASH = 64
_NAME = 64
_DID = 255
_ID = 128


class PlusRecipientRow(Base):
    """An organisation registered with a source to receive data under consent."""

    __tablename__ = "plus_recipients"

    source: Mapped[str] = mapped_column(String(_NAME), primary_key=True)
    did: Mapped[str] = mapped_column(String(_DID), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    purposes: Mapped[list[str]]
    scopes: Mapped[Any] = mapped_column(JSON)
    keys: Mapped[Any] = mapped_column(JSON)
    active: Mapped[bool]
    registered_at: Mapped[datetime]


class PlusHolderRow(Base):
    """A wallet holder DID the source bound a credential to, with the citizen's sealed BSN."""

    __tablename__ = "plus_holders"

    holder_did: Mapped[str] = mapped_column(String(_DID), primary_key=True)
    credential_id: Mapped[str] = mapped_column(String(_ID))
    source: Mapped[str] = mapped_column(String(_NAME))
    subject_ref: Mapped[str] = mapped_column(String(_HASH))
    sealed_bsn: Mapped[bytes] = mapped_column(LargeBinary)
    expires_at: Mapped[datetime] = mapped_column(index=True)


class PlusGrantRow(Base):
    """A consent grant: who may fetch what about whom, for what, until when, how often."""

    __tablename__ = "plus_grants"

    id: Mapped[str] = mapped_column(String(_ID), primary_key=True)
    recipient: Mapped[str] = mapped_column(String(_DID), index=True)
    recipient_name: Mapped[str] = mapped_column(String(200))
    subject_ref: Mapped[str] = mapped_column(String(_HASH), index=True)
    sealed_bsn: Mapped[bytes] = mapped_column(LargeBinary)
    holder: Mapped[str] = mapped_column(String(_DID), index=True)
    purpose: Mapped[str] = mapped_column(String(200))
    details: Mapped[Any] = mapped_column(JSON)
    sources: Mapped[list[str]]
    valid_from: Mapped[datetime]
    valid_until: Mapped[datetime]
    max_uses: Mapped[int | None]
    state: Mapped[str] = mapped_column(String(16))
    granted_via: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime]
    revoked_at: Mapped[datetime | None]
    revoked_by: Mapped[str | None] = mapped_column(String(32))
    payload_hash: Mapped[str] = mapped_column(String(_HASH))
    document: Mapped[str] = mapped_column(Text)


class PlusChainRow(Base):
    """The head of one access chain: its last sequence number and hash (and its lock)."""

    __tablename__ = "plus_chains"

    chain: Mapped[str] = mapped_column(String(_ID), primary_key=True)
    last_seq: Mapped[int]
    last_hash: Mapped[str] = mapped_column(String(_HASH))


class PlusAccessRow(Base):
    """One access-log entry (append-only): granted, served, refused or revoked."""

    __tablename__ = "plus_access"

    chain: Mapped[str] = mapped_column(String(_ID), primary_key=True)
    seq: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    at: Mapped[datetime]
    event: Mapped[str] = mapped_column(String(16))
    source: Mapped[str | None] = mapped_column(String(_NAME))
    actor: Mapped[str | None] = mapped_column(String(_DID))
    error: Mapped[str | None] = mapped_column(String(64))
    detail: Mapped[dict[str, Any]]
    prev_hash: Mapped[str] = mapped_column(String(_HASH))
    hash: Mapped[str] = mapped_column(String(_HASH))


class PlusUsedJtiRow(Base):
    """A client assertion's ``jti`` (hashed with its issuer), kept until the assertion expires."""

    __tablename__ = "plus_used_jtis"

    jti_hash: Mapped[str] = mapped_column(String(_HASH), primary_key=True)
    expires_at: Mapped[datetime] = mapped_column(index=True)


@dataclass(frozen=True, slots=True)
class RecipientRecord:
    """A registered recipient at one source.

    ``scopes`` maps a credential configuration id to the claims paths the
    recipient may receive; ``keys`` maps verification method ids to their
    ``publicKeyMultibase``.
    """

    source: str
    did: str
    name: str
    purposes: tuple[str, ...]
    scopes: dict[str, list[list[str]]]
    keys: dict[str, str]
    active: bool
    registered_at: datetime


@dataclass(frozen=True, slots=True)
class HolderLink:
    """A wallet holder DID, the credential bound to it and the citizen's sealed BSN."""

    holder_did: str
    credential_id: str
    source: str
    subject_ref: str
    sealed_bsn: bytes
    expires_at: datetime


@dataclass(frozen=True, slots=True)
class GrantRecord:
    """A stored consent grant (see :class:`PlusGrantRow`)."""

    id: str
    recipient: str
    recipient_name: str
    subject_ref: str
    sealed_bsn: bytes
    holder: str
    purpose: str
    details: list[dict[str, Any]]
    sources: tuple[str, ...]
    valid_from: datetime
    valid_until: datetime
    max_uses: int | None
    state: str
    granted_via: str
    created_at: datetime
    revoked_at: datetime | None
    revoked_by: str | None
    payload_hash: str
    document: str


@dataclass(frozen=True, slots=True)
class AccessRecord:
    """One entry of an access chain, with the hash of the entry before it and its own."""

    chain: str
    seq: int
    at: datetime
    event: str
    source: str | None
    actor: str | None
    error: str | None
    detail: dict[str, Any] = field(default_factory=dict)
    prev_hash: str = GENESIS_HASH
    hash: str = ""


@dataclass(frozen=True, slots=True)
class ChainSlot:
    """A reserved next sequence number of a chain and the hash it must link to."""

    chain: str
    seq: int
    prev_hash: str


def _grant(row: PlusGrantRow) -> GrantRecord:
    return to_record(GrantRecord, row, details=list(row.details), sources=tuple(row.sources))


def _recipient(row: PlusRecipientRow) -> RecipientRecord:
    return to_record(
        RecipientRecord,
        row,
        purposes=tuple(row.purposes),
        scopes={str(k): [list(p) for p in v] for k, v in dict(row.scopes).items()},
        keys={str(k): str(v) for k, v in dict(row.keys).items()},
    )


def _access(row: PlusAccessRow) -> AccessRecord:
    return to_record(AccessRecord, row, detail=dict(row.detail))


def _holder(row: PlusHolderRow) -> HolderLink:
    return to_record(HolderLink, row)


class PlusUnit:
    """The Plus operations inside one :class:`~vc_issuer.db.Unit` (one transaction)."""

    def __init__(self, unit: Unit) -> None:
        self._unit = unit

    @property
    def session(self) -> Session:
        """The unit's ORM session (made when first used)."""
        return self._unit.session

    # Recipients -------------------------------------------------------------------------------

    def save_recipient(self, record: RecipientRecord) -> None:
        """Register a recipient at a source, or replace its registration."""
        columns = to_columns(record, purposes=list(record.purposes))
        self.session.merge(PlusRecipientRow(**columns))
        self.session.flush()

    def recipient(self, source: str, did: str) -> RecipientRecord | None:
        return found(_recipient, self.session.get(PlusRecipientRow, (source, did)))

    def recipients(self, source: str | None = None) -> list[RecipientRecord]:
        statement = select(PlusRecipientRow).order_by(PlusRecipientRow.source, PlusRecipientRow.did)
        if source is not None:
            statement = statement.where(PlusRecipientRow.source == source)
        return [_recipient(row) for row in self.session.scalars(statement)]

    # Holder links -----------------------------------------------------------------------------

    def link_holders(self, links: Sequence[HolderLink]) -> set[str]:
        """Remember the citizen of wallet holder DIDs (one statement); return the DIDs this
        linked (a DID linked already keeps its first link)."""
        rows = [to_columns(link) for link in sorted(links, key=lambda link: link.holder_did)]
        key = ("holder_did",)
        linked = insert_new_rows(self._unit.connection, PlusHolderRow, key, rows, returning=key)
        return {str(holder_did) for (holder_did,) in linked}

    def holder(self, holder_did: str) -> HolderLink | None:
        return found(_holder, self.session.get(PlusHolderRow, holder_did))

    # Grants -----------------------------------------------------------------------------------

    def add_grant(self, record: GrantRecord) -> None:
        add_row(self.session, PlusGrantRow, record, sources=list(record.sources))

    def grant(self, grant_id: str) -> GrantRecord | None:
        """A grant as committed now (a fresh read, never the session's cached copy)."""
        row = self.session.scalars(
            select(PlusGrantRow)
            .where(PlusGrantRow.id == grant_id)
            .execution_options(populate_existing=True)
        ).first()
        return found(_grant, row)

    def grants_of(
        self, *, subject_ref: str | None = None, holder: str | None = None
    ) -> list[GrantRecord]:
        """The grants of a citizen (by subject reference) or of a wallet holder DID."""
        statement = select(PlusGrantRow).order_by(PlusGrantRow.created_at, PlusGrantRow.id)
        if subject_ref is not None:
            statement = statement.where(PlusGrantRow.subject_ref == subject_ref)
        if holder is not None:
            statement = statement.where(PlusGrantRow.holder == holder)
        return [_grant(row) for row in self.session.scalars(statement)]

    def revoke_grant(self, grant_id: str, *, at: datetime, by: str) -> bool:
        """Move an active grant to ``revoked``; False when it was not active."""
        changed = update_where(
            self.session,
            PlusGrantRow,
            PlusGrantRow.id == grant_id,
            PlusGrantRow.state == "active",
            state="revoked",
            revoked_at=at,
            revoked_by=by,
        )
        return changed == 1

    # Access chains ----------------------------------------------------------------------------

    def start_chain(self, chain: str) -> None:
        """Create a chain's head unless it exists."""
        insert_new(
            self.session, PlusChainRow, ["chain"], chain=chain, last_seq=0, last_hash=GENESIS_HASH
        )

    def reserve_entry(self, chain: str) -> ChainSlot:
        """Take the chain's lock and its next sequence number (the head must exist).

        Everything else this transaction reads about the grant is read after this,
        so it sees what every earlier entry's transaction committed.
        """
        statement = (
            update(PlusChainRow)
            .where(PlusChainRow.chain == chain)
            .values(last_seq=PlusChainRow.last_seq + 1)
            .returning(PlusChainRow.last_seq, PlusChainRow.last_hash)
        )
        seq, prev = self.session.execute(statement).one()
        return ChainSlot(chain, int(seq), str(prev))

    def write_entry(self, entry: AccessRecord) -> None:
        """Insert the entry of a reserved slot and move the head's hash to it."""
        add_row(self.session, PlusAccessRow, entry)
        update_where(
            self.session,
            PlusChainRow,
            PlusChainRow.chain == entry.chain,
            PlusChainRow.last_seq == entry.seq,
            last_hash=entry.hash,
        )

    def entries(self, chain: str) -> list[AccessRecord]:
        rows = self.session.scalars(
            select(PlusAccessRow).where(PlusAccessRow.chain == chain).order_by(PlusAccessRow.seq)
        )
        return [_access(row) for row in rows]

    def chain_head(self, chain: str) -> tuple[int, str] | None:
        row = self.session.get(PlusChainRow, chain, populate_existing=True)
        return None if row is None else (row.last_seq, row.last_hash)

    def served_count(self, chain: str, source: str) -> int:
        count = self.session.scalar(
            select(func.count()).where(
                PlusAccessRow.chain == chain,
                PlusAccessRow.event == "served",
                PlusAccessRow.source == source,
            )
        )
        return int(count or 0)

    def served_entries(self, chain: str) -> list[AccessRecord]:
        rows = self.session.scalars(
            select(PlusAccessRow)
            .where(PlusAccessRow.chain == chain, PlusAccessRow.event == "served")
            .order_by(PlusAccessRow.seq)
        )
        return [_access(row) for row in rows]

    # Client assertions ------------------------------------------------------------------------

    def consume_jti(self, jti_hash: str, expires_at: datetime) -> bool:
        """Record a client assertion id as used; False when it was used before."""
        return insert_new(
            self.session, PlusUsedJtiRow, ["jti_hash"], jti_hash=jti_hash, expires_at=expires_at
        )

    def purge_expired(self, now: datetime) -> int:
        """Delete used jtis and holder links past expiry, and wipe the BSN of expired grants."""
        tables = (PlusUsedJtiRow, PlusHolderRow)
        removed = sum(delete_where(self.session, table, table.expires_at < now) for table in tables)
        wiped = update_where(
            self.session,
            PlusGrantRow,
            PlusGrantRow.valid_until < now,
            PlusGrantRow.sealed_bsn != b"",
            sealed_bsn=b"",
        )
        return removed + wiped

    def forget_bsn(self, grant_id: str) -> None:
        """Wipe a grant's sealed BSN (it has ended; nothing may be fetched any more)."""
        update_where(self.session, PlusGrantRow, PlusGrantRow.id == grant_id, sealed_bsn=b"")
