"""Compact JWS (RFC 7515): proof JWTs, signed request objects, and the JWTs of SD-JWT VC.

The SD-JWT engine parses its Issuer-signed JWTs, Key Binding JWTs and Status
List Tokens with :func:`parse_jws` and checks the signature with the key its
resolver trusts; it stays on this module rather than joserfc because it was
measured no slower and it signs deterministically (see ``vc_core._jose``).

Only asymmetric algorithms on our key types are accepted (``ES256``, ``ES384``,
``EdDSA`` and its fully-specified name ``Ed25519``); ``none``, HMAC and RSA are
refused before any key is looked at. ECDSA signatures are raw ``r‖s`` (64
bytes for ES256). Everything about a token is untrusted: every failure is a
:class:`~vc_core.errors.JwsError` (``INVALID_JWS``).

>>> from vc_core.keys import KeyPair
>>> holder = KeyPair.generate("P-256")
>>> token = sign_jws({"aud": "https://issuer.example.nl/belastingdienst"}, holder,
...                  typ="openid4vci-proof+jwt", include_jwk=True)
>>> verify_jws(token, expected_typ="openid4vci-proof+jwt", allow_jwk=True).payload["aud"]
'https://issuer.example.nl/belastingdienst'
"""

from __future__ import annotations

import json
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from typing import Any

from vc_core._multibase import decode_base64url_canonical, encode_base64url_nopad
from vc_core.did import dereference_verification_method
from vc_core.errors import DidResolutionError, JwsError, ParsingError, VcError
from vc_core.keys import Curve, KeyPair, PublicKey
from vc_core.types import Fetch, JsonObject

__all__ = [
    "ALLOWED_ALGS",
    "UnverifiedJws",
    "VerifiedJws",
    "loads_strict_json",
    "parse_jws",
    "resolve_kid_did",
    "sign_jws",
    "verify_jws",
]

ALLOWED_ALGS: frozenset[str] = frozenset({"ES256", "ES384", "EdDSA", "Ed25519"})
"""The JOSE algorithms we sign and verify with; never ``none``, ``HS*`` or ``RS*``."""

# The curve each allowed algorithm requires (docs/protocols.md, did:key).
_ALG_CURVES: Mapping[str, Curve] = {
    "ES256": "P-256",
    "ES384": "P-384",
    "EdDSA": "Ed25519",
    "Ed25519": "Ed25519",
}
# Header parameters that sign_jws sets itself.
_RESERVED_HEADERS = frozenset({"alg", "typ", "kid", "jwk"})
# Implementation note: key sources we never follow (URLs, certificate chains);
# "b64" (RFC 7797) changes what is signed and is refused with them.
_REFUSED_HEADERS = frozenset({"jku", "x5u", "x5c", "b64"})
# Implementation note: request objects and proof JWTs are a few KiB; refuse
# anything far larger before decoding it.
_MAX_TOKEN_CHARS = 256 * 1024


@dataclass(frozen=True, slots=True)
class UnverifiedJws:
    """A parsed compact JWS whose signature has NOT been checked.

    ``signing_input`` is ``ASCII(BASE64URL(header) || '.' || BASE64URL(payload))``.
    """

    header: JsonObject
    payload: JsonObject
    signing_input: bytes
    signature: bytes


@dataclass(frozen=True, slots=True)
class VerifiedJws:
    """A compact JWS whose signature verified with ``key`` (the caller binds the key)."""

    header: JsonObject
    payload: JsonObject
    key: PublicKey


def _json_bytes(value: Mapping[str, Any]) -> bytes:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False, allow_nan=False).encode()


def sign_jws(
    payload: Mapping[str, Any],
    key: KeyPair,
    *,
    typ: str,
    kid: str | None = None,
    include_jwk: bool = False,
    headers: Mapping[str, Any] | None = None,
) -> str:
    """Sign ``payload`` (a JSON object) as a compact JWS with ``key``.

    ``alg`` follows the key: ``ES256`` (P-256), ``ES384`` (P-384) or ``EdDSA``
    (Ed25519). The header names the key by ``kid`` or by the public ``jwk``
    (``include_jwk``), never both. ``headers`` adds further parameters but
    cannot replace ``alg``, ``typ``, ``kid`` or ``jwk``.

    Spec: rfc7515#section-5.1
    """
    if not isinstance(payload, Mapping):
        raise TypeError("payload must be a JSON object (Mapping)")
    if not isinstance(key, KeyPair):
        raise TypeError("key must be a KeyPair")
    if kid is not None and include_jwk:
        raise ValueError("name the key by kid or by jwk, not both")
    extra = dict(headers or {})
    if _RESERVED_HEADERS & extra.keys():
        raise ValueError(f"headers must not set {sorted(_RESERVED_HEADERS & extra.keys())}")
    # Step 1: the JWS Payload is the UTF-8 JSON of ``payload``.
    payload_bytes = _json_bytes(payload)
    # Step 2: BASE64URL(JWS Payload).
    encoded_payload = encode_base64url_nopad(payload_bytes)
    # Step 3: the JOSE Header.
    header: JsonObject = {"alg": key.public.alg, "typ": typ}
    if kid is not None:
        header["kid"] = kid
    if include_jwk:
        header["jwk"] = key.public.to_jwk()
    header.update(extra)
    # Step 4: BASE64URL(UTF8(JWS Protected Header)).
    encoded_header = encode_base64url_nopad(_json_bytes(header))
    # Step 5: sign the JWS Signing Input (raw r||s for ECDSA).
    signing_input = f"{encoded_header}.{encoded_payload}".encode("ascii")
    signature = key.sign(signing_input)
    # Step 6: BASE64URL(JWS Signature).
    encoded_signature = encode_base64url_nopad(signature)
    # Step 7: Implementation note: compact serialization has one signature.
    # Step 8: the compact serialization.
    return f"{encoded_header}.{encoded_payload}.{encoded_signature}"


