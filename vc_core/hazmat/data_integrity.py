"""The cryptosuite-agnostic Data Integrity algorithms: add and verify proofs, sets and chains.

Spec: vc-data-integrity#algorithms

``add_proof`` secures a document with one cryptosuite instance; when the
document already carries proofs it runs "add proof set/chain", so the new
proof is signed over the document plus only the proofs its ``previousProof``
names. ``verify_proof`` checks a document with a single proof and raises the
coded error; ``verify_proof_sets_and_chains`` checks every proof of a set or
chain and collects a :class:`ProofResult` per proof.

These are the generic checks only (purpose, challenge, domain, dates,
verification relationship, contexts). Credential rules, such as the issuer
being the verification method's controller, belong to the verifier.

The cryptosuites build on the helpers here, so this module never imports
them: verifiers pass ``suite_for`` (``vc_core.hazmat.registry.get_cryptosuite``
or a narrower one).
"""

from __future__ import annotations

import copy
import dataclasses
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from vc_core._jsonld import copy_json
from vc_core._multibase import decode_base58btc
from vc_core.did import VerificationMethod, dereference_verification_method
from vc_core.errors import (
    DidResolutionError,
    InvalidChallengeError,
    InvalidDomainError,
    ParsingError,
    Problem,
    ProofExpiredError,
    ProofGenerationError,
    ProofVerificationError,
    UnsupportedCryptosuiteError,
    VcError,
    VerificationError,
)
from vc_core.hazmat.cryptosuite import Cryptosuite
from vc_core.keys import KeyPair, PublicKey
from vc_core.types import Clock, DocumentLoader, JsonObject

__all__ = [
    "DATA_INTEGRITY_PROOF",
    "DEFAULT_CLOCK_SKEW",
    "BoundCryptosuite",
    "ProofResult",
    "VerificationResult",
    "add_proof",
    "add_proof_set_chain",
    "check_proof_options",
    "decode_proof_value",
    "parse_date_time_stamp",
    "verify_proof",
    "verify_proof_sets_and_chains",
]

DATA_INTEGRITY_PROOF = "DataIntegrityProof"
DEFAULT_CLOCK_SKEW = timedelta(minutes=5)
"""How far ``created`` may lie in the future, and ``expires`` in the past, before we refuse."""

# XSD dateTimeStamp: a dateTime with a mandatory time zone; the calendar check is
# left to ``datetime.fromisoformat``.
_DATE_TIME_STAMP = re.compile(
    r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})", re.ASCII
)


@dataclass(frozen=True, slots=True)
class ProofResult:
    """The outcome for one proof of a secured document."""

    verified: bool
    proof: JsonObject
    problems: tuple[Problem, ...] = ()


@dataclass(frozen=True, slots=True)
class VerificationResult:
    """The combined outcome: verified only if every proof verified.

    ``document`` is the secured document without its ``proof`` when verified,
    otherwise ``None``; ``problems`` gathers the problems of every proof.
    """

    verified: bool
    document: JsonObject | None
    results: tuple[ProofResult, ...]
    problems: tuple[Problem, ...] = ()


def _utc_now() -> datetime:
    return datetime.now(UTC)


# --- helpers shared by the cryptosuites -------------------------------------------------------


def parse_date_time_stamp(value: object) -> datetime:
    """Parse an XSD ``dateTimeStamp`` (time zone required) to an aware ``datetime``.

    Raises ``ValueError`` for anything else; callers translate it to their coded error.
    """
    if not isinstance(value, str) or _DATE_TIME_STAMP.fullmatch(value) is None:
        raise ValueError(f"{value!r} is not an XSD dateTimeStamp")
    return datetime.fromisoformat(value)


