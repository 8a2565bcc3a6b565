"""Issuer verification keys: JWT VC Issuer Metadata and inline ``x5c`` chains.

A verifier decides per issuer which mechanism it trusts (an attacker must not
choose it by adding or leaving out a header), so each mechanism is a separate
function and the recipes combine none of them on their own.

Spec: draft-ietf-oauth-sd-jwt-vc#name-issuer-verification-key-dis
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol
from urllib.parse import urlsplit

from vc_core import _jose, _x509
from vc_core.errors import IssuerKeyError, ParsingError
from vc_core.keys import PublicKey
from vc_core.types import JsonObject

__all__ = [
    "JWT_VC_ISSUER_WELL_KNOWN",
    "IssuerKey",
    "IssuerKeyResolver",
    "X5cIssuerKey",
    "check_https_issuer",
    "create_jwt_vc_issuer_metadata",
    "jwt_vc_issuer_metadata_url",
    "key_id",
    "parse_jwk_set",
    "select_issuer_key",
    "validate_jwt_vc_issuer_metadata",
    "x5c_issuer_key",
]

JWT_VC_ISSUER_WELL_KNOWN = "/.well-known/jwt-vc-issuer"
"""The well-known path segment inserted before the issuer's path."""


class IssuerKeyResolver(Protocol):
    """Return the trusted key that signed an issuer's JWT, or raise ``IssuerKeyError``.

    ``issuer`` is the unverified ``iss`` and ``header`` the unverified JOSE
    header (``kid``, ``x5c``); the resolver decides whether it trusts them.
    """

    def __call__(self, issuer: str, header: Mapping[str, Any]) -> PublicKey: ...


def check_https_issuer(issuer: object) -> str:
    """Return ``issuer`` if it is an https URL without query, fragment or user info.

    Raises ``IssuerKeyError`` (``ISSUER_KEY_ERROR``) otherwise.
    """
    if not isinstance(issuer, str):
        raise IssuerKeyError("the issuer identifier is not a string")
    try:
        parts = urlsplit(issuer)
        parts.port  # noqa: B018 (Implementation note: urlsplit checks the port lazily)
    except ValueError as exc:
        raise IssuerKeyError(f"issuer {issuer!r} is not a URL: {exc}") from exc
    if (
        parts.scheme != "https"
        or not parts.hostname
        or parts.query
        or parts.fragment
        or "@" in parts.netloc
        or issuer.endswith(("?", "#"))
    ):
        raise IssuerKeyError(f"issuer {issuer!r} is not an https URL without query or fragment")
    return issuer


def jwt_vc_issuer_metadata_url(issuer: str) -> str:
    """Return where an issuer's JWT VC Issuer Metadata lives.

    ``/.well-known/jwt-vc-issuer`` goes between the host and the path of
    ``iss`` (a terminating ``/`` of the path is removed).

    Spec: draft-ietf-oauth-sd-jwt-vc#name-jwt-vc-issuer-metadata-requ
    """
    parts = urlsplit(check_https_issuer(issuer))
    # Step 1: remove any terminating / of the path.
    path = parts.path.rstrip("/")
    # Step 2: insert the well-known string between the host and the path.
    return f"https://{parts.netloc}{JWT_VC_ISSUER_WELL_KNOWN}{path}"


def create_jwt_vc_issuer_metadata(
    issuer: str, keys: Sequence[PublicKey] | Mapping[str, PublicKey]
) -> JsonObject:
    """Return an issuer's JWT VC Issuer Metadata with its keys by value (``jwks``).

    ``keys`` maps each ``kid`` to its key; a plain sequence gives every key its
    RFC 7638 thumbprint (:func:`key_id`). The ``kid`` is what goes in the header
    of what the issuer signs with that key.

    Spec: draft-ietf-oauth-sd-jwt-vc#name-jwt-vc-issuer-metadata-resp
    """
    if not isinstance(issuer, str) or not issuer.startswith("https://"):
        raise ValueError(f"an issuer identifier is an https URL, got {issuer!r}")
    named = keys if isinstance(keys, Mapping) else {key_id(key): key for key in keys}
    jwks = [
        {**key.to_jwk(), "kid": kid, "use": "sig", "alg": key.alg} for kid, key in named.items()
    ]
    return {"issuer": issuer, "jwks": {"keys": jwks}}


def key_id(key: PublicKey) -> str:
    """The ``kid`` we give a public key: its RFC 7638 JWK thumbprint."""
    return _jose.jwk_thumbprint(key.to_jwk())


