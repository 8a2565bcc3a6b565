"""Check a received credential before it is stored.

See docs/protocols.md, "Wallet sequence" step 7 and "Confirm a base proof".

The ecdsa-sd-2023 base proof is confirmed with ``vc_core.confirm``: the
issuer's base signature over the mandatory statements and one per-statement
signature for every other statement, so the whole credential as received is
covered. An SD-JWT VC is verified with every Disclosure, as a holder does (no
Key Binding JWT), with the issuer key from the issuer's JWT VC Issuer Metadata.
The wallet adds the credential rules around either.

Failures raise the ``vc_core`` error that found them: ``ParsingError``,
``ProofVerificationError``, ``SdJwtError``, ``IssuerKeyError``,
``CredentialPolicyError`` (``UNTRUSTED_ISSUER``, ``HOLDER_BINDING_ERROR``,
``CREDENTIAL_EXPIRED``, ``CREDENTIAL_REVOKED``, …) or ``StatusListError``.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import timedelta

from vc_core.did import did_key
from vc_core.errors import CredentialPolicyError, ParsingError
from vc_core.formats import LDP_VC, SD_JWT_VC
from vc_core.proofs import confirm
from vc_core.sd_jwt import IssuerKeyResolver, verify_sd_jwt_vc
from vc_core.status import INVALID, StatusListCache, check_status, check_token_status
from vc_core.types import Clock, DocumentLoader, Fetch, JsonObject
from vc_core.vcdm import (
    check_credential_shape,
    check_issuer_is_controller,
    check_validity_period,
    subject_ids,
)
from vc_core.vcdm import credential_issuer as issuer_of
from wallet_sdk.dcql import expand_types

__all__ = ["CLOCK_SKEW", "ConfirmedCredential", "confirm_credential", "confirm_sd_jwt_vc"]

CLOCK_SKEW = timedelta(minutes=5)
"""Slack allowed between our clock and the issuer's for ``validFrom``/``validUntil``."""


@dataclass(frozen=True, slots=True)
class ConfirmedCredential:
    """A received credential that passed every check, with the holder DID it is bound to.

    ``credential`` is the W3C credential, or an SD-JWT VC's processed payload
    with every claim disclosed; ``encoded`` the SD-JWT VC as issued.
    ``types`` are its types as written (``vct`` for SD-JWT VC), ``expanded_types``
    what a DCQL query's type values are compared with (type IRIs, or ``vct``
    and ``aka_vcts``).
    """

    credential: JsonObject
    holder: str
    issuer: str
    format: str = LDP_VC
    encoded: str | None = None
    types: tuple[str, ...] = ()
    expanded_types: frozenset[str] = frozenset()


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
    types = credential.get("type")
    return ConfirmedCredential(
        credential,
        subjects[0],
        issuer,
        types=tuple(
            t for t in (types if isinstance(types, list) else [types]) if isinstance(t, str)
        ),
        expanded_types=expand_types(credential),
    )


def confirm_sd_jwt_vc(
    credential: object,
    *,
    expected_issuer: str,
    issuer_did: str,
    vct: str | None,
    holders: Collection[str],
    key_resolver: IssuerKeyResolver,
    fetch: Fetch,
    clock: Clock,
    status_cache: StatusListCache | None = None,
) -> ConfirmedCredential:
    """Verify a received SD-JWT VC with all its Disclosures; raise if anything is wrong.

    Checks: the issuer signature with a key ``key_resolver`` trusts for
    ``expected_issuer`` (the offer's Credential Issuer, ``iss``), every
    Disclosure, ``typ``, ``iat``/``nbf``/``exp`` (with :data:`CLOCK_SKEW`);
    ``vct`` as the issuer's metadata announced it; the ``cnf`` key one of
    ``holders`` (the did:key DIDs of the keys we sent proofs for); the Token
    Status List entry VALID (fetched through ``fetch``, its token signed by the
    same issuer). ``issuer_did`` is what the wallet
    trusts the issuer as, and becomes the stored issuer.

    Spec: draft-ietf-oauth-sd-jwt-vc#name-verification-and-processing
    """
    if not isinstance(credential, str):
        raise ParsingError("an SD-JWT VC must be a string")
    # The issuer signature, Disclosures and validity, as the holder sees it (no KB-JWT).
    verified = verify_sd_jwt_vc(credential, key_resolver=key_resolver, clock=clock, skew=CLOCK_SKEW)
    if verified.issuer != expected_issuer:
        raise CredentialPolicyError(
            f"the credential is issued by {verified.issuer!r}, expected {expected_issuer!r}",
            code="UNTRUSTED_ISSUER",
            path="iss",
        )
    if vct is not None and verified.vct != vct:
        raise CredentialPolicyError(
            f"the credential's vct {verified.vct!r} is not the offered {vct!r}",
            code="CREDENTIAL_TYPE_MISMATCH",
            path="vct",
        )
    # Holder binding: the cnf key is one of the keys we sent proofs for.
    holder = None if verified.holder_key is None else did_key(verified.holder_key)
    if holder is None or holder not in holders:
        raise CredentialPolicyError(
            "the credential's cnf key is not a holder key of this wallet request",
            code="HOLDER_BINDING_ERROR",
            path="cnf",
        )
    # Not revoked or suspended.
    if verified.status is not None:
        status = check_token_status(
            verified.status,
            issuer=verified.issuer,
            key_resolver=key_resolver,
            fetch=fetch,
            clock=clock,
            cache=status_cache,
        )
        if not status.valid:
            raise CredentialPolicyError(
                f"the credential's status is {status.name}",
                code="CREDENTIAL_REVOKED" if status.status == INVALID else "CREDENTIAL_SUSPENDED",
                path="status",
            )
    return ConfirmedCredential(
        dict(verified.payload),
        holder,
        issuer_did,
        SD_JWT_VC,
        credential,
        verified.types,
        frozenset(verified.types),
    )
