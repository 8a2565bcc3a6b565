"""The Key Binding JWT: the holder's signature over one presentation of an SD-JWT.

Spec: rfc9901#name-key-binding-jwt
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime, timedelta

from vc_core._multibase import encode_base64url_nopad
from vc_core.errors import (
    InvalidChallengeError,
    InvalidDomainError,
    JwsError,
    KeyBindingError,
    ProofExpiredError,
)
from vc_core.hazmat.sd_jwt.disclosures import DEFAULT_SD_ALG, SD_ALGS
from vc_core.hazmat.sd_jwt.jwt_claims import numeric_date, to_numeric_date
from vc_core.jws import ALLOWED_ALGS, parse_jws, sign_jws
from vc_core.keys import KeyPair, PublicKey

__all__ = [
    "KB_JWT_TYP",
    "KeyBinding",
    "compute_sd_hash",
    "create_key_binding_jwt",
    "verify_key_binding_jwt",
]

KB_JWT_TYP = "kb+jwt"
"""The ``typ`` of every Key Binding JWT."""


@dataclass(frozen=True, slots=True)
class KeyBinding:
    """What a verified Key Binding JWT says: for whom, for which request, and when."""

    audience: str
    nonce: str
    issued_at: datetime


def compute_sd_hash(sd_jwt: str, sd_alg: str = DEFAULT_SD_ALG) -> str:
    """Return ``sd_hash``: the base64url digest of the presented SD-JWT's ASCII text.

    ``sd_jwt`` is the Issuer-signed JWT and the presented Disclosures, each
    followed by ``~`` (so it ends with ``~``).

    Spec: rfc9901#name-binding-to-an-sd-jwt
    """
    if not sd_jwt.endswith("~"):
        raise ValueError("sd_hash covers an SD-JWT that ends with '~'")
    # Step 1: the same hash algorithm as the Disclosures, over the US-ASCII bytes.
    digest = SD_ALGS[sd_alg](sd_jwt.encode("ascii")).digest()
    # Step 2: base64url of the digest bytes.
    return encode_base64url_nopad(digest)


def create_key_binding_jwt(
    sd_jwt: str,
    holder_key: KeyPair,
    *,
    audience: str,
    nonce: str,
    issued_at: datetime,
    sd_alg: str = DEFAULT_SD_ALG,
) -> str:
    """Sign a Key Binding JWT over ``sd_jwt`` (ending in ``~``) with the holder's key.

    Spec: rfc9901#name-key-binding-jwt
    """
    if not isinstance(audience, str) or not isinstance(nonce, str):
        raise TypeError("audience and nonce are strings")
    # Header: typ kb+jwt and an alg fitting the key (never none).
    # Payload: iat, aud (one string), nonce (a string) and sd_hash.
    payload = {
        "iat": to_numeric_date(issued_at),
        "aud": audience,
        "nonce": nonce,
        "sd_hash": compute_sd_hash(sd_jwt, sd_alg),
    }
    return sign_jws(payload, holder_key, typ=KB_JWT_TYP)


def verify_key_binding_jwt(
    kb_jwt: str,
    sd_jwt: str,
    *,
    holder_key: PublicKey,
    audience: str,
    nonce: str,
    now: datetime,
    max_age: timedelta,
    skew: timedelta,
    sd_alg: str = DEFAULT_SD_ALG,
    algorithms: Collection[str] = ALLOWED_ALGS,
) -> KeyBinding:
    """Check an untrusted Key Binding JWT sent with ``sd_jwt`` against the holder's key.

    Raises ``KeyBindingError`` (``INVALID_KEY_BINDING``) for a malformed
    token, a refused ``alg``, a bad signature, a ``typ`` other than
    ``kb+jwt`` or a wrong ``sd_hash``; ``ProofExpiredError`` when ``iat`` lies
    outside ``now - max_age - skew`` … ``now + skew`` (or ``exp``/``nbf`` say
    it is not valid now); ``InvalidChallengeError`` for another ``nonce`` and
    ``InvalidDomainError`` for another ``aud``.

    Spec: rfc9901#name-verification-by-the-verifie
    """
    try:
        unverified = parse_jws(kb_jwt)
    except JwsError as exc:
        raise KeyBindingError(f"the Key Binding JWT is malformed: {exc.detail}") from exc
    header, claims = unverified.header, unverified.payload
    # Step 5.1: the key is the holder's, from the SD-JWT's cnf (the caller's).
    # Step 5.2: an algorithm deemed secure, never none, fitting that key.
    alg = header["alg"]
    if alg not in algorithms or not holder_key.fits_alg(alg):
        raise KeyBindingError(f"Key Binding JWT alg {alg!r} is not accepted for this key")
    # Step 5.3: the signature.
    if not holder_key.verify(unverified.signature, unverified.signing_input):
        raise KeyBindingError("the Key Binding JWT signature does not verify with the cnf key")
    # Step 5.4: typ.
    if header.get("typ") != KB_JWT_TYP:
        raise KeyBindingError(f"Key Binding JWT typ {header.get('typ')!r} is not {KB_JWT_TYP!r}")
    # Step 5.5: iat within the acceptable window.
    try:
        issued_at = numeric_date(claims, "iat")
        expires = numeric_date(claims, "exp")
        not_before = numeric_date(claims, "nbf")
    except ValueError as exc:
        raise KeyBindingError(f"Key Binding JWT: {exc}") from exc
    if issued_at is None:
        raise KeyBindingError("the Key Binding JWT has no iat")
    if issued_at > now + skew:
        raise ProofExpiredError(f"the Key Binding JWT is issued in the future ({issued_at})")
    if issued_at < now - max_age - skew:
        raise ProofExpiredError(f"the Key Binding JWT was issued too long ago ({issued_at})")
    # Step 5.6: bound to this transaction (nonce) and made for this verifier (aud).
    if not isinstance(claims.get("nonce"), str) or claims["nonce"] != nonce:
        raise InvalidChallengeError("the Key Binding JWT nonce is not the expected one")
    if not isinstance(claims.get("aud"), str) or claims["aud"] != audience:
        raise InvalidDomainError("the Key Binding JWT aud is not this verifier")
    # Step 5.7: sd_hash over the Issuer-signed JWT and the presented Disclosures.
    if claims.get("sd_hash") != compute_sd_hash(sd_jwt, sd_alg):
        raise KeyBindingError("the Key Binding JWT sd_hash does not match the presented SD-JWT")
    # Step 5.8: a valid JWT in all other respects (exp and nbf, when present).
    if expires is not None and now - skew >= expires:
        raise ProofExpiredError("the Key Binding JWT has expired")
    if not_before is not None and now + skew < not_before:
        raise ProofExpiredError("the Key Binding JWT is not valid yet")
    return KeyBinding(claims["aud"], claims["nonce"], issued_at)
