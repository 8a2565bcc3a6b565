"""VC Data Model 2.0 checks the verifier and the wallet run after the proofs verified.

``vc_core.verify`` checks Data Integrity proofs only. The credential rules
live here: the document shape (``@context``, ``type``, ``issuer``,
``credentialSubject``, dates), the validity window against a clock, and that
the issuer controls the key that signed (docs/protocols.md, "Verification-method checks"). Input is
untrusted JSON: a wrong shape is a ``ParsingError`` (``PARSING_ERROR``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

from vc_core.errors import CredentialPolicyError, ParsingError, ProofVerificationError
from vc_core.hazmat.data_integrity import parse_date_time_stamp
from vc_core.loader import CREDENTIALS_V2_URL
from vc_core.types import Clock

__all__ = [
    "CREDENTIALS_V2_URL",
    "check_credential_shape",
    "check_issuer_is_controller",
    "check_presentation_shape",
    "check_validity_period",
    "credential_issuer",
    "subject_ids",
]

# An absolute URL or DID: a scheme, a colon, and no whitespace.
_ABSOLUTE_URL = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:\S+")


def _is_url(value: object) -> bool:
    return isinstance(value, str) and _ABSOLUTE_URL.fullmatch(value) is not None


def _as_list(value: object) -> list[Any]:
    return value if isinstance(value, list) else [value]


def _require_mapping(document: object, what: str) -> Mapping[str, Any]:
    if not isinstance(document, Mapping):
        raise ParsingError(f"a verifiable {what} must be a JSON object")
    return document


def _check_context(document: Mapping[str, Any]) -> None:
    context = document.get("@context")
    if not isinstance(context, list) or not context or context[0] != CREDENTIALS_V2_URL:
        raise ParsingError(
            f"@context must be a list whose first item is {CREDENTIALS_V2_URL}", path="@context"
        )


def _check_type(document: Mapping[str, Any], required: str) -> None:
    types = document.get("type")
    names = _as_list(types)
    if types is None or not all(isinstance(name, str) for name in names):
        raise ParsingError("type must be a string or a list of strings", path="type")
    if required not in names:
        raise ParsingError(f"type must include {required}", path="type")


def _check_objects(value: object, name: str) -> None:
    """``value`` is an object or a non-empty list of objects."""
    items = _as_list(value)
    if not items or not all(isinstance(item, Mapping) for item in items):
        raise ParsingError(f"{name} must be an object or a non-empty list of objects", path=name)


def _check_id(document: Mapping[str, Any]) -> None:
    if "id" in document and not _is_url(document["id"]):
        raise ParsingError("id must be a URL", path="id")


def _dates(credential: Mapping[str, Any]) -> dict[str, datetime]:
    """Parse ``validFrom``/``validUntil`` (XSD dateTimeStamp) where present."""
    dates: dict[str, datetime] = {}
    for name in ("validFrom", "validUntil"):
        if name in credential:
            try:
                dates[name] = parse_date_time_stamp(credential[name])
            except ValueError as exc:
                raise ParsingError(f"{name}: {exc}", path=name) from exc
    return dates


def credential_issuer(credential: Mapping[str, Any]) -> str:
    """Return the issuer URL of an untrusted credential: ``issuer`` or ``issuer.id``.

    Raises ``ParsingError`` (``PARSING_ERROR``) when neither is a URL string.
    """
    issuer = _require_mapping(credential, "credential").get("issuer")
    if isinstance(issuer, Mapping):
        issuer = issuer.get("id")
    if not isinstance(issuer, str) or not _is_url(issuer):
        raise ParsingError("issuer must be a URL or an object whose id is a URL", path="issuer")
    return issuer


def check_credential_shape(credential: object) -> None:
    """Check the VCDM 2.0 shape of an untrusted credential; ``ParsingError`` if wrong.

    Checked: ``@context`` is a list starting with the v2 URL; ``type`` includes
    ``VerifiableCredential``; ``id`` (if any) is a URL; ``issuer`` is a URL or an
    object with a URL ``id``; ``credentialSubject`` is one or more objects;
    ``validFrom``/``validUntil`` are dateTimeStamps in order; ``credentialStatus``
    is one or more objects with a ``type``.

    Spec: vc-data-model-2.0#verifiable-credentials
    """
    document = _require_mapping(credential, "credential")
    _check_context(document)
    _check_type(document, "VerifiableCredential")
    _check_id(document)
    credential_issuer(document)
    _check_objects(document.get("credentialSubject"), "credentialSubject")
    dates = _dates(document)
    if "validFrom" in dates and "validUntil" in dates and dates["validUntil"] < dates["validFrom"]:
        raise ParsingError("validUntil lies before validFrom", path="validUntil")
    if "credentialStatus" in document:
        _check_objects(document["credentialStatus"], "credentialStatus")
        if not all(isinstance(e.get("type"), str) for e in _as_list(document["credentialStatus"])):
            raise ParsingError("every credentialStatus needs a type", path="credentialStatus")


def check_presentation_shape(presentation: object) -> None:
    """Check the VCDM 2.0 shape of an untrusted presentation; ``ParsingError`` if wrong.

    Checked: ``@context`` is a list starting with the v2 URL; ``type`` includes
    ``VerifiablePresentation``; ``id`` (if any) is a URL; ``verifiableCredential``
    (if any) is one or more objects; ``holder`` (if any) is a URL string.

    Spec: vc-data-model-2.0#verifiable-presentations
    """
    document = _require_mapping(presentation, "presentation")
    _check_context(document)
    _check_type(document, "VerifiablePresentation")
    _check_id(document)
    if "verifiableCredential" in document:
        _check_objects(document["verifiableCredential"], "verifiableCredential")
    if "holder" in document and not _is_url(document["holder"]):
        raise ParsingError("holder must be a URL string", path="holder")


def check_validity_period(
    credential: Mapping[str, Any], *, clock: Clock, skew: timedelta = timedelta(0)
) -> None:
    """Refuse a credential outside its ``validFrom``…``validUntil`` window (both inclusive).

    Raises ``CredentialPolicyError`` with code ``CREDENTIAL_NOT_YET_VALID`` or
    ``CREDENTIAL_EXPIRED`` (``skew`` widens the window on both sides), and
    ``ParsingError`` for a malformed date.

    Spec: vc-data-model-2.0#validity-period
    """
    dates = _dates(_require_mapping(credential, "credential"))
    now = clock()
    if "validFrom" in dates and now + skew < dates["validFrom"]:
        raise CredentialPolicyError(
            f"the credential is valid from {credential['validFrom']}",
            code="CREDENTIAL_NOT_YET_VALID",
            path="validFrom",
        )
    if "validUntil" in dates and now - skew > dates["validUntil"]:
        raise CredentialPolicyError(
            f"the credential expired at {credential['validUntil']}",
            code="CREDENTIAL_EXPIRED",
            path="validUntil",
        )


def check_issuer_is_controller(credential: Mapping[str, Any], proof: Mapping[str, Any]) -> None:
    """Require the proof's verification method to belong to the credential's issuer.

    The DID of ``proof.verificationMethod`` (the part before ``#``; the
    resolver already checked it is the method's controller) must equal the
    issuer. Raises ``ProofVerificationError`` (``PROOF_VERIFICATION_ERROR``),
    or ``ParsingError`` when the issuer itself is malformed.
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
    _check_objects(subjects, "credentialSubject")
    ids: list[str] = []
    for subject in _as_list(subjects):
        if "id" in subject:
            if not _is_url(subject["id"]):
                raise ParsingError("credentialSubject.id must be a URL", path="credentialSubject")
            ids.append(subject["id"])
    return tuple(ids)
