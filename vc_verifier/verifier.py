"""The landlord's verifier: checks presentations and hands out only verified claims.

>>> from vc_core import KeyPair
>>> verifier = Verifier(
...     client_id="decentralized_identifier:did:web:verhuur.example.nl",
...     signing_key=KeyPair.generate("P-256"),
...     signing_kid="did:web:verhuur.example.nl#key-1",
...     trusted_issuers={"did:web:issuer.example.nl:belastingdienst":
...                      ["InkomensverklaringCredential"]})
>>> verifier.check_presentation({"type": "VerifiablePresentation"},
...                             challenge="n", domain=verifier.client_id).codes
('PARSING_ERROR',)

:meth:`Verifier.verify_presentation` runs, in order (docs/architecture.md and
docs/protocols.md, "Verifier checks"): the presentation's shape and proof (purpose
``authentication``, ``challenge``, ``domain``, signer listed under the holder
DID's ``authentication``, ``holder`` = signer); then for every credential its
shape, its proof (a derived ecdsa-sd-2023 proof, or another accepted suite,
purpose ``assertionMethod``, issuer = key controller), its validity window,
its status, the issuer's trust for its types and the holder binding. Every
problem is collected; none is skipped because another failed, except that
nothing is fetched on behalf of an issuer that is not trusted or a credential
whose proof failed.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from cryptography import x509

from vc_core.did import (
    VerificationMethod,
    dereference_verification_method,
    did_key_verification_method_id,
    resolve_did,
)
from vc_core.errors import (
    DidResolutionError,
    FetchError,
    ParsingError,
    Problem,
    ProofVerificationError,
    StatusListError,
    VerificationError,
)
from vc_core.formats import SD_JWT_VC
from vc_core.jws import sign_jws
from vc_core.keys import KeyPair
from vc_core.proofs import verify
from vc_core.status import StatusListCache, StatusResult, check_status
from vc_core.types import Clock, Fetch, JsonObject
from vc_core.vcdm import (
    check_credential_shape,
    check_issuer_is_controller,
    check_presentation_shape,
    check_validity_period,
    credential_issuer,
    subject_ids,
)
from vc_verifier import openid4vp
from vc_verifier._vocab import type_iris
from vc_verifier.errors import (
    CREDENTIAL_REVOKED,
    CREDENTIAL_SUSPENDED,
    HOLDER_BINDING_ERROR,
    PLUS_GRANT_ERROR,
    PLUS_NOT_FOR_THIS_RECIPIENT,
    UnknownTransactionError,
    error_for,
)
from vc_verifier.http import HttpClient, http_fetch
from vc_verifier.plus import PlusFetch, check_grant, parse_grant
from vc_verifier.policy.housing import PolicyResult
from vc_verifier.record import sign_record
from vc_verifier.results import (
    PresentationOutcome,
    PresentationReport,
    Presentations,
    VerifiedCredential,
    VerifiedPresentation,
)
from vc_verifier.sd_jwt_vc import SdJwtIssuerKeys, check_sd_jwt_presentation, check_sd_jwt_vc
from vc_verifier.transactions import (
    MemoryTransactions,
    Transaction,
    TransactionStatus,
    TransactionStore,
)
from vc_verifier.trust import TrustedIssuers

if TYPE_CHECKING:
    from vc_verifier.certified_pdf import CertifiedPdfReport

__all__ = [
    "DEFAULT_CREDENTIAL_CRYPTOSUITES",
    "DEFAULT_MAX_FAILED_RESPONSES",
    "PRESENTATION_CRYPTOSUITES",
    "Verifier",
]

PRESENTATION_CRYPTOSUITES: tuple[str, ...] = ("ecdsa-rdfc-2019", "eddsa-rdfc-2022")
"""Suites a holder may sign a presentation with (ecdsa-sd-2023 secures credentials only)."""
DEFAULT_CREDENTIAL_CRYPTOSUITES: tuple[str, ...] = ("ecdsa-sd-2023",)
"""Suites accepted on credentials by default: selective disclosure, derived proofs only."""
PLUS_CRYPTOSUITES = frozenset({"ecdsa-rdfc-2019", "eddsa-rdfc-2022"})
"""Suites also accepted on Plus copies (a source serves them whole, to the recipient only)."""
DEFAULT_MAX_FAILED_RESPONSES = 5
"""Answers that do not verify before a transaction ends with the last of them."""
_SUPPORTED_CREDENTIAL_SUITES = frozenset({"ecdsa-sd-2023", "ecdsa-rdfc-2019", "eddsa-rdfc-2022"})
_BASE_PROOF_PREFIX = "u2V0A"
_PLUS_PROPERTIES = frozenset({"ontvanger", "toestemming", "doel"})
"""What a Plus copy says about itself (recipient, grant, purpose), beside the subject's claims."""
_STATUS_PURPOSE_CODES = {"revocation": CREDENTIAL_REVOKED, "suspension": CREDENTIAL_SUSPENDED}


