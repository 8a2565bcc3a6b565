"""SD-JWT VC presentations for the verifier: issuer keys per trusted issuer, then every check.

A landlord trusts issuers by DID (``did:web:issuer.example.nl:belastingdienst``)
or, for SD-JWT VC only, by issuer URL. :class:`SdJwtIssuerKeys` takes an
SD-JWT's ``iss`` to the one mechanism configured for that issuer, never
another (docs/protocols.md, "Issuer keys"):

- a trusted did:web DID stands for the issuer at its https URL; the ``kid`` is a
  DID URL of it, resolved with the verifier's own (cached, trusted-only) DID
  resolution;
- a trusted https URL with ``x5c`` trust anchors configured: the chain in the
  header must lead to one of them;
- a trusted https URL otherwise: its JWT VC Issuer Metadata.

:func:`check_sd_jwt_presentation` then verifies the SD-JWT with its Key
Binding JWT (``aud`` the verifier's client id, ``nonce`` the request's), its
status in the Token Status List (the same cache and fail-closed setting as
for Bitstring lists), the issuer's trust for its ``vct``, and gives the same
:class:`~vc_verifier.results.VerifiedCredential` a W3C credential gives, so
the housing rule and the verification record never look at the format.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any

from cryptography import x509

from vc_core.did import VerificationMethod, did_key, did_web_base_url
from vc_core.errors import (
    DidResolutionError,
    IssuerKeyError,
    Problem,
    StatusListError,
    VerificationError,
)
from vc_core.formats import SD_JWT_VC
from vc_core.keys import PublicKey
from vc_core.sd_jwt import DidWebKeys, IssuerMetadataKeys, X5cKeys, verify_sd_jwt_vc
from vc_core.status import INVALID, StatusListCache, TokenStatusResult, check_token_status
from vc_core.types import Clock, Fetch
from vc_verifier.errors import (
    CREDENTIAL_REVOKED,
    CREDENTIAL_SUSPENDED,
    HOLDER_BINDING_ERROR,
)
from vc_verifier.results import PresentationReport, VerifiedCredential, VerifiedPresentation
from vc_verifier.trust import TrustedIssuers

__all__ = ["SdJwtIssuerKeys", "check_sd_jwt_presentation", "check_sd_jwt_vc"]


class SdJwtIssuerKeys:
    """The key an SD-JWT's issuer signed with, by the mechanism configured for that issuer.

    ``trusted`` gives the issuers (did:web DIDs or https URLs);
    ``resolve_verification_method`` is the verifier's DID method resolution
    (trusted issuers only, cached); ``fetch`` reaches JWT VC Issuer Metadata;
    ``trust_anchors`` (certificates) make URL issuers use ``x5c`` chains
    instead. An ``iss`` that no trusted issuer stands for raises
    ``IssuerKeyError`` (``UNTRUSTED_ISSUER``) before anything is fetched.
    """

    def __init__(
        self,
        trusted: TrustedIssuers,
        *,
        resolve_verification_method: Callable[[str], VerificationMethod],
        fetch: Fetch,
        trust_anchors: Sequence[x509.Certificate] = (),
        clock: Clock,
    ) -> None:
        self._identity: dict[str, str] = {}
        dids: list[str] = []
        urls: list[str] = []
        for issuer in trusted.issuers:
            if issuer.startswith("did:web:"):
                try:
                    self._identity[did_web_base_url(issuer)] = issuer
                except DidResolutionError:
                    continue
                dids.append(issuer)
            elif issuer.startswith("https://"):
                self._identity[issuer] = issuer
                urls.append(issuer)
        self._by_did = DidWebKeys(dids, resolve_verification_method=resolve_verification_method)
        self._by_url: Callable[[str, Mapping[str, Any]], PublicKey] = (
            X5cKeys(trust_anchors, issuers=urls, clock=clock)
            if trust_anchors
            else IssuerMetadataKeys(fetch, issuers=urls, clock=clock)
        )

    def identity(self, issuer: str) -> str:
        """The trusted identity an ``iss`` stands for (a DID, or the URL itself)."""
        return self._identity.get(issuer, issuer)

    def __call__(self, issuer: str, header: Mapping[str, Any]) -> PublicKey:
        identity = self._identity.get(issuer)
        if identity is None:
            raise IssuerKeyError(f"issuer {issuer!r} is not trusted here", code="UNTRUSTED_ISSUER")
        if identity.startswith("did:web:"):
            return self._by_did(issuer, header)
        return self._by_url(issuer, header)


def _status(
    verified_status: Any,
    *,
    issuer: str,
    keys: SdJwtIssuerKeys,
    fetch: Fetch,
    clock: Clock,
    cache: StatusListCache,
    fail_closed: bool,
) -> tuple[tuple[TokenStatusResult, ...], bool, list[Problem]]:
    """The Token Status List check: (results, status unverified, problems)."""
    if verified_status is None:
        return (), False, []
    try:
        result = check_token_status(
            verified_status, issuer=issuer, key_resolver=keys, fetch=fetch, clock=clock, cache=cache
        )
    except StatusListError as exc:
        if exc.code == "STATUS_RETRIEVAL_ERROR" and not fail_closed:
            return (), True, []
        return (), False, list(exc.problems)
    problems = []
    if not result.valid:
        code = CREDENTIAL_REVOKED if result.status == INVALID else CREDENTIAL_SUSPENDED
        detail = f"status {result.name} at index {result.idx} of {result.uri}"
        problems.append(Problem(code, detail, "status"))
    return (result,), False, problems


def check_sd_jwt_vc(
    unverified_sd_jwt: object,
    *,
    keys: SdJwtIssuerKeys,
    trusted: TrustedIssuers,
    fetch: Fetch,
    clock: Clock,
    status_cache: StatusListCache,
    status_fail_closed: bool,
    audience: str | None = None,
    nonce: str | None = None,
    holder: str | None = None,
    bound: bool = True,
    plain_claims: frozenset[str] = frozenset(),
    key_binding_max_age: timedelta = timedelta(minutes=5),
) -> tuple[tuple[Problem, ...], VerifiedCredential | None, str | None]:
    """Run every check of one SD-JWT VC; return its problems, the credential if none, its holder.

    With ``audience`` and ``nonce`` it is a presentation: a Key Binding JWT is
    required and checked, and the holder is the did:key of its ``cnf`` key.
    Without them it is an issued copy (Blauwe Knop Plus): a KB-JWT is refused
    and the ``cnf`` key must be the did:key ``holder``; ``bound=False`` takes an
    unbound copy (a certified PDF's). ``plain_claims`` are claims about the
    copy rather than the subject, kept out of ``claims``.

    Spec: draft-ietf-oauth-sd-jwt-vc#name-verification-and-processing
    """
    try:
        verified = verify_sd_jwt_vc(
            unverified_sd_jwt,
            key_resolver=keys,
            audience=audience,
            nonce=nonce,
            clock=clock,
            key_binding_max_age=key_binding_max_age,
        )
    except VerificationError as exc:
        return exc.problems, None, None
    issuer = keys.identity(verified.issuer)
    status, unverified_status, problems = _status(
        verified.status,
        issuer=verified.issuer,
        keys=keys,
        fetch=fetch,
        clock=clock,
        cache=status_cache,
        fail_closed=status_fail_closed,
    )
    decision = trusted.decide(issuer, verified.types)
    problems.extend(decision.problems(issuer, issuer_path="iss", type_path="vct"))
    key = None if verified.holder_key is None else did_key(verified.holder_key)
    if bound and (key is None or (holder is not None and key != holder)):
        problems.append(
            Problem(HOLDER_BINDING_ERROR, f"the cnf key {key} is not holder {holder}", "cnf")
        )
    if problems:
        return tuple(problems), None, None
    credential = VerifiedCredential(
        issuer=issuer,
        types=verified.types,
        type_iris=frozenset(verified.types),
        document=dict(verified.payload),
        valid_from=verified.valid_from or verified.issued_at,
        valid_until=verified.valid_until,
        status=status,
        cryptosuite=str(verified.issuer_key.alg),
        status_unverified=unverified_status,
        id=verified.id,
        format=SD_JWT_VC,
        subject_claims={k: v for k, v in verified.claims.items() if k not in plain_claims},
    )
    return (), credential, key


def check_sd_jwt_presentation(
    unverified_sd_jwt: object,
    *,
    keys: SdJwtIssuerKeys,
    trusted: TrustedIssuers,
    audience: str,
    nonce: str,
    fetch: Fetch,
    clock: Clock,
    status_cache: StatusListCache,
    status_fail_closed: bool,
) -> PresentationReport:
    """Run every check of one SD-JWT VC presentation; report every problem, never raise.

    See docs/protocols.md, "Verifier checks": the Issuer-signed JWT with a key of
    a trusted issuer, the Disclosures, validity, the Key Binding JWT (holder
    binding to ``cnf``, ``aud``, ``nonce``, freshness, ``sd_hash``), the
    status, then trust by ``vct``. The presentation's ``holder`` is the
    did:key of the ``cnf`` key.
    """
    verified_at: datetime = clock()
    problems, credential, holder = check_sd_jwt_vc(
        unverified_sd_jwt,
        keys=keys,
        trusted=trusted,
        fetch=fetch,
        clock=clock,
        status_cache=status_cache,
        status_fail_closed=status_fail_closed,
        audience=audience,
        nonce=nonce,
    )
    if credential is None or holder is None:
        return PresentationReport(False, problems)
    presentation = VerifiedPresentation(holder, (credential,), verified_at)
    return PresentationReport(True, (), presentation)
