"""Bitstring Status List: the ``encodedList`` codec and bit access.

Bit 0 is the most significant bit of byte 0 (PROTOCOLS.md P18). Lists are
at least 131 072 entries (P19), ``encodedList`` is multibase base64url of a
GZIP stream (the ``u`` prefix is required, P21), and expansion is capped so
a gzip bomb is refused without inflating it.
"""

from __future__ import annotations

import gzip
import re
import zlib
from dataclasses import dataclass

from vc_core._multibase import decode_base64url, encode_base64url
from vc_core.errors import StatusListError

__all__ = [
    "MAX_LIST_BYTES",
    "MIN_ENTRIES",
    "StatusList",
    "decode_list",
    "encode_list",
    "get_status",
    "parse_status_list_index",
    "set_status",
]

MIN_ENTRIES = 131_072
"""The spec minimum number of entries (16 KiB at statusSize 1)."""
MAX_LIST_BYTES = 16 * 2**20
"""Default cap on an expanded list (16 MiB)."""

_GZIP_WBITS = 16 + zlib.MAX_WBITS  # gzip header and trailer, 32 KiB window
_INDEX_DIGITS = re.compile(r"[0-9]+")
# Implementation note: an index longer than this is out of range for any list
# we would accept, and int() on huge digit strings is slow (or refused).
_MAX_INDEX_DIGITS = 20


def encode_list(bits: bytes) -> str:
    """Compress a bitstring into an ``encodedList`` value (``u`` + base64url, no padding).

    Python's gzip output (``mtime=0``) is deterministic, but its header differs
    from other implementations': compare expanded bytes, not strings (P20).

    Spec: vc-bitstring-status-list#bitstring-generation-algorithm
    """
    # Step 1: the bitstring (caller-built, zero-initialised, at least 16 KiB).
    # Step 2: bits of revoked/suspended credentials are already set by the caller.
    # Step 3: GZIP, then multibase base64url without padding.
    # Step 4: return the compressed bitstring.
    return encode_base64url(gzip.compress(bits, mtime=0))


def _gunzip_bounded(data: bytes, max_bytes: int) -> bytes:
    """Inflate one gzip member, refusing more than ``max_bytes`` of output."""
    inflater = zlib.decompressobj(_GZIP_WBITS)
    try:
        expanded = inflater.decompress(data, max_bytes + 1)
    except zlib.error as exc:
        raise StatusListError(f"encodedList is not valid GZIP: {exc}") from exc
    if len(expanded) > max_bytes:
        raise StatusListError(f"encodedList expands beyond {max_bytes} bytes; refused")
    if not inflater.eof:
        raise StatusListError("encodedList GZIP stream is truncated")
    if inflater.unused_data:
        raise StatusListError("encodedList has data after the GZIP stream")
    return expanded


def decode_list(value: str, *, max_bytes: int = MAX_LIST_BYTES) -> bytes:
    """Expand an untrusted ``encodedList`` value into the raw bitstring.

    Raises ``StatusListError`` (``STATUS_VERIFICATION_ERROR``) when the ``u``
    prefix is missing, the base64url or GZIP is malformed, or the output would
    exceed ``max_bytes``.

    Spec: vc-bitstring-status-list#bitstring-expansion-algorithm
    """
    # Step 1: the compressed bitstring; multibase base64url ("u") is required.
    if not isinstance(value, str) or not value.startswith("u"):
        raise StatusListError("encodedList must be multibase base64url (prefix 'u')")
    # Step 2: base64url-decode, then GZIP-expand (bounded).
    try:
        compressed = decode_base64url(value)
    except ValueError as exc:
        raise StatusListError(f"encodedList is not base64url: {exc}") from exc
    # Step 3: return the expanded bitstring.
    return _gunzip_bounded(compressed, max_bytes)


def _check_size(size: int) -> None:
    if not isinstance(size, int) or isinstance(size, bool) or size < 1:
        raise ValueError(f"statusSize must be a positive int, got {size!r}")


