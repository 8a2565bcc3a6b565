"""Transaction stores: single use, expiry, polling status; SQLite across threads and instances."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from vc_core.errors import VerificationError
from vc_verifier import (
    MemoryTransactions,
    SqliteTransactions,
    Transaction,
    TransactionReplayError,
    TransactionStatus,
    TransactionStore,
    UnknownTransactionError,
)
from vc_verifier.openid4vp import new_transaction

from .helpers import CLIENT_ID, NOW

QUERY = {
    "credentials": [
        {
            "id": "inkomen",
            "format": "ldp_vc",
            "meta": {"type_values": [["https://www.w3.org/2018/credentials#VerifiableCredential"]]},
        }
    ]
}


def _transaction(ttl: timedelta = timedelta(minutes=5)) -> Transaction:
    return new_transaction(
        QUERY,
        client_id=CLIENT_ID,
        response_uri="https://verhuur.example.nl/oid4vp/response",
        request_uri=None,
        purpose="test",
        client_metadata={},
        now=NOW,
        ttl=ttl,
    )


@pytest.fixture(params=["memory", "sqlite"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[TransactionStore]:
    if request.param == "memory":
        yield MemoryTransactions()
    else:
        sqlite = SqliteTransactions(tmp_path / "rp.db")
        yield sqlite
        sqlite.close()


def test_round_trip_and_single_use(store: TransactionStore) -> None:
    tx = _transaction()
    store.add(tx)
    assert store.get(tx.id) == tx
    assert store.live_by_request_id(tx.request_id, now=NOW) == tx
    assert store.status(tx.id, now=NOW) == TransactionStatus(tx.id, "pending")
    assert store.consume(tx.state, now=NOW) == tx
    assert store.status(tx.id, now=NOW).status == "processing"  # type: ignore[union-attr]
    assert store.live_by_request_id(tx.request_id, now=NOW) is None
    with pytest.raises(TransactionReplayError) as caught:
        store.consume(tx.state, now=NOW)
    assert caught.value.code == "TRANSACTION_REPLAY"
    done = TransactionStatus(tx.id, "verified", result={"meets": True}, updated_at=NOW)
    store.finish(done)
    assert store.status(tx.id, now=NOW) == done


def test_unknown_and_expired(store: TransactionStore) -> None:
    tx = _transaction(ttl=timedelta(seconds=10))
    store.add(tx)
    with pytest.raises(UnknownTransactionError) as unknown:
        store.consume("nope", now=NOW)
    assert unknown.value.code == "UNKNOWN_TRANSACTION"
    later = NOW + timedelta(seconds=10)
    assert store.live_by_request_id(tx.request_id, now=later) is None
    with pytest.raises(UnknownTransactionError) as expired:
        store.consume(tx.state, now=later)
    assert expired.value.code == "TRANSACTION_EXPIRED"
    assert store.status(tx.id, now=later).status == "expired"  # type: ignore[union-attr]
    assert store.status("nope", now=NOW) is None


def test_ids_must_be_fresh_and_finish_needs_consume(store: TransactionStore) -> None:
    tx = _transaction()
    store.add(tx)
    with pytest.raises(ValueError, match="fresh"):
        store.add(tx)
    with pytest.raises(ValueError, match="consumed"):
        store.finish(TransactionStatus(tx.id, "verified"))


def test_purge(store: TransactionStore) -> None:
    old, new = _transaction(ttl=timedelta(seconds=1)), _transaction(ttl=timedelta(hours=1))
    store.add(old)
    store.add(new)
    assert store.purge(before=NOW + timedelta(minutes=1)) == 1
    assert store.get(old.id) is None
    assert store.get(new.id) == new


def test_concurrent_consume_has_one_winner(store: TransactionStore) -> None:
    tx = _transaction()
    store.add(tx)
    results: list[str] = []
    barrier = threading.Barrier(8)

    def attempt() -> None:
        barrier.wait()
        try:
            store.consume(tx.state, now=NOW)
            results.append("won")
        except VerificationError as exc:
            results.append(str(exc.code))

    threads = [threading.Thread(target=attempt) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == ["TRANSACTION_REPLAY"] * 7 + ["won"]


def test_sqlite_is_shared_between_instances(tmp_path: Path) -> None:
    """Two workers with their own connection to one file see one single-use state."""
    path = tmp_path / "rp.db"
    first, second = SqliteTransactions(path), SqliteTransactions(str(path))
    tx = _transaction()
    first.add(tx)
    assert second.get(tx.id) == tx
    second.consume(tx.state, now=NOW)
    with pytest.raises(TransactionReplayError):
        first.consume(tx.state, now=NOW)
    second.finish(TransactionStatus(tx.id, "rejected", problems=("PARSING_ERROR",)))
    assert first.status(tx.id, now=NOW).problems == ("PARSING_ERROR",)  # type: ignore[union-attr]
    first.close()
    second.close()


def test_sqlite_needs_aware_datetimes(tmp_path: Path) -> None:
    store = SqliteTransactions(tmp_path / "rp.db")
    with pytest.raises(ValueError, match="aware"):
        store.consume("x", now=NOW.replace(tzinfo=None))
    store.close()


def test_transaction_json_round_trip() -> None:
    tx = _transaction()
    assert Transaction.from_json(tx.to_json()) == tx
