"""Multibase (base58btc ``z``, base64url ``u``) and multicodec varint headers.

The only module allowed to import ``multiformats``. Its base58btc and varint
codecs are correct but slow (about 430 µs to encode and 100 µs to decode a
64-byte signature, 7 µs per varint), and every proof verification decodes a
key and a signature. So the hot paths here are plain Python over ``int``,
cross-checked against ``multiformats`` in ``tests/core/test_multibase.py``;
``multiformats`` supplies the registered names of multicodec codes, for error
messages only, so it is imported on the first such message (loading its table
takes about 50 ms).

Every decoder raises ``ValueError`` on bad input; callers that handle
untrusted input translate it into their typed error.
"""

from __future__ import annotations

import base64
import binascii

__all__ = [
    "codec_name",
    "decode_base58btc",
    "decode_base64url",
    "decode_base64url_canonical",
    "decode_base64url_nopad",
    "encode_base58btc",
    "encode_base64url",
    "encode_base64url_nopad",
    "multicodec_unwrap",
    "multicodec_wrap",
]

_B58_ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
_B58_INDEX = {char: value for value, char in enumerate(_B58_ALPHABET)}
# Implementation note: divide by 58**10 per big-int step, then split the
# chunk with small ints; this keeps encoding near-linear for short inputs.
_B58_CHUNK_DIGITS = 10
_B58_CHUNK = 58**_B58_CHUNK_DIGITS
_URL_TO_STANDARD = bytes.maketrans(b"-_", b"+/")
_MAX_VARINT_BYTES = 9  # the multiformats unsigned-varint spec cap


def encode_base58btc(data: bytes) -> str:
    """Return the multibase base58btc form of ``data`` (``z`` prefix, Bitcoin alphabet)."""
    zeros = len(data) - len(data.lstrip(b"\x00"))
    number = int.from_bytes(data, "big")
    chunks: list[str] = []
    while number:
        number, chunk = divmod(number, _B58_CHUNK)
        digits = []
        for _ in range(_B58_CHUNK_DIGITS):
            chunk, digit = divmod(chunk, 58)
            digits.append(_B58_ALPHABET[digit])
        chunks.append("".join(reversed(digits)))
    body = "".join(reversed(chunks)).lstrip("1")
    return "z" + "1" * zeros + body


def decode_base58btc(value: str) -> bytes:
    """Return the bytes of a multibase base58btc string; ``ValueError`` if it is not one."""
    if not isinstance(value, str) or not value.startswith("z"):
        raise ValueError("not a multibase base58btc value (expected prefix 'z')")
    body = value[1:]
    number = 0
    try:
        for char in body:
            number = number * 58 + _B58_INDEX[char]
    except KeyError as exc:
        raise ValueError(f"invalid base58btc character {exc.args[0]!r}") from exc
    zeros = len(body) - len(body.lstrip("1"))
    return b"\x00" * zeros + number.to_bytes((number.bit_length() + 7) // 8, "big")


def encode_base64url_nopad(data: bytes) -> str:
    """Return unpadded base64url (RFC 4648 §5), as used by JOSE and multibase ``u``."""
    return base64.urlsafe_b64encode(data).decode("ascii").rstrip("=")


def decode_base64url_nopad(value: str) -> bytes:
    """Decode unpadded base64url strictly (alphabet checked); ``ValueError`` otherwise."""
    # Implementation note: '+', '/' and '=' are the only standard-alphabet characters that
    # are not base64url; with them refused, binascii's strict mode on the translated text
    # checks the rest of the alphabet (a third faster than a regular expression first;
    # JWS verification decodes ten parts per SD-JWT presentation).
    if not isinstance(value, str) or "+" in value or "/" in value or "=" in value:
        raise ValueError("not unpadded base64url text")
    if len(value) % 4 == 1:
        raise ValueError("impossible base64url length")
    try:
        return binascii.a2b_base64(
            value.encode("ascii").translate(_URL_TO_STANDARD) + b"=" * (-len(value) % 4),
            strict_mode=True,
        )
    except (binascii.Error, UnicodeEncodeError) as exc:
        raise ValueError("not unpadded base64url text") from exc


_B64URL_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
# Bits of the last character that carry no data, by the text's length modulo 4.
_UNUSED_BITS_MASK = {0: 0, 2: 0x0F, 3: 0x03}


def decode_base64url_canonical(value: str) -> bytes:
    """Decode unpadded base64url that is the one encoding of its bytes; ``ValueError`` otherwise.

    Besides the alphabet and the length, the unused low bits of the last
    character must be zero, so no two texts decode to the same bytes (JWS and
    SD-JWT digests cover the text, so a second spelling would be a second token).

    Implementation note: checking those bits is about ten times faster than
    re-encoding the bytes and comparing, and JWS parts are decoded on every
    verification.
    """
    data = decode_base64url_nopad(value)
    if value and _B64URL_ALPHABET.index(value[-1]) & _UNUSED_BITS_MASK[len(value) % 4]:
        raise ValueError("not canonical base64url (unused bits are set)")
    return data


def encode_base64url(data: bytes) -> str:
    """Return the multibase base64url form of ``data`` (``u`` prefix, no padding)."""
    return "u" + encode_base64url_nopad(data)


def decode_base64url(value: str) -> bytes:
    """Return the bytes of a multibase base64url string; ``ValueError`` if it is not one."""
    if not isinstance(value, str) or not value.startswith("u"):
        raise ValueError("not a multibase base64url value (expected prefix 'u')")
    return decode_base64url_nopad(value[1:])


def _encode_varint(number: int) -> bytes:
    out = bytearray()
    while True:
        byte = number & 0x7F
        number >>= 7
        if number:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)


def multicodec_wrap(code: int, raw: bytes) -> bytes:
    """Prefix ``raw`` with the unsigned-varint multicodec ``code``."""
    if code < 0:
        raise ValueError("multicodec codes are non-negative")
    return _encode_varint(code) + raw


def multicodec_unwrap(data: bytes) -> tuple[int, bytes]:
    """Split multicodec-prefixed ``data`` into ``(code, raw)``; ``ValueError`` if malformed."""
    code = 0
    for position, byte in enumerate(data[:_MAX_VARINT_BYTES]):
        code |= (byte & 0x7F) << (7 * position)
        if not byte & 0x80:
            if byte == 0 and position > 0:
                raise ValueError("multicodec varint is not minimally encoded")
            return code, data[position + 1 :]
    raise ValueError("truncated or overlong multicodec varint")


def codec_name(code: int) -> str:
    """Return the registered multicodec name of ``code`` (e.g. ``p256-pub``)."""
    from multiformats import multicodec

    try:
        return str(multicodec.get(code=code).name)
    except KeyError as exc:
        raise ValueError(f"unregistered multicodec 0x{code:x}") from exc
