"""The Verifiable Credentials Data Model: the rules a processor checks beside the proofs.

``vc_core.verify`` checks Data Integrity proofs only. The data model lives
here: the shape of credentials and presentations (every MUST of VC Data Model
2.0 that a processor can check without fetching anything, and those of VC
Data Model 1.1 for credentials whose first context is the 1.1 one), the
validity window against a clock, and, as relying-party policy, that the
issuer controls the key that signed (docs/protocols.md, "Verification-method
checks"). Input is untrusted JSON: a wrong shape is a ``ParsingError``
(``PARSING_ERROR``) whose ``path`` names the property.

What JSON-LD itself refuses (an undefined term or type, a relative IRI, a
redefined protected term) is found when the document is expanded in safe mode
(``vc_core.proofs``), not here.
"""

from __future__ import annotations

import base64
import binascii
import hmac
import re
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import Any, Final, Literal

from vc_core.errors import CredentialPolicyError, ParsingError, ProofVerificationError
from vc_core.hazmat.data_integrity import parse_date_time_stamp
from vc_core.loader import CREDENTIALS_V1_URL, CREDENTIALS_V2_URL
from vc_core.types import Clock

__all__ = [
    "CREDENTIALS_V1_URL",
    "CREDENTIALS_V2_URL",
    "PUBLISHED_DIGESTS",
    "DataModel",
    "check_credential_shape",
    "check_issuer_is_controller",
    "check_presentation_shape",
    "check_validity_period",
    "credential_issuer",
    "data_model_version",
    "subject_ids",
]

DataModel = Literal["1.1", "2.0"]
"""The data model version a document declares with its first context."""

PUBLISHED_DIGESTS: Final[Mapping[str, Mapping[str, bytes]]] = {
    CREDENTIALS_V2_URL: {
        # The digest VC Data Model 2.0 publishes for its base context ("MUST treat the
        # base context value ... as already retrieved"); the others are of the same file
        # (w3c/vc-data-model, contexts/credentials/v2 at 8d0ee107, 10 139 bytes).
        "sha256": bytes.fromhex("24a18c90e9856d526111f29376e302d970b2bd10182e33959995b0207d7043b9"),
        "sha384": bytes.fromhex(
            "35239c36999d2155312091af194a1edb61634d6ad789a5e5"
            "b19f2aebdd762dd9d1dcaada40eda7ef921c6b8c0ae107a0"
        ),
        "sha512": bytes.fromhex(
            "cb1336dfa8670d80d03344b3b0cc25faf4d45201823c35f39bb1afe5a9f911f6"
            "15ff4ec80ec5f2f89e33d14e96bec8be78e38df35b918c9cd5f3b3449bd6c88f"
        ),
    },
}
"""Digests of resources a processor treats as already retrieved, by URL and hash name.

A ``relatedResource`` naming one of these must carry matching digests; other
resources are never fetched, so their digests are only checked for form.
"""

# An absolute URL or DID: a scheme, a colon, and no whitespace.
_ABSOLUTE_URL = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:\S+")
# XSD dateTime: a time zone is optional (VC 1.1 dates); the calendar is checked by datetime.
_DATE_TIME = re.compile(
    r"-?\d{4,}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})?", re.ASCII
)
_LANGUAGE_TAG = re.compile(r"[A-Za-z]{1,8}(?:-[A-Za-z0-9]{1,8})*")
_LANGUAGE_VALUE_KEYS = frozenset({"@value", "@language", "@direction"})
# SRI hash-expression: an algorithm, "-", standard base64 of the digest, options after "?".
_SRI_EXPRESSION = re.compile(r"(sha256|sha384|sha512)-([A-Za-z0-9+/]+={0,2})(?:\?[!-~]*)?")
# Multihash codes of the SHA-2 digests (code, digest length).
_MULTIHASH: Final[Mapping[int, tuple[str, int]]] = {
    0x12: ("sha256", 32),
    0x20: ("sha384", 48),
    0x13: ("sha512", 64),
}
_DIGEST_SIZES: Final[Mapping[int, str]] = {32: "sha256", 48: "sha384", 64: "sha512"}
_CONTEXT_URLS: Final[Mapping[str, DataModel]] = {
    CREDENTIALS_V2_URL: "2.0",
    CREDENTIALS_V1_URL: "1.1",
}


