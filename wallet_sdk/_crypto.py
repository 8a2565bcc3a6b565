"""Passphrase keys and AES-256-GCM sealing for the store and the backup file.

A passphrase gives a key-encryption key (KEK) through Argon2id; the KEK wraps a
random 32-byte data key with AES-256-GCM, and the data key seals every record.
A wrong passphrase shows as a failed tag on the wrapped key; a changed record
as a failed tag on that record (its associated data binds it to its place).
"""

from __future__ import annotations

import base64
import os
import unicodedata
from dataclasses import dataclass
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.argon2 import Argon2id

__all__ = ["Argon2Params", "IntegrityError", "new_data_key", "open_sealed", "seal"]

KEY_SIZE = 32
NONCE_SIZE = 12
SALT_SIZE = 16
# Implementation note: parameters read from a file are untrusted; these bounds stop a
# crafted file from asking for gigabytes of memory or minutes of work.
_MAX_MEMORY_KIB = 1024 * 1024
_MAX_ITERATIONS = 16
_MAX_LANES = 16


class IntegrityError(Exception):
    """A sealed value failed its GCM tag (internal; callers translate it)."""


@dataclass(frozen=True, slots=True)
class Argon2Params:
    """Argon2id cost parameters (RFC 9106 second recommendation by default: t=3, p=4, 64 MiB).

    Tests pass cheap values (``Argon2Params(iterations=1, lanes=1, memory_cost=8)``).
    """

    iterations: int = 3
    lanes: int = 4
    memory_cost: int = 64 * 1024

    def __post_init__(self) -> None:
        for name in ("iterations", "lanes", "memory_cost"):
            value = getattr(self, name)
            if not isinstance(value, int) or isinstance(value, bool) or value < 1:
                raise ValueError(f"Argon2 {name} must be a positive integer")
        if self.memory_cost < 8 * self.lanes:
            raise ValueError("Argon2 memory_cost must be at least 8 KiB per lane")
        if (
            self.memory_cost > _MAX_MEMORY_KIB
            or self.iterations > _MAX_ITERATIONS
            or self.lanes > _MAX_LANES
        ):
            raise ValueError("Argon2 parameters exceed the wallet's limits")

    def derive_key(self, passphrase: str, salt: bytes) -> bytes:
        """Return the 32-byte key for ``passphrase`` (NFC-normalised UTF-8) and ``salt``."""
        if not isinstance(passphrase, str) or not passphrase:
            raise ValueError("a passphrase must be a non-empty string")
        secret = unicodedata.normalize("NFC", passphrase).encode("utf-8")
        kdf = Argon2id(
            salt=salt,
            length=KEY_SIZE,
            iterations=self.iterations,
            lanes=self.lanes,
            memory_cost=self.memory_cost,
        )
        return kdf.derive(secret)

    def to_json(self, salt: bytes) -> dict[str, Any]:
        """The parameters and salt as a JSON object for a file header."""
        return {
            "algorithm": "argon2id",
            "iterations": self.iterations,
            "lanes": self.lanes,
            "memory_cost": self.memory_cost,
            "salt": b64encode(salt),
        }

    @classmethod
    def from_json(cls, value: object) -> tuple[Argon2Params, bytes]:
        """Read untrusted parameters and salt; ``ValueError`` when malformed or out of bounds."""
        if not isinstance(value, dict) or value.get("algorithm") != "argon2id":
            raise ValueError("unknown key-derivation parameters")
        salt = b64decode(value.get("salt"))
        if len(salt) != SALT_SIZE:
            raise ValueError("the key-derivation salt has the wrong length")
        numbers: list[int] = []
        for name in ("iterations", "lanes", "memory_cost"):
            number = value.get(name)
            if not isinstance(number, int) or isinstance(number, bool):
                raise ValueError("key-derivation parameters must be integers")
            numbers.append(number)
        return cls(*numbers), salt


def b64encode(data: bytes) -> str:
    """Standard base64 text of ``data``."""
    return base64.b64encode(data).decode("ascii")


def b64decode(value: object) -> bytes:
    """Decode standard base64 text; ``ValueError`` for anything else."""
    if not isinstance(value, str):
        raise ValueError("expected base64 text")
    return base64.b64decode(value.encode("ascii"), validate=True)


def new_salt() -> bytes:
    """A fresh random salt."""
    return os.urandom(SALT_SIZE)


def new_data_key() -> bytes:
    """A fresh random 32-byte AES-256 key."""
    return AESGCM.generate_key(bit_length=256)


def seal(key: bytes, plaintext: bytes, associated_data: bytes) -> bytes:
    """AES-256-GCM with a fresh random nonce; returns ``nonce ‖ ciphertext ‖ tag``."""
    nonce = os.urandom(NONCE_SIZE)
    return nonce + AESGCM(key).encrypt(nonce, plaintext, associated_data)


def open_sealed(key: bytes, sealed: bytes, associated_data: bytes) -> bytes:
    """Reverse :func:`seal`; :class:`IntegrityError` when the tag or the layout is wrong."""
    if len(sealed) < NONCE_SIZE + 16:
        raise IntegrityError("sealed value is too short")
    try:
        return AESGCM(key).decrypt(sealed[:NONCE_SIZE], sealed[NONCE_SIZE:], associated_data)
    except InvalidTag as exc:
        raise IntegrityError("authentication tag mismatch") from exc
