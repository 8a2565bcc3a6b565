"""Wallet test fixtures."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from vc_core import KeyPair
from wallet_sdk.keys import HolderKeys
from wallet_sdk.store import WalletStore


@pytest.fixture(scope="session")
def issuer_key() -> KeyPair:
    return KeyPair.generate("P-256")


@pytest.fixture
def holder_in() -> Callable[[WalletStore], str]:
    """Make and save a fresh P-256 holder key in a store; return its DID."""

    def make(store: WalletStore) -> str:
        keys = HolderKeys(store)
        key = keys.new("P-256")
        keys.save(key)
        assert key.controller is not None
        return key.controller

    return make