def _is_url(value: object) -> bool:
    return isinstance(value, str) and _ABSOLUTE_URL.fullmatch(value) is not None


def _as_list(value: object) -> list[Any]:
    return value if isinstance(value, list) else [value]


def _require_mapping(document: object, what: str) -> Mapping[str, Any]:
    if not isinstance(document, Mapping):
        raise ParsingError(f"a verifiable {what} must be a JSON object")
    return document


def data_model_version(document: object) -> DataModel:
    """The data model a credential or presentation declares: ``"2.0"`` or ``"1.1"``.

    The ``@context`` must be a URL or an ordered set (array) of URLs and
    objects whose first item is the VC 2.0 or the VC 1.1 base context.
    Raises ``ParsingError`` otherwise.

    Spec: vc-data-model-2.0#contexts
    """
    context = _require_mapping(document, "credential or presentation").get("@context")
    items = _as_list(context)
    version = _CONTEXT_URLS.get(items[0]) if items and isinstance(items[0], str) else None
    if context is None or version is None:
        raise ParsingError(
            f"@context must be an ordered set whose first item is {CREDENTIALS_V2_URL} "
            f"(or {CREDENTIALS_V1_URL})",
            path="@context",
        )
    for item in items[1:]:
        if isinstance(item, str):
            if not _is_url(item) or item in _CONTEXT_URLS:
                raise ParsingError(f"@context item {item!r} is not a context URL", path="@context")
        elif not isinstance(item, Mapping):
            raise ParsingError("@context items must be URLs or objects", path="@context")
    return version


def _check_type(document: Mapping[str, Any], required: str, path: str = "type") -> None:
    types = document.get("type")
    names = _as_list(types)
    if types is None or not names or not all(isinstance(name, str) and name for name in names):
        raise ParsingError("type must be a string or a list of strings", path=path)
    if required not in names:
        raise ParsingError(f"type must include {required}", path=path)


def _check_id(document: Mapping[str, Any], path: str) -> None:
    """An ``id``, where present, is a single URL (vc-data-model-2.0#identifiers)."""
    if "id" in document and not _is_url(document["id"]):
        raise ParsingError("id must be a single URL", path=path)


def _objects(value: object, name: str, *, empty_ok: bool = True) -> list[Mapping[str, Any]]:
    """``value`` as a list of objects: one object or a non-empty list of objects."""
    items = _as_list(value)
    if not items or not all(isinstance(item, Mapping) for item in items):
        raise ParsingError(f"{name} must be an object or a non-empty list of objects", path=name)
    if not empty_ok and not all(items):
        raise ParsingError(f"every {name} object must hold at least one claim", path=name)
    return items


def _check_typed_objects(
    document: Mapping[str, Any], name: str, *, id_required: bool = False
) -> None:
    """Each object of ``name`` has a ``type`` and, where present (or required), a URL ``id``."""
    if name not in document:
        return
    for index, item in enumerate(_objects(document[name], name)):
        path = f"{name}[{index}]" if isinstance(document[name], list) else name
        types = item.get("type")
        if types is None or not all(isinstance(t, str) and t for t in _as_list(types)):
            raise ParsingError(f"every {name} must specify its type", path=path)
        if id_required and "id" not in item:
            raise ParsingError(f"every {name} must have an id", path=path)
        _check_id(item, path)


def _check_language_values(document: Mapping[str, Any], path: str) -> None:
    """``name`` and ``description`` are strings or language value objects.

    Spec: vc-data-model-2.0#language-and-base-direction
    """
    for name in ("name", "description"):
        if name not in document:
            continue
        for value in _as_list(document[name]):
            if isinstance(value, str):
                continue
            if (
                not isinstance(value, Mapping)
                or not isinstance(value.get("@value"), str)
                or not value.keys() <= _LANGUAGE_VALUE_KEYS
                or (
                    "@language" in value
                    and not (
                        isinstance(value["@language"], str)
                        and _LANGUAGE_TAG.fullmatch(value["@language"])
                    )
                )
                or value.get("@direction", "ltr") not in ("ltr", "rtl")
            ):
                raise ParsingError(
                    f"{name} must be a string or a language value object "
                    "(@value, optional @language and @direction, nothing else)",
                    path=f"{path}.{name}" if path else name,
                )


