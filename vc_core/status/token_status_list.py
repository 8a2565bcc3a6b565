"""IETF Token Status List: the compressed byte array, the Status List Token JWT and checks.

A Status List packs one status of ``bits`` (1, 2, 4 or 8) bits per token
into a byte array, least significant bits first within each byte, and
compresses it with DEFLATE in the ZLIB format (not gzip). A Status List Token
is a JWT (``typ: statuslist+jwt``) whose ``sub`` is its own URI, signed by the
credential issuer's key. A referenced token (an SD-JWT VC) points at its entry
with ``status.status_list.{idx, uri}``.

Expansion is capped, so a decompression bomb is refused without inflating it.

Spec: draft-ietf-oauth-status-list
"""

from __future__ import annotations

import zlib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from vc_core._multibase import decode_base64url_nopad, encode_base64url_nopad
from vc_core.errors import FetchError, JwsError, StatusListError, VcError
from vc_core.hazmat.sd_jwt.issuer_keys import IssuerKeyResolver
from vc_core.hazmat.sd_jwt.jwt_claims import numeric_date, to_numeric_date
from vc_core.jws import parse_jws, sign_jws
from vc_core.keys import KeyPair
from vc_core.status.cache import StatusListCache
from vc_core.status.compression import ZLIB, inflate_bounded
from vc_core.types import Clock, Fetch, JsonObject

__all__ = [
    "INVALID",
    "MAX_TOKEN_LIST_BYTES",
    "STATUS_LIST_JWT_ACCEPT",
    "STATUS_LIST_JWT_TYP",
    "SUSPENDED",
    "VALID",
    "TokenStatusList",
    "TokenStatusReference",
    "TokenStatusResult",
    "VerifiedStatusListToken",
    "check_token_status",
    "create_status_list_token",
    "decode_token_status_list",
    "encode_token_status_list",
    "get_token_status",
    "parse_status_claim",
    "set_token_status",
    "verify_status_list_token",
]

VALID = 0
"""Status Type 0x00: the token is valid."""
INVALID = 1
"""Status Type 0x01: the token is revoked (invalid for good)."""
SUSPENDED = 2
"""Status Type 0x02: the token is temporarily invalid."""

STATUS_LIST_JWT_TYP = "statuslist+jwt"
"""The ``typ`` of a Status List Token in JWT format."""
STATUS_LIST_JWT_ACCEPT = "application/statuslist+jwt"
"""The media type Status List Tokens are fetched with (and served as)."""
MAX_TOKEN_LIST_BYTES = 16 * 2**20
"""Default cap on an expanded Status List (16 MiB: 134 million 1-bit entries)."""

_BITS = (1, 2, 4, 8)
_STATUS_NAMES = {VALID: "VALID", INVALID: "INVALID", SUSPENDED: "SUSPENDED"}
# Implementation note: the token carries the compressed list in base64url; its
# text can be at most about 4/3 of the compressed bytes, which DEFLATE keeps
# below the expanded size for any list worth serving.
_MAX_TOKEN_CHARS = MAX_TOKEN_LIST_BYTES
_MAX_INDEX = 2**53


def _utc_now() -> datetime:
    return datetime.now(UTC)


def _check_bits(bits: object) -> int:
    if bits not in _BITS or isinstance(bits, bool) or not isinstance(bits, int):
        raise ValueError(f"bits is 1, 2, 4 or 8, got {bits!r}")
    return bits


def encode_token_status_list(byte_array: bytes) -> str:
    """Compress a Status List byte array into its ``lst`` value (ZLIB, then base64url).

    Python's zlib at the highest level reproduces the specification's
    compressed examples byte for byte.

    Spec: draft-ietf-oauth-status-list#name-compressed-byte-array
    """
    # Step 4: DEFLATE with the ZLIB data format, at the highest compression level.
    compressed = zlib.compress(byte_array, level=9)
    # Then the JSON encoding's base64url (no padding).
    return encode_base64url_nopad(compressed)


def decode_token_status_list(lst: object, *, max_bytes: int = MAX_TOKEN_LIST_BYTES) -> bytes:
    """Expand an untrusted ``lst`` value into the Status List byte array.

    Raises ``StatusListError`` (``STATUS_VERIFICATION_ERROR``) when it is not
    strict base64url of one complete ZLIB stream, or would expand beyond
    ``max_bytes`` (a decompression bomb is refused without inflating it).

    Spec: draft-ietf-oauth-status-list#name-status-list-in-json-format
    """
    if not isinstance(lst, str):
        raise StatusListError("status_list.lst must be a string")
    try:
        compressed = decode_base64url_nopad(lst)
    except ValueError as exc:
        raise StatusListError(f"status_list.lst is not base64url: {exc}") from exc
    return inflate_bounded(compressed, wbits=ZLIB, max_bytes=max_bytes, what="status_list.lst")


