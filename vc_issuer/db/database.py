"""The database: engine set-up for SQLite and PostgreSQL, and units of work.

A :class:`Database` hands out :class:`Unit` objects: one transaction each,
read-only (:meth:`Database.read`) or writing (:meth:`Database.write`,
committed when the block ends, rolled back on an exception). A unit offers the
few operations the issuer needs; each is one statement whose result tells
whether it won a race (``INSERT … ON CONFLICT DO NOTHING``, conditional
``UPDATE``/``DELETE``), so single use, lock-out and unique status indexes hold
under concurrent requests and several worker processes, on both backends.

SQLite runs in WAL mode, and writing transactions start with ``BEGIN
IMMEDIATE`` so that two writers queue instead of failing on a stale snapshot.
An in-memory SQLite database is one shared connection guarded by a lock.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    CursorResult,
    Engine,
    Table,
    create_engine,
    delete,
    event,
    func,
    insert,
    inspect,
    select,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session
from sqlalchemy.pool import StaticPool

from vc_issuer.db.models import (
    AccessTokenRow,
    Base,
    DeferredRow,
    IssuedCredentialRow,
    IssuerKeyRow,
    KeyEncryptionRow,
    OfferRow,
    SealingIdentityRow,
    StatusEntryRow,
    StatusListRow,
    UsedNonceRow,
)

__all__ = [
    "AccessTokenRecord",
    "CredentialRecord",
    "Database",
    "DeferredRecord",
    "KekParams",
    "OfferRecord",
    "StatusEntryRecord",
    "StatusListState",
    "StoredKey",
    "Unit",
]

_WRITE_OPTION = "blauwe_knop_write"
_memory_databases: dict[str, Database] = {}
_memory_lock = threading.Lock()
_INSERT_NEW: dict[tuple[str, type[Base]], Any] = {}


@dataclass(frozen=True, slots=True)
class KekParams:
    """How the key-encryption key is derived (scrypt) plus a sealed check value."""

    salt: bytes
    n: int
    r: int
    p: int
    check: bytes


@dataclass(frozen=True, slots=True)
class StoredKey:
    """An issuer key as stored: public multibase and the sealed secret."""

    source: str
    number: int
    public_multibase: str
    sealed_secret: bytes
    created_at: datetime


@dataclass(frozen=True, slots=True)
class OfferRecord:
    """An open credential offer."""

    id: str
    source: str
    subject: str
    configuration_ids: tuple[str, ...]
    code_hash: str
    tx_code_hash: str | None
    failed_attempts: int
    created_at: datetime
    expires_at: datetime


@dataclass(frozen=True, slots=True)
class AccessTokenRecord:
    """An access token and what it allows."""

    token_hash: str
    source: str
    subject: str
    configuration_ids: tuple[str, ...]
    credentials_issued: int
    expires_at: datetime


@dataclass(frozen=True, slots=True)
class DeferredRecord:
    """A deferred credential request; ``state`` is pending, approved, rejected or issued."""

    id: str
    transaction_hash: str
    token_hash: str
    source: str
    subject: str
    configuration_id: str
    holder_dids: tuple[str, ...]
    state: str
    created_at: datetime
    expires_at: datetime


@dataclass(frozen=True, slots=True)
class CredentialRecord:
    """An issued credential as remembered by the issuer (no claims)."""

    id: str
    source: str
    configuration_id: str
    holder_did: str
    subject_ref: str
    issued_at: datetime
    valid_until: datetime
    notification_id: str | None = None
    token_hash: str | None = None
    last_event: str | None = None


@dataclass(frozen=True, slots=True)
class StatusEntryRecord:
    """A credential's index in one status list, with its current status value."""

    source: str
    purpose: str
    list_number: int
    index: int
    status: int


@dataclass(frozen=True, slots=True)
class StatusListState:
    """A status list's change counter and its last signed publication (if any)."""

    source: str
    purpose: str
    number: int
    version: int
    signed: str | None
    signed_version: int | None
    signed_at: datetime | None


def _table(model: type[Base]) -> Table:
    """The Core table of a model (Core statements skip the ORM's per-row work)."""
    return Base.metadata.tables[str(model.__tablename__)]


def _is_memory_sqlite(url: str) -> bool:
    return url in ("sqlite://", "sqlite:///:memory:") or "mode=memory" in url


