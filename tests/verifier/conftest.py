"""Fixtures for the verifier tests: one issuer, holders, their credentials, and a fake web."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

import pytest

from vc_core import KeyPair
from vc_core.types import JsonObject
from vc_verifier import MemoryTransactions, Verifier

from .helpers import (
    CLIENT_ID,
    NOW,
    FakeWeb,
    Holder,
    Issuer,
    income_subject,
    issue,
    publish_issuer,
)


class MovableClock:
    """A clock the test can move forward."""

    def __init__(self, moment: datetime = NOW) -> None:
        self.moment = moment

    def __call__(self) -> datetime:
        return self.moment


@pytest.fixture(scope="session")
def issuer() -> Issuer:
    return Issuer.on_web()


@pytest.fixture(scope="session")
def holder() -> Holder:
    return Holder.new()


@pytest.fixture(scope="session")
def landlord_key() -> KeyPair:
    import dataclasses

    return dataclasses.replace(
        KeyPair.generate("P-256"),
        id="did:web:verhuur.example.nl#key-1",
        controller="did:web:verhuur.example.nl",
    )


@pytest.fixture(scope="session")
def income_base(issuer: Issuer, holder: Holder) -> JsonObject:
    """The holder's income statement with its base proof (the wallet's stored copy)."""
    return issue(issuer, income_subject(holder.did))


@pytest.fixture
def web(issuer: Issuer) -> FakeWeb:
    fake = FakeWeb()
    publish_issuer(fake, issuer)
    return fake


@pytest.fixture
def clock() -> MovableClock:
    return MovableClock()


@pytest.fixture
def make_verifier(
    issuer: Issuer, landlord_key: KeyPair, web: FakeWeb, clock: MovableClock
) -> Callable[..., Verifier]:
    def make(**options: Any) -> Verifier:
        settings: dict[str, Any] = {
            "client_id": CLIENT_ID,
            "signing_key": landlord_key,
            "trusted_issuers": {issuer.did: ["InkomensverklaringCredential"]},
            "transactions": MemoryTransactions(),
            "fetch": web,
            "clock": clock,
        }
        settings.update(options)
        return Verifier(**settings)

    return make


@pytest.fixture
def verifier(make_verifier: Callable[..., Verifier]) -> Verifier:
    return make_verifier()