def check_proof_options(
    options: Mapping[str, Any], *, cryptosuite: str, error: type[VcError]
) -> None:
    """Require ``type`` = ``DataIntegrityProof`` and ``cryptosuite`` = the suite's name.

    Raises ``error`` (the code the calling spec step names) otherwise.
    """
    if options.get("type") != DATA_INTEGRITY_PROOF or options.get("cryptosuite") != cryptosuite:
        raise error(
            f"proof options must have type {DATA_INTEGRITY_PROOF!r} and cryptosuite "
            f"{cryptosuite!r}, got {options.get('type')!r} / {options.get('cryptosuite')!r}"
        )


def checked_proof_config(
    unsecured_document: JsonObject, options: Mapping[str, Any], *, cryptosuite: str
) -> JsonObject:
    """Run steps 1-4 of a suite's proof configuration: the options under the document's context.

    Spec: vc-di-ecdsa#proof-configuration-ecdsa-rdfc-2019 (the same four steps open
    vc-di-eddsa#proof-configuration-eddsa-rdfc-2022 and
    vc-di-ecdsa#base-proof-configuration-ecdsa-sd-2023; each suite then canonicalizes).

    Raises ``ProofGenerationError`` for options of another suite, a ``created``
    that is not an XSD dateTimeStamp, or a document without ``@context``.
    """
    # Step 1: proofConfig is a clone of the options.
    # Implementation note: without proofValue, so a proof can be passed as its own options.
    # Implementation note: a shallow clone; canonicalization copies what it reads.
    proof_config = {k: v for k, v in options.items() if k != "proofValue"}
    # Step 2: type and cryptosuite must name this suite.
    check_proof_options(proof_config, cryptosuite=cryptosuite, error=ProofGenerationError)
    # Step 3: created, when set, must be an XSD dateTime (we require a dateTimeStamp).
    if "created" in proof_config:
        try:
            parse_date_time_stamp(proof_config["created"])
        except ValueError as exc:
            raise ProofGenerationError(f"proof created: {exc}") from exc
    # Step 4: proofConfig.@context = unsecuredDocument.@context.
    # Implementation note: without one, canonicalization would drop every statement.
    if "@context" not in unsecured_document:
        raise ProofGenerationError("the document to secure has no @context")
    proof_config["@context"] = unsecured_document["@context"]
    return proof_config


def decode_proof_value(proof_value: object, *, size: int) -> bytes:
    """Decode a base58btc multibase ``proofValue`` of exactly ``size`` bytes.

    Raises ``ProofVerificationError`` when the value is missing, lacks the
    ``z`` prefix, is not base58btc or has the wrong length.
    """
    if not isinstance(proof_value, str):
        raise ProofVerificationError("proofValue is missing or not a string")
    try:
        proof_bytes = decode_base58btc(proof_value)
    except ValueError as exc:
        raise ProofVerificationError(f"proofValue is not base58btc multibase: {exc}") from exc
    if len(proof_bytes) != size:
        raise ProofVerificationError(
            f"proofValue decodes to {len(proof_bytes)} bytes, expected {size}"
        )
    return proof_bytes


class BoundCryptosuite:
    """A ``Cryptosuite`` made of a suite's create-proof and verify-proof functions.

    A suite class passes its module's two functions, with its constructor
    options already bound (``functools.partial``); both take the arguments of
    the :class:`~vc_core.hazmat.cryptosuite.Cryptosuite` methods.
    """

    __slots__ = ("_create_proof", "_name", "_verify_proof")

    def __init__(
        self,
        name: str,
        create_proof: Callable[..., JsonObject],
        verify_proof: Callable[..., None],
    ) -> None:
        self._name = name
        self._create_proof = create_proof
        self._verify_proof = verify_proof

    @property
    def name(self) -> str:
        """The ``cryptosuite`` value."""
        return self._name

    def create_proof(
        self,
        unsecured_document: JsonObject,
        options: JsonObject,
        *,
        key: KeyPair,
        document_loader: DocumentLoader,
    ) -> JsonObject:
        """Return the proof (with ``proofValue``); ``ProofGenerationError`` on failure."""
        return self._create_proof(
            unsecured_document, options, key=key, document_loader=document_loader
        )

    def verify_proof(
        self,
        unsecured_document: JsonObject,
        proof: JsonObject,
        *,
        public_key: PublicKey,
        document_loader: DocumentLoader,
    ) -> None:
        """Check ``proof`` over ``unsecured_document``; a ``VerificationError`` if it fails."""
        self._verify_proof(
            unsecured_document, proof, public_key=public_key, document_loader=document_loader
        )


