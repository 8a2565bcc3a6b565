"""Status lists of the issuer: index allocation, status changes, signed publication.

Each source keeps Bitstring Status Lists per purpose (``revocation``,
``suspension``) for its W3C credentials, and IETF Token Status Lists (purpose
``token``, two bits per entry: valid, revoked, suspended) for its SD-JWT VCs,
numbered from 1, of 131 072 entries. A credential gets a uniformly random unused index
in the open list: a random draw is claimed with an insert that the primary key
(source, purpose, list, index) refuses when taken, and a refused draw is
redrawn, so two credentials never share an index, whatever the number of
threads or processes. A list is closed at 75 % so a draw rarely misses.

A Bitstring list is published as a ``BitstringStatusListCredential`` signed
by the source's newest key (``ecdsa-rdfc-2019``, or ``eddsa-rdfc-2022`` for an
Ed25519 key), a Token Status List as a ``statuslist+jwt`` signed by the same
key (``kid`` its DID URL), both valid for a day, with a ``ttl`` of five minutes
(settings). Besides the sources, other publishers (the VC API's issuers) can
be registered with their own URL prefix, DID and key series. The signed text
is kept in the database and re-signed when a status changed or half its
validity has passed. Revocation and suspension work the same for both formats:
revoking sets a credential's revocation bit, or its Token Status List entry to
INVALID; suspending sets the suspension bit, or the entry to SUSPENDED unless
revoked.

Spec: vc-bitstring-status-list#bitstringstatuslistcredential
Spec: draft-ietf-oauth-status-list#name-status-list-token-in-jwt-fo
"""

from __future__ import annotations

import json
import secrets
import threading
import time
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from vc_core.errors import ParsingError
from vc_core.limits import parse_int
from vc_core.loader import CREDENTIALS_V2_URL
from vc_core.proofs import sign
from vc_core.status import (
    INVALID,
    MIN_ENTRIES,
    SUSPENDED,
    VALID,
    StatusList,
    TokenStatusList,
    TokenStatusReference,
    create_status_list_token,
    set_status,
)
from vc_core.types import Clock, JsonObject
from vc_issuer.db import Database, StatusEntryRecord, StatusListState, Unit
from vc_issuer.errors import NotFound
from vc_issuer.keys import KeyRing

__all__ = [
    "LIST_ENTRIES",
    "PURPOSES",
    "TOKEN_STATUS_LIST",
    "StatusLists",
    "StatusSlot",
    "status_list_number",
    "status_list_url",
]

PURPOSES: tuple[str, ...] = ("revocation", "suspension")
"""The purposes every W3C credential gets a Bitstring Status List entry for, in this order."""
TOKEN_STATUS_LIST = "token"
"""The purpose under which an SD-JWT VC gets its one Token Status List entry."""
_TOKEN_BITS = 2
LIST_ENTRIES = MIN_ENTRIES
_CAPACITY = LIST_ENTRIES * 3 // 4
_MAX_DRAWS = 64
_OPEN_LIST_SECONDS = 10.0
_OPEN_LIST_CLAIMS = 1000


@dataclass(frozen=True, slots=True)
class StatusSlot:
    """A claimed index: source, purpose, list number and index."""

    source: str
    purpose: str
    number: int
    index: int


def _utc_now() -> datetime:
    return datetime.now(UTC)


