"""Receiving credentials: the OpenID4VCI pre-authorized flow.

The steps are those of docs/protocols.md, "Wallet sequence".

:class:`Receiver` runs the sequence for the :class:`~wallet_sdk.wallet.Wallet`:
offer → allow-list → metadata → token (with the transaction code) → nonce →
one fresh holder key and proof JWT per copy → credential request (retry once
on ``invalid_nonce``) → verify every credential → store credentials, keys and
log entries in one transaction → notify the issuer. A deferred answer (202)
stores a :class:`~wallet_sdk.records.PendingIssuance` instead, picked up
later by :meth:`Receiver.poll_deferred`. Nothing is stored for an offer
whose credentials fail a check.
"""

from __future__ import annotations

import contextlib
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from vc_core.errors import VcError, VerificationError
from vc_core.formats import LDP_VC, SD_JWT_VC, CredentialFormat, credential_format
from vc_core.jws import sign_jws
from vc_core.keys import KeyPair
from vc_core.sd_jwt import IssuerMetadataKeys
from vc_core.status import StatusListCache
from vc_core.types import Clock
from wallet_sdk import oid4vci_client as client
from wallet_sdk.activity import new_entry, timestamp
from wallet_sdk.confirm import ConfirmedCredential, confirm_credential, confirm_sd_jwt_vc
from wallet_sdk.errors import IssuerResponseError, OfferError, StoreError
from wallet_sdk.http import WalletHttp
from wallet_sdk.keys import HolderCurve, HolderKeys
from wallet_sdk.metadata import CredentialConfiguration, IssuerMetadata
from wallet_sdk.offers import CredentialOffer, CredentialOfferReference, TxCode
from wallet_sdk.records import PendingIssuance, StoredCredential
from wallet_sdk.store import WalletStore

__all__ = ["PROOF_TYP", "OfferPreview", "Receiver"]

PROOF_TYP = "openid4vci-proof+jwt"
_CURVE_ALGS: Mapping[HolderCurve, str] = {"P-256": "ES256", "Ed25519": "EdDSA"}
_BINDING_METHODS: Mapping[str, str] = {LDP_VC: "did:key", SD_JWT_VC: "jwk"}
"""How each format binds a credential to our holder key (docs/protocols.md, "Wallet sequence")."""


@dataclass(frozen=True, slots=True)
class OfferPreview:
    """What to show the citizen before accepting: who offers what, and whether we trust it.

    ``metadata`` is ``None`` for an issuer outside the allow-list (the wallet
    does not contact it). ``tx_code`` tells the app to ask for a code.
    """

    offer: CredentialOffer
    trusted: bool
    issuer_did: str | None
    metadata: IssuerMetadata | None

    @property
    def issuer_name(self) -> str | None:
        """The issuer's display name from its metadata."""
        return self.metadata.name if self.metadata is not None else None

    @property
    def configurations(self) -> tuple[CredentialConfiguration, ...]:
        """The offered credential configurations the issuer describes."""
        if self.metadata is None:
            return ()
        found = self.metadata.configurations
        return tuple(found[i] for i in self.offer.credential_configuration_ids if i in found)

    @property
    def tx_code(self) -> TxCode | None:
        """How to ask for the transaction code, if the issuer wants one."""
        return self.offer.tx_code


@dataclass(frozen=True, slots=True)
class _Outcome:
    """One credential request's result: confirmed credentials, or a deferred transaction."""

    configuration_id: str
    credential_name: str | None
    keys: tuple[KeyPair, ...]
    confirmed: tuple[ConfirmedCredential, ...]
    pending: PendingIssuance | None
    notification_id: str | None


