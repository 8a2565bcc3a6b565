"""OpenID4VCI 1.0 client calls over the injected HTTP client (pre-authorized code flow).

Each function is one request of docs/protocols.md, "Wallet sequence" and checks its answer.
Error answers raise :class:`~wallet_sdk.errors.IssuerResponseError` with the
issuer's OAuth ``error``; transport failures ``vc_core.errors.FetchError``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from vc_core.errors import FetchError
from vc_core.types import JsonObject
from wallet_sdk.errors import IssuerResponseError, OfferError
from wallet_sdk.http import HttpResponse, WalletHttp
from wallet_sdk.metadata import (
    AuthorizationServerMetadata,
    IssuerMetadata,
    parse_authorization_server_metadata,
    parse_issuer_metadata,
    well_known_urls,
)
from wallet_sdk.offers import (
    MAX_OFFER_TEXT,
    PRE_AUTHORIZED_GRANT,
    CredentialOffer,
    CredentialOfferReference,
    parse_credential_offer,
)

__all__ = [
    "CredentialResponse",
    "TokenResponse",
    "fetch_authorization_server_metadata",
    "fetch_issuer_metadata",
    "fetch_offer",
    "request_credentials",
    "request_deferred_credentials",
    "request_nonce",
    "request_token",
    "send_notification",
]

_JSON = "application/json"
_MAX_CREDENTIALS = 100


@dataclass(frozen=True, slots=True)
class TokenResponse:
    """An access token from the token endpoint."""

    access_token: str
    token_type: str
    expires_in: int | None


@dataclass(frozen=True, slots=True)
class CredentialResponse:
    """A credential (or deferred credential) response.

    ``credentials`` holds the untrusted credentials (``ldp_vc``: JSON objects,
    ``dc+sd-jwt``: strings; the receiver checks each against the format it
    asked for); when issuance is deferred it is empty and ``transaction_id`` set.
    """

    credentials: tuple[JsonObject | str, ...]
    transaction_id: str | None
    interval: int | None
    notification_id: str | None


def _oauth_error(response: HttpResponse, what: str) -> IssuerResponseError:
    """Turn an error answer into ``IssuerResponseError`` carrying the OAuth ``error`` code."""
    error: str | None = None
    description = ""
    try:
        body = response.json(what=what)
    except FetchError:
        body = None
    if isinstance(body, Mapping):
        error = body.get("error") if isinstance(body.get("error"), str) else None
        found = body.get("error_description")
        description = f": {found[:300]}" if isinstance(found, str) else ""
    return IssuerResponseError(
        f"{what} answered {response.status} {error or ''}{description}".replace("  ", " "),
        error=error,
        status=response.status,
    )


def _json_object(response: HttpResponse, what: str) -> Mapping[str, Any]:
    if response.status != 200:
        raise _oauth_error(response, what)
    body = response.json(what=what)
    if not isinstance(body, Mapping):
        raise IssuerResponseError(f"{what} is not a JSON object")
    return body


def fetch_offer(http: WalletHttp, reference: CredentialOfferReference) -> CredentialOffer:
    """GET an offer by reference (no redirects; the answer must be ``application/json``).

    Spec: openid-4-verifiable-credential-issuance-1_0#name-sending-credential-offer-by-r
    """
    response = http.request("GET", reference.uri, accept=_JSON)
    if response.status != 200:
        raise OfferError(f"credential_offer_uri answered {response.status}")
    if len(response.body) > MAX_OFFER_TEXT:
        raise OfferError(f"the offer is larger than {MAX_OFFER_TEXT} bytes")
    try:
        body = response.json(what="credential offer")
    except FetchError as exc:
        raise OfferError(exc.detail) from exc
    return parse_credential_offer(body)


def fetch_issuer_metadata(http: WalletHttp, credential_issuer: str) -> IssuerMetadata:
    """Fetch Credential Issuer metadata: the inserted well-known path first, then the appended one.

    Spec: openid-4-verifiable-credential-issuance-1_0#name-credential-issuer-metadata-
    """
    failures: list[str] = []
    for url in well_known_urls(credential_issuer, "openid-credential-issuer"):
        response = http.request("GET", url, accept=_JSON)
        if response.status == 200:
            return parse_issuer_metadata(
                response.json(what="issuer metadata"), expected_issuer=credential_issuer
            )
        failures.append(f"{url} answered {response.status}")
    raise IssuerResponseError(
        "no issuer metadata: " + "; ".join(failures), code="INVALID_ISSUER_METADATA"
    )


def fetch_authorization_server_metadata(
    http: WalletHttp, issuer: str
) -> AuthorizationServerMetadata:
    """Fetch RFC 8414 metadata of ``issuer`` (inserted well-known path, then appended).

    Spec: rfc8414#section-3.1
    """
    failures: list[str] = []
    for url in well_known_urls(issuer, "oauth-authorization-server"):
        response = http.request("GET", url, accept=_JSON)
        if response.status == 200:
            return parse_authorization_server_metadata(
                response.json(what="authorization server metadata"), expected_issuer=issuer
            )
        failures.append(f"{url} answered {response.status}")
    raise IssuerResponseError(
        "no authorization server metadata: " + "; ".join(failures), code="INVALID_ISSUER_METADATA"
    )


def request_token(
    http: WalletHttp, token_endpoint: str, *, pre_authorized_code: str, tx_code: str | None
) -> TokenResponse:
    """Exchange the pre-authorized code (and transaction code) for an access token.

    A wrong transaction code comes back as ``IssuerResponseError`` with
    ``error`` ``invalid_grant`` (or ``invalid_tx_code``). A stray ``c_nonce``
    (draft 13) is ignored.

    Spec: openid-4-verifiable-credential-issuance-1_0#name-token-request
    """
    form = {"grant_type": PRE_AUTHORIZED_GRANT, "pre-authorized_code": pre_authorized_code}
    if tx_code is not None:
        form["tx_code"] = tx_code
    body = _json_object(
        http.request("POST", token_endpoint, accept=_JSON, form=form), "token endpoint"
    )
    token, token_type = body.get("access_token"), body.get("token_type")
    if not isinstance(token, str) or not token or not isinstance(token_type, str):
        raise IssuerResponseError("the token response has no access_token/token_type")
    if token_type.lower() != "bearer":
        raise IssuerResponseError(f"unsupported token_type {token_type!r}")
    expires = body.get("expires_in")
    return TokenResponse(token, token_type, expires if isinstance(expires, int) else None)


def request_nonce(http: WalletHttp, nonce_endpoint: str) -> str:
    """POST to the nonce endpoint and return ``c_nonce``.

    Spec: openid-4-verifiable-credential-issuance-1_0#name-nonce-endpoint
    """
    body = _json_object(http.request("POST", nonce_endpoint, accept=_JSON), "nonce endpoint")
    nonce = body.get("c_nonce")
    if not isinstance(nonce, str) or not nonce:
        raise IssuerResponseError("the nonce response has no c_nonce")
    return nonce


def _credential_response(response: HttpResponse, what: str) -> CredentialResponse:
    """Read a 200 (credentials) or 202 (deferred) answer."""
    if response.status not in (200, 202):
        raise _oauth_error(response, what)
    body = response.json(what=what)
    if not isinstance(body, Mapping):
        raise IssuerResponseError(f"the {what} response is not a JSON object")
    notification_id = body.get("notification_id")
    notification = notification_id if isinstance(notification_id, str) else None
    if response.status == 202:
        transaction_id, interval = body.get("transaction_id"), body.get("interval", 5)
        if not isinstance(transaction_id, str) or not transaction_id:
            raise IssuerResponseError(f"a deferred {what} response needs a transaction_id")
        if not isinstance(interval, int) or isinstance(interval, bool) or interval < 0:
            raise IssuerResponseError(f"the deferred {what} interval must be a whole number")
        return CredentialResponse((), transaction_id, interval, notification)
    items = body.get("credentials")
    if not isinstance(items, list) or not items or len(items) > _MAX_CREDENTIALS:
        raise IssuerResponseError(f"the {what} response has no credentials array")
    credentials: list[JsonObject | str] = []
    for item in items:
        credential = item.get("credential") if isinstance(item, Mapping) else None
        if not isinstance(credential, dict | str):
            raise IssuerResponseError(f"a credential in the {what} is neither an object nor text")
        credentials.append(credential)
    return CredentialResponse(tuple(credentials), None, None, notification)


def request_credentials(
    http: WalletHttp,
    credential_endpoint: str,
    *,
    access_token: str,
    configuration_id: str,
    proofs: Sequence[str],
) -> CredentialResponse:
    """POST a credential request with one JWT proof per copy (``proofs.jwt``).

    Spec: openid-4-verifiable-credential-issuance-1_0#name-credential-request
    """
    body = {"credential_configuration_id": configuration_id, "proofs": {"jwt": list(proofs)}}
    response = http.request(
        "POST", credential_endpoint, accept=_JSON, json_body=body, bearer=access_token
    )
    return _credential_response(response, "credential endpoint")


def request_deferred_credentials(
    http: WalletHttp, deferred_endpoint: str, *, access_token: str, transaction_id: str
) -> CredentialResponse:
    """POST to the deferred credential endpoint; ``issuance_pending`` comes back as 202-like.

    Spec: openid-4-verifiable-credential-issuance-1_0#name-deferred-credential-endpoint
    """
    response = http.request(
        "POST",
        deferred_endpoint,
        accept=_JSON,
        json_body={"transaction_id": transaction_id},
        bearer=access_token,
    )
    if response.status == 400:
        error = _oauth_error(response, "deferred credential endpoint")
        if error.error == "issuance_pending":
            return CredentialResponse((), transaction_id, None, None)
        raise error
    return _credential_response(response, "deferred credential endpoint")


def send_notification(
    http: WalletHttp,
    notification_endpoint: str,
    *,
    access_token: str,
    notification_id: str,
    event: str,
    description: str | None = None,
) -> None:
    """Tell the issuer what became of a credential (``credential_accepted`` / ``…_failure``).

    Spec: openid-4-verifiable-credential-issuance-1_0#name-notification-endpoint
    """
    body: JsonObject = {"notification_id": notification_id, "event": event}
    if description is not None:
        body["event_description"] = description[:300]
    response = http.request(
        "POST", notification_endpoint, accept=_JSON, json_body=body, bearer=access_token
    )
    if response.status not in (200, 204):
        raise _oauth_error(response, "notification endpoint")
