"""The wallet's store: credentials, holder keys, activity log and deferred issuances.

:class:`EncryptedStore` keeps everything in one SQLite file, each record
sealed with AES-256-GCM under a random data key. The data key is wrapped by a
key derived from the citizen's passphrase with Argon2id; a wrong passphrase
fails that wrap's tag (:class:`WrongPassphraseError`). A record's associated
data binds it to its kind and id, so rows swapped or moved inside the file
fail their tag (:class:`StoreError`, ``STORE_INTEGRITY_ERROR``). Writes run
in SQLite transactions: a crash in the middle of :meth:`WalletStore.transaction`
leaves none of its writes behind. Only a record's kind and id are plain text.

:class:`MemoryStore` has the same interface without a file, for tests and
notebooks.

>>> store = MemoryStore()
>>> with store.transaction():
...     store.append_activity(ActivityEntry("a1", "2026-01-01T12:00:00Z", "received", "x"))
>>> [entry.event for entry in store.activity()]
['received']
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from abc import ABC, abstractmethod
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Literal, Self

from vc_core.formats import FORMATS
from vc_core.types import JsonObject
from wallet_sdk import _crypto, _json
from wallet_sdk.errors import StoreError, WrongPassphraseError
from wallet_sdk.records import ActivityEntry, HolderKeyRecord, PendingIssuance, StoredCredential

__all__ = ["Argon2Params", "EncryptedStore", "MemoryStore", "RecordKind", "WalletStore"]

Argon2Params = _crypto.Argon2Params

RecordKind = Literal["credential", "key", "activity", "pending"]
RECORD_KINDS: tuple[RecordKind, ...] = ("credential", "key", "activity", "pending")

_FORMAT = "blauwe-knop-wallet/1"
_DATA_KEY_LABEL = b"blauwe-knop/wallet/1/data-key\x00"
_RECORD_LABEL = b"blauwe-knop/wallet/1/record\x00"
# Implementation note: a wallet store holds kilobyte-sized JSON records; a larger
# plaintext means a corrupted or hostile file.
_MAX_RECORD_BYTES = 16 * 2**20


def _record_ad(kind: str, record_id: str) -> bytes:
    """Associated data of a record: label, kind and id, NUL-separated."""
    return _RECORD_LABEL + kind.encode("utf-8") + b"\x00" + record_id.encode("utf-8")


def _has_claim(value: Any, name: str) -> bool:
    """Whether a property ``name`` occurs anywhere inside ``value`` (objects and arrays)."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            if name in item:
                return True
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return False


def _subject_claims(stored: StoredCredential) -> Any:
    """Where the subject's claims sit in a stored credential (by its format)."""
    value: Any = stored.credential
    for step in FORMATS[stored.format].claims_root:
        value = value.get(step) if isinstance(value, dict) else None
    return value


