"""OpenID4VP transactions: one per request, answered at most once.

A :class:`Transaction` binds the fresh ``nonce`` and ``state`` of one
request to its DCQL query. The wallet's ``direct_post`` names the
transaction by ``state``; :meth:`TransactionStore.find` looks it up, and only
a response that verified is then consumed: :meth:`TransactionStore.consume`
marks it used in the same atomic step that finds it, so a replayed response
(same ``state``) is refused even when two arrive at once (docs/protocols.md,
"Verifier checks" step 1 and P29). A response that does not verify leaves the
transaction open (anyone who saw the QR code knows ``state``, so junk must not
end it): :meth:`TransactionStore.fail` counts it, and ends the transaction at
a limit.
The landlord's page polls :meth:`TransactionStore.status` by the
transaction ``id``, which never leaves the landlord's side (the wallet sees
``state`` and the ``request_uri``, which carries a separate ``request_id``).

Two stores: :class:`MemoryTransactions` (one process, tests) and
:class:`SqliteTransactions` (stdlib ``sqlite3``; safe across threads and
processes sharing one database file).
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from os import PathLike
from pathlib import Path
from typing import Any, Literal, Protocol

from vc_core.files import private_file
from vc_core.types import JsonObject
from vc_verifier.errors import TransactionReplayError, UnknownTransactionError
from vc_verifier.qr import qr_png, qr_svg

__all__ = [
    "MemoryTransactions",
    "SqliteTransactions",
    "Transaction",
    "TransactionStatus",
    "TransactionStatusName",
    "TransactionStore",
]

TransactionStatusName = Literal[
    "pending", "processing", "verified", "rejected", "wallet_error", "expired"
]


@dataclass(frozen=True, slots=True)
class Transaction:
    """One OpenID4VP request and what its answer must match.

    ``uri`` is the link to show (as text or QR): ``openid4vp://?client_id=…&request_uri=…``
    for a signed request by reference, or every parameter by value for a
    ``redirect_uri:`` client. ``request_uri`` is ``None`` in the by-value case.
    """

    id: str
    request_id: str
    state: str
    nonce: str
    client_id: str
    response_uri: str
    request_uri: str | None
    uri: str
    dcql_query: JsonObject = field(repr=False)
    purpose: str | None
    created_at: datetime
    expires_at: datetime

    def qr_svg(self) -> str:
        """The request link as an SVG QR code."""
        return qr_svg(self.uri)

    def qr_png(self, *, box_size: int = 8) -> bytes:
        """The request link as a PNG QR code."""
        return qr_png(self.uri, box_size=box_size)

    def to_json(self) -> JsonObject:
        """This transaction as a JSON object (for stores)."""
        return {
            "id": self.id,
            "request_id": self.request_id,
            "state": self.state,
            "nonce": self.nonce,
            "client_id": self.client_id,
            "response_uri": self.response_uri,
            "request_uri": self.request_uri,
            "uri": self.uri,
            "dcql_query": self.dcql_query,
            "purpose": self.purpose,
            "created_at": self.created_at.isoformat(),
            "expires_at": self.expires_at.isoformat(),
        }

    @classmethod
    def from_json(cls, data: JsonObject) -> Transaction:
        """Rebuild a transaction written by :meth:`to_json`."""
        return cls(
            **{
                **data,
                "created_at": datetime.fromisoformat(data["created_at"]),
                "expires_at": datetime.fromisoformat(data["expires_at"]),
            }
        )


@dataclass(frozen=True, slots=True)
class TransactionStatus:
    """Where a transaction stands, for the landlord's page to poll.

    ``problems`` are the problem codes of a rejected response, ``error`` the
    wallet's error code, ``result`` whatever JSON the application attached
    (for example its policy decision). ``failed_attempts`` counts the answers
    that did not verify; while it is below the verifier's limit the status
    stays ``pending`` and ``problems``/``error`` describe the last of them.
    Never holds disclosed claims.
    """

    transaction_id: str
    status: TransactionStatusName
    problems: tuple[str, ...] = ()
    error: str | None = None
    result: JsonObject | None = None
    updated_at: datetime | None = None
    failed_attempts: int = 0

    def to_json(self) -> JsonObject:
        """This status as a JSON object (the polling endpoint's answer)."""
        return {
            "transaction_id": self.transaction_id,
            "status": self.status,
            "problems": list(self.problems),
            "error": self.error,
            "result": self.result,
            "updated_at": None if self.updated_at is None else self.updated_at.isoformat(),
            "failed_attempts": self.failed_attempts,
        }

    @classmethod
    def from_json(cls, data: JsonObject) -> TransactionStatus:
        """Rebuild a status written by :meth:`to_json`."""
        updated = data.get("updated_at")
        return cls(
            transaction_id=data["transaction_id"],
            status=data["status"],
            problems=tuple(data.get("problems", ())),
            error=data.get("error"),
            result=data.get("result"),
            updated_at=None if updated is None else datetime.fromisoformat(updated),
            failed_attempts=int(data.get("failed_attempts", 0)),
        )

    def as_of(self, now: datetime, expires_at: datetime) -> TransactionStatus:
        """This status at ``now``: a pending one past ``expires_at`` is ``expired``."""
        if self.status == "pending" and now >= expires_at:
            return replace(self, status="expired")
        return self


class TransactionStore(Protocol):
    """Where transactions live between the request and the wallet's answer."""

    def add(self, transaction: Transaction) -> None:
        """Store a new transaction (its id, request id and state are fresh)."""

    def get(self, transaction_id: str) -> Transaction | None:
        """Return the transaction with this id, used or not, or ``None``."""

    def live_by_request_id(self, request_id: str, *, now: datetime) -> Transaction | None:
        """Return the unused, unexpired transaction behind a ``request_uri``, or ``None``."""

    def find(self, state: str, *, now: datetime) -> Transaction:
        """The open transaction with this ``state`` (nothing is marked).

        Raises like :meth:`consume`.
        """

    def consume(self, state: str, *, now: datetime) -> Transaction:
        """Find the transaction by ``state`` and mark it used, atomically.

        Raises ``UnknownTransactionError`` (``UNKNOWN_TRANSACTION``, or
        ``TRANSACTION_EXPIRED`` past its expiry) and ``TransactionReplayError``
        when it was used before.
        """

    def fail(self, status: TransactionStatus, *, limit: int) -> bool:
        """Count an answer that did not verify against an open transaction, atomically.

        Below ``limit`` failures the transaction stays open, its status
        ``pending`` with the count and ``status``'s problems and error; at the
        limit it is used and ``status`` (with the count) is its outcome. Returns
        whether it ended; ``False`` also when it was no longer open.
        """

    def finish(self, status: TransactionStatus) -> None:
        """Record the outcome of a consumed transaction for polling."""

    def status(self, transaction_id: str, *, now: datetime) -> TransactionStatus | None:
        """Return the transaction's status (``expired`` once past expiry unanswered)."""

    def purge(self, *, before: datetime) -> int:
        """Delete transactions that expired before ``before``; return how many."""


def _refusal(*, known: bool, used: bool) -> UnknownTransactionError | TransactionReplayError:
    """The error for a ``state`` that cannot be consumed: unknown, replayed or expired."""
    if not known:
        return UnknownTransactionError("no transaction has this state")
    if used:
        return TransactionReplayError("this transaction was answered before; replay refused")
    return UnknownTransactionError("the transaction has expired", code="TRANSACTION_EXPIRED")


def _check_state(state: object) -> str:
    if not isinstance(state, str) or not state:
        raise UnknownTransactionError("the response has no state")
    return state


def _failed(status: TransactionStatus, count: int, *, limit: int) -> TransactionStatus:
    """The status after the ``count``-th failed answer: final at ``limit``, else pending."""
    if count >= limit:
        return replace(status, failed_attempts=count)
    return replace(status, status="pending", result=None, failed_attempts=count)


class MemoryTransactions:
    """Transactions in a dict, for one process (tests, notebooks, a single worker)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._transactions: dict[str, Transaction] = {}
        self._by_state: dict[str, str] = {}
        self._by_request: dict[str, str] = {}
        self._used: set[str] = set()
        self._statuses: dict[str, TransactionStatus] = {}
        self._failures: dict[str, int] = {}

    def add(self, transaction: Transaction) -> None:
        with self._lock:
            if (
                transaction.id in self._transactions
                or transaction.state in self._by_state
                or transaction.request_id in self._by_request
            ):
                raise ValueError("transaction id, state and request id must be fresh")
            self._transactions[transaction.id] = transaction
            self._by_state[transaction.state] = transaction.id
            self._by_request[transaction.request_id] = transaction.id

    def get(self, transaction_id: str) -> Transaction | None:
        with self._lock:
            return self._transactions.get(transaction_id)

    def live_by_request_id(self, request_id: str, *, now: datetime) -> Transaction | None:
        with self._lock:
            transaction = self._transactions.get(self._by_request.get(request_id, ""))
            if transaction is None or transaction.id in self._used or now >= transaction.expires_at:
                return None
            return transaction

    def _open(self, state: str, now: datetime) -> Transaction:
        transaction = self._transactions.get(self._by_state.get(_check_state(state), ""))
        if transaction is None or transaction.id in self._used:
            raise _refusal(known=transaction is not None, used=True)
        if now >= transaction.expires_at:
            raise _refusal(known=True, used=False)
        return transaction

    def find(self, state: str, *, now: datetime) -> Transaction:
        with self._lock:
            return self._open(state, now)

    def consume(self, state: str, *, now: datetime) -> Transaction:
        with self._lock:
            transaction = self._open(state, now)
            self._used.add(transaction.id)
            self._statuses[transaction.id] = TransactionStatus(
                transaction.id, "processing", updated_at=now
            )
            return transaction

    def fail(self, status: TransactionStatus, *, limit: int) -> bool:
        with self._lock:
            transaction_id = status.transaction_id
            if transaction_id not in self._transactions or transaction_id in self._used:
                return False
            count = self._failures.get(transaction_id, 0) + 1
            self._failures[transaction_id] = count
            self._statuses[transaction_id] = _failed(status, count, limit=limit)
            if count >= limit:
                self._used.add(transaction_id)
            return count >= limit

    def finish(self, status: TransactionStatus) -> None:
        with self._lock:
            if status.transaction_id not in self._used:
                raise ValueError("only a consumed transaction can be finished")
            failures = self._failures.get(status.transaction_id, 0)
            self._statuses[status.transaction_id] = replace(status, failed_attempts=failures)

    def status(self, transaction_id: str, *, now: datetime) -> TransactionStatus | None:
        with self._lock:
            transaction = self._transactions.get(transaction_id)
            if transaction is None:
                return None
            stored = self._statuses.get(
                transaction_id, TransactionStatus(transaction_id, "pending")
            )
            return stored.as_of(now, transaction.expires_at)

    def purge(self, *, before: datetime) -> int:
        with self._lock:
            gone = [t for t in self._transactions.values() if t.expires_at < before]
            for transaction in gone:
                del self._transactions[transaction.id]
                del self._by_state[transaction.state]
                del self._by_request[transaction.request_id]
                self._used.discard(transaction.id)
                self._statuses.pop(transaction.id, None)
                self._failures.pop(transaction.id, None)
            return len(gone)


_SCHEMA = """
CREATE TABLE IF NOT EXISTS vp_transactions (
    id TEXT PRIMARY KEY,
    request_id TEXT NOT NULL UNIQUE,
    state TEXT NOT NULL UNIQUE,
    body TEXT NOT NULL,
    expires_at REAL NOT NULL,
    used INTEGER NOT NULL DEFAULT 0,
    status TEXT,
    failures INTEGER NOT NULL DEFAULT 0
)
"""
# Implementation note: databases made before failed answers were counted get the column.
_ADD_FAILURES = "ALTER TABLE vp_transactions ADD COLUMN failures INTEGER NOT NULL DEFAULT 0"


def _timestamp(moment: datetime) -> float:
    if moment.tzinfo is None:
        raise ValueError("datetimes must be timezone-aware")
    return moment.timestamp()


class SqliteTransactions:
    """Transactions in an SQLite database file (stdlib ``sqlite3``).

    Consuming is one ``UPDATE … WHERE used = 0`` inside an immediate
    transaction, so exactly one of several concurrent responses with the same
    ``state`` wins, across threads and processes; a failed answer is counted
    the same way. ``":memory:"`` gives a private in-memory database; a file is
    created for its owner only (0600).

    >>> from datetime import UTC
    >>> store = SqliteTransactions(":memory:")
    >>> store.purge(before=datetime.now(UTC))
    0
    """

    def __init__(self, path: str | PathLike[str], *, timeout: float = 10.0) -> None:
        self._lock = threading.Lock()
        if str(path) != ":memory:":
            private_file(Path(path))
        self._connection = sqlite3.connect(
            path, timeout=timeout, isolation_level=None, check_same_thread=False
        )
        with self._lock:
            self._connection.execute(_SCHEMA)
            columns = self._connection.execute("PRAGMA table_info(vp_transactions)").fetchall()
            if "failures" not in {column[1] for column in columns}:
                self._connection.execute(_ADD_FAILURES)

    def close(self) -> None:
        """Close the database connection."""
        with self._lock:
            self._connection.close()

    @contextmanager
    def _immediate(self) -> Iterator[sqlite3.Cursor]:
        """One writing transaction (``BEGIN IMMEDIATE``: writers queue, across processes)."""
        with self._lock:
            cursor = self._connection.cursor()
            cursor.execute("BEGIN IMMEDIATE")
            try:
                yield cursor
            finally:
                cursor.execute("COMMIT")

    def _execute(self, sql: str, parameters: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        with self._lock:
            return self._connection.execute(sql, parameters).fetchall()

    def add(self, transaction: Transaction) -> None:
        try:
            self._execute(
                "INSERT INTO vp_transactions (id, request_id, state, body, expires_at) "
                "VALUES (?, ?, ?, ?, ?)",
                (
                    transaction.id,
                    transaction.request_id,
                    transaction.state,
                    json.dumps(transaction.to_json()),
                    _timestamp(transaction.expires_at),
                ),
            )
        except sqlite3.IntegrityError as exc:
            raise ValueError("transaction id, state and request id must be fresh") from exc

    def get(self, transaction_id: str) -> Transaction | None:
        rows = self._execute("SELECT body FROM vp_transactions WHERE id = ?", (transaction_id,))
        return Transaction.from_json(json.loads(rows[0][0])) if rows else None

    def live_by_request_id(self, request_id: str, *, now: datetime) -> Transaction | None:
        rows = self._execute(
            "SELECT body FROM vp_transactions WHERE request_id = ? AND used = 0 AND expires_at > ?",
            (request_id, _timestamp(now)),
        )
        return Transaction.from_json(json.loads(rows[0][0])) if rows else None

    def find(self, state: str, *, now: datetime) -> Transaction:
        state = _check_state(state)
        rows = self._execute(
            "SELECT body, used, expires_at FROM vp_transactions WHERE state = ?", (state,)
        )
        if not rows or rows[0][1]:
            raise _refusal(known=bool(rows), used=True)
        if _timestamp(now) >= rows[0][2]:
            raise _refusal(known=True, used=False)
        return Transaction.from_json(json.loads(rows[0][0]))

    def consume(self, state: str, *, now: datetime) -> Transaction:
        state = _check_state(state)
        processing = TransactionStatus("", "processing", updated_at=now)
        found: list[tuple[Any, ...]] = []
        with self._immediate() as cursor:
            rows = cursor.execute(
                "UPDATE vp_transactions SET used = 1 "
                "WHERE state = ? AND used = 0 AND expires_at > ? RETURNING id, body",
                (state, _timestamp(now)),
            ).fetchall()
            if rows:
                status = replace(processing, transaction_id=rows[0][0])
                cursor.execute(
                    "UPDATE vp_transactions SET status = ? WHERE id = ?",
                    (json.dumps(status.to_json()), rows[0][0]),
                )
            else:
                found = cursor.execute(
                    "SELECT used FROM vp_transactions WHERE state = ?", (state,)
                ).fetchall()
        if not rows:
            raise _refusal(known=bool(found), used=bool(found and found[0][0]))
        return Transaction.from_json(json.loads(rows[0][1]))

    def fail(self, status: TransactionStatus, *, limit: int) -> bool:
        count = 0
        with self._immediate() as cursor:
            rows = cursor.execute(
                "UPDATE vp_transactions SET failures = failures + 1 "
                "WHERE id = ? AND used = 0 RETURNING failures",
                (status.transaction_id,),
            ).fetchall()
            if rows:
                count = int(rows[0][0])
                cursor.execute(
                    "UPDATE vp_transactions SET status = ?, used = ? WHERE id = ?",
                    (
                        json.dumps(_failed(status, count, limit=limit).to_json()),
                        int(count >= limit),
                        status.transaction_id,
                    ),
                )
        return count >= limit

    def finish(self, status: TransactionStatus) -> None:
        with self._immediate() as cursor:
            found = cursor.execute(
                "SELECT failures FROM vp_transactions WHERE id = ? AND used = 1",
                (status.transaction_id,),
            ).fetchall()
            if found:
                final = replace(status, failed_attempts=int(found[0][0]))
                cursor.execute(
                    "UPDATE vp_transactions SET status = ? WHERE id = ?",
                    (json.dumps(final.to_json()), status.transaction_id),
                )
        if not found:
            raise ValueError("only a consumed transaction can be finished")

    def status(self, transaction_id: str, *, now: datetime) -> TransactionStatus | None:
        rows = self._execute(
            "SELECT status, expires_at FROM vp_transactions WHERE id = ?", (transaction_id,)
        )
        if not rows:
            return None
        stored, expires_at = rows[0]
        status = (
            TransactionStatus(transaction_id, "pending")
            if stored is None
            else TransactionStatus.from_json(json.loads(stored))
        )
        return status.as_of(now, datetime.fromtimestamp(expires_at, UTC))

    def purge(self, *, before: datetime) -> int:
        with self._lock:
            return self._connection.execute(
                "DELETE FROM vp_transactions WHERE expires_at < ?", (_timestamp(before),)
            ).rowcount
