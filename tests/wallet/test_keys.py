"""Holder keys: did:key pairs kept in the store, P-256 by default, Ed25519 on request."""

from __future__ import annotations

import pytest

from vc_core import KeyPair
from vc_core.did import did_key
from wallet_sdk import MemoryStore
from wallet_sdk.errors import StoreError
from wallet_sdk.keys import HolderKeys


@pytest.mark.parametrize(
    ("curve", "prefix"), [("P-256", "did:key:zDn"), ("Ed25519", "did:key:z6Mk")]
)
def test_a_key_round_trips_through_the_store(curve: str, prefix: str) -> None:
    store = MemoryStore()
    keys = HolderKeys(store)
    key = keys.new(curve)  # type: ignore[arg-type]
    assert key.controller is not None
    assert key.controller.startswith(prefix)
    assert key.id == f"{key.controller}#{key.public.multibase}"
    assert store.holder_keys() == []  # nothing is kept until saved
    keys.save(key)
    loaded = keys.get(key.controller)
    assert (loaded.id, loaded.controller, loaded.secret_bytes) == (
        key.id,
        key.controller,
        key.secret_bytes,
    )


def test_every_new_key_is_fresh_and_generation_is_injectable() -> None:
    fixed = KeyPair.from_secret_bytes("P-256", bytes(range(1, 33)))
    keys = HolderKeys(MemoryStore(), generate=lambda curve: fixed)
    assert keys.new().controller == did_key(fixed)
    random_keys = HolderKeys(MemoryStore())
    assert random_keys.new().controller != random_keys.new().controller


def test_misuse_and_unknown_keys() -> None:
    keys = HolderKeys(MemoryStore())
    with pytest.raises(ValueError, match="P-256 or Ed25519"):
        keys.new("P-384")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match=r"HolderKeys\.new"):
        keys.save(KeyPair.generate())
    with pytest.raises(StoreError) as info:
        keys.get("did:key:zDnaeunknown")
    assert info.value.code == "RECORD_NOT_FOUND"