class WalletStore(ABC):
    """Typed records over an atomic, ordered key-value layer (one namespace per kind).

    Every method that writes is atomic on its own; group writes with
    :meth:`transaction` so that all or none of them happen.
    """

    @abstractmethod
    def transaction(self) -> contextlib.AbstractContextManager[None]:
        """Group writes: they all happen when the block ends normally, none if it raises."""

    @abstractmethod
    def _put(self, kind: RecordKind, record_id: str, value: JsonObject) -> None: ...

    @abstractmethod
    def _get(self, kind: RecordKind, record_id: str) -> JsonObject | None: ...

    @abstractmethod
    def _items(self, kind: RecordKind) -> list[tuple[str, JsonObject]]: ...

    @abstractmethod
    def _delete(self, kind: RecordKind, record_id: str) -> bool: ...

    def close(self) -> None:  # noqa: B027 - optional hook; the memory store has nothing to close
        """Release the store's resources."""

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # Credentials.

    def put_credential(self, credential: StoredCredential) -> None:
        """Add a credential, or replace the one with the same ``id``."""
        self._put("credential", credential.id, credential.to_json())

    def get_credential(self, credential_id: str) -> StoredCredential:
        """Return one credential; ``StoreError`` (``RECORD_NOT_FOUND``) if there is none."""
        value = self._get("credential", credential_id)
        if value is None:
            raise StoreError(f"no credential {credential_id!r}", code="RECORD_NOT_FOUND")
        return StoredCredential.from_json(value)

    def credentials(
        self, *, type: str | None = None, issuer: str | None = None, claim: str | None = None
    ) -> list[StoredCredential]:
        """Credentials in the order received, filtered by every criterion given.

        ``type`` matches a type name or its expanded IRI (or ``vct``); ``issuer``
        the issuer DID or the credential issuer URL; ``claim`` a property name
        anywhere among the subject's claims.
        """
        found = [StoredCredential.from_json(value) for _, value in self._items("credential")]
        if type is not None:
            found = [c for c in found if type in c.types or type in c.expanded_types]
        if issuer is not None:
            found = [c for c in found if issuer in (c.issuer, c.credential_issuer)]
        if claim is not None:
            found = [c for c in found if _has_claim(_subject_claims(c), claim)]
        return found

    def delete_credential(self, credential_id: str) -> None:
        """Delete one credential; ``StoreError`` (``RECORD_NOT_FOUND``) if there is none."""
        if not self._delete("credential", credential_id):
            raise StoreError(f"no credential {credential_id!r}", code="RECORD_NOT_FOUND")

    # Holder keys.

    def put_key(self, key: HolderKeyRecord) -> None:
        """Add a holder key (its DID is the record id)."""
        self._put("key", key.did, key.to_json())

    def get_key(self, did: str) -> HolderKeyRecord:
        """Return the holder key of ``did``; ``StoreError`` (``RECORD_NOT_FOUND``) if unknown."""
        value = self._get("key", did)
        if value is None:
            raise StoreError(f"no holder key for {did!r}", code="RECORD_NOT_FOUND")
        return HolderKeyRecord.from_json(value)

    def holder_keys(self) -> list[HolderKeyRecord]:
        """Every holder key, oldest first."""
        return [HolderKeyRecord.from_json(value) for _, value in self._items("key")]

    # Activity log.

    def append_activity(self, entry: ActivityEntry) -> None:
        """Append one entry to the activity log."""
        self._put("activity", entry.id, entry.to_json())

    def activity(self) -> list[ActivityEntry]:
        """The activity log, oldest first."""
        return [ActivityEntry.from_json(value) for _, value in self._items("activity")]

    # Deferred issuances.

    def put_pending(self, pending: PendingIssuance) -> None:
        """Add or replace a deferred issuance."""
        self._put("pending", pending.id, pending.to_json())

    def pending(self) -> list[PendingIssuance]:
        """Deferred issuances not yet picked up, oldest first."""
        return [PendingIssuance.from_json(value) for _, value in self._items("pending")]

    def delete_pending(self, pending_id: str) -> None:
        """Forget a deferred issuance (picked up or given up)."""
        self._delete("pending", pending_id)

    # Whole-store access (backup and restore).

    def dump(self) -> list[tuple[RecordKind, str, JsonObject]]:
        """Every record as ``(kind, id, value)``, each kind in stored order."""
        return [
            (kind, record_id, value)
            for kind in RECORD_KINDS
            for record_id, value in self._items(kind)
        ]

    def load(self, records: list[tuple[RecordKind, str, JsonObject]]) -> None:
        """Write records from :meth:`dump` in one transaction (same ids are replaced)."""
        with self.transaction():
            for kind, record_id, value in records:
                self._put(kind, record_id, value)


class MemoryStore(WalletStore):
    """A store in memory with the same interface and transaction semantics (tests, notebooks)."""

    def __init__(self) -> None:
        self._records: dict[tuple[RecordKind, str], str] = {}
        self._depth = 0

    @contextlib.contextmanager
    def transaction(self) -> Iterator[None]:
        if self._depth:
            self._depth += 1
            try:
                yield
            finally:
                self._depth -= 1
            return
        snapshot = dict(self._records)
        self._depth = 1
        try:
            yield
        except BaseException:
            self._records = snapshot
            raise
        finally:
            self._depth = 0

    def _put(self, kind: RecordKind, record_id: str, value: JsonObject) -> None:
        # Implementation note: stored as JSON text, so callers never share mutable state.
        self._records[(kind, record_id)] = _json.dumps(value)

    def _get(self, kind: RecordKind, record_id: str) -> JsonObject | None:
        text = self._records.get((kind, record_id))
        return None if text is None else _load_record(text.encode("utf-8"))

    def _items(self, kind: RecordKind) -> list[tuple[str, JsonObject]]:
        return [
            (record_id, _load_record(text.encode("utf-8")))
            for (record_kind, record_id), text in self._records.items()
            if record_kind == kind
        ]

    def _delete(self, kind: RecordKind, record_id: str) -> bool:
        return self._records.pop((kind, record_id), None) is not None


