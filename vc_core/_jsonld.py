"""JSON-LD and RDFC-1.0 adapter: the only module that imports pyld.

Everything JSON-LD in blauwe-knop goes through the functions below. They add
what pyld 3.3 lacks (docs/protocols.md, P1–P4, P8, P9, P17):

- **Safe mode** (default). A property the context does not define raises
  :class:`DataLossError` (pyld's ``on_property_dropped`` hook), and so does
  anything ``to_rdf`` would silently drop: a relative or malformed IRI in
  ``@id``, ``@type``, a predicate or a datatype, a blank-node predicate, and a
  free-floating value. The base IRI is always ``None``; only the caller's
  document loader is used. ``@import`` is refused (pyld merges the importing
  context into its cached copy of the imported one).
- **Typed errors.** Malformed input raises :class:`ParsingError`; a failing
  loader surfaces as its own :class:`DocumentLoadError`; oversized input or a
  poison graph raises :class:`CanonicalizationLimitError`. No pyld error and
  no bare ``ValueError``/``KeyError`` escapes for untrusted input.
- **RDFC-1.0.** pyld calls the algorithm URDNA2015; here it is ``_rdfc_1_0``,
  using pyld's identifier issuers and Hash N-Degree Quads with SHA-256 or
  SHA-384. pyld differs from RDFC-1.0 (and from rdf-canonize, the JS
  reference) in ways fixed here: literals are escaped in canonical N-Quads
  form (pyld leaves U+0008, U+000C, other controls and U+007F raw), a quad
  mentioning a blank node twice counts once for it, and input labels that
  already start with ``c14n`` are relabelled too. Like rdf-canonize (unlike
  pyoxigraph), Hash N-Degree Quads lists a related blank node once per quad.
- **JSON-LD to RDF** walks the expanded document itself (pyld's node map was
  a third of the time); ``@direction`` uses ``i18n-datatype``. A string typed
  ``xsd:double`` stays as written, as JSON-LD 1.1 and jsonld.js require (pyld
  would rewrite ``"1.50"`` to ``"1.5E0"``).
- **Speed and isolation.** pyld's process-wide context cache is keyed by URL
  only, so one loader's content could leak into another's results. We always
  pass our own context resolver; its cache, and our memo of processed
  contexts, is shared only between loaders with the same ``cache_key``
  attribute (a loader without one gets a fresh cache per call). Expansion and
  compaction take fast paths that mirror pyld step for step for the part of
  JSON-LD credentials use, and hand anything else to pyld; what a term, an IRI
  or a compacted IRI means in an active context is memoized per context.
"""

from __future__ import annotations

import copy
import hashlib
import json
import math
import re
import threading
from collections import Counter
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, Final, Literal, TypeVar

from vc_core._imports import without_modules
from vc_core.errors import (
    CanonicalizationLimitError,
    DataLossError,
    DocumentLoadError,
    ParsingError,
    VcError,
)
from vc_core.types import DocumentLoader, JsonObject

# Implementation note: on import, pyld picks a default remote document loader by importing
# requests or aiohttp (aiohttp, which pyHanko installs, alone takes 0.2 s). That loader is never
# used here (every call passes the caller's loader), so both stay hidden while pyld loads and
# its default becomes its dummy loader, which fetches nothing.
with without_modules("requests", "aiohttp"):
    from pyld import jsonld
    from pyld.canon import URDNA2015
    from pyld.context_resolver import ContextResolver
    from pyld.identifier_issuer import IdentifierIssuer

__all__ = [
    "MAX_BLANK_NODES",
    "MAX_JSON_BYTES",
    "MAX_JSON_DEPTH",
    "MAX_WORK",
    "CanonicalResult",
    "HashName",
    "canonicalize",
    "canonicalize_nquads",
    "compact",
    "copy_json",
    "expand",
    "relabel_nquads",
    "to_nquads",
]

HashName = Literal["sha256", "sha384"]
_T = TypeVar("_T")

MAX_JSON_DEPTH: Final = 64
"""Deepest nesting of arrays and objects accepted in a document or context."""
MAX_JSON_BYTES: Final = 4 * 1024 * 1024
"""Largest accepted document, measured roughly as its compact JSON length."""
MAX_BLANK_NODES: Final = 1_000
"""Most blank nodes RDFC-1.0 will label in one dataset."""
MAX_WORK: Final = 250_000
"""Most work RDFC-1.0 may spend on one dataset (poison-graph guard, docs/protocols.md, P4).

One unit is one identifier copied while Hash N-Degree Quads tries a
permutation (each permutation copies the path issuer), or one call of it;
a unit costs roughly 2–4 µs, so the default stops a poison graph in about a
second. Typical credentials need no units at all.
"""

_HASHES: Final[Mapping[str, Callable[[], Any]]] = {
    "sha256": hashlib.sha256,
    "sha384": hashlib.sha384,
}
_XSD_STRING: Final = "http://www.w3.org/2001/XMLSchema#string"
_XSD_BOOLEAN: Final = "http://www.w3.org/2001/XMLSchema#boolean"
_XSD_INTEGER: Final = "http://www.w3.org/2001/XMLSchema#integer"
_XSD_DOUBLE: Final = "http://www.w3.org/2001/XMLSchema#double"
_RDF_LANGSTRING: Final = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
# pyld error codes that mean "the loader gave us nothing usable".
_LOAD_FAILURE_CODES: Final = frozenset(
    {"loading remote context failed", "loading document failed", "invalid remote context"}
)
# Bounds of the shared context caches; past them a cache starts over empty.
_MAX_CACHED_CONTEXTS: Final = 256
_MAX_OWNED_OBJECTS: Final = 200_000
_MAX_PROCESSED: Final = 4_096
_MAX_LOADERS: Final = 64
# Deepest recursion of Hash N-Degree Quads (Python's stack would overflow first).
_MAX_HASH_DEPTH: Final = 128


# --- Results ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CanonicalResult:
    """RDFC-1.0 output: the sorted canonical N-Quads and the canonical id of each blank node.

    ``issued_ids`` maps an input blank-node id to its canonical id, both
    without ``_:`` (``{"b0": "c14n0"}``).
    """

    nquads: tuple[str, ...]
    issued_ids: Mapping[str, str]
    # The serialized terms of each line of ``nquads``, in the same order.
    terms: tuple[tuple[str, ...], ...] = field(default=(), repr=False, compare=False)

    @property
    def text(self) -> str:
        """The canonical N-Quads document (every quad ends with ``\\n``)."""
        return "".join(self.nquads)

    def relabeled(self, labels: Mapping[str, str]) -> list[str]:
        """The lines of ``nquads``, each canonical label ``c14nN`` replaced by ``labels[c14nN]``.

        Labels are without ``_:``; a blank node missing from ``labels`` raises
        ``KeyError``. Literals are never touched. The order is kept (not re-sorted).
        """
        return [
            " ".join([("_:" + labels[term[2:]]) if term[0] == "_" else term for term in line])
            + " .\n"
            for line in self.terms
        ]


# --- Untrusted JSON: copy with limits ------------------------------------------------------


def _copy_json(value: Any, *, max_depth: int, max_bytes: int) -> Any:
    """Copy a parsed JSON value, enforcing depth and size limits.

    The copy is what pyld works on, so pyld may mutate it freely and the
    caller's object is never touched. JSON scalars at the top level and
    ``NaN``/``Infinity`` are untrusted input (``ParsingError``); objects that
    are not JSON at all (a ``datetime``, a ``tuple``) are misuse (``TypeError``).
    """
    if not isinstance(value, (dict, list)):
        if value is None or isinstance(value, (str, int, float)):
            raise ParsingError("a JSON-LD document must be a JSON object or array")
        raise TypeError(f"expected parsed JSON, got {type(value).__name__}")
    budget = [max_bytes]

    def walk(item: Any, depth: int) -> Any:
        kind = type(item)
        if kind is str:
            budget[0] -= len(item) + 3
            return item
        if kind is dict or isinstance(item, dict):
            if depth >= max_depth:
                raise CanonicalizationLimitError(f"JSON nesting deeper than {max_depth}")
            if "@import" in item:
                raise ParsingError("@import in a context is not supported")
            budget[0] -= 2
            copied: dict[str, Any] = {}
            for key, member in item.items():
                if type(key) is not str:
                    raise TypeError(f"JSON object keys must be str, got {type(key).__name__}")
                # Implementation note: strings, the usual member, are handled inline.
                if type(member) is str:
                    budget[0] -= len(key) + len(member) + 7
                    copied[key] = member
                else:
                    budget[0] -= len(key) + 4
                    copied[key] = walk(member, depth + 1)
            if budget[0] < 0:
                raise CanonicalizationLimitError(f"JSON input larger than {max_bytes} bytes")
            return copied
        if kind is list or isinstance(item, list):
            if depth >= max_depth:
                raise CanonicalizationLimitError(f"JSON nesting deeper than {max_depth}")
            budget[0] -= 2 + len(item)
            result = []
            for member in item:
                if type(member) is str:
                    budget[0] -= len(member) + 3
                    result.append(member)
                else:
                    result.append(walk(member, depth + 1))
            if budget[0] < 0:
                raise CanonicalizationLimitError(f"JSON input larger than {max_bytes} bytes")
            return result
        if item is None or kind is bool or kind is int:
            budget[0] -= 6
            return item
        if kind is float:
            if not math.isfinite(item):
                raise ParsingError("NaN and Infinity are not JSON numbers")
            budget[0] -= 12
            return item
        if isinstance(item, str):
            return walk(str(item), depth)
        raise TypeError(f"not a JSON value: {kind.__name__}")

    return walk(value, 0)


