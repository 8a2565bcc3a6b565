"""``c_nonce`` values: stateless to hand out, single use when redeemed.

A nonce is ``base64url(issued_at ‖ random ‖ HMAC(secret, source ‖ issued_at ‖
random))`` (8 + 16 + 16 bytes). It is accepted by the source that issued it
while its HMAC is valid and it is younger than the nonce lifetime; the
credential endpoint then records its hash as used until it would have expired
anyway, so a replay is refused (docs/protocols.md, "Nonce endpoint").

Implementation note: the sources of one deployment share the secret, so the
source's name is in the MAC: a nonce of one Credential Issuer is refused by
another.

Spec: openid-4-verifiable-credential-issuance-1_0#name-nonce-endpoint
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from vc_core.types import Clock
from vc_issuer.errors import InvalidNonce

__all__ = ["CheckedNonce", "NonceService"]

_TIME_BYTES, _RANDOM_BYTES, _MAC_BYTES = 8, 16, 16
_NONCE_BYTES = _TIME_BYTES + _RANDOM_BYTES + _MAC_BYTES
_CLOCK_SKEW = timedelta(seconds=60)


def _utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True, slots=True)
class CheckedNonce:
    """A nonce whose HMAC and age are good: its stored hash and when it stops mattering."""

    nonce_hash: str
    expires_at: datetime


class NonceService:
    """Issues and checks ``c_nonce`` values under one secret."""

    def __init__(self, secret: bytes, *, ttl: timedelta) -> None:
        self._secret = secret
        self._ttl = ttl

    def _mac(self, source: str, message: bytes) -> bytes:
        keyed = source.encode("utf-8") + b"\0" + message
        return hmac.new(self._secret, keyed, hashlib.sha256).digest()[:_MAC_BYTES]

    def issue(
        self,
        *,
        source: str,
        clock: Clock = _utc_now,
        random_bytes: Callable[[int], bytes] = os.urandom,
    ) -> str:
        """A fresh ``c_nonce`` of ``source``."""
        message = int(clock().timestamp()).to_bytes(_TIME_BYTES, "big") + random_bytes(
            _RANDOM_BYTES
        )
        return base64.urlsafe_b64encode(message + self._mac(source, message)).decode().rstrip("=")

    def check(self, nonce: str, *, source: str, clock: Clock = _utc_now) -> CheckedNonce:
        """Check a nonce's HMAC (for ``source``) and age; ``InvalidNonce`` when forged,
        another source's, malformed or stale."""
        try:
            raw = base64.urlsafe_b64decode(nonce + "=" * (-len(nonce) % 4))
        except (binascii.Error, ValueError) as exc:
            raise InvalidNonce("the c_nonce is not one of ours") from exc
        if len(raw) != _NONCE_BYTES:
            raise InvalidNonce("the c_nonce is not one of ours")
        message, mac = raw[:-_MAC_BYTES], raw[-_MAC_BYTES:]
        if not hmac.compare_digest(mac, self._mac(source, message)):
            raise InvalidNonce("the c_nonce is not one of ours")
        issued_at = datetime.fromtimestamp(int.from_bytes(raw[:_TIME_BYTES], "big"), UTC)
        now = clock()
        if issued_at > now + _CLOCK_SKEW or now - issued_at > self._ttl:
            raise InvalidNonce("the c_nonce has expired; get a new one")
        return CheckedNonce(hashlib.sha256(raw).hexdigest(), issued_at + self._ttl)