def _sqlite_engine(url: str) -> Engine:
    memory = _is_memory_sqlite(url)
    engine = create_engine(
        url,
        connect_args={"check_same_thread": False, "timeout": 30},
        poolclass=StaticPool if memory else None,
    )

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Implementation note: pysqlite's own transaction handling is switched off so
        # that the "begin" hook below decides between BEGIN and BEGIN IMMEDIATE.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA busy_timeout = 30000")
        if not memory:
            cursor.execute("PRAGMA journal_mode = WAL")
            cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Connection) -> None:
        writing = connection.get_execution_options().get(_WRITE_OPTION, False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if writing else "BEGIN")

    return engine


class Database:
    """An engine for ``url`` (SQLite file or memory, or PostgreSQL) with units of work."""

    def __init__(self, url: str) -> None:
        self.url = url
        if url.startswith("sqlite"):
            self.engine = _sqlite_engine(url)
        else:
            self.engine = create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=20)
        self._write_engine = self.engine.execution_options(**{_WRITE_OPTION: True})
        self._memory_lock: threading.RLock | None = (
            threading.RLock() if _is_memory_sqlite(url) else None
        )

    @classmethod
    def open(cls, url: str) -> Database:
        """Return a database for ``url``; in-memory SQLite URLs share one per process."""
        if not _is_memory_sqlite(url):
            return cls(url)
        with _memory_lock:
            if url not in _memory_databases:
                _memory_databases[url] = cls(url)
            return _memory_databases[url]

    @property
    def backend(self) -> str:
        """``sqlite`` or ``postgresql``."""
        return self.engine.dialect.name

    def sealing_certificates(self) -> list[str]:
        """The sources' sealing certificates (PEM); none when the database has no such table."""
        if not inspect(self.engine).has_table(SealingIdentityRow.__tablename__):
            return []
        with self.read() as unit:
            return unit.sealing_certificates()

    def create_tables(self) -> None:
        """Create every declared table that does not exist yet (registers included)."""
        with self._guard():
            Base.metadata.create_all(self.engine)

    def dispose(self) -> None:
        """Close the pooled connections."""
        self.engine.dispose()

    def _guard(self) -> AbstractContextManager[object]:
        return self._memory_lock if self._memory_lock is not None else nullcontext()

    @contextmanager
    def read(self) -> Iterator[Unit]:
        """A read-only unit of work (rolled back at the end)."""
        with self._guard(), Session(self.engine, expire_on_commit=False) as session:
            try:
                yield Unit(session)
            finally:
                session.rollback()

    @contextmanager
    def write(self) -> Iterator[Unit]:
        """A writing unit of work: committed when the block ends, rolled back on error."""
        with self._guard(), Session(self._write_engine, expire_on_commit=False) as session:
            try:
                yield Unit(session)
            except BaseException:
                session.rollback()
                raise
            session.commit()


def _offer(row: OfferRow) -> OfferRecord:
    return OfferRecord(
        row.id,
        row.source,
        row.subject,
        tuple(row.configuration_ids),
        row.code_hash,
        row.tx_code_hash,
        row.failed_attempts,
        row.created_at,
        row.expires_at,
    )


def _token(row: AccessTokenRow) -> AccessTokenRecord:
    return AccessTokenRecord(
        row.token_hash,
        row.source,
        row.subject,
        tuple(row.configuration_ids),
        row.credentials_issued,
        row.expires_at,
    )


def _deferred(row: DeferredRow) -> DeferredRecord:
    return DeferredRecord(
        row.id,
        row.transaction_hash,
        row.token_hash,
        row.source,
        row.subject,
        row.configuration_id,
        tuple(row.holder_dids),
        row.state,
        row.created_at,
        row.expires_at,
    )


def _credential(row: IssuedCredentialRow) -> CredentialRecord:
    return CredentialRecord(
        row.id,
        row.source,
        row.configuration_id,
        row.holder_did,
        row.subject_ref,
        row.issued_at,
        row.valid_until,
        row.notification_id,
        row.token_hash,
        row.last_event,
    )


