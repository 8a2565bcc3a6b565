"""CBOR for ecdsa-sd-2023 proof values: untagged encoding and a strict decoder.

The only module allowed to import ``cbor2``. Encoding is plain ``cbor2.dumps``
(no tags, dict order kept). Decoding reads untrusted bytes, so before handing
them to cbor2 a small scan checks that they hold exactly one well-formed item
made only of integers, byte strings, text strings, arrays and maps, with
definite lengths, bounded nesting, no trailing bytes and no tags other than
tag 64 around a byte string (how JavaScript CBOR libraries mark a
``Uint8Array``; it decodes to ``bytes``). cbor2 then decodes with duplicate map
keys refused. Every problem raises :class:`CborError` (a ``ValueError``);
callers translate it into their typed error.
"""

from __future__ import annotations

import cbor2

__all__ = ["CborError", "decode", "encode"]

_UINT8_ARRAY_TAG = 64
_MAX_DEPTH = 8
# Major types: 0 uint, 1 negative int, 2 bytes, 3 text, 4 array, 5 map, 6 tag, 7 simple/float.
_BYTES, _TEXT, _ARRAY, _MAP, _TAG = 2, 3, 4, 5, 6


class CborError(ValueError):
    """The bytes are not one strict, untagged CBOR item of the allowed kinds."""


def encode(value: object) -> bytes:
    """Return the CBOR encoding of ``value`` (no tags; dict keys in insertion order)."""
    return cbor2.dumps(value)


def decode(data: bytes) -> object:
    """Decode exactly one strict CBOR item from untrusted ``data``; ``CborError`` otherwise."""
    end = _scan(data, 0, 0)
    if end != len(data):
        raise CborError(f"{len(data) - end} trailing byte(s) after the CBOR item")
    try:
        return cbor2.loads(
            data,
            tag_hook=_tag_hook,
            allow_indefinite=False,
            allow_duplicate_keys=False,
        )
    except (cbor2.CBORError, ValueError, TypeError) as exc:
        raise CborError(f"invalid CBOR: {exc}") from exc


def _tag_hook(tag: cbor2.CBORTag, immutable: bool) -> bytes:
    # Implementation note: ``_scan`` already allowed only tag 64 over a byte string.
    if tag.tag != _UINT8_ARRAY_TAG or not isinstance(tag.value, bytes):
        raise CborError(f"CBOR tag {tag.tag} is not allowed")
    return tag.value


def _head(data: bytes, offset: int) -> tuple[int, int, int]:
    """Return ``(major type, argument, offset after the head)`` of the item at ``offset``."""
    if offset >= len(data):
        raise CborError("truncated CBOR item")
    initial = data[offset]
    major, info = initial >> 5, initial & 0x1F
    if info < 24:
        return major, info, offset + 1
    if info > 27:
        raise CborError("indefinite length or reserved CBOR header")
    size = 1 << (info - 24)
    start = offset + 1
    if start + size > len(data):
        raise CborError("truncated CBOR header")
    return major, int.from_bytes(data[start : start + size], "big"), start + size


def _scan(data: bytes, offset: int, depth: int) -> int:
    """Check the item at ``offset`` and return the offset just after it."""
    if depth > _MAX_DEPTH:
        raise CborError("CBOR nesting is too deep")
    major, argument, offset = _head(data, offset)
    if major in (0, 1):
        return offset
    if major in (_BYTES, _TEXT):
        if offset + argument > len(data):
            raise CborError("truncated CBOR string")
        return offset + argument
    if major in (_ARRAY, _MAP):
        for _ in range(argument * (2 if major == _MAP else 1)):
            offset = _scan(data, offset, depth + 1)
        return offset
    if major == _TAG and argument == _UINT8_ARRAY_TAG:
        inner, _, _ = _head(data, offset)
        if inner != _BYTES:
            raise CborError("CBOR tag 64 must wrap a byte string")
        return _scan(data, offset, depth + 1)
    if major == _TAG:
        raise CborError(f"CBOR tag {argument} is not allowed")
    raise CborError("CBOR floats and simple values are not allowed")
