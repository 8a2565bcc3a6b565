"""Hashing the mandatory N-Quads of an ecdsa-sd-2023 proof."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

__all__ = ["hash_mandatory_nquads"]


def hash_mandatory_nquads(mandatory: Iterable[str]) -> bytes:
    """Return SHA-256 of the concatenated mandatory N-Quads (each keeps its ``\\n``, P7).

    Spec: vc-di-ecdsa#hashmandatorynquads
    """
    # Step 1: the UTF-8 bytes of the joined N-Quads.
    data = "".join(mandatory).encode()
    # Step 2 and 3: hash them (SHA-256 for P-256) and return the digest.
    return hashlib.sha256(data).digest()
