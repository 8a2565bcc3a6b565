"""Issuer keys: one key series per source (P-256) or VC API issuer (any curve), sealed, rotatable.

The key-encryption key (KEK) is derived from the passphrase with scrypt and a
random salt kept in the database; a sealed check value tells a wrong
passphrase apart from a damaged key. Each secret is sealed with AES-256-GCM
under the KEK, with ``<source>#key-<n>`` as associated data, so a sealed key
cannot be moved to another source or number.

Keys are numbered ``key-1``, ``key-2``, …: new credentials and status lists
are signed with the newest, which a rotation makes on the series' curve (read
from its stored public key, so the database needs no curve column); older keys
stay in the DID document so the credentials they signed keep verifying. The
issuer's other secrets (nonce HMAC, tx_code and subject hashing) are derived
from the KEK with HKDF, so every worker process of one deployment agrees on
them.
"""

from __future__ import annotations

import hashlib
import os
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

from vc_core.did import did_key, did_key_verification_method_id
from vc_core.keys import Curve, KeyPair, PublicKey
from vc_core.types import Clock
from vc_issuer.db import Database, KekParams, StoredKey
from vc_issuer.errors import StartupRefused

__all__ = ["KeyRing", "PublishedKey", "demo_key"]

SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**15, 8, 1
_SALT_BYTES = 16
_NONCE_BYTES = 12
_CHECK_PLAINTEXT = b"blauwe-knop issuer key-encryption check"
_CHECK_AAD = b"check"
_DEMO_SEED = b"blauwe-knop demo issuer key (public, never for production):"
# Implementation note: how long a worker keeps using the newest key it knows
# before looking for a rotation made by another process.
_KEY_REFRESH_SECONDS = 30.0


@dataclass(frozen=True, slots=True)
class PublishedKey:
    """A public issuer key as the DID document lists it."""

    number: int
    public_multibase: str


def _utc_now() -> datetime:
    return datetime.now(UTC)


def demo_key(source: str, number: int = 1, curve: Curve = "P-256") -> KeyPair:
    """The fixed demo key ``key-<number>`` of ``source`` (its secret is public knowledge)."""
    label = _DEMO_SEED + f"{source}#key-{number}".encode()
    # Implementation note: a P-384 scalar is 48 bytes; SHA-384 output is below the
    # group order except with negligible probability (the key is fixed, so it is checked).
    digest = hashlib.sha384 if curve == "P-384" else hashlib.sha256
    return KeyPair.from_secret_bytes(curve, digest(label).digest())


def _curve_of(public_multibase: str) -> Curve:
    return PublicKey.from_multibase(public_multibase).curve


def _derive_kek(passphrase: str, params: KekParams) -> bytes:
    kdf = Scrypt(salt=params.salt, length=32, n=params.n, r=params.r, p=params.p)
    return kdf.derive(passphrase.encode("utf-8"))


def _seal(kek: bytes, plaintext: bytes, aad: bytes, nonce: bytes) -> bytes:
    return nonce + AESGCM(kek).encrypt(nonce, plaintext, aad)


def _open(kek: bytes, sealed: bytes, aad: bytes) -> bytes:
    return AESGCM(kek).decrypt(sealed[:_NONCE_BYTES], sealed[_NONCE_BYTES:], aad)


