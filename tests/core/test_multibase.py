"""The multibase/multicodec adapter, cross-checked against the multiformats package."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from multiformats import multibase, varint

from vc_core._multibase import (
    codec_name,
    decode_base58btc,
    decode_base64url,
    decode_base64url_canonical,
    decode_base64url_nopad,
    encode_base58btc,
    encode_base64url,
    multicodec_unwrap,
    multicodec_wrap,
)


@given(st.binary(max_size=120), st.integers(min_value=0, max_value=4))
def test_base58btc_matches_multiformats(data: bytes, zeros: int) -> None:
    value = b"\x00" * zeros + data
    encoded = encode_base58btc(value)
    assert encoded == multibase.encode(value, "base58btc")
    assert decode_base58btc(encoded) == value


@given(st.binary(max_size=120))
def test_base64url_matches_multiformats(data: bytes) -> None:
    encoded = encode_base64url(data)
    assert encoded == multibase.encode(data, "base64url")
    assert decode_base64url(encoded) == data


@given(st.integers(min_value=0, max_value=2**63 - 1), st.binary(max_size=8))
def test_multicodec_varint_matches_multiformats(code: int, raw: bytes) -> None:
    wrapped = multicodec_wrap(code, raw)
    assert wrapped == varint.encode(code) + raw
    assert multicodec_unwrap(wrapped) == (code, raw)


def test_known_multikey_headers() -> None:
    assert multicodec_wrap(0x1200, b"").hex() == "8024"
    assert multicodec_wrap(0x1201, b"").hex() == "8124"
    assert multicodec_wrap(0xED, b"").hex() == "ed01"
    assert multicodec_wrap(0x1306, b"").hex() == "8626"
    assert codec_name(0x1200) == "p256-pub"


@pytest.mark.parametrize(
    "value",
    ["", "Dnae", "z0OIl", "zDn ae", "uAAAA"],
    ids=["empty", "no-prefix", "bad-alphabet", "space", "base64-prefix"],
)
def test_decode_base58btc_refuses(value: str) -> None:
    with pytest.raises(ValueError, match=r"base58btc"):
        decode_base58btc(value)


@pytest.mark.parametrize(
    "value",
    ["AAAA", "uAA+A", "uAA/A", "uAAA=", "uA", "u AA"],
    ids=["no-prefix", "plus", "slash", "padding", "impossible-length", "space"],
)
def test_decode_base64url_refuses(value: str) -> None:
    with pytest.raises(ValueError, match=r"base64url"):
        decode_base64url(value)


def test_decode_base64url_nopad_plain() -> None:
    assert decode_base64url_nopad("_-8") == b"\xff\xef"


@pytest.mark.parametrize(
    "data",
    [b"", b"\x80", b"\xff" * 9 + b"\x01", b"\x80\x00"],
    ids=["empty", "truncated", "overlong", "not-minimal"],
)
def test_multicodec_unwrap_refuses(data: bytes) -> None:
    with pytest.raises(ValueError, match=r"varint"):
        multicodec_unwrap(data)


def test_codec_name_unregistered() -> None:
    with pytest.raises(ValueError, match=r"unregistered"):
        codec_name(0x7777777)


@given(st.binary(max_size=40))
def test_canonical_base64url_round_trips(data: bytes) -> None:
    encoded = encode_base64url(data)[1:]
    assert decode_base64url_canonical(encoded) == data


@pytest.mark.parametrize("value", ["QR", "QUF", "QUJ", "AB", "QUFBQQ="])
def test_non_canonical_base64url_is_refused(value: str) -> None:
    # "QQ" and "QUE" are the canonical texts of b"A" and b"AA"; these differ only in unused bits.
    with pytest.raises(ValueError):  # noqa: PT011
        decode_base64url_canonical(value)
    assert decode_base64url_canonical("QQ") == b"A"
