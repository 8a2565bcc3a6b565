"""Errors of the relying party, on top of the vc_core error tree.

::

    VerificationError (vc_core)           .problems: tuple[Problem, ...]
    ├── UnknownTransactionError           UNKNOWN_TRANSACTION | TRANSACTION_EXPIRED
    ├── TransactionReplayError            TRANSACTION_REPLAY (the state was used already)
    ├── WalletResponseError               WALLET_ERROR_RESPONSE (.error: the wallet's code)
    └── CredentialPolicyError (vc_core)   the codes below
    VcError (vc_core)
    └── PlusFetchError                    PLUS_FETCH_REFUSED (.error, .status, .source: a
                                          source refused a Blauwe Knop Plus fetch)

A presentation that fails raises (or reports) every problem found, each with
one of the codes of vc_core (``PROOF_VERIFICATION_ERROR``, ``INVALID_CHALLENGE_ERROR``,
``STATUS_RETRIEVAL_ERROR``, …) or one of the credential-policy codes defined
here. :func:`error_for` picks the most specific class for a set of problems.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from vc_core.errors import (
    CredentialPolicyError,
    DataLossError,
    InvalidChallengeError,
    InvalidDomainError,
    JwsError,
    ParsingError,
    Problem,
    ProofExpiredError,
    ProofVerificationError,
    StatusListError,
    VcError,
    VerificationError,
)

__all__ = [
    "CLAIMS_NOT_SATISFIED",
    "CREDENTIAL_EXPIRED",
    "CREDENTIAL_NOT_YET_VALID",
    "CREDENTIAL_REVOKED",
    "CREDENTIAL_SETS_NOT_SATISFIED",
    "CREDENTIAL_SUSPENDED",
    "CREDENTIAL_TYPE_MISMATCH",
    "HOLDER_BINDING_ERROR",
    "ISSUER_NOT_ALLOWED_FOR_TYPE",
    "PLUS_GRANT_ERROR",
    "PLUS_NOT_FOR_THIS_RECIPIENT",
    "UNTRUSTED_ISSUER",
    "PlusFetchError",
    "TransactionReplayError",
    "UnknownTransactionError",
    "WalletResponseError",
    "error_for",
]

UNTRUSTED_ISSUER = "UNTRUSTED_ISSUER"
"""The issuer is not in the trusted-issuer registry at all."""
ISSUER_NOT_ALLOWED_FOR_TYPE = "ISSUER_NOT_ALLOWED_FOR_TYPE"
"""The issuer is trusted, but not for (one of) the credential's types."""
CREDENTIAL_REVOKED = "CREDENTIAL_REVOKED"
"""A ``revocation`` status entry is set."""
CREDENTIAL_SUSPENDED = "CREDENTIAL_SUSPENDED"
"""A ``suspension`` status entry is set."""
CREDENTIAL_EXPIRED = "CREDENTIAL_EXPIRED"
"""``validUntil`` has passed (code shared with ``vc_core.vcdm``)."""
CREDENTIAL_NOT_YET_VALID = "CREDENTIAL_NOT_YET_VALID"
"""``validFrom`` lies in the future (code shared with ``vc_core.vcdm``)."""
HOLDER_BINDING_ERROR = "HOLDER_BINDING_ERROR"
"""``credentialSubject.id`` is not the DID that signed the presentation."""
CREDENTIAL_TYPE_MISMATCH = "CREDENTIAL_TYPE_MISMATCH"
"""A presented credential matches none of the query's ``type_values``."""
CLAIMS_NOT_SATISFIED = "CLAIMS_NOT_SATISFIED"
"""A presented credential lacks claims the query (or every claim set) requires."""
CREDENTIAL_SETS_NOT_SATISFIED = "CREDENTIAL_SETS_NOT_SATISFIED"
"""The verified presentations do not cover a required credential set (or query)."""
PLUS_GRANT_ERROR = "PLUS_GRANT_ERROR"
"""A Plus consent grant is malformed, not signed by its sources, or for someone else."""
PLUS_NOT_FOR_THIS_RECIPIENT = "PLUS_NOT_FOR_THIS_RECIPIENT"
"""A Plus copy is addressed to another recipient (``ontvanger``) or under another grant."""