# --- adding proofs ----------------------------------------------------------------------------


def _proof_options(options: Mapping[str, Any], *, suite: Cryptosuite, clock: Clock) -> JsonObject:
    """Complete and check the caller's proof options (implementation note, not a spec step).

    ``type`` and ``cryptosuite`` default to ``DataIntegrityProof`` and the
    suite's name; ``created`` defaults to the clock's time (seconds, UTC ``Z``)
    and an explicit ``created: None`` leaves it out, since the spec makes it
    optional. ``created`` and ``expires`` must be XSD dateTimeStamps.
    """
    if "proofValue" in options:
        raise ValueError("proof options must not contain a proofValue")
    defaults = {"type": DATA_INTEGRITY_PROOF, "cryptosuite": suite.name}
    prepared: JsonObject = {k: v for k, v in defaults.items() if k not in options}
    prepared.update(copy_json(dict(options)))
    check_proof_options(prepared, cryptosuite=suite.name, error=ProofGenerationError)
    if "created" not in prepared:
        now = clock().astimezone(UTC).replace(microsecond=0)
        prepared["created"] = now.strftime("%Y-%m-%dT%H:%M:%SZ")
    elif prepared["created"] is None:
        del prepared["created"]
    for name in ("created", "expires"):
        if name in prepared:
            try:
                parse_date_time_stamp(prepared[name])
            except ValueError as exc:
                raise ProofGenerationError(f"proof option {name}: {exc}") from exc
    return prepared


def _create_checked_proof(
    input_document: JsonObject,
    options: JsonObject,
    *,
    suite: Cryptosuite,
    key: KeyPair,
    document_loader: DocumentLoader,
) -> JsonObject:
    """Run steps 1-4 of "add proof": create the proof and check what the suite returned."""
    # Step 1: proof = cryptosuite.createProof(inputDocument, options); errors propagate.
    proof = suite.create_proof(input_document, options, key=key, document_loader=document_loader)
    # Step 2: type, verificationMethod and proofPurpose must be set.
    missing = [n for n in ("type", "verificationMethod", "proofPurpose") if not proof.get(n)]
    if missing:
        raise ProofGenerationError(f"the created proof lacks {', '.join(missing)}")
    # Step 3: a non-null domain option must equal proof.domain.
    if options.get("domain") is not None and options["domain"] != proof.get("domain"):
        raise ProofGenerationError("the created proof's domain differs from the options")
    # Step 4: a non-null challenge option must equal proof.challenge.
    if options.get("challenge") is not None and options["challenge"] != proof.get("challenge"):
        raise ProofGenerationError("the created proof's challenge differs from the options")
    return proof


def add_proof(
    input_document: JsonObject,
    *,
    suite: Cryptosuite,
    key: KeyPair,
    options: Mapping[str, Any],
    document_loader: DocumentLoader,
    clock: Clock = _utc_now,
) -> JsonObject:
    """Return a copy of ``input_document`` secured with a new proof made by ``suite``.

    Spec: vc-data-integrity#add-proof

    ``options`` are the proof options (``verificationMethod``,
    ``proofPurpose``, optional ``created``, ``expires``, ``challenge``,
    ``domain``, ``nonce``, ``id``, ``previousProof``); see :func:`_proof_options`
    for the defaults. A document that already has a ``proof`` goes through
    :func:`add_proof_set_chain`. Raises ``ProofGenerationError``.
    """
    if not isinstance(input_document, dict):
        raise TypeError("input_document must be a JSON object (dict)")
    # Implementation note: a document that already carries proofs gets a proof set or chain.
    if "proof" in input_document:
        return add_proof_set_chain(
            input_document,
            suite=suite,
            key=key,
            options=options,
            document_loader=document_loader,
            clock=clock,
        )
    # Implementation note: with no proofs, previousProof can name nothing (as in the chain case).
    if "previousProof" in options:
        raise ProofGenerationError("previousProof names a proof, but the document has none")
    prepared = _proof_options(options, suite=suite, clock=clock)
    # Steps 1-4: create the proof and check it.
    proof = _create_checked_proof(
        input_document, prepared, suite=suite, key=key, document_loader=document_loader
    )
    # Step 5: securedDataDocument is a copy of inputDocument.
    secured_data_document = copy_json(input_document)
    # Step 6: set its proof.
    secured_data_document["proof"] = proof
    # Step 7: return it.
    return secured_data_document


