"""The encrypted store: passphrase, integrity of every row, crash safety, search."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import textwrap
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from vc_core import KeyPair
from wallet_sdk.errors import StoreError, WrongPassphraseError
from wallet_sdk.records import ActivityEntry, StoredCredential
from wallet_sdk.store import EncryptedStore, MemoryStore, WalletStore

from .helpers import CHEAP_KDF, INCOME, PERSON, issue, keep

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(params=["encrypted", "memory"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[WalletStore]:
    if request.param == "memory":
        yield MemoryStore()
        return
    with EncryptedStore.open(tmp_path / "w.db", passphrase="geheim", kdf=CHEAP_KDF) as opened:
        yield opened


def _entry(entry_id: str) -> ActivityEntry:
    return ActivityEntry(entry_id, "2026-01-01T12:00:00Z", "received", "https://x.example")


def test_reopen_with_the_same_passphrase_reads_everything(tmp_path: Path) -> None:
    path = tmp_path / "w.db"
    with EncryptedStore.open(path, passphrase="correct horse", kdf=CHEAP_KDF) as store:
        store.append_activity(_entry("a1"))
    with EncryptedStore.open(path, passphrase="correct horse") as store:
        assert [e.id for e in store.activity()] == ["a1"]
    assert (path.stat().st_mode & 0o777) == 0o600


def test_wrong_passphrase_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "w.db"
    EncryptedStore.open(path, passphrase="correct horse", kdf=CHEAP_KDF).close()
    with pytest.raises(WrongPassphraseError) as info:
        EncryptedStore.open(path, passphrase="wrong horse")
    assert info.value.code == "WRONG_PASSPHRASE"


def test_nothing_is_readable_in_the_file(tmp_path: Path, issuer_key: KeyPair) -> None:
    path = tmp_path / "w.db"
    with EncryptedStore.open(path, passphrase="pw", kdf=CHEAP_KDF) as store:
        keep(
            store,
            issue(
                issuer_key,
                "did:key:zholder",
                type_name="PersoonsgegevensCredential",
                subject=PERSON,
            ),
        )
    raw = path.read_bytes()
    for secret in (b"Oudegracht", b"Berg", b"did:key", b"PersoonsgegevensCredential"):
        assert secret not in raw


def test_changed_passphrase_opens_and_old_one_does_not(tmp_path: Path) -> None:
    path = tmp_path / "w.db"
    with EncryptedStore.open(path, passphrase="old", kdf=CHEAP_KDF) as store:
        store.append_activity(_entry("a1"))
        store.change_passphrase("new", kdf=CHEAP_KDF)
    with pytest.raises(WrongPassphraseError):
        EncryptedStore.open(path, passphrase="old")
    with EncryptedStore.open(path, passphrase="new") as store:
        assert len(store.activity()) == 1


def test_not_a_wallet_file(tmp_path: Path) -> None:
    path = tmp_path / "w.db"
    path.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(StoreError) as info:
        EncryptedStore.open(path, passphrase="pw")
    assert info.value.code == "STORE_FORMAT_ERROR"


def test_missing_file_without_create(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        EncryptedStore.open(tmp_path / "none.db", passphrase="pw", create=False)


def _swap(path: Path, sql: str) -> None:
    connection = sqlite3.connect(path)
    connection.executescript(sql)
    connection.commit()
    connection.close()


def test_swapped_rows_fail_their_integrity_check(tmp_path: Path) -> None:
    path = tmp_path / "w.db"
    with EncryptedStore.open(path, passphrase="pw", kdf=CHEAP_KDF) as store:
        store.append_activity(_entry("a1"))
        store.append_activity(_entry("a2"))
    _swap(
        path,
        """
        UPDATE records SET id = 'tmp' WHERE id = 'a1';
        UPDATE records SET id = 'a1' WHERE id = 'a2';
        UPDATE records SET id = 'a2' WHERE id = 'tmp';
        """,
    )
    with EncryptedStore.open(path, passphrase="pw") as store, pytest.raises(StoreError) as info:
        store.activity()
    assert info.value.code == "STORE_INTEGRITY_ERROR"


def test_a_row_moved_to_another_kind_fails(tmp_path: Path, holder_in: Callable[..., str]) -> None:
    path = tmp_path / "w.db"
    with EncryptedStore.open(path, passphrase="pw", kdf=CHEAP_KDF) as store:
        did = holder_in(store)
    _swap(path, f"UPDATE records SET kind = 'pending' WHERE id = '{did}';")
    with EncryptedStore.open(path, passphrase="pw") as store, pytest.raises(StoreError) as info:
        store.pending()
    assert info.value.code == "STORE_INTEGRITY_ERROR"


def test_a_flipped_byte_fails(tmp_path: Path) -> None:
    path = tmp_path / "w.db"
    with EncryptedStore.open(path, passphrase="pw", kdf=CHEAP_KDF) as store:
        store.append_activity(_entry("a1"))
    connection = sqlite3.connect(path)
    (sealed,) = connection.execute("SELECT sealed FROM records").fetchone()
    changed = sealed[:20] + bytes([sealed[20] ^ 0x01]) + sealed[21:]
    connection.execute("UPDATE records SET sealed = ?", (changed,))
    connection.commit()
    connection.close()
    with EncryptedStore.open(path, passphrase="pw") as store, pytest.raises(StoreError):
        store.activity()


def test_an_exception_inside_a_transaction_writes_nothing(store: WalletStore) -> None:
    store.append_activity(_entry("before"))

    def crash_between_writes() -> None:
        with store.transaction():
            store.append_activity(_entry("inside-1"))
            store.append_activity(_entry("inside-2"))
            raise RuntimeError("crash between writes")

    with pytest.raises(RuntimeError):
        crash_between_writes()
    assert [e.id for e in store.activity()] == ["before"]


def test_a_killed_process_leaves_no_half_written_credential(
    tmp_path: Path, issuer_key: KeyPair
) -> None:
    path = tmp_path / "w.db"
    EncryptedStore.open(path, passphrase="pw", kdf=CHEAP_KDF).close()
    script = textwrap.dedent(
        f"""
        import os, signal
        from wallet_sdk.store import EncryptedStore
        from wallet_sdk.records import ActivityEntry, StoredCredential
        from tests.wallet.helpers import issue, keep, INCOME
        from vc_core import KeyPair
        store = EncryptedStore.open({str(path)!r}, passphrase="pw")
        credential = issue(KeyPair.generate("P-256"), "did:key:zholder",
                           type_name="InkomensverklaringCredential", subject=INCOME)
        with store.transaction():
            keep(store, credential)
            os.kill(os.getpid(), signal.SIGKILL)
            store.append_activity(ActivityEntry("never", "2026-01-01T12:00:00Z", "x", "y"))
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=REPO, capture_output=True, check=False
    )
    assert done.returncode == -9, done.stderr.decode()
    with EncryptedStore.open(path, passphrase="pw") as store:
        assert store.credentials() == []
        assert store.activity() == []
        keep(
            store,
            issue(
                issuer_key,
                "did:key:zholder",
                type_name="InkomensverklaringCredential",
                subject=INCOME,
            ),
        )
        assert len(store.credentials()) == 1


