"""OpenID4VP 1.0 requests on the wallet side: read the QR text, fetch and check the request.

Supported Client Identifier prefixes (docs/protocols.md, "Client identifier"):

- ``decentralized_identifier:did:web:…`` / ``…:did:key:…``: the request must be
  signed (JWS ``typ`` ``oauth-authz-req+jwt``), by reference (``request_uri``,
  fetched with GET, no redirects) or by value (``request``); the ``kid`` is a
  DID URL of the client's DID, resolved through the injected client (did:web)
  or offline (did:key);
- ``redirect_uri:<response_uri>``: unsigned, every parameter by value (for
  notebooks and tests).

Everything else is refused. All failures raise
:class:`~wallet_sdk.errors.PresentationRequestError` carrying the OpenID4VP
``error`` code a wallet may answer with; the answer itself
(:func:`post_response`) goes to ``response_uri`` with ``direct_post``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import parse_qs, urlsplit

from vc_core.did import dereference_verification_method
from vc_core.errors import DidResolutionError, FetchError, JwsError
from vc_core.formats import FORMATS, LDP_VC, SD_JWT_VC, credential_format
from vc_core.jws import verify_jws
from vc_core.keys import PublicKey
from vc_core.types import Clock, Fetch, JsonObject
from wallet_sdk import _json
from wallet_sdk.dcql import DcqlQuery, parse_dcql_query
from wallet_sdk.errors import PresentationRequestError
from wallet_sdk.http import WalletHttp, is_https_url

__all__ = [
    "DECENTRALIZED_IDENTIFIER",
    "REDIRECT_URI",
    "REQUEST_OBJECT_TYP",
    "SELF_ISSUED_AUDIENCE",
    "PresentationRequest",
    "RequestInvocation",
    "ResponseResult",
    "check_request_parameters",
    "fetch_request_object",
    "open_request",
    "parse_request_text",
    "post_response",
    "verify_request_object",
]

DECENTRALIZED_IDENTIFIER = "decentralized_identifier"
REDIRECT_URI = "redirect_uri"
REQUEST_OBJECT_TYP = "oauth-authz-req+jwt"
SELF_ISSUED_AUDIENCE = "https://self-issued.me/v2"
MAX_REQUEST_TEXT = 32 * 1024
"""Longest scanned request text accepted (by-value requests included)."""
CLOCK_SKEW = timedelta(minutes=5)
WALLET_CRYPTOSUITES = frozenset({"ecdsa-sd-2023"})
"""Credential cryptosuites this wallet presents (``client_metadata`` must allow one)."""
_FORMAT_VALUES: Mapping[str, Mapping[str, frozenset[str]]] = {
    LDP_VC: {
        "cryptosuite_values": WALLET_CRYPTOSUITES,
        "proof_type_values": frozenset({"DataIntegrityProof"}),
    },
    SD_JWT_VC: {"kb-jwt_alg_values": frozenset({"ES256", "EdDSA"})},
}
"""Per format, the client_metadata members that must allow one of our values (if listed)."""

_TOKEN_CHARS = re.compile(r"[A-Za-z0-9._~-]{1,512}")
_SCHEMES = ("openid4vp", "https")
_MAX_PURPOSE = 300


def _refuse(detail: str, *, error: str = "invalid_request") -> PresentationRequestError:
    return PresentationRequestError(detail, error=error)


@dataclass(frozen=True, slots=True)
class RequestInvocation:
    """What the scanned link carries: a ``client_id`` and the request by value or reference."""

    client_id: str
    request_uri: str | None
    request: str | None
    parameters: Mapping[str, str]


@dataclass(frozen=True, slots=True)
class PresentationRequest:
    """A checked OpenID4VP request: who asks (``client_id``), for what, and where to answer.

    ``verifier`` is the client's DID (``decentralized_identifier``) or its
    response URI (``redirect_uri``); ``purpose`` and ``client_name`` are
    what the verifier says about itself (shown, never trusted for anything).
    ``formats`` are the credential formats the verifier accepts that this
    wallet can present.
    """

    client_id: str
    client_id_prefix: str
    verifier: str
    response_uri: str
    nonce: str
    state: str | None
    dcql_query: DcqlQuery
    purpose: str | None
    client_name: str | None
    signed: bool
    expires_at: datetime | None
    formats: frozenset[str] = frozenset(FORMATS)


def _client_id_prefix(client_id: str) -> tuple[str, str]:
    """Split a Client Identifier into its prefix and the identifier after it."""
    prefix, colon, rest = client_id.partition(":")
    if not colon or not rest:
        raise _refuse(f"client_id {client_id!r} has no supported prefix", error="invalid_client")
    if prefix == DECENTRALIZED_IDENTIFIER and rest.startswith(("did:web:", "did:key:")):
        return prefix, rest
    if prefix == REDIRECT_URI and is_https_url(rest):
        return prefix, rest
    raise _refuse(
        f"client_id prefix {prefix!r} is not supported (decentralized_identifier with "
        "did:web/did:key, or redirect_uri with an https URL)",
        error="invalid_client",
    )


def parse_request_text(text: str) -> RequestInvocation:
    """Parse scanned text: ``openid4vp://?client_id=…&request_uri=…`` or the same by value.

    Spec: openid-4-verifiable-presentations-1_0#name-authorization-request
    """
    if not isinstance(text, str):
        raise TypeError("request text must be a string")
    text = text.strip()
    if len(text) > MAX_REQUEST_TEXT:
        raise _refuse(f"the request text is longer than {MAX_REQUEST_TEXT} characters")
    try:
        parts = urlsplit(text)
        query = parse_qs(parts.query, keep_blank_values=True, strict_parsing=True)
    except ValueError as exc:
        raise _refuse(f"the request is not a URI with a query: {exc}") from exc
    if parts.scheme not in _SCHEMES:
        raise _refuse(f"not an OpenID4VP request (scheme {parts.scheme!r})")
    if any(len(values) != 1 for values in query.values()):
        raise _refuse("a request parameter appears more than once")
    parameters = {name: values[0] for name, values in query.items()}
    client_id = parameters.get("client_id")
    if not client_id:
        raise _refuse("the request has no client_id")
    request_uri, request = parameters.get("request_uri"), parameters.get("request")
    if request_uri is not None and request is not None:
        raise _refuse("request and request_uri are mutually exclusive")
    if request_uri is not None and not is_https_url(request_uri):
        raise _refuse(f"request_uri must be an https URL, got {request_uri!r}")
    method = parameters.get("request_uri_method", "get")
    if method not in ("get", "post"):
        raise _refuse(f"request_uri_method {method!r}", error="invalid_request_uri_method")
    return RequestInvocation(client_id, request_uri, request, parameters)


def fetch_request_object(http: WalletHttp, request_uri: str) -> str:
    """GET the signed request object (``application/oauth-authz-req+jwt``); redirects refused.

    Spec: openid-4-verifiable-presentations-1_0#name-request-uri-method-get
    """
    try:
        response = http.request("GET", request_uri, accept="application/oauth-authz-req+jwt")
    except FetchError as exc:
        raise _refuse(f"request_uri: {exc.detail}") from exc
    if response.status != 200:
        raise _refuse(f"request_uri answered {response.status}")
    if response.media_type != "application/oauth-authz-req+jwt":
        raise _refuse(f"request_uri returned {response.media_type or 'untyped'}, not a request JWT")
    try:
        return response.body.decode("ascii").strip()
    except UnicodeDecodeError as exc:
        raise _refuse("the request object is not ASCII text") from exc


def _numeric_date(payload: Mapping[str, Any], name: str) -> datetime | None:
    value = payload.get(name)
    if value is None:
        return None
    if not isinstance(value, int | float) or isinstance(value, bool):
        raise _refuse(f"request object {name} must be a NumericDate")
    try:
        return datetime.fromtimestamp(value, UTC)
    except (OverflowError, OSError, ValueError) as exc:
        raise _refuse(f"request object {name} is out of range") from exc


def verify_request_object(
    token: str, *, client_id: str, fetch: Fetch | None, clock: Clock
) -> JsonObject:
    """Verify a signed request object for ``client_id`` and return its claims.

    The JWS ``typ`` must be ``oauth-authz-req+jwt``; ``kid`` must be a DID URL
    of the client's DID naming a key in its DID document (did:web fetched
    with ``fetch``); the claim ``client_id`` must equal the link's; ``aud``
    must be ``https://self-issued.me/v2``; ``exp`` not passed.

    Spec: openid-4-verifiable-presentations-1_0#name-decentralized-identifiers
    """
    prefix, did = _client_id_prefix(client_id)
    if prefix != DECENTRALIZED_IDENTIFIER:
        raise _refuse("a redirect_uri client cannot sign its request; send it by value")

    def resolve_kid(kid: str) -> PublicKey:
        # Step 1: the kid is a DID URL of the client's own DID.
        if kid.partition("#")[0] != did:
            raise JwsError(f"kid {kid!r} is not a key of {did}")
        # Step 2: the key is a verification method in that DID's document.
        try:
            return dereference_verification_method(kid, fetch=fetch).public_key
        except DidResolutionError as exc:
            raise JwsError(f"kid {kid!r}: {exc.detail}") from exc

    # Step 3: the signature, with the explicit request-object type.
    try:
        verified = verify_jws(token, expected_typ=REQUEST_OBJECT_TYP, resolve_kid=resolve_kid)
    except JwsError as exc:
        raise _refuse(f"the request object does not verify: {exc.detail}") from exc
    if "kid" not in verified.header:
        raise _refuse("the request object must name its key with kid")
    payload = verified.payload
    # Step 4: the client_id inside equals the one in the link.
    if payload.get("client_id") != client_id:
        raise _refuse("the request object's client_id differs from the link's")
    # Step 5: audience: the static self-issued value.
    audience = payload.get("aud")
    if audience != SELF_ISSUED_AUDIENCE and not (
        isinstance(audience, list) and SELF_ISSUED_AUDIENCE in audience
    ):
        raise _refuse(f"request object aud {audience!r} is not {SELF_ISSUED_AUDIENCE}")
    # Step 6: Implementation note: lifetime (exp) and issue time (iat) against our clock.
    now = clock()
    expires = _numeric_date(payload, "exp")
    if expires is not None and now > expires + CLOCK_SKEW:
        raise _refuse("the request object has expired")
    issued = _numeric_date(payload, "iat")
    if issued is not None and issued > now + CLOCK_SKEW:
        raise _refuse("the request object was issued in the future")
    return payload


def _json_parameter(parameters: Mapping[str, Any], name: str, *, signed: bool) -> Any:
    """A JSON-valued parameter: an object inside a request object, JSON text in a link."""
    value = parameters.get(name)
    if signed or value is None or not isinstance(value, str):
        return value
    try:
        return _json.loads(value, max_bytes=MAX_REQUEST_TEXT, what=name)
    except _json.JsonInputError as exc:
        raise _refuse(str(exc)) from exc


def _token(parameters: Mapping[str, Any], name: str) -> str:
    value = parameters.get(name)
    if not isinstance(value, str) or not _TOKEN_CHARS.fullmatch(value):
        raise _refuse(f"{name} must be 1-512 characters of A-Z a-z 0-9 - . _ ~")
    return value


def _check_formats(client_metadata: Mapping[str, Any]) -> frozenset[str]:
    """The formats we may answer in: those the verifier lists and we can present.

    ``ldp_vc`` needs ``ecdsa-sd-2023`` and ``DataIntegrityProof`` among the
    listed values; ``dc+sd-jwt`` needs our holder keys' ``ES256`` or ``EdDSA``
    among ``kb-jwt_alg_values``. Without ``vp_formats_supported`` every
    format of the registry is fine. None at all is ``vp_formats_not_supported``.

    Spec: openid-4-verifiable-presentations-1_0#name-verifier-metadata-managemen
    """
    formats = client_metadata.get("vp_formats_supported")
    if formats is None:
        return frozenset(FORMATS)
    if not isinstance(formats, Mapping):
        raise _refuse("vp_formats_supported must be an object")
    accepted: set[str] = set()
    for name, options in formats.items():
        entry = credential_format(name)
        if entry is None or not isinstance(options, Mapping):
            continue
        wanted = _FORMAT_VALUES.get(entry.identifier, {})
        if all(
            not isinstance(options.get(member), list) or values & set(options[member])
            for member, values in wanted.items()
        ):
            accepted.add(entry.identifier)
    if not accepted:
        raise _refuse(
            "the verifier accepts none of the formats this wallet presents "
            "(ldp_vc with ecdsa-sd-2023, dc+sd-jwt with ES256 or EdDSA key binding)",
            error="vp_formats_not_supported",
        )
    return frozenset(accepted)


def check_request_parameters(
    parameters: Mapping[str, Any], *, client_id: str, signed: bool, expires_at: datetime | None
) -> PresentationRequest:
    """Check the authorization request parameters and build the :class:`PresentationRequest`.

    Spec: openid-4-verifiable-presentations-1_0#name-authorization-request
    """
    prefix, verifier = _client_id_prefix(client_id)
    # Step 1: the client identifier prefix decides whether the request must be signed.
    if prefix == DECENTRALIZED_IDENTIFIER and not signed:
        raise _refuse("a decentralized_identifier client must send a signed request")
    # Step 2: response_type vp_token, response_mode direct_post with a response_uri.
    if parameters.get("response_type") != "vp_token":
        raise _refuse(f"response_type {parameters.get('response_type')!r} is not vp_token")
    if parameters.get("response_mode") != "direct_post":
        raise _refuse(f"response_mode {parameters.get('response_mode')!r} is not direct_post")
    response_uri = parameters.get("response_uri")
    if not isinstance(response_uri, str) or not is_https_url(response_uri):
        raise _refuse("direct_post needs an https response_uri")
    if "redirect_uri" in parameters:
        raise _refuse("redirect_uri must be absent with direct_post")
    if prefix == REDIRECT_URI and verifier != response_uri:
        raise _refuse("a redirect_uri client_id must name the response_uri")
    # Step 3: nonce (required) and state, from the URL-safe character set.
    nonce = _token(parameters, "nonce")
    state = None if parameters.get("state") is None else _token(parameters, "state")
    # Step 4: exactly one of dcql_query and scope; we understand DCQL only.
    if "scope" in parameters:
        raise _refuse("scope-based requests are not supported; send a dcql_query")
    if "transaction_data" in parameters:
        raise _refuse("transaction_data is not supported by this wallet")
    dcql = parse_dcql_query(_json_parameter(parameters, "dcql_query", signed=signed))
    # Step 5: client metadata: the verifier must accept what we present.
    metadata = _json_parameter(parameters, "client_metadata", signed=signed) or {}
    if not isinstance(metadata, Mapping):
        raise _refuse("client_metadata must be a JSON object")
    formats = _check_formats(metadata)
    # Implementation note: what the verifier says about itself, shown on the consent screen.
    purpose = parameters.get("purpose")
    if purpose is not None and (not isinstance(purpose, str) or len(purpose) > _MAX_PURPOSE):
        raise _refuse(f"purpose must be a string of at most {_MAX_PURPOSE} characters")
    name = metadata.get("client_name")
    return PresentationRequest(
        client_id=client_id,
        client_id_prefix=prefix,
        verifier=verifier,
        response_uri=response_uri,
        nonce=nonce,
        state=state,
        dcql_query=dcql,
        purpose=purpose,
        client_name=name[:_MAX_PURPOSE] if isinstance(name, str) else None,
        signed=signed,
        expires_at=expires_at,
        formats=formats,
    )


def open_request(text: str, *, http: WalletHttp, clock: Clock) -> PresentationRequest:
    """Read scanned text into a checked request (fetching and verifying a request object).

    With a request object, only its parameters count (the link's others are
    ignored, as the spec requires).

    Spec: openid-4-verifiable-presentations-1_0#name-authorization-request
    """
    invocation = parse_request_text(text)
    token = invocation.request
    if invocation.request_uri is not None:
        token = fetch_request_object(http, invocation.request_uri)
    if token is None:
        return check_request_parameters(
            invocation.parameters, client_id=invocation.client_id, signed=False, expires_at=None
        )
    claims = verify_request_object(
        token, client_id=invocation.client_id, fetch=http.fetch, clock=clock
    )
    return check_request_parameters(
        claims,
        client_id=invocation.client_id,
        signed=True,
        expires_at=_numeric_date(claims, "exp"),
    )


@dataclass(frozen=True, slots=True)
class ResponseResult:
    """The verifier's answer to a ``direct_post``: an optional ``redirect_uri`` to open."""

    status: int
    redirect_uri: str | None


def post_response(
    http: WalletHttp, request: PresentationRequest, fields: Mapping[str, str]
) -> ResponseResult:
    """POST ``fields`` (``vp_token``/``state`` or ``error``/``state``) to the response URI.

    A 3xx or network failure raises ``FetchError``; an error status raises
    ``PresentationRequestError`` (``RESPONSE_REJECTED``).

    Spec: openid-4-verifiable-presentations-1_0#name-response-mode-direct_post
    """
    response = http.request("POST", request.response_uri, accept="application/json", form=fields)
    if response.status != 200:
        raise PresentationRequestError(
            f"the verifier answered {response.status}: "
            f"{response.body[:300].decode('utf-8', 'replace')}",
            code="RESPONSE_REJECTED",
        )
    redirect: str | None = None
    if response.body.strip():
        body = response.json(what="the verifier's response")
        found = body.get("redirect_uri") if isinstance(body, Mapping) else None
        redirect = found if isinstance(found, str) and is_https_url(found) else None
    return ResponseResult(response.status, redirect)