def _previous_proof_ids(proof_or_options: Mapping[str, Any], error: type[VcError]) -> list[str]:
    """Return ``previousProof`` as a list of ids (empty when absent); ``error`` if malformed."""
    previous = proof_or_options.get("previousProof")
    if previous is None:
        return []
    if isinstance(previous, str):
        return [previous]
    if isinstance(previous, list) and all(isinstance(item, str) for item in previous):
        return previous
    raise error("previousProof must be a string or a list of strings")


def _matching_proofs(
    all_proofs: Sequence[Any], previous_ids: Sequence[str], error: type[VcError]
) -> list[JsonObject]:
    """Select the proofs of ``all_proofs`` whose ``id`` is in ``previous_ids``, in their order.

    Raises ``error`` if an id in ``previous_ids`` matches no proof.
    """
    matching = [p for p in all_proofs if isinstance(p, dict) and p.get("id") in previous_ids]
    known = [proof["id"] for proof in matching]
    unknown = [proof_id for proof_id in previous_ids if proof_id not in known]
    if unknown:
        raise error(f"previousProof names unknown proof(s): {', '.join(unknown)}")
    return matching


def _with_proofs(document: JsonObject, proofs: list[JsonObject]) -> JsonObject:
    """Return ``document`` (already without ``proof``) with ``proof`` set to ``proofs``.

    Implementation note: an empty list adds no statements, so it is left out
    rather than written as ``"proof": []``.
    """
    if not proofs:
        return document
    return {**document, "proof": copy.deepcopy(proofs)}


def add_proof_set_chain(
    secured_document: JsonObject,
    *,
    suite: Cryptosuite,
    key: KeyPair,
    options: Mapping[str, Any],
    document_loader: DocumentLoader,
    clock: Clock = _utc_now,
) -> JsonObject:
    """Add a proof to the proof set or chain of ``secured_document``.

    Spec: vc-data-integrity#add-proof-set-chain

    The new proof covers the document without its proofs, plus the proofs its
    ``previousProof`` option names (a chain). The result's ``proof`` is the
    list of all proofs. Raises ``ProofGenerationError``.
    """
    # Step 1: allProofs is a copy of the existing proof(s).
    proof = secured_document.get("proof")
    all_proofs: list[Any] = copy.deepcopy(proof if isinstance(proof, list) else [proof])
    # Step 2: inputDocument and output are copies of the document without proof.
    input_document = {k: copy.deepcopy(v) for k, v in secured_document.items() if k != "proof"}
    output = copy.deepcopy(input_document)
    # Step 3: matchingProofs starts empty.
    # Steps 4-5: add the proofs named by previousProof (a string or a list); unknown ids fail.
    previous_ids = _previous_proof_ids(options, ProofGenerationError)
    matching_proofs = _matching_proofs(all_proofs, previous_ids, ProofGenerationError)
    # Step 6: inputDocument.proof = matchingProofs.
    input_document = _with_proofs(input_document, matching_proofs)
    # Step 7: run steps 1-6 of "add proof" and append the new proof.
    prepared = _proof_options(options, suite=suite, clock=clock)
    all_proofs.append(
        _create_checked_proof(
            input_document, prepared, suite=suite, key=key, document_loader=document_loader
        )
    )
    # Step 8: output.proof = allProofs.
    output["proof"] = all_proofs
    # Step 9: return output.
    return output