def test_search_by_type_issuer_and_claim(store: WalletStore, issuer_key: KeyPair) -> None:
    other = KeyPair.generate("P-256")
    income = keep(
        store,
        issue(issuer_key, "did:key:za", type_name="InkomensverklaringCredential", subject=INCOME),
        credential_issuer="https://issuer.example.nl/belastingdienst",
    )
    person = keep(
        store,
        issue(other, "did:key:zb", type_name="PersoonsgegevensCredential", subject=PERSON),
        credential_issuer="https://issuer.example.nl/brp",
    )

    def ids(found: list[StoredCredential]) -> list[str]:
        return [c.id for c in found]

    assert ids(store.credentials()) == [income.id, person.id]
    assert ids(store.credentials(type="InkomensverklaringCredential")) == [income.id]
    assert ids(
        store.credentials(type="https://issuer.example.nl/ns/nl-vc#PersoonsgegevensCredential")
    ) == [person.id]
    assert ids(store.credentials(issuer="https://issuer.example.nl/brp")) == [person.id]
    assert ids(store.credentials(issuer=income.issuer)) == [income.id]
    assert ids(store.credentials(claim="postcode")) == [person.id]
    assert ids(store.credentials(claim="inkomensklasse", type="PersoonsgegevensCredential")) == []
    store.delete_credential(income.id)
    assert ids(store.credentials()) == [person.id]
    with pytest.raises(StoreError) as info:
        store.get_credential(income.id)
    assert info.value.code == "RECORD_NOT_FOUND"
    with pytest.raises(StoreError):
        store.delete_credential(income.id)


def test_stored_credentials_are_copies(store: WalletStore, issuer_key: KeyPair) -> None:
    stored = keep(
        store,
        issue(issuer_key, "did:key:za", type_name="InkomensverklaringCredential", subject=INCOME),
    )
    fetched = store.get_credential(stored.id)
    fetched.credential["credentialSubject"]["inkomensklasse"] = "hoog"
    assert store.get_credential(stored.id).credential["credentialSubject"]["inkomensklasse"] == (
        "midden"
    )


def test_argon2_parameters_from_a_hostile_file_are_bounded(tmp_path: Path) -> None:
    path = tmp_path / "w.db"
    EncryptedStore.open(path, passphrase="pw", kdf=CHEAP_KDF).close()
    _swap(
        path,
        """UPDATE header SET value = '{"algorithm":"argon2id","iterations":1,"lanes":1,
        "memory_cost":99999999999,"salt":"AAAAAAAAAAAAAAAAAAAAAA=="}' WHERE name = 'kdf';""",
    )
    with pytest.raises(StoreError) as info:
        EncryptedStore.open(path, passphrase="pw")
    assert info.value.code == "STORE_FORMAT_ERROR"
    assert os.path.exists(path)


def test_records_without_a_key_header_are_not_reinitialised(tmp_path: Path) -> None:
    path = tmp_path / "w.db"
    with EncryptedStore.open(path, passphrase="pw", kdf=CHEAP_KDF) as store:
        store.append_activity(_entry("a1"))
    _swap(path, "DELETE FROM header;")
    with pytest.raises(StoreError) as info:
        EncryptedStore.open(path, passphrase="attacker's choice")
    assert info.value.code == "STORE_FORMAT_ERROR"
