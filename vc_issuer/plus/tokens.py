"""The signed messages of Blauwe Knop Plus, all compact JWS over JSON (vc_core.jws).

- The **grant** (``typ`` ``consent-grant+jwt``): a JWT claims set signed by
  every source in its scope. The citizen's copy is the RFC 7515 General JSON
  Serialization ``{"payload", "signatures": [{"protected", "signature"}]}``;
  each signature with the payload is a compact JWT its own source accepts.
  Each protected header names its source: ``kid`` (the source's did:web key)
  and ``iss`` (the source's URL, RFC 7519 §5.3).
- The **client assertion** (``typ`` ``client-authentication+jwt``, RFC 7523
  ``private_key_jwt``): the recipient's proof of possession, ``iss`` = ``sub``
  = its DID, ``aud`` = the source's URL, ``jti`` used once, ``exp`` at most
  five minutes ahead.
- The wallet's **consent request** (``consent-request+jwt``) and **control
  request** (``consent-control+jwt``), signed by the holder's did:key.
- The **access-log export** (``consent-access-log+jwt``), signed by a source.

Spec: rfc7523#section-3
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from vc_core.errors import JwsError
from vc_core.jws import parse_jws, sign_jws, verify_jws
from vc_core.keys import KeyPair, PublicKey
from vc_core.types import Clock, JsonObject
from vc_issuer.db import RecipientRecord
from vc_issuer.errors import ClientAuthenticationFailed, InvalidRequest, OAuthError

__all__ = [
    "ACCESS_LOG_TYP",
    "CLIENT_ASSERTION_TYP",
    "CLIENT_ASSERTION_TYPE",
    "CONSENT_CONTROL_TYP",
    "CONSENT_REQUEST_TYP",
    "GRANT_TYP",
    "ClientAssertion",
    "SignedGrant",
    "check_client_assertion",
    "numeric_date",
    "payload_hash",
    "sign_grant",
]

GRANT_TYP = "consent-grant+jwt"
CLIENT_ASSERTION_TYP = "client-authentication+jwt"
CLIENT_ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
CONSENT_REQUEST_TYP = "consent-request+jwt"
CONSENT_CONTROL_TYP = "consent-control+jwt"
ACCESS_LOG_TYP = "consent-access-log+jwt"
ALGORITHMS: tuple[str, ...] = ("ES256", "EdDSA")
"""The JOSE algorithms Plus accepts from recipients and wallets."""
MAX_ASSERTION_LIFETIME = timedelta(minutes=5)
_CLOCK_SKEW = timedelta(seconds=60)


def numeric_date(payload: JsonObject, name: str, error: type[OAuthError]) -> datetime:
    """A required NumericDate claim as an aware datetime; ``error`` if missing or bad."""
    value = payload.get(name)
    if not isinstance(value, int | float) or isinstance(value, bool):
        raise error(f"the JWT claim {name} must be a NumericDate")
    try:
        return datetime.fromtimestamp(value, UTC)
    except (OverflowError, OSError, ValueError) as exc:
        raise error(f"the JWT claim {name} is out of range") from exc


def payload_hash(compact: str) -> str:
    """SHA-256 (hex) of a compact JWS's payload segment: what every source signed."""
    return hashlib.sha256(compact.split(".")[1].encode("ascii")).hexdigest()


@dataclass(frozen=True, slots=True)
class SignedGrant:
    """A grant signed by its sources: the General JSON document and its payload hash."""

    document: JsonObject
    payload_hash: str


def sign_grant(payload: JsonObject, signers: Sequence[tuple[KeyPair, str]]) -> SignedGrant:
    """Sign a grant's claims with each ``(source key, source URL)``, in one JSON document.

    Spec: rfc7515#section-7.2.1
    """
    compacts = [
        sign_jws(payload, key, typ=GRANT_TYP, kid=key.id, headers={"iss": location})
        for key, location in signers
    ]
    encoded_payload = compacts[0].split(".")[1]
    signatures = []
    for compact in compacts:
        protected, encoded, signature = compact.split(".")
        # Implementation note: the payload is serialized deterministically, so every
        # source signs the same bytes and one payload serves all signatures.
        if encoded != encoded_payload:
            raise ValueError("the sources signed different payloads")
        signatures.append({"protected": protected, "signature": signature})
    document = {"payload": encoded_payload, "signatures": signatures}
    return SignedGrant(document, payload_hash(compacts[0]))


