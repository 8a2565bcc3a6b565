"""The :class:`Wallet` facade: receive, keep, present, log, back up and export credentials.

>>> import httpx
>>> from wallet_sdk.store import MemoryStore
>>> wallet = Wallet(store=MemoryStore(), http=httpx.Client(), trusted_issuers=[])
>>> wallet.credentials()
[]
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import UTC, datetime

from vc_core.formats import LDP_VC
from vc_core.status import StatusListCache
from vc_core.types import Clock, JsonObject
from wallet_sdk import _json, consent
from wallet_sdk import requests as oid4vp
from wallet_sdk.activity import export_activity, new_entry
from wallet_sdk.backup import restore_backup, write_backup
from wallet_sdk.consent import ConsentGrant, ConsentStatus
from wallet_sdk.errors import NoMatchingCredentialError, OfferError, StoreError
from wallet_sdk.export import EXPORT_DOMAIN, export_presentation
from wallet_sdk.http import (
    DEFAULT_MAX_RESPONSE_BYTES,
    DEFAULT_TIMEOUT,
    HttpClient,
    Resolver,
    WalletHttp,
    system_resolver,
)
from wallet_sdk.keys import HolderCurve, HolderKeys
from wallet_sdk.offers import CredentialOffer, CredentialOfferReference, parse_offer_text
from wallet_sdk.present import Match, Presentation, build_presentation, match_request
from wallet_sdk.receive import OfferPreview, Receiver
from wallet_sdk.records import ActivityEntry, PendingIssuance, StoredCredential
from wallet_sdk.store import Argon2Params, WalletStore
from wallet_sdk.trust import TrustedIssuers, trusted_issuer_map, trusted_origins

__all__ = ["Wallet"]


def _utc_now() -> datetime:
    return datetime.now(UTC)


class Wallet:
    """A citizen's wallet over a store and an injected HTTP client.

    ``trusted_issuers`` is the allow-list: ``{issuer URL: issuer DID}`` or a
    list of did:web DIDs / issuer URLs (:func:`~wallet_sdk.trust.trusted_issuer_map`).
    ``http`` is used for issuer endpoints, did:web documents, status lists,
    request objects and ``direct_post`` answers, never following redirects.
    ``trusted_verifiers`` (did:web DIDs or https URLs) are verifiers the citizen
    trusts explicitly: like the trusted issuers' origins they are reached at
    any address; every other origin a QR code leads to only at a public one
    (:mod:`wallet_sdk.http`; ``resolve`` replaces the system's name resolver).
    ``holder_curve`` is the key type of new holder keys (``P-256`` or
    ``Ed25519``). Nothing happens in the constructor but bookkeeping.
    """

    def __init__(
        self,
        *,
        store: WalletStore,
        http: HttpClient,
        trusted_issuers: TrustedIssuers,
        trusted_verifiers: Iterable[str] = (),
        clock: Clock = _utc_now,
        holder_curve: HolderCurve = "P-256",
        timeout: float = DEFAULT_TIMEOUT,
        max_response_bytes: int = DEFAULT_MAX_RESPONSE_BYTES,
        resolve: Resolver | None = None,
    ) -> None:
        if not isinstance(store, WalletStore):
            raise TypeError("store must be an EncryptedStore or a MemoryStore")
        self.store = store
        self._trusted = trusted_issuer_map(trusted_issuers)
        self._http = WalletHttp(
            http,
            timeout=timeout,
            max_response_bytes=max_response_bytes,
            trusted_origins=trusted_origins([*self._trusted, *trusted_verifiers]),
            resolve=resolve or system_resolver,
        )
        self._clock = clock
        self._keys = HolderKeys(store, clock=clock)
        self._receiver = Receiver(
            store=store,
            http=self._http,
            keys=self._keys,
            trusted=self._trusted,
            clock=clock,
            holder_curve=holder_curve,
            status_cache=StatusListCache(clock=clock),
        )

    # Receiving.

    @staticmethod
    def parse_offer(text: str) -> CredentialOffer | CredentialOfferReference:
        """Parse scanned offer text (pure; no network). ``OfferError`` when malformed."""
        return parse_offer_text(text)

    def preview_offer(self, offer: CredentialOffer | CredentialOfferReference) -> OfferPreview:
        """Fetch an offer by reference and the issuer's display metadata, to show the citizen."""
        return self._receiver.preview(offer)

    def accept_offer(
        self,
        offer: CredentialOffer | CredentialOfferReference | OfferPreview,
        *,
        tx_code: str | None = None,
        copies: int = 1,
    ) -> list[StoredCredential]:
        """Receive the offered credentials, verify them and store them; return what was stored.

        ``copies`` > 1 asks for a batch (capped by the issuer's ``batch_size``),
        each copy bound to its own fresh holder key.
        """
        return self._receiver.accept(offer, tx_code=tx_code, copies=copies)

    def pending(self) -> list[PendingIssuance]:
        """Deferred issuances waiting to be picked up."""
        return self.store.pending()

    def poll_deferred(self, pending_id: str | None = None) -> list[StoredCredential]:
        """Pick up deferred credentials that are ready; return what was stored."""
        return self._receiver.poll_deferred(pending_id)

    # Keeping.

    def credentials(
        self, *, type: str | None = None, issuer: str | None = None, claim: str | None = None
    ) -> list[StoredCredential]:
        """Stored credentials, optionally filtered by type, issuer and claim name."""
        return self.store.credentials(type=type, issuer=issuer, claim=claim)

    def credential(self, credential_id: str) -> StoredCredential:
        """One stored credential; ``StoreError`` (``RECORD_NOT_FOUND``) if unknown."""
        return self.store.get_credential(credential_id)

    def delete(self, credential_id: str) -> None:
        """Delete a credential (and log it)."""
        stored = self.store.get_credential(credential_id)
        with self.store.transaction():
            self.store.delete_credential(credential_id)
            self._log("deleted", stored.credential_issuer, credential_ids=[credential_id])

    # Presenting.

    def open_request(self, text: str) -> oid4vp.PresentationRequest:
        """Read a scanned OpenID4VP request, fetching and verifying a signed request object."""
        return oid4vp.open_request(text, http=self._http, clock=self._clock)

    def match(self, request: oid4vp.PresentationRequest) -> Match:
        """Candidates for the request's DCQL query and a default choice.

        Raises ``NoMatchingCredentialError`` when the wallet cannot answer.
        """
        return match_request(request, self.store.credentials())

    def present(
        self, request: oid4vp.PresentationRequest, choice: Match | None = None
    ) -> Presentation:
        """Derive and sign the presentations for ``choice`` (default: :meth:`match`).

        The citizen's consent is logged here: one ``presented`` entry per
        credential with every claim it reveals, to whom and for what purpose.
        """
        match = self.match(request) if choice is None else choice
        if match.request != request:
            raise ValueError("the choice was made for a different request")
        presentation = build_presentation(
            match, store=self.store, holder_key=self._keys.get, created=self._clock()
        )
        with self.store.transaction():
            for disclosure in presentation.disclosures:
                stored = self.store.get_credential(disclosure.credential_id)
                self.store.put_credential(replace(stored, use_count=stored.use_count + 1))
                self._log(
                    "presented",
                    request.client_id,
                    counterparty_name=request.client_name,
                    purpose=request.purpose,
                    credential_ids=[stored.id],
                    credential_types=stored.types,
                    claims=disclosure.claims,
                )
        return presentation

    def send(self, presentation: Presentation) -> oid4vp.ResponseResult:
        """POST the presentation to the verifier (``direct_post``, no redirects followed)."""
        request = presentation.request
        result = oid4vp.post_response(self._http, request, presentation.form_fields())
        self._log("sent", request.client_id, counterparty_name=request.client_name)
        return result

    def decline(
        self, request: oid4vp.PresentationRequest, *, error: str = "access_denied"
    ) -> oid4vp.ResponseResult:
        """Tell the verifier the citizen said no (or why the wallet cannot answer)."""
        fields = {"error": error}
        if request.state is not None:
            fields["state"] = request.state
        result = oid4vp.post_response(self._http, request, fields)
        self._log(
            "declined", request.client_id, counterparty_name=request.client_name, detail=error
        )
        return result

    # Blauwe Knop Plus: consent for a source to share data with an organisation.

    def grant_consent(
        self,
        *,
        source: str,
        recipient: str,
        purpose: str,
        scope: Sequence[JsonObject],
        valid_until: datetime | None = None,
        max_uses: int | None = None,
        identity: str | None = None,
    ) -> ConsentGrant:
        """Let ``recipient`` fetch ``scope`` straight from the sources (:mod:`wallet_sdk.consent`).

        ``source`` is the trusted issuer URL that records the grant; the wallet
        proves who the citizen is with a credential it issued (``identity``, a
        stored credential id; default: the least used one from ``source``).
        ``scope`` lists :func:`~wallet_sdk.consent.claim_scope` entries;
        ``max_uses=1`` makes a one-time grant. The signed grant goes into the
        activity log (``consent_granted``). Raises ``OfferError``
        (``UNTRUSTED_ISSUER``), ``NoMatchingCredentialError`` or
        ``IssuerResponseError`` (the source's OAuth ``error``).
        """
        source = source.rstrip("/")
        if source not in self._trusted:
            raise OfferError(f"{source} is not a trusted issuer", code="UNTRUSTED_ISSUER")
        stored = self._identity(source, identity)
        grant = consent.request_consent(
            self._http,
            source=source,
            identity=stored,
            key=self._keys.get(stored.holder),
            recipient=recipient,
            purpose=purpose,
            scope=scope,
            valid_until=valid_until,
            max_uses=max_uses,
            trusted=self._trusted,
            now=self._clock(),
        )
        self._log(
            "consent_granted",
            recipient,
            counterparty_name=grant.recipient_name,
            purpose=purpose,
            credential_types=[str(entry["credential_configuration_id"]) for entry in scope],
            claims=grant.claims(),
            detail=_json.dumps(grant.document),
        )
        return grant

    def _identity(self, source: str, credential_id: str | None) -> StoredCredential:
        if credential_id is not None:
            return self.store.get_credential(credential_id)
        # Implementation note: a source checks who the citizen is with a W3C credential
        # presentation (docs/protocols.md, "Plus"), so the identity is an ldp_vc one.
        found = sorted(
            (
                c
                for c in self.store.credentials()
                if c.credential_issuer == source and c.format == LDP_VC
            ),
            key=lambda c: c.use_count,
        )
        if not found:
            raise NoMatchingCredentialError(f"no credential from {source} to prove who you are")
        return found[0]

    def consents(self) -> list[ConsentGrant]:
        """The grants given from this wallet, oldest first, revoked ones marked."""
        log = self.store.activity()
        revoked = {entry.detail for entry in log if entry.event == "consent_revoked"}
        grants = []
        for entry in log:
            if entry.event == "consent_granted" and entry.detail is not None:
                document = _json.loads(entry.detail, max_bytes=2**20, what="a stored grant")
                grant = consent.grant_from_document(document)
                grants.append(replace(grant, status="revoked" if grant.id in revoked else "active"))
        return grants

    def consent(self, grant_id: str) -> ConsentGrant:
        """One grant given from this wallet; ``StoreError`` (``RECORD_NOT_FOUND``) if unknown."""
        for grant in self.consents():
            if grant.id == grant_id:
                return grant
        raise StoreError(f"no consent {grant_id!r} in this wallet", code="RECORD_NOT_FOUND")

    def revoke_consent(self, grant_id: str) -> ConsentGrant:
        """Revoke a grant at its source (signed with its holder key); logged as ``consent_revoked``.

        From the moment the source commits it, no fetch under the grant is served.
        """
        grant = self.consent(grant_id)
        consent.send_control(
            self._http, grant, key=self._keys.get(grant.holder), action="revoke", now=self._clock()
        )
        self._log(
            "consent_revoked",
            grant.recipient,
            counterparty_name=grant.recipient_name,
            purpose=grant.purpose,
            detail=grant.id,
        )
        return replace(grant, status="revoked")

    def consent_status(self, grant_id: str) -> ConsentStatus:
        """Ask the source how a grant stands: status, uses, and its signed access log."""
        grant = self.consent(grant_id)
        answer = consent.send_control(
            self._http, grant, key=self._keys.get(grant.holder), action="status", now=self._clock()
        )
        return consent.read_consent_status(answer, grant, http=self._http, trusted=self._trusted)

    # Log, backup, export.

    def log(self) -> list[ActivityEntry]:
        """The activity and consent log, oldest first."""
        return self.store.activity()

    def export_log(self) -> str:
        """The activity log as JSON text."""
        return export_activity(self.store.activity(), exported_at=self._clock())

    def backup(
        self, path: str | os.PathLike[str], *, passphrase: str, kdf: Argon2Params | None = None
    ) -> int:
        """Write an encrypted backup of everything (keys included); return the record count."""
        return write_backup(self.store, path, passphrase=passphrase, created=self._clock(), kdf=kdf)

    def restore(self, path: str | os.PathLike[str], *, passphrase: str) -> int:
        """Restore a backup into this wallet's store; return the record count."""
        count = restore_backup(path, passphrase=passphrase, into=self.store)
        self._log("restored", str(path), detail=f"{count} records")
        return count

    def export(self, credential_ids: Sequence[str]) -> JsonObject:
        """One presentation bundling full disclosures of these credentials, holder-signed.

        Verify it with ``vc_core.verify(doc, domain=EXPORT_DOMAIN)``; see
        :mod:`wallet_sdk.export`. The export is logged.
        """
        chosen = [self.store.get_credential(i) for i in credential_ids]
        document = export_presentation(chosen, holder_key=self._keys.get, created=self._clock())
        self._log("exported", EXPORT_DOMAIN, credential_ids=list(credential_ids))
        return document

    def _log(
        self,
        event: str,
        counterparty: str,
        *,
        counterparty_name: str | None = None,
        purpose: str | None = None,
        credential_ids: Iterable[str] = (),
        credential_types: Iterable[str] = (),
        claims: Iterable[str] = (),
        detail: str | None = None,
    ) -> None:
        self.store.append_activity(
            new_entry(
                event,
                counterparty,
                at=self._clock(),
                counterparty_name=counterparty_name,
                purpose=purpose,
                credential_ids=credential_ids,
                credential_types=credential_types,
                claims=claims,
                detail=detail,
            )
        )
