"""Bitstring Status List: the ``encodedList`` codec, bit access and status checks.

Bit 0 is the most significant bit of byte 0 (docs/protocols.md, P18). Lists are
at least 131 072 entries (P19), ``encodedList`` is multibase base64url of a
GZIP stream (the ``u`` prefix is required, P21), and expansion is capped so
a gzip bomb is refused without inflating it.

:func:`check_status` runs the spec's validate algorithm for every
``BitstringStatusListEntry`` of a credential: it fetches each list through
the caller's :class:`~vc_core.types.Fetch`, verifies the list credential
(proof, issuer, validity window) and reads the entry, optionally through a
:class:`StatusListCache`.
"""

from __future__ import annotations

import gzip
import json
import re
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from vc_core._multibase import decode_base64url, encode_base64url
from vc_core.did import VerificationMethod
from vc_core.errors import FetchError, ParsingError, StatusListError, VerificationError
from vc_core.limits import parse_int
from vc_core.proofs import verify
from vc_core.status.cache import StatusListCache
from vc_core.status.compression import GZIP, inflate_bounded
from vc_core.types import Clock, DocumentLoader, Fetch, JsonObject
from vc_core.vcdm import (
    CREDENTIALS_V2_URL,
    check_credential_shape,
    check_issuer_is_controller,
    check_validity_period,
    credential_issuer,
    data_model_version,
)

__all__ = [
    "MAX_LIST_BYTES",
    "MIN_ENTRIES",
    "STATUS_LIST_ACCEPT",
    "StatusList",
    "StatusResult",
    "check_status",
    "decode_list",
    "encode_list",
    "get_status",
    "parse_status_list_index",
    "set_status",
    "validate_status_entry",
]

MIN_ENTRIES = 131_072
"""The spec minimum number of entries (16 KiB at statusSize 1)."""
MAX_LIST_BYTES = 16 * 2**20
"""Default cap on an expanded list (16 MiB)."""

# Implementation note: an index longer than this is out of range for any list
# we would accept, and int() on huge digit strings is slow (or refused).
_MAX_INDEX_DIGITS = 20


def encode_list(bits: bytes) -> str:
    """Compress a bitstring into an ``encodedList`` value (``u`` + base64url, no padding).

    Python's gzip output (``mtime=0``) is deterministic, but its header differs
    from other implementations': compare expanded bytes, not strings (P20).

    Spec: vc-bitstring-status-list#bitstring-generation-algorithm
    """
    # Step 1: the bitstring (caller-built, zero-initialised, at least 16 KiB).
    # Step 2: bits of revoked/suspended credentials are already set by the caller.
    # Step 3: GZIP, then multibase base64url without padding.
    # Step 4: return the compressed bitstring.
    return encode_base64url(gzip.compress(bits, mtime=0))


def decode_list(value: str, *, max_bytes: int = MAX_LIST_BYTES) -> bytes:
    """Expand an untrusted ``encodedList`` value into the raw bitstring.

    Raises ``StatusListError`` (``STATUS_VERIFICATION_ERROR``) when the ``u``
    prefix is missing, the base64url or GZIP is malformed, or the output would
    exceed ``max_bytes``.

    Spec: vc-bitstring-status-list#bitstring-expansion-algorithm
    """
    # Step 1: the compressed bitstring; multibase base64url ("u") is required.
    if not isinstance(value, str) or not value.startswith("u"):
        raise StatusListError("encodedList must be multibase base64url (prefix 'u')")
    # Step 2: base64url-decode, then GZIP-expand (bounded).
    try:
        compressed = decode_base64url(value)
    except ValueError as exc:
        raise StatusListError(f"encodedList is not base64url: {exc}") from exc
    # Step 3: return the expanded bitstring.
    return inflate_bounded(compressed, wbits=GZIP, max_bytes=max_bytes, what="encodedList")


def _check_size(size: int) -> None:
    if not isinstance(size, int) or isinstance(size, bool) or size < 1:
        raise ValueError(f"statusSize must be a positive int, got {size!r}")


def get_status(bits: bytes, index: int, *, size: int = 1) -> int:
    """Read the ``size``-bit status at ``index`` (bit 0 = MSB of byte 0).

    Raises ``StatusListError`` (``RANGE_ERROR``) when the entry lies outside the list.
    """
    _check_size(size)
    first = index * size
    if index < 0 or first + size > len(bits) * 8:
        raise StatusListError(
            f"status index {index} is outside a list of {len(bits) * 8 // size} entries",
            code="RANGE_ERROR",
        )
    value = 0
    for position in range(first, first + size):
        value = (value << 1) | ((bits[position >> 3] >> (7 - (position & 7))) & 1)
    return value