class Unit:
    """One transaction; ``session`` is for the register adapters in ``vc_issuer.sources``."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def _insert_new(self, table: type[Base], key: Sequence[str], values: dict[str, Any]) -> bool:
        """Insert a row unless its key exists; True when this call inserted it."""
        dialect = self.session.get_bind().dialect.name
        statement = _INSERT_NEW.get((dialect, table))
        if statement is None:
            # Implementation note: built once per table and backend, as a Core statement,
            # so the hot path (status indexes, nonces) skips statement construction.
            # RETURNING tells whether the row went in (INSERT rowcount is not reliable
            # through every driver).
            core = _table(table)
            insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
            statement = (
                insert(core)
                .on_conflict_do_nothing(index_elements=list(key))
                .returning(core.c[key[0]])
            )
            _INSERT_NEW[(dialect, table)] = statement
        return self.session.execute(statement, values).first() is not None

    def _changed(self, statement: Any, values: dict[str, Any] | None = None) -> int:
        """Run an INSERT/UPDATE/DELETE; return how many rows it touched."""
        result = self.session.execute(statement, values)
        if not isinstance(result, CursorResult):
            raise TypeError("expected a cursor result from a DML statement")
        return int(result.rowcount)

    # Keys -----------------------------------------------------------------------------------

    def kek_params(self) -> KekParams | None:
        row = self.session.get(KeyEncryptionRow, 1)
        if row is None:
            return None
        return KekParams(row.salt, row.scrypt_n, row.scrypt_r, row.scrypt_p, row.check)

    def add_kek_params(self, params: KekParams) -> bool:
        """Store the KEK parameters unless another process did first."""
        values = {
            "id": 1,
            "salt": params.salt,
            "scrypt_n": params.n,
            "scrypt_r": params.r,
            "scrypt_p": params.p,
            "check": params.check,
        }
        return self._insert_new(KeyEncryptionRow, ["id"], values)

    def keys(self, source: str) -> list[StoredKey]:
        rows = self.session.scalars(
            select(IssuerKeyRow).where(IssuerKeyRow.source == source).order_by(IssuerKeyRow.number)
        )
        return [
            StoredKey(r.source, r.number, r.public_multibase, r.sealed_secret, r.created_at)
            for r in rows
        ]

    def add_key(self, key: StoredKey) -> bool:
        """Store a key unless that number exists already (two processes starting at once)."""
        values = {
            "source": key.source,
            "number": key.number,
            "public_multibase": key.public_multibase,
            "sealed_secret": key.sealed_secret,
            "created_at": key.created_at,
        }
        return self._insert_new(IssuerKeyRow, ["source", "number"], values)

    def sealing_identity(self, source: str) -> tuple[str, bytes] | None:
        """The sealing certificate PEM and sealed identity of ``source``, if made."""
        row = self.session.get(SealingIdentityRow, source)
        return None if row is None else (row.certificate_pem, row.sealed_identity)

    def sealing_certificates(self) -> list[str]:
        """Every source's sealing certificate (PEM); public, no key needed."""
        return list(self.session.scalars(select(SealingIdentityRow.certificate_pem)))

    def add_sealing_identity(
        self, source: str, certificate_pem: str, sealed: bytes, created_at: datetime
    ) -> bool:
        """Store a sealing identity unless one exists for ``source``."""
        values = {
            "source": source,
            "certificate_pem": certificate_pem,
            "sealed_identity": sealed,
            "created_at": created_at,
        }
        return self._insert_new(SealingIdentityRow, ["source"], values)

    # Offers and tokens ------------------------------------------------------------------------

    def add_offer(self, offer: OfferRecord) -> None:
        self.session.add(
            OfferRow(
                id=offer.id,
                source=offer.source,
                subject=offer.subject,
                configuration_ids=list(offer.configuration_ids),
                code_hash=offer.code_hash,
                tx_code_hash=offer.tx_code_hash,
                failed_attempts=offer.failed_attempts,
                created_at=offer.created_at,
                expires_at=offer.expires_at,
            )
        )
        self.session.flush()

    def offer(self, offer_id: str) -> OfferRecord | None:
        row = self.session.get(OfferRow, offer_id)
        return None if row is None else _offer(row)

    def offer_by_code(self, code_hash: str) -> OfferRecord | None:
        row = self.session.scalars(select(OfferRow).where(OfferRow.code_hash == code_hash)).first()
        return None if row is None else _offer(row)

    def count_failed_tx_code(self, offer_id: str) -> int:
        """Add one failed tx_code attempt; return the new count (0 if the offer is gone)."""
        statement = (
            update(OfferRow)
            .where(OfferRow.id == offer_id)
            .values(failed_attempts=OfferRow.failed_attempts + 1)
            .returning(OfferRow.failed_attempts)
        )
        count = self.session.execute(statement).scalar()
        return 0 if count is None else int(count)

    def delete_offer(self, offer_id: str, *, below_attempts: int | None = None) -> bool:
        """Delete an offer (optionally only below some failed attempts); True if this deleted it."""
        condition: list[ColumnElement[bool]] = [OfferRow.id == offer_id]
        if below_attempts is not None:
            condition.append(OfferRow.failed_attempts < below_attempts)
        return self._changed(delete(OfferRow).where(*condition)) == 1

    def add_token(self, token: AccessTokenRecord) -> None:
        self.session.add(
            AccessTokenRow(
                token_hash=token.token_hash,
                source=token.source,
                subject=token.subject,
                configuration_ids=list(token.configuration_ids),
                credentials_issued=token.credentials_issued,
                expires_at=token.expires_at,
            )
        )
        self.session.flush()

    def token(self, token_hash: str) -> AccessTokenRecord | None:
        row = self.session.get(AccessTokenRow, token_hash)
        return None if row is None else _token(row)

    def reserve_credentials(self, token_hash: str, count: int, *, limit: int) -> bool:
        """Count ``count`` more credentials against the token unless that exceeds ``limit``."""
        statement = (
            update(AccessTokenRow)
            .where(
                AccessTokenRow.token_hash == token_hash,
                AccessTokenRow.credentials_issued + count <= limit,
            )
            .values(credentials_issued=AccessTokenRow.credentials_issued + count)
        )
        return self._changed(statement) == 1

    def extend_token(self, token_hash: str, expires_at: datetime) -> None:
        """Let a token live until ``expires_at`` (never shortens it)."""
        self.session.execute(
            update(AccessTokenRow)
            .where(AccessTokenRow.token_hash == token_hash, AccessTokenRow.expires_at < expires_at)
            .values(expires_at=expires_at)
        )

    def consume_nonce(self, nonce_hash: str, expires_at: datetime) -> bool:
        """Record a nonce as used; False when it was used before."""
        return self._insert_new(
            UsedNonceRow, ["nonce_hash"], {"nonce_hash": nonce_hash, "expires_at": expires_at}
        )

    def purge_expired(self, now: datetime) -> int:
        """Delete expired offers, tokens, used nonces and deferred requests; return the count."""
        removed = 0
        for table in (OfferRow, AccessTokenRow, UsedNonceRow, DeferredRow):
            removed += self._changed(delete(table).where(table.expires_at < now))
        return removed

    # Deferred issuance -----------------------------------------------------------------------

    def add_deferred(self, record: DeferredRecord) -> None:
        self.session.add(
            DeferredRow(
                id=record.id,
                transaction_hash=record.transaction_hash,
                token_hash=record.token_hash,
                source=record.source,
                subject=record.subject,
                configuration_id=record.configuration_id,
                holder_dids=list(record.holder_dids),
                state=record.state,
                created_at=record.created_at,
                expires_at=record.expires_at,
            )
        )
        self.session.flush()

    def deferred(self, deferred_id: str) -> DeferredRecord | None:
        row = self.session.get(DeferredRow, deferred_id)
        return None if row is None else _deferred(row)

    def deferred_by_transaction(self, transaction_hash: str) -> DeferredRecord | None:
        row = self.session.scalars(
            select(DeferredRow).where(DeferredRow.transaction_hash == transaction_hash)
        ).first()
        return None if row is None else _deferred(row)

    def set_deferred_state(self, deferred_id: str, *, old: str, new: str) -> bool:
        """Move a deferred request from state ``old`` to ``new``; False if it was not in ``old``."""
        statement = (
            update(DeferredRow)
            .where(DeferredRow.id == deferred_id, DeferredRow.state == old)
            .values(state=new)
        )
        return self._changed(statement) == 1

    def pending_deferred(self) -> list[DeferredRecord]:
        rows = self.session.scalars(
            select(DeferredRow)
            .where(DeferredRow.state == "pending")
            .order_by(DeferredRow.created_at)
        )
        return [_deferred(row) for row in rows]

    # Issued credentials ----------------------------------------------------------------------

    def add_credentials(self, records: Sequence[CredentialRecord]) -> None:
        self.session.execute(
            insert(_table(IssuedCredentialRow)),
            [
                {
                    "id": r.id,
                    "source": r.source,
                    "configuration_id": r.configuration_id,
                    "holder_did": r.holder_did,
                    "subject_ref": r.subject_ref,
                    "issued_at": r.issued_at,
                    "valid_until": r.valid_until,
                    "notification_id": r.notification_id,
                    "token_hash": r.token_hash,
                    "last_event": r.last_event,
                }
                for r in records
            ],
        )

    def credential(self, credential_id: str) -> CredentialRecord | None:
        row = self.session.get(IssuedCredentialRow, credential_id)
        return None if row is None else _credential(row)

    def credentials_of(self, subject_ref: str) -> list[CredentialRecord]:
        rows = self.session.scalars(
            select(IssuedCredentialRow)
            .where(IssuedCredentialRow.subject_ref == subject_ref)
            .order_by(IssuedCredentialRow.issued_at)
        )
        return [_credential(row) for row in rows]

    def record_notification(self, notification_id: str, token_hash: str, event: str) -> int:
        """Store the wallet's event on the credentials of one response; return how many."""
        statement = (
            update(IssuedCredentialRow)
            .where(
                IssuedCredentialRow.notification_id == notification_id,
                IssuedCredentialRow.token_hash == token_hash,
            )
            .values(last_event=event)
        )
        return self._changed(statement)

    # Status lists ----------------------------------------------------------------------------

    def open_status_list(self, source: str, purpose: str, *, capacity: int) -> int:
        """Return the newest list of (source, purpose) if it has fewer than ``capacity``
        entries, else open the next one (numbers start at 1)."""
        lists, entries = StatusListRow, StatusEntryRow
        highest = self.session.scalar(
            select(func.max(lists.number)).where(lists.source == source, lists.purpose == purpose)
        )
        if highest is not None:
            used = self.session.scalar(
                select(func.count()).where(
                    entries.source == source,
                    entries.purpose == purpose,
                    entries.list_number == highest,
                )
            )
            if int(used or 0) < capacity:
                return int(highest)
        number = 1 if highest is None else int(highest) + 1
        self._insert_new(
            lists,
            ["source", "purpose", "number"],
            {"source": source, "purpose": purpose, "number": number, "version": 0},
        )
        return number

    def claim_status_index(
        self, source: str, purpose: str, number: int, index: int, credential_id: str
    ) -> bool:
        """Claim ``index`` in a list for a credential; False when it is taken."""
        return self._insert_new(
            StatusEntryRow,
            ["source", "purpose", "list_number", "index"],
            {
                "source": source,
                "purpose": purpose,
                "list_number": number,
                "index": index,
                "credential_id": credential_id,
                "status": 0,
            },
        )

    def status_entries(self, credential_id: str) -> list[StatusEntryRecord]:
        rows = self.session.scalars(
            select(StatusEntryRow).where(StatusEntryRow.credential_id == credential_id)
        )
        return [
            StatusEntryRecord(r.source, r.purpose, r.list_number, r.index, r.status) for r in rows
        ]

    def set_status(self, entry: StatusEntryRecord, value: int) -> bool:
        """Set one entry's status and bump its list's version; False if it already had it."""
        entries = StatusEntryRow
        changed = self._changed(
            update(entries)
            .where(
                entries.source == entry.source,
                entries.purpose == entry.purpose,
                entries.list_number == entry.list_number,
                entries.index == entry.index,
                entries.status != value,
            )
            .values(status=value)
        )
        if changed:
            self.session.execute(
                update(StatusListRow)
                .where(
                    StatusListRow.source == entry.source,
                    StatusListRow.purpose == entry.purpose,
                    StatusListRow.number == entry.list_number,
                )
                .values(version=StatusListRow.version + 1)
            )
        return changed == 1

    def status_list(self, source: str, purpose: str, number: int) -> StatusListState | None:
        row = self.session.get(StatusListRow, (source, purpose, number))
        if row is None:
            return None
        return StatusListState(
            row.source,
            row.purpose,
            row.number,
            row.version,
            row.signed,
            row.signed_version,
            row.signed_at,
        )

    def set_indexes(self, source: str, purpose: str, number: int) -> list[tuple[int, int]]:
        """Every ``(index, status)`` with a non-zero status in one list."""
        rows = self.session.execute(
            select(StatusEntryRow.index, StatusEntryRow.status).where(
                StatusEntryRow.source == source,
                StatusEntryRow.purpose == purpose,
                StatusEntryRow.list_number == number,
                StatusEntryRow.status != 0,
            )
        )
        return [(int(index), int(status)) for index, status in rows]

    def save_signed_list(self, state: StatusListState, *, signed: str, signed_at: datetime) -> bool:
        """Publish a signed list made from ``state.version``, unless the list changed since."""
        statement = (
            update(StatusListRow)
            .where(
                StatusListRow.source == state.source,
                StatusListRow.purpose == state.purpose,
                StatusListRow.number == state.number,
                StatusListRow.version == state.version,
            )
            .values(signed=signed, signed_version=state.version, signed_at=signed_at)
        )
        return self._changed(statement) == 1