def _decode_part(part: str, what: str) -> bytes:
    """Strict base64url: unpadded, URL alphabet only, canonical trailing bits."""
    try:
        return decode_base64url_canonical(part)
    except ValueError as exc:
        raise JwsError(f"the JWS {what} is not canonical base64url: {exc}") from exc


def _unique_members(pairs: list[tuple[str, Any]]) -> JsonObject:
    members = dict(pairs)
    if len(members) != len(pairs):
        raise ValueError("duplicate member names")
    return members


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


# Implementation note: one decoder for every call (json.loads with hooks builds a new one,
# a fifth of the cost of parsing a JWS header).
_STRICT_DECODER = json.JSONDecoder(
    object_pairs_hook=_unique_members, parse_constant=_refuse_constant
)


def loads_strict_json(data: bytes) -> Any:
    """Parse UTF-8 JSON text, refusing duplicate member names and ``NaN``/``Infinity``.

    Raises ``ValueError`` (also for text nested too deeply to parse); callers
    that handle untrusted input translate it into their typed error.
    """
    try:
        return _STRICT_DECODER.decode(data.decode("utf-8"))
    except RecursionError as exc:
        raise ValueError("JSON nested too deeply") from exc


def _json_object(data: bytes, what: str) -> JsonObject:
    try:
        value = loads_strict_json(data)
    except ValueError as exc:
        raise JwsError(f"the JWS {what} is not UTF-8 JSON: {exc}") from exc
    if not isinstance(value, dict):
        raise JwsError(f"the JWS {what} is not a JSON object")
    return value


def _check_header(header: JsonObject, *, allow_x5c: bool) -> None:
    """Refuse what we cannot or must not process (alg, crit, key parameters)."""
    alg = header.get("alg")
    if not isinstance(alg, str) or alg not in ALLOWED_ALGS:
        raise JwsError(f"JWS alg {alg!r} is not allowed (only {', '.join(sorted(ALLOWED_ALGS))})")
    if "crit" in header:
        raise JwsError("JWS crit names extensions this implementation does not understand")
    refused = sorted((_REFUSED_HEADERS - ({"x5c"} if allow_x5c else set())) & header.keys())
    if refused:
        raise JwsError(f"JWS header parameters {refused} are not supported")
    for name in ("typ", "kid"):
        if name in header and not isinstance(header[name], str):
            raise JwsError(f"JWS {name} must be a string")
    if "jwk" in header:
        jwk = header["jwk"]
        if not isinstance(jwk, dict):
            raise JwsError("JWS jwk must be a JSON object")
        if "d" in jwk:
            raise JwsError("JWS jwk contains a private key ('d')")
        if "kid" in header:
            raise JwsError("JWS kid and jwk are mutually exclusive")


