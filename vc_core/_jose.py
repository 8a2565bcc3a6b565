"""joserfc adapter: JSON Web Key Sets and JWK thumbprints.

The only module allowed to import ``joserfc``. Compact JWS signing and
verification stay in :mod:`vc_core.jws`: measured on the SD-JWT VC hot path,
joserfc verified no faster, signed slower, cannot sign with deterministic
(RFC 6979) ECDSA, and accepts duplicate header members that we refuse (see
the README, "Dependencies"). What joserfc does here is the part of JOSE we
would otherwise grow by hand: importing untrusted JWK Sets (every key type,
``use``, ``key_ops``, ``alg``) and RFC 7638 thumbprints.

Every function raises ``ValueError`` on bad input; callers translate it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from joserfc.errors import JoseError
from joserfc.jwk import JWKRegistry

__all__ = ["JwkSetEntry", "jwk_thumbprint", "signing_keys_of_jwk_set"]

# The key types and curves vc_core.keys.PublicKey handles.
_USABLE = {("EC", "P-256"), ("EC", "P-384"), ("OKP", "Ed25519")}


@dataclass(frozen=True, slots=True)
class JwkSetEntry:
    """One public signature-verification key of a JWK Set: its ``kid`` and public JWK."""

    kid: str | None
    jwk: dict[str, Any]
    alg: str | None


def _import(jwk: Mapping[str, Any]) -> Any:
    try:
        return JWKRegistry.import_key(dict(jwk))
    except (JoseError, ValueError, TypeError, KeyError) as exc:
        raise ValueError(f"invalid JWK: {exc}") from exc


def signing_keys_of_jwk_set(jwks: object) -> tuple[JwkSetEntry, ...]:
    """Return the public signature keys of an untrusted JWK Set we can verify with.

    Keys of other types (RSA, symmetric) and keys whose ``use`` or
    ``key_ops`` exclude verification are skipped; a malformed key, a private
    key, or a set without ``keys`` raises ``ValueError``.

    Spec: rfc7517#section-5
    """
    if not isinstance(jwks, Mapping) or not isinstance(jwks.get("keys"), list):
        raise ValueError("a JWK Set is an object with a 'keys' array")
    entries: list[JwkSetEntry] = []
    for jwk in jwks["keys"]:
        if not isinstance(jwk, Mapping):
            raise ValueError("every member of 'keys' is a JWK object")
        key = _import(jwk)
        if key.is_private:
            raise ValueError("a published JWK Set holds a private key")
        if (jwk.get("kty"), jwk.get("crv")) not in _USABLE:
            continue
        use, key_ops = jwk.get("use"), jwk.get("key_ops")
        if use is not None and use != "sig":
            continue
        if key_ops is not None and (not isinstance(key_ops, list) or "verify" not in key_ops):
            continue
        kid, alg = jwk.get("kid"), jwk.get("alg")
        if not isinstance(kid, str | None) or not isinstance(alg, str | None):
            raise ValueError("JWK kid and alg are strings")
        entries.append(JwkSetEntry(kid, dict(key.as_dict(private=False)), alg))
    return tuple(entries)


def jwk_thumbprint(jwk: Mapping[str, Any]) -> str:
    """Return the RFC 7638 SHA-256 thumbprint (base64url) of a public JWK.

    Spec: rfc7638#section-3
    """
    return str(_import(jwk).thumbprint())
