"""The OpenID4VCI endpoints of every source, without a web framework.

Each method takes the request's parsed parts (form fields, JSON body, the
``Authorization`` header) and returns an :class:`EndpointResponse` or raises
an ``OAuthError``/``IssuerError``; ``vc_issuer.web`` only moves bytes. The
flow is pre-authorized code + tx_code → access token (opaque, hashed at rest,
bound to the redeemed offer) → ``c_nonce`` → credential request with one JWT
key proof per copy → one credential per proof, each bound to that proof's
did:key, or a deferred transaction when a record awaits manual review.

Spec: openid-4-verifiable-credential-issuance-1_0
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import secrets
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import NoReturn

from vc_core.types import Clock, JsonObject
from vc_issuer.db import AccessTokenRecord, DeferredRecord, Unit
from vc_issuer.errors import (
    CredentialRequestDenied,
    InvalidCredentialRequest,
    InvalidGrant,
    InvalidNonce,
    InvalidNotification,
    InvalidProof,
    InvalidRequest,
    InvalidToken,
    InvalidTransactionId,
    NotFound,
    UnknownCredentialConfiguration,
    UnknownCredentialIdentifier,
    UnsupportedGrantType,
)
from vc_issuer.issuer import Issuer
from vc_issuer.offers import PRE_AUTHORIZED_GRANT, code_hash, offer_label
from vc_issuer.oid4vci.draft13 import translate_credential_request, translate_credential_response
from vc_issuer.oid4vci.metadata import authorization_server_metadata, credential_issuer_metadata
from vc_issuer.oid4vci.nonces import CheckedNonce, NonceService
from vc_issuer.oid4vci.proofs import KeyProof, verify_proof_jwt

__all__ = ["NOTIFICATION_EVENTS", "CredentialIssuerService", "EndpointResponse"]

NOTIFICATION_EVENTS = frozenset({"credential_accepted", "credential_failure", "credential_deleted"})
_DEFERRED_LIFETIME = timedelta(days=14)
_log = logging.getLogger("vc_issuer.oid4vci")


@dataclass(frozen=True, slots=True)
class EndpointResponse:
    """An HTTP status and JSON body (``None`` for 204)."""

    status: int
    body: JsonObject | None


def _utc_now() -> datetime:
    return datetime.now(UTC)


def _secret_hash(value: str) -> str:
    return hashlib.sha256(value.encode("utf-8")).hexdigest()


def _token_label(token_hash: str) -> str:
    return f"token:{token_hash}"


def _deferred_label(deferred_id: str) -> str:
    return f"deferred:{deferred_id}"


def _bearer_token(authorization: str | None) -> str:
    scheme, _, token = (authorization or "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise InvalidToken("a Bearer access token is required")
    return token.strip()


class _WrongTxCodeError(Exception):
    """A token request's tx_code did not match: the redemption rolls back, then counts it."""

    def __init__(self, offer_id: str) -> None:
        super().__init__(offer_id)
        self.offer_id = offer_id


@dataclass(frozen=True, slots=True)
class _CredentialRequest:
    configuration_id: str
    proofs: tuple[str, ...]


