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

from vc_core.status import StatusListCache
from vc_core.types import Clock, JsonObject
from wallet_sdk import requests as oid4vp
from wallet_sdk.activity import export_activity, new_entry
from wallet_sdk.backup import restore_backup, write_backup
from wallet_sdk.export import EXPORT_DOMAIN, export_presentation
from wallet_sdk.http import DEFAULT_MAX_RESPONSE_BYTES, DEFAULT_TIMEOUT, HttpClient, WalletHttp
from wallet_sdk.keys import HolderCurve, HolderKeys
from wallet_sdk.offers import CredentialOffer, CredentialOfferReference, parse_offer_text
from wallet_sdk.present import Match, Presentation, build_presentation, match_request
from wallet_sdk.receive import OfferPreview, Receiver
from wallet_sdk.records import ActivityEntry, PendingIssuance, StoredCredential
from wallet_sdk.store import Argon2Params, WalletStore
from wallet_sdk.trust import TrustedIssuers, trusted_issuer_map

__all__ = ["Wallet"]


def _utc_now() -> datetime:
    return datetime.now(UTC)


class Wallet:
    """A citizen's wallet over a store and an injected HTTP client.

    ``trusted_issuers`` is the allow-list: ``{issuer URL: issuer DID}`` or a
    list of did:web DIDs / issuer URLs (:func:`~wallet_sdk.trust.trusted_issuer_map`).
    ``http`` is used for issuer endpoints, did:web documents, status lists,
    request objects and ``direct_post`` answers, never following redirects.
    ``holder_curve`` is the key type of new holder keys (``P-256`` or
    ``Ed25519``). Nothing happens in the constructor but bookkeeping.
    """

    def __init__(
        self,
        *,
        store: WalletStore,
        http: HttpClient,
        trusted_issuers: TrustedIssuers,
        clock: Clock = _utc_now,
        holder_curve: HolderCurve = "P-256",
        timeout: float = DEFAULT_TIMEOUT,
        max_response_bytes: int = DEFAULT_MAX_RESPONSE_BYTES,
    ) -> None:
        if not isinstance(store, WalletStore):
            raise TypeError("store must be an EncryptedStore or a MemoryStore")
        self.store = store
        self._http = WalletHttp(http, timeout=timeout, max_response_bytes=max_response_bytes)
        self._clock = clock
        self._keys = HolderKeys(store, clock=clock)
        self._receiver = Receiver(
            store=store,
            http=self._http,
            keys=self._keys,
            trusted=trusted_issuer_map(trusted_issuers),
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
