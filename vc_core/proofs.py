"""Recipes: sign, derive, verify, confirm and canonicalize secured documents.

These are the safe defaults over ``vc_core.hazmat``: the offline document
loader, JSON-LD safe mode, deterministic signing and did:key resolution. They
check Data Integrity proofs as the Data Integrity and cryptosuite specs define;
credential rules (issuer = key controller, validity window, trusted issuers,
status, holder binding) belong to the verifier package.

>>> from vc_core import KeyPair, did_key, sign, derive, verify
>>> issuer = KeyPair.generate("P-256")
>>> credential = {
...     "@context": ["https://www.w3.org/ns/credentials/v2",
...                  "https://issuer.example.nl/contexts/nl-vc/v1"],
...     "type": ["VerifiableCredential", "InkomensverklaringCredential"],
...     "issuer": did_key(issuer),
...     "credentialSubject": {"type": "Belastingplichtige", "belastingjaar": 2024,
...                           "inkomensklasse": "midden"},
... }
>>> signed = sign(credential, issuer, cryptosuite="ecdsa-sd-2023",
...               mandatory_pointers=["/issuer", "/credentialSubject/belastingjaar"])
>>> shown = derive(signed, selective_pointers=["/credentialSubject/inkomensklasse"])
>>> verify(shown).document["credentialSubject"]["inkomensklasse"]
'midden'
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal

from vc_core import _jsonld
from vc_core.did import VerificationMethod, dereference_verification_method, did_key
from vc_core.errors import (
    DataLossError,
    InvalidChallengeError,
    InvalidDomainError,
    ParsingError,
    Problem,
    ProofExpiredError,
    ProofVerificationError,
    UnsupportedCryptosuiteError,
    VcError,
    VerificationError,
)
from vc_core.hazmat import data_integrity
from vc_core.hazmat.cryptosuite import Cryptosuite
from vc_core.hazmat.ecdsa_sd_2023 import EcdsaSd2023, add_derived_proof, confirm_base_proof
from vc_core.hazmat.registry import CRYPTOSUITES, get_cryptosuite
from vc_core.keys import KeyPair, PublicKey
from vc_core.loader import OfflineDocumentLoader, document_loader
from vc_core.types import Clock, CryptosuiteName, DocumentLoader, Fetch, JsonObject

__all__ = ["VerifiedDocument", "canonicalize", "confirm", "derive", "sign", "verify"]

SUPPORTED_CRYPTOSUITES: frozenset[str] = frozenset(CRYPTOSUITES)

# The class ``verify`` raises when every problem of a failed verification has this code.
_ERROR_CLASSES: Mapping[str, type[VerificationError]] = {
    "PARSING_ERROR": ParsingError,
    "PROOF_VERIFICATION_ERROR": ProofVerificationError,
    "INVALID_CHALLENGE_ERROR": InvalidChallengeError,
    "INVALID_DOMAIN_ERROR": InvalidDomainError,
    "PROOF_EXPIRED_ERROR": ProofExpiredError,
    "DATA_LOSS_DETECTION_ERROR": DataLossError,
}


@dataclass(frozen=True, slots=True)
class VerifiedDocument:
    """A document whose every proof verified.

    ``document`` is the verified content without ``proof`` (for a derived
    ecdsa-sd-2023 credential: only what was disclosed); ``proofs`` are the
    proofs that were checked.
    """

    document: JsonObject
    proofs: tuple[JsonObject, ...]


@functools.cache
def _default_loader() -> OfflineDocumentLoader:
    return document_loader()


def _utc_now() -> datetime:
    return datetime.now(UTC)


def _default_cryptosuite(key: KeyPair) -> CryptosuiteName:
    return "eddsa-rdfc-2022" if key.curve == "Ed25519" else "ecdsa-rdfc-2019"


def _date_time_stamp(value: datetime | str) -> str:
    if isinstance(value, str):
        return value
    if value.tzinfo is None:
        raise ValueError("datetimes must be timezone-aware")
    return value.astimezone(UTC).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")


def sign(
    document: JsonObject,
    key: KeyPair,
    *,
    cryptosuite: CryptosuiteName | None = None,
    mandatory_pointers: Sequence[str] = (),
    verification_method: str | None = None,
    proof_purpose: str = "assertionMethod",
    created: datetime | str | None = None,
    expires: datetime | str | None = None,
    challenge: str | None = None,
    domain: str | None = None,
    proof_id: str | None = None,
    previous_proof: str | Sequence[str] | None = None,
    document_loader: DocumentLoader | None = None,
    clock: Clock = _utc_now,
    hmac_key: bytes | None = None,
    proof_key: KeyPair | None = None,
) -> JsonObject:
    """Return a copy of ``document`` with a new Data Integrity proof made with ``key``.

    ``cryptosuite`` defaults to ``ecdsa-rdfc-2019`` for P-256/P-384 keys and
    ``eddsa-rdfc-2022`` for Ed25519. ``ecdsa-sd-2023`` takes
    ``mandatory_pointers`` (what every disclosure must reveal) and, for
    reproducible tests, ``hmac_key`` and ``proof_key``; pointers name values of
    ``document`` as it is written (one-element arrays included). The verification method
    is ``key.id`` or the key's did:key. ``created`` defaults to the clock's
    time. A document that already has proofs gets a proof set (or a chain with
    ``previous_proof``). Raises ``ProofGenerationError``, ``DataLossError`` or
    ``DocumentLoadError``.
    """
    if not isinstance(document, dict):
        raise TypeError("document must be a JSON object (dict)")
    if not isinstance(key, KeyPair):
        raise TypeError("key must be a KeyPair")
    suite_name = cryptosuite or _default_cryptosuite(key)
    suite_options: dict[str, Any] = {}
    if suite_name == "ecdsa-sd-2023":
        suite_options = {
            "mandatory_pointers": tuple(mandatory_pointers),
            "hmac_key": hmac_key,
            "proof_key": proof_key,
        }
    elif mandatory_pointers or hmac_key is not None or proof_key is not None:
        raise ValueError("mandatory_pointers, hmac_key and proof_key are for ecdsa-sd-2023")
    suite = get_cryptosuite(suite_name, **suite_options)
    loader = document_loader or _default_loader()
    vm = verification_method or key.id or f"{did_key(key)}#{key.public.multibase}"
    options: JsonObject = {"verificationMethod": vm, "proofPurpose": proof_purpose}
    if created is not None:
        options["created"] = _date_time_stamp(created)
    optional = {
        "expires": None if expires is None else _date_time_stamp(expires),
        "challenge": challenge,
        "domain": domain,
        "id": proof_id,
        "previousProof": previous_proof
        if isinstance(previous_proof, str | None)
        else list(previous_proof),
    }
    options.update({name: value for name, value in optional.items() if value is not None})
    return data_integrity.add_proof(
        document,
        suite=suite,
        key=key,
        options=options,
        document_loader=loader,
        clock=clock,
    )


def derive(
    document: JsonObject,
    *,
    selective_pointers: Sequence[str],
    document_loader: DocumentLoader | None = None,
) -> JsonObject:
    """Derive a disclosure from an ``ecdsa-sd-2023`` base-proof credential.

    The result reveals the issuer's mandatory claims plus the claims that
    ``selective_pointers`` (JSON Pointers) select, with a derived proof that
    a verifier checks without seeing the rest. Raises ``ParsingError`` when
    ``document`` is not a JSON object with one base proof,
    ``ProofGenerationError`` when it has no ecdsa-sd-2023 base proof or a
    pointer matches nothing, and ``ProofVerificationError`` for a malformed
    base proof value.
    """
    if not isinstance(document, dict):
        raise ParsingError("a secured document must be a JSON object")
    return add_derived_proof(
        document,
        selective_pointers=list(selective_pointers),
        document_loader=document_loader or _default_loader(),
    )


def _resolver(
    fetch: Fetch | None, resolve_verification_method: Callable[[str], VerificationMethod] | None
) -> Callable[[str], VerificationMethod]:
    """The caller's resolver, or did:key offline and did:web through ``fetch``."""
    if resolve_verification_method is not None:
        return resolve_verification_method
    return functools.partial(dereference_verification_method, fetch=fetch)


