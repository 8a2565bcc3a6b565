"""Bounded inflation of status lists: one complete stream, never more than a cap."""

from __future__ import annotations

import zlib

from vc_core.errors import StatusListError

__all__ = ["GZIP", "ZLIB", "inflate_bounded"]

GZIP = 16 + zlib.MAX_WBITS
"""``wbits`` for a gzip member (Bitstring Status List)."""
ZLIB = zlib.MAX_WBITS
"""``wbits`` for a ZLIB stream (Token Status List)."""


def inflate_bounded(compressed: bytes, *, wbits: int, max_bytes: int, what: str) -> bytes:
    """Inflate one complete stream of ``compressed``, refusing more than ``max_bytes`` of output.

    A decompression bomb is refused after ``max_bytes + 1`` bytes, without
    inflating the rest. Raises ``StatusListError`` (``STATUS_VERIFICATION_ERROR``)
    naming ``what`` for a malformed, truncated, oversized or trailing stream.
    """
    kind = "GZIP" if wbits == GZIP else "ZLIB"
    inflater = zlib.decompressobj(wbits)
    try:
        expanded = inflater.decompress(compressed, max_bytes + 1)
    except zlib.error as exc:
        raise StatusListError(f"{what} is not valid {kind}: {exc}") from exc
    if len(expanded) > max_bytes:
        raise StatusListError(f"{what} expands beyond {max_bytes} bytes; refused")
    if not inflater.eof:
        raise StatusListError(f"{what} {kind} stream is truncated")
    if inflater.unused_data:
        raise StatusListError(f"{what} has data after the {kind} stream")
    return expanded