def copy_json(value: _T) -> _T:
    """A deep copy of parsed JSON, several times faster than ``copy.deepcopy``.

    Dicts and lists are copied, JSON scalars shared; anything else, and
    anything nested deeper than ``MAX_JSON_DEPTH``, goes to ``copy.deepcopy``.
    """

    def walk(item: Any, depth: int) -> Any:
        kind = type(item)
        if kind is str or kind is int or kind is float or kind is bool or item is None:
            return item
        if depth < MAX_JSON_DEPTH:
            if kind is dict:
                return {key: walk(member, depth + 1) for key, member in item.items()}
            if kind is list:
                return [walk(member, depth + 1) for member in item]
        return copy.deepcopy(item)

    copied: _T = walk(value, 0)
    return copied


# --- Context caches --------------------------------------------------------------------------


class _BoundedCache(dict[Any, Any]):
    """pyld's shared resolved-context cache: a dict that starts over when full."""

    def __setitem__(self, key: Any, value: Any) -> None:
        if len(self) >= _MAX_CACHED_CONTEXTS:
            self.clear()
        super().__setitem__(key, value)


class _ContextCache:
    """Contexts resolved and processed for one loader content.

    ``owned`` holds every array and object of the context documents we copied
    from the loader, by ``id``; only those, never caller input, may be cache
    keys by identity. The strong references keep the ids from being reused.
    """

    __slots__ = ("owned", "processed", "resolved")

    def __init__(self) -> None:
        self.resolved: _BoundedCache = _BoundedCache()
        self.owned: dict[int, Any] = {}
        self.processed: dict[tuple[Any, ...], Any] = {}

    def own(self, value: Any) -> None:
        """Register every array and object inside a loaded context document."""
        if isinstance(value, dict):
            self.owned[id(value)] = value
            for member in value.values():
                self.own(member)
        elif isinstance(value, list):
            self.owned[id(value)] = value
            for member in value:
                self.own(member)

    def key_of(self, local_ctx: Any) -> Any:
        """A cache key for a local context, or ``None`` when it must not be cached."""
        if isinstance(local_ctx, str):
            return local_ctx
        if isinstance(local_ctx, list) and all(isinstance(item, str) for item in local_ctx):
            return tuple(local_ctx)
        if self.owned.get(id(local_ctx)) is local_ctx:
            return id(local_ctx)
        return None

    @property
    def full(self) -> bool:
        return len(self.owned) > _MAX_OWNED_OBJECTS or len(self.processed) > _MAX_PROCESSED


_CACHES: dict[str, _ContextCache] = {}
# pyld keeps module-level state (inverse-context cache, LRU caches inside resolved
# contexts) that is not thread-safe; all pyld JSON-LD processing runs under this lock.
_PYLD_LOCK: Final = threading.RLock()


def _context_cache(document_loader: DocumentLoader) -> _ContextCache:
    """The cache for this loader's content: shared by ``cache_key``, else a fresh one."""
    cache_key = getattr(document_loader, "cache_key", None)
    if not isinstance(cache_key, str):
        return _ContextCache()
    cache = _CACHES.get(cache_key)
    if cache is None or cache.full:
        if len(_CACHES) >= _MAX_LOADERS:
            _CACHES.clear()
        cache = _CACHES[cache_key] = _ContextCache()
    return cache


class _Resolver(ContextResolver):  # type: ignore[misc]
    """pyld's context resolver over our per-loader cache."""

    def __init__(self, cache: _ContextCache, loader: Callable[..., Any]) -> None:
        super().__init__(cache.resolved, loader)
        self.context_cache = cache


def _guarded_loader(document_loader: DocumentLoader, cache: _ContextCache) -> Callable[..., Any]:
    """Wrap the caller's loader: typed errors, a private checked copy, shared caching."""

    def load(url: str, options: Any = None) -> dict[str, Any]:
        try:
            remote = document_loader(url, options)
        except VcError:
            raise
        except Exception as exc:
            raise DocumentLoadError(f"could not load {url!r}: {exc}") from exc
        try:
            document = remote["document"]
            if isinstance(document, (str, bytes)):
                document = json.loads(document)
            document = _copy_json(document, max_depth=MAX_JSON_DEPTH, max_bytes=MAX_JSON_BYTES)
        except Exception as exc:
            raise DocumentLoadError(f"the loader returned no usable document for {url!r}") from exc
        cache.own(document)
        context_url = remote.get("contextUrl")
        # Implementation note: the "static" tag makes pyld keep the resolved
        # context in our shared cache (without a tag it is cached per call only).
        return {
            "contextUrl": context_url if isinstance(context_url, str) else None,
            "documentUrl": url,
            "document": document,
            "tag": "static",
        }

    return load


def _options(document_loader: DocumentLoader) -> dict[str, Any]:
    """pyld options for one call: our resolver and loader, no base IRI, JSON-LD 1.1."""
    cache = _context_cache(document_loader)
    loader = _guarded_loader(document_loader, cache)
    return {
        "base": None,
        "documentLoader": loader,
        "contextResolver": _Resolver(cache, loader),
        "processingMode": "json-ld-1.1",
        "isFrame": False,
        "keepFreeFloatingNodes": False,
        "extractAllScripts": False,
        "produceGeneralizedRdf": False,
        "rdfDirection": "i18n-datatype",
    }


# --- pyld processor --------------------------------------------------------------------------


def _raise_dropped(expanded_property: str | None) -> None:
    if expanded_property is None:
        raise DataLossError("a property maps to null or is not a term, and would be dropped")
    raise DataLossError(
        f"property {expanded_property!r} is not defined by the context and would be dropped"
    )


