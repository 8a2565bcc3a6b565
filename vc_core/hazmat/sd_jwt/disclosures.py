"""Disclosures: salted claims, their digests, and decoy digests.

A Disclosure is the base64url of a JSON array: ``[salt, name, value]`` for an
object property, ``[salt, value]`` for an array element. Its digest is the
base64url of the hash of the Disclosure's ASCII text exactly as sent, so a
Disclosure is never re-encoded once made.

Spec: rfc9901#name-disclosures
"""

from __future__ import annotations

import hashlib
import json
import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from vc_core._multibase import decode_base64url_canonical, encode_base64url_nopad
from vc_core.errors import SdJwtError
from vc_core.jws import loads_strict_json

__all__ = [
    "ARRAY_DIGEST_KEY",
    "DEFAULT_SD_ALG",
    "SD_ALGS",
    "SD_ALG_CLAIM",
    "SD_DIGESTS_KEY",
    "Disclosure",
    "create_decoy_digest",
    "create_disclosure",
    "generate_salt",
    "hash_disclosure",
    "parse_disclosure",
]

SD_DIGESTS_KEY = "_sd"
"""The object member that lists the digests of an object's hidden properties."""
ARRAY_DIGEST_KEY = "..."
"""The only member of an array element that stands for a hidden element."""
SD_ALG_CLAIM = "_sd_alg"
"""The top-level claim naming the digest's hash algorithm."""
DEFAULT_SD_ALG = "sha-256"
"""The hash algorithm when ``_sd_alg`` is absent (and the one we issue with)."""

SD_ALGS: Mapping[str, Callable[[bytes], Any]] = {
    "sha-256": hashlib.sha256,
    "sha-384": hashlib.sha384,
    "sha-512": hashlib.sha512,
}
"""Hash Name Strings (IANA Named Information registry) we accept in ``_sd_alg``."""

_SALT_BYTES = 16  # 128 bits, the entropy the spec recommends
_RESERVED_NAMES = frozenset({SD_DIGESTS_KEY, ARRAY_DIGEST_KEY})
# Implementation note: a Disclosure carries one claim; refuse absurd sizes unread.
_MAX_DISCLOSURE_CHARS = 256 * 1024


@dataclass(frozen=True, slots=True)
class Disclosure:
    """One parsed Disclosure: its text as sent, its parts and its digest.

    ``name`` is ``None`` for an array element. ``value`` is the parsed JSON
    value; for an untrusted Disclosure nothing about it is verified until the
    SD-JWT it came with is.
    """

    encoded: str
    salt: str
    name: str | None
    value: Any
    digest: str


def generate_salt() -> str:
    """Return a fresh salt: base64url of 128 random bits.

    Spec: rfc9901#name-entropy-of-the-salt
    """
    return encode_base64url_nopad(secrets.token_bytes(_SALT_BYTES))


def hash_disclosure(encoded: str, sd_alg: str = DEFAULT_SD_ALG) -> str:
    """Return the base64url digest of a Disclosure's US-ASCII text under ``sd_alg``.

    Spec: rfc9901#name-hashing-disclosures
    """
    # Step 1: hash the base64url text itself, not the bytes it encodes.
    digest = SD_ALGS[sd_alg](encoded.encode("ascii")).digest()
    # Step 2: base64url-encode the digest bytes (not a hex string).
    return encode_base64url_nopad(digest)


def create_disclosure(
    salt: str, value: Any, *, name: str | None = None, sd_alg: str = DEFAULT_SD_ALG
) -> Disclosure:
    """Create the Disclosure of an object property (``name`` given) or an array element.

    Implementation note: the JSON text is Python's default serialization
    (``", "`` separators, non-ASCII escaped), the one the RFC's generated
    examples use, so a fixed salt reproduces them byte for byte. Any JSON text
    would do: the digest covers the text as sent.

    Spec: rfc9901#name-disclosures-for-object-prop
    """
    if not isinstance(salt, str):
        raise TypeError("a salt is a string")
    if name is not None and (not isinstance(name, str) or name in _RESERVED_NAMES):
        raise ValueError(
            f"a disclosed claim name must be a string other than _sd and ...: {name!r}"
        )
    # Step 1: the JSON array [salt, name, value], or [salt, value] for an array element.
    array = [salt, value] if name is None else [salt, name, value]
    # Step 2: base64url of its UTF-8 bytes is the Disclosure.
    encoded = encode_base64url_nopad(json.dumps(array, allow_nan=False).encode("utf-8"))
    return Disclosure(encoded, salt, name, value, hash_disclosure(encoded, sd_alg))


def parse_disclosure(encoded: object, sd_alg: str = DEFAULT_SD_ALG) -> Disclosure:
    """Parse an untrusted Disclosure and compute its digest.

    Raises ``SdJwtError`` (``INVALID_DISCLOSURE``) unless it is strict
    base64url of a UTF-8 JSON array of two or three elements (no duplicate
    member names, no ``NaN``), whose salt is a string and whose claim name, if
    any, is a string other than ``_sd`` and ``...``.

    Spec: rfc9901#name-verification-of-the-sd-jwt
    """
    if not isinstance(encoded, str) or not encoded:
        raise SdJwtError("a Disclosure must be a non-empty string", code="INVALID_DISCLOSURE")
    if len(encoded) > _MAX_DISCLOSURE_CHARS:
        raise SdJwtError(
            f"a Disclosure is longer than {_MAX_DISCLOSURE_CHARS} characters",
            code="INVALID_DISCLOSURE",
        )
    try:
        array = loads_strict_json(decode_base64url_canonical(encoded))
    except ValueError as exc:
        raise SdJwtError(
            f"Disclosure {encoded[:16]}… is not base64url JSON: {exc}", code="INVALID_DISCLOSURE"
        ) from exc
    if not isinstance(array, list) or len(array) not in (2, 3):
        raise SdJwtError(
            f"Disclosure {encoded[:16]}… is not a JSON array of two or three elements",
            code="INVALID_DISCLOSURE",
        )
    salt = array[0]
    if not isinstance(salt, str):
        raise SdJwtError(
            f"Disclosure {encoded[:16]}… has a salt that is not a string", code="INVALID_DISCLOSURE"
        )
    name: str | None = None
    if len(array) == 3:
        name = array[1]
        if not isinstance(name, str) or name in _RESERVED_NAMES:
            raise SdJwtError(
                f"Disclosure {encoded[:16]}… has claim name {name!r}; a string other than "
                "_sd and ... is required",
                code="INVALID_DISCLOSURE",
            )
    return Disclosure(encoded, salt, name, array[-1], hash_disclosure(encoded, sd_alg))


def create_decoy_digest(sd_alg: str = DEFAULT_SD_ALG) -> str:
    """Return a decoy digest: the digest of a fresh random salt, tied to no claim.

    Spec: rfc9901#name-decoy-digests
    """
    # Step 1: hash a cryptographically secure random value with the same hash as the digests.
    return hash_disclosure(generate_salt(), sd_alg)
