"""The activity and consent log: the citizen's own record of who got what, when and why.

Every receipt, deferred pickup and presentation adds an
:class:`~wallet_sdk.records.ActivityEntry` to the encrypted store, in the same
transaction as the change it records. :func:`export_activity` writes the log
as JSON for the citizen to keep or hand over.

>>> entry = new_entry("presented", "redirect_uri:https://verhuur.example.nl/cb",
...                   at=datetime(2026, 1, 1, 12, tzinfo=UTC), claims=("/credentialSubject/x",))
>>> entry.at, entry.event
('2026-01-01T12:00:00Z', 'presented')
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from datetime import UTC, datetime

from wallet_sdk import _json
from wallet_sdk.records import ActivityEntry

__all__ = ["ACTIVITY_FORMAT", "export_activity", "new_entry", "timestamp"]

ACTIVITY_FORMAT = "blauwe-knop-activity/1"


def timestamp(moment: datetime) -> str:
    """An XSD dateTimeStamp in UTC with a ``Z`` and whole seconds."""
    if moment.tzinfo is None:
        raise ValueError("timestamps must be timezone-aware")
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def new_entry(
    event: str,
    counterparty: str,
    *,
    at: datetime,
    counterparty_name: str | None = None,
    purpose: str | None = None,
    credential_ids: Iterable[str] = (),
    credential_types: Iterable[str] = (),
    claims: Iterable[str] = (),
    detail: str | None = None,
) -> ActivityEntry:
    """A new log entry with a fresh random id."""
    return ActivityEntry(
        id=secrets.token_hex(8),
        at=timestamp(at),
        event=event,
        counterparty=counterparty,
        counterparty_name=counterparty_name,
        purpose=purpose,
        credential_ids=tuple(credential_ids),
        credential_types=tuple(credential_types),
        claims=tuple(claims),
        detail=detail,
    )


def export_activity(entries: Iterable[ActivityEntry], *, exported_at: datetime) -> str:
    """The log as JSON text: ``{"format", "exported", "entries": [...]}``."""
    document = {
        "format": ACTIVITY_FORMAT,
        "exported": timestamp(exported_at),
        "entries": [entry.to_json() for entry in entries],
    }
    return _json.dumps(document)
