"""What a consent grant covers: per source, one credential type and some of its claims.

A grant's scope is an ``authorization_details`` array (RFC 9396, the
OpenID4VCI ``openid_credential`` type), one entry per source::

    {"type": "openid_credential",
     "locations": ["https://issuer.example.nl/belastingdienst"],
     "credential_configuration_id": "InkomensverklaringCredential_ldp_vc",
     "claims": [{"path": ["credentialSubject", "belastingjaar"]},
                {"path": ["credentialSubject", "inkomenstoets"]}]}

A claims path is a DCQL claims path pointer rooted at the credential; here
it always starts at ``credentialSubject`` and names object members only.
Granting a path grants everything below it (``adres`` covers
``adres/woonplaats``). Objects on the way keep their ``type``.

>>> item = ScopeItem("brp", "https://issuer.example.nl/brp", "PersoonsgegevensCredential_ldp_vc",
...                  (("credentialSubject", "adres", "woonplaats"),))
>>> select_claims({"type": "Ingezetene", "geslachtsnaam": "Vries",
...                "adres": {"type": "Adres", "straat": "Oudegracht", "woonplaats": "Utrecht"}},
...               item.claims)
{'type': 'Ingezetene', 'adres': {'type': 'Adres', 'woonplaats': 'Utrecht'}}
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from vc_core.types import JsonObject
from vc_issuer.errors import InvalidScope

__all__ = [
    "DETAILS_TYPE",
    "ClaimPath",
    "ScopeItem",
    "covers",
    "parse_authorization_details",
    "parse_claim_paths",
    "scope_item",
    "select_claims",
]

DETAILS_TYPE = "openid_credential"
"""The ``type`` of every ``authorization_details`` entry of a grant."""
ClaimPath = tuple[str, ...]
_SUBJECT = "credentialSubject"
_MAX_ITEMS = 10
_MAX_CLAIMS = 50
_MAX_DEPTH = 6


@dataclass(frozen=True, slots=True)
class ScopeItem:
    """One source's part of a grant: its name and URL, the configuration, the claims paths."""

    source: str
    location: str
    configuration_id: str
    claims: tuple[ClaimPath, ...]

    def to_json(self) -> JsonObject:
        """The ``authorization_details`` entry."""
        return {
            "type": DETAILS_TYPE,
            "locations": [self.location],
            "credential_configuration_id": self.configuration_id,
            "claims": [{"path": list(path)} for path in self.claims],
        }

    def pointers(self) -> list[str]:
        """The claims as JSON Pointers into the credential (for logs and displays)."""
        return ["/" + "/".join(path) for path in self.claims]


def scope_item(location: str, configuration_id: str, claims: Iterable[str]) -> JsonObject:
    """An ``authorization_details`` entry for one source (what a consent page builds).

    ``claims`` are names under ``credentialSubject``; ``/`` goes deeper
    (``adres/woonplaats``).

    >>> scope_item("https://issuer.example.nl/brp", "PersoonsgegevensCredential_ldp_vc",
    ...            ["adres/woonplaats"])["claims"]
    [{'path': ['credentialSubject', 'adres', 'woonplaats']}]
    """
    return {
        "type": DETAILS_TYPE,
        "locations": [location],
        "credential_configuration_id": configuration_id,
        "claims": [{"path": [_SUBJECT, *claim.split("/")]} for claim in claims],
    }


def parse_claim_paths(value: object, *, what: str = "claims") -> tuple[ClaimPath, ...]:
    """Read ``[{"path": ["credentialSubject", …]}, …]``; ``InvalidScope`` if malformed."""
    if not isinstance(value, list) or not value or len(value) > _MAX_CLAIMS:
        raise InvalidScope(f"{what} must be a list of 1 to {_MAX_CLAIMS} claims")
    paths: list[ClaimPath] = []
    for claim in value:
        path = claim.get("path") if isinstance(claim, dict) else None
        if (
            not isinstance(path, list)
            or not 2 <= len(path) <= _MAX_DEPTH
            or path[0] != _SUBJECT
            or not all(isinstance(name, str) and name and name != "id" for name in path)
        ):
            raise InvalidScope(
                f"every claim in {what} is {{path: [credentialSubject, name, ...]}} "
                "with member names only (not id)"
            )
        if tuple(path) not in paths:
            paths.append(tuple(path))
    return tuple(paths)


def parse_authorization_details(
    value: object, *, locations: Mapping[str, str], configurations: Mapping[str, Iterable[str]]
) -> tuple[ScopeItem, ...]:
    """Read a grant's ``authorization_details``; ``InvalidScope`` unless well-formed and known.

    ``locations`` maps each source's URL to its name, ``configurations`` each
    source name to its credential configuration ids. At most one entry per source.
    """
    if not isinstance(value, list) or not value or len(value) > _MAX_ITEMS:
        raise InvalidScope(f"authorization_details must be a list of 1 to {_MAX_ITEMS} entries")
    items: list[ScopeItem] = []
    for entry in value:
        if not isinstance(entry, dict) or entry.get("type") != DETAILS_TYPE:
            raise InvalidScope(f"every authorization_details entry has type {DETAILS_TYPE}")
        where = entry.get("locations")
        if not isinstance(where, list) or len(where) != 1 or where[0] not in locations:
            raise InvalidScope("every entry names exactly one location: a source of this service")
        source = locations[where[0]]
        configuration_id = entry.get("credential_configuration_id")
        if configuration_id not in set(configurations.get(source, ())):
            raise InvalidScope(f"{source} has no credential configuration {configuration_id!r}")
        if any(item.source == source for item in items):
            raise InvalidScope(f"{source} appears twice; give one entry per source")
        claims = parse_claim_paths(entry.get("claims"), what=f"the claims for {source}")
        items.append(ScopeItem(source, where[0], str(configuration_id), claims))
    return tuple(items)


def covers(allowed: Iterable[Sequence[str]], path: Sequence[str]) -> bool:
    """Whether some allowed path is ``path`` or lies above it."""
    return any(tuple(path[: len(granted)]) == tuple(granted) for granted in allowed)


def select_claims(subject: Mapping[str, Any], paths: Iterable[ClaimPath]) -> JsonObject:
    """The part of a ``credentialSubject`` (without ``id``) that ``paths`` select."""
    selected: JsonObject = {"type": subject["type"]} if "type" in subject else {}
    for path in paths:
        source: Any = subject
        target = selected
        names = path[1:]
        for depth, name in enumerate(names):
            if not isinstance(source, Mapping) or name not in source:
                break
            value = source[name]
            if depth == len(names) - 1:
                target[name] = copy.deepcopy(value)
            elif isinstance(value, Mapping):
                target = target.setdefault(name, {"type": value["type"]} if "type" in value else {})
                source = value
            else:
                break
    return selected
