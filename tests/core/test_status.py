"""Bitstring Status List codec: the spec example, bit order, limits, gzip bombs, index strings."""

from __future__ import annotations

import gzip
import time

import pytest
from hypothesis import given
from hypothesis import strategies as st

from vc_core._multibase import encode_base64url
from vc_core.errors import StatusListError
from vc_core.status import (
    MIN_ENTRIES,
    StatusList,
    decode_list,
    encode_list,
    get_status,
    parse_status_list_index,
    set_status,
)

# docs/protocols.md, "Status list credential": 131 072 entries, only index 94567 set.
EXAMPLE = "uH4sIAAAAAAACA-3QAQ0AAAwCIO1f2hz_IAIJAAAAAAAAAAAAAADfVAEAAADAOQNQdb5gAEAAAA"
EXAMPLE_INDEX = 94567


def _set_bits(bits: bytes) -> list[int]:
    return [i for i in range(len(bits) * 8) if bits[i // 8] >> (7 - i % 8) & 1]


def test_decode_spec_example() -> None:
    bits = decode_list(EXAMPLE)
    assert len(bits) == 16_384
    assert _set_bits(bits) == [EXAMPLE_INDEX]
    assert get_status(bits, EXAMPLE_INDEX) == 1
    assert get_status(bits, EXAMPLE_INDEX - 1) == 0


def test_encode_reproduces_spec_example() -> None:
    bits = bytearray(16_384)
    set_status(bits, EXAMPLE_INDEX, 1)
    assert encode_list(bytes(bits)) == EXAMPLE
    assert StatusList.new().with_status(EXAMPLE_INDEX, 1).encode() == EXAMPLE


def test_other_gzip_header_decodes_to_same_bits() -> None:
    """P20: the W3C example's gzip header (XFL 0) differs; the bits do not."""
    w3c_style = "uH4sIAAAAAAAAA" + EXAMPLE[len("uH4sIAAAAAAACA") :]
    assert decode_list(w3c_style) == decode_list(EXAMPLE)


def test_status_list_decode_example() -> None:
    status_list = StatusList.decode(EXAMPLE)
    assert status_list.entries == MIN_ENTRIES
    assert status_list.get(EXAMPLE_INDEX) == 1
    assert status_list.with_status(EXAMPLE_INDEX, 0) == StatusList.new()


def test_bit_order_is_msb_first() -> None:
    bits = bytearray(2)
    set_status(bits, 0, 1)
    assert bits == b"\x80\x00"
    set_status(bits, 7, 1)
    assert bits == b"\x81\x00"
    set_status(bits, 8, 1)
    assert bits == b"\x81\x80"
    set_status(bits, 0, 0)
    assert bits == b"\x01\x80"


def test_multi_bit_status_order() -> None:
    bits = bytearray(1)
    set_status(bits, 1, 0b10, size=2)
    assert bits == b"\x20"
    assert get_status(bytes(bits), 1, size=2) == 0b10
    set_status(bits, 3, 0b01, size=2)
    assert bits == b"\x21"
    assert [get_status(bytes(bits), i, size=2) for i in range(4)] == [0, 2, 0, 1]


@pytest.mark.parametrize(
    ("index", "size"),
    [(16, 1), (-1, 1), (8, 2), (5, 3)],
    ids=["end", "negative", "size-2", "size-3"],
)
def test_get_status_out_of_range(index: int, size: int) -> None:
    with pytest.raises(StatusListError) as info:
        get_status(bytes(2), index, size=size)
    assert info.value.code == "RANGE_ERROR"


def test_status_list_get_out_of_range() -> None:
    with pytest.raises(StatusListError) as info:
        StatusList.decode(EXAMPLE).get(MIN_ENTRIES)
    assert info.value.code == "RANGE_ERROR"


@pytest.mark.parametrize(
    ("index", "value", "size"), [(16, 1, 1), (-1, 1, 1), (0, 2, 1), (0, 4, 2), (0, -1, 1)]
)
def test_set_status_refuses(index: int, value: int, size: int) -> None:
    with pytest.raises(ValueError, match=r"outside|fit"):
        set_status(bytearray(2), index, value, size=size)


def test_too_short_list() -> None:
    short = encode_list(bytes(MIN_ENTRIES // 8 - 1))
    with pytest.raises(StatusListError) as info:
        StatusList.decode(short)
    assert info.value.code == "STATUS_LIST_LENGTH_ERROR"


def test_length_counts_entries_not_bits() -> None:
    full = StatusList.new().encode()
    assert StatusList.decode(full).entries == MIN_ENTRIES
    with pytest.raises(StatusListError) as info:
        StatusList.decode(full, size=2)
    assert info.value.code == "STATUS_LIST_LENGTH_ERROR"
    assert StatusList.new(size=2).entries == MIN_ENTRIES


def test_new_refuses_short_lists_and_bad_sizes() -> None:
    with pytest.raises(ValueError, match="at least"):
        StatusList.new(MIN_ENTRIES - 1)
    with pytest.raises(ValueError, match="statusSize"):
        StatusList(bytes(16), 0)


def test_gzip_bomb_refused_fast() -> None:
    bomb = encode_base64url(gzip.compress(bytes(100 * 2**20)))
    start = time.perf_counter()
    with pytest.raises(StatusListError, match="expands beyond") as info:
        decode_list(bomb)
    assert time.perf_counter() - start < 1.0
    assert info.value.code == "STATUS_VERIFICATION_ERROR"


def test_output_of_exactly_max_bytes_is_accepted() -> None:
    assert decode_list(encode_list(bytes(1024)), max_bytes=1024) == bytes(1024)
    with pytest.raises(StatusListError, match="expands beyond"):
        decode_list(encode_list(bytes(1025)), max_bytes=1024)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (EXAMPLE[1:], "prefix 'u'"),
        ("z" + EXAMPLE[1:], "prefix 'u'"),
        (None, "prefix 'u'"),
        ("uH4sI+AAA", "not base64url"),
        (EXAMPLE + "==", "not base64url"),
        (encode_base64url(b"plain bytes"), "not valid GZIP"),
        (encode_base64url(gzip.compress(bytes(100))[:-6]), "truncated"),
        (encode_base64url(gzip.compress(b"a") + gzip.compress(b"b")), "after the GZIP"),
        (encode_base64url(b"x\x9c" + gzip.compress(b"a")[10:]), "not valid GZIP"),
    ],
    ids=[
        "no-prefix",
        "base58-prefix",
        "not-a-string",
        "bad-base64",
        "padded",
        "not-gzip",
        "truncated",
        "two-members",
        "zlib-header",
    ],
)
def test_decode_list_refuses(value: str, message: str) -> None:
    with pytest.raises(StatusListError, match=message) as info:
        decode_list(value)
    assert info.value.code == "STATUS_VERIFICATION_ERROR"


@pytest.mark.parametrize(("value", "expected"), [("0", 0), ("94567", 94567), ("007", 7)])
def test_parse_status_list_index(value: str, expected: int) -> None:
    assert parse_status_list_index(value) == expected


@pytest.mark.parametrize(
    "value",
    ["-1", " 5", "5 ", "+5", "1e3", "5\n", "", "٣", "0x10", "1_000", 5, 5.0, None, True],
    ids=[
        "negative",
        "leading-space",
        "trailing-space",
        "plus",
        "exponent",
        "newline",
        "empty",
        "arabic-digit",
        "hex",
        "underscore",
        "int",
        "float",
        "null",
        "bool",
    ],
)
def test_parse_status_list_index_refuses(value: object) -> None:
    with pytest.raises(StatusListError) as info:
        parse_status_list_index(value)
    assert info.value.code == "STATUS_VERIFICATION_ERROR"


def test_parse_status_list_index_huge_is_range_error() -> None:
    with pytest.raises(StatusListError) as info:
        parse_status_list_index("9" * 5000)
    assert info.value.code == "RANGE_ERROR"


@given(st.binary(max_size=4096))
def test_codec_round_trip(bits: bytes) -> None:
    encoded = encode_list(bits)
    assert encoded.startswith("u")
    assert "=" not in encoded
    assert decode_list(encoded) == bits


@given(
    st.integers(min_value=1, max_value=8).flatmap(
        lambda size: st.tuples(
            st.just(size),
            st.lists(st.tuples(st.integers(0, 63), st.integers(0, 2**size - 1)), max_size=20),
        )
    )
)
def test_set_then_get_round_trip(case: tuple[int, list[tuple[int, int]]]) -> None:
    size, writes = case
    bits = bytearray(64 * size // 8)
    expected = dict.fromkeys(range(64), 0)
    for index, value in writes:
        set_status(bits, index, value, size=size)
        expected[index] = value
    assert {i: get_status(bytes(bits), i, size=size) for i in range(64)} == expected