def parse_jws(
    token: object, *, allow_x5c: bool = False, max_chars: int = _MAX_TOKEN_CHARS
) -> UnverifiedJws:
    """Parse an untrusted compact JWS without checking its signature.

    Raises ``JwsError`` (``INVALID_JWS``) unless ``token`` is three strict
    base64url parts whose header and payload are JSON objects (no duplicate
    members), with an allowed ``alg``, no ``crit``, no private ``d`` in a
    ``jwk``, not both ``kid`` and ``jwk``, and a non-empty signature. An
    ``x5c`` header is refused unless ``allow_x5c`` (the caller then checks the
    chain); tokens longer than ``max_chars`` are refused unread.

    Spec: rfc7515#section-5.2
    """
    # Step 1: split the compact serialization into its three parts.
    if not isinstance(token, str):
        raise JwsError(f"a compact JWS must be a string, got {type(token).__name__}")
    if len(token) > max_chars:
        raise JwsError(f"the JWS is longer than {max_chars} characters")
    parts = token.split(".")
    if len(parts) != 3:
        raise JwsError(f"a compact JWS has 3 parts, got {len(parts)}")
    encoded_header, encoded_payload, encoded_signature = parts
    # Step 2: base64url-decode the protected header.
    header_bytes = _decode_part(encoded_header, "header")
    # Step 3: it must be UTF-8 JSON of one object.
    header = _json_object(header_bytes, "header")
    # Step 4: Implementation note: in compact form the JOSE Header is the protected header.
    # Step 5: understand every parameter we must (alg, crit, key parameters).
    _check_header(header, allow_x5c=allow_x5c)
    # Step 6: base64url-decode the payload (our payloads are JSON objects).
    payload = _json_object(_decode_part(encoded_payload, "payload"), "payload")
    # Step 7: base64url-decode the signature.
    signature = _decode_part(encoded_signature, "signature")
    if not signature:
        raise JwsError("the JWS has an empty signature")
    # Step 8 (signature validation) is verify_jws's.
    signing_input = f"{encoded_header}.{encoded_payload}".encode("ascii")
    return UnverifiedJws(header, payload, signing_input, signature)


def resolve_kid_did(kid: str, *, fetch: Fetch | None = None) -> PublicKey:
    """Return the public key a DID URL ``kid`` names (did:key offline, did:web via ``fetch``).

    Raises ``JwsError`` (``INVALID_JWS``) when the DID URL cannot be dereferenced.
    """
    try:
        return dereference_verification_method(kid, fetch=fetch).public_key
    except DidResolutionError as exc:
        raise JwsError(f"JWS kid {kid!r} cannot be resolved: {exc.detail}") from exc


def _header_key(
    header: JsonObject, *, allow_jwk: bool, resolve_kid: Callable[[str], PublicKey] | None
) -> PublicKey:
    """Find the verification key a JWS header names: its ``jwk`` (if allowed) or ``kid``."""
    if "jwk" in header:
        if not allow_jwk:
            raise JwsError("an embedded JWS jwk is not accepted here")
        try:
            return PublicKey.from_jwk(header["jwk"])
        except ParsingError as exc:
            raise JwsError(f"JWS jwk: {exc.detail}") from exc
    if "kid" in header:
        kid: str = header["kid"]
        try:
            return (resolve_kid or resolve_kid_did)(kid)
        except JwsError:
            raise
        except VcError as exc:
            raise JwsError(f"JWS kid {kid!r} cannot be resolved: {exc.detail}") from exc
    raise JwsError("the JWS header names no key (kid or jwk)")


def verify_jws(
    token: object,
    *,
    expected_typ: str,
    key: PublicKey | None = None,
    resolve_kid: Callable[[str], PublicKey] | None = None,
    allow_jwk: bool = False,
    algorithms: Collection[str] = ALLOWED_ALGS,
) -> VerifiedJws:
    """Verify an untrusted compact JWS and return its header, payload and key.

    ``typ`` must equal ``expected_typ`` exactly (no case folding, no implied
    ``application/`` prefix). The key is ``key`` when given; otherwise the
    header's ``jwk`` when ``allow_jwk`` (the caller then binds that key); otherwise
    ``kid`` through ``resolve_kid`` (default: :func:`resolve_kid_did`, did:key
    only, offline). ``alg`` must be in ``algorithms`` and match the key's curve.
    Raises ``JwsError`` (``INVALID_JWS``) on any failure.

    Spec: rfc7515#section-5.2
    """
    accepted = frozenset(algorithms)
    if not accepted <= ALLOWED_ALGS:
        raise ValueError(f"algorithms must be a subset of {sorted(ALLOWED_ALGS)}")
    # Steps 1-7: parse and decode (parse_jws).
    unverified = parse_jws(token)
    header = unverified.header
    alg: str = header["alg"]
    if alg not in accepted:
        raise JwsError(f"JWS alg {alg!r} is not accepted here")
    # Implementation note: explicit typing (RFC 8725 §3.11) stops cross-protocol reuse.
    if header.get("typ") != expected_typ:
        raise JwsError(f"JWS typ {header.get('typ')!r} is not {expected_typ!r}")
    verification_key = (
        key
        if key is not None
        else _header_key(header, allow_jwk=allow_jwk, resolve_kid=resolve_kid)
    )
    # Step 8: alg must fit the key, and the signature must verify over the signing input.
    if _ALG_CURVES[alg] != verification_key.curve:
        raise JwsError(f"JWS alg {alg!r} does not fit a {verification_key.curve} key")
    if not verification_key.verify(unverified.signature, unverified.signing_input):
        raise JwsError("the JWS signature is not valid")
    return VerifiedJws(header, unverified.payload, verification_key)
