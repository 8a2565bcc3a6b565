"""ECDSA adapter: raw ``r‖s`` signatures, SEC1 point (de)compression, RFC 6979 signing.

cryptography speaks DER signatures and ``EllipticCurvePublicKey`` objects; the
Data Integrity suites and JOSE speak IEEE P1363 ``r‖s`` (64 bytes for P-256,
96 for P-384) and 33/49-byte compressed points. This module is the only place
that converts between the two (docs/protocols.md, P12, P13).

The curve decides the hash: SHA-256 for P-256, SHA-384 for P-384.
"""

from __future__ import annotations

from typing import Literal

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import (
    decode_dss_signature,
    encode_dss_signature,
)
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

__all__ = [
    "EcCurve",
    "compress_point",
    "der_to_raw",
    "derive_private_key",
    "generate_private_key",
    "load_public_point",
    "point_coordinates",
    "private_scalar",
    "raw_to_der",
    "sign_raw",
    "verify_raw",
]

EcCurve = Literal["P-256", "P-384"]

_CURVES: dict[str, ec.EllipticCurve] = {"P-256": ec.SECP256R1(), "P-384": ec.SECP384R1()}
_SIZES: dict[str, int] = {"P-256": 32, "P-384": 48}
_BY_KEY_SIZE: dict[int, tuple[int, type[hashes.HashAlgorithm]]] = {
    256: (32, hashes.SHA256),
    384: (48, hashes.SHA384),
}


# Implementation note: the signature algorithm objects are immutable descriptors;
# building them for every signature cost more than a tenth of a P-256 signing.
_ALGORITHMS: dict[tuple[int, bool], ec.ECDSA] = {
    (key_size, deterministic): ec.ECDSA(hash_type(), deterministic_signing=deterministic)
    for key_size, (_, hash_type) in _BY_KEY_SIZE.items()
    for deterministic in (True, False)
}


def _params(curve: ec.EllipticCurve) -> tuple[int, type[hashes.HashAlgorithm]]:
    try:
        return _BY_KEY_SIZE[curve.key_size]
    except KeyError as exc:
        raise ValueError(f"unsupported curve {curve.name}") from exc


def load_public_point(curve: EcCurve, point: bytes) -> ec.EllipticCurvePublicKey:
    """Load a compressed or uncompressed SEC1 point; ``ValueError`` if not on the curve."""
    return ec.EllipticCurvePublicKey.from_encoded_point(_CURVES[curve], point)


def compress_point(key: ec.EllipticCurvePublicKey) -> bytes:
    """Return the compressed SEC1 point (``02``/``03`` ‖ x) of ``key``."""
    return key.public_bytes(Encoding.X962, PublicFormat.CompressedPoint)


def point_coordinates(key: ec.EllipticCurvePublicKey) -> tuple[bytes, bytes]:
    """Return the fixed-length big-endian ``(x, y)`` of ``key`` (point decompression)."""
    size, _ = _params(key.curve)
    numbers = key.public_numbers()
    return numbers.x.to_bytes(size, "big"), numbers.y.to_bytes(size, "big")


def der_to_raw(der: bytes, size: int) -> bytes:
    """Convert a DER ECDSA signature to ``r‖s`` with ``size``-byte halves."""
    r, s = decode_dss_signature(der)
    return r.to_bytes(size, "big") + s.to_bytes(size, "big")


def raw_to_der(raw: bytes) -> bytes:
    """Convert an ``r‖s`` signature (even length) to DER."""
    if not raw or len(raw) % 2:
        raise ValueError("an r||s signature has two equal, non-empty halves")
    half = len(raw) // 2
    return encode_dss_signature(
        int.from_bytes(raw[:half], "big"), int.from_bytes(raw[half:], "big")
    )


def generate_private_key(curve: EcCurve) -> ec.EllipticCurvePrivateKey:
    """Return a fresh random private key on ``curve``."""
    return ec.generate_private_key(_CURVES[curve])


def derive_private_key(curve: EcCurve, scalar: bytes) -> ec.EllipticCurvePrivateKey:
    """Load a big-endian private scalar of exactly the curve's size; ``ValueError`` otherwise."""
    if len(scalar) != _SIZES[curve]:
        raise ValueError(f"a {curve} secret key is {_SIZES[curve]} bytes, got {len(scalar)}")
    return ec.derive_private_key(int.from_bytes(scalar, "big"), _CURVES[curve])


def private_scalar(key: ec.EllipticCurvePrivateKey) -> bytes:
    """Return the fixed-length big-endian private scalar of ``key``."""
    size, _ = _params(key.curve)
    return key.private_numbers().private_value.to_bytes(size, "big")


def sign_raw(key: ec.EllipticCurvePrivateKey, data: bytes, *, deterministic: bool) -> bytes:
    """Sign ``data`` (hashed with the curve's hash) and return ``r‖s``.

    ``deterministic`` selects RFC 6979 nonces, which reproduce the W3C vectors.
    """
    size, _ = _params(key.curve)
    der = key.sign(data, _ALGORITHMS[key.curve.key_size, deterministic])
    return der_to_raw(der, size)


def verify_raw(key: ec.EllipticCurvePublicKey, signature: bytes, data: bytes) -> bool:
    """Return whether ``signature`` (``r‖s`` of the curve's length) signs ``data``."""
    size, _ = _params(key.curve)
    if len(signature) != 2 * size:
        return False
    try:
        key.verify(raw_to_der(signature), data, _ALGORITHMS[key.curve.key_size, False])
    except InvalidSignature:
        return False
    return True
