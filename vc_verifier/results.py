"""What verification hands back: the only way to reach disclosed claims.

Everything here is built by the verifier after every check passed (or, for
reports and outcomes, records why not). Claims of a presentation that did
not verify are never put into any of these objects.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

from vc_core.errors import Problem
from vc_core.formats import LDP_VC
from vc_core.status import StatusResult, TokenStatusResult
from vc_core.types import JsonObject
from vc_verifier.errors import WalletResponseError, error_for

__all__ = [
    "OutcomeStatus",
    "PresentationOutcome",
    "PresentationReport",
    "Presentations",
    "VerifiedCredential",
    "VerifiedPresentation",
    "select_path",
    "verified_presentations",
]

OutcomeStatus = Literal["verified", "rejected", "wallet_error"]


def select_path(value: Any, path: Sequence[str | int | None]) -> list[Any]:
    """The values a DCQL claims path selects in ``value`` (empty when none).

    A string selects an object member, an integer an array element, ``None``
    every element of an array.
    """
    selected = [value]
    for step in path:
        following: list[Any] = []
        for item in selected:
            if isinstance(step, str):
                if isinstance(item, Mapping) and step in item:
                    following.append(item[step])
            elif not isinstance(item, list):
                continue
            elif step is None:
                following.extend(item)
            elif 0 <= step < len(item):
                following.append(item[step])
        selected = following
    return selected


@dataclass(frozen=True, slots=True)
class VerifiedCredential:
    """One credential of a verified presentation, with the claims its holder disclosed.

    The same value whichever format arrived (``format``: ``ldp_vc`` or
    ``dc+sd-jwt``). ``document`` is the disclosed credential without its proof
    (a private copy; an SD-JWT VC's processed payload) and ``claims`` the
    claims about the subject: its ``credentialSubject``, or an SD-JWT VC's
    claims without ``iss``, ``vct``, ``cnf``, ``status`` and the times.
    ``types`` are the compact ``type`` values (``vct`` and ``aka_vcts``) and
    ``type_iris`` their expanded IRIs (the same for SD-JWT VC). ``status``
    holds one result per status entry (all valid, or the credential would not
    be here): Bitstring Status List results or a Token Status List result;
    ``status_unverified`` is true only when the verifier runs fail-open and a
    status list could not be retrieved (then ``status`` is empty).
    ``cryptosuite`` is the Data Integrity suite, or the SD-JWT's JWS ``alg``.
    """

    issuer: str
    types: tuple[str, ...]
    type_iris: frozenset[str]
    document: JsonObject = field(repr=False)
    valid_from: datetime | None
    valid_until: datetime | None
    status: tuple[StatusResult | TokenStatusResult, ...]
    cryptosuite: str
    status_unverified: bool = False
    id: str | None = None
    format: str = LDP_VC
    subject_claims: JsonObject | None = field(default=None, repr=False)

    @property
    def claims(self) -> JsonObject:
        """The disclosed claims about the subject (a W3C credential's one ``credentialSubject``)."""
        if self.subject_claims is not None:
            return self.subject_claims
        subject: JsonObject = self.document["credentialSubject"]
        return subject

    def claim(self, *path: str | int) -> Any:
        """Return the disclosed value at ``path`` among the subject's claims, or ``None``.

        >>> from datetime import UTC, datetime
        >>> subject = {"verzamelinkomen": {"value": "41250.00"}}
        >>> vc = VerifiedCredential("did:key:z", ("VerifiableCredential",), frozenset(),
        ...     {"credentialSubject": subject}, None, None, (), "ecdsa-sd-2023")
        >>> vc.claim("verzamelinkomen", "value"), vc.claim("inkomensklasse")
        ('41250.00', None)
        """
        selected = select_path(self.claims, path)
        return copy.deepcopy(selected[0]) if selected else None


@dataclass(frozen=True, slots=True)
class VerifiedPresentation:
    """A presentation whose every check passed: its holder and its verified credentials."""

    holder: str
    credentials: tuple[VerifiedCredential, ...]
    verified_at: datetime

    def credentials_of_type(self, *type_iris: str) -> tuple[VerifiedCredential, ...]:
        """The credentials whose expanded types (or ``vct``) include one of ``type_iris``."""
        return tuple(vc for vc in self.credentials if vc.type_iris & set(type_iris))


@dataclass(frozen=True, slots=True)
class PresentationReport:
    """The result of ``check_presentation``: every problem, and the presentation if none.

    ``presentation`` is ``None`` unless ``verified``.
    """

    verified: bool
    problems: tuple[Problem, ...]
    presentation: VerifiedPresentation | None = None

    @property
    def codes(self) -> tuple[str, ...]:
        """The problem codes, in order."""
        return tuple(problem.code for problem in self.problems)


@dataclass(frozen=True, slots=True)
class PresentationOutcome:
    """What came of one OpenID4VP transaction's ``direct_post`` response.

    ``status`` is ``verified`` (every presentation verified and the query is
    satisfied; ``presentations`` maps each answered credential query id to
    its presentations), ``rejected`` (``problems`` says why; no presentations
    are handed out) or ``wallet_error`` (the wallet declined; ``wallet_error``
    says how).
    """

    transaction_id: str
    status: OutcomeStatus
    presentations: Mapping[str, tuple[VerifiedPresentation, ...]] = field(default_factory=dict)
    problems: tuple[Problem, ...] = ()
    wallet_error: str | None = None
    wallet_error_description: str | None = None
    completed_at: datetime | None = None

    @property
    def verified(self) -> bool:
        """True when the response verified and satisfied the query."""
        return self.status == "verified"

    @property
    def all_presentations(self) -> tuple[VerifiedPresentation, ...]:
        """Every verified presentation, in query order."""
        return tuple(vp for group in self.presentations.values() for vp in group)

    def raise_for_problems(self) -> PresentationOutcome:
        """Return ``self`` when verified; else raise the typed error with every problem.

        A rejected response raises the ``VerificationError`` subclass its
        problems call for (see ``vc_verifier.errors.error_for``); a wallet
        error raises ``WalletResponseError``.
        """
        if self.status == "wallet_error":
            raise WalletResponseError(
                self.wallet_error or "unknown_error", self.wallet_error_description or ""
            )
        if self.status == "rejected":
            raise error_for(self.problems)
        return self


Presentations = (
    VerifiedPresentation
    | PresentationOutcome
    | Sequence[VerifiedPresentation | PresentationOutcome]
)
"""What the policy and the record accept: presentations, outcomes, or a list of them."""


def verified_presentations(items: Presentations) -> tuple[VerifiedPresentation, ...]:
    """Flatten presentations and verified outcomes into the verified presentations.

    An outcome that did not verify contributes nothing.
    """
    listed = items if isinstance(items, Sequence) else [items]
    found: list[VerifiedPresentation] = []
    for item in listed:
        if isinstance(item, PresentationOutcome):
            found.extend(item.all_presentations if item.verified else ())
        elif isinstance(item, VerifiedPresentation):
            found.append(item)
        else:
            raise TypeError(f"expected verified presentations or outcomes, got {type(item)}")
    return tuple(found)