# --- verifying proofs -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _VerifyOptions:
    """The verifier's expectations and injected services, shared by every proof."""

    suite_for: Callable[[str], Cryptosuite]
    expected_proof_purpose: str | None
    challenge: str | None
    domain: str | Sequence[str] | None
    document_loader: DocumentLoader
    resolve_verification_method: Callable[[str], VerificationMethod]
    clock: Clock
    clock_skew: timedelta


def _as_list(value: object) -> list[Any]:
    return value if isinstance(value, list) else [value]


def _check_contexts(document: JsonObject, proof: JsonObject, path: str) -> None:
    """Check the document's ``@context`` shape and the proof's own ``@context``.

    Implementation note: the RDFC suites hash the proof under the document's
    context, so the document must have one (URL strings or objects). A proof
    with its own ``@context`` must name a prefix of the document's, in order
    (the rule the Data Integrity suites give for embedded proof contexts).
    """
    context = document.get("@context")
    entries = _as_list(context)
    if context is None or not entries or not all(isinstance(e, str | dict) for e in entries):
        raise ParsingError("@context must be a URL, an object, or a list of them", path="@context")
    if "@context" in proof:
        proof_entries = _as_list(proof["@context"])
        if entries[: len(proof_entries)] != proof_entries:
            raise ProofVerificationError(
                "the proof's @context does not start the document's @context", path=path
            )


def _check_dates(proof: JsonObject, settings: _VerifyOptions, path: str) -> None:
    """Refuse malformed dates, ``created`` in the future and ``expires`` in the past.

    Implementation note: the spec defines the fields; the clock policy and the
    tolerated skew are ours.
    """
    dates: dict[str, datetime] = {}
    for name in ("created", "expires"):
        if name in proof:
            try:
                dates[name] = parse_date_time_stamp(proof[name])
            except ValueError as exc:
                raise ProofVerificationError(f"proof.{name}: {exc}", path=path) from exc
    now = settings.clock()
    if "created" in dates and dates["created"] > now + settings.clock_skew:
        raise ProofExpiredError(f"proof created in the future ({proof['created']})", path=path)
    if "expires" in dates and dates["expires"] < now - settings.clock_skew:
        raise ProofExpiredError(f"proof expired at {proof['expires']}", path=path)


def _check_domain(proof: JsonObject, domain: str | Sequence[str], path: str) -> None:
    """Step 6 of "verify proof": the expected domain strings equal ``proof.domain``'s."""
    expected = {domain} if isinstance(domain, str) else set(domain)
    actual = proof.get("domain")
    actual_list = _as_list(actual)
    if actual is None or not all(isinstance(item, str) for item in actual_list):
        raise InvalidDomainError("the proof has no domain, but one is expected", path=path)
    if set(actual_list) != expected:
        raise InvalidDomainError(f"proof domain {actual!r} is not the expected one", path=path)