class _Processor(jsonld.JsonLdProcessor):  # type: ignore[misc]
    """pyld's processor: safe mode, memoized context processing and IRI expansion."""

    def __init__(self, *, safe: bool) -> None:
        super().__init__(on_property_dropped=_raise_dropped if safe else jsonld.noop)
        self.safe = safe

    def _expand(
        self,
        active_ctx: Any,
        active_property: Any,
        element: Any,
        options: Any,
        inside_list: bool = False,
        inside_index: bool = False,
        type_scoped_ctx: Any = None,
    ) -> Any:
        expanded = super()._expand(
            active_ctx,
            active_property,
            element,
            options,
            inside_list,
            inside_index,
            type_scoped_ctx,
        )
        # Implementation note: pyld silently drops free-floating values at the
        # top level or directly in @graph: scalars, value objects and lists.
        # (It also drops empty objects and objects with only an @id, which
        # carry no data.) Expanding again with keepFreeFloatingNodes shows
        # what was dropped.
        if (
            expanded is None
            and self.safe
            and element is not None
            and not inside_list
            and (
                active_property is None
                or self._expand_iri(active_ctx, active_property, vocab=True) == "@graph"
            )
        ):
            kept = element
            if isinstance(element, dict):
                kept = super()._expand(
                    active_ctx,
                    active_property,
                    element,
                    {**options, "keepFreeFloatingNodes": True},
                    inside_list,
                    inside_index,
                    type_scoped_ctx,
                )
            if kept is not None and (
                not isinstance(kept, dict) or kept.get("@value") is not None or kept.get("@list")
            ):
                raise DataLossError(f"free-floating value {element!r:.80} would be dropped")
        return expanded

    def _process_context(
        self,
        active_ctx: Any,
        local_ctx: Any,
        options: Any,
        override_protected: bool = False,
        propagate: bool = True,
        validate_scoped: bool = True,
        cycles: Any = None,
    ) -> Any:
        # Implementation note: pyld caches a processed context per resolved
        # context and active-context uuid, but never hits for type-scoped
        # contexts (it clones the active context first, with a fresh uuid).
        # Finished active contexts are frozen, so (uuid, local context, flags)
        # determines the result; local contexts are keyed by value (URLs) or
        # by identity of loader-owned objects only.
        cache = getattr(options.get("contextResolver"), "context_cache", None)
        uuid = active_ctx.get("_uuid") if type(active_ctx) is not dict else None
        if cache is not None and cycles is None and uuid is not None:
            ctx_key = cache.key_of(local_ctx)
            if ctx_key is not None:
                key = (uuid, ctx_key, override_protected, propagate, validate_scoped)
                processed = cache.processed.get(key)
                if processed is None:
                    processed = super()._process_context(
                        active_ctx,
                        local_ctx,
                        options,
                        override_protected,
                        propagate,
                        validate_scoped,
                    )
                    cache.processed[key] = processed
                return processed
        return super()._process_context(
            active_ctx, local_ctx, options, override_protected, propagate, validate_scoped, cycles
        )

    def _expand_iri(
        self,
        active_ctx: Any,
        value: Any,
        base: Any = None,
        vocab: bool = False,
        local_ctx: Any = None,
        defined: Any = None,
    ) -> Any:
        # Implementation note: outside context processing (no local_ctx) the
        # result depends only on the frozen active context and the arguments.
        uuid = active_ctx.get("_uuid") if type(active_ctx) is not dict else None
        if local_ctx is None and uuid is not None and type(value) is str:
            key = (uuid, value, base, vocab)
            expanded = _EXPANDED_IRIS.get(key, _MISSING)
            if expanded is _MISSING:
                expanded = super()._expand_iri(active_ctx, value, base, vocab)
                if len(_EXPANDED_IRIS) >= _MAX_EXPANDED_IRIS:
                    _EXPANDED_IRIS.clear()
                _EXPANDED_IRIS[key] = expanded
            return expanded
        return super()._expand_iri(active_ctx, value, base, vocab, local_ctx, defined)

    def _compact_iri(
        self,
        active_ctx: Any,
        iri: Any,
        value: Any = None,
        vocab: bool = False,
        base: Any = None,
        reverse: bool = False,
    ) -> Any:
        # Implementation note: pyld tries every term of the context as a CURIE
        # prefix for each IRI it cannot compact to a term, which was most of
        # compaction. In a finished (frozen) active context the result depends
        # only on the arguments, and of ``value`` only on what
        # _compact_value_key keeps, so results are memoized.
        uuid = active_ctx.get("_uuid") if type(active_ctx) is not dict else None
        if uuid is None or type(iri) is not str:
            return super()._compact_iri(active_ctx, iri, value, vocab, base, reverse)
        value_key = self._compact_value_key(active_ctx, iri, value, vocab)
        if value_key is None:
            return super()._compact_iri(active_ctx, iri, value, vocab, base, reverse)
        key = (uuid, iri, value_key, vocab, base, reverse)
        compacted = _COMPACTED_IRIS.get(key, _MISSING)
        if compacted is _MISSING:
            if value is None and self._compacts_to_itself(active_ctx, uuid, iri, vocab, base):
                compacted = iri
            else:
                compacted = super()._compact_iri(active_ctx, iri, value, vocab, base, reverse)
            if len(_COMPACTED_IRIS) >= _MAX_COMPACTED_IRIS:
                _COMPACTED_IRIS.clear()
            _COMPACTED_IRIS[key] = compacted
        return compacted

    def _compacts_to_itself(
        self, active_ctx: Any, uuid: str, iri: str, vocab: bool, base: Any
    ) -> bool:
        """Whether pyld's ``_compact_iri(iri, None, vocab, base)`` returns ``iri`` itself.

        Implementation note: true when no rule applies: ``iri`` is no keyword,
        no term maps to it and there is no ``@vocab`` (with ``vocab``), no
        relative form (without it), no term's IRI starts it (so no CURIE) and
        no prefix term could be confused with its scheme. That is the usual
        case for the ``@id`` of a credential, a subject or a skolemized node,
        and it spares pyld's loop over every term (~15 µs) for each new id.
        """
        if iri.startswith("@"):
            return False
        if vocab:
            if "@vocab" in active_ctx or iri in self._get_inverse_context(active_ctx):
                return False
        elif active_ctx.get("@base") is not None or ("@base" not in active_ctx and base):
            return False
        patterns = _prefix_patterns(active_ctx, uuid)
        return (
            patterns is not None
            and patterns[0].match(iri) is None
            and patterns[1].match(iri) is None
        )

    def _compact_value_key(
        self, active_ctx: Any, iri: str, value: Any, vocab: bool
    ) -> tuple[Any, ...] | None:
        """What pyld's ``_compact_iri`` reads of ``value``, as a key; ``None`` if not memoizable.

        That is nothing for ``None``. For a value object (``@value``): whether
        it has ``@index``, its ``@language``, ``@direction`` and ``@type``, and
        whether ``@value`` is its only member. For a node object: whether it has
        ``@index`` and ``@id``, and, where term selection looks at it, whether
        that ``@id`` compacts to a term defined as exactly that IRI (computed
        as pyld computes it). List and graph objects are not memoized.
        """
        if value is None:
            return ()
        if type(value) is not dict or "@list" in value or "@graph" in value or "@preserve" in value:
            return None
        if "@value" in value:
            if "@id" in value:
                return None
            key = (
                "@index" in value,
                value.get("@language", _MISSING),
                value.get("@direction", _MISSING),
                value.get("@type", _MISSING),
                len(value) == 1,
            )
            try:
                hash(key)
            except TypeError:
                return None
            return key
        if iri.startswith("@"):
            return None
        id_is_term = None
        if "@id" in value and vocab and iri in self._get_inverse_context(active_ctx):
            node_id = value["@id"]
            term = self._compact_iri(active_ctx, node_id, None, vocab=True)
            mapping = active_ctx["mappings"].get(term)
            id_is_term = bool(term is not None and mapping and mapping["@id"] == node_id)
        return ("@index" in value, "@id" in value, id_is_term)

    # --- fast compaction path -----------------------------------------------------------------
    #
    # Implementation note: like the fast expansion path below, _fast_compact
    # mirrors pyld's _compact step for step for expanded node objects with @id, @type and
    # properties without containers other than @set, holding value objects,
    # node references or more such nodes; anything else raises _FallbackError
    # and the whole document is compacted by pyld.

    def _compact(self, active_ctx: Any, active_property: Any, element: Any, options: Any) -> Any:
        if active_property is None:
            try:
                return self._fast_compact(active_ctx, None, element, options)
            except _FallbackError:
                pass
        return super()._compact(active_ctx, active_property, element, options)

    def _fast_compact(
        self, active_ctx: Any, active_property: str | None, element: Any, options: Any
    ) -> Any:
        """pyld's ``_compact`` for the subset above."""
        get_context_value = jsonld.JsonLdProcessor.get_context_value
        add_value = jsonld.JsonLdProcessor.add_value
        if type(element) is list:
            compacted_items = []
            for item in element:
                compacted = self._fast_compact(active_ctx, active_property, item, options)
                if compacted is not None:
                    compacted_items.append(compacted)
            if options["compactArrays"] and len(compacted_items) == 1:
                container = jsonld.JsonLdProcessor.arrayify(
                    get_context_value(active_ctx, active_property, "@container")
                )
                if not container:
                    return compacted_items[0]
            return compacted_items
        if type(element) is not dict or options["link"] or active_property == "@reverse":
            raise _FallbackError
        ctx = get_context_value(active_ctx, active_property, "@context")
        if ctx is not None:
            active_ctx = self._process_context(
                active_ctx, ctx, options, propagate=True, override_protected=True
            )
        if "@value" in element or (len(element) == 1 and "@id" in element):
            return self._compact_value(active_ctx, active_property, element, options)
        if "@list" in element:
            raise _FallbackError
        compacted_node: dict[str, Any] = {}
        input_ctx = active_ctx
        active_ctx = active_ctx.get("previousContext", active_ctx)
        property_scoped_ctx = get_context_value(input_ctx, active_property, "@context")
        if property_scoped_ctx is not None:
            active_ctx = self._process_context(
                active_ctx, property_scoped_ctx, options, propagate=True, override_protected=True
            )
        types = element.get("@type", [])
        if type(types) is not list or any(type(type_) is not str for type_ in types):
            raise _FallbackError
        type_ctx = active_ctx
        for type_ in sorted(types):
            compacted_type = self._compact_iri(type_ctx, type_, vocab=True)
            ctx = get_context_value(input_ctx, compacted_type, "@context")
            if ctx is not None:
                active_ctx = self._process_context(active_ctx, ctx, options, propagate=False)
        for expanded_property, expanded_value in sorted(element.items()):
            if expanded_property == "@id":
                compacted_ids = [
                    self._compact_iri(active_ctx, iri, vocab=False, base=options.get("base", ""))
                    for iri in jsonld.JsonLdProcessor.arrayify(expanded_value)
                ]
                add_value(compacted_node, self._compact_iri(active_ctx, "@id"), compacted_ids)
                continue
            if expanded_property == "@type":
                compacted_types: Any = [
                    self._compact_iri(input_ctx, iri, vocab=True) for iri in expanded_value
                ]
                if len(compacted_types) == 1:
                    compacted_types = compacted_types[0]
                alias = self._compact_iri(active_ctx, "@type")
                container = jsonld.JsonLdProcessor.arrayify(
                    get_context_value(active_ctx, alias, "@container")
                )
                type_as_set = "@set" in container and self._processing_mode(active_ctx, 1.1)
                add_value(
                    compacted_node,
                    alias,
                    compacted_types,
                    {"propertyIsArray": type_as_set or compacted_types == []},
                )
                continue
            if expanded_property.startswith("@") or type(expanded_value) is not list:
                raise _FallbackError
            if not expanded_value:
                raise _FallbackError
            for expanded_item in expanded_value:
                item_active_property = self._compact_iri(
                    active_ctx, expanded_property, expanded_item, vocab=True
                )
                mapping = active_ctx["mappings"].get(item_active_property, {})
                if mapping is None or mapping.get("@nest"):
                    raise _FallbackError
                if type(expanded_item) is dict and (
                    "@graph" in expanded_item or "@list" in expanded_item
                ):
                    raise _FallbackError
                container = jsonld.JsonLdProcessor.arrayify(
                    get_context_value(active_ctx, item_active_property, "@container")
                )
                if any(kind in container for kind in _MAP_CONTAINERS):
                    raise _FallbackError
                compacted_item = self._fast_compact(
                    active_ctx, item_active_property, expanded_item, options
                )
                add_value(
                    compacted_node,
                    item_active_property,
                    compacted_item,
                    {
                        "propertyIsArray": not options["compactArrays"]
                        or "@set" in container
                        or "@list" in container
                        or compacted_item == []
                    },
                )
        return compacted_node

    # --- fast expansion path ------------------------------------------------------------------
    #
    # Implementation note: pyld's expansion is generic (framing, every container
    # kind, @nest, @reverse ...) and was most of a verification. Credentials use
    # a small part of JSON-LD: node objects with @id, @type and plain (or @set, or @graph)
    # properties whose values are strings, numbers, booleans or node objects.
    # The _fast_* methods mirror pyld's _expand, _prepare_nested_context,
    # _expand_object and _expand_value for exactly that part, step for step and
    # with the same context processing, so their output is pyld's (key order
    # included); what a term means in an active context is looked up once per
    # context (_term_rule). They also apply the safe-mode IRI checks as they go.
    # Anything else, and any failed check, raises _FallbackError before the result
    # could differ: the caller then expands the whole document with pyld, which
    # gives the same result or raises the usual error.

    def _fast_expand(
        self,
        active_ctx: Any,
        active_property: str | None,
        element: Any,
        options: Any,
        type_scoped_ctx: Any,
    ) -> Any:
        """pyld's ``_expand`` (outside lists and index maps) for the subset above."""
        if element is None:
            return None
        if type(element) is list:
            if (
                active_property is not None
                and not _term_rule(self, active_ctx, active_property).nests
            ):
                raise _FallbackError
            expanded_items: list[Any] = []
            for item in element:
                expanded = self._fast_expand(
                    active_ctx, active_property, item, options, type_scoped_ctx
                )
                if type(expanded) is list:
                    expanded_items.extend(expanded)
                elif expanded is not None:
                    expanded_items.append(expanded)
            return expanded_items
        if type(element) is not dict:
            # A free-floating scalar is dropped (or, in safe mode, refused) by pyld.
            if active_property is None:
                raise _FallbackError
            return self._fast_expand_value(
                active_ctx, _term_rule(self, active_ctx, active_property), element
            )
        property_scoped_ctx = None
        if active_property is not None:
            rule = _term_rule(self, active_ctx, active_property)
            # Implementation note: pyld reads the expanded active property of a node only
            # when it is a keyword (@graph, @reverse); a term that a scoped context left
            # undefined (verifiableCredential's "@context": null) is none.
            if not rule.property_ok and (
                type(rule.expanded) is not str or rule.expanded.startswith("@")
            ):
                raise _FallbackError
            property_scoped_ctx = rule.scoped_context
        if not type_scoped_ctx and active_ctx.get("previousContext"):
            type_scoped_ctx = active_ctx
        keys = sorted(element)
        must_revert = True
        if type_scoped_ctx and len(element) <= 2 and "@context" not in element:
            for key in keys:
                expanded_key = _term_rule(self, type_scoped_ctx, key).expanded
                if expanded_key == "@value":
                    must_revert = False
                    active_ctx = type_scoped_ctx
                    break
                if expanded_key == "@id" and len(element) == 1:
                    must_revert = False
                    break
        if must_revert:
            active_ctx = active_ctx.get("previousContext", active_ctx)
        if property_scoped_ctx is not None:
            active_ctx = self._process_context(
                active_ctx, property_scoped_ctx, options, override_protected=True
            )
        active_ctx, type_key, type_scoped_ctx = self._fast_prepare_nested_context(
            active_ctx, element, keys, options
        )
        node: dict[str, Any] = {}
        self._fast_expand_object(
            active_ctx, element, keys, node, options, type_key, type_scoped_ctx
        )
        if "@value" in node:
            return self._fast_value_object(active_ctx, active_property, element, keys, node)
        if "@language" in node:
            # pyld drops or keeps a node with @language by rules not mirrored here.
            raise _FallbackError
        types = node.get("@type")
        if types is not None and type(types) is not list:
            node["@type"] = [types]
        # A top-level node without content is dropped by pyld.
        if active_property is None and (not node or (len(node) == 1 and "@id" in node)):
            raise _FallbackError
        return node

    def _fast_prepare_nested_context(
        self, active_ctx: Any, element: dict[str, Any], keys: list[str], options: Any
    ) -> tuple[Any, str | None, Any]:
        """pyld's ``_prepare_nested_context``: apply a node's local and type-scoped contexts."""
        if "@context" in element:
            local_ctx = element["@context"]
            # pyld refuses a local context that only redefines @context.
            if type(local_ctx) is dict and len(local_ctx) == 1 and "@context" in local_ctx:
                raise _FallbackError
            active_ctx = self._process_context(active_ctx, local_ctx, options)
        type_scoped_ctx = active_ctx
        type_key = None
        rules = _context_rules(active_ctx)
        for key in keys:
            rule = rules.get(key) or _new_term_rule(self, active_ctx, rules, key)
            if rule.expanded != "@type":
                continue
            type_key = type_key or key
            value = element[key]
            types = [
                item for item in (value if type(value) is list else [value]) if type(item) is str
            ]
            for type_ in sorted(types):
                ctx = jsonld.JsonLdProcessor.get_context_value(type_scoped_ctx, type_, "@context")
                if ctx is not None and ctx is not False:
                    active_ctx = self._process_context(active_ctx, ctx, options, propagate=False)
        return active_ctx, type_key, type_scoped_ctx

    def _fast_expand_object(
        self,
        active_ctx: Any,
        element: dict[str, Any],
        keys: list[str],
        node: dict[str, Any],
        options: Any,
        type_key: str | None,
        type_scoped_ctx: Any,
    ) -> None:
        """pyld's ``_expand_object`` for @id, @type and plain properties."""
        if type_key in element:
            types = element[type_key]
            first = types[0] if types and type(types) is list else types
            if type(first) is not str or self._expand_iri(active_ctx, first, vocab=True) == "@json":
                raise _FallbackError
        rules = _context_rules(active_ctx)
        for key in keys:
            if key == "@context":
                continue
            value = element[key]
            rule = rules.get(key) or _new_term_rule(self, active_ctx, rules, key)
            if not rule.property_ok:
                if rule.expanded == "@id" and type(value) is str and "@id" not in node:
                    node["@id"] = _checked(self._expand_iri(active_ctx, value, base=None))
                elif rule.expanded == "@type" and (
                    type(value) is str
                    or (type(value) is list and all(type(item) is str for item in value))
                ):
                    for item in value if type(value) is list else [value]:
                        expanded_type = self._expand_iri(
                            type_scoped_ctx, item, vocab=True, base=None
                        )
                        jsonld.JsonLdProcessor.add_value(node, "@type", _checked(expanded_type))
                elif rule.expanded == "@value" and type(value) in _SCALARS and "@value" not in node:
                    node["@value"] = value
                elif (
                    rule.expanded == "@language" and type(value) is str and "@language" not in node
                ):
                    node["@language"] = value.lower()
                else:
                    raise _FallbackError
                continue
            term_ctx = active_ctx
            reverse = rule.reverse
            if rule.scoped_context is not None:
                term_ctx = self._process_context(
                    active_ctx,
                    rule.scoped_context,
                    options,
                    propagate=True,
                    override_protected=True,
                )
                mapping = term_ctx["mappings"].get(key)
                reverse = bool(mapping and mapping["reverse"])
            if not rule.nests or reverse:
                raise _FallbackError
            # Implementation note: a scalar under a term without a scoped context
            # is what _fast_expand would expand with this same rule.
            if term_ctx is active_ctx and type(value) in _SCALARS:
                expanded_value = self._fast_expand_value(active_ctx, rule, value)
            else:
                expanded_value = self._fast_expand(term_ctx, key, value, options, None)
            if expanded_value is None:
                continue
            if rule.graph:
                # pyld wraps each value of a plain @graph container in a graph object.
                expanded_value = [
                    {"@graph": [item]}
                    for item in (
                        expanded_value if type(expanded_value) is list else [expanded_value]
                    )
                ]
            values = node.get(rule.expanded)
            if values is None:
                values = node[rule.expanded] = []
            if type(expanded_value) is list:
                values.extend(expanded_value)
            else:
                values.append(expanded_value)

    def _fast_value_object(
        self,
        active_ctx: Any,
        active_property: str | None,
        element: dict[str, Any],
        keys: list[str],
        value_object: dict[str, Any],
    ) -> dict[str, Any]:
        """pyld's checks of a value object (``@value`` with ``@type`` or ``@language``)."""
        if active_property is None or not value_object.keys() <= _VALUE_OBJECT_KEYS:
            raise _FallbackError
        datatype = value_object.get("@type")
        if datatype is not None:
            if "@language" in value_object or any(
                type(element[key]) is list and _term_rule(self, active_ctx, key).expanded == "@type"
                for key in keys
            ):
                raise _FallbackError
            _checked(datatype, blank_ok=False)
        elif "@language" in value_object and type(value_object["@value"]) is not str:
            raise _FallbackError
        return value_object

    def _fast_expand_value(self, active_ctx: Any, rule: _TermRule, value: Any) -> Any:
        """pyld's ``_expand_value`` for a scalar under a plain property (``rule`` is its rule)."""
        type_mapping = rule.type_mapping
        if not rule.property_ok or type(value) not in _SCALARS:
            raise _FallbackError
        if type(value) is str and (type_mapping == "@id" or type_mapping == "@vocab"):
            iri = self._expand_iri(active_ctx, value, base=None, vocab=type_mapping == "@vocab")
            return {"@id": _checked(iri)}
        literal: dict[str, Any] = {}
        if type_mapping is not None and type_mapping not in ("@id", "@vocab", "@none"):
            if type_mapping == "@json":
                raise _FallbackError
            literal["@type"] = _checked(type_mapping, blank_ok=False)
        elif type(value) is str:
            if rule.language is not None:
                literal["@language"] = rule.language
            if rule.direction is not None:
                literal["@direction"] = rule.direction
        literal["@value"] = value
        return literal


