"""Parse what a QR scan yields: an OpenID4VCI credential offer, by value or by reference.

Pure functions, no network. The text is untrusted; every problem raises
:class:`~wallet_sdk.errors.OfferError` (``INVALID_CREDENTIAL_OFFER``).

>>> offer = parse_offer_text(
...     "openid-credential-offer://?credential_offer=%7B%22credential_issuer%22%3A%22https%3A"
...     "%2F%2Fissuer.example.nl%2Fbrp%22%2C%22credential_configuration_ids%22%3A%5B%22"
...     "PersoonsgegevensCredential_ldp_vc%22%5D%2C%22grants%22%3A%7B%22urn%3Aietf%3Aparams"
...     "%3Aoauth%3Agrant-type%3Apre-authorized_code%22%3A%7B%22pre-authorized_code%22%3A"
...     "%22abc%22%2C%22tx_code%22%3A%7B%7D%7D%7D%7D")
>>> offer.credential_issuer, offer.tx_code
('https://issuer.example.nl/brp', TxCode(input_mode='numeric', length=None, description=None))
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal
from urllib.parse import parse_qs, urlsplit

from wallet_sdk import _json
from wallet_sdk.errors import OfferError
from wallet_sdk.http import is_https_url

__all__ = [
    "MAX_OFFER_TEXT",
    "OFFER_SCHEME",
    "PRE_AUTHORIZED_GRANT",
    "CredentialOffer",
    "CredentialOfferReference",
    "TxCode",
    "parse_credential_offer",
    "parse_offer_text",
]

OFFER_SCHEME = "openid-credential-offer"
PRE_AUTHORIZED_GRANT = "urn:ietf:params:oauth:grant-type:pre-authorized_code"
MAX_OFFER_TEXT = 16 * 1024
"""Longest offer text accepted (a by-value offer is well under 2 KiB)."""
_MAX_CONFIGURATIONS = 32
_MAX_DESCRIPTION = 300
_MAX_TX_CODE_LENGTH = 64


@dataclass(frozen=True, slots=True)
class TxCode:
    """How the issuer wants the transaction code entered (the code itself comes separately)."""

    input_mode: Literal["numeric", "text"] = "numeric"
    length: int | None = None
    description: str | None = None

    def check(self, value: str) -> None:
        """Refuse a code that cannot be right (``OfferError``, ``INVALID_TX_CODE``)."""
        if not isinstance(value, str) or not value or len(value) > _MAX_TX_CODE_LENGTH:
            raise OfferError("the transaction code is empty or too long", code="INVALID_TX_CODE")
        if self.input_mode == "numeric" and not (value.isascii() and value.isdigit()):
            raise OfferError("the transaction code must be digits only", code="INVALID_TX_CODE")
        if self.length is not None and len(value) != self.length:
            raise OfferError(
                f"the transaction code has {self.length} characters", code="INVALID_TX_CODE"
            )


@dataclass(frozen=True, slots=True)
class CredentialOffer:
    """A parsed, validated credential offer (still from an untrusted source).

    ``pre_authorized_code`` is ``None`` when the offer has no pre-authorized
    grant (then the wallet cannot accept it). ``tx_code`` is not ``None`` when
    the issuer requires a transaction code.
    """

    credential_issuer: str
    credential_configuration_ids: tuple[str, ...]
    pre_authorized_code: str | None
    tx_code: TxCode | None


@dataclass(frozen=True, slots=True)
class CredentialOfferReference:
    """An offer by reference: the wallet must GET ``uri`` (no redirects) to read it."""

    uri: str


def _fail(detail: str) -> OfferError:
    return OfferError(detail)


def _parse_tx_code(value: object) -> TxCode:
    if not isinstance(value, Mapping):
        raise _fail("tx_code must be a JSON object")
    mode = value.get("input_mode", "numeric")
    if mode not in ("numeric", "text"):
        raise _fail(f"tx_code input_mode must be numeric or text, not {mode!r}")
    length = value.get("length")
    if length is not None and (
        not isinstance(length, int)
        or isinstance(length, bool)
        or not 1 <= length <= _MAX_TX_CODE_LENGTH
    ):
        raise _fail("tx_code length must be a small positive integer")
    description = value.get("description")
    if description is not None and (
        not isinstance(description, str) or len(description) > _MAX_DESCRIPTION
    ):
        raise _fail(f"tx_code description must be a string of at most {_MAX_DESCRIPTION} chars")
    return TxCode(mode, length, description)


def _check_issuer_identifier(value: object) -> str:
    if not isinstance(value, str) or not is_https_url(value):
        raise _fail(f"credential_issuer must be an https URL, got {value!r}")
    if urlsplit(value).query:
        raise _fail("credential_issuer must not have a query or fragment")
    return value


def parse_credential_offer(value: object) -> CredentialOffer:
    """Validate a credential offer JSON object.

    Spec: openid-4-verifiable-credential-issuance-1_0#name-credential-offer-parameters
    """
    if not isinstance(value, Mapping):
        raise _fail("a credential offer must be a JSON object")
    # Step 1: credential_issuer, an https URL without query or fragment.
    issuer = _check_issuer_identifier(value.get("credential_issuer"))
    # Step 2: credential_configuration_ids, a non-empty array of unique strings.
    ids = value.get("credential_configuration_ids")
    if (
        not isinstance(ids, list)
        or not ids
        or len(ids) > _MAX_CONFIGURATIONS
        or not all(isinstance(item, str) and item for item in ids)
        or len(set(ids)) != len(ids)
    ):
        raise _fail("credential_configuration_ids must be a non-empty array of unique strings")
    # Step 3: grants (optional); the pre-authorized code grant with its optional tx_code.
    grants = value.get("grants", {})
    if not isinstance(grants, Mapping):
        raise _fail("grants must be a JSON object")
    code: str | None = None
    tx_code: TxCode | None = None
    if PRE_AUTHORIZED_GRANT in grants:
        grant = grants[PRE_AUTHORIZED_GRANT]
        if not isinstance(grant, Mapping):
            raise _fail("the pre-authorized code grant must be a JSON object")
        code = grant.get("pre-authorized_code")
        if not isinstance(code, str) or not code:
            raise _fail("pre-authorized_code must be a non-empty string")
        if "tx_code" in grant:
            tx_code = _parse_tx_code(grant["tx_code"])
    # Implementation note: unknown parameters are ignored, as the spec requires.
    return CredentialOffer(issuer, tuple(ids), code, tx_code)


def _single(params: Mapping[str, list[str]], name: str) -> str:
    values = params[name]
    if len(values) != 1:
        raise _fail(f"{name} must appear exactly once")
    return values[0]


def parse_offer_text(text: str) -> CredentialOffer | CredentialOfferReference:
    """Parse scanned text: ``openid-credential-offer://?credential_offer=…`` or ``…_uri=…``.

    An ``https`` link with the same query is accepted too. Exactly one of the
    two parameters must be present.

    Spec: openid-4-verifiable-credential-issuance-1_0#name-credential-offer
    """
    if not isinstance(text, str):
        raise TypeError("offer text must be a string")
    text = text.strip()
    if len(text) > MAX_OFFER_TEXT:
        raise _fail(f"the offer text is longer than {MAX_OFFER_TEXT} characters")
    try:
        parts = urlsplit(text)
        params = parse_qs(parts.query, keep_blank_values=True, strict_parsing=True)
    except ValueError as exc:
        raise _fail(f"the offer is not a URI with a query: {exc}") from exc
    if parts.scheme not in (OFFER_SCHEME, "https"):
        raise _fail(f"not a credential offer URI (scheme {parts.scheme!r})")
    present = [name for name in ("credential_offer", "credential_offer_uri") if name in params]
    if len(present) != 1:
        raise _fail("the offer URI needs exactly one of credential_offer and credential_offer_uri")
    value = _single(params, present[0])
    if present[0] == "credential_offer_uri":
        if not is_https_url(value):
            raise _fail(f"credential_offer_uri must be an https URL, got {value!r}")
        return CredentialOfferReference(value)
    try:
        parsed: Any = _json.loads(value, max_bytes=MAX_OFFER_TEXT, what="credential_offer")
    except _json.JsonInputError as exc:
        raise _fail(str(exc)) from exc
    return parse_credential_offer(parsed)
