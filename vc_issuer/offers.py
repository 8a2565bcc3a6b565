"""Credential offers with a pre-authorized code and a tx_code (OpenID4VCI 1.0).

An offer has a random id (the last segment of its ``credential_offer_uri``);
its pre-authorized code is an HMAC of that id under a server secret, so the
database keeps only the code's hash and still serves the offer by reference.
The tx_code (6 digits, for a second channel such as SMS) is kept as a keyed
hash, the citizen's BSN sealed for the offer (``KeyRing.seal_subject``).
Offers live ``offer_ttl`` and are deleted when redeemed or after too many
wrong tx_codes; QR codes carry the offer by reference.

Spec: openid-4-verifiable-credential-issuance-1_0#name-credential-offer
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from urllib.parse import quote

from vc_core.types import Clock, JsonObject
from vc_issuer.db import Database, OfferRecord
from vc_issuer.errors import OfferExpired, OfferNotFound
from vc_issuer.keys import KeyRing

__all__ = [
    "OFFER_SCHEME",
    "PRE_AUTHORIZED_GRANT",
    "TX_CODE_DESCRIPTION",
    "CreatedOffer",
    "Offers",
    "code_hash",
    "offer_label",
]

OFFER_SCHEME = "openid-credential-offer://"
PRE_AUTHORIZED_GRANT = "urn:ietf:params:oauth:grant-type:pre-authorized_code"
TX_CODE_LENGTH = 6
TX_CODE_DESCRIPTION = "Voer de 6-cijferige code in die u per sms hebt ontvangen"


def _utc_now() -> datetime:
    return datetime.now(UTC)


def _random_tx_code() -> str:
    return "".join(secrets.choice("0123456789") for _ in range(TX_CODE_LENGTH))


def code_hash(code: str) -> str:
    """The stored form of a pre-authorized code (hex SHA-256)."""
    return hashlib.sha256(code.encode("utf-8")).hexdigest()


@dataclass(frozen=True, slots=True)
class CreatedOffer:
    """A new offer for a citizen: what to show (QR, link) and what to send (tx_code)."""

    id: str
    credential_issuer: str
    configuration_ids: tuple[str, ...]
    pre_authorized_code: str
    tx_code: str | None
    expires_at: datetime

    @property
    def offer(self) -> JsonObject:
        """The credential offer object."""
        return credential_offer(
            self.credential_issuer,
            self.configuration_ids,
            self.pre_authorized_code,
            with_tx_code=self.tx_code is not None,
        )

    @property
    def offer_url(self) -> str:
        """Where the wallet GETs the offer (the ``credential_offer_uri``)."""
        return f"{self.credential_issuer}/offers/{self.id}"

    @property
    def offer_uri(self) -> str:
        """The offer by reference: ``openid-credential-offer://?credential_offer_uri=…``."""
        return f"{OFFER_SCHEME}?credential_offer_uri={quote(self.offer_url, safe='')}"

    @property
    def offer_by_value_uri(self) -> str:
        """The offer by value (for notebooks and tests; too long for a comfortable QR)."""
        text = json.dumps(self.offer, separators=(",", ":"))
        return f"{OFFER_SCHEME}?credential_offer={quote(text, safe='')}"

    def qr_png(self) -> bytes:
        """A PNG QR code of :attr:`offer_uri`."""
        from vc_issuer.qr import qr_png

        return qr_png(self.offer_uri)

    def qr_svg(self) -> str:
        """An SVG QR code of :attr:`offer_uri`."""
        from vc_issuer.qr import qr_svg

        return qr_svg(self.offer_uri)


def credential_offer(
    credential_issuer: str,
    configuration_ids: Sequence[str],
    pre_authorized_code: str,
    *,
    with_tx_code: bool,
) -> JsonObject:
    """Build a credential offer object with the pre-authorized code grant.

    Spec: openid-4-verifiable-credential-issuance-1_0#name-credential-offer-parameters
    """
    grant: JsonObject = {"pre-authorized_code": pre_authorized_code}
    if with_tx_code:
        grant["tx_code"] = {
            "input_mode": "numeric",
            "length": TX_CODE_LENGTH,
            "description": TX_CODE_DESCRIPTION,
        }
    return {
        "credential_issuer": credential_issuer,
        "credential_configuration_ids": list(configuration_ids),
        "grants": {PRE_AUTHORIZED_GRANT: grant},
    }


def offer_label(offer_id: str) -> str:
    """What an offer's BSN is sealed for (:meth:`KeyRing.seal_subject`)."""
    return f"offer:{offer_id}"


class Offers:
    """Creates, serves and checks offers in one database; ``keys`` key codes and tx_codes
    and seal the citizen's BSN."""

    def __init__(self, db: Database, *, keys: KeyRing, ttl: timedelta) -> None:
        self._db = db
        self._keys = keys
        self._secret = keys.derived_secret("offers")
        self._ttl = ttl

    def _code(self, offer_id: str) -> str:
        digest = hmac.new(self._secret, f"code:{offer_id}".encode(), hashlib.sha256).digest()
        return digest[:24].hex()

    def tx_code_hash(self, offer_id: str, tx_code: str) -> str:
        """The stored form of a tx_code (HMAC bound to the offer)."""
        message = f"tx_code:{offer_id}:{tx_code}".encode()
        return hmac.new(self._secret, message, hashlib.sha256).hexdigest()

    def create(
        self,
        *,
        source: str,
        credential_issuer: str,
        subject: str,
        configuration_ids: Sequence[str],
        tx_code: str | None = None,
        with_tx_code: bool = True,
        clock: Clock = _utc_now,
        token: Callable[[int], str] = secrets.token_urlsafe,
    ) -> CreatedOffer:
        """Store a new offer; a tx_code is drawn unless given (or ``with_tx_code=False``)."""
        if not configuration_ids or len(set(configuration_ids)) != len(configuration_ids):
            raise ValueError("configuration_ids must be non-empty and unique")
        if tx_code is not None and not (
            len(tx_code) == TX_CODE_LENGTH and tx_code.isascii() and tx_code.isdigit()
        ):
            raise ValueError(f"a tx_code is {TX_CODE_LENGTH} digits")
        now = clock()
        offer_id = token(32)
        code = self._code(offer_id)
        pin = (tx_code or _random_tx_code()) if with_tx_code else None
        record = OfferRecord(
            id=offer_id,
            source=source,
            sealed_subject=self._keys.seal_subject(subject, bound_to=offer_label(offer_id)),
            configuration_ids=tuple(configuration_ids),
            code_hash=code_hash(code),
            tx_code_hash=None if pin is None else self.tx_code_hash(offer_id, pin),
            failed_attempts=0,
            created_at=now,
            expires_at=now + self._ttl,
        )
        with self._db.write_statement() as unit:
            unit.add_offer(record)
        return CreatedOffer(
            offer_id, credential_issuer, record.configuration_ids, code, pin, record.expires_at
        )

    def document(
        self, source: str, offer_id: str, *, credential_issuer: str, clock: Clock = _utc_now
    ) -> JsonObject:
        """The offer object served at its ``credential_offer_uri``.

        Raises ``OfferNotFound`` (unknown or redeemed) or ``OfferExpired``.
        """
        with self._db.read() as unit:
            record = unit.offer(offer_id)
        if record is None or record.source != source:
            raise OfferNotFound("no such credential offer (it may have been used already)")
        if clock() >= record.expires_at:
            raise OfferExpired("this credential offer has expired; ask for a new one")
        return credential_offer(
            credential_issuer,
            record.configuration_ids,
            self._code(record.id),
            with_tx_code=record.tx_code_hash is not None,
        )