class _FallbackError(Exception):
    """A fast path met JSON-LD it leaves to pyld."""


@dataclass(frozen=True, slots=True)
class _TermRule:
    """What a key means in one active context (pyld's lookups, done once)."""

    expanded: Any
    property_ok: bool
    scoped_context: Any
    graph: bool
    nests: bool
    reverse: bool
    type_mapping: Any
    language: Any
    direction: Any


# Term rules by active-context uuid, then by key; both levels start over when full.
_TERM_RULES: dict[str, dict[str, _TermRule]] = {}
_MAX_RULE_CONTEXTS: Final = 1_024
_MAX_TERM_RULES: Final = 4_096
_SCALARS: Final = frozenset({str, int, float, bool})
_MAP_CONTAINERS: Final = ("@language", "@index", "@id", "@type")
_VALUE_OBJECT_KEYS: Final = frozenset({"@value", "@type", "@language"})
# pyld's own absolute-IRI test (a blank node id counts too).
_PYLD_ABSOLUTE_IRI: Final = re.compile(r"^([A-Za-z][A-Za-z0-9+-.]*|_):[^\s]*$")


_COMPACTED_IRIS: dict[tuple[Any, ...], Any] = {}
_MAX_COMPACTED_IRIS: Final = 65_536


def _term_rule(processor: _Processor, active_ctx: Any, key: str) -> _TermRule:
    """The :class:`_TermRule` of ``key`` in a finished (frozen) active context."""
    rules = _context_rules(active_ctx)
    return rules.get(key) or _new_term_rule(processor, active_ctx, rules, key)