class KeyRing:
    """The sources' signing keys, read from and sealed into one database.

    Build it with :meth:`unlock`. ``dids`` maps each source to its DID, which
    becomes the key's controller and the prefix of its id (``<did>#key-<n>``).
    A key series under a name that is not in ``dids`` (the VC API's interop
    issuer) is controlled by its own did:key.
    """

    def __init__(
        self,
        db: Database,
        kek: bytes,
        dids: Mapping[str, str],
        *,
        use_demo_keys: bool = False,
        random_bytes: Callable[[int], bytes] = os.urandom,
    ) -> None:
        self._db = db
        self._kek = kek
        self._dids = dict(dids)
        self._use_demo_keys = use_demo_keys
        self._random_bytes = random_bytes
        self._lock = threading.Lock()
        self._signing: dict[str, tuple[float, KeyPair]] = {}

    @classmethod
    def unlock(
        cls,
        db: Database,
        passphrase: str,
        dids: Mapping[str, str],
        *,
        use_demo_keys: bool = False,
        random_bytes: Callable[[int], bytes] = os.urandom,
    ) -> KeyRing:
        """Derive the KEK (creating its salt on first start) and check the passphrase.

        Raises ``StartupRefused`` when the passphrase does not open this database's keys.
        """
        with db.read() as unit:
            params = unit.kek_params()
        if params is None:
            salt = random_bytes(_SALT_BYTES)
            fresh = KekParams(salt, SCRYPT_N, SCRYPT_R, SCRYPT_P, b"")
            kek = _derive_kek(passphrase, fresh)
            check = _seal(kek, _CHECK_PLAINTEXT, _CHECK_AAD, random_bytes(_NONCE_BYTES))
            with db.write() as unit:
                unit.add_kek_params(KekParams(salt, SCRYPT_N, SCRYPT_R, SCRYPT_P, check))
                # Implementation note: another process may have won the race; use its salt.
                params = unit.kek_params()
            if params is None:
                raise StartupRefused("the key-encryption parameters could not be stored")
        kek = _derive_kek(passphrase, params)
        try:
            if _open(kek, params.check, _CHECK_AAD) != _CHECK_PLAINTEXT:
                raise InvalidTag
        except InvalidTag:
            raise StartupRefused(
                "the key passphrase does not open the issuer keys in this database"
            ) from None
        return cls(db, kek, dids, use_demo_keys=use_demo_keys, random_bytes=random_bytes)

    def derived_secret(self, label: str) -> bytes:
        """A 32-byte secret for ``label`` (e.g. ``nonce``), the same in every worker process."""
        hkdf = HKDF(hashes.SHA256(), length=32, salt=None, info=f"blauwe-knop {label}".encode())
        return hkdf.derive(self._kek)

    def seal(self, plaintext: bytes, *, label: str) -> bytes:
        """Encrypt another secret (e.g. a sealing identity) under the KEK, bound to ``label``."""
        return _seal(self._kek, plaintext, label.encode(), self._random_bytes(_NONCE_BYTES))

    def unseal(self, sealed: bytes, *, label: str) -> bytes:
        """Decrypt what :meth:`seal` made with ``label``; ``StartupRefused`` if it fails."""
        try:
            return _open(self._kek, sealed, label.encode())
        except InvalidTag:
            raise StartupRefused(f"the sealed secret {label!r} does not open") from None

    def seal_subject(self, bsn: str, *, bound_to: str) -> bytes:
        """A citizen's BSN sealed for one row (``offer:<id>``, ``token:<hash>``, …).

        The row keeps this instead of the BSN: without the passphrase a copy of
        the database reveals no BSN, and a sealed value opens only for its row.
        """
        return self.seal(bsn.encode("ascii"), label=f"subject:{bound_to}")

    def open_subject(self, sealed: bytes, *, bound_to: str) -> str:
        """The BSN :meth:`seal_subject` sealed for ``bound_to``; ``StartupRefused`` if it fails."""
        return self.unseal(sealed, label=f"subject:{bound_to}").decode("ascii")

    def _controlled(self, source: str, number: int, pair: KeyPair) -> KeyPair:
        did = self._dids.get(source) or did_key(pair)
        vm_id = (
            f"{did}#key-{number}" if source in self._dids else did_key_verification_method_id(pair)
        )
        return KeyPair(pair.public, pair.private_key, vm_id, did)

    def _new_secret(self, source: str, number: int, curve: Curve) -> KeyPair:
        if self._use_demo_keys:
            return demo_key(source, number, curve)
        return KeyPair.generate(curve)

    def _add(self, source: str, number: int, curve: Curve, *, clock: Clock) -> None:
        pair = self._new_secret(source, number, curve)
        aad = f"{source}#key-{number}".encode()
        sealed = _seal(self._kek, pair.secret_bytes, aad, self._random_bytes(_NONCE_BYTES))
        stored = StoredKey(source, number, pair.public.multibase, sealed, clock())
        with self._db.write() as unit:
            unit.add_key(stored)

    def ensure(self, source: str, *, curve: Curve = "P-256", clock: Clock = _utc_now) -> None:
        """Create ``key-1`` of ``source`` on ``curve`` unless it has a key already.

        Raises ``StartupRefused`` when the series exists on another curve.
        """
        with self._db.read() as unit:
            keys = unit.keys(source)
        if not keys:
            self._add(source, 1, curve, clock=clock)
        elif _curve_of(keys[-1].public_multibase) != curve:
            raise StartupRefused(
                f"the keys of {source} are {_curve_of(keys[-1].public_multibase)}, not {curve}"
            )

    def rotate(self, source: str, *, clock: Clock = _utc_now) -> str:
        """Add a new newest key to ``source`` (same curve); return its verification method id."""
        with self._db.read() as unit:
            keys = unit.keys(source)
        number = (keys[-1].number if keys else 0) + 1
        self._add(
            source, number, _curve_of(keys[-1].public_multibase) if keys else "P-256", clock=clock
        )
        with self._lock:
            self._signing.pop(source, None)
        return str(self.signing_key(source).id)

    def published(self, source: str) -> list[PublishedKey]:
        """Every key of ``source``, oldest first (for the DID document)."""
        with self._db.read() as unit:
            return [PublishedKey(k.number, k.public_multibase) for k in unit.keys(source)]

    def signing_key(self, source: str) -> KeyPair:
        """The newest key of ``source``, with ``id`` ``<did>#key-<n>`` and ``controller``."""
        now = time.monotonic()
        with self._lock:
            cached = self._signing.get(source)
        if cached is not None and now - cached[0] < _KEY_REFRESH_SECONDS:
            return cached[1]
        with self._db.read() as unit:
            keys = unit.keys(source)
        if not keys:
            raise ValueError(f"source {source!r} has no key yet")
        newest = keys[-1]
        pair = self._unseal(newest)
        with self._lock:
            self._signing[source] = (now, pair)
        return pair

    def _unseal(self, stored: StoredKey) -> KeyPair:
        aad = f"{stored.source}#key-{stored.number}".encode()
        try:
            secret = _open(self._kek, stored.sealed_secret, aad)
        except InvalidTag:
            raise StartupRefused(
                f"issuer key {stored.source}#key-{stored.number} does not open"
            ) from None
        pair = KeyPair.from_secret_bytes(_curve_of(stored.public_multibase), secret)
        if pair.public.multibase != stored.public_multibase:
            raise StartupRefused(f"issuer key {stored.source}#key-{stored.number} is damaged")
        return self._controlled(stored.source, stored.number, pair)

    def uses_demo_keys(self, source: str) -> bool:
        """Whether any stored key of ``source`` is one of the public demo keys."""
        return any(
            k.public_multibase == demo_key(source, k.number, curve).public.multibase
            for k in self.published(source)
            for curve in [_curve_of(k.public_multibase)]
        )