class UnknownTransactionError(VerificationError):
    """No live transaction has this ``state`` (or request id): unknown or expired."""

    default_code = "UNKNOWN_TRANSACTION"


class TransactionReplayError(VerificationError):
    """The transaction's ``state`` was answered before; a response is accepted once."""

    default_code = "TRANSACTION_REPLAY"


class WalletResponseError(VerificationError):
    """The wallet answered with an error (``access_denied``, …) instead of a presentation.

    ``error`` is the wallet's OAuth error code, ``error_description`` its text.
    """

    default_code = "WALLET_ERROR_RESPONSE"

    def __init__(self, error: str, error_description: str = "") -> None:
        detail = f"the wallet answered {error}" + (
            f": {error_description}" if error_description else ""
        )
        super().__init__(detail)
        self.error = error
        self.error_description = error_description


class PlusFetchError(VcError):
    """A source refused a Blauwe Knop Plus fetch, or answered with something unusable.

    ``error`` and ``error_description`` are the source's OAuth error, ``status``
    its HTTP status, ``source`` its URL.
    """

    default_code = "PLUS_FETCH_REFUSED"

    def __init__(
        self,
        detail: str = "",
        *,
        error: str | None = None,
        error_description: str = "",
        status: int | None = None,
        source: str | None = None,
    ) -> None:
        super().__init__(detail)
        self.error = error
        self.error_description = error_description
        self.status = status
        self.source = source


_POLICY_CODES = frozenset(
    {
        UNTRUSTED_ISSUER,
        ISSUER_NOT_ALLOWED_FOR_TYPE,
        CREDENTIAL_REVOKED,
        CREDENTIAL_SUSPENDED,
        CREDENTIAL_EXPIRED,
        CREDENTIAL_NOT_YET_VALID,
        HOLDER_BINDING_ERROR,
        CREDENTIAL_TYPE_MISMATCH,
        CLAIMS_NOT_SATISFIED,
        CREDENTIAL_SETS_NOT_SATISFIED,
        PLUS_GRANT_ERROR,
        PLUS_NOT_FOR_THIS_RECIPIENT,
    }
)
_CLASSES: Mapping[str, type[VerificationError]] = {
    "PARSING_ERROR": ParsingError,
    "PROOF_VERIFICATION_ERROR": ProofVerificationError,
    "INVALID_CHALLENGE_ERROR": InvalidChallengeError,
    "INVALID_DOMAIN_ERROR": InvalidDomainError,
    "PROOF_EXPIRED_ERROR": ProofExpiredError,
    "DATA_LOSS_DETECTION_ERROR": DataLossError,
    "INVALID_JWS": JwsError,
    "STATUS_RETRIEVAL_ERROR": StatusListError,
    "STATUS_VERIFICATION_ERROR": StatusListError,
    "STATUS_LIST_LENGTH_ERROR": StatusListError,
    "RANGE_ERROR": StatusListError,
    **dict.fromkeys(_POLICY_CODES, CredentialPolicyError),
}


def error_for(problems: Sequence[Problem]) -> VerificationError:
    """Return the error to raise for ``problems`` (at least one), carrying all of them.

    When every problem has the same code the error is that code's class
    (``CredentialPolicyError`` for ``CREDENTIAL_REVOKED``, ``InvalidChallengeError``
    for ``INVALID_CHALLENGE_ERROR``, …); otherwise a plain ``VerificationError``.
    Its ``code`` is the first problem's code.
    """
    if not problems:
        raise ValueError("error_for needs at least one problem")
    codes = {problem.code for problem in problems}
    first = problems[0].code
    error_class = _CLASSES.get(first, VerificationError) if len(codes) == 1 else VerificationError
    detail = "; ".join(
        f"{problem.path}: {problem.code}: {problem.detail}"
        if problem.path
        else f"{problem.code}: {problem.detail}"
        for problem in problems
    )
    return error_class(detail, code=first, problems=tuple(problems))