def _context_rules(active_ctx: Any) -> dict[str, _TermRule]:
    """The term rules known for a finished (frozen) active context, by key."""
    uuid = active_ctx.get("_uuid") if type(active_ctx) is not dict else None
    if uuid is None:
        raise _FallbackError
    rules = _TERM_RULES.get(uuid)
    if rules is None:
        if len(_TERM_RULES) >= _MAX_RULE_CONTEXTS:
            _TERM_RULES.clear()
        rules = _TERM_RULES[uuid] = {}
    return rules


def _new_term_rule(
    processor: _Processor, active_ctx: Any, rules: dict[str, _TermRule], key: str
) -> _TermRule:
    """Work out and remember the :class:`_TermRule` of ``key`` (pyld's lookups)."""
    get = jsonld.JsonLdProcessor.get_context_value
    expanded = processor._expand_iri(active_ctx, key, vocab=True)
    container = get(active_ctx, key, "@container")
    type_mapping = get(active_ctx, key, "@type")
    mapping = active_ctx["mappings"].get(key)
    containers = container if type(container) is list else [container]
    plain = container in (None, "@set", ["@set"]) and type_mapping != "@json"
    graph = (
        "@graph" in containers and set(containers) <= {"@graph", "@set"} and type_mapping != "@json"
    )
    rule = _TermRule(
        expanded=expanded,
        property_ok=type(expanded) is str
        and _PYLD_ABSOLUTE_IRI.match(expanded) is not None
        and _ABSOLUTE_IRI.fullmatch(expanded) is not None,
        scoped_context=get(active_ctx, key, "@context"),
        graph=graph,
        nests=plain or graph,
        reverse=bool(mapping and mapping["reverse"]),
        type_mapping=type_mapping,
        language=get(active_ctx, key, "@language"),
        direction=get(active_ctx, key, "@direction"),
    )
    if len(rules) >= _MAX_TERM_RULES:
        rules.clear()
    rules[key] = rule
    return rule


def _checked(iri: Any, *, blank_ok: bool = True) -> Any:
    """``iri`` if safe mode accepts it (see :func:`_check_iri`); otherwise leave it to pyld."""
    if _is_safe_iri(iri, blank_ok=blank_ok):
        return iri
    raise _FallbackError


_MISSING: Final = object()
_EXPANDED_IRIS: dict[tuple[Any, ...], Any] = {}
_MAX_EXPANDED_IRIS: Final = 65_536
_SAFE_PROCESSOR: Final = _Processor(safe=True)
_PLAIN_PROCESSOR: Final = _Processor(safe=False)


def _translate(exc: Exception) -> VcError:
    """A typed error for a pyld failure that does not wrap one of ours."""
    code = getattr(exc, "code", None)
    message = exc.args[0] if exc.args else type(exc).__name__
    if isinstance(exc, jsonld.JsonLdError) and code in _LOAD_FAILURE_CODES:
        return DocumentLoadError(f"{message} ({code})")
    detail = f"{message} ({code})" if code else str(message)
    return ParsingError(f"invalid JSON-LD: {detail}")


def _wrapped_error(exc: BaseException) -> VcError | None:
    """Our own error (raised by the loader or a safe-mode hook) inside pyld's wrapping."""
    cause: BaseException | None = exc
    for _ in range(32):
        if cause is None or isinstance(cause, VcError):
            return cause
        cause = cause.__cause__ or cause.__context__
    return None


@contextmanager
def _pyld_calls() -> Iterator[None]:
    """Run pyld under the lock; turn every failure into one of our typed errors."""
    try:
        with _PYLD_LOCK:
            yield
    except (VcError, MemoryError):
        raise
    except Exception as exc:
        wrapped = _wrapped_error(exc)
        if wrapped is not None:
            raise wrapped from wrapped.__cause__
        raise _translate(exc) from exc


def _expand_copy(document: Any, options: dict[str, Any], *, safe: bool) -> list[JsonObject]:
    """Expand our private copy of a document (pyld's ``expand`` minus its deep copy)."""
    processor = _SAFE_PROCESSOR if safe else _PLAIN_PROCESSOR
    active_ctx = processor._get_initial_context(options)
    checked = True
    try:
        expanded = processor._fast_expand(active_ctx, None, document, options, None)
    except _FallbackError:
        checked = False
        expanded = processor._expand(active_ctx, None, document, options, inside_list=False)
    if isinstance(expanded, dict) and "@graph" in expanded and len(expanded) == 1:
        expanded = expanded["@graph"]
    elif expanded is None:
        expanded = []
    result: list[JsonObject] = expanded if isinstance(expanded, list) else [expanded]
    # Implementation note: the fast path has made the same checks already.
    if safe and not checked:
        _check_expanded(result)
    return result


_PREFIX_PATTERNS: dict[str, tuple[re.Pattern[str], re.Pattern[str]] | None] = {}
_MAX_PREFIX_PATTERNS: Final = 1_024
_NEVER: Final = re.compile(r"(?!)")


def _prefix_patterns(active_ctx: Any, uuid: str) -> tuple[re.Pattern[str], re.Pattern[str]] | None:
    """Patterns matching an IRI that starts with a term's IRI, or with a prefix term and ``:``.

    ``None`` when a term definition is not of the expected shape.
    """
    if uuid in _PREFIX_PATTERNS:
        return _PREFIX_PATTERNS[uuid]
    term_iris: list[str] = []
    prefix_terms: list[str] = []
    patterns: tuple[re.Pattern[str], re.Pattern[str]] | None = None
    try:
        for term, definition in active_ctx["mappings"].items():
            if not definition:
                continue
            if ":" not in term and definition["@id"]:
                term_iris.append(re.escape(definition["@id"]))
            if definition["_prefix"]:
                prefix_terms.append(re.escape(term + ":"))
        patterns = (
            re.compile("|".join(term_iris)) if term_iris else _NEVER,
            re.compile("|".join(prefix_terms)) if prefix_terms else _NEVER,
        )
    except (KeyError, TypeError):
        patterns = None
    if len(_PREFIX_PATTERNS) >= _MAX_PREFIX_PATTERNS:
        _PREFIX_PATTERNS.clear()
    _PREFIX_PATTERNS[uuid] = patterns
    return patterns


# --- Documents already in expanded form ------------------------------------------------------


def _is_expanded_fixpoint(document: Any) -> bool:
    """Whether expanding ``document`` would return it unchanged (up to key order) in safe mode.

    True for an array of node objects without ``@context`` whose keys are
    ``@id`` (an absolute IRI or blank node id), ``@type`` (a non-empty array of
    those) and absolute-IRI properties holding arrays of node objects and
    value objects (a JSON scalar ``@value`` with an absolute-IRI ``@type`` or
    a lower-case ``@language``); top-level nodes carry more than an ``@id``.
    With no context in effect, pyld's expansion maps every such IRI, node and
    value to itself, and safe mode accepts all of them. Anything else (other
    keywords, lists, graphs, free-floating values) is ``False``.
    """
    return type(document) is list and all(
        type(node) is dict and node.keys() - {"@id"} and _is_fixpoint_node(node)
        for node in document
    )


def _is_fixpoint_node(node: dict[str, Any]) -> bool:
    for key, value in node.items():
        if key == "@id":
            if not _is_safe_iri(value, blank_ok=True):
                return False
        elif key == "@type":
            if type(value) is not list or not value:
                return False
            if not all(_is_safe_iri(type_, blank_ok=True) for type_ in value):
                return False
        elif (
            key.startswith("@")
            or type(value) is not list
            or _PYLD_ABSOLUTE_IRI.match(key) is None
            or _ABSOLUTE_IRI.fullmatch(key) is None
        ):
            return False
        else:
            for item in value:
                if type(item) is not dict:
                    return False
                if "@value" in item:
                    if not _is_fixpoint_value(item):
                        return False
                elif not _is_fixpoint_node(item):
                    return False
    return True


def _is_fixpoint_value(item: dict[str, Any]) -> bool:
    value = item["@value"]
    if type(value) not in _SCALARS or len(item) > 2:
        return False
    if "@type" in item:
        return _is_safe_iri(item["@type"], blank_ok=False)
    if "@language" in item:
        language = item["@language"]
        return type(language) is str and type(value) is str and language == language.lower()
    return len(item) == 1


def _is_safe_iri(iri: Any, *, blank_ok: bool) -> bool:
    """What :func:`_check_iri` accepts.

    Implementation note: absolute IRIs seen before (vocabulary IRIs recur in
    every document) skip the pattern.
    """
    if type(iri) is not str:
        return False
    if iri in _SAFE_IRIS:
        return True
    if _ABSOLUTE_IRI.fullmatch(iri) is not None:
        if len(_SAFE_IRIS) >= _MAX_SAFE_IRIS:
            _SAFE_IRIS.clear()
        _SAFE_IRIS.add(iri)
        return True
    return blank_ok and iri.startswith("_:")


_SAFE_IRIS: set[str] = set()
_MAX_SAFE_IRIS: Final = 16_384


# --- Safe mode: relative IRIs after expansion -----------------------------------------------

_ABSOLUTE_IRI: Final = re.compile(r'[A-Za-z][A-Za-z0-9+.\-]*:[^\x00-\x20<>"{}|^`\\]*')
_NODE_CONTAINERS: Final = frozenset({"@graph", "@included", "@list", "@set"})


def _check_iri(value: Any, where: str, *, blank_ok: bool) -> None:
    if isinstance(value, str):
        if _ABSOLUTE_IRI.fullmatch(value):
            return
        if blank_ok and value.startswith("_:"):
            return
    raise DataLossError(f"{where} {value!r} is not an absolute IRI and would be dropped")


