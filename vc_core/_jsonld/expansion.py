"""The fast expansion path: pyld's expansion, step for step, for what credentials use.

pyld's expansion is generic (framing, every container kind, ``@nest``,
``@reverse`` ...) and was most of a verification. Credentials use a small part
of JSON-LD: node objects with ``@id``, ``@type`` and plain (or ``@set``, or
``@graph``) properties whose values are strings, numbers, booleans or node
objects. :class:`FastExpansion` mirrors pyld's ``_expand``,
``_prepare_nested_context``, ``_expand_object`` and ``_expand_value`` for
exactly that part, with the same context processing, so its output is pyld's
(key order included); what a term means in an active context is looked up
once per context (:class:`_TermRule`). It applies the safe-mode IRI checks as
it goes. Anything else, and any failed check, raises :class:`FallbackError`
before the result could differ: the caller then expands the whole document
with pyld, which gives the same result or raises the usual error.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Final

from pyld import jsonld

from vc_core._jsonld.safe_mode import ABSOLUTE_IRI, is_safe_iri

__all__ = ["MAP_CONTAINERS", "PYLD_ABSOLUTE_IRI", "SCALARS", "FallbackError", "FastExpansion"]


class FastExpansion(jsonld.JsonLdProcessor):  # type: ignore[misc]
    """pyld's processor with the fast expansion path (``_fast_expand``)."""

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
                raise FallbackError
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
                raise FallbackError
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
                raise FallbackError
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
            raise FallbackError
        types = node.get("@type")
        if types is not None and type(types) is not list:
            node["@type"] = [types]
        # A top-level node without content is dropped by pyld.
        if active_property is None and (not node or (len(node) == 1 and "@id" in node)):
            raise FallbackError
        return node

    def _fast_prepare_nested_context(
        self, active_ctx: Any, element: dict[str, Any], keys: list[str], options: Any
    ) -> tuple[Any, str | None, Any]:
        """pyld's ``_prepare_nested_context``: apply a node's local and type-scoped contexts."""
        if "@context" in element:
            local_ctx = element["@context"]
            # pyld refuses a local context that only redefines @context.
            if type(local_ctx) is dict and len(local_ctx) == 1 and "@context" in local_ctx:
                raise FallbackError
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
                raise FallbackError
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
                elif rule.expanded == "@value" and type(value) in SCALARS and "@value" not in node:
                    node["@value"] = value
                elif (
                    rule.expanded == "@language" and type(value) is str and "@language" not in node
                ):
                    node["@language"] = value.lower()
                else:
                    raise FallbackError
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
                raise FallbackError
            # Implementation note: a scalar under a term without a scoped context
            # is what _fast_expand would expand with this same rule.
            if term_ctx is active_ctx and type(value) in SCALARS:
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
            raise FallbackError
        datatype = value_object.get("@type")
        if datatype is not None:
            if "@language" in value_object or any(
                type(element[key]) is list and _term_rule(self, active_ctx, key).expanded == "@type"
                for key in keys
            ):
                raise FallbackError
            _checked(datatype, blank_ok=False)
        elif "@language" in value_object and type(value_object["@value"]) is not str:
            raise FallbackError
        return value_object

    def _fast_expand_value(self, active_ctx: Any, rule: _TermRule, value: Any) -> Any:
        """pyld's ``_expand_value`` for a scalar under a plain property (``rule`` is its rule)."""
        type_mapping = rule.type_mapping
        if not rule.property_ok or type(value) not in SCALARS:
            raise FallbackError
        if type(value) is str and (type_mapping == "@id" or type_mapping == "@vocab"):
            iri = self._expand_iri(active_ctx, value, base=None, vocab=type_mapping == "@vocab")
            return {"@id": _checked(iri)}
        literal: dict[str, Any] = {}
        if type_mapping is not None and type_mapping not in ("@id", "@vocab", "@none"):
            if type_mapping == "@json":
                raise FallbackError
            literal["@type"] = _checked(type_mapping, blank_ok=False)
        elif type(value) is str:
            if rule.language is not None:
                literal["@language"] = rule.language
            if rule.direction is not None:
                literal["@direction"] = rule.direction
        literal["@value"] = value
        return literal


class FallbackError(Exception):
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
SCALARS: Final = frozenset({str, int, float, bool})
MAP_CONTAINERS: Final = ("@language", "@index", "@id", "@type")
_VALUE_OBJECT_KEYS: Final = frozenset({"@value", "@type", "@language"})
# pyld's own absolute-IRI test (a blank node id counts too).
PYLD_ABSOLUTE_IRI: Final = re.compile(r"^([A-Za-z][A-Za-z0-9+-.]*|_):[^\s]*$")


def _term_rule(processor: FastExpansion, active_ctx: Any, key: str) -> _TermRule:
    """The :class:`_TermRule` of ``key`` in a finished (frozen) active context."""
    rules = _context_rules(active_ctx)
    return rules.get(key) or _new_term_rule(processor, active_ctx, rules, key)


def _context_rules(active_ctx: Any) -> dict[str, _TermRule]:
    """The term rules known for a finished (frozen) active context, by key."""
    uuid = active_ctx.get("_uuid") if type(active_ctx) is not dict else None
    if uuid is None:
        raise FallbackError
    rules = _TERM_RULES.get(uuid)
    if rules is None:
        if len(_TERM_RULES) >= _MAX_RULE_CONTEXTS:
            _TERM_RULES.clear()
        rules = _TERM_RULES[uuid] = {}
    return rules


def _new_term_rule(
    processor: FastExpansion, active_ctx: Any, rules: dict[str, _TermRule], key: str
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
        and PYLD_ABSOLUTE_IRI.match(expanded) is not None
        and ABSOLUTE_IRI.fullmatch(expanded) is not None,
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
    if is_safe_iri(iri, blank_ok=blank_ok):
        return iri
    raise FallbackError
