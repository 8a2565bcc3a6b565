"""Answer an OpenID4VP request: choose credentials, derive disclosures, sign presentations.

For every credential query answered, each chosen credential becomes one
presentation, made by its format's presenter (``vc_core.formats``) with only
the requested claims (plus what the issuer always discloses), bound to the
credential's own holder key, the request's nonce and the full ``client_id``:
an ecdsa-sd-2023 disclosure in a presentation the holder signs
(``authentication``, ``challenge``, ``domain``), or an SD-JWT VC with only the
needed Disclosures and a Key Binding JWT (``nonce``, ``aud``). The
``vp_token`` maps each query id to its presentations, so one response can
carry credentials from several sources and in both formats (docs/protocols.md,
"Response").

A :class:`Match` offers the candidates and a default choice; the wallet app
may change the choice, but :func:`build_presentation` recomputes what the
request allows and refuses anything else (``PresentationRequestError``,
``access_denied``): no claim that the DCQL query did not ask for ever leaves.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from types import MappingProxyType
from typing import Any

from vc_core.formats import FORMATS
from vc_core.keys import KeyPair
from vc_core.types import JsonObject
from wallet_sdk import _json
from wallet_sdk.dcql import Candidate, choose_queries, match_query
from wallet_sdk.errors import NoMatchingCredentialError, PresentationRequestError
from wallet_sdk.records import StoredCredential
from wallet_sdk.requests import PresentationRequest
from wallet_sdk.store import WalletStore

__all__ = [
    "Disclosure",
    "Match",
    "Presentation",
    "build_presentation",
    "leaf_pointers",
    "match_request",
]


@dataclass(frozen=True, slots=True)
class Match:
    """Which stored credentials can answer a request, and which are chosen.

    ``candidates`` maps every credential query id to the credentials that
    satisfy it (one copy per batch, least used first); ``selection`` maps the
    query ids to answer to the chosen credential ids. The default selection
    answers the required queries (the first satisfiable option of each
    required credential set) with their first candidate; optional ones are
    left out until :meth:`select` adds them.
    """

    request: PresentationRequest
    candidates: Mapping[str, tuple[Candidate, ...]]
    selection: Mapping[str, tuple[str, ...]]

    def select(self, query_id: str, *credential_ids: str) -> Match:
        """A copy that answers ``query_id`` with ``credential_ids`` (candidates of that query)."""
        known = {c.credential_id for c in self.candidates.get(query_id, ())}
        if not credential_ids or not set(credential_ids) <= known:
            raise ValueError(f"choose among the candidates of {query_id!r}: {sorted(known)}")
        selection = {**self.selection, query_id: tuple(credential_ids)}
        return replace(self, selection=MappingProxyType(selection))

    def omit(self, query_id: str) -> Match:
        """A copy that leaves ``query_id`` unanswered."""
        selection = {k: v for k, v in self.selection.items() if k != query_id}
        return replace(self, selection=MappingProxyType(selection))

    def chosen(self) -> list[Candidate]:
        """The selected candidates, query by query."""
        return [
            candidate
            for query_id, ids in self.selection.items()
            for candidate in self.candidates[query_id]
            if candidate.credential_id in ids
        ]


@dataclass(frozen=True, slots=True)
class Disclosure:
    """One credential shown: to which query, and the JSON Pointers of every claim revealed."""

    query_id: str
    credential_id: str
    claims: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Presentation:
    """A signed answer, ready to send: ``vp_token`` by query id, and what it discloses.

    Each presentation is a JSON object (``ldp_vc``) or a string (``dc+sd-jwt``).
    """

    request: PresentationRequest
    vp_token: Mapping[str, tuple[JsonObject | str, ...]]
    disclosures: tuple[Disclosure, ...]

    def form_fields(self) -> dict[str, str]:
        """The ``direct_post`` form fields: ``vp_token`` as JSON text, and ``state``."""
        fields = {"vp_token": _json.dumps({k: list(v) for k, v in self.vp_token.items()})}
        if self.request.state is not None:
            fields["state"] = self.request.state
        return fields


def _answerable(
    request: PresentationRequest, credentials: Iterable[StoredCredential]
) -> list[StoredCredential]:
    """The credentials in a format the verifier accepts."""
    return [stored for stored in credentials if stored.format in request.formats]


def match_request(request: PresentationRequest, credentials: Iterable[StoredCredential]) -> Match:
    """Match the request's DCQL query against ``credentials``; raise if it cannot be met.

    Raises ``NoMatchingCredentialError`` (with ``missing`` query ids) when a
    required query or credential set has no candidate.
    """
    candidates = match_query(request.dcql_query, _answerable(request, credentials))
    satisfiable = {query_id for query_id, found in candidates.items() if found}
    chosen = choose_queries(request.dcql_query, satisfiable)
    selection = {query_id: (candidates[query_id][0].credential_id,) for query_id in chosen}
    return Match(request, MappingProxyType(candidates), MappingProxyType(selection))


def _escape(name: str) -> str:
    return name.replace("~", "~0").replace("/", "~1")


def leaf_pointers(document: Any, pointer: str = "") -> list[str]:
    """JSON Pointers of every leaf value of ``document`` except under ``@context`` and ``proof``."""
    if isinstance(document, dict):
        return [
            leaf
            for name, value in document.items()
            if not (pointer == "" and name in ("@context", "proof"))
            for leaf in leaf_pointers(value, f"{pointer}/{_escape(name)}")
        ]
    if isinstance(document, list):
        return [
            leaf
            for index, value in enumerate(document)
            for leaf in leaf_pointers(value, f"{pointer}/{index}")
        ]
    return [pointer]


def _checked_selection(
    match: Match, store: WalletStore
) -> list[tuple[Candidate, StoredCredential]]:
    """Recompute the candidates from the request and the store; refuse any other choice."""
    query = match.request.dcql_query
    fresh = match_query(query, _answerable(match.request, store.credentials()))
    chosen: list[tuple[Candidate, StoredCredential]] = []
    for query_id, credential_ids in match.selection.items():
        if query_id not in fresh:
            raise PresentationRequestError(
                f"{query_id!r} is not a query of this request", error="access_denied"
            )
        if not credential_ids or (len(credential_ids) > 1 and not query.query(query_id).multiple):
            raise PresentationRequestError(
                f"query {query_id!r} takes exactly one credential", error="access_denied"
            )
        allowed = {c.credential_id: c for c in fresh[query_id]}
        for credential_id in credential_ids:
            candidate = allowed.get(credential_id)
            offered = {c.credential_id: c for c in match.candidates.get(query_id, ())}
            if candidate is None or offered.get(credential_id) != candidate:
                raise PresentationRequestError(
                    f"credential {credential_id!r} with those claims was not asked for by "
                    f"{query_id!r}",
                    error="access_denied",
                )
            chosen.append((candidate, store.get_credential(credential_id)))
    # Implementation note: the choice must still meet every required credential set.
    try:
        choose_queries(query, set(match.selection))
    except NoMatchingCredentialError as exc:
        raise PresentationRequestError(exc.detail, error="access_denied") from exc
    return chosen


def build_presentation(
    match: Match,
    *,
    store: WalletStore,
    holder_key: Callable[[str], KeyPair],
    created: datetime,
) -> Presentation:
    """Derive and sign one presentation per chosen credential (see the module docstring).

    ``holder_key`` returns the key pair of a holder DID.
    Raises ``PresentationRequestError`` (``access_denied``) for a choice the
    request does not allow.
    """
    request = match.request
    vp_token: dict[str, list[JsonObject | str]] = {}
    disclosures: list[Disclosure] = []
    for candidate, stored in _checked_selection(match, store):
        presented = FORMATS[stored.format].present(
            stored.presentable,
            candidate.paths,
            holder_key=holder_key(stored.holder),
            audience=request.client_id,
            nonce=request.nonce,
            created=created,
        )
        vp_token.setdefault(candidate.query_id, []).append(presented.value)
        disclosures.append(
            Disclosure(candidate.query_id, stored.id, tuple(leaf_pointers(presented.disclosed)))
        )
    return Presentation(
        request,
        MappingProxyType({k: tuple(v) for k, v in vp_token.items()}),
        tuple(disclosures),
    )