def _check_expanded(value: Any) -> None:
    """Reject what ``to_rdf`` would silently drop from expanded JSON-LD.

    Relative or malformed IRIs in ``@id``, ``@type``, predicates (including
    ``@reverse``) and datatypes, and blank-node predicates.
    """
    if isinstance(value, list):
        for item in value:
            _check_expanded(item)
        return
    if not isinstance(value, dict):
        return
    if "@value" in value:
        datatype = value.get("@type")
        if datatype is not None and datatype != "@json":
            _check_iri(datatype, "datatype", blank_ok=False)
        return
    for key, member in value.items():
        if key == "@id":
            _check_iri(member, "@id", blank_ok=True)
        elif key == "@type":
            for type_ in member if isinstance(member, list) else [member]:
                _check_iri(type_, "@type", blank_ok=True)
        elif key == "@reverse":
            for reverse_key, reverse_value in member.items():
                _check_iri(reverse_key, "property", blank_ok=False)
                _check_expanded(reverse_value)
        elif key in _NODE_CONTAINERS:
            _check_expanded(member)
        elif not key.startswith("@"):
            _check_iri(key, "property", blank_ok=False)
            _check_expanded(member)


# --- N-Quads terms (canonical N-Quads escaping) ------------------------------------------------

_LITERAL_SPECIAL: Final = re.compile('[\x00-\x1f"\\\\\x7f\ufffe\uffff\ud800-\udfff]')
_IRI_SPECIAL: Final = re.compile('[\x00-\x20<>"{}|^`\\\\\ud800-\udfff]')
_ECHAR: Final[Mapping[str, str]] = {
    "\b": "\\b",
    "\t": "\\t",
    "\n": "\\n",
    "\f": "\\f",
    "\r": "\\r",
    '"': '\\"',
    "\\": "\\\\",
}
_LANGUAGE_TAG: Final = re.compile(r"[a-zA-Z]+(?:-[a-zA-Z0-9]+)*")
_BLANK_LABEL: Final = re.compile(r"[A-Za-z0-9_](?:[A-Za-z0-9_.\-]*[A-Za-z0-9_\-])?")


def _escape_char(match: re.Match[str]) -> str:
    char = match.group()
    echar = _ECHAR.get(char)
    if echar is not None:
        return echar
    if "\ud800" <= char <= "\udfff":
        raise ParsingError("a string contains an unpaired surrogate (not Unicode text)")
    return f"\\u{ord(char):04X}"


def _uchar(match: re.Match[str]) -> str:
    char = match.group()
    if "\ud800" <= char <= "\udfff":
        raise ParsingError("an IRI contains an unpaired surrogate (not Unicode text)")
    return f"\\u{ord(char):04X}"


def _serialize_iri(iri: Any) -> str:
    """``<iri>``; characters IRIREF cannot hold are written as ``\\uXXXX`` (as jsonld.js does).

    Implementation note: results are memoized (vocabulary IRIs recur in every document).
    """
    serialized = _SERIALIZED_IRIS.get(iri) if type(iri) is str else None
    if serialized is not None:
        return serialized
    if not isinstance(iri, str):
        raise ParsingError(f"an IRI must be a string, got {type(iri).__name__}")
    if _IRI_SPECIAL.search(iri) is None:
        serialized = "<" + iri + ">"
    else:
        serialized = "<" + _IRI_SPECIAL.sub(_uchar, iri) + ">"
    if type(iri) is str:
        if len(_SERIALIZED_IRIS) >= _MAX_SERIALIZED_IRIS:
            _SERIALIZED_IRIS.clear()
        _SERIALIZED_IRIS[iri] = serialized
    return serialized


_SERIALIZED_IRIS: dict[str, str] = {}
_MAX_SERIALIZED_IRIS: Final = 16_384


def _serialize_literal(value: Any, datatype: str, language: Any) -> str:
    """A literal in canonical N-Quads form.

    ``\\b \\t \\n \\f \\r \\" \\\\`` use ECHAR; other C0 controls, DEL, U+FFFE
    and U+FFFF use ``\\uXXXX`` with upper-case hex; all else is literal.
    """
    if not isinstance(value, str):
        raise ParsingError(f"literal value must be a string, got {type(value).__name__}")
    text: str = value
    if _LITERAL_SPECIAL.search(text) is not None:
        text = _LITERAL_SPECIAL.sub(_escape_char, text)
    quoted = '"' + text + '"'
    if datatype == _RDF_LANGSTRING:
        if not language:
            return quoted
        if not isinstance(language, str) or not _LANGUAGE_TAG.fullmatch(language):
            raise ParsingError(f"{language!r} is not a language tag")
        return quoted + "@" + language
    if datatype == _XSD_STRING:
        return quoted
    return quoted + "^^" + _serialize_iri(datatype)


_Quad = tuple[str, ...]
"""A quad as its serialized terms in canonical N-Quads form: subject, predicate,
object and, outside the default graph, graph name. Blank nodes are ``_:label``
(so they start with ``_``), IRIs ``<…>`` and literals ``"…"``."""


def _nquad_line(terms: _Quad, label: Callable[[str], str] | None = None) -> str:
    """One N-Quads line from serialized terms; ``label`` renames blank nodes (``_:`` ids)."""
    if label is not None:
        terms = tuple([label(term) if term[0] == "_" else term for term in terms])
    return " ".join(terms) + " .\n"


# --- N-Quads parsing ---------------------------------------------------------------------------

_BNODE: Final = r"_:([A-Za-z0-9_](?:[A-Za-z0-9_.\-]*[A-Za-z0-9_\-])?)"


def _nquad_pattern(iriref: str, string: str) -> re.Pattern[str]:
    """The N-Quads statement grammar over the given IRIREF and string-literal body patterns."""
    literal = rf'"({string})"(?:\^\^{iriref}|@([a-zA-Z]+(?:-[a-zA-Z0-9]+)*))?'
    return re.compile(
        rf"[ \t]*(?:{iriref}|{_BNODE})[ \t]+{iriref}[ \t]+(?:{iriref}|{_BNODE}|{literal})"
        rf"[ \t]*(?:(?:{iriref}|{_BNODE})[ \t]*)?\.[ \t]*\n?"
    )


_NQUAD: Final = _nquad_pattern(
    r'<((?:[^\x00-\x20<>"{}|^`\\]|\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8})*)>',
    r'(?:[^"\\\n\r]|\\[tbnrf"\'\\]|\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8})*',
)
# Implementation note: the same grammar without escape sequences; a statement
# without backslashes matches it (with the same groups) several times faster.
_PLAIN_NQUAD: Final = _nquad_pattern(r'<([^\x00-\x20<>"{}|^`\\]*)>', r'[^"\\\n\r]*')
_ESCAPE: Final = re.compile(r"\\(?:([tbnrf\"'\\])|u([0-9A-Fa-f]{4})|U([0-9A-Fa-f]{8}))")
_UNESCAPE_ECHAR: Final[Mapping[str, str]] = {
    "t": "\t",
    "b": "\b",
    "n": "\n",
    "r": "\r",
    "f": "\f",
    '"': '"',
    "'": "'",
    "\\": "\\",
}


def _unescape_char(match: re.Match[str]) -> str:
    echar, short, long = match.groups()
    if echar is not None:
        return _UNESCAPE_ECHAR[echar]
    code = int(short or long, 16)
    if 0xD800 <= code <= 0xDFFF or code > 0x10FFFF:
        raise ParsingError(f"\\u escape {match.group()} is not a Unicode scalar value")
    return chr(code)


def _unescape(text: str) -> str:
    return _ESCAPE.sub(_unescape_char, text) if "\\" in text else text


def _parse_nquad(line: str) -> _Quad:
    """Parse one N-Quads statement into its terms in canonical form."""
    match = (
        _PLAIN_NQUAD.fullmatch(line) or _NQUAD.fullmatch(line) if isinstance(line, str) else None
    )
    if match is None:
        raise ParsingError(f"not an N-Quads statement: {line!r:.200}")
    (s_iri, s_bnode, p_iri, o_iri, o_bnode, lexical, datatype, language, g_iri, g_bnode) = (
        match.groups()
    )
    if lexical is None:
        obj = _parsed_node(o_iri, o_bnode)
    elif language is not None:
        obj = _serialize_literal(_unescape(lexical), _RDF_LANGSTRING, language)
    else:
        datatype = _XSD_STRING if datatype is None else _unescape(datatype)
        if datatype == _RDF_LANGSTRING:
            raise ParsingError("an rdf:langString literal needs a language tag")
        obj = _serialize_literal(_unescape(lexical), datatype, None)
    terms = (_parsed_node(s_iri, s_bnode), _serialize_iri(_unescape(p_iri)), obj)
    if g_iri is not None or g_bnode is not None:
        return (*terms, _parsed_node(g_iri, g_bnode))
    return terms


def _parsed_node(iri: str | None, bnode: str | None) -> str:
    if iri is not None:
        return _serialize_iri(_unescape(iri))
    return "_:" + str(bnode)


def _parse_each(nquads: Sequence[str]) -> list[_Quad]:
    """Parse N-Quads statements, one per item, in order."""
    if isinstance(nquads, str):
        raise TypeError("nquads must be a sequence of statements, not one string")
    return [_parse_nquad(line) for line in nquads]


def _parse_dataset(nquads: Sequence[str], *, max_bytes: int) -> list[_Quad]:
    """Parse N-Quads statements into a dataset: each distinct statement once."""
    if sum(len(line) for line in nquads if isinstance(line, str)) > max_bytes:
        raise CanonicalizationLimitError(f"N-Quads input larger than {max_bytes} bytes")
    return list(dict.fromkeys(_parse_each(nquads)))


# --- RDFC-1.0 ---------------------------------------------------------------------------------


# Hash Related Blank Node's position of each term of a quad ("" for the predicate).
_POSITIONS: Final = ("s", "", "o", "g")


