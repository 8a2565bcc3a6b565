"""Aggregated export (Basis 2.0), the activity log, QR images and the module doctests."""

from __future__ import annotations

import doctest
import io
import json
from pathlib import Path

import httpx
import pytest
import qrcode

from vc_core import KeyPair, verify
from vc_core.errors import InvalidDomainError
from wallet_sdk import (
    EXPORT_DOMAIN,
    MemoryStore,
    Wallet,
    activity,
    dcql,
    metadata,
    offers,
    store,
    trust,
    wallet,
)
from wallet_sdk.keys import HolderKeys
from wallet_sdk.qr_image import QrImageError, decode_qr_image

from .helpers import INCOME, PERSON, fixed_clock, issue, keep


def _holder(target: MemoryStore) -> str:
    keys = HolderKeys(target)
    key = keys.new()
    keys.save(key)
    assert key.controller is not None
    return key.controller


def test_export_bundles_several_sources_verifiable_by_anyone(issuer_key: KeyPair) -> None:
    target = MemoryStore()
    register = KeyPair.generate("P-256")
    income = keep(
        target,
        issue(
            issuer_key, _holder(target), type_name="InkomensverklaringCredential", subject=INCOME
        ),
    )
    person = keep(
        target,
        issue(register, _holder(target), type_name="PersoonsgegevensCredential", subject=PERSON),
    )
    holder = Wallet(store=target, http=httpx.Client(), trusted_issuers=[], clock=fixed_clock)
    exported = json.loads(json.dumps(holder.export([income.id, person.id])))

    verified = verify(exported, domain=EXPORT_DOMAIN, expected_proof_purpose="authentication")
    assert len(verified.proofs) == 2  # one proof per holder key
    assert "holder" not in exported
    for shown, stored in zip(exported["verifiableCredential"], (income, person), strict=True):
        assert shown["proof"]["proofValue"].startswith("u2V0B")  # never the base proof
        content = {k: v for k, v in stored.credential.items() if k != "proof"}
        assert verify(shown).document == content  # every claim, as issued
    with pytest.raises(InvalidDomainError):
        verify(exported, domain="decentralized_identifier:did:web:verhuur.example.nl")
    assert holder.log()[-1].event == "exported"


def test_one_credential_export_names_its_holder(issuer_key: KeyPair) -> None:
    target = MemoryStore()
    income = keep(
        target,
        issue(
            issuer_key, _holder(target), type_name="InkomensverklaringCredential", subject=INCOME
        ),
    )
    exported = Wallet(store=target, http=httpx.Client(), trusted_issuers=[]).export([income.id])
    assert exported["holder"] == income.holder
    with pytest.raises(ValueError, match="at least one"):
        Wallet(store=target, http=httpx.Client(), trusted_issuers=[]).export([])


def test_the_log_exports_as_json(issuer_key: KeyPair) -> None:
    target = MemoryStore()
    income = keep(
        target,
        issue(
            issuer_key, _holder(target), type_name="InkomensverklaringCredential", subject=INCOME
        ),
    )
    holder = Wallet(store=target, http=httpx.Client(), trusted_issuers=[], clock=fixed_clock)
    holder.delete(income.id)
    document = json.loads(holder.export_log())
    assert document["format"] == "blauwe-knop-activity/1"
    assert document["exported"] == "2026-01-01T12:00:00Z"
    (entry,) = document["entries"]
    assert (entry["event"], entry["credential_ids"]) == ("deleted", [income.id])
    assert holder.credentials() == []


def _png(text: str) -> bytes:
    buffer = io.BytesIO()
    qrcode.make(text).save(buffer, format="PNG")
    return buffer.getvalue()


def test_qr_images_decode(tmp_path: Path) -> None:
    text = "openid-credential-offer://?credential_offer_uri=https%3A%2F%2Fissuer.example.nl%2Fx"
    path = tmp_path / "offer.png"
    path.write_bytes(_png(text))
    assert decode_qr_image(path) == text
    assert decode_qr_image(_png(text)) == text


@pytest.mark.parametrize("content", [b"not an image", b""], ids=["garbage", "empty"])
def test_unreadable_images(content: bytes) -> None:
    with pytest.raises(QrImageError) as info:
        decode_qr_image(content)
    assert info.value.code == "QR_IMAGE_ERROR"


def test_an_image_without_a_qr_code() -> None:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (100, 100), "white").save(buffer, format="PNG")
    with pytest.raises(QrImageError, match="found 0"):
        decode_qr_image(buffer.getvalue())


@pytest.mark.parametrize(
    "module",
    [activity, dcql, metadata, offers, store, trust, wallet],
    ids=lambda m: m.__name__,
)
def test_docstring_examples_run(module: object) -> None:
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)  # type: ignore[arg-type]
    assert result.attempted > 0
    assert result.failed == 0