def _dates(document: Mapping[str, Any], names: tuple[str, ...]) -> dict[str, datetime]:
    """Parse the date properties ``names`` where present (dateTimeStamp; VC 1.1: dateTime)."""
    dates: dict[str, datetime] = {}
    for name in names:
        if name not in document:
            continue
        value = document[name]
        try:
            if name in ("validFrom", "validUntil"):
                dates[name] = parse_date_time_stamp(value)
            elif isinstance(value, str) and _DATE_TIME.fullmatch(value):
                parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
                # Implementation note: a VC 1.1 dateTime without a time zone is read as UTC.
                dates[name] = parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
            else:
                raise ValueError(f"{value!r} is not an XSD dateTime")
        except ValueError as exc:
            raise ParsingError(f"{name}: {exc}", path=name) from exc
    return dates


def _window(version: str) -> tuple[str, str]:
    """The names of the start and end of the validity window in data model ``version``."""
    if version == "1.1":
        return ("issuanceDate", "expirationDate")
    return ("validFrom", "validUntil")


def _decode_base64(text: str, *, urlsafe: bool) -> bytes:
    padded = text + "=" * (-len(text) % 4)
    try:
        if urlsafe:
            return base64.urlsafe_b64decode(padded.encode("ascii"))
        return base64.b64decode(padded.encode("ascii"), validate=True)
    except (binascii.Error, ValueError, UnicodeEncodeError) as exc:
        raise ValueError(f"not base64: {exc}") from exc


def _sri_digests(value: object) -> list[tuple[str, bytes]]:
    """The (hash name, digest) pairs of a ``digestSRI`` (hash-expressions, space separated)."""
    if not isinstance(value, str) or not value.strip():
        raise ValueError("digestSRI must be a string of SRI hash-expressions")
    digests = []
    for expression in value.split():
        match = _SRI_EXPRESSION.fullmatch(expression)
        if match is None:
            raise ValueError(f"{expression!r} is not an SRI hash-expression")
        digest = _decode_base64(match.group(2), urlsafe=False)
        if _DIGEST_SIZES.get(len(digest)) != match.group(1):
            raise ValueError(f"{expression!r} is not a {match.group(1)} digest")
        digests.append((match.group(1), digest))
    return digests


def _multibase_digests(value: object) -> list[tuple[str, bytes]]:
    """The (hash name, digest) pairs of a ``digestMultibase`` (one value or a list).

    Implementation note: a value is a multibase (base64url ``u`` or base58btc ``z``)
    multihash; a bare SHA-2 digest of 32, 48 or 64 bytes, as the W3C test suite and
    the data model's examples encode it, is read as SHA-256, -384 or -512.
    """
    from vc_core._multibase import decode_base58btc

    digests = []
    for item in _as_list(value):
        if not isinstance(item, str) or len(item) < 2:
            raise ValueError("digestMultibase must be a multibase string")
        if item[0] == "u":
            raw = _decode_base64(item[1:], urlsafe=True)
        elif item[0] == "z":
            raw = decode_base58btc(item)
        else:
            raise ValueError(f"digestMultibase {item!r} is not base64url or base58btc multibase")
        code_size = _MULTIHASH.get(raw[0]) if len(raw) > 2 else None
        if code_size is not None and raw[1] == code_size[1] and len(raw) == 2 + code_size[1]:
            digests.append((code_size[0], raw[2:]))
        elif len(raw) in _DIGEST_SIZES:
            digests.append((_DIGEST_SIZES[len(raw)], raw))
        else:
            raise ValueError(f"digestMultibase {item!r} is not a SHA-2 multihash")
    return digests


