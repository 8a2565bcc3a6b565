"""Keys as Multikey values: P-256 (default), P-384 and Ed25519.

A :class:`PublicKey` is a curve name plus the raw key bytes the Multikey
format carries (compressed SEC1 points for ECDSA); a :class:`KeyPair` adds the
secret. ECDSA signatures are raw ``r‖s`` over SHA-256 (P-256) or SHA-384
(P-384); signing is deterministic (RFC 6979) unless asked otherwise.

Spec: cid#multikey
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal, cast, get_args

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric import ec, ed25519

from vc_core import _ecdsa
from vc_core._multibase import (
    codec_name,
    decode_base58btc,
    decode_base64url_nopad,
    encode_base58btc,
    encode_base64url_nopad,
    multicodec_unwrap,
    multicodec_wrap,
)
from vc_core.errors import ParsingError

__all__ = ["Curve", "KeyPair", "PublicKey"]

Curve = Literal["P-256", "P-384", "Ed25519"]

_CURVES: tuple[Curve, ...] = get_args(Curve)
# Multicodec codes of Multikey public and secret keys (docs/protocols.md, "Multikey").
_PUBLIC_CODECS: dict[Curve, int] = {"P-256": 0x1200, "P-384": 0x1201, "Ed25519": 0xED}
_SECRET_CODECS: dict[Curve, int] = {"P-256": 0x1306, "P-384": 0x1307, "Ed25519": 0x1300}
_CURVE_BY_PUBLIC_CODEC = {code: curve for curve, code in _PUBLIC_CODECS.items()}
_CURVE_BY_SECRET_CODEC = {code: curve for curve, code in _SECRET_CODECS.items()}
# Length of the raw public key inside a Multikey (compressed points for ECDSA).
_PUBLIC_SIZES: dict[Curve, int] = {"P-256": 33, "P-384": 49, "Ed25519": 32}
# Secret scalar / seed length; for the EC curves also the length of one coordinate.
_SCALAR_SIZES: dict[Curve, int] = {"P-256": 32, "P-384": 48, "Ed25519": 32}
_JOSE_ALGS: dict[Curve, str] = {"P-256": "ES256", "P-384": "ES384", "Ed25519": "EdDSA"}
_ED25519_SIGNATURE_SIZE = 64

_PublicKeyObject = ec.EllipticCurvePublicKey | ed25519.Ed25519PublicKey
_PrivateKeyObject = ec.EllipticCurvePrivateKey | ed25519.Ed25519PrivateKey


def _check_curve(curve: object) -> Curve:
    for known in _CURVES:
        if curve == known:
            return known
    raise ValueError(f"unsupported curve {curve!r}; expected one of {', '.join(_CURVES)}")


# Implementation note: loading an EC point costs ~40 µs (decompression); verifiers
# meet the same issuer keys again and again, so loaded keys are memoized.
@functools.lru_cache(maxsize=1024)
def _load_public(curve: Curve, raw: bytes) -> _PublicKeyObject:
    if curve == "Ed25519":
        return ed25519.Ed25519PublicKey.from_public_bytes(raw)
    return _ecdsa.load_public_point(curve, raw)


# Implementation note: base58 encoding costs ~10 µs and signing and did:key
# resolution ask for the same keys' multibase again and again.
@functools.lru_cache(maxsize=1024)
def _public_multibase(curve: Curve, raw: bytes) -> str:
    return encode_base58btc(multicodec_wrap(_PUBLIC_CODECS[curve], raw))


def _raw_public(key: _PublicKeyObject) -> bytes:
    if isinstance(key, ed25519.Ed25519PublicKey):
        return key.public_bytes_raw()
    return _ecdsa.compress_point(key)


def _split_multikey(data: bytes, codecs: Mapping[int, Curve], what: str) -> tuple[Curve, bytes]:
    """Split multicodec-prefixed key bytes into ``(curve, raw)``; ``ValueError`` otherwise."""
    code, raw = multicodec_unwrap(data)
    if code not in codecs:
        try:
            name = codec_name(code)
        except ValueError:
            name = "unregistered"
        raise ValueError(f"unsupported {what} multicodec 0x{code:x} ({name})")
    return codecs[code], raw


@dataclass(frozen=True, slots=True)
class PublicKey:
    """A public key: curve and raw bytes (compressed SEC1 point, or 32 Ed25519 bytes).

    Building one checks the length and that the point is on the curve
    (``ValueError``); untrusted values go through :meth:`from_multibase`,
    :meth:`from_multikey_bytes` or :meth:`from_jwk`, which raise ``ParsingError``.
    """

    curve: Curve
    raw: bytes
    # Implementation note: the loaded cryptography key, kept so repeated
    # verifications with one key skip point decompression.
    _key: _PublicKeyObject = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        curve = _check_curve(self.curve)
        if not isinstance(self.raw, bytes):
            raise TypeError("PublicKey.raw must be bytes")
        if len(self.raw) != _PUBLIC_SIZES[curve]:
            raise ValueError(
                f"a {curve} Multikey public key is {_PUBLIC_SIZES[curve]} bytes, "
                f"got {len(self.raw)}"
            )
        object.__setattr__(self, "_key", _load_public(curve, self.raw))

    @classmethod
    def _from_key_object(cls, curve: Curve, key: _PublicKeyObject) -> PublicKey:
        """Wrap a key cryptography already holds (taken from a secret key).

        Implementation note: building through ``__init__`` would compress the
        point and load it again (~40 µs of point decompression), which every
        fresh ecdsa-sd-2023 proof key paid for nothing.
        """
        public = object.__new__(cls)
        object.__setattr__(public, "curve", curve)
        object.__setattr__(public, "raw", _raw_public(key))
        object.__setattr__(public, "_key", key)
        return public

    @classmethod
    def from_bytes(cls, curve: Curve, raw: bytes) -> PublicKey:
        """Build a key from trusted bytes; EC points may be compressed or uncompressed."""
        curve = _check_curve(curve)
        if curve == "Ed25519":
            return cls(curve, raw)
        # Implementation note: keep the loaded point; building through __init__ would load
        # it again from its compressed form (a point decompression, ~40 µs).
        return cls._from_key_object(curve, _ecdsa.load_public_point(curve, raw))

    @classmethod
    def from_multikey_bytes(cls, data: bytes) -> PublicKey:
        """Parse untrusted multicodec header + raw key bytes (e.g. 35 bytes for P-256).

        Raises ``ParsingError`` (``PARSING_ERROR``) for an unknown codec, a wrong
        length or a point that is not on the curve.
        """
        try:
            curve, raw = _split_multikey(data, _CURVE_BY_PUBLIC_CODEC, "public key")
            return cls(curve, raw)
        except (ValueError, TypeError) as exc:
            raise ParsingError(f"invalid Multikey public key: {exc}") from exc

    @classmethod
    def from_multibase(cls, value: str) -> PublicKey:
        """Parse an untrusted ``publicKeyMultibase`` value (``zDn…``, ``z82L…``, ``z6Mk…``).

        Raises ``ParsingError`` (``PARSING_ERROR``) on any problem.
        """
        if not isinstance(value, str):
            raise ParsingError("invalid publicKeyMultibase: not a string")
        return _public_key_from_multibase(value)

    @property
    def multikey_bytes(self) -> bytes:
        """The multicodec header followed by the raw key (35 bytes for P-256)."""
        return multicodec_wrap(_PUBLIC_CODECS[self.curve], self.raw)

    @property
    def multibase(self) -> str:
        """The ``publicKeyMultibase`` value: base58btc of :attr:`multikey_bytes`."""
        return _public_multibase(self.curve, self.raw)

    @property
    def alg(self) -> str:
        """The JOSE ``alg`` for this key: ``ES256``, ``ES384`` or ``EdDSA``."""
        return _JOSE_ALGS[self.curve]

    def fits_alg(self, alg: object) -> bool:
        """Whether a JWS ``alg`` signs with this key (``Ed25519``: EdDSA, fully specified)."""
        return alg == _JOSE_ALGS[self.curve] or (self.curve == "Ed25519" and alg == "Ed25519")

    def verify(self, signature: bytes, data: bytes) -> bool:
        """Return whether ``signature`` signs ``data``; never raises for a bad signature.

        ECDSA signatures are raw ``r‖s`` (64 or 96 bytes) over SHA-256 / SHA-384.
        """
        # Implementation note: the curve, not isinstance (an ABC check), picks the branch.
        if self.curve == "Ed25519":
            if len(signature) != _ED25519_SIGNATURE_SIZE:
                return False
            try:
                cast(ed25519.Ed25519PublicKey, self._key).verify(signature, data)
            except InvalidSignature:
                return False
            return True
        return _ecdsa.verify_raw(cast(ec.EllipticCurvePublicKey, self._key), signature, data)

    def to_jwk(self) -> dict[str, str]:
        """Return the public JWK (``EC`` with decompressed ``x``/``y``, or ``OKP``)."""
        key = self._key
        if isinstance(key, ed25519.Ed25519PublicKey):
            return {"kty": "OKP", "crv": "Ed25519", "x": encode_base64url_nopad(self.raw)}
        x, y = _ecdsa.point_coordinates(key)
        return {
            "kty": "EC",
            "crv": self.curve,
            "x": encode_base64url_nopad(x),
            "y": encode_base64url_nopad(y),
        }

    @classmethod
    def from_jwk(cls, jwk: Mapping[str, Any]) -> PublicKey:
        """Parse an untrusted public JWK; ``ParsingError`` on any problem or a private ``d``."""
        if not isinstance(jwk, Mapping):
            raise ParsingError("a JWK must be a JSON object")
        if "d" in jwk:
            raise ParsingError("a public JWK must not contain the private member 'd'")
        kty, crv = jwk.get("kty"), jwk.get("crv")
        try:
            if kty == "OKP" and crv == "Ed25519":
                return cls("Ed25519", decode_base64url_nopad(jwk["x"]))
            if kty == "EC" and crv in ("P-256", "P-384"):
                curve = _check_curve(crv)
                size = _SCALAR_SIZES[curve]
                x = decode_base64url_nopad(jwk["x"])
                y = decode_base64url_nopad(jwk["y"])
                if len(x) != size or len(y) != size:
                    raise ValueError(f"{curve} coordinates are {size} bytes each")
                return cls.from_bytes(curve, b"\x04" + x + y)
        except (KeyError, ValueError, TypeError) as exc:
            raise ParsingError(f"invalid JWK: {exc!s}") from exc
        raise ParsingError(f"unsupported JWK kty/crv {kty!r}/{crv!r}")


@dataclass(frozen=True, slots=True)
class KeyPair:
    """A public key with its secret, plus the verification method ``id``/``controller``.

    The secret never appears in ``repr``, equality or :meth:`to_multikey`
    (unless ``include_secret=True``).
    """

    public: PublicKey
    private_key: _PrivateKeyObject = field(repr=False, compare=False)
    id: str | None = None
    controller: str | None = None

    def __post_init__(self) -> None:
        if _raw_public(self.private_key.public_key()) != self.public.raw:
            raise ValueError("the public key does not belong to the secret key")

    @classmethod
    def _from_private(cls, private_key: _PrivateKeyObject) -> KeyPair:
        public_object = private_key.public_key()
        curve: Curve
        if isinstance(public_object, ed25519.Ed25519PublicKey):
            curve = "Ed25519"
        else:
            curve = "P-256" if public_object.curve.key_size == 256 else "P-384"
        # Implementation note: the public half is derived from the secret here, so the
        # __post_init__ check (a second public_key() and point compression, ~9 µs) is
        # skipped; every ecdsa-sd-2023 proof generates one such key per credential.
        pair = object.__new__(cls)
        object.__setattr__(pair, "public", PublicKey._from_key_object(curve, public_object))
        object.__setattr__(pair, "private_key", private_key)
        object.__setattr__(pair, "id", None)
        object.__setattr__(pair, "controller", None)
        return pair

    @classmethod
    def generate(cls, curve: Curve = "P-256") -> KeyPair:
        """Return a fresh random key pair on ``curve``."""
        curve = _check_curve(curve)
        if curve == "Ed25519":
            return cls._from_private(ed25519.Ed25519PrivateKey.generate())
        return cls._from_private(_ecdsa.generate_private_key(curve))

    @classmethod
    def from_secret_bytes(cls, curve: Curve, secret: bytes) -> KeyPair:
        """Build a key pair from a 32/48-byte ECDSA scalar or a 32-byte Ed25519 seed."""
        curve = _check_curve(curve)
        if len(secret) != _SCALAR_SIZES[curve]:
            raise ValueError(
                f"a {curve} secret key is {_SCALAR_SIZES[curve]} bytes, got {len(secret)}"
            )
        if curve == "Ed25519":
            return cls._from_private(ed25519.Ed25519PrivateKey.from_private_bytes(secret))
        return cls._from_private(_ecdsa.derive_private_key(curve, secret))

    @classmethod
    def from_multikey(cls, data: Mapping[str, Any]) -> KeyPair:
        """Load a Multikey key-pair object (``publicKeyMultibase`` + secret multibase).

        The secret is ``secretKeyMultibase`` or, as in the Ed25519 vectors,
        ``privateKeyMultibase``; an Ed25519 secret is the 32-byte seed or, as
        Digital Bazaar exports it, the seed followed by the public key (checked).
        ``id`` and ``controller`` are kept. Raises ``ValueError`` if anything is
        malformed or the halves do not match.
        """
        secret_value = data.get("secretKeyMultibase", data.get("privateKeyMultibase"))
        if not isinstance(secret_value, str):
            raise ValueError("a Multikey key pair needs secretKeyMultibase")
        secret_data = decode_base58btc(secret_value)
        curve, secret = _split_multikey(secret_data, _CURVE_BY_SECRET_CODEC, "secret key")
        # Implementation note: Digital Bazaar's Ed25519 Multikey export stores the
        # 64-byte secret of RFC 8032 implementations (seed, then public key).
        embedded_public: bytes | None = None
        if curve == "Ed25519" and len(secret) == 2 * _SCALAR_SIZES[curve]:
            secret, embedded_public = secret[:32], secret[32:]
        pair = cls.from_secret_bytes(curve, secret)
        if embedded_public is not None and pair.public.raw != embedded_public:
            raise ValueError("the secret key's public half does not belong to its seed")
        if data.get("publicKeyMultibase") != pair.public.multibase:
            raise ValueError("publicKeyMultibase does not belong to the secret key")
        vm_id, controller = data.get("id"), data.get("controller")
        if not isinstance(vm_id, str | None) or not isinstance(controller, str | None):
            raise ValueError("Multikey id and controller must be strings")
        return cls(pair.public, pair.private_key, vm_id, controller)

    @property
    def curve(self) -> Curve:
        """The curve of this key pair."""
        return self.public.curve

    @property
    def secret_bytes(self) -> bytes:
        """The 32/48-byte ECDSA private scalar or the 32-byte Ed25519 seed."""
        key = self.private_key
        if isinstance(key, ed25519.Ed25519PrivateKey):
            return key.private_bytes_raw()
        return _ecdsa.private_scalar(key)

    def to_multikey(self, *, include_secret: bool = False) -> dict[str, str]:
        """Return the Multikey JSON object; the secret only when ``include_secret``."""
        out: dict[str, str] = {}
        if self.id is not None:
            out["id"] = self.id
        out["type"] = "Multikey"
        if self.controller is not None:
            out["controller"] = self.controller
        out["publicKeyMultibase"] = self.public.multibase
        if include_secret:
            secret = multicodec_wrap(_SECRET_CODECS[self.curve], self.secret_bytes)
            out["secretKeyMultibase"] = encode_base58btc(secret)
        return out

    def sign(self, data: bytes, *, deterministic: bool = True) -> bytes:
        """Sign ``data``: raw ``r‖s`` for ECDSA (RFC 6979 when ``deterministic``), or Ed25519."""
        key = self.private_key
        # Implementation note: the curve, not isinstance (an ABC check), picks the branch.
        if self.public.curve == "Ed25519":
            return cast(ed25519.Ed25519PrivateKey, key).sign(data)
        return _ecdsa.sign_raw(
            cast(ec.EllipticCurvePrivateKey, key), data, deterministic=deterministic
        )


# Implementation note: dereferencing a did:key method parses its key twice (the DID
# document is built from the DID URL, then the method is read back from it), and a
# fresh wallet key is never seen again; memoizing the immutable result makes the
# second parse a lookup. Failures raise, so they are not cached.
@functools.lru_cache(maxsize=1024)
def _public_key_from_multibase(value: str) -> PublicKey:
    try:
        data = decode_base58btc(value)
    except ValueError as exc:
        raise ParsingError(f"invalid publicKeyMultibase: {exc}") from exc
    return PublicKey.from_multikey_bytes(data)
