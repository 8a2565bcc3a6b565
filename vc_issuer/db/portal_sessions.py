"""Server-side records of the citizen portal's sessions (one row per logged-in browser).

The browser holds only a signed random token; this table keeps its hash, the
citizen's BSN sealed for the row (``KeyRing.seal_subject``) while the session
lives, the session's CSRF token and two expiry times (idle and absolute).
Rows are deleted at log-out and purged once expired.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import LargeBinary, String, select
from sqlalchemy.orm import Mapped, mapped_column

from vc_issuer.db._statements import delete_where, to_columns, to_record, update_where
from vc_issuer.db.database import Database
from vc_issuer.db.models import Base

__all__ = ["PortalSessionRecord", "PortalSessionRow", "PortalSessionTable"]


class PortalSessionRow(Base):
    """A portal session: hashed token, sealed BSN, CSRF token, idle and absolute expiry."""

    __tablename__ = "portal_sessions"

    id_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    sealed_subject: Mapped[bytes] = mapped_column(LargeBinary(64))
    csrf_token: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime] = mapped_column(index=True)
    ends_at: Mapped[datetime]


@dataclass(frozen=True, slots=True)
class PortalSessionRecord:
    """A live session as stored; ``ends_at`` is the absolute end, ``expires_at`` the idle one."""

    id_hash: str
    sealed_subject: bytes
    csrf_token: str
    created_at: datetime
    expires_at: datetime
    ends_at: datetime


class PortalSessionTable:
    """Stores portal sessions in the issuer's database (SQLite or PostgreSQL)."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def add(self, record: PortalSessionRecord) -> None:
        """Store a new session."""
        with self._db.write() as unit:
            unit.session.add(PortalSessionRow(**to_columns(record)))

    def live(
        self, id_hash: str, *, now: datetime, extend_to: datetime
    ) -> PortalSessionRecord | None:
        """The unexpired session with this hash, its idle expiry moved to ``extend_to``."""
        with self._db.write() as unit:
            row = unit.session.scalars(
                select(PortalSessionRow).where(
                    PortalSessionRow.id_hash == id_hash, PortalSessionRow.expires_at > now
                )
            ).first()
            if row is None:
                return None
            new_expiry = min(extend_to, row.ends_at)
            update_where(
                unit.session,
                PortalSessionRow,
                PortalSessionRow.id_hash == id_hash,
                expires_at=new_expiry,
            )
            return to_record(PortalSessionRecord, row, expires_at=new_expiry)

    def remove(self, id_hash: str) -> None:
        """Delete a session (log-out)."""
        with self._db.write() as unit:
            delete_where(unit.session, PortalSessionRow, PortalSessionRow.id_hash == id_hash)

    def purge(self, *, now: datetime) -> None:
        """Delete every expired session."""
        with self._db.write() as unit:
            delete_where(unit.session, PortalSessionRow, PortalSessionRow.expires_at <= now)