@dataclass(frozen=True, slots=True)
class ClientAssertion:
    """A verified client assertion: the recipient it authenticates, its jti and expiry."""

    recipient: RecipientRecord
    jti: str
    expires_at: datetime


def check_client_assertion(
    assertion_type: object,
    assertion: object,
    *,
    find_recipient: Callable[[str], RecipientRecord | None],
    audiences: Collection[str],
    clock: Clock,
) -> ClientAssertion:
    """Authenticate a recipient by its ``private_key_jwt`` client assertion.

    ``find_recipient(did)`` returns the active registration or ``None``.
    Raises ``ClientAuthenticationFailed`` (401 ``invalid_client``); whether the
    ``jti`` was used before is the caller's check.

    Spec: rfc7523#section-3
    """
    if assertion_type != CLIENT_ASSERTION_TYPE or not isinstance(assertion, str):
        raise InvalidRequest(
            f"authenticate with client_assertion_type={CLIENT_ASSERTION_TYPE} and a "
            "client_assertion JWT signed with your registered key"
        )
    try:
        unverified = parse_jws(assertion)
    except JwsError as exc:
        raise ClientAuthenticationFailed(f"the client assertion: {exc.detail}") from exc
    claims = unverified.payload
    # Step 1: iss and sub are the client_id (the recipient's DID).
    issuer = claims.get("iss")
    if not isinstance(issuer, str) or claims.get("sub") != issuer:
        raise ClientAuthenticationFailed("the client assertion needs iss = sub = your DID")
    recipient = find_recipient(issuer)
    if recipient is None:
        raise ClientAuthenticationFailed(f"{issuer} is not a registered recipient of this source")
    # Step 2: signed with a key the recipient registered (its kid).
    kid = unverified.header.get("kid")
    if not isinstance(kid, str) or kid not in recipient.keys:
        raise ClientAuthenticationFailed("the client assertion kid is not a registered key")
    try:
        verify_jws(
            assertion,
            expected_typ=CLIENT_ASSERTION_TYP,
            key=PublicKey.from_multibase(recipient.keys[kid]),
            algorithms=ALGORITHMS,
        )
    except JwsError as exc:
        raise ClientAuthenticationFailed(f"the client assertion: {exc.detail}") from exc
    # Step 3: aud is this source.
    audience = claims.get("aud")
    listed = audience if isinstance(audience, list) else [audience]
    if not any(isinstance(a, str) and a in audiences for a in listed):
        raise ClientAuthenticationFailed(f"the client assertion aud must be {min(audiences)}")
    # Step 4: exp is required, and short; iat (if present) not in the future.
    now = clock()
    expires_at = numeric_date(claims, "exp", ClientAuthenticationFailed)
    if expires_at <= now:
        raise ClientAuthenticationFailed("the client assertion has expired")
    if expires_at > now + MAX_ASSERTION_LIFETIME + _CLOCK_SKEW:
        raise ClientAuthenticationFailed("the client assertion lives longer than five minutes")
    if "iat" in claims and numeric_date(claims, "iat", ClientAuthenticationFailed) > (
        now + _CLOCK_SKEW
    ):
        raise ClientAuthenticationFailed("the client assertion iat lies in the future")
    # Step 5: a jti, for replay protection.
    jti = claims.get("jti")
    if not isinstance(jti, str) or not 8 <= len(jti) <= 256:
        raise ClientAuthenticationFailed("the client assertion needs a unique jti")
    return ClientAssertion(recipient, jti, expires_at)
