"""DCQL (OpenID4VP 1.0): parse a query and match it against the wallet's credentials.

A credential query names a format of the registry (``vc_core.formats``):
``ldp_vc`` with ``meta.type_values`` (the credential's types compared as
expanded IRIs) or ``dc+sd-jwt`` with ``meta.vct_values``. A match resolves each
requested claim path on the credential with everything disclosed into the
concrete paths (and JSON Pointers) to disclose (docs/protocols.md, "DCQL"), so
a presentation reveals exactly the requested claims plus what the issuer
always discloses. Queries are plain JSON, never JSON-LD-processed.

The wallet refuses (``PresentationRequestError``, ``invalid_request``, code
``UNDISCLOSABLE_CLAIM``) a query whose claim path reaches into ``proof`` or
``@context``: the base proof holds the secrets that make every other claim
disclosable, and no verifier is entitled to it.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from vc_core.formats import claim_pointer, credential_format
from vc_core.loader import bundled_contexts
from vc_core.types import JsonObject
from wallet_sdk.errors import NoMatchingCredentialError, PresentationRequestError
from wallet_sdk.records import StoredCredential

__all__ = [
    "Candidate",
    "ClaimPath",
    "ClaimsQuery",
    "CredentialQuery",
    "CredentialSetQuery",
    "DcqlQuery",
    "choose_queries",
    "claim_paths",
    "claim_pointers",
    "expand_types",
    "match_credential",
    "match_query",
    "parse_dcql_query",
]

ClaimPath = tuple[str | int | None, ...]
ClaimValue = str | int | bool

_ID = re.compile(r"[A-Za-z0-9_-]+")
_REFUSED_ROOTS = frozenset({"proof", "@context"})
_MAX_ITEMS = 64
_MAX_PATH = 16


def _invalid(detail: str, *, code: str | None = None) -> PresentationRequestError:
    return PresentationRequestError(f"dcql_query: {detail}", code=code)


@dataclass(frozen=True, slots=True)
class ClaimsQuery:
    """One requested claim: a path into the credential and optional expected values."""

    id: str | None
    path: ClaimPath
    values: tuple[ClaimValue, ...] | None


@dataclass(frozen=True, slots=True)
class CredentialQuery:
    """One Credential Query: which credential, which claims, in which combinations.

    ``type_values`` are the alternatives of the format's type member: sets of
    type IRIs that must all be present (``type_values``), or one ``vct`` each
    (``vct_values``).
    """

    id: str
    format: str
    type_values: tuple[frozenset[str], ...]
    multiple: bool
    require_cryptographic_holder_binding: bool
    claims: tuple[ClaimsQuery, ...] | None
    claim_sets: tuple[tuple[str, ...], ...] | None


@dataclass(frozen=True, slots=True)
class CredentialSetQuery:
    """Alternatives of credential query ids; ``required`` sets must be met."""

    options: tuple[tuple[str, ...], ...]
    required: bool


@dataclass(frozen=True, slots=True)
class DcqlQuery:
    """A parsed DCQL query."""

    credentials: tuple[CredentialQuery, ...]
    credential_sets: tuple[CredentialSetQuery, ...] | None

    def query(self, query_id: str) -> CredentialQuery:
        """The credential query with ``query_id``; ``KeyError`` when there is none."""
        for query in self.credentials:
            if query.id == query_id:
                return query
        raise KeyError(query_id)


@dataclass(frozen=True, slots=True)
class Candidate:
    """A stored credential that satisfies a credential query, and what it would disclose.

    ``pointers`` are the JSON Pointers of the requested claims (the issuer's
    always-disclosed claims travel too) and ``paths`` the same claims as
    concrete claims paths; ``claims`` maps each pointer to the value it would
    reveal, for the consent screen.
    """

    query_id: str
    credential_id: str
    pointers: tuple[str, ...]
    claims: Mapping[str, Any]
    paths: tuple[tuple[str | int, ...], ...] = ()


def _list(value: object, what: str) -> list[Any]:
    if not isinstance(value, list) or not value or len(value) > _MAX_ITEMS:
        raise _invalid(f"{what} must be a non-empty array (at most {_MAX_ITEMS} items)")
    return value


def _id_list(value: object, what: str) -> tuple[str, ...]:
    items = _list(value, what)
    if not all(isinstance(item, str) for item in items):
        raise _invalid(f"{what} must list string ids")
    return tuple(items)


def _bool(value: Mapping[str, Any], name: str, default: bool) -> bool:
    found = value.get(name, default)
    if not isinstance(found, bool):
        raise _invalid(f"{name} must be a boolean")
    return found


def _parse_path(value: object) -> ClaimPath:
    items = _list(value, "a claims path")
    if len(items) > _MAX_PATH:
        raise _invalid(f"a claims path has at most {_MAX_PATH} elements")
    for item in items:
        valid_index = isinstance(item, int) and not isinstance(item, bool) and item >= 0
        if not (item is None or isinstance(item, str) or valid_index):
            raise _invalid(f"claims path element {item!r} is not a string, index or null")
    if items[0] in _REFUSED_ROOTS:
        raise _invalid(
            f"the claim {items!r} is never disclosed (proofs and contexts are not claims)",
            code="UNDISCLOSABLE_CLAIM",
        )
    return tuple(items)


def _parse_claim(value: object, *, needs_id: bool) -> ClaimsQuery:
    if not isinstance(value, Mapping):
        raise _invalid("a claims query must be an object")
    claim_id = value.get("id")
    if claim_id is None and needs_id:
        raise _invalid("claims need an id when claim_sets is present")
    if claim_id is not None and (not isinstance(claim_id, str) or not _ID.fullmatch(claim_id)):
        raise _invalid(f"claim id {claim_id!r} is not [A-Za-z0-9_-]+")
    values: tuple[ClaimValue, ...] | None = None
    if "values" in value:
        found = _list(value["values"], "values")
        if not all(isinstance(v, str | int | bool) for v in found):
            raise _invalid("values must be strings, integers or booleans")
        values = tuple(found)
    return ClaimsQuery(claim_id, _parse_path(value.get("path")), values)


def _parse_type_values(meta: object, member: str) -> tuple[frozenset[str], ...]:
    """The type alternatives of ``meta``: ``type_values`` (arrays of IRIs) or ``vct_values``."""
    if not isinstance(meta, Mapping):
        raise _invalid("meta must be an object")
    alternatives = _list(meta.get(member), f"meta.{member}")
    result: list[frozenset[str]] = []
    for alternative in alternatives:
        items = [alternative] if member == "vct_values" else _list(alternative, f"a {member} entry")
        if not all(isinstance(item, str) and item for item in items):
            raise _invalid(f"{member} must hold non-empty strings")
        result.append(frozenset(items))
    return tuple(result)


def _parse_credential_query(value: object) -> CredentialQuery:
    if not isinstance(value, Mapping):
        raise _invalid("a credential query must be an object")
    query_id, query_format = value.get("id"), value.get("format")
    if not isinstance(query_id, str) or not _ID.fullmatch(query_id):
        raise _invalid(f"credential query id {query_id!r} is not [A-Za-z0-9_-]+")
    if not isinstance(query_format, str) or not query_format:
        raise _invalid(f"credential query {query_id} needs a format")
    if "meta" not in value:
        raise _invalid(f"credential query {query_id} needs meta")
    # Implementation note: formats outside the registry carry other meta; they never match.
    entry = credential_format(query_format)
    type_values = () if entry is None else _parse_type_values(value["meta"], entry.types_member)
    claim_sets: tuple[tuple[str, ...], ...] | None = None
    claims: tuple[ClaimsQuery, ...] | None = None
    if "claims" in value:
        claims = tuple(
            _parse_claim(item, needs_id="claim_sets" in value)
            for item in _list(value["claims"], "claims")
        )
        ids = [claim.id for claim in claims if claim.id is not None]
        if len(set(ids)) != len(ids):
            raise _invalid(f"claim ids repeat in credential query {query_id}")
    if "claim_sets" in value:
        if claims is None:
            raise _invalid("claim_sets needs claims")
        known = {claim.id for claim in claims}
        claim_sets = tuple(
            _id_list(option, "a claim_sets option")
            for option in _list(value["claim_sets"], "claim_sets")
        )
        if not all(item in known for option in claim_sets for item in option):
            raise _invalid("claim_sets names an unknown claim id")
    return CredentialQuery(
        id=query_id,
        format=query_format,
        type_values=type_values,
        multiple=_bool(value, "multiple", False),
        require_cryptographic_holder_binding=_bool(
            value, "require_cryptographic_holder_binding", True
        ),
        claims=claims,
        claim_sets=claim_sets,
    )


def parse_dcql_query(value: object) -> DcqlQuery:
    """Validate an untrusted DCQL query object.

    Spec: openid-4-verifiable-presentations-1_0#name-digital-credentials-query-l
    """
    if not isinstance(value, Mapping):
        raise _invalid("must be a JSON object")
    # Step 1: credentials, a non-empty array of Credential Queries with unique ids.
    credentials = tuple(
        _parse_credential_query(item) for item in _list(value.get("credentials"), "credentials")
    )
    ids = [query.id for query in credentials]
    if len(set(ids)) != len(ids):
        raise _invalid("credential query ids repeat")
    # Step 2: credential_sets (optional): options of known query ids, required by default.
    credential_sets: tuple[CredentialSetQuery, ...] | None = None
    if "credential_sets" in value:
        sets: list[CredentialSetQuery] = []
        for item in _list(value["credential_sets"], "credential_sets"):
            if not isinstance(item, Mapping):
                raise _invalid("a credential set query must be an object")
            options = tuple(
                _id_list(option, "a credential set option")
                for option in _list(item.get("options"), "options")
            )
            if not all(query_id in ids for option in options for query_id in option):
                raise _invalid("a credential set names an unknown credential query id")
            sets.append(CredentialSetQuery(options, _bool(item, "required", True)))
        credential_sets = tuple(sets)
    return DcqlQuery(credentials, credential_sets)


def _same_value(found: object, wanted: ClaimValue) -> bool:
    """Type-strict equality (``True`` is not ``1``)."""
    return type(found) is type(wanted) and found == wanted


def _holds(value: Any, step: str | int) -> bool:
    """Whether ``value`` has the object member or array element ``step``."""
    if isinstance(step, str):
        return isinstance(value, dict) and step in value
    return isinstance(value, list) and step < len(value)


def claim_paths(
    credential: JsonObject, path: ClaimPath, values: Sequence[ClaimValue] | None = None
) -> list[tuple[tuple[str | int, ...], Any]]:
    """Resolve a claims path on a credential: the concrete paths it reaches, with their values.

    A string selects an object member, an integer an array element, ``null``
    every element. With ``values`` only matching leaves count. An empty
    result means the claim cannot be satisfied.

    Spec: openid-4-verifiable-presentations-1_0#name-claims-path-pointer
    """
    reached: list[tuple[tuple[str | int, ...], Any]] = [((), credential)]
    for element in path:
        step: list[tuple[tuple[str | int, ...], Any]] = []
        for found, value in reached:
            if element is None:
                if isinstance(value, list):
                    step.extend(((*found, index), item) for index, item in enumerate(value))
            elif _holds(value, element):
                step.append(((*found, element), value[element]))
        reached = step
    if values is not None:
        reached = [(p, v) for p, v in reached if any(_same_value(v, w) for w in values)]
    return reached


def claim_pointers(
    credential: JsonObject, path: ClaimPath, values: Sequence[ClaimValue] | None = None
) -> list[tuple[str, Any]]:
    """:func:`claim_paths` as JSON Pointers (``~`` and ``/`` escaped).

    Spec: openid-4-verifiable-presentations-1_0#name-semantics-for-w3c-verifiabl
    """
    return [(claim_pointer(found), value) for found, value in claim_paths(credential, path, values)]


def _claims_for(
    query: CredentialQuery, credential: JsonObject
) -> list[tuple[tuple[str | int, ...], Any]] | None:
    """The claims to disclose for ``query``, or ``None`` when the credential cannot satisfy it."""
    if query.claims is None:
        return []
    found = {
        index: claim_paths(credential, claim.path, claim.values)
        for index, claim in enumerate(query.claims)
    }
    if query.claim_sets is None:
        if not all(found.values()):
            return None
        return [pair for pairs in found.values() for pair in pairs]
    by_id = {claim.id: index for index, claim in enumerate(query.claims)}
    for option in query.claim_sets:
        if all(found[by_id[claim_id]] for claim_id in option):
            return [pair for claim_id in option for pair in found[by_id[claim_id]]]
    return None


def match_credential(query: CredentialQuery, stored: StoredCredential) -> Candidate | None:
    """Return what ``stored`` would disclose for ``query``, or ``None`` if it does not match.

    Spec: openid-4-verifiable-presentations-1_0#name-selecting-claims-and-creden
    """
    # Step 1: format and type: all types of one type_values alternative are present.
    entry = credential_format(query.format)
    if entry is None or entry is not credential_format(stored.format):
        return None
    if not any(alternative <= stored.expanded_types for alternative in query.type_values):
        return None
    # Step 2: claims: all of them, or the first claim_sets option that can be met.
    claims = _claims_for(query, stored.credential)
    if claims is None:
        return None
    # Implementation note: one claim once, in the order requested.
    unique = dict(claims)
    pointers = {claim_pointer(path): value for path, value in unique.items()}
    return Candidate(query.id, stored.id, tuple(pointers), pointers, tuple(unique))


def _least_used_per_batch(credentials: Iterable[StoredCredential]) -> list[StoredCredential]:
    """One copy per batch: the least presented one, oldest first on a tie.

    See docs/protocols.md, P16.
    """
    best: dict[str, StoredCredential] = {}
    for stored in credentials:
        current = best.get(stored.batch_id)
        if current is None or stored.use_count < current.use_count:
            best[stored.batch_id] = stored
    return list(best.values())


def match_query(
    query: DcqlQuery, credentials: Iterable[StoredCredential]
) -> dict[str, tuple[Candidate, ...]]:
    """Every credential query id mapped to its candidates (one copy per batch)."""
    copies = _least_used_per_batch(credentials)
    result: dict[str, tuple[Candidate, ...]] = {}
    for credential_query in query.credentials:
        found = (match_credential(credential_query, stored) for stored in copies)
        result[credential_query.id] = tuple(c for c in found if c is not None)
    return result


def choose_queries(query: DcqlQuery, satisfiable: Collection[str]) -> tuple[str, ...]:
    """The credential query ids to answer: each required set's first satisfiable option.

    Without ``credential_sets`` every credential query is required. Optional
    sets are left out unless the caller selects them. Raises
    ``NoMatchingCredentialError`` naming the unmet queries.

    Spec: openid-4-verifiable-presentations-1_0#name-credential-set-query
    """
    if query.credential_sets is None:
        missing = tuple(q.id for q in query.credentials if q.id not in satisfiable)
        if missing:
            raise NoMatchingCredentialError(
                f"no credential in the wallet satisfies {', '.join(missing)}", missing=missing
            )
        return tuple(q.id for q in query.credentials)
    chosen: list[str] = []
    for credential_set in query.credential_sets:
        if not credential_set.required:
            continue
        option = next((o for o in credential_set.options if all(i in satisfiable for i in o)), None)
        if option is None:
            missing = tuple(i for i in credential_set.options[0] if i not in satisfiable)
            raise NoMatchingCredentialError(
                f"no credentials in the wallet satisfy a required set ({', '.join(missing)})",
                missing=missing,
            )
        chosen.extend(i for i in option if i not in chosen)
    return tuple(chosen)


def _term_definitions(contexts: object) -> dict[str, str]:
    """Term → IRI from bundled context URLs and inline context objects, later ones winning."""
    bundled = bundled_contexts()
    terms: dict[str, str] = {}
    for item in contexts if isinstance(contexts, list) else [contexts]:
        document = bundled.get(item, {}).get("@context", {}) if isinstance(item, str) else item
        for scope in document if isinstance(document, list) else [document]:
            if not isinstance(scope, Mapping):
                continue
            for term, definition in scope.items():
                iri = definition.get("@id") if isinstance(definition, Mapping) else definition
                if not term.startswith("@") and isinstance(iri, str):
                    terms[term] = iri
    return terms


def _expand_iri(value: str, terms: Mapping[str, str]) -> str:
    value = terms.get(value, value)
    prefix, colon, suffix = value.partition(":")
    if colon and not suffix.startswith("//") and prefix in terms:
        return terms[prefix] + suffix
    return value


def expand_types(credential: JsonObject) -> frozenset[str]:
    """The credential's ``type`` values as IRIs, expanded with its (bundled or inline) contexts.

    Implementation note: a term lookup, not full JSON-LD expansion: enough for
    the protected, ``@vocab``-free contexts we accept (the credential itself
    was verified in JSON-LD safe mode before it was stored). An undefined
    type stays as written, as DCQL expects.

    >>> sorted(expand_types({"@context": ["https://www.w3.org/ns/credentials/v2"],
    ...                      "type": ["VerifiableCredential"]}))
    ['https://www.w3.org/2018/credentials#VerifiableCredential']
    """
    terms = _term_definitions(credential.get("@context"))
    types = credential.get("type")
    names = types if isinstance(types, list) else [types]
    return frozenset(_expand_iri(name, terms) for name in names if isinstance(name, str))
