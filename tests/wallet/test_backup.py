"""Backup and restore on a new device; wrong passphrase and tampering are detected."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from vc_core import KeyPair, verify
from wallet_sdk import EncryptedStore, MemoryStore, Wallet
from wallet_sdk.backup import read_backup
from wallet_sdk.errors import BackupError
from wallet_sdk.keys import HolderKeys
from wallet_sdk.records import ActivityEntry

from .helpers import CHEAP_KDF, INCOME, fixed_clock, issue, keep, request_for, type_query


def _filled_wallet(tmp_path: Path, issuer_key: KeyPair) -> Wallet:
    store = EncryptedStore.open(tmp_path / "old.db", passphrase="old device", kdf=CHEAP_KDF)
    keys = HolderKeys(store)
    holder = keys.new()
    keys.save(holder)
    assert holder.controller is not None
    keep(
        store,
        issue(
            issuer_key, holder.controller, type_name="InkomensverklaringCredential", subject=INCOME
        ),
    )
    store.append_activity(ActivityEntry("a1", "2026-01-01T12:00:00Z", "received", "x"))
    return Wallet(store=store, http=httpx.Client(), trusted_issuers=[], clock=fixed_clock)


def test_round_trip_to_a_new_device(tmp_path: Path, issuer_key: KeyPair) -> None:
    old = _filled_wallet(tmp_path, issuer_key)
    count = old.backup(tmp_path / "wallet.bkp", passphrase="backup pw", kdf=CHEAP_KDF)
    assert count == 3  # one credential, one key, one log entry
    with EncryptedStore.open(
        tmp_path / "new.db", passphrase="new device", kdf=CHEAP_KDF
    ) as new_store:
        new = Wallet(store=new_store, http=httpx.Client(), trusted_issuers=[], clock=fixed_clock)
        assert new.restore(tmp_path / "wallet.bkp", passphrase="backup pw") == 3
        assert [c.id for c in new.credentials()] == [c.id for c in old.credentials()]
        assert new.store.holder_keys() == old.store.holder_keys()
        assert [e.event for e in new.log()] == ["received", "restored"]
        # The restored keys work: the new device can present the old credential.
        request = request_for({"credentials": [type_query("i", "InkomensverklaringCredential")]})
        (vp,) = new.present(request).vp_token["i"]
        verify(vp, challenge=request.nonce, domain=request.client_id)
    assert (tmp_path / "wallet.bkp").stat().st_mode & 0o777 == 0o600
    old.store.close()


def test_the_backup_file_reveals_nothing(tmp_path: Path, issuer_key: KeyPair) -> None:
    old = _filled_wallet(tmp_path, issuer_key)
    old.backup(tmp_path / "wallet.bkp", passphrase="pw", kdf=CHEAP_KDF)
    raw = (tmp_path / "wallet.bkp").read_bytes()
    for secret in (b"midden", b"did:key", b"secretKeyMultibase", b"Inkomens"):
        assert secret not in raw


def test_wrong_passphrase(tmp_path: Path, issuer_key: KeyPair) -> None:
    _filled_wallet(tmp_path, issuer_key).backup(tmp_path / "b", passphrase="pw", kdf=CHEAP_KDF)
    with pytest.raises(BackupError) as info:
        read_backup(tmp_path / "b", passphrase="not pw")
    assert info.value.code == "WRONG_PASSPHRASE"


@pytest.mark.parametrize(
    ("where", "code"),
    [(-1, "BACKUP_INTEGRITY_ERROR"), (-40, "BACKUP_INTEGRITY_ERROR"), (40, "BACKUP_FORMAT_ERROR")],
    ids=["last-byte", "payload", "header"],
)
def test_tampering_is_detected(tmp_path: Path, issuer_key: KeyPair, where: int, code: str) -> None:
    path = tmp_path / "b"
    _filled_wallet(tmp_path, issuer_key).backup(path, passphrase="pw", kdf=CHEAP_KDF)
    data = bytearray(path.read_bytes())
    data[where] ^= 0x01
    path.write_bytes(bytes(data))
    with pytest.raises(BackupError) as info:
        read_backup(path, passphrase="pw")
    assert info.value.code == code


def test_a_changed_but_well_formed_header_fails_the_integrity_check(
    tmp_path: Path, issuer_key: KeyPair
) -> None:
    path = tmp_path / "b"
    _filled_wallet(tmp_path, issuer_key).backup(path, passphrase="pw", kdf=CHEAP_KDF)
    data = path.read_bytes().replace(
        b'"created":"2026-01-01T12:00:00Z"', b'"created":"2020-01-01T12:00:00Z"', 1
    )
    path.write_bytes(data)
    with pytest.raises(BackupError) as info:
        read_backup(path, passphrase="pw")
    assert info.value.code == "BACKUP_INTEGRITY_ERROR"


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b"hello",
        b"BLAUWE-KNOP-WALLET-BACKUP\n{\n",
        b"BLAUWE-KNOP-WALLET-BACKUP\n[]\nxx",
        b'BLAUWE-KNOP-WALLET-BACKUP\n{"format": "v9"}\nxx',
    ],
    ids=["empty", "text", "broken-header", "header-not-object", "unknown-version"],
)
def test_not_a_backup(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "b"
    path.write_bytes(content)
    with pytest.raises(BackupError) as info:
        read_backup(path, passphrase="pw")
    assert info.value.code == "BACKUP_FORMAT_ERROR"


def test_a_failed_restore_writes_nothing(tmp_path: Path, issuer_key: KeyPair) -> None:
    path = tmp_path / "b"
    _filled_wallet(tmp_path, issuer_key).backup(path, passphrase="pw", kdf=CHEAP_KDF)
    target = MemoryStore()
    wallet = Wallet(store=target, http=httpx.Client(), trusted_issuers=[])
    with pytest.raises(BackupError):
        wallet.restore(path, passphrase="wrong")
    assert target.dump() == []