def _load_record(data: bytes) -> JsonObject:
    try:
        value = _json.loads(data, max_bytes=_MAX_RECORD_BYTES, what="a stored record")
    except _json.JsonInputError as exc:
        raise StoreError(str(exc)) from exc
    if not isinstance(value, dict):
        raise StoreError("a stored record is not a JSON object")
    return value


_SCHEMA = """
CREATE TABLE IF NOT EXISTS header (name TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS records (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    kind TEXT NOT NULL,
    id TEXT NOT NULL,
    sealed BLOB NOT NULL,
    UNIQUE (kind, id)
);
"""


class EncryptedStore(WalletStore):
    """A SQLite wallet file with every record sealed under a passphrase-protected key.

    Open (or create) one with :meth:`open`. The connection belongs to the
    thread that opened it.
    """

    def __init__(self, connection: sqlite3.Connection, data_key: bytes, path: Path) -> None:
        self._conn = connection
        self._data_key = data_key
        self._depth = 0
        self.path = path

    @classmethod
    def open(
        cls,
        path: str | os.PathLike[str],
        *,
        passphrase: str,
        kdf: Argon2Params | None = None,
        create: bool = True,
    ) -> EncryptedStore:
        """Open the wallet file at ``path``, creating it (mode 0600) when missing and ``create``.

        ``kdf`` sets the Argon2id cost for a new file (existing files keep
        theirs). Raises :class:`WrongPassphraseError` when the passphrase does
        not open the file, :class:`StoreError` (``STORE_FORMAT_ERROR``) when the
        file is not a wallet, and ``FileNotFoundError`` when it is missing and
        ``create`` is false.
        """
        file = Path(path)
        if not file.exists():
            if not create:
                raise FileNotFoundError(f"no wallet at {file}")
            # Implementation note: create the file owner-only before SQLite writes to it.
            os.close(os.open(file, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
        try:
            connection = sqlite3.connect(file, isolation_level=None)
            connection.execute("PRAGMA synchronous = FULL")
            connection.executescript(_SCHEMA)
            header = dict(connection.execute("SELECT name, value FROM header").fetchall())
        except sqlite3.DatabaseError as exc:
            raise StoreError(
                f"{file} is not a wallet store: {exc}", code="STORE_FORMAT_ERROR"
            ) from exc
        try:
            if header:
                data_key = _unlock(header, passphrase)
            elif connection.execute("SELECT 1 FROM records LIMIT 1").fetchone() is not None:
                raise StoreError(f"{file} has records but no key header", code="STORE_FORMAT_ERROR")
            else:
                data_key = _initialise(connection, passphrase, kdf or Argon2Params())
        except BaseException:
            connection.close()
            raise
        return cls(connection, data_key, file)

    def change_passphrase(self, new_passphrase: str, *, kdf: Argon2Params | None = None) -> None:
        """Re-wrap the data key under a new passphrase (records stay as they are)."""
        salt = _crypto.new_salt()
        params = kdf or Argon2Params()
        kdf_json = _json.dumps(params.to_json(salt))
        kek = params.derive_key(new_passphrase, salt)
        wrapped = _crypto.seal(kek, self._data_key, _DATA_KEY_LABEL + kdf_json.encode())
        with self.transaction():
            self._conn.executemany(
                "UPDATE header SET value = ? WHERE name = ?",
                [(kdf_json, "kdf"), (_crypto.b64encode(wrapped), "wrapped_key")],
            )

    def close(self) -> None:
        """Close the database connection."""
        self._conn.close()

    @contextlib.contextmanager
    def transaction(self) -> Iterator[None]:
        if self._depth:
            self._depth += 1
            try:
                yield
            finally:
                self._depth -= 1
            return
        self._conn.execute("BEGIN IMMEDIATE")
        self._depth = 1
        try:
            yield
        except BaseException:
            self._conn.execute("ROLLBACK")
            raise
        else:
            self._conn.execute("COMMIT")
        finally:
            self._depth = 0

    def _put(self, kind: RecordKind, record_id: str, value: JsonObject) -> None:
        sealed = _crypto.seal(
            self._data_key, _json.dumps(value).encode("utf-8"), _record_ad(kind, record_id)
        )
        with self.transaction():
            self._conn.execute(
                "INSERT INTO records (kind, id, sealed) VALUES (?, ?, ?) "
                "ON CONFLICT (kind, id) DO UPDATE SET sealed = excluded.sealed",
                (kind, record_id, sealed),
            )

    def _open(self, kind: str, record_id: str, sealed: object) -> JsonObject:
        if not isinstance(sealed, bytes):
            raise StoreError(f"stored {kind} {record_id!r} is not sealed data")
        try:
            plaintext = _crypto.open_sealed(self._data_key, sealed, _record_ad(kind, record_id))
        except _crypto.IntegrityError as exc:
            raise StoreError(
                f"stored {kind} {record_id!r} failed its integrity check (altered or moved)"
            ) from exc
        return _load_record(plaintext)

    def _get(self, kind: RecordKind, record_id: str) -> JsonObject | None:
        row = self._conn.execute(
            "SELECT sealed FROM records WHERE kind = ? AND id = ?", (kind, record_id)
        ).fetchone()
        return None if row is None else self._open(kind, record_id, row[0])

    def _items(self, kind: RecordKind) -> list[tuple[str, JsonObject]]:
        rows = self._conn.execute(
            "SELECT id, sealed FROM records WHERE kind = ? ORDER BY seq", (kind,)
        ).fetchall()
        return [(record_id, self._open(kind, record_id, sealed)) for record_id, sealed in rows]

    def _delete(self, kind: RecordKind, record_id: str) -> bool:
        with self.transaction():
            cursor = self._conn.execute(
                "DELETE FROM records WHERE kind = ? AND id = ?", (kind, record_id)
            )
        return cursor.rowcount > 0


def _initialise(connection: sqlite3.Connection, passphrase: str, kdf: Argon2Params) -> bytes:
    """Write the header of a new store: format, KDF parameters and the wrapped data key."""
    salt = _crypto.new_salt()
    kdf_json = _json.dumps(kdf.to_json(salt))
    kek = kdf.derive_key(passphrase, salt)
    data_key = _crypto.new_data_key()
    wrapped = _crypto.seal(kek, data_key, _DATA_KEY_LABEL + kdf_json.encode())
    connection.execute("BEGIN IMMEDIATE")
    connection.executemany(
        "INSERT INTO header (name, value) VALUES (?, ?)",
        [("format", _FORMAT), ("kdf", kdf_json), ("wrapped_key", _crypto.b64encode(wrapped))],
    )
    connection.execute("COMMIT")
    return data_key


def _unlock(header: dict[str, Any], passphrase: str) -> bytes:
    """Derive the KEK from the stored parameters and unwrap the data key."""
    if header.get("format") != _FORMAT:
        raise StoreError(
            f"unknown wallet format {header.get('format')!r}", code="STORE_FORMAT_ERROR"
        )
    kdf_json = header.get("kdf")
    try:
        kdf, salt = Argon2Params.from_json(_json.loads(str(kdf_json), max_bytes=4096, what="kdf"))
        wrapped = _crypto.b64decode(header.get("wrapped_key"))
    except ValueError as exc:
        raise StoreError(
            f"the wallet header is malformed: {exc}", code="STORE_FORMAT_ERROR"
        ) from exc
    kek = kdf.derive_key(passphrase, salt)
    try:
        return _crypto.open_sealed(kek, wrapped, _DATA_KEY_LABEL + str(kdf_json).encode())
    except _crypto.IntegrityError as exc:
        raise WrongPassphraseError("the passphrase does not open this wallet") from exc