def _verify_one(
    input_document: JsonObject, proof: object, settings: _VerifyOptions, path: str
) -> None:
    """Run steps 4-8 of "verify proof" for one proof over ``input_document``; raise on failure.

    ``input_document`` is the document without the proof being checked (plus,
    in a chain, the proofs it names).
    """
    if not isinstance(proof, dict):
        raise ParsingError("a proof must be a JSON object", path=path)
    # Step 4: type, verificationMethod and proofPurpose must exist.
    # Implementation note: as strings, and a DataIntegrityProof needs a cryptosuite string.
    for name in ("type", "verificationMethod", "proofPurpose", "cryptosuite"):
        if not isinstance(proof.get(name), str):
            raise ProofVerificationError(f"proof.{name} is missing or not a string", path=path)
    if proof["type"] != DATA_INTEGRITY_PROOF:
        raise ProofVerificationError(f"unsupported proof type {proof['type']!r}", path=path)
    try:
        suite = settings.suite_for(proof["cryptosuite"])
    except UnsupportedCryptosuiteError as exc:
        raise ProofVerificationError(str(exc.detail), path=path) from exc
    # Step 5: the expected proof purpose must match.
    purpose = proof["proofPurpose"]
    expected_purpose = settings.expected_proof_purpose
    if expected_purpose is not None and purpose != expected_purpose:
        raise ProofVerificationError(
            f"proofPurpose {purpose!r} is not the expected {expected_purpose!r}", path=path
        )
    # Step 6: the expected domain must match.
    if settings.domain is not None:
        _check_domain(proof, settings.domain, path)
    # Step 7: the expected challenge must match.
    if settings.challenge is not None and proof.get("challenge") != settings.challenge:
        detail = "missing" if "challenge" not in proof else "not the expected one"
        raise InvalidChallengeError(f"the proof's challenge is {detail}", path=path)
    _check_dates(proof, settings, path)
    _check_contexts(input_document, proof, path)
    # Implementation note: dereference the verification method; it must be listed
    # under the relationship that proofPurpose names (vc-data-integrity#proof-purposes).
    try:
        method = settings.resolve_verification_method(proof["verificationMethod"])
    except DidResolutionError as exc:
        raise ProofVerificationError(
            f"verificationMethod cannot be dereferenced: {exc.detail}", path=path
        ) from exc
    if purpose not in method.relationships:
        raise ProofVerificationError(
            f"verification method {method.id} is not authorized for {purpose}", path=path
        )
    # Step 8: run cryptosuite.verifyProof (it raises when the proof does not verify).
    suite.verify_proof(
        input_document,
        proof,
        public_key=method.public_key,
        document_loader=settings.document_loader,
    )


def _split_secured_document(secured_document: object) -> tuple[JsonObject, object]:
    """Return the secured document without ``proof``, and its ``proof`` member.

    The first shares the document's members (verification never mutates them).
    Raises ``ParsingError`` when ``secured_document`` is not a JSON object.
    """
    if not isinstance(secured_document, dict):
        raise ParsingError("a secured document must be a JSON object")
    unsecured_document = {k: v for k, v in secured_document.items() if k != "proof"}
    return unsecured_document, secured_document.get("proof")


def verify_proof(
    secured_document: object,
    *,
    document_loader: DocumentLoader,
    suite_for: Callable[[str], Cryptosuite],
    expected_proof_purpose: str | None = None,
    challenge: str | None = None,
    domain: str | Sequence[str] | None = None,
    resolve_verification_method: Callable[[str], VerificationMethod] = (
        dereference_verification_method
    ),
    clock: Clock = _utc_now,
    clock_skew: timedelta = DEFAULT_CLOCK_SKEW,
) -> VerificationResult:
    """Verify the single proof of ``secured_document``; raise the coded error if it fails.

    Spec: vc-data-integrity#verify-proof

    ``secured_document`` is parsed JSON (untrusted). ``suite_for`` maps a
    ``cryptosuite`` name to a suite instance or raises
    ``UnsupportedCryptosuiteError`` (callers restrict the accepted suites
    here); ``resolve_verification_method`` dereferences the
    ``verificationMethod`` (offline did:key by default). Raises
    ``ParsingError``, ``ProofVerificationError``, ``InvalidChallengeError``,
    ``InvalidDomainError``, ``ProofExpiredError`` or ``DataLossError``; a
    verified proof returns a :class:`VerificationResult` with the document
    without its proof. For proof sets and chains use
    :func:`verify_proof_sets_and_chains`.
    """
    settings = _VerifyOptions(
        suite_for,
        expected_proof_purpose,
        challenge,
        domain,
        document_loader,
        resolve_verification_method,
        clock,
        clock_skew,
    )
    # Step 1: parse JSON bytes (implementation note: the caller hands us parsed JSON).
    # Step 2: the document and its proof must be maps.
    # Step 3: proof = securedDocument.proof.
    unsecured_document, proof = _split_secured_document(secured_document)
    if not isinstance(proof, dict):
        raise ParsingError("proof must be a single JSON object here", path="proof")
    # Steps 4-8: the generic checks, then cryptosuite.verifyProof.
    _verify_one(unsecured_document, proof, settings, "proof")
    # Step 9: return the verification result.
    return VerificationResult(True, copy_json(unsecured_document), (ProofResult(True, proof),))