class CredentialIssuerService:
    """The OpenID4VCI 1.0 endpoints of all sources of one :class:`Issuer`.

    ``clock`` is the default clock of every endpoint; ``token`` makes the random
    access tokens, transaction ids and notification ids (``token(n)``: n random bytes,
    URL-safe text).
    """

    def __init__(
        self,
        issuer: Issuer,
        *,
        clock: Clock = _utc_now,
        token: Callable[[int], str] = secrets.token_urlsafe,
    ) -> None:
        self.issuer = issuer
        self.clock = clock
        self._random_token = token
        self.settings = issuer.settings
        self.nonces = NonceService(
            issuer.keys.derived_secret("nonce"),
            ttl=timedelta(seconds=self.settings.nonce_ttl_seconds),
        )
        self._token_ttl = timedelta(seconds=self.settings.token_ttl_seconds)

    # Metadata and offers ---------------------------------------------------------------------

    def issuer_metadata(self, source: str) -> JsonObject:
        """The Credential Issuer metadata of ``source`` (``NotFound`` if unknown)."""
        return credential_issuer_metadata(
            self.settings, self.issuer.source(source), self.issuer.configurations(source)
        )

    def authorization_server_metadata(self, source: str) -> JsonObject:
        """The OAuth authorization-server metadata of ``source``."""
        return authorization_server_metadata(self.settings, self.issuer.source(source))

    def offer(self, source: str, offer_id: str, *, clock: Clock | None = None) -> JsonObject:
        """The offer behind a ``credential_offer_uri`` (``OfferNotFound``/``OfferExpired``)."""
        clock = clock or self.clock
        self.issuer.source(source)
        return self.issuer.offers.document(
            source,
            offer_id,
            credential_issuer=self.settings.issuer_identifier(source),
            clock=clock,
        )

    # Token endpoint --------------------------------------------------------------------------

    def token(
        self, source: str, form: Mapping[str, str], *, clock: Clock | None = None
    ) -> EndpointResponse:
        """Exchange a pre-authorized code (and tx_code) for an access token.

        Spec: openid-4-verifiable-credential-issuance-1_0#name-token-endpoint
        """
        clock = clock or self.clock
        self.issuer.source(source)
        # Step 1: grant_type must be the pre-authorized code grant.
        grant_type = form.get("grant_type")
        if not grant_type:
            raise InvalidRequest("grant_type is missing")
        if grant_type != PRE_AUTHORIZED_GRANT:
            raise UnsupportedGrantType(f"only {PRE_AUTHORIZED_GRANT} is supported")
        # Step 2: the pre-authorized code must belong to an open offer of this source.
        code = form.get("pre-authorized_code")
        if not code:
            raise InvalidRequest("pre-authorized_code is missing")
        token = self._random_token(32)
        token_hash = _secret_hash(token)
        limit = self.settings.tx_code_max_attempts
        # Implementation note: Steps 2 to 4 are one transaction that redeems the offer
        # first (a conditional DELETE … RETURNING, one statement on the good path) and
        # checks it after; a check that fails raises, which rolls the redemption back.
        # A concurrent request for the same offer waits for the row until then.
        try:
            with self.issuer.db.write() as unit:
                offer = unit.redeem_offer(code_hash(code), below_attempts=limit)
                if offer is None or offer.source != source:
                    raise InvalidGrant("the pre-authorized code is unknown, used or locked")
                now = clock()
                if now >= offer.expires_at:
                    raise InvalidGrant("the pre-authorized code has expired")
                # Step 3: a tx_code is sent exactly when the offer asked for one, and must
                # match.
                tx_code = form.get("tx_code")
                if offer.tx_code_hash is None and tx_code is not None:
                    raise InvalidRequest("this offer has no tx_code; do not send one")
                if offer.tx_code_hash is not None:
                    if not tx_code:
                        raise InvalidRequest("this offer needs the tx_code")
                    expected = self.issuer.offers.tx_code_hash(offer.id, tx_code)
                    if not hmac.compare_digest(expected, offer.tx_code_hash):
                        raise _WrongTxCodeError(offer.id)
                # Step 4: the offer is redeemed once (a concurrent second redemption finds
                # it gone): its access token.
                keys = self.issuer.keys
                bsn = keys.open_subject(offer.sealed_subject, bound_to=offer_label(offer.id))
                unit.add_token(
                    AccessTokenRecord(
                        token_hash=token_hash,
                        source=source,
                        sealed_subject=keys.seal_subject(bsn, bound_to=_token_label(token_hash)),
                        configuration_ids=offer.configuration_ids,
                        credentials_issued=0,
                        expires_at=now + self._token_ttl,
                    )
                )
        except _WrongTxCodeError as wrong:
            self._count_wrong_tx_code(wrong.offer_id)
        _log.info("token_issued", extra={"source": source})
        # Step 5: the token response (no c_nonce in 1.0).
        return EndpointResponse(
            200,
            {
                "access_token": token,
                "token_type": "Bearer",
                "expires_in": int(self._token_ttl.total_seconds()),
            },
        )

    def _count_wrong_tx_code(self, offer_id: str) -> NoReturn:
        limit = self.settings.tx_code_max_attempts
        with self.issuer.db.write() as unit:
            failures = unit.count_failed_tx_code(offer_id)
            if failures >= limit:
                unit.delete_offer(offer_id)
        if failures >= limit:
            _log.warning("offer_locked", extra={"attempts": failures})
            raise InvalidGrant("too many wrong tx_codes; this offer is locked")
        raise InvalidGrant(f"wrong tx_code ({limit - failures} tries left)")

    # Nonce endpoint --------------------------------------------------------------------------

    def nonce(self, source: str, *, clock: Clock | None = None) -> EndpointResponse:
        """A fresh ``c_nonce``.

        Spec: openid-4-verifiable-credential-issuance-1_0#name-nonce-endpoint
        """
        clock = clock or self.clock
        self.issuer.source(source)
        return EndpointResponse(200, {"c_nonce": self.nonces.issue(source=source, clock=clock)})

    # Credential endpoint ---------------------------------------------------------------------

    def _access_token(
        self, source: str, authorization: str | None, *, clock: Clock, allow_expired: bool = False
    ) -> AccessTokenRecord:
        token_hash = _secret_hash(_bearer_token(authorization))
        with self.issuer.db.read() as unit:
            record = unit.token(token_hash)
        if record is None or record.source != source:
            raise InvalidToken("the access token is unknown")
        if not allow_expired and clock() >= record.expires_at:
            raise InvalidToken("the access token has expired")
        return record

    @staticmethod
    def _parse_request(body: object, batch_size: int) -> _CredentialRequest:
        """Read a credential request: configuration id and the ``jwt`` proofs.

        Spec: openid-4-verifiable-credential-issuance-1_0#name-credential-request
        """
        if not isinstance(body, dict):
            raise InvalidCredentialRequest("the credential request must be a JSON object")
        if "credential_identifier" in body:
            raise UnknownCredentialIdentifier("this issuer hands out no credential identifiers")
        configuration_id = body.get("credential_configuration_id")
        if not isinstance(configuration_id, str) or not configuration_id:
            raise InvalidCredentialRequest("credential_configuration_id is missing")
        proofs = body.get("proofs")
        if not isinstance(proofs, dict) or len(proofs) != 1:
            raise InvalidProof("proofs must be an object with exactly one proof type")
        if "jwt" not in proofs:
            raise InvalidProof(f"unsupported proof type {next(iter(proofs))!r}; use jwt")
        jwts = proofs["jwt"]
        if not isinstance(jwts, list) or not jwts or not all(isinstance(j, str) for j in jwts):
            raise InvalidProof("proofs.jwt must be a non-empty array of JWTs")
        if len(jwts) > batch_size:
            raise InvalidCredentialRequest(f"at most {batch_size} proofs per request")
        return _CredentialRequest(configuration_id, tuple(jwts))

    def _checked_proofs(
        self, source: str, jwts: Sequence[str], *, clock: Clock
    ) -> tuple[list[KeyProof], list[CheckedNonce]]:
        audience = self.settings.issuer_identifier(source)
        proofs = [verify_proof_jwt(jwt, audience=audience, clock=clock) for jwt in jwts]
        nonces = sorted({proof.nonce for proof in proofs})
        return proofs, [self.nonces.check(nonce, source=source, clock=clock) for nonce in nonces]

    @staticmethod
    def _consume(unit: Unit, nonces: Sequence[CheckedNonce]) -> None:
        for nonce in nonces:
            if not unit.consume_nonce(nonce.nonce_hash, nonce.expires_at):
                raise InvalidNonce("the c_nonce was used before; get a new one")

    def credential(
        self,
        source: str,
        authorization: str | None,
        body: object,
        *,
        clock: Clock | None = None,
    ) -> EndpointResponse:
        """Issue one credential per key proof (200), or start deferred issuance (202).

        Spec: openid-4-verifiable-credential-issuance-1_0#name-credential-endpoint
        """
        clock = clock or self.clock
        self.issuer.source(source)
        # Step 1: the access token authorizes the request.
        token = self._access_token(source, authorization, clock=clock)
        # Step 2: the request names a configuration the token was granted (a draft-13
        # request is first translated into the 1.0 shape, docs/protocols.md, P24).
        configurations = self.issuer.configurations(source)
        body, draft13 = translate_credential_request(
            body, configurations=configurations, issuer=self.settings.issuer_identifier(source)
        )
        request = self._parse_request(body, self.settings.batch_size)
        if request.configuration_id not in configurations:
            raise UnknownCredentialConfiguration(f"unknown {request.configuration_id!r}")
        if request.configuration_id not in token.configuration_ids:
            raise CredentialRequestDenied("this credential was not offered to you")
        # Step 3: every key proof verifies and carries a valid c_nonce.
        proofs, nonces = self._checked_proofs(source, request.proofs, clock=clock)
        # Step 4: the register holds the data.
        bsn = self.issuer.keys.open_subject(
            token.sealed_subject, bound_to=_token_label(token.token_hash)
        )
        claims = self.issuer.claims(source, bsn, request.configuration_id)
        if claims is None:
            raise CredentialRequestDenied("the register holds no data for this credential")
        limit = self.settings.batch_size

        def reserve(unit: Unit) -> None:
            self._consume(unit, nonces)
            if not unit.reserve_credentials(token.token_hash, len(proofs), limit=limit):
                raise CredentialRequestDenied(f"at most {limit} credentials per offer")

        configuration = configurations[request.configuration_id]
        if claims.needs_review:
            if not configuration.deferrable:
                raise CredentialRequestDenied("this record awaits manual review")
            return self._defer(source, token, bsn, request, proofs, reserve, clock=clock)
        # Step 5: one credential per proof, each bound to its proof's DID.
        notification_id = self._random_token(16)
        credentials = self.issuer.issue_with_claims(
            source,
            configuration_id=request.configuration_id,
            claims=claims.claims,
            bsn=bsn,
            holder_dids=[proof.holder_did for proof in proofs],
            reserve=reserve,
            notification_id=notification_id,
            token_hash=token.token_hash,
            clock=clock,
        )
        _log.info(
            "credentials_issued",
            extra={
                "source": source,
                "configuration": request.configuration_id,
                "count": len(credentials),
            },
        )
        # Step 6: the response carries the credentials as issued (a JSON object or a string).
        answer: JsonObject = {
            "credentials": [{"credential": credential} for credential in credentials],
            "notification_id": notification_id,
        }
        return EndpointResponse(200, translate_credential_response(answer) if draft13 else answer)

    def _defer(
        self,
        source: str,
        token: AccessTokenRecord,
        bsn: str,
        request: _CredentialRequest,
        proofs: Sequence[KeyProof],
        reserve: Callable[[Unit], None],
        *,
        clock: Clock,
    ) -> EndpointResponse:
        """Record a request for manual review and answer 202 with a transaction id."""
        transaction_id = self._random_token(32)
        now = clock()
        deferred_id = self._random_token(8)
        record = DeferredRecord(
            id=deferred_id,
            transaction_hash=_secret_hash(transaction_id),
            token_hash=token.token_hash,
            source=source,
            sealed_subject=self.issuer.keys.seal_subject(
                bsn, bound_to=_deferred_label(deferred_id)
            ),
            configuration_id=request.configuration_id,
            holder_dids=tuple(proof.holder_did for proof in proofs),
            state="pending",
            created_at=now,
            expires_at=now + _DEFERRED_LIFETIME,
        )
        with self.issuer.db.write() as unit:
            reserve(unit)
            unit.add_deferred(record)
            unit.extend_token(token.token_hash, record.expires_at)
        _log.info("credential_deferred", extra={"source": source, "deferred_id": record.id})
        return EndpointResponse(
            202,
            {"transaction_id": transaction_id, "interval": self.settings.deferred_interval_seconds},
        )

    def deferred_credential(
        self,
        source: str,
        authorization: str | None,
        body: object,
        *,
        clock: Clock | None = None,
    ) -> EndpointResponse:
        """Poll a deferred transaction: 202 while pending, the credentials once approved.

        Spec: openid-4-verifiable-credential-issuance-1_0#name-deferred-credential-endpoint
        """
        clock = clock or self.clock
        self.issuer.source(source)
        token = self._access_token(source, authorization, clock=clock)
        if not isinstance(body, dict):
            raise InvalidCredentialRequest("the deferred credential request must be an object")
        transaction_id = body.get("transaction_id")
        if not isinstance(transaction_id, str) or not transaction_id:
            raise InvalidCredentialRequest("transaction_id is missing")
        with self.issuer.db.read() as unit:
            record = unit.deferred_by_transaction(_secret_hash(transaction_id))
        if record is None or record.token_hash != token.token_hash or record.source != source:
            raise InvalidTransactionId("unknown transaction_id")
        if record.state == "pending":
            return EndpointResponse(
                202,
                {
                    "transaction_id": transaction_id,
                    "interval": self.settings.deferred_interval_seconds,
                },
            )
        if record.state == "rejected":
            raise CredentialRequestDenied("the review turned this request down")
        if record.state != "approved":
            raise InvalidTransactionId("this transaction_id was used already")
        bsn = self.issuer.keys.open_subject(
            record.sealed_subject, bound_to=_deferred_label(record.id)
        )
        claims = self.issuer.claims(source, bsn, record.configuration_id)
        if claims is None:
            raise CredentialRequestDenied("the register no longer holds this data")

        def mark_issued(unit: Unit) -> None:
            if not unit.set_deferred_state(record.id, old="approved", new="issued"):
                raise InvalidTransactionId("this transaction_id was used already")

        notification_id = self._random_token(16)
        credentials = self.issuer.issue_with_claims(
            source,
            configuration_id=record.configuration_id,
            claims=claims.claims,
            bsn=bsn,
            holder_dids=list(record.holder_dids),
            reserve=mark_issued,
            notification_id=notification_id,
            token_hash=token.token_hash,
            clock=clock,
        )
        _log.info("deferred_issued", extra={"source": source, "deferred_id": record.id})
        return EndpointResponse(
            200,
            {
                "credentials": [{"credential": credential} for credential in credentials],
                "notification_id": notification_id,
            },
        )

    def review(self, deferred_id: str, *, approve: bool) -> None:
        """An operator's decision on a pending deferred request; ``NotFound`` if not pending."""
        with self.issuer.db.write_statement() as unit:
            moved = unit.set_deferred_state(
                deferred_id, old="pending", new="approved" if approve else "rejected"
            )
        if not moved:
            raise NotFound(f"no pending deferred request {deferred_id!r}")
        _log.info("deferred_reviewed", extra={"deferred_id": deferred_id, "approved": approve})

    def pending_reviews(self) -> list[JsonObject]:
        """The deferred requests that wait for an operator (no personal data)."""
        with self.issuer.db.read() as unit:
            pending = unit.pending_deferred()
        return [
            {
                "id": record.id,
                "source": record.source,
                "credential_configuration_id": record.configuration_id,
                "copies": len(record.holder_dids),
                "created_at": record.created_at.strftime("%Y-%m-%dT%H:%M:%SZ"),
            }
            for record in pending
        ]

    # Notification endpoint -------------------------------------------------------------------

    def notification(
        self,
        source: str,
        authorization: str | None,
        body: object,
        *,
        clock: Clock | None = None,
    ) -> EndpointResponse:
        """Record the wallet's event for the credentials of one response (204).

        Spec: openid-4-verifiable-credential-issuance-1_0#name-notification-endpoint
        """
        clock = clock or self.clock
        self.issuer.source(source)
        token = self._access_token(source, authorization, clock=clock, allow_expired=True)
        if not isinstance(body, dict):
            raise InvalidNotification("the notification must be a JSON object")
        notification_id, event = body.get("notification_id"), body.get("event")
        if not isinstance(notification_id, str) or event not in NOTIFICATION_EVENTS:
            raise InvalidNotification("notification_id and a known event are required")
        description = body.get("event_description")
        if description is not None and not isinstance(description, str):
            raise InvalidNotification("event_description must be a string")
        with self.issuer.db.write_statement() as unit:
            count = unit.record_notification(notification_id, token.token_hash, str(event))
        if count == 0:
            raise InvalidNotification("unknown notification_id", error="invalid_notification_id")
        _log.info("wallet_notification", extra={"source": source, "event": event, "count": count})
        return EndpointResponse(204, None)