class _Canonicalizer(URDNA2015):  # type: ignore[misc]
    """pyld's URDNA2015 state with RDFC-1.0 hashing, a chosen hash and a work bound.

    We reuse pyld's identifier issuers and Hash N-Degree Quads (with Hash
    Related Blank Node); Hash First Degree Quads is ours because it must
    serialize in canonical N-Quads form.
    """

    def __init__(self, new_hash: Callable[[], Any], max_work: int) -> None:
        super().__init__()
        self._new_hash = new_hash
        self._work_left = max_work
        self._max_work = max_work
        self._depth = 0

    def create_hash(self) -> Any:
        return self._new_hash()

    def _spend(self, units: int) -> None:
        self._work_left -= units
        if self._work_left < 0:
            raise CanonicalizationLimitError(
                f"RDFC-1.0 needs more than {self._max_work} work units (poison graph?)"
            )

    def hash_first_degree_quads(self, id_: str) -> str:
        """Hash the quads that mention one blank node, others blanked out.

        Spec: rdf-canon#hash-1d-quads
        """
        info = self.blank_node_info[id_]
        cached: str | None = info.get("hash")
        if cached is not None:
            return cached

        # Step 1: nquads, an empty list.
        # Step 2: the quads that mention the reference blank node.
        # Step 3: serialize each in canonical N-Quads form, the reference blank
        # node as _:a and every other blank node as _:z.
        nquads = [
            " ".join([(("_:a" if t == id_ else "_:z") if t[0] == "_" else t) for t in quad])
            + " .\n"
            for quad in info["quads"]
        ]
        # Step 4: sort in code point order.
        nquads.sort()
        # Step 5: hash the concatenation.
        digest = self.create_hash()
        digest.update("".join(nquads).encode())
        hashed: str = digest.hexdigest()
        info["hash"] = hashed
        return hashed

    def create_hash_to_related(self, id_: str, issuer: Any) -> dict[str, list[str]]:
        """Steps 1-3 of Hash N-Degree Quads: the related blank nodes of ``id_`` by their hash.

        Spec: rdf-canon#hash-nd-quads
        """
        # Step 1: the hash to related blank nodes map.
        hash_to_related: dict[str, list[str]] = {}
        # Step 2: the quads that mention the reference blank node.
        # Step 3: for each of them, each other blank node as subject (s), object
        # (o) or graph name (g) is hashed with Hash Related Blank Node.
        for quad in self.blank_node_info[id_]["quads"]:
            for term, position in zip(quad, _POSITIONS[: len(quad)], strict=True):
                if position and term[0] == "_" and term != id_:
                    hashed = self.hash_related_blank_node(term, quad, issuer, position)
                    hash_to_related.setdefault(hashed, []).append(term)
        # Implementation note: Hash N-Degree Quads then tries every permutation
        # of each group of related blank nodes, copying the path issuer for
        # each; charge that to the work bound before it starts.
        copied = 1 + len(issuer.order)
        for related in hash_to_related.values():
            self._spend(_distinct_orders(related) * copied)
        return hash_to_related

    def get_related_predicate(self, quad: _Quad) -> str:
        """``<``, the predicate's IRI as it is (not escaped), ``>`` (Hash Related Blank Node)."""
        predicate = quad[1]
        return predicate if "\\" not in predicate else "<" + _unescape(predicate[1:-1]) + ">"

    def hash_n_degree_quads(self, id_: str, issuer: Any) -> Any:
        self._spend(1)
        if self._depth >= _MAX_HASH_DEPTH:
            raise CanonicalizationLimitError(
                f"RDFC-1.0 recursion deeper than {_MAX_HASH_DEPTH} (poison graph?)"
            )
        self._depth += 1
        try:
            return super().hash_n_degree_quads(id_, issuer)
        finally:
            self._depth -= 1


def _distinct_orders(items: list[str]) -> int:
    """How many distinct orders a list has (pyld never tries more permutations than this)."""
    log_orders = math.lgamma(len(items) + 1) - sum(
        math.lgamma(count + 1) for count in Counter(items).values()
    )
    return round(math.exp(min(log_orders, 60.0)))


def _hash_factory(hash_name: str) -> Callable[[], Any]:
    """The hash RDFC-1.0 runs with: SHA-256, or SHA-384 for ecdsa-rdfc-2019 on P-384 (P17)."""
    new_hash = _HASHES.get(hash_name)
    if new_hash is None:
        raise ValueError(f"hash_name must be 'sha256' or 'sha384', not {hash_name!r}")
    return new_hash


def _rdfc_1_0(
    quads: list[_Quad], *, new_hash: Callable[[], Any], max_blank_nodes: int, max_work: int
) -> CanonicalResult:
    """Canonically label the blank nodes of a dataset and serialize it (RDFC-1.0).

    Spec: rdf-canon#canon-algorithm
    """
    # Step 1: the canonicalization state (blank node to quads map, hash to
    # blank nodes map, canonical issuer c14n).
    state = _Canonicalizer(new_hash, max_work)
    blank_node_info: dict[str, dict[str, Any]] = state.blank_node_info
    # Step 2: map each blank node to the quads that mention it, each quad once.
    # Implementation note: a serialized term starting with "_" is a blank node id.
    for quad in quads:
        for term in quad:
            if term[0] == "_":
                entry = blank_node_info.get(term)
                if entry is None:
                    blank_node_info[term] = {"quads": [quad]}
                elif entry["quads"][-1] is not quad:
                    entry["quads"].append(quad)
    if len(blank_node_info) > max_blank_nodes:
        raise CanonicalizationLimitError(
            f"{len(blank_node_info)} blank nodes (limit {max_blank_nodes})"
        )
    issuer: IdentifierIssuer = state.canonical_issuer
    if len(blank_node_info) == 1:
        # Implementation note: steps 3-5 only order blank nodes among each
        # other; a single blank node gets c14n0 whatever its hash.
        issuer.get_id(next(iter(blank_node_info)))
    elif blank_node_info:
        # Step 3: the first degree hash of every blank node.
        hash_to_blank_nodes: dict[str, list[str]] = {}
        for id_ in blank_node_info:
            hash_to_blank_nodes.setdefault(state.hash_first_degree_quads(id_), []).append(id_)
        # Step 4: in hash order, issue canonical ids to blank nodes with a unique hash.
        shared: list[list[str]] = []
        for hashed in sorted(hash_to_blank_nodes):
            identifiers = hash_to_blank_nodes[hashed]
            if len(identifiers) > 1:
                shared.append(identifiers)
            else:
                issuer.get_id(identifiers[0])
        # Step 5: for each shared hash, in hash order:
        for identifiers in shared:
            # Step 5.1: the hash path list.
            hash_path_list = []
            # Step 5.2: run Hash N-Degree Quads for each node not yet labelled,
            # each with a fresh temporary issuer (prefix b) that labels it first.
            for id_ in identifiers:
                if issuer.has_id(id_):
                    continue
                temporary = IdentifierIssuer("_:b")
                temporary.get_id(id_)
                hash_path_list.append(state.hash_n_degree_quads(id_, temporary))
            # Step 5.3: in result-hash order, issue canonical ids in the order
            # the temporary issuer issued them.
            for result in sorted(hash_path_list, key=lambda result: result["hash"]):
                for existing in result["issuer"].order:
                    issuer.get_id(existing)
    # Step 6: the issued identifiers map.
    issued: dict[str, str] = issuer.existing
    # Step 7: the serialized canonical form: every quad with canonical labels, sorted.
    canonical = sorted(
        (" ".join(terms) + " .\n", terms)
        for terms in (
            tuple([issued[term] if term[0] == "_" else term for term in quad]) for quad in quads
        )
    )
    return CanonicalResult(
        nquads=tuple(line for line, _ in canonical),
        issued_ids=MappingProxyType({old[2:]: new[2:] for old, new in issued.items()}),
        terms=tuple(terms for _, terms in canonical),
    )


# --- JSON-LD to quads ---------------------------------------------------------------------


_RDF: Final = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
_RDF_TYPE: Final = "<" + _RDF + "type>"


# Characters in literals that RDF libraries serialize differently in N-Quads:
# RDFC-1.0 escapes \b, \f, the other C0 controls but tab, newline and carriage return, and
# DEL; pyld writes them raw; rdf-canonize (jsonld.js) writes U+FFFE and U+FFFF raw,
# which RDF 1.2 escapes. A signature over them would not verify everywhere (docs/protocols.md, P2).
_NON_PORTABLE: Final = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")


def _check_portable_literal(value: str) -> None:
    """Refuse a literal that other implementations would canonicalize differently."""
    found = _NON_PORTABLE.search(value)
    if found is not None:
        raise ParsingError(
            f"a literal contains U+{ord(found.group()):04X}, which RDF libraries serialize "
            "differently; remove it (safe mode)"
        )