def _check_related_resources(document: Mapping[str, Any]) -> None:
    """Each ``relatedResource`` has a unique URL ``id`` and well-formed digests that match.

    Spec: vc-data-model-2.0#integrity-of-related-resources
    """
    if "relatedResource" not in document:
        return
    seen: set[str] = set()
    for item in _objects(document["relatedResource"], "relatedResource"):
        resource = item.get("id")
        if not isinstance(resource, str) or not _is_url(resource):
            raise ParsingError("every relatedResource needs a URL id", path="relatedResource")
        if resource in seen:
            raise ParsingError(
                f"relatedResource {resource} is listed twice", path="relatedResource"
            )
        seen.add(resource)
        if "digestSRI" not in item and "digestMultibase" not in item:
            raise ParsingError(
                f"relatedResource {resource} has neither digestSRI nor digestMultibase",
                path="relatedResource",
            )
        try:
            digests = [
                *(_sri_digests(item["digestSRI"]) if "digestSRI" in item else []),
                *(_multibase_digests(item["digestMultibase"]) if "digestMultibase" in item else []),
            ]
        except ValueError as exc:
            raise ParsingError(
                f"relatedResource {resource}: {exc}", path="relatedResource"
            ) from exc
        known = PUBLISHED_DIGESTS.get(resource, {})
        for hash_name, digest in digests:
            expected = known.get(hash_name)
            if expected is not None and not hmac.compare_digest(expected, digest):
                raise ParsingError(
                    f"relatedResource {resource}: the {hash_name} digest does not match "
                    "the resource",
                    path="relatedResource",
                )


def credential_issuer(credential: Mapping[str, Any]) -> str:
    """Return the issuer URL of an untrusted credential: ``issuer`` or ``issuer.id``.

    Raises ``ParsingError`` (``PARSING_ERROR``) when neither is a URL string.

    Spec: vc-data-model-2.0#issuer
    """
    issuer = _require_mapping(credential, "credential").get("issuer")
    if isinstance(issuer, Mapping):
        issuer = issuer.get("id")
    if not isinstance(issuer, str) or not _is_url(issuer):
        raise ParsingError("issuer must be a URL or an object whose id is a URL", path="issuer")
    return issuer


def check_credential_shape(credential: object) -> None:
    """Check the data model of an untrusted credential; ``ParsingError`` if wrong.

    VC 2.0 (first context ``https://www.w3.org/ns/credentials/v2``): the
    ``@context`` (an ordered set of URLs and objects), ``type`` including
    ``VerifiableCredential``, ``id`` a single URL, ``issuer`` a URL or an
    object with a URL ``id``, ``name``/``description`` strings or language
    value objects (on the credential, the issuer and each subject),
    ``credentialSubject`` one or more objects each with a claim,
    ``validFrom``/``validUntil`` dateTimeStamps in order, and every
    ``credentialStatus``, ``credentialSchema`` (with a URL ``id``),
    ``termsOfUse``, ``evidence`` and ``refreshService`` an object with a
    ``type``; ``relatedResource`` as :func:`_check_related_resources` says.
    VC 1.1 (first context ``https://www.w3.org/2018/credentials/v1``): the
    same, with ``issuanceDate`` (required) and ``expirationDate`` as XSD
    dateTimes, and an ``id`` required on status, schema and refresh entries.

    Spec: vc-data-model-2.0#verifiable-credentials
    """
    document = _require_mapping(credential, "credential")
    version = data_model_version(document)
    _check_type(document, "VerifiableCredential")
    _check_id(document, "id")
    credential_issuer(document)
    _check_language_values(document, "")
    if isinstance(document["issuer"], Mapping):
        _check_language_values(document["issuer"], "issuer")
    subjects = _objects(document.get("credentialSubject"), "credentialSubject", empty_ok=False)
    for subject in subjects:
        _check_id(subject, "credentialSubject")
        _check_language_values(subject, "credentialSubject")
    start, end = _window(version)
    if version == "1.1" and start not in document:
        raise ParsingError("a VC 1.1 credential needs an issuanceDate", path=start)
    dates = _dates(document, (start, end))
    if start in dates and end in dates and dates[end] < dates[start]:
        raise ParsingError(f"{end} lies before {start}", path=end)
    v1 = version == "1.1"
    _check_typed_objects(document, "credentialStatus", id_required=v1)
    _check_typed_objects(document, "credentialSchema", id_required=True)
    _check_typed_objects(document, "termsOfUse")
    _check_typed_objects(document, "evidence")
    _check_typed_objects(document, "refreshService", id_required=v1)
    _check_related_resources(document)