def get_token_status(byte_array: bytes, index: int, *, bits: int = 1) -> int:
    """Read the ``bits``-bit status at ``index`` (least significant bits first in a byte).

    Raises ``StatusListError`` (``RANGE_ERROR``) when the index lies outside the list.

    Spec: draft-ietf-oauth-status-list#name-compressed-byte-array
    """
    per_byte = 8 // _check_bits(bits)
    if not 0 <= index < len(byte_array) * per_byte:
        raise StatusListError(
            f"status index {index} is outside a list of {len(byte_array) * per_byte} entries",
            code="RANGE_ERROR",
        )
    shift = (index % per_byte) * bits
    return (byte_array[index // per_byte] >> shift) & ((1 << bits) - 1)


def set_token_status(byte_array: bytearray, index: int, value: int, *, bits: int = 1) -> None:
    """Write ``value`` as the ``bits``-bit status at ``index`` (issuer side, trusted input).

    Raises ``ValueError`` for an index outside the list or a value that does not fit.

    Spec: draft-ietf-oauth-status-list#name-compressed-byte-array
    """
    per_byte = 8 // _check_bits(bits)
    if not 0 <= index < len(byte_array) * per_byte:
        raise ValueError(f"status index {index} is outside the list")
    if not 0 <= value < 2**bits:
        raise ValueError(f"status value {value} does not fit in {bits} bit(s)")
    shift = (index % per_byte) * bits
    mask = ((1 << bits) - 1) << shift
    position = index // per_byte
    byte_array[position] = (byte_array[position] & ~mask & 0xFF) | (value << shift)


@dataclass(frozen=True, slots=True)
class TokenStatusList:
    """A Status List: the expanded byte array and the number of ``bits`` per entry."""

    byte_array: bytes
    bits: int = 1

    def __post_init__(self) -> None:
        _check_bits(self.bits)

    @classmethod
    def new(cls, entries: int, *, bits: int = 1) -> TokenStatusList:
        """Return an all-VALID list with room for ``entries`` entries (whole bytes)."""
        per_byte = 8 // _check_bits(bits)
        if entries < 1:
            raise ValueError("a status list has at least one entry")
        return cls(bytes(-(-entries // per_byte)), bits)

    @classmethod
    def from_json(cls, value: object, *, max_bytes: int = MAX_TOKEN_LIST_BYTES) -> TokenStatusList:
        """Parse an untrusted ``status_list`` object (``bits``, ``lst``).

        Raises ``StatusListError`` (``STATUS_VERIFICATION_ERROR``).

        Spec: draft-ietf-oauth-status-list#name-status-list-in-json-format
        """
        if not isinstance(value, Mapping):
            raise StatusListError("status_list must be a JSON object")
        bits = value.get("bits")
        if bits not in _BITS or not isinstance(bits, int) or isinstance(bits, bool):
            raise StatusListError(f"status_list.bits must be 1, 2, 4 or 8, got {bits!r}")
        return cls(decode_token_status_list(value.get("lst"), max_bytes=max_bytes), bits)

    @property
    def entries(self) -> int:
        """How many entries the list holds."""
        return len(self.byte_array) * 8 // self.bits

    def get(self, index: int) -> int:
        """Return the status at ``index``; ``StatusListError`` (``RANGE_ERROR``) if outside."""
        return get_token_status(self.byte_array, index, bits=self.bits)

    def with_status(self, index: int, value: int) -> TokenStatusList:
        """Return a copy with the status at ``index`` set to ``value``."""
        byte_array = bytearray(self.byte_array)
        set_token_status(byte_array, index, value, bits=self.bits)
        return TokenStatusList(bytes(byte_array), self.bits)

    def to_json(self) -> JsonObject:
        """Return the ``status_list`` object: ``{"bits": …, "lst": …}``."""
        return {"bits": self.bits, "lst": encode_token_status_list(self.byte_array)}


@dataclass(frozen=True, slots=True)
class TokenStatusReference:
    """Where a referenced token's status lives: entry ``idx`` of the list at ``uri``."""

    uri: str
    idx: int

    def to_json(self) -> JsonObject:
        """Return the ``status`` claim that points here."""
        return {"status_list": {"idx": self.idx, "uri": self.uri}}


def parse_status_claim(status: object) -> TokenStatusReference:
    """Read an untrusted ``status`` claim's ``status_list`` reference.

    ``idx`` must be a non-negative integer and ``uri`` an https URL. Raises
    ``StatusListError`` (``STATUS_VERIFICATION_ERROR``).

    Spec: draft-ietf-oauth-status-list#name-referenced-token-in-jose
    """
    if not isinstance(status, Mapping):
        raise StatusListError("the status claim must be a JSON object")
    reference = status.get("status_list")
    if not isinstance(reference, Mapping):
        raise StatusListError("the status claim has no status_list object")
    idx, uri = reference.get("idx"), reference.get("uri")
    if not isinstance(idx, int) or isinstance(idx, bool) or not 0 <= idx < _MAX_INDEX:
        raise StatusListError(f"status_list.idx must be a non-negative integer, got {idx!r}")
    if not isinstance(uri, str) or not uri.startswith("https://"):
        raise StatusListError(f"status_list.uri must be an https URL, got {uri!r}")
    return TokenStatusReference(uri, idx)


def create_status_list_token(
    status_list: TokenStatusList,
    key: KeyPair,
    *,
    uri: str,
    issued_at: datetime,
    expires_at: datetime | None = None,
    ttl: timedelta | None = None,
    issuer: str | None = None,
    kid: str | None = None,
) -> str:
    """Sign a Status List Token (JWT) for ``status_list``, served at ``uri``.

    ``sub`` is ``uri``; ``exp`` and ``ttl`` (whole seconds) are recommended;
    ``iss`` and the header ``kid`` help the verifier find the key.

    Spec: draft-ietf-oauth-status-list#name-status-list-token-in-jwt-fo
    """
    if ttl is not None and ttl.total_seconds() < 1:
        raise ValueError("ttl is a positive number of seconds")
    # Header: typ statuslist+jwt; Claims: sub, iat, exp, ttl, status_list.
    payload: JsonObject = {"sub": uri, "iat": to_numeric_date(issued_at)}
    if issuer is not None:
        payload["iss"] = issuer
    if expires_at is not None:
        payload["exp"] = to_numeric_date(expires_at)
    if ttl is not None:
        payload["ttl"] = int(ttl.total_seconds())
    payload["status_list"] = status_list.to_json()
    return sign_jws(payload, key, typ=STATUS_LIST_JWT_TYP, kid=kid)


@dataclass(frozen=True, slots=True)
class VerifiedStatusListToken:
    """A Status List Token whose signature, type, subject and times verified."""

    uri: str
    issuer: str
    status_list: TokenStatusList
    issued_at: datetime
    expires_at: datetime | None
    ttl: timedelta | None


def _verification_error(detail: str) -> StatusListError:
    return StatusListError(detail, code="STATUS_VERIFICATION_ERROR")


def _time_to_live(claims: Mapping[str, Any]) -> timedelta | None:
    ttl = claims.get("ttl")
    if ttl is None:
        return None
    if not isinstance(ttl, int | float) or isinstance(ttl, bool) or not 0 < ttl < 10**9:
        raise _verification_error(f"ttl must be a positive number of seconds, got {ttl!r}")
    return timedelta(seconds=ttl)


def verify_status_list_token(
    token: object,
    *,
    uri: str,
    issuer: str,
    key_resolver: IssuerKeyResolver,
    now: datetime,
    skew: timedelta = timedelta(seconds=60),
    max_bytes: int = MAX_TOKEN_LIST_BYTES,
) -> VerifiedStatusListToken:
    """Verify an untrusted Status List Token for the list at ``uri`` of ``issuer``.

    The signing key comes from ``key_resolver`` for ``issuer`` (the referenced
    token's issuer); ``typ`` must be ``statuslist+jwt``, ``sub`` must equal
    ``uri``, ``iat`` must not lie in the future and ``exp`` (if present) not in
    the past (both with ``skew``); an ``iss``, if present, must be ``issuer``.
    Raises ``StatusListError`` (``STATUS_VERIFICATION_ERROR``).

    Spec: draft-ietf-oauth-status-list#name-validation-rules
    """
    # Step 3a: a valid JWT (RFC 7519 section 7.2): structure, typ, alg, signature.
    try:
        unverified = parse_jws(token, allow_x5c=True, max_chars=_MAX_TOKEN_CHARS)
    except JwsError as exc:
        raise _verification_error(f"the Status List Token is malformed: {exc.detail}") from exc
    header, claims = unverified.header, unverified.payload
    if header.get("typ") != STATUS_LIST_JWT_TYP:
        raise _verification_error(f"Status List Token typ {header.get('typ')!r} is wrong")
    try:
        key = key_resolver(issuer, header)
    except VcError as exc:
        raise _verification_error(f"no trusted key for the Status List Token: {exc}") from exc
    if not key.fits_alg(header["alg"]):
        raise _verification_error(f"Status List Token alg {header['alg']!r} does not fit the key")
    if not key.verify(unverified.signature, unverified.signing_input):
        raise _verification_error("the Status List Token signature is not valid")
    # Step 3b: the required claims; Step 4a: sub equals the referenced token's uri.
    if claims.get("sub") != uri:
        raise _verification_error(f"the Status List Token sub {claims.get('sub')!r} is not {uri}")
    if "iss" in claims and claims["iss"] != issuer:
        # Implementation note: a token that names an issuer must name the credential's.
        raise _verification_error(f"the Status List Token is issued by {claims['iss']!r}")
    try:
        issued_at = numeric_date(claims, "iat")
        expires_at = numeric_date(claims, "exp")
    except ValueError as exc:
        raise _verification_error(f"Status List Token: {exc}") from exc
    if issued_at is None:
        raise _verification_error("the Status List Token has no iat")
    # Step 4b: freshness (iat not in the future); Step 4c: exp not passed.
    if issued_at > now + skew:
        raise _verification_error("the Status List Token is issued in the future")
    if expires_at is not None and now - skew >= expires_at:
        raise _verification_error("the Status List Token has expired")
    # Step 4d: ttl, for the cache.
    ttl = _time_to_live(claims)
    # Step 5: decompress the Status List (bounded).
    status_list = TokenStatusList.from_json(claims.get("status_list"), max_bytes=max_bytes)
    return VerifiedStatusListToken(uri, issuer, status_list, issued_at, expires_at, ttl)


@dataclass(frozen=True, slots=True)
class TokenStatusResult:
    """The status of one referenced token: its entry and value (0 is VALID)."""

    uri: str
    idx: int
    status: int

    @property
    def valid(self) -> bool:
        """True for Status Type VALID (0x00)."""
        return self.status == VALID

    @property
    def name(self) -> str:
        """``VALID``, ``INVALID``, ``SUSPENDED``, or the hex value of another type."""
        return _STATUS_NAMES.get(self.status, f"0x{self.status:02X}")


def _dereference(
    reference: TokenStatusReference,
    *,
    issuer: str,
    key_resolver: IssuerKeyResolver,
    fetch: Fetch,
    now: datetime,
    skew: timedelta,
) -> VerifiedStatusListToken:
    """Steps 2-5: fetch the Status List Token and verify it."""
    try:
        body = fetch(reference.uri, accept=STATUS_LIST_JWT_ACCEPT)
    except FetchError as exc:
        raise StatusListError(
            f"status list {reference.uri} could not be fetched: {exc}",
            code="STATUS_RETRIEVAL_ERROR",
        ) from exc
    try:
        token = body.decode("ascii").strip()
    except UnicodeDecodeError as exc:
        raise _verification_error(f"status list {reference.uri} is not a JWT") from exc
    return verify_status_list_token(
        token, uri=reference.uri, issuer=issuer, key_resolver=key_resolver, now=now, skew=skew
    )


def check_token_status(
    reference: TokenStatusReference,
    *,
    issuer: str,
    key_resolver: IssuerKeyResolver,
    fetch: Fetch,
    clock: Clock = _utc_now,
    cache: StatusListCache | None = None,
    skew: timedelta = timedelta(seconds=60),
) -> TokenStatusResult:
    """Read the status of a (verified) referenced token from its Status List Token.

    The token is fetched through ``fetch`` (``Accept: application/statuslist+jwt``),
    must be signed by a key ``key_resolver`` trusts for ``issuer`` (the
    referenced token's issuer), and is kept in ``cache`` for its ``ttl``
    (never past its ``exp``). A set status is a result (``valid`` false), not
    an error. Raises ``StatusListError``: ``STATUS_RETRIEVAL_ERROR`` (fetch),
    ``STATUS_VERIFICATION_ERROR`` (the token) or ``RANGE_ERROR`` (the index).

    Spec: draft-ietf-oauth-status-list#name-validation-rules
    """
    # Step 1: the status claim was parsed into ``reference`` (parse_status_claim).
    now = clock()
    cached = cache._lookup(reference.uri, VerifiedStatusListToken) if cache is not None else None
    if cached is not None and cached[0].issuer == issuer:
        verified = cached[0]
        # Implementation note: a cached token is checked against the clock on every use.
        if verified.expires_at is not None and now - skew >= verified.expires_at:
            raise _verification_error(f"the Status List Token at {reference.uri} has expired")
    else:
        # Steps 2-5: resolve, validate and decompress the Status List Token.
        verified = _dereference(
            reference, issuer=issuer, key_resolver=key_resolver, fetch=fetch, now=now, skew=skew
        )
        if cache is not None:
            cache._store(
                reference.uri,
                verified,
                verified.status_list.byte_array,
                ttl=verified.ttl,
                not_after=verified.expires_at,
            )
    # Step 6: the status at idx; out of bounds means no statement, so refuse.
    status = verified.status_list.get(reference.idx)
    # Step 7: the value's meaning (Status Types) is the caller's to act on.
    return TokenStatusResult(reference.uri, reference.idx, status)