def _verified(check: Callable[[], data_integrity.VerificationResult]) -> VerifiedDocument:
    """Run a Data Integrity check; turn every failure into a ``VerificationError`` with problems."""
    try:
        result = check()
    except VerificationError:
        raise
    except VcError as exc:
        # Implementation note: a failure to process the input at all (unknown context,
        # canonicalization limit, unresolvable DID) is still a failed verification.
        code = exc.code or "PROOF_VERIFICATION_ERROR"
        raise VerificationError(
            exc.detail, code=code, problems=(Problem(code, exc.detail, "proof"),)
        ) from exc
    if not result.verified or result.document is None:
        codes = {problem.code for problem in result.problems}
        first_code = result.problems[0].code if result.problems else None
        # Implementation note: when every problem has one code, raise that code's class.
        error_class = (
            _ERROR_CLASSES.get(first_code or "", VerificationError)
            if len(codes) == 1
            else VerificationError
        )
        raise error_class(
            "; ".join(
                f"{p.path}: {p.detail}"
                if p.code == first_code
                else f"{p.path}: {p.code}: {p.detail}"
                for p in result.problems
            ),
            code=first_code,
            problems=result.problems,
        )
    return VerifiedDocument(result.document, tuple(r.proof for r in result.results))


def verify(
    document: object,
    *,
    challenge: str | None = None,
    domain: str | None = None,
    expected_proof_purpose: str | None = None,
    cryptosuites: Collection[str] = SUPPORTED_CRYPTOSUITES,
    document_loader: DocumentLoader | None = None,
    fetch: Fetch | None = None,
    resolve_verification_method: Callable[[str], VerificationMethod] | None = None,
    clock: Clock = _utc_now,
) -> VerifiedDocument:
    """Verify every Data Integrity proof of ``document``; raise ``VerificationError`` if any fails.

    ``document`` is untrusted parsed JSON. When ``challenge``/``domain`` are
    given the proofs must carry them. ``cryptosuites`` limits the accepted
    suites. Verification methods are did:key (offline) or did:web through
    ``fetch``, unless ``resolve_verification_method`` is given. Every failure,
    including an unknown context or a poison graph, raises a
    ``VerificationError`` whose ``problems`` carry the codes (when they all
    share one code, the error is that code's subclass, e.g.
    ``ProofExpiredError``); a verified document is returned as
    :class:`VerifiedDocument`. An ecdsa-sd-2023 base proof is refused
    (docs/protocols.md, P15); a holder checks one with :func:`confirm`.
    """
    accepted = frozenset(cryptosuites)

    def suite_for(name: str) -> Cryptosuite:
        if name not in accepted:
            raise UnsupportedCryptosuiteError(f"cryptosuite {name!r} is not accepted")
        return get_cryptosuite(name)

    return _verified(
        lambda: data_integrity.verify_proof_sets_and_chains(
            document,
            document_loader=document_loader or _default_loader(),
            suite_for=suite_for,
            expected_proof_purpose=expected_proof_purpose,
            challenge=challenge,
            domain=domain,
            resolve_verification_method=_resolver(fetch, resolve_verification_method),
            clock=clock,
        )
    )