def _timestamp(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def status_list_url(issuer_identifier: str, purpose: str, number: int) -> str:
    """The URL of a status list: ``<issuer identifier>/status/<purpose>/<number>``."""
    return f"{issuer_identifier}/status/{purpose}/{number}"


def status_list_number(text: str) -> int:
    """The list number of a status list URL's last segment; ``NotFound`` if it is not one."""
    try:
        return parse_int(text, max_digits=9, name="the list number")
    except ParsingError:
        raise NotFound(f"no status list {text!r}") from None


class StatusLists:
    """Publishes and changes the status lists of every source in one database."""

    def __init__(
        self,
        db: Database,
        keys: KeyRing,
        *,
        identifiers: Mapping[str, str],
        dids: Mapping[str, str],
        ttl: timedelta,
        validity: timedelta,
    ) -> None:
        self._db = db
        self._keys = keys
        self._identifiers = dict(identifiers)
        self._dids = dict(dids)
        self._ttl = ttl
        self._validity = validity
        self._key_names: dict[str, str] = {}
        self._lock = threading.Lock()
        # (source, purpose) -> (looked up at, claims left before the next look-up, number)
        self._open: dict[tuple[str, str], tuple[float, int, int]] = {}

    def register(self, name: str, *, identifier: str, key_name: str) -> None:
        """Publish lists as ``name`` too: under ``identifier``, signed by the key series
        ``key_name`` and issued by that key's controller (its did:key)."""
        self._identifiers[name] = identifier
        self._key_names[name] = key_name

    def allocate(
        self,
        unit: Unit,
        source: str,
        purpose: str,
        credential_id: str,
        *,
        randbelow: Callable[[int], int] = secrets.randbelow,
    ) -> StatusSlot:
        """Claim a uniformly random unused index for ``credential_id`` in the open list.

        Runs inside the caller's writing unit of work, so the claim commits or rolls
        back with the credential's record.
        """
        (slot,) = self.allocate_all(unit, source, [(purpose, credential_id)], randbelow=randbelow)
        return slot

    def allocate_all(
        self,
        unit: Unit,
        source: str,
        wanted: Sequence[tuple[str, str]],
        *,
        randbelow: Callable[[int], int] = secrets.randbelow,
    ) -> list[StatusSlot]:
        """For each ``(purpose, credential_id)`` of ``wanted``, claim a uniformly random
        unused index in the open list of that purpose; the slots in the order of ``wanted``.

        Runs inside the caller's writing unit of work, so the claims commit or roll
        back with the credentials' records.

        Implementation note: every round of draws is claimed with one statement; the
        draws that lost (taken before, or drawn twice in this round) are drawn again.
        """
        purposes = Counter(purpose for purpose, _ in wanted)
        numbers = {p: self._open_list(unit, source, p, claims=n) for p, n in purposes.items()}
        slots: dict[int, StatusSlot] = {}
        for _ in range(_MAX_DRAWS):
            draws = {
                position: (purpose, numbers[purpose], randbelow(LIST_ENTRIES), credential_id)
                for position, (purpose, credential_id) in enumerate(wanted)
                if position not in slots
            }
            won = unit.claim_status_indexes(source, list(draws.values()))
            for position, draw in draws.items():
                if draw in won:
                    slots[position] = StatusSlot(source, draw[0], draw[1], draw[2])
            if len(slots) == len(wanted):
                return [slots[position] for position in range(len(wanted))]
        # Implementation note: with lists closed at 75 % full, 64 misses in a row has a
        # probability below 1e-8; reaching it means the random source is broken.
        raise RuntimeError(f"no free status index found in the lists of {source}")

    def _open_list(self, unit: Unit, source: str, purpose: str, *, claims: int) -> int:
        """The open list's number, looked up again every 1000 claims or 10 seconds.

        Implementation note: between look-ups several processes may fill a list a
        little past 75 %; the remaining quarter keeps random draws cheap.
        """
        now = time.monotonic()
        with self._lock:
            cached = self._open.get((source, purpose))
            if cached is not None and cached[1] > 0 and now - cached[0] < _OPEN_LIST_SECONDS:
                self._open[(source, purpose)] = (cached[0], cached[1] - claims, cached[2])
                return cached[2]
        number = unit.open_status_list(source, purpose, capacity=_CAPACITY)
        with self._lock:
            self._open[(source, purpose)] = (now, _OPEN_LIST_CLAIMS, number)
        return number

    def token_reference(self, slot: StatusSlot) -> TokenStatusReference:
        """The ``status.status_list`` reference of a claimed Token Status List slot."""
        url = status_list_url(self._identifiers[slot.source], slot.purpose, slot.number)
        return TokenStatusReference(url, slot.index)

    def entry(self, slot: StatusSlot) -> JsonObject:
        """The ``BitstringStatusListEntry`` of a claimed slot (index as a string)."""
        url = status_list_url(self._identifiers[slot.source], slot.purpose, slot.number)
        return {
            "id": f"{url}#{slot.index}",
            "type": "BitstringStatusListEntry",
            "statusPurpose": slot.purpose,
            "statusListIndex": str(slot.index),
            "statusListCredential": url,
        }

    def _sign(
        self, state: StatusListState, set_entries: list[tuple[int, int]], now: datetime
    ) -> str:
        if state.purpose == TOKEN_STATUS_LIST:
            return self._sign_token(state, set_entries, now)
        bits = bytearray(StatusList.new(LIST_ENTRIES).bits)
        for index, value in set_entries:
            set_status(bits, index, value)
        url = status_list_url(self._identifiers[state.source], state.purpose, state.number)
        key = self._keys.signing_key(self._key_names.get(state.source, state.source))
        document: JsonObject = {
            "@context": [CREDENTIALS_V2_URL],
            "id": url,
            "type": ["VerifiableCredential", "BitstringStatusListCredential"],
            "issuer": self._dids.get(state.source) or key.controller,
            "validFrom": _timestamp(now),
            "validUntil": _timestamp(now + self._validity),
            "credentialSubject": {
                "id": f"{url}#list",
                "type": "BitstringStatusList",
                "statusPurpose": state.purpose,
                "encodedList": StatusList(bytes(bits)).encode(),
                "ttl": int(self._ttl.total_seconds() * 1000),
            },
        }
        signed = sign(document, key, created=now)
        return json.dumps(signed, separators=(",", ":"))

    def _sign_token(
        self, state: StatusListState, set_entries: list[tuple[int, int]], now: datetime
    ) -> str:
        """The Status List Token (``statuslist+jwt``) of an SD-JWT VC list."""
        status_list = TokenStatusList.new(LIST_ENTRIES, bits=_TOKEN_BITS)
        for index, value in set_entries:
            status_list = status_list.with_status(index, value)
        identifier = self._identifiers[state.source]
        key = self._keys.signing_key(self._key_names.get(state.source, state.source))
        return create_status_list_token(
            status_list,
            key,
            uri=status_list_url(identifier, state.purpose, state.number),
            issued_at=now,
            expires_at=now + self._validity,
            # Implementation note: a ttl is a positive number of seconds; a list
            # served uncached (ttl 0) says the shortest one, a second.
            ttl=max(self._ttl, timedelta(seconds=1)),
            issuer=identifier,
            kid=key.id,
        )

    def publish(self, source: str, purpose: str, number: int, *, clock: Clock = _utc_now) -> str:
        """The signed list as text (a credential's JSON, or a Status List Token).

        Re-signed first if stale.

        Raises ``NotFound`` for a list that was never opened.
        """
        now = clock()
        with self._db.read() as unit:
            state = unit.status_list(source, purpose, number)
        if state is None:
            raise NotFound(f"no status list {source}/{purpose}/{number}")
        fresh = (
            state.signed is not None
            and state.signed_version == state.version
            and state.signed_at is not None
            and now - state.signed_at < self._validity / 2
            and state.signed_at <= now
        )
        if fresh and state.signed is not None:
            return state.signed
        with self._db.read() as unit:
            # Implementation note: the version first, then the bits, so the bits are at
            # least that new (each statement may see its own snapshot); the save below
            # stores the list only while the version is still the one read.
            state = unit.status_list(source, purpose, number) or state
            set_entries = unit.set_indexes(source, purpose, number)
        text = self._sign(state, set_entries, now)
        with self._db.write() as unit:
            unit.save_signed_list(state, signed=text, signed_at=now)
        return text

    def entries_of(self, credential_id: str) -> list[StatusEntryRecord]:
        """The status entries of a credential; ``NotFound`` when it has none."""
        with self._db.read() as unit:
            entries = unit.status_entries(credential_id)
        if not entries:
            raise NotFound(f"no credential {credential_id!r} with status entries")
        return entries

    def status_of(self, credential_id: str) -> dict[str, int]:
        """The status per purpose (``revocation``, ``suspension``: 0 or 1), for both formats.

        Raises ``NotFound`` for a credential without status entries.
        """
        found: dict[str, int] = {}
        for entry in self.entries_of(credential_id):
            if entry.purpose == TOKEN_STATUS_LIST:
                found["revocation"] = int(entry.status == INVALID)
                found["suspension"] = int(entry.status == SUSPENDED)
            else:
                found[entry.purpose] = entry.status
        return found

    def set_status(
        self, credential_id: str, purpose: str, value: int, *, clock: Clock = _utc_now
    ) -> bool:
        """Set a credential's status for ``purpose`` and republish; False if unchanged.

        ``purpose`` is ``revocation`` or ``suspension``, ``value`` 1 (set) or 0
        (lifted). An SD-JWT VC's Token Status List entry follows: revoked is
        INVALID for good, suspended is SUSPENDED unless revoked. Raises
        ``NotFound`` when the credential has no entry for that purpose.
        """
        changes = [
            (entry, new)
            for entry in self.entries_of(credential_id)
            if (new := _new_status(entry.purpose, entry.status, purpose, value)) is not None
        ]
        if not changes:
            raise NotFound(f"credential {credential_id!r} has no {purpose} entry")
        with self._db.write() as unit:
            changed = [unit.set_status(entry, new) for entry, new in changes]
        for entry, _ in changes:
            self.publish(entry.source, entry.purpose, entry.list_number, clock=clock)
        return any(changed)


def _new_status(entry_purpose: str, current: int, purpose: str, value: int) -> int | None:
    """The value an entry takes when ``purpose`` is set to ``value``; None if unaffected."""
    if entry_purpose == purpose:
        return value
    if entry_purpose != TOKEN_STATUS_LIST:
        return None
    if current == INVALID:  # revoked for good
        return INVALID
    if purpose == "revocation":
        return INVALID if value else current
    if purpose == "suspension":
        return SUSPENDED if value else VALID
    return None
