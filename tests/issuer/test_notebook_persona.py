"""The notebook persona (docs/architecture.md): the wallet SDK against the in-process issuer app.

Also runs the docstring examples of the issuer modules (the repository's
doctest run does not collect ``vc_issuer``).
"""

from __future__ import annotations

import doctest
import importlib

import pytest
from fastapi.testclient import TestClient

from vc_issuer.issuer import Issuer
from vc_issuer.settings import IssuerSettings
from vc_issuer.web import create_app
from wallet_sdk import MemoryStore, Wallet

from .support import BASE_URL


def test_wallet_sdk_receives_from_every_source_offline() -> None:
    settings = IssuerSettings.demo(demo_people=20)
    issuer = Issuer.from_settings(settings)
    with TestClient(create_app(issuer), base_url=BASE_URL) as http:
        wallet = Wallet(store=MemoryStore(), http=http, trusted_issuers=settings.issuer_dids())
        for source in settings.sources:
            offer = wallet.parse_offer(issuer.demo_offer(source))
            stored = wallet.accept_offer(offer, tx_code="000000", copies=2)
            assert len(stored) == 2
        assert len(wallet.credentials()) == 8


@pytest.mark.parametrize("module", ["vc_issuer", "vc_issuer.settings", "vc_issuer.issuer"])
def test_docstring_examples_run(module: str) -> None:
    result = doctest.testmod(importlib.import_module(module), optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0
    assert result.failed == 0


def test_public_exports_are_pinned() -> None:
    import vc_issuer

    assert vc_issuer.__all__ == ["CreatedOffer", "Issuer", "IssuerSettings", "PlusService"]