class Receiver:
    """Runs OpenID4VCI for a wallet (see the module docstring)."""

    def __init__(
        self,
        *,
        store: WalletStore,
        http: WalletHttp,
        keys: HolderKeys,
        trusted: Mapping[str, str],
        clock: Clock,
        holder_curve: HolderCurve,
        status_cache: StatusListCache,
    ) -> None:
        self._store = store
        self._http = http
        self._keys = keys
        self._trusted = trusted
        self._clock = clock
        self._curve = holder_curve
        self._status_cache = status_cache
        # SD-JWT VC issuer keys: each trusted issuer's JWT VC Issuer Metadata, cached.
        self._issuer_keys = IssuerMetadataKeys(http.fetch, issuers=list(trusted), clock=clock)

    def preview(self, offer: CredentialOffer | CredentialOfferReference) -> OfferPreview:
        """Resolve an offer by reference and, for a trusted issuer, fetch its metadata."""
        if isinstance(offer, CredentialOfferReference):
            offer = client.fetch_offer(self._http, offer)
        issuer_did = self._trusted.get(offer.credential_issuer)
        if issuer_did is None:
            return OfferPreview(offer, False, None, None)
        metadata = client.fetch_issuer_metadata(self._http, offer.credential_issuer)
        return OfferPreview(offer, True, issuer_did, metadata)

    def accept(
        self,
        offer: CredentialOffer | CredentialOfferReference | OfferPreview,
        *,
        tx_code: str | None,
        copies: int,
    ) -> list[StoredCredential]:
        """Run the pre-authorized code flow and store what verifies (see the module docstring).

        Raises ``OfferError`` (untrusted issuer, unsupported offer, missing or
        malformed transaction code), ``IssuerResponseError`` (the issuer's
        errors; ``ISSUANCE_PENDING`` with ``pending_id`` when everything was
        deferred), ``FetchError``, or the verification error of a refused
        credential.

        Spec: openid-4-verifiable-credential-issuance-1_0#name-pre-authorized-code-flow
        """
        if not isinstance(copies, int) or isinstance(copies, bool) or copies < 1:
            raise ValueError("copies must be a positive integer")
        # Step 1: the offer itself (GET by reference, no redirects).
        metadata: IssuerMetadata | None = None
        if isinstance(offer, OfferPreview):
            metadata = offer.metadata
            offer = offer.offer
        elif isinstance(offer, CredentialOfferReference):
            offer = client.fetch_offer(self._http, offer)
        # Step 2: the allow-list, before anything (the transaction code above all) is sent.
        issuer_did = self._trusted.get(offer.credential_issuer)
        if issuer_did is None:
            raise OfferError(
                f"{offer.credential_issuer} is not a trusted issuer", code="UNTRUSTED_ISSUER"
            )
        if offer.pre_authorized_code is None:
            raise OfferError(
                "only pre-authorized code offers are supported", code="UNSUPPORTED_OFFER"
            )
        if offer.tx_code is not None:
            if tx_code is None:
                raise OfferError("this offer needs a transaction code", code="INVALID_TX_CODE")
            offer.tx_code.check(tx_code)
        # Step 3: issuer metadata (insert, then append), its credential_issuer equal.
        if metadata is None:
            metadata = client.fetch_issuer_metadata(self._http, offer.credential_issuer)
        configurations = [_configuration(metadata, i) for i in offer.credential_configuration_ids]
        # Step 4: the authorization server's token endpoint (the issuer itself by default).
        server = (metadata.authorization_servers or (offer.credential_issuer,))[0]
        as_metadata = client.fetch_authorization_server_metadata(self._http, server)
        # Step 5: token request with the pre-authorized code and transaction code.
        token = client.request_token(
            self._http,
            as_metadata.token_endpoint,
            pre_authorized_code=offer.pre_authorized_code,
            tx_code=tx_code if offer.tx_code is not None else None,
        )
        # Steps 6-8: nonce, one key and proof per copy, credential request, verification.
        count = min(copies, metadata.batch_size or 1)
        outcomes = [
            self._request(metadata, configuration, token.access_token, issuer_did, count)
            for configuration in configurations
        ]
        # Step 9: store credentials, keys, deferred transactions and log entries together.
        saved = self._save(metadata.credential_issuer, metadata.name, outcomes)
        # Step 10: tell the issuer (best effort: a failed notification changes nothing here).
        for outcome in outcomes:
            if outcome.pending is None:
                self._notify(
                    metadata.notification_endpoint,
                    token.access_token,
                    outcome.notification_id,
                    "credential_accepted",
                )
        pending = [outcome.pending for outcome in outcomes if outcome.pending is not None]
        if not saved and pending:
            raise IssuerResponseError(
                "the issuer deferred issuance; poll for it later",
                code="ISSUANCE_PENDING",
                pending_id=pending[0].id,
            )
        return saved

    def poll_deferred(self, pending_id: str | None = None) -> list[StoredCredential]:
        """Ask for deferred credentials (one transaction, or all); store what has arrived.

        Transactions still pending stay; a refused credential or an issuer
        error answer (4xx) ends its transaction (the pending record is dropped)
        and raises. An unknown ``pending_id`` raises ``StoreError``
        (``RECORD_NOT_FOUND``).

        Spec: openid-4-verifiable-credential-issuance-1_0#name-deferred-credential-endpoint
        """
        waiting = [p for p in self._store.pending() if pending_id in (None, p.id)]
        if pending_id is not None and not waiting:
            raise StoreError(f"no deferred issuance {pending_id!r}", code="RECORD_NOT_FOUND")
        saved: list[StoredCredential] = []
        for pending in waiting:
            try:
                response = client.request_deferred_credentials(
                    self._http,
                    pending.deferred_endpoint,
                    access_token=pending.access_token,
                    transaction_id=pending.transaction_id,
                )
                if response.transaction_id is not None:
                    continue
                keys = tuple(self._keys.get(did) for did in pending.holders)
                confirmed = self._confirm_all(
                    response.credentials,
                    credential_issuer=pending.credential_issuer,
                    issuer_did=pending.issuer,
                    format=pending.format,
                    vct=pending.vct,
                    holders=set(pending.holders),
                    notify=(
                        pending.notification_endpoint,
                        pending.access_token,
                        response.notification_id,
                    ),
                )
            except VerificationError:
                self._store.delete_pending(pending.id)
                raise
            except IssuerResponseError as exc:
                # Implementation note: a 4xx answer ends the transaction; a 5xx may pass.
                if exc.status is not None and 400 <= exc.status < 500:
                    self._store.delete_pending(pending.id)
                raise
            outcome = _Outcome(
                pending.configuration_id,
                pending.credential_name,
                keys,
                confirmed,
                None,
                response.notification_id,
            )
            with self._store.transaction():
                saved.extend(self._save(pending.credential_issuer, pending.issuer_name, [outcome]))
                self._store.delete_pending(pending.id)
            self._notify(
                pending.notification_endpoint,
                pending.access_token,
                response.notification_id,
                "credential_accepted",
            )
        return saved

    def _curve_for(self, configuration: CredentialConfiguration) -> HolderCurve:
        """Our preferred curve if the issuer takes its proof algorithm, else one it takes."""
        algs = configuration.proof_signing_algs
        if not algs or _CURVE_ALGS[self._curve] in algs:
            return self._curve
        for curve, alg in _CURVE_ALGS.items():
            if alg in algs:
                return curve
        raise OfferError(
            f"no holder key type fits the issuer's proof algorithms {sorted(algs)}",
            code="UNSUPPORTED_OFFER",
        )

    def _proofs(self, keys: Sequence[KeyPair], issuer: str, nonce: str | None) -> list[str]:
        """One proof-of-possession JWT per key: typ, kid = did:key DID URL, aud, iat, nonce."""
        claims: dict[str, object] = {"aud": issuer, "iat": int(self._clock().timestamp())}
        if nonce is not None:
            claims["nonce"] = nonce
        return [sign_jws(claims, key, typ=PROOF_TYP, kid=key.id) for key in keys]

    def _request(
        self,
        metadata: IssuerMetadata,
        configuration: CredentialConfiguration,
        access_token: str,
        issuer_did: str,
        count: int,
    ) -> _Outcome:
        """Request ``count`` copies of one configuration, each bound to a fresh key."""
        format_id = _registered(configuration.format).identifier
        keys = tuple(self._keys.new(self._curve_for(configuration)) for _ in range(count))

        def attempt() -> client.CredentialResponse:
            nonce = (
                client.request_nonce(self._http, metadata.nonce_endpoint)
                if metadata.nonce_endpoint is not None
                else None
            )
            return client.request_credentials(
                self._http,
                metadata.credential_endpoint,
                access_token=access_token,
                configuration_id=configuration.id,
                proofs=self._proofs(keys, metadata.credential_issuer, nonce),
            )

        try:
            response = attempt()
        except IssuerResponseError as exc:
            # A stale nonce: fetch a new one and retry once.
            if exc.error != "invalid_nonce":
                raise
            response = attempt()
        if response.transaction_id is not None:
            if metadata.deferred_credential_endpoint is None:
                raise IssuerResponseError(
                    "the issuer deferred issuance without a deferred endpoint"
                )
            pending = PendingIssuance(
                id=secrets.token_hex(8),
                credential_issuer=metadata.credential_issuer,
                issuer=issuer_did,
                configuration_id=configuration.id,
                deferred_endpoint=metadata.deferred_credential_endpoint,
                access_token=access_token,
                transaction_id=response.transaction_id,
                holders=tuple(_did(key) for key in keys),
                interval=response.interval or 0,
                created=timestamp(self._clock()),
                notification_endpoint=metadata.notification_endpoint,
                issuer_name=metadata.name,
                credential_name=configuration.name,
                format=format_id,
                vct=configuration.vct,
            )
            return _Outcome(
                configuration.id,
                configuration.name,
                keys,
                (),
                pending,
                response.notification_id,
            )
        confirmed = self._confirm_all(
            response.credentials,
            credential_issuer=metadata.credential_issuer,
            issuer_did=issuer_did,
            format=format_id,
            vct=configuration.vct,
            holders={_did(key) for key in keys},
            notify=(metadata.notification_endpoint, access_token, response.notification_id),
        )
        return _Outcome(
            configuration.id,
            configuration.name,
            keys,
            confirmed,
            None,
            response.notification_id,
        )

    def _confirm_all(
        self,
        credentials: Sequence[object],
        *,
        credential_issuer: str,
        issuer_did: str,
        format: str,
        vct: str | None,
        holders: set[str],
        notify: tuple[str | None, str, str | None],
    ) -> tuple[ConfirmedCredential, ...]:
        """Verify every credential, each bound to a different one of ``holders``.

        On a refusal the issuer hears ``credential_failure`` and the error is raised.
        """
        unused = set(holders)
        confirmed: list[ConfirmedCredential] = []
        for credential in credentials:
            try:
                result = self._confirm(
                    credential,
                    credential_issuer=credential_issuer,
                    issuer_did=issuer_did,
                    format=format,
                    vct=vct,
                    holders=unused,
                )
            except VcError as exc:
                self._notify(*notify, "credential_failure", description=exc.code)
                raise
            unused.discard(result.holder)
            confirmed.append(result)
        return tuple(confirmed)

    def _confirm(
        self,
        credential: object,
        *,
        credential_issuer: str,
        issuer_did: str,
        format: str,
        vct: str | None,
        holders: set[str],
    ) -> ConfirmedCredential:
        """The check of one received credential, by the format the issuer's metadata named."""
        unverified = _registered(format).unverified(credential)
        if format == SD_JWT_VC:
            return confirm_sd_jwt_vc(
                unverified,
                expected_issuer=credential_issuer,
                issuer_did=issuer_did,
                vct=vct,
                holders=holders,
                key_resolver=self._issuer_keys,
                fetch=self._http.fetch,
                clock=self._clock,
                status_cache=self._status_cache,
            )
        return confirm_credential(
            unverified,
            expected_issuer=issuer_did,
            holders=holders,
            fetch=self._http.fetch,
            clock=self._clock,
            status_cache=self._status_cache,
        )

    def _save(
        self,
        credential_issuer: str,
        issuer_name: str | None,
        outcomes: Sequence[_Outcome],
    ) -> list[StoredCredential]:
        """Store every outcome and its log entry in one transaction; return the credentials."""
        now = self._clock()
        saved: list[StoredCredential] = []
        with self._store.transaction():
            for outcome in outcomes:
                batch_id = secrets.token_hex(8)
                bound = {c.holder for c in outcome.confirmed}
                for key in outcome.keys:
                    if outcome.pending is not None or _did(key) in bound:
                        self._keys.save(key)
                if outcome.pending is not None:
                    self._store.put_pending(outcome.pending)
                for confirmed in outcome.confirmed:
                    stored = _stored(
                        confirmed, outcome, credential_issuer, issuer_name, batch_id, now
                    )
                    self._store.put_credential(stored)
                    saved.append(stored)
                batch = [c for c in saved if c.batch_id == batch_id]
                self._store.append_activity(
                    new_entry(
                        "deferred" if outcome.pending is not None else "received",
                        credential_issuer,
                        at=now,
                        counterparty_name=issuer_name,
                        credential_ids=[c.id for c in batch],
                        credential_types=sorted({c.types[-1] for c in batch}),
                        detail=outcome.credential_name or outcome.configuration_id,
                    )
                )
        return saved

    def _notify(
        self,
        endpoint: str | None,
        access_token: str,
        notification_id: str | None,
        event: str,
        *,
        description: str | None = None,
    ) -> None:
        """Send a notification if the issuer asked for one; a failure here is not the citizen's."""
        if endpoint is None or notification_id is None:
            return
        with contextlib.suppress(VcError):
            client.send_notification(
                self._http,
                endpoint,
                access_token=access_token,
                notification_id=notification_id,
                event=event,
                description=description,
            )


