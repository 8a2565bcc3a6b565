"""The one error tree of blauwe-knop.

Every deliberate failure is a :class:`VcError` with a ``code``. Untrusted input
(any JSON handed to ``verify``, ``derive`` or a parser) fails with one of these,
never with a bare ``ValueError``/``KeyError`` or a pyld error. Misuse by the
caller (a wrong argument type, a bad key or setting) stays ``TypeError`` /
``ValueError``.

::

    VcError(Exception)                .code: str | None
    ├── VerificationError             untrusted input failed; .problems
    │   ├── ParsingError              PARSING_ERROR
    │   ├── ProofVerificationError    PROOF_VERIFICATION_ERROR
    │   ├── InvalidChallengeError     INVALID_CHALLENGE_ERROR
    │   ├── InvalidDomainError        INVALID_DOMAIN_ERROR
    │   ├── ProofExpiredError         PROOF_EXPIRED_ERROR (ours)
    │   ├── DataLossError             DATA_LOSS_DETECTION_ERROR
    │   ├── JwsError                  INVALID_JWS (ours: compact JWS of the OpenID flows)
    │   ├── SdJwtError                INVALID_SD_JWT | INVALID_DISCLOSURE | DUPLICATE_DISCLOSURE |
    │   │                             UNREFERENCED_DISCLOSURE | CLAIM_NOT_FOUND (ours: SD-JWT VC)
    │   ├── KeyBindingError           INVALID_KEY_BINDING (ours: the KB-JWT of an SD-JWT+KB)
    │   ├── IssuerKeyError            ISSUER_KEY_ERROR | UNTRUSTED_ISSUER (ours: no trusted key
    │   │                             for an SD-JWT VC or Token Status List issuer)
    │   ├── StatusListError           STATUS_RETRIEVAL_ERROR | STATUS_VERIFICATION_ERROR |
    │   │                             STATUS_LIST_LENGTH_ERROR | RANGE_ERROR
    │   └── CredentialPolicyError     ours: expired, not yet valid, revoked, untrusted, unbound
    ├── ProofGenerationError          PROOF_GENERATION_ERROR
    ├── ProofTransformationError      PROOF_TRANSFORMATION_ERROR
    ├── DocumentLoadError             LOADING_DOCUMENT_FAILED (URL not bundled, unknown scheme)
    ├── DidResolutionError            DID_RESOLUTION_ERROR
    ├── FetchError                    FETCH_ERROR
    ├── CanonicalizationLimitError    CANONICALIZATION_LIMIT_ERROR (poison-graph guard)
    └── UnsupportedCryptosuiteError   UNSUPPORTED_CRYPTOSUITE_ERROR
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "CanonicalizationLimitError",
    "CredentialPolicyError",
    "DataLossError",
    "DidResolutionError",
    "DocumentLoadError",
    "FetchError",
    "InvalidChallengeError",
    "InvalidDomainError",
    "IssuerKeyError",
    "JwsError",
    "KeyBindingError",
    "ParsingError",
    "Problem",
    "ProofExpiredError",
    "ProofGenerationError",
    "ProofTransformationError",
    "ProofVerificationError",
    "SdJwtError",
    "StatusListError",
    "UnsupportedCryptosuiteError",
    "VcError",
    "VerificationError",
]

_SECURITY_VOCAB = "https://w3id.org/security#"
_STATUS_VOCAB = "https://www.w3.org/ns/credentials/status-list#"
_STATUS_CODES = frozenset(
    {
        "STATUS_RETRIEVAL_ERROR",
        "STATUS_VERIFICATION_ERROR",
        "STATUS_LIST_LENGTH_ERROR",
        "RANGE_ERROR",
    }
)


@dataclass(frozen=True, slots=True)
class Problem:
    """One reason a verification failed: a code, a human detail and where it happened.

    ``path`` names the place in the document (``proof``, ``proof[1]``,
    ``verifiableCredential[0].proof``); ``type_uri`` is the RFC 9457 problem
    type for HTTP answers.
    """

    code: str
    detail: str
    path: str = ""

    @property
    def type_uri(self) -> str:
        vocab = _STATUS_VOCAB if self.code in _STATUS_CODES else _SECURITY_VOCAB
        return vocab + self.code


class VcError(Exception):
    """Base of every deliberate blauwe-knop error."""

    default_code: str | None = None

    def __init__(self, detail: str = "", *, code: str | None = None) -> None:
        super().__init__(detail)
        self.detail = detail
        self.code: str | None = code if code is not None else self.default_code

    def __str__(self) -> str:
        return f"{self.code}: {self.detail}" if self.code else self.detail


class VerificationError(VcError):
    """Untrusted input failed a check; ``problems`` lists every reason found.

    A single failure makes a one-element ``problems`` tuple from its own code,
    detail and ``path``.
    """

    default_code = "PROOF_VERIFICATION_ERROR"

    def __init__(
        self,
        detail: str = "",
        *,
        code: str | None = None,
        path: str = "",
        problems: tuple[Problem, ...] | None = None,
    ) -> None:
        super().__init__(detail, code=code)
        self.path = path
        if problems is None:
            problems = (Problem(self.code or "VERIFICATION_ERROR", detail, path),)
        self.problems: tuple[Problem, ...] = problems


class ParsingError(VerificationError):
    """The input is not the JSON shape the spec requires."""

    default_code = "PARSING_ERROR"


class ProofVerificationError(VerificationError):
    """A signature, purpose, verification method or proof value is not valid."""

    default_code = "PROOF_VERIFICATION_ERROR"


class InvalidChallengeError(VerificationError):
    """The proof's ``challenge`` is missing or differs from the expected one."""

    default_code = "INVALID_CHALLENGE_ERROR"


