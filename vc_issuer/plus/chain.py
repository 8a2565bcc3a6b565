"""The access log: append-only entries, hash-chained per grant, and their check.

Each entry's hash is ``SHA-256(prev_hash ‖ "\\n" ‖ canonical JSON of the entry
without its hash)`` (keys sorted, no spaces, UTF-8). The first entry links to
64 zeros. Editing, removing or reordering an entry breaks the chain at that
entry; cutting entries off the end is caught against the chain head the
source keeps (and signs into every export).

>>> from datetime import UTC, datetime
>>> first = seal_entry(AccessRecord("urn:uuid:g", 1, datetime(2026, 1, 1, tzinfo=UTC),
...                                 "granted", None, "citizen", None, {"via": "login"}))
>>> check = verify_access_log([entry_json(first)])
>>> check.valid, check.head == (1, first.hash)
(True, True)
>>> edited = dict(entry_json(first), actor="someone else")
>>> verify_access_log([edited]).problems
('entry 1 was changed: its hash does not match its content',)
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any

from vc_core.types import JsonObject
from vc_issuer.db import AccessRecord
from vc_issuer.db.plus import GENESIS_HASH

__all__ = [
    "ChainCheck",
    "entry_hash",
    "entry_json",
    "seal_entry",
    "verify_access_log",
]

_FIELDS = ("chain", "seq", "at", "event", "source", "actor", "error", "detail", "prev_hash")


def _stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _canonical(value: Any) -> bytes:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def entry_json(entry: AccessRecord) -> JsonObject:
    """An entry as exported: every field, ``at`` in UTC with microseconds, and its hash."""
    return {
        "chain": entry.chain,
        "seq": entry.seq,
        "at": _stamp(entry.at),
        "event": entry.event,
        "source": entry.source,
        "actor": entry.actor,
        "error": entry.error,
        "detail": entry.detail,
        "prev_hash": entry.prev_hash,
        "hash": entry.hash,
    }


def entry_hash(exported: Mapping[str, Any]) -> str:
    """The hash an exported entry must carry, from its content and ``prev_hash``."""
    content = {name: exported.get(name) for name in _FIELDS}
    prev = str(exported.get("prev_hash", ""))
    return hashlib.sha256(prev.encode() + b"\n" + _canonical(content)).hexdigest()


def seal_entry(entry: AccessRecord) -> AccessRecord:
    """The entry with its ``hash`` filled in."""
    return replace(entry, hash=entry_hash(entry_json(entry)))


@dataclass(frozen=True, slots=True)
class ChainCheck:
    """The result of :func:`verify_access_log`: valid or not, why, and the last (seq, hash)."""

    valid: bool
    problems: tuple[str, ...]
    head: tuple[int, str] | None


def verify_access_log(
    entries: Sequence[object], *, head: tuple[int, str] | None = None
) -> ChainCheck:
    """Check an exported access log (untrusted JSON): hashes, links and sequence numbers.

    With ``head`` (the chain head the source keeps) the last entry must be it,
    so entries cut off the end are found too. Never raises for bad input.
    """
    problems: list[str] = []
    prev = GENESIS_HASH
    last: tuple[int, str] | None = None
    chain: object = None
    for position, entry in enumerate(entries, start=1):
        if not isinstance(entry, Mapping):
            problems.append(f"entry {position} is not an object")
            break
        seq, found = entry.get("seq"), entry.get("hash")
        if seq != position:
            problems.append(f"entry {position} has sequence number {seq!r}")
        if chain is None:
            chain = entry.get("chain")
        elif entry.get("chain") != chain:
            problems.append(f"entry {position} belongs to another chain")
        if entry.get("prev_hash") != prev:
            problems.append(f"entry {position} does not link to the entry before it")
        try:
            expected = entry_hash(entry)
        except (TypeError, ValueError):
            problems.append(f"entry {position} cannot be hashed")
            break
        if found != expected:
            problems.append(f"entry {position} was changed: its hash does not match its content")
        prev = str(found)
        last = (position, prev)
    if head is not None and last != head:
        problems.append(f"the log ends at {last} but the chain head is {head}")
    return ChainCheck(not problems, tuple(problems), last)
