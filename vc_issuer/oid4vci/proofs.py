"""Key proofs of the credential request: the ``jwt`` proof type.

A wallet proves possession of the key a credential will be bound to with a
JWT that names the key by a did:key DID URL (``kid``) or an embedded public
``jwk``, is audienced to the Credential Issuer Identifier and carries the
issuer's ``c_nonce``. The holder DID is the did:key of that key. Whether the
nonce is fresh and unused is the caller's check.

Spec: openid-4-verifiable-credential-issuance-1_0#name-jwt-proof-type
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from vc_core.did import did_key
from vc_core.errors import JwsError
from vc_core.jws import verify_jws
from vc_core.keys import PublicKey
from vc_core.types import Clock
from vc_issuer.errors import InvalidProof

__all__ = [
    "PROOF_ALGORITHMS",
    "PROOF_TYP",
    "KeyProof",
    "verify_proof_jwt",
]

PROOF_TYP = "openid4vci-proof+jwt"
PROOF_ALGORITHMS: tuple[str, ...] = ("ES256", "EdDSA")
"""The ``alg`` values the issuer metadata lists and the issuer accepts."""
_IAT_PAST = timedelta(minutes=5)
_IAT_FUTURE = timedelta(minutes=1)


@dataclass(frozen=True, slots=True)
class KeyProof:
    """A verified key proof: the holder's DID (did:key) and the ``c_nonce`` it carries."""

    holder_did: str
    nonce: str
    key: PublicKey


def _utc_now() -> datetime:
    return datetime.now(UTC)


def _numeric_date(value: object, name: str) -> datetime:
    if not isinstance(value, int | float) or isinstance(value, bool):
        raise InvalidProof(f"the proof JWT claim {name} must be a NumericDate")
    try:
        return datetime.fromtimestamp(value, UTC)
    except (OverflowError, OSError, ValueError) as exc:
        raise InvalidProof(f"the proof JWT claim {name} is out of range") from exc


def verify_proof_jwt(proof: object, *, audience: str, clock: Clock = _utc_now) -> KeyProof:
    """Verify one ``jwt`` key proof for the issuer ``audience``; ``InvalidProof`` if it fails.

    Spec: openid-4-verifiable-credential-issuance-1_0#name-jwt-proof-type
    """
    # Step 1: typ, alg (asymmetric, listed), one key by kid (did:key) or jwk (no "d"),
    # and the signature (vc_core.jws refuses none/HS*, x5c, crit and a private jwk).
    try:
        verified = verify_jws(
            proof, expected_typ=PROOF_TYP, allow_jwk=True, algorithms=PROOF_ALGORITHMS
        )
    except JwsError as exc:
        raise InvalidProof(f"the proof JWT is not valid: {exc.detail}") from exc
    header, payload = verified.header, verified.payload
    # Step 2: the key must be a did:key DID URL or a jwk, and fixes the holder DID.
    if "kid" in header:
        kid: str = header["kid"]
        if not kid.startswith("did:key:"):
            raise InvalidProof("the proof JWT kid must be a did:key DID URL")
        holder_did = kid.partition("#")[0]
    elif "jwk" in header:
        holder_did = did_key(verified.key)
    else:
        raise InvalidProof("the proof JWT names no key (kid or jwk)")
    # Step 3: iss is omitted in the anonymous pre-authorized flow.
    if "iss" in payload:
        raise InvalidProof("the proof JWT must not carry iss for pre-authorized anonymous access")
    # Step 4: aud is the Credential Issuer Identifier, exactly.
    if payload.get("aud") != audience:
        raise InvalidProof(f"the proof JWT aud must be {audience}")
    # Step 5: iat is required and recent.
    if "iat" not in payload:
        raise InvalidProof("the proof JWT has no iat")
    now = clock()
    issued_at = _numeric_date(payload["iat"], "iat")
    if not now - _IAT_PAST <= issued_at <= now + _IAT_FUTURE:
        raise InvalidProof("the proof JWT iat is outside the accepted window")
    # Implementation note: an exp, when present, must not have passed.
    if "exp" in payload and _numeric_date(payload["exp"], "exp") <= now:
        raise InvalidProof("the proof JWT has expired")
    # Step 6: nonce is required (the issuer has a nonce endpoint).
    nonce = payload.get("nonce")
    if not isinstance(nonce, str) or not nonce:
        raise InvalidProof("the proof JWT has no nonce; get one from the nonce endpoint")
    return KeyProof(holder_did, nonce, verified.key)
