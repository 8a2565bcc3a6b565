"""The database: engine set-up for SQLite and PostgreSQL, and units of work.

A :class:`Database` hands out :class:`Unit` objects: one transaction each,
read-only (:meth:`Database.read`) or writing (:meth:`Database.write`,
committed when the block ends, rolled back on an exception). A unit offers the
few operations the issuer needs; each is one statement whose result tells
whether it won a race (``INSERT … ON CONFLICT DO NOTHING``, conditional
``UPDATE``/``DELETE``), so single use, lock-out and unique status indexes hold
under concurrent requests and several worker processes, on both backends.
The statement shapes they share are in :mod:`vc_issuer.db._statements`.

SQLite runs in WAL mode, and writing transactions start with ``BEGIN
IMMEDIATE`` so that two writers queue instead of failing on a stale snapshot.
A database file is created for its owner only (0600, SQLite gives its WAL and
shared-memory files the same mode). An in-memory SQLite database is one
shared connection guarded by a lock.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, Final, TypeVar

from sqlalchemy import (
    BindParameter,
    Connection,
    Engine,
    Row,
    bindparam,
    create_engine,
    delete,
    event,
    func,
    inspect,
    make_url,
    select,
    text,
    update,
)
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session
from sqlalchemy.pool import StaticPool

from vc_core.files import private_file
from vc_issuer.db._statements import (
    add_row,
    delete_where,
    found,
    insert_new,
    insert_new_rows,
    insert_rows,
    row_by,
    rows_where,
    table_of,
    to_columns,
    to_record,
    update_where,
)
from vc_issuer.db.models import (
    AccessTokenRow,
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
# Implementation note: any number, the same in every process that migrates the schema.
_SCHEMA_LOCK = 0x626B5F73
_memory_databases: dict[str, Database] = {}
T = TypeVar("T")
_log = logging.getLogger(__name__)
# Connections per process and PostgreSQL pool (the writing one and the reading one), and of
# the pool for units of one statement (a few short statements, on the event loop mostly).
_POOL: dict[str, Any] = {"pool_size": 10, "max_overflow": 20}
_STATEMENT_POOL: dict[str, Any] = {"pool_size": 5, "max_overflow": 10}
_STATUS_SET = text("status_entries.status <> 0")
_memory_lock = threading.Lock()


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
    """An open credential offer; ``sealed_subject`` is the BSN sealed for ``offer:<id>``."""

    id: str
    source: str
    sealed_subject: bytes
    configuration_ids: tuple[str, ...]
    code_hash: str
    tx_code_hash: str | None
    failed_attempts: int
    created_at: datetime
    expires_at: datetime


@dataclass(frozen=True, slots=True)
class AccessTokenRecord:
    """An access token and what it allows; the BSN sealed for ``token:<token_hash>``."""

    token_hash: str
    source: str
    sealed_subject: bytes
    configuration_ids: tuple[str, ...]
    credentials_issued: int
    expires_at: datetime


@dataclass(frozen=True, slots=True)
class DeferredRecord:
    """A deferred credential request; ``state`` is pending, approved, rejected or issued.

    ``sealed_subject`` is the BSN sealed for ``deferred:<id>``.
    """

    id: str
    transaction_hash: str
    token_hash: str
    source: str
    sealed_subject: bytes
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


def _is_memory_sqlite(url: str) -> bool:
    return url in ("sqlite://", "sqlite:///:memory:") or "mode=memory" in url


def _sqlite_engine(url: str) -> Engine:
    memory = _is_memory_sqlite(url)
    path = make_url(url).database
    if not memory and path and Path(path).parent.is_dir():
        private_file(Path(path))
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
            # Implementation note: no pool_pre_ping (one extra round trip per unit of
            # work); a connection the server dropped fails one request, and SQLAlchemy
            # then discards the whole pool, so the next request reconnects.
            self.engine = create_engine(url, **_POOL)
        self._write_engine = self.engine.execution_options(**{_WRITE_OPTION: True})
        self._read_engine = self.engine
        self._statement_engine: Engine = self._write_engine
        if self.backend == "postgresql":
            # Implementation note: a read unit on PostgreSQL runs without BEGIN and
            # ROLLBACK (two round trips fewer): under READ COMMITTED every statement
            # sees its own snapshot either way. Its connections come from a pool of
            # their own, in autocommit and read-only on the server, so that nothing
            # is switched per unit and a write there fails (it would commit at once).
            self._read_engine = create_engine(
                url,
                **_POOL,
                isolation_level="AUTOCOMMIT",
                connect_args={"options": "-c default_transaction_read_only=on"},
            )
            # Implementation note: a unit of one statement runs in autocommit (the
            # statement is its own transaction), without the BEGIN and COMMIT round
            # trips, on a pool of its own so that nothing is switched per unit.
            self._statement_engine = create_engine(
                url, **_STATEMENT_POOL, isolation_level="AUTOCOMMIT"
            )
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

    def sealing_certificates(self) -> dict[str, str]:
        """Source -> its sealing certificate (PEM); empty when the database has no such table."""
        if not inspect(self.engine).has_table(SealingIdentityRow.__tablename__):
            return {}
        with self.read() as unit:
            return unit.sealing_certificates()

    @contextmanager
    def schema_transaction(self) -> Iterator[Connection]:
        """A connection in a writing transaction that one process at a time gets (migrations).

        PostgreSQL: a transaction-scoped advisory lock; SQLite: ``BEGIN IMMEDIATE``.
        Committed when the block ends, rolled back on an exception.
        """
        with self._guard(), self._write_engine.begin() as connection:
            if self.backend == "postgresql":
                connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({_SCHEMA_LOCK})")
            yield connection

    def dispose(self) -> None:
        """Close the pooled connections."""
        self.engine.dispose()
        self._read_engine.dispose()
        self._statement_engine.dispose()

    def _guard(self) -> AbstractContextManager[object]:
        return self._memory_lock if self._memory_lock is not None else nullcontext()

    @contextmanager
    def read(self) -> Iterator[Unit]:
        """A read-only unit of work (rolled back at the end)."""
        with self._guard(), self._read_engine.connect() as connection:
            unit = Unit(connection)
            try:
                yield unit
            finally:
                unit.close()

    @contextmanager
    def write_statement(self) -> Iterator[Unit]:
        """A writing unit of work for exactly one statement (one unit method that runs
        one statement): that statement is atomic by itself.

        On PostgreSQL it runs in autocommit; on SQLite this is :meth:`write`.
        """
        with self._guard(), self._statement_engine.begin() as connection:
            yield Unit(connection)

    @contextmanager
    def write(self) -> Iterator[Unit]:
        """A writing unit of work: committed when the block ends, rolled back on error."""
        with self._guard(), self._write_engine.begin() as connection:
            unit = Unit(connection)
            try:
                yield unit
                unit.flush()
            finally:
                unit.close()

    def run_write(self, work: Callable[[Unit], T], *, attempts: int = 3) -> T:
        """``work`` in a writing unit of work (:meth:`write`); its result.

        When PostgreSQL breaks a deadlock (or a serialization failure) by rolling this
        unit back whole, ``work`` runs again in a new unit, at most ``attempts`` times
        in all; any other error, and the last one, propagates.
        """
        for attempt in range(1, attempts + 1):
            try:
                with self.write() as unit:
                    return work(unit)
            except DBAPIError as exc:
                if attempt == attempts or _sqlstate(exc) not in _RETRIED_SQLSTATES:
                    raise
                _log.info("write_retried", extra={"sqlstate": _sqlstate(exc)})
        raise ValueError("attempts must be at least 1")


_RETRIED_SQLSTATES: Final = frozenset({"40P01", "40001"})  # deadlock, serialization failure


def _sqlstate(error: DBAPIError) -> str | None:
    state = getattr(error.orig, "sqlstate", None)
    return state if isinstance(state, str) else None


# Implementation note: the two conditional statements of every flow, built once with bound
# parameters; RETURNING tells whether this transaction changed the row.
_REDEEM_OFFER = (
    delete(OfferRow)
    .where(
        OfferRow.code_hash == bindparam("code_hash"),
        OfferRow.failed_attempts < bindparam("below"),
    )
    .returning(*table_of(OfferRow).c)
)
_RESERVED: BindParameter[int] = bindparam("count")
_RESERVE_CREDENTIALS = (
    update(AccessTokenRow)
    .where(
        AccessTokenRow.token_hash == bindparam("token"),
        AccessTokenRow.credentials_issued + _RESERVED <= bindparam("limit"),
    )
    .values(credentials_issued=AccessTokenRow.credentials_issued + _RESERVED)
    .returning(AccessTokenRow.token_hash)
)
_STATUS_ENTRY_KEY = ("source", "purpose", "list_number", "index")


def _offer(row: Row[Any]) -> OfferRecord:
    return to_record(OfferRecord, row, configuration_ids=tuple(row.configuration_ids))


def _token(row: Row[Any]) -> AccessTokenRecord:
    return to_record(AccessTokenRecord, row, configuration_ids=tuple(row.configuration_ids))


def _deferred(row: Row[Any]) -> DeferredRecord:
    return to_record(DeferredRecord, row, holder_dids=tuple(row.holder_dids))


def _credential(row: Row[Any]) -> CredentialRecord:
    return to_record(CredentialRecord, row)


def _status_list(row: Row[Any]) -> StatusListState:
    return to_record(StatusListState, row)


class Unit:
    """One transaction on ``connection``; ``session`` is an ORM session in the same
    transaction, for the register adapters in ``vc_issuer.sources``.

    Implementation note: the unit's own statements run as Core statements on the
    connection: no ORM identity map, no unit-of-work flush, no objects per row on
    the issuance path. The session is made only when asked for (making one and
    closing it costs more than a statement).
    """

    def __init__(self, connection: Connection) -> None:
        self.connection = connection
        self._session: Session | None = None

    @property
    def session(self) -> Session:
        """An ORM session joined to the unit's transaction (it never commits it)."""
        if self._session is None:
            self._session = Session(
                bind=self.connection,
                expire_on_commit=False,
                join_transaction_mode="rollback_only",
            )
        return self._session

    def flush(self) -> None:
        """Write the session's pending objects (before the unit commits)."""
        if self._session is not None:
            self._session.flush()

    def close(self) -> None:
        """Close the session, if one was made."""
        if self._session is not None:
            self._session.close()

    # Keys -----------------------------------------------------------------------------------

    def kek_params(self) -> KekParams | None:
        row = row_by(self.connection, KeyEncryptionRow, id=1)
        if row is None:
            return None
        return KekParams(row.salt, row.scrypt_n, row.scrypt_r, row.scrypt_p, row.check)

    def add_kek_params(self, params: KekParams) -> bool:
        """Store the KEK parameters unless another process did first."""
        return insert_new(
            self.connection,
            KeyEncryptionRow,
            ["id"],
            id=1,
            salt=params.salt,
            scrypt_n=params.n,
            scrypt_r=params.r,
            scrypt_p=params.p,
            check=params.check,
        )

    def keys(self, source: str) -> list[StoredKey]:
        rows = self.connection.execute(
            select(table_of(IssuerKeyRow))
            .where(IssuerKeyRow.source == source)
            .order_by(IssuerKeyRow.number)
        )
        return [to_record(StoredKey, row) for row in rows]

    def add_key(self, key: StoredKey) -> bool:
        """Store a key unless that number exists already (two processes starting at once)."""
        return insert_new(self.connection, IssuerKeyRow, ["source", "number"], **to_columns(key))

    def sealing_identity(self, source: str) -> tuple[str, bytes] | None:
        """The sealing certificate PEM and sealed identity of ``source``, if made."""
        row = row_by(self.connection, SealingIdentityRow, source=source)
        return None if row is None else (row.certificate_pem, row.sealed_identity)

    def sealing_certificates(self) -> dict[str, str]:
        """Source -> its sealing certificate (PEM); public, no key needed."""
        rows = self.connection.execute(
            select(SealingIdentityRow.source, SealingIdentityRow.certificate_pem)
        )
        return {str(source): str(pem) for source, pem in rows}

    def add_sealing_identity(
        self, source: str, certificate_pem: str, sealed: bytes, created_at: datetime
    ) -> bool:
        """Store a sealing identity unless one exists for ``source``."""
        return insert_new(
            self.connection,
            SealingIdentityRow,
            ["source"],
            source=source,
            certificate_pem=certificate_pem,
            sealed_identity=sealed,
            created_at=created_at,
        )

    # Offers and tokens ------------------------------------------------------------------------

    def add_offer(self, offer: OfferRecord) -> None:
        add_row(self.connection, OfferRow, offer, configuration_ids=list(offer.configuration_ids))

    def offer(self, offer_id: str) -> OfferRecord | None:
        return found(_offer, row_by(self.connection, OfferRow, id=offer_id))

    def redeem_offer(self, code_hash: str, *, below_attempts: int) -> OfferRecord | None:
        """Delete the offer of a pre-authorized code unless it has ``below_attempts`` failed
        tx_code attempts or more; the offer this deleted, or None.

        The caller checks the offer before its unit commits, and undoes the redemption
        by raising (the unit rolls back); until then the offer's row stays locked.
        """
        row = self.connection.execute(
            _REDEEM_OFFER, {"code_hash": code_hash, "below": below_attempts}
        ).first()
        return found(_offer, row)

    def count_failed_tx_code(self, offer_id: str) -> int:
        """Add one failed tx_code attempt; return the new count (0 if the offer is gone)."""
        statement = (
            update(OfferRow)
            .where(OfferRow.id == offer_id)
            .values(failed_attempts=OfferRow.failed_attempts + 1)
            .returning(OfferRow.failed_attempts)
        )
        count = self.connection.execute(statement).scalar()
        return 0 if count is None else int(count)

    def delete_offer(self, offer_id: str) -> bool:
        """Delete an offer; True if this deleted it."""
        return delete_where(self.connection, OfferRow, OfferRow.id == offer_id) == 1

    def add_token(self, token: AccessTokenRecord) -> None:
        add_row(
            self.connection, AccessTokenRow, token, configuration_ids=list(token.configuration_ids)
        )

    def token(self, token_hash: str) -> AccessTokenRecord | None:
        return found(
            _token,
            row_by(self.connection, AccessTokenRow, token_hash=token_hash),
        )

    def reserve_credentials(self, token_hash: str, count: int, *, limit: int) -> bool:
        """Count ``count`` more credentials against the token unless that exceeds ``limit``."""
        reserved = self.connection.execute(
            _RESERVE_CREDENTIALS, {"token": token_hash, "count": count, "limit": limit}
        )
        return reserved.first() is not None

    def extend_token(self, token_hash: str, expires_at: datetime) -> None:
        """Let a token live until ``expires_at`` (never shortens it)."""
        update_where(
            self.connection,
            AccessTokenRow,
            AccessTokenRow.token_hash == token_hash,
            AccessTokenRow.expires_at < expires_at,
            expires_at=expires_at,
        )

    def consume_nonce(self, nonce_hash: str, expires_at: datetime) -> bool:
        """Record a nonce as used; False when it was used before."""
        return insert_new(
            self.connection,
            UsedNonceRow,
            ["nonce_hash"],
            nonce_hash=nonce_hash,
            expires_at=expires_at,
        )

    def purge_expired(self, now: datetime) -> int:
        """Delete expired offers, tokens, used nonces and deferred requests; return the count."""
        tables = (OfferRow, AccessTokenRow, UsedNonceRow, DeferredRow)
        return sum(delete_where(self.connection, table, table.expires_at < now) for table in tables)

    # Deferred issuance -----------------------------------------------------------------------

    def add_deferred(self, record: DeferredRecord) -> None:
        add_row(self.connection, DeferredRow, record, holder_dids=list(record.holder_dids))

    def deferred(self, deferred_id: str) -> DeferredRecord | None:
        return found(_deferred, row_by(self.connection, DeferredRow, id=deferred_id))

    def deferred_by_transaction(self, transaction_hash: str) -> DeferredRecord | None:
        row = row_by(self.connection, DeferredRow, transaction_hash=transaction_hash)
        return found(_deferred, row)

    def set_deferred_state(self, deferred_id: str, *, old: str, new: str) -> bool:
        """Move a deferred request from state ``old`` to ``new``; False if it was not in ``old``."""
        changed = update_where(
            self.connection,
            DeferredRow,
            DeferredRow.id == deferred_id,
            DeferredRow.state == old,
            state=new,
        )
        return changed == 1

    def pending_deferred(self) -> list[DeferredRecord]:
        rows = self.connection.execute(
            select(table_of(DeferredRow))
            .where(DeferredRow.state == "pending")
            .order_by(DeferredRow.created_at)
        )
        return [_deferred(row) for row in rows]

    # Issued credentials ----------------------------------------------------------------------

    def add_credentials(self, records: Sequence[CredentialRecord]) -> None:
        insert_rows(self.connection, IssuedCredentialRow, [to_columns(r) for r in records])

    def credential(self, credential_id: str) -> CredentialRecord | None:
        row = row_by(self.connection, IssuedCredentialRow, id=credential_id)
        return found(_credential, row)

    def credentials_of(self, subject_ref: str) -> list[CredentialRecord]:
        rows = self.connection.execute(
            select(table_of(IssuedCredentialRow))
            .where(IssuedCredentialRow.subject_ref == subject_ref)
            .order_by(IssuedCredentialRow.issued_at)
        )
        return [_credential(row) for row in rows]

    def record_notification(self, notification_id: str, token_hash: str, event: str) -> int:
        """Store the wallet's event on the credentials of one response; return how many."""
        return update_where(
            self.connection,
            IssuedCredentialRow,
            IssuedCredentialRow.notification_id == notification_id,
            IssuedCredentialRow.token_hash == token_hash,
            last_event=event,
        )

    # Status lists ----------------------------------------------------------------------------

    def open_status_list(self, source: str, purpose: str, *, capacity: int) -> int:
        """Return the newest list of (source, purpose) if it has fewer than ``capacity``
        entries, else open the next one (numbers start at 1)."""
        lists, entries = StatusListRow, StatusEntryRow
        highest = self.connection.scalar(
            select(func.max(lists.number)).where(lists.source == source, lists.purpose == purpose)
        )
        if highest is not None:
            used = self.connection.scalar(
                select(func.count()).where(
                    entries.source == source,
                    entries.purpose == purpose,
                    entries.list_number == highest,
                )
            )
            if int(used or 0) < capacity:
                return int(highest)
        number = 1 if highest is None else int(highest) + 1
        insert_new(
            self.connection,
            lists,
            ["source", "purpose", "number"],
            source=source,
            purpose=purpose,
            number=number,
            version=0,
        )
        return number

    def claim_status_indexes(
        self, source: str, claims: Sequence[tuple[str, int, int, str]]
    ) -> set[tuple[str, int, int, str]]:
        """Claim indexes in lists of ``source``, each ``(purpose, list number, index,
        credential id)``; return the claims that won (an index taken before, or by an
        earlier claim of the same call, is not)."""
        rows = [
            {
                "source": source,
                "purpose": purpose,
                "list_number": number,
                "index": index,
                "credential_id": credential_id,
                "status": 0,
            }
            for purpose, number, index, credential_id in sorted(claims)
        ]
        # Implementation note: the statement returns the whole primary key and the
        # credential id, so a claim that lost to an earlier claim of this call is told
        # apart from it. The rows go in key order: an insert that meets a key another
        # transaction inserted waits for it, and a common order keeps two batches that
        # drew each other's indexes from waiting for each other.
        won = insert_new_rows(
            self.connection,
            StatusEntryRow,
            _STATUS_ENTRY_KEY,
            rows,
            returning=(*_STATUS_ENTRY_KEY[1:], "credential_id"),
        )
        return {(str(p), int(n), int(i), str(c)) for p, n, i, c in won}

    def status_entries(self, credential_id: str) -> list[StatusEntryRecord]:
        rows = rows_where(
            self.connection, StatusEntryRow, StatusEntryRow.credential_id == credential_id
        )
        return [to_record(StatusEntryRecord, row) for row in rows]

    def set_status(self, entry: StatusEntryRecord, value: int) -> bool:
        """Set one entry's status and bump its list's version; False if it already had it."""
        entries, lists = StatusEntryRow, StatusListRow
        changed = update_where(
            self.connection,
            entries,
            entries.source == entry.source,
            entries.purpose == entry.purpose,
            entries.list_number == entry.list_number,
            entries.index == entry.index,
            entries.status != value,
            status=value,
        )
        if changed:
            update_where(
                self.connection,
                lists,
                lists.source == entry.source,
                lists.purpose == entry.purpose,
                lists.number == entry.list_number,
                version=lists.version + 1,
            )
        return changed == 1

    def status_list(self, source: str, purpose: str, number: int) -> StatusListState | None:
        row = row_by(self.connection, StatusListRow, source=source, purpose=purpose, number=number)
        return found(_status_list, row)

    def set_indexes(self, source: str, purpose: str, number: int) -> list[tuple[int, int]]:
        """Every ``(index, status)`` with a non-zero status in one list.

        Implementation note: ``status <> 0`` is written out, not bound as a parameter,
        so that both planners match it to the partial index ``ix_status_entries_set``.
        """
        rows = self.connection.execute(
            select(StatusEntryRow.index, StatusEntryRow.status).where(
                StatusEntryRow.source == source,
                StatusEntryRow.purpose == purpose,
                StatusEntryRow.list_number == number,
                _STATUS_SET,
            )
        )
        return [(int(index), int(status)) for index, status in rows]

    def save_signed_list(self, state: StatusListState, *, signed: str, signed_at: datetime) -> bool:
        """Publish a signed list made from ``state.version``, unless the list changed since."""
        lists = StatusListRow
        changed = update_where(
            self.connection,
            lists,
            lists.source == state.source,
            lists.purpose == state.purpose,
            lists.number == state.number,
            lists.version == state.version,
            signed=signed,
            signed_version=state.version,
            signed_at=signed_at,
        )
        return changed == 1
