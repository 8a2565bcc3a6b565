"""Who is behind a wallet key: the link that lets a citizen consent from the wallet, no login.

When a wallet receives a credential (OpenID4VCI), the source learns which
citizen (BSN) stands behind the holder DID the credential is bound to.
:class:`HolderLinker`, an issuance hook of the :class:`~vc_issuer.issuer.Issuer`,
keeps that link, the BSN sealed under the issuer's key-encryption key, for
as long as the credential is valid. :class:`Holders` then finds the citizen
behind a presentation of such a credential: the presentation proves control
of the key (challenge = the source's nonce, domain = the source's URL), the
credential proves the source bound it to that key, and its status says it
still stands.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from vc_core.did import VerificationMethod, dereference_verification_method
from vc_core.errors import (
    CredentialPolicyError,
    DidResolutionError,
    ParsingError,
    VerificationError,
)
from vc_core.proofs import verify
from vc_core.types import Clock, JsonObject
from vc_core.vcdm import (
    check_credential_shape,
    check_issuer_is_controller,
    check_presentation_shape,
    check_validity_period,
    credential_issuer,
    subject_ids,
)
from vc_issuer.db import CredentialRecord, HolderLink, PlusUnit, Unit
from vc_issuer.errors import AccessDenied
from vc_issuer.issuer import Issuer

__all__ = ["HolderLinker", "Holders", "holder_label"]

_PRESENTATION_SUITES = ("ecdsa-rdfc-2019", "eddsa-rdfc-2022")


def holder_label(holder_did: str) -> str:
    """The label a holder link's BSN is sealed under."""
    return f"plus-holder:{holder_did}"


@dataclass(frozen=True, slots=True)
class HolderLinker:
    """The issuance hook: remember the citizen behind every holder DID a wallet got a key for."""

    issuer: Issuer

    def __call__(self, unit: Unit, bsn: str, records: Sequence[CredentialRecord]) -> None:
        # Implementation note: only credentials a wallet received (OpenID4VCI, so a
        # token) bind a holder key the citizen controls; Plus copies do not.
        links = [
            HolderLink(
                holder_did=record.holder_did,
                credential_id=record.id,
                source=record.source,
                subject_ref=record.subject_ref,
                sealed_bsn=self.issuer.keys.seal(
                    bsn.encode(), label=holder_label(record.holder_did)
                ),
                expires_at=record.valid_until,
            )
            for record in records
            if record.token_hash is not None and record.holder_did
        ]
        PlusUnit(unit).link_holders(links)


class Holders:
    """Finds the citizen behind a wallet's presentation, with this service's own keys only."""

    def __init__(self, issuer: Issuer) -> None:
        self.issuer = issuer
        settings = issuer.settings
        self._sources_by_did = {settings.issuer_did(name): name for name in issuer.sources}

    def source_method(self, vm_id: str) -> VerificationMethod:
        """A verification method of one of this service's own sources (no network)."""

        def document(did: str) -> JsonObject:
            name = self._sources_by_did.get(did)
            if name is None:
                raise DidResolutionError(f"{did} is not a source of this service")
            return self.issuer.did_document(name)

        return dereference_verification_method(vm_id, resolver=document)

    @staticmethod
    def holder_method(vm_id: str) -> VerificationMethod:
        """A holder's verification method: did:key only (offline)."""
        if not isinstance(vm_id, str) or not vm_id.startswith("did:key:"):
            raise DidResolutionError("a holder signs with a did:key key")
        return dereference_verification_method(vm_id)

    def _issuer_of(
        self, unverified_vp: object, *, holder: str, nonce: str, domain: str, clock: Clock
    ) -> str:
        """Check the presentation and its one credential; return the credential's issuer."""
        check_presentation_shape(unverified_vp)
        if not isinstance(unverified_vp, dict):
            raise ParsingError("the presentation must be a JSON object")
        verify(
            unverified_vp,
            challenge=nonce,
            domain=domain,
            expected_proof_purpose="authentication",
            cryptosuites=_PRESENTATION_SUITES,
            resolve_verification_method=self.holder_method,
            clock=clock,
        )
        signer = str(unverified_vp["proof"]["verificationMethod"]).partition("#")[0]
        if signer != holder or unverified_vp.get("holder", holder) != holder:
            raise ParsingError("the presentation is not signed by the requesting key")
        credentials = unverified_vp.get("verifiableCredential")
        listed = credentials if isinstance(credentials, list) else [credentials]
        if len(listed) != 1 or not isinstance(listed[0], dict):
            raise ParsingError("present exactly one credential")
        credential = listed[0]
        check_credential_shape(credential)
        issuer_did = credential_issuer(credential)
        if issuer_did not in self._sources_by_did:
            raise CredentialPolicyError("the credential is not from a source of this service")
        verify(
            credential,
            expected_proof_purpose="assertionMethod",
            cryptosuites=("ecdsa-sd-2023",),
            resolve_verification_method=self.source_method,
            clock=clock,
        )
        check_issuer_is_controller(credential, credential["proof"])
        check_validity_period(credential, clock=clock)
        if subject_ids(credential) != (holder,):
            raise CredentialPolicyError("the credential is not bound to the requesting key")
        return issuer_did

    def identify(
        self, unverified_vp: object, *, holder: str, nonce: str, domain: str, clock: Clock
    ) -> HolderLink:
        """The link of ``holder``, proven by a presentation of a credential this service
        bound to it (still valid, not revoked or suspended); ``AccessDenied`` otherwise."""
        try:
            issuer_did = self._issuer_of(
                unverified_vp, holder=holder, nonce=nonce, domain=domain, clock=clock
            )
        except (VerificationError, KeyError, TypeError) as exc:
            detail = exc.detail if isinstance(exc, VerificationError) else "malformed"
            raise AccessDenied(f"the identity presentation did not verify: {detail}") from exc
        with self.issuer.db.read() as unit:
            link = PlusUnit(unit).holder(holder)
        if (
            link is None
            or link.expires_at <= clock()
            or self.issuer.settings.issuer_did(link.source) != issuer_did
        ):
            raise AccessDenied("the sources issued no current credential to this key")
        if any(self.issuer.status_of(link.credential_id).values()):
            raise AccessDenied("the presented credential is revoked or suspended")
        return link

    def bsn(self, link: HolderLink) -> str:
        """The citizen's BSN behind a link."""
        return self.issuer.keys.unseal(
            link.sealed_bsn, label=holder_label(link.holder_did)
        ).decode()