def _utc_now() -> datetime:
    return datetime.now(UTC)


def _as_list(value: object) -> list[Any]:
    return value if isinstance(value, list) else [value]


def _at(problems: Sequence[Problem], prefix: str) -> list[Problem]:
    """The problems with ``prefix`` put in front of their paths."""
    return [
        replace(problem, path=f"{prefix}.{problem.path}" if problem.path else prefix)
        for problem in problems
    ]


def _no_fetch(url: str, *, accept: str) -> bytes:
    raise FetchError(f"no HTTP client was given to the verifier; cannot fetch {url}")


def _date(document: Mapping[str, Any], name: str) -> datetime | None:
    value = document.get(name)
    return datetime.fromisoformat(value) if isinstance(value, str) else None


@dataclass(frozen=True, slots=True)
class _CredentialCheck:
    """The problems of one credential, and the credential if it had none."""

    problems: tuple[Problem, ...]
    credential: VerifiedCredential | None


@dataclass(slots=True)
class _CachedDid:
    """A resolved did:web document until ``expires``, and the methods taken from it so far."""

    expires: datetime
    document: JsonObject
    methods: dict[str, VerificationMethod] = field(default_factory=dict)


class Verifier:
    """Verify presentations and run OpenID4VP transactions for one relying party.

    ``client_id`` is the full Client Identifier, prefix included
    (``decentralized_identifier:did:web:verhuur.example.nl``); it is the
    ``domain`` every presentation must carry. ``signing_key`` signs request
    objects and verification records under ``signing_kid`` (default: the key's
    ``id``, or its did:key verification method). ``trusted_issuers`` says which
    issuer may issue which credential types. Status lists and did:web
    documents of trusted issuers are fetched only through ``http`` (adapted by
    :func:`vc_verifier.http.http_fetch`) or a ready ``fetch``; with neither, a
    credential with a status entry fails with ``STATUS_RETRIEVAL_ERROR``
    (unless ``status_fail_closed`` is false, which accepts it with
    ``status_unverified`` set). ``accepted_cryptosuites`` are the suites
    accepted on credentials (default only derived ecdsa-sd-2023 proofs).
    ``did_web_base_urls`` maps did:web DIDs to another base URL (tests,
    local development). ``trusted_seals`` maps an issuer DID to the
    certificates its PDF seals must chain to (for :meth:`check_certified_pdf`).
    ``did_documents`` pins issuers' did:web documents (offline checks): they
    are used as they are and never fetched. SD-JWT VCs are accepted from the
    same trusted issuers: a did:web DID stands for the issuer at its https URL
    (keys from its DID document); an issuer trusted by its https URL gives its
    keys in JWT VC Issuer Metadata, or, with ``sd_jwt_trust_anchors``, in an
    ``x5c`` chain to one of them. ``max_failed_responses`` answers that do not
    verify end a transaction (before that it stays open for the real wallet).
    Nothing is fetched or verified in the constructor.
    """

    def __init__(
        self,
        *,
        client_id: str,
        signing_key: KeyPair,
        trusted_issuers: TrustedIssuers | Mapping[str, Collection[str]],
        transactions: TransactionStore | None = None,
        http: HttpClient | None = None,
        fetch: Fetch | None = None,
        clock: Clock = _utc_now,
        status_cache: StatusListCache | None = None,
        status_fail_closed: bool = True,
        accepted_cryptosuites: Collection[str] = DEFAULT_CREDENTIAL_CRYPTOSUITES,
        signing_kid: str | None = None,
        did_web_base_urls: Mapping[str, str] | None = None,
        did_cache_ttl: timedelta = timedelta(minutes=5),
        trusted_seals: Mapping[str, Sequence[x509.Certificate]] | None = None,
        did_documents: Mapping[str, JsonObject] | None = None,
        sd_jwt_trust_anchors: Sequence[x509.Certificate] = (),
        max_failed_responses: int = DEFAULT_MAX_FAILED_RESPONSES,
    ) -> None:
        openid4vp.check_client_id(client_id)
        if max_failed_responses < 1:
            raise ValueError("max_failed_responses must be at least 1")
        self.max_failed_responses = max_failed_responses
        if not isinstance(signing_key, KeyPair):
            raise TypeError("signing_key must be a KeyPair")
        if http is not None and fetch is not None:
            raise ValueError("give http or fetch, not both")
        suites = frozenset(accepted_cryptosuites)
        if not suites or not suites <= _SUPPORTED_CREDENTIAL_SUITES:
            raise ValueError(
                f"accepted_cryptosuites must be some of {_SUPPORTED_CREDENTIAL_SUITES}"
            )
        self.client_id = client_id
        self._signing_key = signing_key
        self.signing_kid = (
            signing_kid or signing_key.id or did_key_verification_method_id(signing_key)
        )
        if client_id.startswith(openid4vp.DECENTRALIZED_IDENTIFIER_PREFIX):
            did = client_id[len(openid4vp.DECENTRALIZED_IDENTIFIER_PREFIX) :]
            if not self.signing_kid.startswith(did + "#"):
                raise ValueError(f"signing_kid {self.signing_kid!r} is not a key of {did}")
        self._trusted = (
            trusted_issuers
            if isinstance(trusted_issuers, TrustedIssuers)
            else TrustedIssuers(trusted_issuers)
        )
        self.transactions: TransactionStore = (
            transactions if transactions is not None else MemoryTransactions()
        )
        self._fetch: Fetch | None = fetch if http is None else http_fetch(http)
        self._clock = clock
        self._status_cache = (
            status_cache if status_cache is not None else StatusListCache(clock=clock)
        )
        self._status_fail_closed = status_fail_closed
        self._accepted = suites
        self._base_urls = dict(did_web_base_urls or {})
        self._did_cache_ttl = did_cache_ttl
        self._did_cache: dict[str, _CachedDid] = {}
        for did, document in (did_documents or {}).items():
            if not isinstance(document, Mapping) or document.get("id") != did:
                raise ValueError(f"the pinned DID document of {did} is not {did}'s")
            self._did_cache[did] = _CachedDid(datetime.max.replace(tzinfo=UTC), dict(document))
        self._trusted_seals = {did: tuple(certs) for did, certs in (trusted_seals or {}).items()}
        for did, certificates in self._trusted_seals.items():
            if not all(isinstance(c, x509.Certificate) for c in certificates):
                raise TypeError(f"the trusted seals of {did} must be x509.Certificate objects")
        self._did_lock = threading.Lock()
        self._sd_jwt_keys = SdJwtIssuerKeys(
            self._trusted,
            resolve_verification_method=self._issuer_method,
            fetch=self._fetch or _no_fetch,
            trust_anchors=tuple(sd_jwt_trust_anchors),
            clock=clock,
        )
        self.client_metadata: JsonObject = {
            "vp_formats_supported": openid4vp.vp_formats_supported(
                suites | set(PRESENTATION_CRYPTOSUITES)
            )
        }

    @property
    def trusted_issuers(self) -> TrustedIssuers:
        """The trusted-issuer registry this verifier applies."""
        return self._trusted

    @property
    def signing_key(self) -> KeyPair:
        """The relying party's key (request objects, verification records)."""
        return self._signing_key

    # --- resolving keys -------------------------------------------------------------------

    def _did_document(self, did: str) -> JsonObject:
        """Resolve an issuer DID: did:key offline; did:web only for trusted issuers, cached."""
        if not did.startswith("did:web:"):
            return resolve_did(did)
        return self._cached_did(did).document

    def _cached_did(self, did: str) -> _CachedDid:
        """A trusted issuer's did:web document from the cache, fetched again once expired."""
        if did not in self._trusted:
            raise DidResolutionError(f"{did} is not a trusted issuer; its DID is not resolved")
        now = self._clock()
        with self._did_lock:
            cached = self._did_cache.get(did)
        if cached is not None and now < cached.expires:
            return cached
        document = resolve_did(did, fetch=self._fetch or _no_fetch, base_urls=self._base_urls)
        cached = _CachedDid(now + self._did_cache_ttl, document)
        with self._did_lock:
            self._did_cache[did] = cached
        return cached

    def _issuer_method(self, vm_id: str) -> VerificationMethod:
        """An issuer's verification method; a did:web one is kept with its cached document."""
        did = vm_id.partition("#")[0] if isinstance(vm_id, str) else ""
        if not did.startswith("did:web:"):
            return dereference_verification_method(vm_id, resolver=self._did_document)
        cached = self._cached_did(did)
        method = cached.methods.get(vm_id)
        if method is None:
            method = dereference_verification_method(vm_id, resolver=lambda _: cached.document)
            cached.methods[vm_id] = method
        return method

    @staticmethod
    def _holder_method(vm_id: str) -> VerificationMethod:
        # Implementation note: holders sign with did:key (docs/protocols.md, "Response"); a
        # holder-chosen did:web would make the verifier fetch a URL the presenter picked.
        if not isinstance(vm_id, str) or not vm_id.startswith("did:key:"):
            raise DidResolutionError(f"a holder signs with a did:key method, not {vm_id!r}")
        return dereference_verification_method(vm_id)

    # --- presentations --------------------------------------------------------------------

    def _check_credential(
        self,
        unverified_vc: object,
        holder: str | None,
        *,
        cryptosuites: Collection[str] | None = None,
        holder_bound: bool = True,
        resolve: Callable[[str], VerificationMethod] | None = None,
        status_offline: bool = False,
    ) -> _CredentialCheck:
        """Run the credential checks in order; every problem is collected.

        A certified copy checks an unbound credential (``holder_bound`` false),
        may resolve the issuer's keys from a sealed DID document (``resolve``)
        and, offline, states its status as unknown (``status_offline``).
        """
        resolve_issuer = self._issuer_method if resolve is None else resolve
        # Shape: a credential that is not even a VC stops here.
        try:
            check_credential_shape(unverified_vc)
            if not isinstance(unverified_vc, dict):
                raise ParsingError("a verifiable credential must be a JSON object")
            issuer = credential_issuer(unverified_vc)
            proof = unverified_vc.get("proof")
            if not isinstance(proof, dict):
                raise ParsingError("a presented credential carries exactly one proof", path="proof")
            if not isinstance(unverified_vc["credentialSubject"], dict):
                raise ParsingError(
                    "a presented credential has one credentialSubject", path="credentialSubject"
                )
        except VerificationError as exc:
            return _CredentialCheck(exc.problems, None)
        problems: list[Problem] = []
        iris = type_iris(unverified_vc)
        decision = self._trusted.decide(issuer, iris)
        # Proof: derived ecdsa-sd-2023 (or an accepted suite), assertionMethod, issuer = controller.
        verified: JsonObject | None = None
        try:
            if str(proof.get("proofValue", "")).startswith(_BASE_PROOF_PREFIX):
                raise ProofVerificationError(
                    "an ecdsa-sd-2023 base proof was presented; only derived proofs are accepted",
                    path="proof",
                )
            verified = verify(
                unverified_vc,
                expected_proof_purpose="assertionMethod",
                cryptosuites=self._accepted if cryptosuites is None else cryptosuites,
                resolve_verification_method=resolve_issuer,
                clock=self._clock,
            ).document
            check_issuer_is_controller(unverified_vc, proof)
        except VerificationError as exc:
            problems.extend(exc.problems)
            verified = None
        # Validity window.
        try:
            check_validity_period(unverified_vc, clock=self._clock)
        except VerificationError as exc:
            problems.extend(exc.problems)
        # Status: only for a verified credential of a known issuer (no fetch for strangers).
        status: tuple[StatusResult, ...] = ()
        status_unverified = status_offline
        if verified is not None and decision.known and not status_offline:
            try:
                status = check_status(
                    verified,
                    fetch=self._fetch or _no_fetch,
                    clock=self._clock,
                    cache=self._status_cache,
                    resolve_verification_method=self._issuer_method,
                )
            except StatusListError as exc:
                if exc.code == "STATUS_RETRIEVAL_ERROR" and not self._status_fail_closed:
                    status_unverified = True
                else:
                    problems.extend(exc.problems)
            except VerificationError as exc:
                problems.extend(exc.problems)
            for result in status:
                if not result.valid and result.purpose in _STATUS_PURPOSE_CODES:
                    problems.append(
                        Problem(
                            _STATUS_PURPOSE_CODES[result.purpose],
                            f"status {result.status} at index {result.index} of "
                            f"{result.status_list_credential}",
                            "credentialStatus",
                        )
                    )
        # Trust: the issuer must be registered, and for every type of this credential.
        problems.extend(decision.problems(issuer, issuer_path="issuer", type_path="type"))
        # Holder binding: the subject is the DID that signed the presentation.
        ids = subject_ids(unverified_vc)
        if holder_bound and (holder is None or ids != (holder,)):
            problems.append(
                Problem(
                    HOLDER_BINDING_ERROR,
                    f"credentialSubject.id {list(ids)} is not the presentation signer {holder}",
                    "credentialSubject.id",
                )
            )
        if problems or verified is None:
            return _CredentialCheck(tuple(problems), None)
        credential = VerifiedCredential(
            issuer=issuer,
            types=tuple(_as_list(verified["type"])),
            type_iris=iris,
            # Implementation note: verify() returns a private copy; no second copy is needed.
            document=verified,
            valid_from=_date(verified, "validFrom"),
            valid_until=_date(verified, "validUntil"),
            status=status,
            cryptosuite=str(proof["cryptosuite"]),
            status_unverified=status_unverified,
            id=verified.get("id"),
        )
        return _CredentialCheck((), credential)

    def check_presentation(
        self, unverified_vp: object, *, challenge: str, domain: str
    ) -> PresentationReport:
        """Run every check of :meth:`verify_presentation`; report instead of raising."""
        if not isinstance(challenge, str) or not isinstance(domain, str):
            raise TypeError("challenge and domain must be strings")
        verified_at = self._clock()
        # Presentation shape.
        try:
            check_presentation_shape(unverified_vp)
            if not isinstance(unverified_vp, dict):
                raise ParsingError("a verifiable presentation must be a JSON object")
            proof = unverified_vp.get("proof")
            if not isinstance(proof, dict):
                raise ParsingError("a presentation carries exactly one proof", path="proof")
        except VerificationError as exc:
            return PresentationReport(False, exc.problems)
        problems: list[Problem] = []
        # Presentation proof: authentication, challenge, domain, VM under the holder's DID.
        method = proof.get("verificationMethod")
        holder = method.partition("#")[0] if isinstance(method, str) else None
        try:
            verify(
                unverified_vp,
                challenge=challenge,
                domain=domain,
                expected_proof_purpose="authentication",
                cryptosuites=PRESENTATION_CRYPTOSUITES,
                resolve_verification_method=self._holder_method,
                clock=self._clock,
            )
        except VerificationError as exc:
            problems.extend(exc.problems)
        if "holder" in unverified_vp and unverified_vp["holder"] != holder:
            problems.append(
                Problem(
                    "PROOF_VERIFICATION_ERROR",
                    f"holder {unverified_vp['holder']!r} did not sign the presentation",
                    "holder",
                )
            )
        # Each credential.
        value = unverified_vp.get("verifiableCredential", [])
        credentials: list[VerifiedCredential] = []
        for index, unverified_vc in enumerate(_as_list(value)):
            path = "verifiableCredential" + (f"[{index}]" if isinstance(value, list) else "")
            checked = self._check_credential(unverified_vc, holder)
            problems.extend(_at(checked.problems, path))
            if checked.credential is not None:
                credentials.append(checked.credential)
        if problems or holder is None:
            return PresentationReport(False, tuple(problems))
        presentation = VerifiedPresentation(holder, tuple(credentials), verified_at)
        return PresentationReport(True, (), presentation)

    def verify_presentation(
        self, unverified_vp: object, *, challenge: str, domain: str
    ) -> VerifiedPresentation:
        """Verify a presentation and its credentials; return only what verified.

        ``challenge`` is the request's nonce and ``domain`` the full
        client_id. Raises ``VerificationError`` carrying every problem; when all
        share one code the error is that code's class (``CredentialPolicyError``
        for ``CREDENTIAL_REVOKED``, ``InvalidChallengeError``, ``StatusListError``, …).
        """
        report = self.check_presentation(unverified_vp, challenge=challenge, domain=domain)
        if report.presentation is None:
            raise error_for(report.problems)
        return report.presentation

    # --- Blauwe Knop Plus -----------------------------------------------------------------

    def _plus_recipient(self) -> str:
        if not self.client_id.startswith(openid4vp.DECENTRALIZED_IDENTIFIER_PREFIX):
            raise ValueError("Plus credentials are addressed to a DID; use a DID client_id")
        return self.client_id[len(openid4vp.DECENTRALIZED_IDENTIFIER_PREFIX) :]

    def check_plus_credentials(
        self, fetched: PlusFetch | Sequence[object], *, grant: object | None = None
    ) -> PresentationReport:
        """Run every check of :meth:`verify_plus_credentials`; report instead of raising."""
        unverified: list[object]
        if isinstance(fetched, PlusFetch):
            grant = fetched.grant.document if grant is None else grant
            unverified = list(fetched.unverified_credentials.values())
        else:
            unverified = list(fetched)
        recipient = self._plus_recipient()
        verified_at = self._clock()
        try:
            parsed = parse_grant(grant)
        except ParsingError as exc:
            return PresentationReport(False, tuple(_at(exc.problems, "grant")))
        problems = list(check_grant(parsed, recipient=recipient, resolve=self._issuer_method))
        if not unverified:
            problems.append(Problem("PARSING_ERROR", "no credentials were given", "credentials"))
        credentials: list[VerifiedCredential] = []
        for index, unverified_vc in enumerate(unverified):
            checked = self._check_plus_copy(unverified_vc, parsed.holder)
            found = list(checked.problems)
            if checked.credential is not None:
                document = checked.credential.document
                if document.get("ontvanger") != recipient or document.get("toestemming") != (
                    parsed.id
                ):
                    found.append(
                        Problem(
                            PLUS_NOT_FOR_THIS_RECIPIENT,
                            f"the copy is for {document.get('ontvanger')!r} under grant "
                            f"{document.get('toestemming')!r}",
                            "ontvanger",
                        )
                    )
                if checked.credential.issuer not in parsed.signer_dids:
                    found.append(
                        Problem(
                            PLUS_GRANT_ERROR, "the issuer is not a source of the grant", "issuer"
                        )
                    )
            problems.extend(_at(found, f"credentials[{index}]"))
            if checked.credential is not None and not found:
                credentials.append(checked.credential)
        if problems:
            return PresentationReport(False, tuple(problems))
        presentation = VerifiedPresentation(parsed.holder, tuple(credentials), verified_at)
        return PresentationReport(True, (), presentation)

    def _check_plus_copy(self, unverified: object, holder: str) -> _CredentialCheck:
        """One copy a source served under a grant: a W3C credential, or an SD-JWT VC (a string)."""
        if isinstance(unverified, str):
            problems, credential, _ = check_sd_jwt_vc(
                unverified,
                keys=self._sd_jwt_keys,
                trusted=self._trusted,
                fetch=self._fetch or _no_fetch,
                clock=self._clock,
                status_cache=self._status_cache,
                status_fail_closed=self._status_fail_closed,
                holder=holder,
                plain_claims=_PLUS_PROPERTIES,
            )
            return _CredentialCheck(problems, credential)
        return self._check_credential(
            unverified, holder, cryptosuites=self._accepted | PLUS_CRYPTOSUITES
        )

    def _check_sd_jwt_copy(
        self,
        compact: str,
        *,
        resolve: Callable[[str], VerificationMethod] | None,
        status_offline: bool,
    ) -> _CredentialCheck:
        """An unbound SD-JWT VC a certified PDF embeds, checked like its W3C credential.

        ``resolve`` gives the issuer's methods from the sealed DID document
        (offline); otherwise the verifier's own. Offline, the status is not
        fetched and left unverified.
        """
        keys = self._sd_jwt_keys
        if resolve is not None:
            keys = SdJwtIssuerKeys(
                self._trusted, resolve_verification_method=resolve, fetch=_no_fetch,
                clock=self._clock,
            )  # fmt: skip
        problems, credential, _ = check_sd_jwt_vc(
            compact,
            keys=keys,
            trusted=self._trusted,
            fetch=_no_fetch if status_offline else self._fetch or _no_fetch,
            clock=self._clock,
            status_cache=self._status_cache,
            status_fail_closed=self._status_fail_closed and not status_offline,
            bound=False,
        )
        return _CredentialCheck(problems, credential)

    def verify_plus_credentials(
        self, fetched: PlusFetch | Sequence[object], *, grant: object | None = None
    ) -> VerifiedPresentation:
        """Verify credentials fetched under a Blauwe Knop Plus grant; return only what verified.

        ``fetched`` is a :class:`~vc_verifier.plus.PlusFetch` (or the unverified
        credentials, with the ``grant`` document). The grant must be signed by
        every source in its scope (trusted issuers, their did:web keys) and name
        this verifier's DID; every credential passes the same checks as a
        presented one (proof — ``ecdsa-rdfc-2019`` accepted here —, validity,
        status, trust), is bound to the grant's holder, is addressed to this
        verifier (``ontvanger``) under this grant (``toestemming``), and comes
        from a source of the grant. The result is a ``VerifiedPresentation``
        (``holder`` = the grant's holder) that ``HousingIncomeRule.evaluate``
        takes like a wallet's. Raises ``VerificationError`` with every problem.
        """
        report = self.check_plus_credentials(fetched, grant=grant)
        if report.presentation is None:
            raise error_for(report.problems)
        return report.presentation

    # --- certified PDFs (Basis, Basis 2.0) ------------------------------------------------

    def check_certified_pdf(self, data: bytes) -> CertifiedPdfReport:
        """Check a certified PDF: each source's seal, embedded credential and printed data.

        The seals must chain to :attr:`trusted_seals` of the section's issuer;
        each credential passes this verifier's checks (its trusted issuers,
        unbound, ``ecdsa-rdfc-2019`` or ``eddsa-rdfc-2022``). With an HTTP
        client or fetch the issuers' DID documents and status lists are
        fetched; without one the sealed DID documents are used and the status
        is reported as unknown. Needs the ``verifier-pdf`` extra; see
        :mod:`vc_verifier.certified_pdf`. Returns a report, never raises for bad
        input; ``report.problems_for(verifier.trusted_issuers.issuers)`` is
        what a decision that uses only trusted issuers must see empty.
        """
        from vc_verifier.certified_pdf import check_certified_pdf

        return check_certified_pdf(
            data, verifier=self, trusted_seals=self._trusted_seals, offline=self._fetch is None
        )

    def check_bundle(self, unverified_bundle: object) -> PresentationReport:
        """Check a Basis 2.0 bundle: the sources' proof set and every credential in it.

        See :mod:`vc_verifier.bundle`. The presentation's holder is the
        bundle's SHA-256 as a URN; without a fetch the status is unknown.
        """
        from vc_verifier.bundle import check_bundle

        return check_bundle(unverified_bundle, verifier=self, offline=self._fetch is None)

    @property
    def trusted_seals(self) -> Mapping[str, tuple[x509.Certificate, ...]]:
        """Issuer DID -> the certificates its PDF seals must chain to."""
        return dict(self._trusted_seals)

    # --- OpenID4VP ------------------------------------------------------------------------

    def create_request(
        self,
        dcql_query: Mapping[str, Any],
        *,
        response_uri: str | None = None,
        request_uri: str | None = None,
        purpose: str | None = None,
        ttl: timedelta = timedelta(minutes=5),
    ) -> Transaction:
        """Start a transaction: fresh nonce and state, stored, with its link and QR.

        ``response_uri`` receives the wallet's ``direct_post`` (for a
        ``redirect_uri:`` client it defaults to, and must be, that URI). A
        ``decentralized_identifier:`` client sends a signed request object by
        reference: serve :meth:`request_object` at ``request_uri`` (default
        ``request/<request_id>`` next to ``response_uri``). ``purpose`` is shown
        to the citizen. The transaction lives for ``ttl``.
        """
        if response_uri is None:
            if not self.client_id.startswith(openid4vp.REDIRECT_URI_PREFIX):
                raise ValueError("response_uri is required for this client_id")
            response_uri = self.client_id[len(openid4vp.REDIRECT_URI_PREFIX) :]
        transaction = openid4vp.new_transaction(
            dcql_query,
            client_id=self.client_id,
            response_uri=response_uri,
            request_uri=request_uri,
            purpose=purpose,
            client_metadata=self.client_metadata,
            now=self._clock(),
            ttl=ttl,
        )
        self.transactions.add(transaction)
        return transaction

    def request_object(self, request_id: str) -> str:
        """The signed request object (compact JWS) served at a transaction's ``request_uri``.

        ``request_id`` is the last path segment of the ``request_uri``
        (``Transaction.request_id``). The JWS has ``typ`` ``oauth-authz-req+jwt``
        and ``kid`` :attr:`signing_kid`. Raises ``UnknownTransactionError`` when no
        unanswered, unexpired by-reference transaction has that id.
        """
        now = self._clock()
        transaction = self.transactions.live_by_request_id(request_id, now=now)
        if transaction is None or transaction.request_uri is None:
            raise UnknownTransactionError("no open request has this id")
        claims = openid4vp.request_object_claims(
            transaction, client_metadata=self.client_metadata, now=now
        )
        return sign_jws(
            claims, self._signing_key, typ=openid4vp.REQUEST_OBJECT_TYP, kid=self.signing_kid
        )

    def handle_response(
        self,
        form_fields: Mapping[str, Any],
        *,
        on_outcome: Callable[[PresentationOutcome], JsonObject | None] | None = None,
    ) -> PresentationOutcome:
        """Handle a wallet's ``direct_post`` body (form fields, from any web framework).

        The ``state`` must name a live, unanswered transaction, else an unknown
        or expired state raises ``UnknownTransactionError`` and an answered one
        ``TransactionReplayError``. Everything after that is an outcome, not an
        exception: ``verified`` (every presentation verified with the
        transaction's nonce and client_id, and the DCQL query is satisfied),
        ``rejected`` with every problem (a malformed ``vp_token`` gives
        ``PARSING_ERROR``), or ``wallet_error``.

        Only a verified answer uses the transaction up (a replay of it is then
        refused). Anyone who saw the request's QR code knows its ``state``, so
        an answer that does not verify leaves the transaction open for the
        real wallet and is counted; the ``max_failed_responses``-th ends it
        with that outcome. ``on_outcome`` runs for the outcome that ends a
        transaction and may return JSON (say, a policy decision) to keep with it
        for :meth:`transaction_status`. Call ``outcome.raise_for_problems()`` to
        turn a non-verified outcome into the typed error.

        Spec: openid-4-verifiable-presentations-1_0#response_mode_post
        """
        state = form_fields.get("state") if isinstance(form_fields, Mapping) else None
        transaction = self.transactions.find(state, now=self._clock())  # type: ignore[arg-type]
        outcome = self._outcome(transaction, form_fields)
        status = TransactionStatus(
            transaction.id,
            outcome.status,
            problems=tuple(problem.code for problem in outcome.problems),
            error=outcome.wallet_error,
            updated_at=outcome.completed_at,
        )
        if outcome.verified:
            # Implementation note: a concurrent answer may have won meanwhile (replay).
            self.transactions.consume(transaction.state, now=self._clock())
        elif not self.transactions.fail(status, limit=self.max_failed_responses):
            return outcome
        result: JsonObject | None = None
        try:
            result = on_outcome(outcome) if on_outcome is not None else None
        finally:
            # Implementation note: the status is recorded even when the callback fails.
            self.transactions.finish(replace(status, result=result))
        return outcome

    def _outcome(
        self, transaction: Transaction, form_fields: Mapping[str, Any]
    ) -> PresentationOutcome:
        """Verify a consumed transaction's answer.

        See docs/protocols.md, "Verifier checks", steps 2 to 5.
        """
        try:
            answer = openid4vp.parse_direct_post(form_fields)
            if isinstance(answer, openid4vp.DirectPostError):
                return PresentationOutcome(
                    transaction.id,
                    "wallet_error",
                    wallet_error=answer.error,
                    wallet_error_description=answer.error_description,
                    completed_at=self._clock(),
                )
            vp_token = openid4vp.split_vp_token(answer.vp_token, transaction.dcql_query)
        except ParsingError as exc:
            return PresentationOutcome(
                transaction.id, "rejected", problems=exc.problems, completed_at=self._clock()
            )
        queries = {query["id"]: query for query in transaction.dcql_query["credentials"]}
        problems: list[Problem] = []
        presentations: dict[str, tuple[VerifiedPresentation, ...]] = {}
        for query_id, unverified_vps in vp_token.items():
            verified: list[VerifiedPresentation] = []
            for index, unverified_vp in enumerate(unverified_vps):
                path = f"vp_token.{query_id}[{index}]"
                report = self._check_answer(
                    queries[query_id]["format"],
                    unverified_vp,
                    nonce=transaction.nonce,
                    client_id=transaction.client_id,
                )
                found = list(report.problems)
                if report.presentation is not None:
                    found.extend(self._match(report.presentation, queries[query_id]))
                problems.extend(_at(found, path))
                if report.presentation is not None and not found:
                    verified.append(report.presentation)
            if verified and len(verified) == len(unverified_vps):
                presentations[query_id] = tuple(verified)
        problems.extend(openid4vp.check_credential_sets(transaction.dcql_query, presentations))
        completed_at = self._clock()
        if problems:
            return PresentationOutcome(
                transaction.id, "rejected", problems=tuple(problems), completed_at=completed_at
            )
        return PresentationOutcome(
            transaction.id, "verified", presentations=presentations, completed_at=completed_at
        )

    def _check_answer(
        self, format: str, unverified: object, *, nonce: str, client_id: str
    ) -> PresentationReport:
        """Check one ``vp_token`` entry the way its credential query's format is presented."""
        if format == SD_JWT_VC:
            return self.check_sd_jwt_presentation(unverified, nonce=nonce, audience=client_id)
        return self.check_presentation(unverified, challenge=nonce, domain=client_id)

    def check_sd_jwt_presentation(
        self, unverified_sd_jwt: object, *, nonce: str, audience: str
    ) -> PresentationReport:
        """Check an SD-JWT VC presentation (with its Key Binding JWT); report every problem.

        ``nonce`` is the request's nonce and ``audience`` the full client_id.
        The issuer key comes from the one mechanism configured for that issuer
        (its did:web DID, an ``x5c`` anchor, or JWT VC Issuer Metadata; see
        :mod:`vc_verifier.sd_jwt_vc`); status, trust by ``vct`` and the
        verified value are as for a W3C credential.
        """
        if not isinstance(nonce, str) or not isinstance(audience, str):
            raise TypeError("nonce and audience must be strings")
        return check_sd_jwt_presentation(
            unverified_sd_jwt,
            keys=self._sd_jwt_keys,
            trusted=self._trusted,
            audience=audience,
            nonce=nonce,
            fetch=self._fetch or _no_fetch,
            clock=self._clock,
            status_cache=self._status_cache,
            status_fail_closed=self._status_fail_closed,
        )

    @staticmethod
    def _match(presentation: VerifiedPresentation, query: Mapping[str, Any]) -> list[Problem]:
        """Problems of a verified presentation answering one credential query."""
        if len(presentation.credentials) != 1:
            return [
                Problem(
                    "PARSING_ERROR",
                    f"a presentation for query {query['id']!r} holds exactly one credential, "
                    f"not {len(presentation.credentials)}",
                    "verifiableCredential",
                )
            ]
        return _at(
            openid4vp.match_credential_query(presentation.credentials[0], query),
            "verifiableCredential[0]",
        )

    def transaction_status(self, transaction_id: str) -> TransactionStatus | None:
        """Where a transaction stands (pending, processing, verified, …), for polling."""
        return self.transactions.status(transaction_id, now=self._clock())

    # --- records --------------------------------------------------------------------------

    def sign_record(
        self,
        presentations: Presentations,
        result: PolicyResult,
        *,
        transaction_id: str | None = None,
        clock: Clock | None = None,
    ) -> JsonObject:
        """Sign the verification record of a decision with the landlord's key.

        See :func:`vc_verifier.record.sign_record`; the transaction id defaults
        to the outcome's when ``presentations`` is one ``PresentationOutcome``.
        """
        if transaction_id is None and isinstance(presentations, PresentationOutcome):
            transaction_id = presentations.transaction_id
        return sign_record(
            presentations,
            result,
            key=self._signing_key,
            kid=self.signing_kid,
            verifier=self.client_id,
            transaction_id=transaction_id,
            clock=clock or self._clock,
        )