def validate_jwt_vc_issuer_metadata(metadata: object, issuer: str) -> JsonObject:
    """Check untrusted JWT VC Issuer Metadata for ``issuer``; return it.

    ``issuer`` must be identical to ``iss``, and exactly one of ``jwks`` (an
    object) and ``jwks_uri`` (an https URL) must be present. Raises
    ``IssuerKeyError`` (``ISSUER_KEY_ERROR``).

    Spec: draft-ietf-oauth-sd-jwt-vc#name-jwt-vc-issuer-metadata-vali
    """
    if not isinstance(metadata, dict):
        raise IssuerKeyError("JWT VC Issuer Metadata is not a JSON object")
    # Step 1: the issuer value must be identical to iss, else the data is not used.
    if metadata.get("issuer") != issuer:
        raise IssuerKeyError(
            f"JWT VC Issuer Metadata names issuer {metadata.get('issuer')!r}, not {issuer!r}"
        )
    # Step 2: jwks_uri or jwks, but not both.
    has_jwks, has_uri = "jwks" in metadata, "jwks_uri" in metadata
    if has_jwks == has_uri:
        raise IssuerKeyError("JWT VC Issuer Metadata must hold exactly one of jwks and jwks_uri")
    if has_jwks and not isinstance(metadata["jwks"], dict):
        raise IssuerKeyError("JWT VC Issuer Metadata jwks is not a JWK Set object")
    if has_uri:
        uri = metadata["jwks_uri"]
        if not isinstance(uri, str) or not uri.startswith("https://"):
            raise IssuerKeyError("JWT VC Issuer Metadata jwks_uri is not an https URL")
    return metadata


@dataclass(frozen=True, slots=True)
class IssuerKey:
    """One verification key of an issuer, with the ``kid`` and ``alg`` its JWK named."""

    kid: str | None
    alg: str | None
    key: PublicKey


def parse_jwk_set(jwks: object) -> tuple[IssuerKey, ...]:
    """Read the signature keys we can use from an untrusted JWK Set.

    Keys of other types or for other uses are skipped. Raises
    ``IssuerKeyError`` (``ISSUER_KEY_ERROR``) for a malformed set or key.

    Spec: rfc7517#section-5
    """
    try:
        entries = _jose.signing_keys_of_jwk_set(jwks)
        return tuple(
            IssuerKey(entry.kid, entry.alg, PublicKey.from_jwk(entry.jwk)) for entry in entries
        )
    except ValueError as exc:
        raise IssuerKeyError(f"the issuer's JWK Set is not usable: {exc}") from exc
    except ParsingError as exc:
        raise IssuerKeyError(f"the issuer's key is not usable: {exc.detail}") from exc


def select_issuer_key(keys: Sequence[IssuerKey], header: Mapping[str, Any]) -> PublicKey:
    """Pick the key a JWS header names from an issuer's keys.

    With a ``kid`` the key with that ``kid``; without one the issuer must have
    a single key. A key's ``alg``, when given, must be the header's. Raises
    ``IssuerKeyError`` (``ISSUER_KEY_ERROR``).

    Spec: draft-ietf-oauth-sd-jwt-vc#name-jwt-vc-issuer-metadata-resp
    """
    kid = header.get("kid")
    if kid is not None:
        keys = [entry for entry in keys if entry.kid == kid]
        if not keys:
            raise IssuerKeyError(f"the issuer has no signing key with kid {kid!r}")
    if len(keys) != 1:
        raise IssuerKeyError(
            f"the JWS names no kid and the issuer has {len(keys)} signing keys; cannot choose"
        )
    entry = keys[0]
    if entry.alg is not None and entry.alg != header.get("alg"):
        raise IssuerKeyError(
            f"the issuer's key is for alg {entry.alg!r}, not {header.get('alg')!r}"
        )
    return entry.key


@dataclass(frozen=True, slots=True)
class X5cIssuerKey:
    """An issuer key from a validated ``x5c`` chain, usable until ``not_after``."""

    key: PublicKey
    not_after: datetime


def x5c_issuer_key(
    issuer: str,
    header: Mapping[str, Any],
    *,
    trust_anchors: Sequence[_x509.Certificate],
    now: datetime,
) -> X5cIssuerKey:
    """Return the leaf key of the ``x5c`` chain in ``header`` if it validates for ``issuer``.

    The chain must lead to one of ``trust_anchors`` and be valid at ``now``;
    the leaf certificate must name the issuer: a subjectAltName URI equal to
    ``iss``, or a DNS name equal to the host of ``iss``. ``not_after`` is the
    earliest expiry in the chain. Raises ``IssuerKeyError`` (``ISSUER_KEY_ERROR``).

    Spec: draft-ietf-oauth-sd-jwt-vc#name-issuer-verification-key-dis
    """
    host = urlsplit(check_https_issuer(issuer)).hostname
    if "x5c" not in header:
        raise IssuerKeyError("the JWS header has no x5c certificate chain")
    try:
        chain = _x509.verify_chain(header["x5c"], trust_anchors, now=now)
    except ValueError as exc:
        raise IssuerKeyError(str(exc)) from exc
    dns_names, uris = _x509.leaf_names(chain.leaf)
    if issuer not in uris and (host or "").lower() not in dns_names:
        raise IssuerKeyError(f"the x5c leaf certificate does not name issuer {issuer!r}")
    return X5cIssuerKey(PublicKey(chain.curve, chain.key), chain.not_after)