def check_presentation_shape(presentation: object) -> None:
    """Check the data model of an untrusted presentation; ``ParsingError`` if wrong.

    Checked: the ``@context`` as for credentials; ``type`` includes
    ``VerifiablePresentation``; ``id`` (if any) is a single URL;
    ``verifiableCredential`` (if any) is one or more objects (never strings);
    ``holder`` (if any) is a URL or an object with a URL ``id``.
    The credentials inside are checked with :func:`check_credential_shape`
    by whoever verifies them.

    Spec: vc-data-model-2.0#verifiable-presentations
    """
    document = _require_mapping(presentation, "presentation")
    data_model_version(document)
    _check_type(document, "VerifiablePresentation")
    _check_id(document, "id")
    if "verifiableCredential" in document:
        _objects(document["verifiableCredential"], "verifiableCredential")
    if "holder" in document:
        holder = document["holder"]
        holder_id = holder.get("id") if isinstance(holder, Mapping) else holder
        if not _is_url(holder_id):
            raise ParsingError("holder must be a URL or an object whose id is a URL", path="holder")


def check_validity_period(
    credential: Mapping[str, Any], *, clock: Clock, skew: timedelta = timedelta(0)
) -> None:
    """Refuse a credential outside its validity window (both ends inclusive).

    The window is ``validFrom``…``validUntil`` (VC 2.0) or
    ``issuanceDate``…``expirationDate`` (VC 1.1). Raises
    ``CredentialPolicyError`` with code ``CREDENTIAL_NOT_YET_VALID`` or
    ``CREDENTIAL_EXPIRED`` (``skew`` widens the window on both sides), and
    ``ParsingError`` for a malformed date or context.

    Spec: vc-data-model-2.0#validity-period
    """
    document = _require_mapping(credential, "credential")
    start, end = _window(data_model_version(document))
    dates = _dates(document, (start, end))
    now = clock()
    if start in dates and now + skew < dates[start]:
        raise CredentialPolicyError(
            f"the credential is valid from {document[start]}",
            code="CREDENTIAL_NOT_YET_VALID",
            path=start,
        )
    if end in dates and now - skew > dates[end]:
        raise CredentialPolicyError(
            f"the credential expired at {document[end]}",
            code="CREDENTIAL_EXPIRED",
            path=end,
        )


def check_issuer_is_controller(credential: Mapping[str, Any], proof: Mapping[str, Any]) -> None:
    """Require the proof's verification method to belong to the credential's issuer.

    Relying-party policy, not part of verification: the DID of
    ``proof.verificationMethod`` (the part before ``#``; the resolver already
    checked it is the method's controller) must equal the issuer. Raises
    ``ProofVerificationError`` (``PROOF_VERIFICATION_ERROR``), or
    ``ParsingError`` when the issuer itself is malformed.
    """
    issuer = credential_issuer(credential)
    method = proof.get("verificationMethod") if isinstance(proof, Mapping) else None
    if not isinstance(method, str):
        raise ProofVerificationError("proof.verificationMethod is missing", path="proof")
    controller = method.partition("#")[0]
    if controller != issuer:
        raise ProofVerificationError(
            f"the proof was made by {controller!r}, not by the issuer {issuer!r}", path="proof"
        )


def subject_ids(credential: Mapping[str, Any]) -> tuple[str, ...]:
    """Return the ``id`` of every credential subject that has one, in document order.

    Raises ``ParsingError`` when ``credentialSubject`` is not one or more
    objects or an ``id`` is not a URL.
    """
    subjects = _require_mapping(credential, "credential").get("credentialSubject")
    ids: list[str] = []
    for subject in _objects(subjects, "credentialSubject"):
        if "id" in subject:
            if not _is_url(subject["id"]):
                raise ParsingError("credentialSubject.id must be a URL", path="credentialSubject")
            ids.append(subject["id"])
    return tuple(ids)
