"""Wallet test fixtures."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from fastapi.testclient import TestClient

from vc_core import KeyPair
from vc_issuer.issuer import Issuer
from vc_issuer.settings import IssuerSettings
from vc_issuer.web import create_app
from wallet_sdk.keys import HolderKeys
from wallet_sdk.store import WalletStore

from .helpers import BASE


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


@pytest.fixture(scope="module")
def issuer() -> Issuer:
    """The demo issuer, one per test module."""
    return Issuer.from_settings(IssuerSettings.demo())


@pytest.fixture(scope="module")
def client(issuer: Issuer) -> Iterator[TestClient]:
    """The issuer app in-process, at the public base URL."""
    with TestClient(create_app(issuer), base_url=BASE) as test_client:
        yield test_client