def set_status(bits: bytearray, index: int, value: int, *, size: int = 1) -> None:
    """Write ``value`` as the ``size``-bit status at ``index`` (issuer side, trusted).

    Raises ``ValueError`` for an index outside the list or a value that does not fit.
    """
    _check_size(size)
    first = index * size
    if index < 0 or first + size > len(bits) * 8:
        raise ValueError(f"status index {index} is outside the list")
    if not 0 <= value < 2**size:
        raise ValueError(f"status value {value} does not fit in {size} bit(s)")
    for offset in range(size):
        position = first + offset
        mask = 0x80 >> (position & 7)
        if (value >> (size - 1 - offset)) & 1:
            bits[position >> 3] |= mask
        else:
            bits[position >> 3] &= ~mask & 0xFF


def parse_status_list_index(value: object) -> int:
    """Parse an untrusted ``statusListIndex``: a string of base-10 digits only (P22).

    Signs, spaces, exponents, non-ASCII digits and JSON numbers are refused
    with ``StatusListError`` (``STATUS_VERIFICATION_ERROR``).
    """
    try:
        return parse_int(value, max_digits=_MAX_INDEX_DIGITS, name="statusListIndex")
    except ParsingError as exc:
        if isinstance(value, str) and value.isascii() and value.isdigit():
            raise StatusListError(
                f"statusListIndex {value[:24]}… is out of range", code="RANGE_ERROR"
            ) from None
        raise StatusListError(f"statusListIndex must be a string of digits, got {value!r}") from exc


