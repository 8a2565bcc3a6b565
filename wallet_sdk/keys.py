"""Holder keys: did:key key pairs (P-256 by default, or Ed25519) kept in the wallet store.

A key is made when a credential needs one (on first use) and every copy of a
batch gets its own key, so copies shown to different verifiers do not share
a holder DID (docs/protocols.md, P16). The secret never leaves the store except in
an encrypted backup.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Literal

from vc_core.did import did_key, did_key_verification_method_id
from vc_core.keys import Curve, KeyPair
from vc_core.types import Clock
from wallet_sdk.activity import timestamp
from wallet_sdk.records import HolderKeyRecord
from wallet_sdk.store import WalletStore

__all__ = ["HolderCurve", "HolderKeys", "holder_cryptosuite"]

HolderCurve = Literal["P-256", "Ed25519"]


def _utc_now() -> datetime:
    return datetime.now(UTC)


def holder_cryptosuite(key: KeyPair) -> Literal["ecdsa-rdfc-2019", "eddsa-rdfc-2022"]:
    """The suite a holder signs presentations with: ecdsa-rdfc-2019 (P-256) or eddsa-rdfc-2022."""
    return "eddsa-rdfc-2022" if key.curve == "Ed25519" else "ecdsa-rdfc-2019"


class HolderKeys:
    """Create and look up the wallet's holder keys.

    ``generate`` makes a key pair for a curve (default :meth:`KeyPair.generate`;
    tests may pass a deterministic one).
    """

    def __init__(
        self,
        store: WalletStore,
        *,
        generate: Callable[[Curve], KeyPair] = KeyPair.generate,
        clock: Clock = _utc_now,
    ) -> None:
        self._store = store
        self._generate = generate
        self._clock = clock

    def new(self, curve: HolderCurve = "P-256") -> KeyPair:
        """Make a new key on ``curve`` with its did:key VM id; not stored until :meth:`save`.

        Implementation note: keys are saved together with the credentials bound
        to them, so a refused credential leaves no key behind.
        """
        if curve not in ("P-256", "Ed25519"):
            raise ValueError(f"holder keys are P-256 or Ed25519, not {curve!r}")
        pair = self._generate(curve)
        return self._named(pair, did_key(pair))

    def save(self, key: KeyPair) -> None:
        """Store a key made by :meth:`new` (inside the caller's transaction, if any)."""
        if key.controller is None:
            raise ValueError("save keys made by HolderKeys.new")
        self._store.put_key(
            HolderKeyRecord(
                did=key.controller,
                curve=key.curve,
                secret_multibase=key.to_multikey(include_secret=True)["secretKeyMultibase"],
                public_multibase=key.public.multibase,
                created=timestamp(self._clock()),
            )
        )

    def get(self, did: str) -> KeyPair:
        """The key pair of holder DID ``did``; ``StoreError`` (``RECORD_NOT_FOUND``) if unknown."""
        record = self._store.get_key(did)
        pair = KeyPair.from_multikey(
            {
                "publicKeyMultibase": record.public_multibase,
                "secretKeyMultibase": record.secret_multibase,
            }
        )
        return self._named(pair, record.did)

    @staticmethod
    def _named(pair: KeyPair, did: str) -> KeyPair:
        return KeyPair(pair.public, pair.private_key, did_key_verification_method_id(pair), did)
