"""Encrypted backup of the whole wallet to one file, and restore on a new device.

Layout: the magic line ``BLAUWE-KNOP-WALLET-BACKUP``, one line of JSON header
(format version, creation time, Argon2id parameters and salt, the wrapped
data key), then ``nonce ‖ AES-256-GCM(payload) ‖ tag``. The payload is every
record of the store (credentials with their base proofs, holder keys,
activity log, deferred issuances). The GCM associated data is the magic and
the whole header line, so any change anywhere in the file fails the check.

Failures raise :class:`~wallet_sdk.errors.BackupError`: ``WRONG_PASSPHRASE``
(the wrapped key does not open), ``BACKUP_INTEGRITY_ERROR`` (the payload or
header was altered) or ``BACKUP_FORMAT_ERROR`` (not a backup, unknown
version, malformed records).
"""

from __future__ import annotations

import os
import tempfile
from datetime import datetime
from pathlib import Path
from typing import Any

from wallet_sdk import _crypto, _json
from wallet_sdk.activity import timestamp
from wallet_sdk.errors import BackupError, StoreError
from wallet_sdk.records import ActivityEntry, HolderKeyRecord, PendingIssuance, StoredCredential
from wallet_sdk.store import RECORD_KINDS, Argon2Params, RecordKind, WalletStore

__all__ = ["BACKUP_FORMAT", "read_backup", "restore_backup", "write_backup"]

BACKUP_FORMAT = "blauwe-knop-wallet-backup/1"
MAX_BACKUP_BYTES = 256 * 2**20
_MAGIC = b"BLAUWE-KNOP-WALLET-BACKUP\n"
_KEY_LABEL = b"blauwe-knop/backup/1/data-key\x00"
_MAX_HEADER = 4096
_READERS: dict[str, Any] = {
    "credential": StoredCredential.from_json,
    "key": HolderKeyRecord.from_json,
    "activity": ActivityEntry.from_json,
    "pending": PendingIssuance.from_json,
}


def _format_error(detail: str) -> BackupError:
    return BackupError(detail, code="BACKUP_FORMAT_ERROR")


def write_backup(
    store: WalletStore,
    path: str | os.PathLike[str],
    *,
    passphrase: str,
    created: datetime,
    kdf: Argon2Params | None = None,
) -> int:
    """Write every record of ``store`` to an encrypted backup at ``path``; return the count.

    The file is written beside its target and renamed into place (mode
    0600), so a crash never leaves half a backup under the final name.
    """
    params = kdf or Argon2Params()
    salt = _crypto.new_salt()
    kdf_json = params.to_json(salt)
    data_key = _crypto.new_data_key()
    kek = params.derive_key(passphrase, salt)
    wrapped = _crypto.seal(kek, data_key, _KEY_LABEL + _json.dumps(kdf_json).encode())
    header = _json.dumps(
        {
            "format": BACKUP_FORMAT,
            "created": timestamp(created),
            "kdf": kdf_json,
            "wrapped_key": _crypto.b64encode(wrapped),
        }
    ).encode("utf-8")
    records = store.dump()
    payload = _json.dumps({"records": [[kind, rid, value] for kind, rid, value in records]})
    sealed = _crypto.seal(data_key, payload.encode("utf-8"), _MAGIC + header)
    target = Path(path)
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".backup-")
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(_MAGIC + header + b"\n" + sealed)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return len(records)


def _read_header(data: bytes) -> tuple[bytes, dict[str, Any], bytes]:
    if not data.startswith(_MAGIC):
        raise _format_error("not a blauwe-knop wallet backup")
    header, newline, sealed = data[len(_MAGIC) :].partition(b"\n")
    if not newline or len(header) > _MAX_HEADER:
        raise _format_error("the backup header is missing or too long")
    try:
        value = _json.loads(header, max_bytes=_MAX_HEADER, what="the backup header")
    except _json.JsonInputError as exc:
        raise _format_error(str(exc)) from exc
    if not isinstance(value, dict) or value.get("format") != BACKUP_FORMAT:
        raise _format_error(
            f"unknown backup format {value.get('format') if isinstance(value, dict) else None!r}"
        )
    return header, value, sealed


def read_backup(
    path: str | os.PathLike[str], *, passphrase: str
) -> list[tuple[RecordKind, str, dict[str, Any]]]:
    """Decrypt and check a backup file; return its records as ``(kind, id, value)``."""
    file = Path(path)
    if file.stat().st_size > MAX_BACKUP_BYTES:
        raise _format_error(f"the backup is larger than {MAX_BACKUP_BYTES} bytes")
    header, fields, sealed = _read_header(file.read_bytes())
    try:
        params, salt = Argon2Params.from_json(fields.get("kdf"))
        wrapped = _crypto.b64decode(fields.get("wrapped_key"))
    except ValueError as exc:
        raise _format_error(f"the backup header is malformed: {exc}") from exc
    kek = params.derive_key(passphrase, salt)
    try:
        data_key = _crypto.open_sealed(
            kek, wrapped, _KEY_LABEL + _json.dumps(fields["kdf"]).encode()
        )
    except _crypto.IntegrityError as exc:
        raise BackupError(
            "the passphrase does not open this backup", code="WRONG_PASSPHRASE"
        ) from exc
    try:
        payload = _crypto.open_sealed(data_key, sealed, _MAGIC + header)
    except _crypto.IntegrityError as exc:
        raise BackupError("the backup was altered or damaged") from exc
    try:
        document = _json.loads(payload, max_bytes=MAX_BACKUP_BYTES, what="the backup payload")
    except _json.JsonInputError as exc:
        raise _format_error(str(exc)) from exc
    return _records(document)


def _records(document: object) -> list[tuple[RecordKind, str, dict[str, Any]]]:
    """Check every record of a decrypted payload (kind, id, a value that parses)."""
    items = document.get("records") if isinstance(document, dict) else None
    if not isinstance(items, list):
        raise _format_error("the backup payload has no records")
    records: list[tuple[RecordKind, str, dict[str, Any]]] = []
    for item in items:
        if not (isinstance(item, list) and len(item) == 3):
            raise _format_error("a backup record is not [kind, id, value]")
        kind, record_id, value = item
        if (
            kind not in RECORD_KINDS
            or not isinstance(record_id, str)
            or not isinstance(value, dict)
        ):
            raise _format_error(f"a backup record has kind {kind!r} or a malformed id/value")
        try:
            _READERS[kind](value)
        except StoreError as exc:
            raise _format_error(exc.detail) from exc
        records.append((kind, record_id, value))
    return records


def restore_backup(path: str | os.PathLike[str], *, passphrase: str, into: WalletStore) -> int:
    """Restore a backup into ``into`` in one transaction; return the number of records.

    Records with the same kind and id are replaced; others in the store stay.
    """
    records = read_backup(path, passphrase=passphrase)
    into.load(records)
    return len(records)