def _did(key: KeyPair) -> str:
    if key.controller is None:
        raise ValueError("holder keys carry their DID as controller")
    return key.controller


def _registered(identifier: str) -> CredentialFormat:
    entry = credential_format(identifier)
    if entry is None or entry.identifier not in _BINDING_METHODS:
        raise OfferError(f"format {identifier!r} is not supported", code="UNSUPPORTED_OFFER")
    return entry


def _configuration(metadata: IssuerMetadata, config_id: str) -> CredentialConfiguration:
    """The offered configuration, if the wallet can receive it (a known format and binding)."""
    configuration = metadata.configurations.get(config_id)
    if configuration is None:
        raise OfferError(f"the issuer does not describe {config_id!r}", code="UNSUPPORTED_OFFER")
    binding = _BINDING_METHODS[_registered(configuration.format).identifier]
    if configuration.binding_methods and binding not in configuration.binding_methods:
        raise OfferError(
            f"the issuer does not bind {configuration.format} to {binding} holder keys",
            code="UNSUPPORTED_OFFER",
        )
    return configuration


def _stored(
    confirmed: ConfirmedCredential,
    outcome: _Outcome,
    credential_issuer: str,
    issuer_name: str | None,
    batch_id: str,
    now: datetime,
) -> StoredCredential:
    return StoredCredential(
        id=secrets.token_hex(8),
        credential=confirmed.credential,
        holder=confirmed.holder,
        issuer=confirmed.issuer,
        credential_issuer=credential_issuer,
        configuration_id=outcome.configuration_id,
        received_at=timestamp(now),
        batch_id=batch_id,
        types=confirmed.types,
        expanded_types=confirmed.expanded_types,
        issuer_name=issuer_name,
        credential_name=outcome.credential_name,
        format=confirmed.format,
        encoded=confirmed.encoded,
    )