class InvalidDomainError(VerificationError):
    """The proof's ``domain`` is missing or differs from the expected one."""

    default_code = "INVALID_DOMAIN_ERROR"


class ProofExpiredError(VerificationError):
    """The proof's ``expires`` lies in the past (or ``created`` in the future)."""

    default_code = "PROOF_EXPIRED_ERROR"


class DataLossError(VerificationError):
    """JSON-LD expansion would drop a property, type or value, or leave a relative IRI."""

    default_code = "DATA_LOSS_DETECTION_ERROR"


class JwsError(VerificationError):
    """A compact JWS (proof JWT, request object) is malformed, refused or wrongly signed."""

    default_code = "INVALID_JWS"


class SdJwtError(VerificationError):
    """An SD-JWT or SD-JWT VC is malformed or breaks a rule of RFC 9901 or SD-JWT VC.

    Codes: ``INVALID_SD_JWT`` (serialization, header, payload claims),
    ``INVALID_DISCLOSURE`` (a Disclosure's encoding, shape, claim name or a name
    clash), ``DUPLICATE_DISCLOSURE`` (a digest or Disclosure appears twice),
    ``UNREFERENCED_DISCLOSURE`` (no digest refers to a Disclosure) and
    ``CLAIM_NOT_FOUND`` (a holder was asked for a claim the credential lacks).
    """

    default_code = "INVALID_SD_JWT"


class KeyBindingError(VerificationError):
    """A Key Binding JWT is missing, unexpected, wrongly typed or signed, or not for this SD-JWT.

    A wrong ``nonce`` or ``aud`` raises ``InvalidChallengeError`` or
    ``InvalidDomainError`` instead, and a stale ``iat`` ``ProofExpiredError``,
    the codes a Data Integrity presentation fails with for the same reasons.
    """

    default_code = "INVALID_KEY_BINDING"


class IssuerKeyError(VerificationError):
    """No trusted key could be found for an issuer (``ISSUER_KEY_ERROR``).

    ``UNTRUSTED_ISSUER`` when the issuer is not one the key resolver serves;
    ``ISSUER_KEY_ERROR`` when its JWT VC Issuer Metadata or ``x5c`` chain cannot
    be fetched, is malformed, names another issuer or holds no matching key.
    """

    default_code = "ISSUER_KEY_ERROR"


class StatusListError(VerificationError):
    """A Bitstring Status List or a Token Status List could not be retrieved, verified or read."""

    default_code = "STATUS_VERIFICATION_ERROR"


class CredentialPolicyError(VerificationError):
    """A credential-level rule failed: expired, not yet valid, revoked, untrusted, unbound."""

    default_code = "CREDENTIAL_POLICY_ERROR"


class ProofGenerationError(VcError):
    """A proof could not be created from the given document and options."""

    default_code = "PROOF_GENERATION_ERROR"


class ProofTransformationError(VcError):
    """A document could not be transformed for a cryptosuite (e.g. bad pointers)."""

    default_code = "PROOF_TRANSFORMATION_ERROR"


class DocumentLoadError(VcError):
    """A URL is not bundled, has an unknown scheme, or its resolver failed."""

    default_code = "LOADING_DOCUMENT_FAILED"


class DidResolutionError(VcError):
    """A DID is malformed, uses an unknown key type, or did:web resolution failed."""

    default_code = "DID_RESOLUTION_ERROR"


class FetchError(VcError):
    """An injected Fetch failed (network, status code, size cap, redirect)."""

    default_code = "FETCH_ERROR"


class CanonicalizationLimitError(VcError):
    """RDFC-1.0 exceeded its work bound (a poison graph) or the input is too large."""

    default_code = "CANONICALIZATION_LIMIT_ERROR"


class UnsupportedCryptosuiteError(VcError):
    """The cryptosuite or proof type is not one this library implements or accepts."""

    default_code = "UNSUPPORTED_CRYPTOSUITE_ERROR"