def _located(error: VerificationError, path: str) -> tuple[Problem, ...]:
    """The problems of ``error``; those raised without a path get ``path`` (the proof's)."""
    return tuple(dataclasses.replace(p, path=p.path or path) for p in error.problems)


def verify_proof_sets_and_chains(
    secured_document: object,
    *,
    document_loader: DocumentLoader,
    suite_for: Callable[[str], Cryptosuite],
    expected_proof_purpose: str | None = None,
    challenge: str | None = None,
    domain: str | Sequence[str] | None = None,
    resolve_verification_method: Callable[[str], VerificationMethod] = (
        dereference_verification_method
    ),
    clock: Clock = _utc_now,
    clock_skew: timedelta = DEFAULT_CLOCK_SKEW,
) -> VerificationResult:
    """Verify every proof of ``secured_document`` (one proof, a set or a chain).

    Spec: vc-data-integrity#verify-proof-sets-and-chains

    Each proof is checked over the document without proofs plus the proofs its
    ``previousProof`` names, which must exist. A failing proof becomes a
    :class:`ProofResult` with problems under ``proof`` / ``proof[i]``; the
    result is verified only if every proof is. Raises ``ParsingError`` only
    when the document or its ``proof`` member is not JSON of the right shape.
    Errors that stop verification itself (an unknown context URL, the
    canonicalization limit) propagate. Options as in :func:`verify_proof`.
    """
    settings = _VerifyOptions(
        suite_for,
        expected_proof_purpose,
        challenge,
        domain,
        document_loader,
        resolve_verification_method,
        clock,
        clock_skew,
    )
    # Step 1: allProofs = securedDocument.proof (implementation note: the document must
    # be a JSON object, its proof an object or a non-empty list).
    unsecured_document, proof_value = _split_secured_document(secured_document)
    if not isinstance(proof_value, dict | list) or not proof_value:
        raise ParsingError("proof must be a JSON object or a non-empty list", path="proof")
    all_proofs = _as_list(proof_value)
    # Step 2: verificationResults starts empty.
    verification_results: list[ProofResult] = []
    # Step 3: for each proof, verify it over the document plus its matching proofs.
    for index, proof in enumerate(all_proofs):
        path = f"proof[{index}]" if isinstance(proof_value, list) else "proof"
        try:
            if not isinstance(proof, dict):
                raise ParsingError("a proof must be a JSON object", path=path)
            # Step 3.1-3.2: matchingProofs are the proofs named by previousProof.
            previous_ids = _previous_proof_ids(proof, ProofVerificationError)
            matching_proofs = _matching_proofs(all_proofs, previous_ids, ProofVerificationError)
            # Step 3.3: inputDocument = document without proof, plus matchingProofs.
            input_document = _with_proofs(unsecured_document, matching_proofs)
            # Step 3.4: run steps 4-8 of "verify proof".
            _verify_one(input_document, proof, settings, path)
        except VerificationError as error:
            problems = _located(error, path)
            result = ProofResult(False, proof if isinstance(proof, dict) else {}, problems)
        else:
            result = ProofResult(True, proof)
        verification_results.append(result)
    # Steps 4-7: combine; the document is returned only if every proof verified.
    verified = all(result.verified for result in verification_results)
    # Step 8: return the combined result and the per-proof results.
    return VerificationResult(
        verified,
        copy_json(unsecured_document) if verified else None,
        tuple(verification_results),
        tuple(problem for result in verification_results for problem in result.problems),
    )
