"""Check a received credential before it is stored.

See docs/protocols.md, "Wallet sequence" step 7 and "Confirm a base proof".

The ecdsa-sd-2023 base proof is confirmed with ``vc_core.confirm``: the
issuer's base signature over the mandatory statements and one per-statement
signature for every other statement, so the whole credential as received is
covered. The wallet adds the credential rules around it.

Failures raise the ``vc_core`` error that found them: ``ParsingError``,
``ProofVerificationError``, ``CredentialPolicyError`` (``UNTRUSTED_ISSUER``,
``HOLDER_BINDING_ERROR``, ``CREDENTIAL_EXPIRED``, ``CREDENTIAL_REVOKED``, …)
or ``StatusListError``.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import timedelta

from vc_core.errors import CredentialPolicyError, ParsingError
from vc_core.proofs import confirm
from vc_core.status import StatusListCache, check_status
from vc_core.types import Clock, DocumentLoader, Fetch, JsonObject
from vc_core.vcdm import (
    check_credential_shape,
    check_issuer_is_controller,
    check_validity_period,
    subject_ids,
)
from vc_core.vcdm import credential_issuer as issuer_of

__all__ = ["CLOCK_SKEW", "ConfirmedCredential", "confirm_credential"]

CLOCK_SKEW = timedelta(minutes=5)
"""Slack allowed between our clock and the issuer's for ``validFrom``/``validUntil``."""


@dataclass(frozen=True, slots=True)
class ConfirmedCredential:
    """A received credential that passed every check, with the holder DID it is bound to."""

    credential: JsonObject
    holder: str
    issuer: str


def confirm_credential(
    credential: object,
    *,
    expected_issuer: str,
    holders: Collection[str],
    fetch: Fetch,
    clock: Clock,
    document_loader: DocumentLoader | None = None,
    status_cache: StatusListCache | None = None,
) -> ConfirmedCredential:
    """Verify a received ecdsa-sd-2023 base-proof credential; raise if anything is wrong.

    Checks: VCDM shape; one ecdsa-sd-2023 base proof, confirmed over every
    statement; proof purpose ``assertionMethod`` with the method listed
    there in the issuer's DID document (did:web through ``fetch``); issuer =
    the method's controller = ``expected_issuer``; ``credentialSubject.id``
    one of ``holders``; validity window (with :data:`CLOCK_SKEW`); every
    revocation or suspension status entry unset.
    """
    # The credential's shape.
    if not isinstance(credential, dict):
        raise ParsingError("a credential must be a JSON object")
    check_credential_shape(credential)
    # The issuer is the one this offer's Credential Issuer stands for.
    issuer = issuer_of(credential)
    if issuer != expected_issuer:
        raise CredentialPolicyError(
            f"the credential is issued by {issuer!r}, expected {expected_issuer!r}",
            code="UNTRUSTED_ISSUER",
            path="issuer",
        )
    # Checked before the proof, so that only the expected issuer's DID is resolved.
    check_issuer_is_controller(credential, credential.get("proof", {}))
    # Its one ecdsa-sd-2023 base proof, over every statement as received.
    confirm(
        credential,
        expected_proof_purpose="assertionMethod",
        document_loader=document_loader,
        fetch=fetch,
        clock=clock,
    )
    # Holder binding: the subject is one of the keys we sent proofs for.
    subjects = subject_ids(credential)
    if len(subjects) != 1 or subjects[0] not in holders:
        raise CredentialPolicyError(
            f"credentialSubject.id {subjects!r} is not a holder key of this wallet request",
            code="HOLDER_BINDING_ERROR",
            path="credentialSubject.id",
        )
    # Inside its validity window.
    check_validity_period(credential, clock=clock, skew=CLOCK_SKEW)
    # Not revoked or suspended.
    for result in check_status(
        credential,
        fetch=fetch,
        clock=clock,
        cache=status_cache,
        document_loader=document_loader,
    ):
        if not result.valid and result.purpose in ("revocation", "suspension"):
            raise CredentialPolicyError(
                f"the credential's {result.purpose} status is set",
                code="CREDENTIAL_REVOKED"
                if result.purpose == "revocation"
                else "CREDENTIAL_SUSPENDED",
                path="credentialStatus",
            )
    return ConfirmedCredential(credential, subjects[0], issuer)