class _RdfWriter:
    """Expanded JSON-LD to RDF quads (JSON-LD 1.1 "Deserialize JSON-LD to RDF").

    Implementation note: this walks the expanded document directly instead of
    building pyld's node map (pyld's ``to_rdf`` was a third of the time).
    Like pyld it skips triples with a relative IRI (safe mode has rejected
    those already) and relabels every blank node ``_:b0``, ``_:b1``, … in
    order of appearance. Value objects still go through pyld's
    ``_object_to_rdf`` (floats, ``@json``, ``@direction``). In safe mode a
    string literal with a character that RDF libraries serialize
    differently is refused (see :func:`_check_portable_literal`).
    """

    def __init__(self, options: dict[str, Any], *, safe: bool) -> None:
        self.options = options
        # Implementation note: after safe mode every IRI is absolute already.
        self._safe = safe
        self.quads: list[_Quad] = []
        self._seen: set[_Quad] = set()
        self._blank_ids: dict[str, str] = {}
        self._blank_count = 0

    def _fresh_blank(self) -> str:
        label = f"_:b{self._blank_count}"
        self._blank_count += 1
        return label

    def _resource(self, iri: Any) -> str | None:
        """The term for an ``@id``/``@type`` value; ``None`` for a relative IRI."""
        if type(iri) is not str:
            return None
        if iri.startswith("_:"):
            term = self._blank_ids.get(iri)
            if term is None:
                term = self._blank_ids[iri] = self._fresh_blank()
            return term
        return self._iri(iri)

    def _iri(self, iri: str) -> str | None:
        """``<iri>`` for an absolute IRI; ``None`` for a relative one (outside safe mode)."""
        if not self._safe and not _ABSOLUTE_IRI.fullmatch(iri):
            return None
        return _SERIALIZED_IRIS.get(iri) or _serialize_iri(iri)

    def _emit(
        self, subject: str | None, predicate: str | None, obj: str | None, graph: str | None
    ) -> None:
        if subject is None or predicate is None or obj is None:
            return
        # A dataset is a set: a triple stated twice (a node described in two
        # places) is written once.
        quad = (subject, predicate, obj) if graph is None else (subject, predicate, obj, graph)
        if quad not in self._seen:
            self._seen.add(quad)
            self.quads.append(quad)

    def node(self, node: Mapping[str, Any], graph: str | None) -> str | None:
        """Write a node object's triples; return its term (``None`` if relative)."""
        subject = self._resource(node["@id"]) if "@id" in node else self._fresh_blank()
        for key, values in node.items():
            if key == "@type":
                for type_ in values:
                    self._emit(subject, _RDF_TYPE, self._resource(type_), graph)
            elif key == "@reverse":
                for prop, nodes in values.items():
                    predicate = self._property(prop)
                    for item in nodes:
                        self._emit(self.node(item, graph), predicate, subject, graph)
            elif key == "@graph":
                if subject is not None:
                    for item in values:
                        if "@value" not in item and "@list" not in item:
                            self.node(item, subject)
            elif key == "@included":
                for item in values:
                    self.node(item, graph)
            elif not key.startswith("@"):
                predicate = self._property(key)
                for item in values:
                    self._emit(subject, predicate, self.object(item, graph), graph)
        return subject

    def _property(self, iri: str) -> str | None:
        return None if iri.startswith("_:") else self._iri(iri)

    def object(self, item: Mapping[str, Any], graph: str | None) -> str | None:
        """The term for a property value, writing nested nodes and list cells."""
        if "@value" in item:
            return self._literal(item)
        if "@list" in item:
            return self._list(item["@list"], graph)
        return self.node(item, graph)

    def _literal(self, item: Mapping[str, Any]) -> str:
        """A value object as a literal term.

        Implementation note: strings, booleans and integers are handled here
        (as pyld does); floats, ``@json`` and ``@direction`` go to pyld. This
        also keeps a string typed xsd:double as it is, as JSON-LD 1.1 and
        jsonld.js do (pyld would rewrite "1.50" to "1.5E0").
        """
        value = item["@value"]
        kind = type(value)
        datatype = item.get("@type")
        if kind is str and self._safe and not value.isprintable():
            _check_portable_literal(value)
        if kind is str and "@direction" not in item and datatype != "@json":
            language = item.get("@language")
            if language is not None:
                return _serialize_literal(value, _RDF_LANGSTRING, language)
            return _serialize_literal(value, datatype or _XSD_STRING, None)
        if kind is bool and datatype != "@json":
            return _serialize_literal("true" if value else "false", datatype or _XSD_BOOLEAN, None)
        if kind is int and datatype not in ("@json", _XSD_DOUBLE) and abs(value) < 10**21:
            return _serialize_literal(str(value), datatype or _XSD_INTEGER, None)
        literal: dict[str, Any] = _PLAIN_PROCESSOR._object_to_rdf(item, None, None, self.options)
        return _serialize_literal(literal["value"], literal["datatype"], literal.get("language"))

    def _list(self, items: list[Any], graph: str | None) -> str | None:
        if not items:
            return self._resource(_RDF + "nil")
        first, rest = self._resource(_RDF + "first"), self._resource(_RDF + "rest")
        head = cell = self._fresh_blank()
        for index, item in enumerate(items):
            self._emit(cell, first, self.object(item, graph), graph)
            following = self._fresh_blank() if index + 1 < len(items) else None
            self._emit(cell, rest, following or self._resource(_RDF + "nil"), graph)
            if following is not None:
                cell = following
        return head


def _json_ld_quads(
    document: Any,
    document_loader: DocumentLoader,
    *,
    safe: bool,
    max_depth: int,
    max_bytes: int,
) -> list[_Quad]:
    """Safe-mode expansion and RDF conversion of an untrusted document."""
    copied = _copy_json(document, max_depth=max_depth, max_bytes=max_bytes)
    options = _options(document_loader)
    with _pyld_calls():
        writer = _RdfWriter(options, safe=safe)
        for node in _expand_copy(copied, options, safe=safe):
            if "@value" not in node and "@list" not in node:
                writer.node(node, None)
    return writer.quads


# --- Public API -------------------------------------------------------------------------------


def expand(
    document: Any,
    *,
    document_loader: DocumentLoader,
    safe: bool = True,
    max_depth: int = MAX_JSON_DEPTH,
    max_bytes: int = MAX_JSON_BYTES,
) -> list[JsonObject]:
    """Expand a JSON-LD document (safe mode by default: data loss raises).

    Raises ``DataLossError`` for an undefined term or a relative IRI,
    ``DocumentLoadError`` when a context cannot be loaded, ``ParsingError``
    for anything else that is not valid JSON-LD, and
    ``CanonicalizationLimitError`` for input past the size limits.
    """
    copied = _copy_json(document, max_depth=max_depth, max_bytes=max_bytes)
    options = _options(document_loader)
    with _pyld_calls():
        return _expand_copy(copied, options, safe=safe)


def compact(
    document: Any,
    context: Any,
    *,
    document_loader: DocumentLoader,
    safe: bool = True,
    max_depth: int = MAX_JSON_DEPTH,
    max_bytes: int = MAX_JSON_BYTES,
) -> JsonObject:
    """Compact a JSON-LD document (compact or expanded) with ``context``.

    The document is expanded first, in safe mode by default; errors as for
    :func:`expand`.
    """
    copied = _copy_json(document, max_depth=max_depth, max_bytes=max_bytes)
    if isinstance(context, (dict, list)):
        context = _copy_json(context, max_depth=max_depth, max_bytes=max_bytes)
    elif not isinstance(context, str):
        raise ParsingError("a JSON-LD context must be a URL, an object or an array")
    options = _options(document_loader)
    with _pyld_calls():
        # Implementation note: ecdsa-sd-2023 compacts its skolemized expanded
        # document; expanding that again would give it back (see
        # _is_expanded_fixpoint), and compaction does not depend on key order.
        if _is_expanded_fixpoint(copied):
            expanded = copied
        else:
            expanded = _expand_copy(copied, options, safe=safe)
        compacted = _PLAIN_PROCESSOR.compact(
            expanded, context, {**options, "skipExpansion": True, "compactArrays": True}
        )
    if not isinstance(compacted, dict):
        raise ParsingError("compaction did not produce a JSON object")
    return compacted


def to_nquads(
    document: Any,
    *,
    document_loader: DocumentLoader,
    safe: bool = True,
    max_depth: int = MAX_JSON_DEPTH,
    max_bytes: int = MAX_JSON_BYTES,
) -> list[str]:
    """Convert JSON-LD (compact or expanded) to sorted N-Quads lines, not canonicalized.

    Blank nodes keep the labels pyld issues (``_:b0``…); literals use
    canonical N-Quads escaping; ``@direction`` uses ``i18n-datatype``.
    """
    quads = _json_ld_quads(
        document, document_loader, safe=safe, max_depth=max_depth, max_bytes=max_bytes
    )
    return sorted(_nquad_line(quad) for quad in quads)


def canonicalize(
    document: Any,
    *,
    document_loader: DocumentLoader,
    hash_name: HashName = "sha256",
    safe: bool = True,
    max_depth: int = MAX_JSON_DEPTH,
    max_bytes: int = MAX_JSON_BYTES,
    max_blank_nodes: int = MAX_BLANK_NODES,
    max_work: int = MAX_WORK,
) -> CanonicalResult:
    """Canonicalize a JSON-LD document with RDFC-1.0 (``hash_name`` inside the algorithm).

    Errors as for :func:`expand`; a dataset past ``max_blank_nodes`` or
    ``max_work`` raises ``CanonicalizationLimitError``.
    """
    new_hash = _hash_factory(hash_name)
    quads = _json_ld_quads(
        document, document_loader, safe=safe, max_depth=max_depth, max_bytes=max_bytes
    )
    return _rdfc_1_0(quads, new_hash=new_hash, max_blank_nodes=max_blank_nodes, max_work=max_work)


def canonicalize_nquads(
    nquads: Sequence[str],
    *,
    hash_name: HashName = "sha256",
    max_bytes: int = MAX_JSON_BYTES,
    max_blank_nodes: int = MAX_BLANK_NODES,
    max_work: int = MAX_WORK,
) -> CanonicalResult:
    """Canonicalize N-Quads statements (one per item) with RDFC-1.0.

    Duplicate statements count once. Blank-node labels must be ASCII
    (``[A-Za-z0-9_.-]``). Malformed statements raise ``ParsingError``.
    """
    new_hash = _hash_factory(hash_name)
    quads = _parse_dataset(nquads, max_bytes=max_bytes)
    return _rdfc_1_0(quads, new_hash=new_hash, max_blank_nodes=max_blank_nodes, max_work=max_work)


def relabel_nquads(nquads: Sequence[str], labels: Mapping[str, str]) -> list[str]:
    """Rename blank nodes in N-Quads statements, keeping their order.

    ``labels`` maps old to new ids, both without ``_:``; unmapped blank nodes
    keep their id. Literals are never touched. Malformed statements raise
    ``ParsingError``; a new id that is not a blank-node label is ``ValueError``.
    """
    for new in labels.values():
        if not isinstance(new, str) or not _BLANK_LABEL.fullmatch(new):
            raise ValueError(f"{new!r} is not a blank node label")

    def rename(label: str) -> str:
        return "_:" + labels.get(label[2:], label[2:])

    return [_nquad_line(quad, rename) for quad in _parse_each(nquads)]