def get_status(bits: bytes, index: int, *, size: int = 1) -> int:
    """Read the ``size``-bit status at ``index`` (bit 0 = MSB of byte 0).

    Raises ``StatusListError`` (``RANGE_ERROR``) when the entry lies outside the list.
    """
    _check_size(size)
    first = index * size
    if index < 0 or first + size > len(bits) * 8:
        raise StatusListError(
            f"status index {index} is outside a list of {len(bits) * 8 // size} entries",
            code="RANGE_ERROR",
        )
    value = 0
    for position in range(first, first + size):
        value = (value << 1) | ((bits[position >> 3] >> (7 - (position & 7))) & 1)
    return value


def set_status(bits: bytearray, index: int, value: int, *, size: int = 1) -> None:
    """Write ``value`` as the ``size``-bit status at ``index`` (issuer side, trusted).

    Raises ``ValueError`` for an index outside the list or a value that does not fit.
    """
    _check_size(size)
    first = index * size
    if index < 0 or first + size > len(bits) * 8:
        raise ValueError(f"status index {index} is outside the list")
    if not 0 <= value < 2**size:
        raise ValueError(f"status value {value} does not fit in {size} bit(s)")
    for offset in range(size):
        position = first + offset
        mask = 0x80 >> (position & 7)
        if (value >> (size - 1 - offset)) & 1:
            bits[position >> 3] |= mask
        else:
            bits[position >> 3] &= ~mask & 0xFF


def parse_status_list_index(value: object) -> int:
    """Parse an untrusted ``statusListIndex``: a string of base-10 digits only (P22).

    Signs, spaces, exponents, non-ASCII digits and JSON numbers are refused
    with ``StatusListError`` (``STATUS_VERIFICATION_ERROR``).
    """
    if not isinstance(value, str) or _INDEX_DIGITS.fullmatch(value) is None:
        raise StatusListError(f"statusListIndex must be a string of digits, got {value!r}")
    if len(value) > _MAX_INDEX_DIGITS:
        raise StatusListError(f"statusListIndex {value[:24]}… is out of range", code="RANGE_ERROR")
    return int(value)


@dataclass(frozen=True, slots=True)
class StatusList:
    """An expanded status bitstring with its ``statusSize`` (bits per entry)."""

    bits: bytes
    size: int = 1

    def __post_init__(self) -> None:
        _check_size(self.size)

    @classmethod
    def new(cls, entries: int = MIN_ENTRIES, *, size: int = 1) -> StatusList:
        """Return an all-zero list of ``entries`` entries (at least the spec minimum)."""
        _check_size(size)
        if entries < MIN_ENTRIES:
            raise ValueError(f"a status list has at least {MIN_ENTRIES} entries")
        return cls(bytes(-(-entries * size // 8)), size)

    @classmethod
    def decode(cls, encoded: str, *, size: int = 1) -> StatusList:
        """Expand an untrusted ``encodedList`` and check the minimum length.

        Raises ``StatusListError``: ``STATUS_VERIFICATION_ERROR`` for a bad
        encoding, ``STATUS_LIST_LENGTH_ERROR`` for fewer than 131 072 entries.
        """
        _check_size(size)
        bits = decode_list(encoded)
        if len(bits) * 8 < MIN_ENTRIES * size:
            raise StatusListError(
                f"status list has {len(bits) * 8 // size} entries, fewer than {MIN_ENTRIES}",
                code="STATUS_LIST_LENGTH_ERROR",
            )
        return cls(bits, size)

    @property
    def entries(self) -> int:
        """How many ``size``-bit entries the list holds."""
        return len(self.bits) * 8 // self.size

    def get(self, index: int) -> int:
        """Return the status at ``index``; ``StatusListError`` (``RANGE_ERROR``) if outside."""
        return get_status(self.bits, index, size=self.size)

    def with_status(self, index: int, value: int) -> StatusList:
        """Return a copy of this list with the status at ``index`` set to ``value``."""
        bits = bytearray(self.bits)
        set_status(bits, index, value, size=self.size)
        return StatusList(bytes(bits), self.size)

    def encode(self) -> str:
        """Return the ``encodedList`` value of this list."""
        return encode_list(self.bits)