@dataclass(frozen=True, slots=True)
class StatusList:
    """An expanded status bitstring with its ``statusSize`` (bits per entry)."""

    bits: bytes
    size: int = 1

    def __post_init__(self) -> None:
        _check_size(self.size)

    @classmethod
    def new(cls, entries: int = MIN_ENTRIES, *, size: int = 1) -> StatusList:
        """Return an all-zero list of ``entries`` entries (at least the spec minimum)."""
        _check_size(size)
        if entries < MIN_ENTRIES:
            raise ValueError(f"a status list has at least {MIN_ENTRIES} entries")
        return cls(bytes(-(-entries * size // 8)), size)

    @classmethod
    def decode(cls, encoded: str, *, size: int = 1) -> StatusList:
        """Expand an untrusted ``encodedList`` and check the minimum length.

        Raises ``StatusListError``: ``STATUS_VERIFICATION_ERROR`` for a bad
        encoding, ``STATUS_LIST_LENGTH_ERROR`` for fewer than 131 072 entries.
        """
        _check_size(size)
        status_list = cls(decode_list(encoded), size)
        status_list.require_minimum_length()
        return status_list

    @property
    def entries(self) -> int:
        """How many ``size``-bit entries the list holds."""
        return len(self.bits) * 8 // self.size

    def require_minimum_length(self) -> None:
        """Raise ``StatusListError`` (``STATUS_LIST_LENGTH_ERROR``) below 131 072 entries."""
        if self.entries < MIN_ENTRIES:
            raise StatusListError(
                f"status list has {self.entries} entries, fewer than {MIN_ENTRIES}",
                code="STATUS_LIST_LENGTH_ERROR",
            )

    def get(self, index: int) -> int:
        """Return the status at ``index``; ``StatusListError`` (``RANGE_ERROR``) if outside."""
        return get_status(self.bits, index, size=self.size)

    def with_status(self, index: int, value: int) -> StatusList:
        """Return a copy of this list with the status at ``index`` set to ``value``."""
        bits = bytearray(self.bits)
        set_status(bits, index, value, size=self.size)
        return StatusList(bytes(bits), self.size)

    def encode(self) -> str:
        """Return the ``encodedList`` value of this list."""
        return encode_list(self.bits)


# --- checking a credential's status ------------------------------------------------------------

STATUS_LIST_ACCEPT = "application/vc+ld+json, application/vc, application/ld+json, application/json"
"""The ``Accept`` value status lists are fetched with."""

_ENTRY_TYPE = "BitstringStatusListEntry"
_LIST_TYPE = "BitstringStatusList"
_LIST_CREDENTIAL_TYPE = "BitstringStatusListCredential"
_HTTPS = "https://"
_STATUS_CODE = re.compile(r"0x[0-9a-fA-F]{1,4}")
# Implementation note: statusMessage must list 2**statusSize messages, so sizes
# beyond a few bits cannot occur in a usable entry; larger ones are refused.
_MAX_STATUS_SIZE = 8


def _utc_now() -> datetime:
    return datetime.now(UTC)


def _as_list(value: object) -> list[Any]:
    return value if isinstance(value, list) else [value]


def _verification_error(detail: str) -> StatusListError:
    return StatusListError(detail, code="STATUS_VERIFICATION_ERROR")


@dataclass(frozen=True, slots=True)
class StatusResult:
    """The validate algorithm's result for one status entry.

    ``valid`` is ``status == 0``; the caller decides what a set status means
    (revoked, suspended). ``message`` is the entry's ``statusMessage`` text for
    the ``message`` purpose, else ``None``.
    """

    purpose: str
    status: int
    valid: bool
    status_list_credential: str
    index: int
    message: str | None = None


@dataclass(frozen=True, slots=True)
class BitstringStatusListEntry:
    """The fields of one ``credentialStatus`` entry the validate algorithm reads."""

    status_purpose: str
    credential_index: int
    status_list_credential: str
    status_size: int
    status_messages: Mapping[int, str]


@dataclass(frozen=True, slots=True)
class _VerifiedStatusList:
    """A status list credential whose proofs verified, with the fields we read from it."""

    document: JsonObject
    issuer: str
    purposes: frozenset[str]
    encoded_list: str
    ttl: timedelta | None


def _parse_status_messages(value: object, size: int) -> dict[int, str]:
    """Parse ``statusMessage``: exactly one message per possible status value."""
    if not isinstance(value, list) or len(value) != 2**size:
        raise _verification_error(f"statusMessage must list {2**size} messages")
    messages: dict[int, str] = {}
    for item in value:
        code = item.get("status") if isinstance(item, Mapping) else None
        message = item.get("message") if isinstance(item, Mapping) else None
        if not isinstance(code, str) or _STATUS_CODE.fullmatch(code) is None:
            raise _verification_error(f"statusMessage status {code!r} is not a hex string")
        if not isinstance(message, str) or int(code, 16) >= 2**size or int(code, 16) in messages:
            raise _verification_error(f"statusMessage entry {code!r} is malformed or repeated")
        messages[int(code, 16)] = message
    return messages


def _parse_entry(entry: object) -> BitstringStatusListEntry:
    """Read an untrusted ``BitstringStatusListEntry``; ``StatusListError`` if malformed."""
    if not isinstance(entry, Mapping) or entry.get("type") != _ENTRY_TYPE:
        raise _verification_error(f"credentialStatus entry is not a {_ENTRY_TYPE}")
    purpose = entry.get("statusPurpose")
    if not isinstance(purpose, str) or not purpose:
        raise _verification_error("statusPurpose must be a non-empty string")
    index = parse_status_list_index(entry.get("statusListIndex"))
    url = entry.get("statusListCredential")
    if not isinstance(url, str):
        raise _verification_error("statusListCredential must be a URL string")
    if not url.startswith(_HTTPS):
        raise StatusListError(
            f"statusListCredential {url!r} is not an https URL", code="STATUS_RETRIEVAL_ERROR"
        )
    if entry.get("id") == url:
        raise _verification_error("a status entry id must not be the status list URL")
    size = entry.get("statusSize", 1)
    if not isinstance(size, int) or isinstance(size, bool) or not 1 <= size <= _MAX_STATUS_SIZE:
        raise _verification_error(f"statusSize must be an integer 1..{_MAX_STATUS_SIZE}")
    messages: dict[int, str] = {}
    if size > 1 or "statusMessage" in entry:
        messages = _parse_status_messages(entry.get("statusMessage"), size)
    return BitstringStatusListEntry(purpose, index, url, size, messages)


def _list_subject(document: JsonObject) -> tuple[frozenset[str], str, timedelta | None]:
    """Read ``statusPurpose``, ``encodedList`` and ``ttl`` of a list's credentialSubject."""
    subject = document.get("credentialSubject")
    if not isinstance(subject, Mapping) or _LIST_TYPE not in _as_list(subject.get("type")):
        raise _verification_error(f"the list's credentialSubject is not a {_LIST_TYPE}")
    purposes = _as_list(subject.get("statusPurpose"))
    if not purposes or not all(isinstance(p, str) and p for p in purposes):
        raise _verification_error("the list's statusPurpose must be a string or strings")
    encoded = subject.get("encodedList")
    if not isinstance(encoded, str):
        raise _verification_error("the list's encodedList must be a string")
    ttl = subject.get("ttl")
    if ttl is not None and (not isinstance(ttl, int) or isinstance(ttl, bool) or ttl < 0):
        raise _verification_error("the list's ttl must be a non-negative integer")
    return frozenset(purposes), encoded, None if ttl is None else timedelta(milliseconds=ttl)


def _dereference_status_list(
    url: str,
    *,
    fetch: Fetch,
    clock: Clock,
    document_loader: DocumentLoader | None,
    resolve_verification_method: Callable[[str], VerificationMethod] | None,
) -> _VerifiedStatusList:
    """Fetch a status list credential and verify its proofs; step 4 of the validate algorithm."""
    try:
        document = json.loads(fetch(url, accept=STATUS_LIST_ACCEPT))
    except FetchError as exc:
        raise StatusListError(
            f"status list {url} could not be fetched: {exc}", code="STATUS_RETRIEVAL_ERROR"
        ) from exc
    except (ValueError, RecursionError) as exc:
        raise StatusListError(
            f"status list {url} is not JSON: {exc}", code="STATUS_RETRIEVAL_ERROR"
        ) from exc
    try:
        verified = verify(
            document,
            expected_proof_purpose="assertionMethod",
            document_loader=document_loader,
            fetch=fetch,
            resolve_verification_method=resolve_verification_method,
            clock=clock,
        )
        list_credential = verified.document
        check_credential_shape(list_credential)
        # Implementation note: a status list is a VC Data Model 2.0 document
        # (vc-bitstring-status-list#bitstringstatuslistcredential).
        if data_model_version(list_credential) != "2.0":
            raise ParsingError(
                f"@context: a status list must be a VC 2.0 credential ({CREDENTIALS_V2_URL} first)",
                path="@context",
            )
        issuer = credential_issuer(list_credential)
        for proof in verified.proofs:
            check_issuer_is_controller(list_credential, proof)
    except VerificationError as exc:
        raise _verification_error(f"status list {url} does not verify: {exc}") from exc
    # Implementation note: the data model's rules for a list credential.
    if _LIST_CREDENTIAL_TYPE not in _as_list(list_credential.get("type")):
        raise _verification_error(f"status list {url} is not a {_LIST_CREDENTIAL_TYPE}")
    if list_credential.get("id") != url:
        raise _verification_error(f"status list id {list_credential.get('id')!r} is not {url}")
    purposes, encoded, ttl = _list_subject(list_credential)
    return _VerifiedStatusList(list_credential, issuer, purposes, encoded, ttl)


def validate_status_entry(
    entry: object,
    *,
    credential_issuer: str,
    fetch: Fetch,
    clock: Clock = _utc_now,
    cache: StatusListCache | None = None,
    document_loader: DocumentLoader | None = None,
    trusted_list_issuers: Collection[str] | None = None,
    resolve_verification_method: Callable[[str], VerificationMethod] | None = None,
) -> StatusResult:
    """Validate one ``BitstringStatusListEntry`` of a credential issued by ``credential_issuer``.

    The list must be issued by ``credential_issuer`` (or one of
    ``trusted_list_issuers``), signed by its issuer's key and inside its
    validity window. A set status is a result (``valid=False``), not an error.
    Raises ``StatusListError`` with ``STATUS_RETRIEVAL_ERROR``,
    ``STATUS_VERIFICATION_ERROR``, ``STATUS_LIST_LENGTH_ERROR`` or ``RANGE_ERROR``.

    Spec: vc-bitstring-status-list#validate-algorithm
    """
    # Step 1: credentialToValidate holds this BitstringStatusListEntry.
    parsed = _parse_entry(entry)
    url = parsed.status_list_credential
    # Step 2: minimumNumberOfEntries is MIN_ENTRIES (131 072).
    # Step 3: status purpose is the entry's statusPurpose.
    status_purpose = parsed.status_purpose
    # Step 4: dereference statusListCredential and verify all its proofs.
    cached = cache._lookup(url, _VerifiedStatusList) if cache is not None else None
    status_list = (
        cached[0]
        if cached is not None
        else _dereference_status_list(
            url,
            fetch=fetch,
            clock=clock,
            document_loader=document_loader,
            resolve_verification_method=resolve_verification_method,
        )
    )
    # Implementation note: the list's issuer must be trusted (docs/protocols.md, "Status
    # validation") and the list inside its validity window (checked on every use, cached or not).
    trusted = {credential_issuer, *(trusted_list_issuers or ())}
    if status_list.issuer not in trusted:
        raise _verification_error(f"status list {url} is issued by untrusted {status_list.issuer}")
    try:
        check_validity_period(status_list.document, clock=clock)
    except VerificationError as exc:
        raise _verification_error(f"status list {url} is not valid now: {exc}") from exc
    # Step 5: status purpose must be one of the list's statusPurpose values.
    if status_purpose not in status_list.purposes:
        raise _verification_error(
            f"status purpose {status_purpose!r} is not one of the list's "
            f"{sorted(status_list.purposes)}"
        )
    # Step 6: compressed bitstring is the list's encodedList.
    compressed_bitstring = status_list.encoded_list
    # Step 7: credentialIndex is the entry's statusListIndex.
    credential_index = parsed.credential_index
    # Step 8: expand the bitstring (bounded; gzip bombs refused).
    if cached is not None:
        bitstring = cached[1]
    else:
        bitstring = decode_list(compressed_bitstring)
        if cache is not None:
            valid_until = status_list.document.get("validUntil")
            cache._store(
                url,
                status_list,
                bitstring,
                ttl=status_list.ttl,
                not_after=None if valid_until is None else datetime.fromisoformat(valid_until),
            )
    # Step 9: fewer than minimumNumberOfEntries entries of statusSize bits -> length error.
    expanded = StatusList(bitstring, parsed.status_size)
    expanded.require_minimum_length()
    # Step 10: status at credentialIndex x statusSize; outside the bitstring -> RANGE_ERROR.
    status = expanded.get(credential_index)
    # Steps 11-13: result with status, purpose and valid = (status == 0).
    # Step 14: the message purpose carries the matching statusMessage.
    message = parsed.status_messages.get(status) if status_purpose == "message" else None
    # Step 15: return the result.
    return StatusResult(status_purpose, status, status == 0, url, credential_index, message)


def check_status(
    credential: Mapping[str, Any],
    *,
    fetch: Fetch,
    clock: Clock = _utc_now,
    cache: StatusListCache | None = None,
    document_loader: DocumentLoader | None = None,
    trusted_list_issuers: Collection[str] | None = None,
    resolve_verification_method: Callable[[str], VerificationMethod] | None = None,
) -> tuple[StatusResult, ...]:
    """Check every ``credentialStatus`` entry of a (verified) credential; one result each.

    ``credentialStatus`` may be one entry or a list; a credential without it
    gives ``()``. Every entry must be a ``BitstringStatusListEntry`` (others
    are refused, not skipped). Status lists are fetched through ``fetch``
    (also used for did:web keys), verified with ``document_loader`` and
    ``resolve_verification_method``, and must be issued by the credential's
    issuer or one of ``trusted_list_issuers``. A revoked or suspended
    credential gives ``valid=False``; the caller decides. Raises
    ``StatusListError`` (path ``credentialStatus`` / ``credentialStatus[i]``),
    or ``ParsingError`` when the credential is not an object or has no issuer.
    """
    if not isinstance(credential, Mapping):
        raise ParsingError("a credential must be a JSON object")
    if "credentialStatus" not in credential:
        return ()
    value = credential["credentialStatus"]
    entries = _as_list(value)
    issuer = credential_issuer(credential)
    results: list[StatusResult] = []
    for position, entry in enumerate(entries):
        path = f"credentialStatus[{position}]" if isinstance(value, list) else "credentialStatus"
        try:
            results.append(
                validate_status_entry(
                    entry,
                    credential_issuer=issuer,
                    fetch=fetch,
                    clock=clock,
                    cache=cache,
                    document_loader=document_loader,
                    trusted_list_issuers=trusted_list_issuers,
                    resolve_verification_method=resolve_verification_method,
                )
            )
        except StatusListError as exc:
            raise StatusListError(exc.detail, code=exc.code, path=path) from exc
    return tuple(results)
