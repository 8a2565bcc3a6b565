"""Expanded type IRIs of a verified credential, from the bundled JSON-LD contexts.

DCQL ``type_values`` and the trust registry compare **expanded** type IRIs
(``https://www.w3.org/2018/credentials#VerifiableCredential``), never the
compact terms a document happens to use. A credential that reached this code
has verified, so every context URL it names is one the offline loader serves;
the term definitions are read straight from those contexts (no JSON-LD
processing, no network).
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping
from types import MappingProxyType
from typing import Any

from vc_core.loader import CREDENTIALS_V2_URL, NL_VC_V1_URL, bundled_contexts

__all__ = ["DEFAULT_CONTEXTS", "expand_term", "type_iris"]

DEFAULT_CONTEXTS: tuple[str, ...] = (CREDENTIALS_V2_URL, NL_VC_V1_URL)
"""The contexts compact type names in configuration (trust files) are expanded with."""


def _definitions(contexts: Iterable[object]) -> Mapping[str, str]:
    """Map every term the contexts define (in order, later wins) to its IRI or compact IRI."""
    # Implementation note: a list of context URLs reads only the (immutable) bundled
    # contexts, so its terms are computed once per distinct list.
    urls = tuple(contexts)
    if all(isinstance(entry, str) for entry in urls):
        return _url_definitions(urls)
    return _read_definitions(urls)


@functools.lru_cache(maxsize=64)
def _url_definitions(urls: tuple[str, ...]) -> Mapping[str, str]:
    return MappingProxyType(_read_definitions(urls))


def _read_definitions(contexts: Iterable[object]) -> dict[str, str]:
    terms: dict[str, str] = {}
    bundled = bundled_contexts()
    for entry in contexts:
        definition: Any = entry
        if isinstance(entry, str):
            definition = bundled.get(entry, {}).get("@context", {})
        if not isinstance(definition, Mapping):
            continue
        for term, value in definition.items():
            target = value.get("@id") if isinstance(value, Mapping) else value
            if isinstance(target, str) and (not term.startswith("@") or term == "@vocab"):
                terms[term] = target
    return terms


def _expand(term: str, terms: Mapping[str, str]) -> str:
    # A term maps to an absolute IRI or to a compact IRI ("cred:VerifiableCredential").
    value = terms.get(term, term)
    prefix, colon, suffix = value.partition(":")
    if colon and prefix in terms and not suffix.startswith("//"):
        return terms[prefix] + suffix
    if colon or "@vocab" not in terms:
        # An absolute IRI stays; an undefined term stays relative (and matches nothing).
        return value
    return terms["@vocab"] + value


def expand_term(term: str, contexts: Iterable[object] = DEFAULT_CONTEXTS) -> str:
    """Return the IRI a type term stands for under ``contexts`` (URLs or inline objects)."""
    return _expand(term, _definitions(contexts))


def type_iris(document: Mapping[str, Any]) -> frozenset[str]:
    """Return the expanded IRIs of a (verified) document's ``type`` under its own ``@context``."""
    context = document.get("@context", [])
    terms = _definitions(context if isinstance(context, list) else [context])
    types = document.get("type", [])
    names = types if isinstance(types, list) else [types]
    return frozenset(_expand(name, terms) for name in names if isinstance(name, str))
