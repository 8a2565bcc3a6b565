"""The landlord's income checks: which desk started which transaction, and the signed record.

Stored with the stdlib ``sqlite3`` (a file shared by worker processes, or
``":memory:"``). A check holds no claims: the household size asked about,
what was asked for (the tax office's fact or the amount), and, once decided,
the signed verification record (which itself holds no income amounts). A
check of an uploaded PDF (:class:`PdfCheck`) keeps the file's SHA-256, the
decision or the reasons it was refused, and the record; never the file.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from dataclasses import dataclass
from datetime import UTC, datetime
from os import PathLike
from pathlib import Path
from typing import Literal

from vc_core.files import private_file
from vc_core.types import JsonObject

__all__ = ["Ask", "Check", "Checks", "PdfCheck"]

Ask = Literal["facts", "amount"]

_SCHEMA = """
CREATE TABLE IF NOT EXISTS landlord_checks (
    transaction_id TEXT PRIMARY KEY,
    desk TEXT NOT NULL,
    household_size INTEGER NOT NULL,
    ask TEXT NOT NULL,
    created_at TEXT NOT NULL,
    record TEXT
)
"""
_PDF_SCHEMA = """
CREATE TABLE IF NOT EXISTS landlord_pdf_checks (
    id TEXT PRIMARY KEY,
    desk TEXT NOT NULL,
    household_size INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    outcome TEXT NOT NULL,
    record TEXT
)
"""


@dataclass(frozen=True, slots=True)
class Check:
    """One income check: its transaction, the desk that started it, and its record if decided."""

    transaction_id: str
    desk: str
    household_size: int
    ask: Ask
    created_at: datetime
    record: JsonObject | None = None


@dataclass(frozen=True, slots=True)
class PdfCheck:
    """A decided check of an uploaded certified PDF.

    ``outcome`` is JSON: ``{"decision": <PolicyResult JSON>, "sources": [...]}``
    when the PDF was accepted, ``{"refused": [problems], "sources": [...]}``
    when not; ``sources`` lists each section's name, whether its seal is whole,
    its credential valid (for issuers this landlord trusts) and its printed data
    the embedded data. ``record`` is the signed
    verification record of an accepted PDF.
    """

    id: str
    desk: str
    household_size: int
    created_at: datetime
    sha256: str
    outcome: JsonObject
    record: JsonObject | None = None


class Checks:
    """Income checks in an SQLite database (``":memory:"`` for one process; a file 0600)."""

    def __init__(self, path: str | PathLike[str]) -> None:
        self._lock = threading.Lock()
        if str(path) != ":memory:":
            private_file(Path(path))
        self._connection = sqlite3.connect(
            path, timeout=10.0, isolation_level=None, check_same_thread=False
        )
        with self._lock:
            self._connection.execute(_SCHEMA)
            self._connection.execute(_PDF_SCHEMA)

    def close(self) -> None:
        """Close the database connection."""
        with self._lock:
            self._connection.close()

    def add(self, check: Check) -> None:
        """Store a new check."""
        with self._lock:
            self._connection.execute(
                "INSERT INTO landlord_checks "
                "(transaction_id, desk, household_size, ask, created_at) VALUES (?, ?, ?, ?, ?)",
                (
                    check.transaction_id,
                    check.desk,
                    check.household_size,
                    check.ask,
                    check.created_at.astimezone(UTC).isoformat(),
                ),
            )

    def get(self, transaction_id: str) -> Check | None:
        """The check of a transaction, or ``None``."""
        with self._lock:
            row = self._connection.execute(
                "SELECT transaction_id, desk, household_size, ask, created_at, record "
                "FROM landlord_checks WHERE transaction_id = ?",
                (transaction_id,),
            ).fetchone()
        if row is None:
            return None
        return Check(
            transaction_id=row[0],
            desk=row[1],
            household_size=int(row[2]),
            ask="amount" if row[3] == "amount" else "facts",
            created_at=datetime.fromisoformat(row[4]),
            record=None if row[5] is None else json.loads(row[5]),
        )

    def keep_record(self, transaction_id: str, record: JsonObject) -> None:
        """Store the signed verification record of a decided check."""
        with self._lock:
            self._connection.execute(
                "UPDATE landlord_checks SET record = ? WHERE transaction_id = ?",
                (json.dumps(record), transaction_id),
            )

    def purge_undecided(self, *, before: datetime) -> int:
        """Delete checks started before ``before`` that were never decided; return how many.

        Decided checks keep their signed record (the landlord's accountability).
        """
        with self._lock:
            cursor = self._connection.execute(
                "DELETE FROM landlord_checks WHERE record IS NULL AND created_at < ?",
                (before.astimezone(UTC).isoformat(),),
            )
        return cursor.rowcount

    def add_pdf_check(self, check: PdfCheck) -> None:
        """Store a decided check of an uploaded PDF."""
        with self._lock:
            self._connection.execute(
                "INSERT INTO landlord_pdf_checks "
                "(id, desk, household_size, created_at, sha256, outcome, record) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    check.id,
                    check.desk,
                    check.household_size,
                    check.created_at.astimezone(UTC).isoformat(),
                    check.sha256,
                    json.dumps(check.outcome),
                    None if check.record is None else json.dumps(check.record),
                ),
            )

    def get_pdf_check(self, check_id: str) -> PdfCheck | None:
        """The check of an uploaded PDF, or ``None``."""
        with self._lock:
            row = self._connection.execute(
                "SELECT id, desk, household_size, created_at, sha256, outcome, record "
                "FROM landlord_pdf_checks WHERE id = ?",
                (check_id,),
            ).fetchone()
        if row is None:
            return None
        return PdfCheck(
            id=row[0],
            desk=row[1],
            household_size=int(row[2]),
            created_at=datetime.fromisoformat(row[3]),
            sha256=row[4],
            outcome=json.loads(row[5]),
            record=None if row[6] is None else json.loads(row[6]),
        )
