"""The fast compaction path and memoized IRI compaction.

ecdsa-sd-2023 compacts every skolemized document it signs or derives. pyld
tries every term of the context as a CURIE prefix for each IRI it cannot
compact to a term, and compacts generically; :class:`FastCompaction` memoizes
IRI compaction per frozen active context and mirrors pyld's ``_compact`` step
for step for expanded node objects with ``@id``, ``@type`` and properties
without containers other than ``@set``, holding value objects, node references
or more such nodes; anything else raises :class:`FallbackError` and the whole
document is compacted by pyld. A document that is already in expanded form
(:func:`is_expanded_fixpoint`) is not expanded again.
"""

from __future__ import annotations

import re
from typing import Any, Final

from pyld import jsonld

from vc_core._jsonld.expansion import MAP_CONTAINERS, PYLD_ABSOLUTE_IRI, SCALARS, FallbackError
from vc_core._jsonld.safe_mode import ABSOLUTE_IRI, is_safe_iri

__all__ = ["FastCompaction", "is_expanded_fixpoint"]

_MISSING: Final = object()
_COMPACTED_IRIS: dict[tuple[Any, ...], Any] = {}
_MAX_COMPACTED_IRIS: Final = 65_536


class FastCompaction(jsonld.JsonLdProcessor):  # type: ignore[misc]
    """pyld's processor with memoized IRI compaction and the fast compaction path."""

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
    # node references or more such nodes; anything else raises FallbackError
    # and the whole document is compacted by pyld.

    def _compact(self, active_ctx: Any, active_property: Any, element: Any, options: Any) -> Any:
        if active_property is None:
            try:
                return self._fast_compact(active_ctx, None, element, options)
            except FallbackError:
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
            raise FallbackError
        ctx = get_context_value(active_ctx, active_property, "@context")
        if ctx is not None:
            active_ctx = self._process_context(
                active_ctx, ctx, options, propagate=True, override_protected=True
            )
        if "@value" in element or (len(element) == 1 and "@id" in element):
            return self._compact_value(active_ctx, active_property, element, options)
        if "@list" in element:
            raise FallbackError
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
            raise FallbackError
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
                raise FallbackError
            if not expanded_value:
                raise FallbackError
            for expanded_item in expanded_value:
                item_active_property = self._compact_iri(
                    active_ctx, expanded_property, expanded_item, vocab=True
                )
                mapping = active_ctx["mappings"].get(item_active_property, {})
                if mapping is None or mapping.get("@nest"):
                    raise FallbackError
                if type(expanded_item) is dict and (
                    "@graph" in expanded_item or "@list" in expanded_item
                ):
                    raise FallbackError
                container = jsonld.JsonLdProcessor.arrayify(
                    get_context_value(active_ctx, item_active_property, "@container")
                )
                if any(kind in container for kind in MAP_CONTAINERS):
                    raise FallbackError
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


def is_expanded_fixpoint(document: Any) -> bool:
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
            if not is_safe_iri(value, blank_ok=True):
                return False
        elif key == "@type":
            if type(value) is not list or not value:
                return False
            if not all(is_safe_iri(type_, blank_ok=True) for type_ in value):
                return False
        elif type(value) is not list or not _is_fixpoint_property(key):
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


def _is_fixpoint_property(key: str) -> bool:
    """Whether ``key`` is an absolute-IRI property that expansion keeps as it is.

    Implementation note: property IRIs recur in every document; those seen
    before skip the patterns.
    """
    if key in _FIXPOINT_PROPERTIES:
        return True
    if (
        key.startswith("@")
        or PYLD_ABSOLUTE_IRI.match(key) is None
        or ABSOLUTE_IRI.fullmatch(key) is None
    ):
        return False
    if len(_FIXPOINT_PROPERTIES) >= _MAX_FIXPOINT_PROPERTIES:
        _FIXPOINT_PROPERTIES.clear()
    _FIXPOINT_PROPERTIES.add(key)
    return True


_FIXPOINT_PROPERTIES: set[str] = set()
_MAX_FIXPOINT_PROPERTIES: Final = 4_096


def _is_fixpoint_value(item: dict[str, Any]) -> bool:
    value = item["@value"]
    if type(value) not in SCALARS or len(item) > 2:
        return False
    if "@type" in item:
        return is_safe_iri(item["@type"], blank_ok=False)
    if "@language" in item:
        language = item["@language"]
        return type(language) is str and type(value) is str and language == language.lower()
    return len(item) == 1