class _BaseProofConfirmation(EcdsaSd2023):
    """ecdsa-sd-2023 whose ``verify_proof`` confirms a base proof instead of a derived one.

    Implementation note: handed to ``data_integrity`` as the suite, so that
    :func:`confirm` runs the same generic checks as :func:`verify` before this
    cryptosuite step (docs/protocols.md, "Confirm a base proof").
    """

    def verify_proof(
        self,
        unsecured_document: JsonObject,
        proof: JsonObject,
        *,
        public_key: PublicKey,
        document_loader: DocumentLoader,
    ) -> None:
        confirm_base_proof(
            {**unsecured_document, "proof": proof},
            public_key=public_key,
            document_loader=document_loader,
        )


def _base_proof_suite(name: str) -> Cryptosuite:
    if name != "ecdsa-sd-2023":
        raise UnsupportedCryptosuiteError(
            f"confirm checks ecdsa-sd-2023 base proofs only, not {name!r}; use verify"
        )
    return _BaseProofConfirmation()


def confirm(
    base_credential: object,
    *,
    expected_proof_purpose: str = "assertionMethod",
    document_loader: DocumentLoader | None = None,
    fetch: Fetch | None = None,
    resolve_verification_method: Callable[[str], VerificationMethod] | None = None,
    clock: Clock = _utc_now,
) -> VerifiedDocument:
    """Confirm the ecdsa-sd-2023 base proof of a credential a holder received, before storing it.

    ``base_credential`` is untrusted parsed JSON with exactly one proof: an
    ``ecdsa-sd-2023`` base proof (``u2V0A…``). It gets the generic checks of
    :func:`verify` (proof purpose, ``created``/``expires`` against ``clock``,
    contexts, the verification method dereferenced as in :func:`verify` and
    listed under the purpose's relationship), then every statement is
    checked: the issuer's base signature over the mandatory ones and a
    per-statement signature for each other one. Other cryptosuites and
    derived proofs are refused (``ProofVerificationError``), as is a proof
    set (``ParsingError``): :func:`verify` checks those. Failures raise a
    ``VerificationError`` with ``problems``, exactly as :func:`verify` does;
    a confirmed credential is returned as :class:`VerifiedDocument`, whose
    ``document`` holds every claim. Credential rules (issuer, holder
    binding, validity, status) stay with the caller.

    >>> from vc_core import KeyPair, did_key, sign, confirm
    >>> issuer = KeyPair.generate("P-256")
    >>> base = sign(
    ...     {"@context": ["https://www.w3.org/ns/credentials/v2",
    ...                   "https://issuer.example.nl/contexts/nl-vc/v1"],
    ...      "type": ["VerifiableCredential", "InkomensverklaringCredential"],
    ...      "issuer": did_key(issuer),
    ...      "credentialSubject": {"type": "Belastingplichtige", "belastingjaar": 2024}},
    ...     issuer, cryptosuite="ecdsa-sd-2023", mandatory_pointers=["/issuer"])
    >>> confirm(base).document["credentialSubject"]["belastingjaar"]
    2024
    """
    # Implementation note: a base credential has one proof, the one ``derive`` later uses;
    # otherwise it takes the same path as ``verify``, so problems are located alike.
    if isinstance(base_credential, dict) and isinstance(base_credential.get("proof"), list):
        raise ParsingError("a base credential has one proof object, not a proof set", path="proof")
    return _verified(
        lambda: data_integrity.verify_proof_sets_and_chains(
            base_credential,
            document_loader=document_loader or _default_loader(),
            suite_for=_base_proof_suite,
            expected_proof_purpose=expected_proof_purpose,
            resolve_verification_method=_resolver(fetch, resolve_verification_method),
            clock=clock,
        )
    )


def canonicalize(
    document: object,
    *,
    document_loader: DocumentLoader | None = None,
    hash_name: Literal["sha256", "sha384"] = "sha256",
) -> str:
    """Return the RDFC-1.0 canonical N-Quads of a JSON-LD document (safe mode).

    ``hash_name="sha384"`` runs RDFC-1.0 with SHA-384 (ecdsa-rdfc-2019 with
    P-384). Raises ``ParsingError``, ``DataLossError``, ``DocumentLoadError``
    or ``CanonicalizationLimitError``.
    """
    result = _jsonld.canonicalize(
        document, document_loader=document_loader or _default_loader(), hash_name=hash_name
    )
    return result.text
