"""The trusted-issuer registry: which issuer DID may issue which credential types.

A landlord trusts the tax office for income statements, not for diplomas.
The registry maps each issuer DID to the credential types it may issue.
Types are given as compact names of the credentials v2 and nl-vc contexts
(``InkomensverklaringCredential``) or as full IRIs; both are compared as
expanded IRIs, so a credential cannot slip through by spelling a type
differently.

A registry file is a JSON object::

    {"did:web:issuer.example.nl:belastingdienst": ["InkomensverklaringCredential"],
     "did:web:issuer.example.nl:duo": ["DiplomaCredential"]}

The type list ``["*"]`` (:data:`ANY_TYPE`) trusts an issuer for every type:
for tools that check where a credential comes from, not what it may be used
for (``blauwe-knop pdf verify`` trusts each sealing organisation so).
"""

from __future__ import annotations

import json
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from os import PathLike
from pathlib import Path
from types import MappingProxyType

from vc_core.errors import Problem
from vc_verifier._vocab import expand_term
from vc_verifier.errors import ISSUER_NOT_ALLOWED_FOR_TYPE, UNTRUSTED_ISSUER

__all__ = ["ANY_TYPE", "TrustDecision", "TrustedIssuers"]

ANY_TYPE = "*"
"""As the only type of an issuer: it is trusted for every credential type."""
_BASE_TYPE = "https://www.w3.org/2018/credentials#VerifiableCredential"


@dataclass(frozen=True, slots=True)
class TrustDecision:
    """Whether an issuer may issue a credential with these types, and if not, why.

    ``known`` is false for an issuer missing from the registry;
    ``not_allowed`` lists the expanded type IRIs the issuer may not issue.
    """

    known: bool
    not_allowed: tuple[str, ...]

    @property
    def trusted(self) -> bool:
        """True when the issuer is known and allowed every type."""
        return self.known and not self.not_allowed

    def problems(self, issuer: str, *, issuer_path: str, type_path: str) -> tuple[Problem, ...]:
        """Why ``issuer`` is not trusted for this credential (``UNTRUSTED_ISSUER`` or
        ``ISSUER_NOT_ALLOWED_FOR_TYPE`` at the given paths); empty when it is."""
        if not self.known:
            return (Problem(UNTRUSTED_ISSUER, f"{issuer} is not trusted", issuer_path),)
        if self.not_allowed:
            detail = f"{issuer} is not trusted to issue {list(self.not_allowed)}"
            return (Problem(ISSUER_NOT_ALLOWED_FOR_TYPE, detail, type_path),)
        return ()


class TrustedIssuers:
    """Issuer DID → the credential types (expanded IRIs) it is trusted to issue.

    >>> trust = TrustedIssuers({"did:web:issuer.example.nl:belastingdienst":
    ...                         ["InkomensverklaringCredential"]})
    >>> "did:web:issuer.example.nl:belastingdienst" in trust
    True
    >>> trust.issuers
    ('did:web:issuer.example.nl:belastingdienst',)
    """

    __slots__ = ("_allowed",)

    def __init__(self, allowed: Mapping[str, Collection[str]] | None = None) -> None:
        if allowed is not None and not isinstance(allowed, Mapping):
            raise TypeError("trusted issuers must be a mapping of issuer DID to credential types")
        entries: dict[str, frozenset[str]] = {}
        for issuer, types in (allowed or {}).items():
            if not isinstance(issuer, str) or ":" not in issuer:
                raise ValueError(f"trusted issuer {issuer!r} is not a DID or URL")
            if isinstance(types, str) or not all(isinstance(t, str) and t for t in types):
                raise ValueError(f"the types of {issuer} must be a list of type names")
            if ANY_TYPE in types and len(types) != 1:
                raise ValueError(f'"{ANY_TYPE}" must be the only type of {issuer}')
            entries[issuer] = frozenset(
                ANY_TYPE if name == ANY_TYPE else expand_term(name) for name in types
            )
        self._allowed: Mapping[str, frozenset[str]] = MappingProxyType(entries)

    @classmethod
    def load(cls, path: str | PathLike[str]) -> TrustedIssuers:
        """Read a registry file (a JSON object of issuer DID → list of type names).

        Raises ``ValueError`` when the file is not such an object and
        ``OSError`` when it cannot be read: the file is configuration, not
        untrusted input.
        """
        try:
            data = json.loads(Path(path).read_text(encoding="utf-8"))
        except json.JSONDecodeError as exc:
            raise ValueError(f"{path} is not JSON: {exc}") from exc
        if not isinstance(data, dict):
            raise ValueError(f"{path} must hold a JSON object of issuer DID -> types")
        return cls(data)

    def __contains__(self, issuer: object) -> bool:
        return issuer in self._allowed

    def __repr__(self) -> str:
        return f"TrustedIssuers({dict(self._allowed)!r})"

    @property
    def issuers(self) -> tuple[str, ...]:
        """The issuer DIDs in the registry, sorted."""
        return tuple(sorted(self._allowed))

    def allowed_types(self, issuer: str) -> frozenset[str]:
        """The expanded type IRIs ``issuer`` may issue (empty when unknown)."""
        return self._allowed.get(issuer, frozenset())

    def decide(self, issuer: str, type_iris: Collection[str]) -> TrustDecision:
        """Decide whether ``issuer`` may issue a credential whose types are ``type_iris``.

        ``VerifiableCredential`` itself needs no entry; every other type must
        be allowed, and a credential with no other type is not allowed.
        """
        if issuer not in self._allowed:
            return TrustDecision(known=False, not_allowed=())
        specific = set(type_iris) - {_BASE_TYPE}
        allowed = self._allowed[issuer]
        if ANY_TYPE in allowed:
            return TrustDecision(known=True, not_allowed=())
        refused = sorted(specific - allowed) if specific else [_BASE_TYPE]
        return TrustDecision(known=True, not_allowed=tuple(refused))
