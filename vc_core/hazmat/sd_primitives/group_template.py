"""canonicalizeAndGroup from a cached template, for documents that differ only in their values.

Implementation note (vc-di-ecdsa#canonicalizeandgroup): not a spec algorithm, and
never a different result. An issuer signs the same credential shape over and
over: the same context, keys, types and arrays, with other names, dates, numbers,
holder DIDs and status indexes. Expanding, skolemizing, compacting, converting to
RDF and selecting depend on those values only in ways checked here, so they run
once per shape, on a *template*: the document with every string and integer
value replaced by a unique placeholder. Each document of that shape then gets
its skolemized quads by putting its own values back into the template's quads,
and is canonicalized (RDFC-1.0 with label replacement) and grouped as
:func:`canonicalize_and_group` does.

A value is put back only where its placeholder became one whole RDF term:

- a **literal** (the value object of a string or integer, not ``@json``): the
  document's string is escaped as the literal it becomes, its integer written
  as ``xsd:integer`` writes it; a string safe mode would refuse is not put back;
- an **IRI** (an ``@id``, or a value coerced to one): only an absolute IRI that
  needs no escaping, is no skolem id and that no context can rewrite (no term,
  prefix, ``@vocab`` or ``@base`` of the document's contexts starts it, and its
  scheme is no term) is put back, so it expands and compacts to itself.

A value whose placeholder landed anywhere else (a type, inside a longer IRI or
a JSON literal) or nowhere becomes part of the shape. Values of ``@type``,
``@language``, ``@direction``, ``@index`` and ``@context`` (and their aliases)
are part of the shape from the start; a document with a nested ``@context``,
a document whose RDF is not written from its expanded form, a loader without a
``cache_key`` and a document with two values that make one statement twice get
``None``: the caller takes :func:`canonicalize_and_group`.
"""

from __future__ import annotations

import json
import re
import secrets
from collections.abc import Hashable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

from vc_core import _jsonld
from vc_core.errors import VcError
from vc_core.hazmat.sd_primitives.canonicalize import (
    LabelMapFactoryFunction,
    label_replacement_canonicalize_quads,
    relabel_blank_nodes,
)
from vc_core.hazmat.sd_primitives.group import Group
from vc_core.hazmat.sd_primitives.select import equivalent_pointer, select_json_ld
from vc_core.hazmat.sd_primitives.skolemize import (
    URN_SCHEME,
    deskolemized_quads,
    skolemize_compact_json_ld,
)
from vc_core.types import DocumentLoader, JsonObject

__all__ = ["canonicalize_and_group_from_template"]

_SHAPE_KEYWORDS: Final = frozenset({"@context", "@type", "@language", "@direction", "@index"})
_IRI_ESCAPED: Final = frozenset('<>"{}|^`\\')
_MAX_TEMPLATES: Final = 256
_MAX_SLOTS: Final = 10_000
_INTEGER_PLACEHOLDERS: Final = 9 * 10**20  # below 10**21: still written as xsd:integer


@dataclass(frozen=True, slots=True)
class _Contexts:
    """What the document's contexts define, as far as putting values back is concerned."""

    shape_keys: frozenset[str]
    terms: frozenset[str]
    iris: tuple[str, ...]

    def keeps(self, iri: Any) -> bool:
        """Whether ``iri`` expands and compacts to itself under these contexts."""
        return (
            type(iri) is str
            and _jsonld.ABSOLUTE_IRI.fullmatch(iri) is not None
            and _IRI_ESCAPED.isdisjoint(iri)
            and iri.partition(":")[0] not in self.terms
            and not iri.startswith(f"urn:{URN_SCHEME}:")
            and not iri.startswith(self.iris)
        )


@dataclass(frozen=True, slots=True)
class _Landing:
    """Where a slot's value goes: term ``term`` of quad ``quad``; ``suffix`` None for an IRI."""

    quad: int
    term: int
    slot: int
    suffix: str | None


@dataclass(frozen=True, slots=True)
class _Quads:
    """Skolemized quads with placeholders, and where each slot's value goes."""

    quads: tuple[_jsonld.Quad, ...]
    landings: tuple[_Landing, ...]

    def fill(self, written: Sequence[tuple[str, str]]) -> list[_jsonld.Quad] | None:
        """The quads with each slot's value put back (``written``: as IRI, as literal)."""
        filled = [list(quad) for quad in self.quads]
        for landing in self.landings:
            iri, literal = written[landing.slot]
            filled[landing.quad][landing.term] = (
                iri if landing.suffix is None else literal + landing.suffix
            )
        quads = [tuple(quad) for quad in filled]
        # A dataset is a set: values that make one statement twice need the general path.
        return quads if len(set(quads)) == len(quads) else None


@dataclass(frozen=True, slots=True)
class _Template:
    """canonicalizeAndGroup's work for one shape, up to canonicalization."""

    document: _Quads
    selections: Mapping[str, _Quads]
    pointers: Mapping[str, tuple[str, ...]]
    iri_slots: frozenset[int]
    fixed: frozenset[int]


_CONTEXTS: dict[tuple[str, str], _Contexts | None] = {}
_FIXED: dict[Hashable, frozenset[int] | None] = {}
"""Per shape: the slots that stay in it (empty: seen once), or None: no template."""
_TEMPLATES: dict[Hashable, _Template] = {}


def canonicalize_and_group_from_template(
    document: JsonObject,
    label_map_factory_function: LabelMapFactoryFunction,
    group_definitions: Mapping[str, Sequence[str]],
    *,
    document_loader: DocumentLoader,
) -> dict[str, Group] | None:
    """The groups :func:`canonicalize_and_group` returns, from this shape's template.

    ``None`` when the document cannot be grouped from a template (see the
    module docstring); the caller then takes :func:`canonicalize_and_group`,
    which also raises whatever error the document deserves.
    """
    cache_key = getattr(document_loader, "cache_key", None)
    if not isinstance(document, dict) or not isinstance(cache_key, str):
        return None
    try:
        copied = _jsonld.copy_untrusted(
            document, max_depth=_jsonld.MAX_JSON_DEPTH, max_bytes=_jsonld.MAX_JSON_BYTES
        )
        contexts = _contexts(copied.get("@context"), cache_key, document_loader)
        if contexts is None:
            return None
        values: list[Any] = []
        shape = (cache_key, _shape(copied, values, contexts.shape_keys, top=True))
    except (VcError, TypeError, _NoTemplateError):
        return None
    if len(values) > _MAX_SLOTS:
        return None
    groups_key = tuple((name, tuple(pointers)) for name, pointers in group_definitions.items())
    fixed_key = (shape, groups_key)
    if fixed_key not in _FIXED:
        # Implementation note: a shape seen for the first time goes the general way.
        # Making a template costs about one general grouping, so a one-off document (a
        # caller's own shape) would pay twice; an issuer's shapes recur at once.
        _remember(_FIXED, fixed_key, frozenset())
        return None
    fixed = _FIXED.get(fixed_key)
    if fixed is None:
        return None
    template = _TEMPLATES.get(_template_key(fixed_key, fixed, values))
    if template is None:
        made = _make_template(copied, values, group_definitions, contexts, document_loader)
        if made is None:
            # The shape itself (placeholders only) cannot be grouped from a template.
            _remember(_FIXED, fixed_key, None)
            return None
        fixed, template = made
        if template is None:
            # This document's values cannot; another document of its shape may.
            return None
        _remember(_FIXED, fixed_key, fixed)
        _remember(_TEMPLATES, _template_key(fixed_key, fixed, values), template)
    return _groups(template, values, contexts, label_map_factory_function)


class _NoTemplateError(Exception):
    """This document is grouped the general way."""


def _remember(memo: dict[Any, Any], key: Hashable, value: Any) -> None:
    if len(memo) >= _MAX_TEMPLATES:
        memo.clear()
    memo[key] = value


def _template_key(fixed_key: Hashable, fixed: Iterable[int], values: Sequence[Any]) -> Hashable:
    """The shape, plus the slots that are part of it, with their values."""
    return (
        fixed_key,
        tuple((slot, type(values[slot]).__name__, values[slot]) for slot in sorted(fixed)),
    )


def _shape(
    value: Any, values: list[Any], shape_keys: frozenset[str], *, top: bool = False
) -> Hashable:
    """The document with its string and integer values taken out (into ``values``)."""
    kind = type(value)
    if kind is str or kind is int:
        values.append(value)
        return kind.__name__
    if kind is dict:
        members: list[Hashable] = ["{"]
        for key, member in value.items():
            if key == "@context" and not top:
                raise _NoTemplateError
            if key in shape_keys:
                members.append((key, "=", json.dumps(member)))
            else:
                members.append((key, _shape(member, values, shape_keys)))
        return tuple(members)
    if kind is list:
        return ("[", *(_shape(item, values, shape_keys) for item in value))
    return ("=", json.dumps(value))


def _contexts(context: Any, cache_key: str, document_loader: DocumentLoader) -> _Contexts | None:
    """What ``context`` (and every context it loads) defines; ``None`` if one fails to load."""
    memo_key = (cache_key, json.dumps(context))
    if memo_key in _CONTEXTS:
        return _CONTEXTS[memo_key]
    shape_keys = set(_SHAPE_KEYWORDS)
    terms: set[str] = set()
    iris: set[str] = set()
    loaded: set[str] = set()

    def scan(value: Any, *, is_context: bool) -> None:
        if isinstance(value, list):
            for item in value:
                scan(item, is_context=is_context)
        elif isinstance(value, str):
            if is_context and value not in loaded:
                loaded.add(value)
                remote = document_loader(value)["document"]
                remote = json.loads(remote) if isinstance(remote, str | bytes) else remote
                if not isinstance(remote, dict):
                    raise _NoTemplateError
                scan(remote.get("@context"), is_context=True)
            elif not is_context and ":" in value:
                iris.add(value)
        elif isinstance(value, dict):
            for key, member in value.items():
                terms.add(key)
                definition = member.get("@id") if isinstance(member, dict) else member
                if isinstance(definition, str) and definition in _SHAPE_KEYWORDS:
                    shape_keys.add(key)
                if key in ("@vocab", "@base") and isinstance(member, str):
                    iris.add(member)
                scan(member, is_context=key == "@context")

    try:
        scan(context, is_context=True)
        found: _Contexts | None = _Contexts(
            frozenset(shape_keys), frozenset(terms), tuple(sorted(iris))
        )
    except (VcError, ValueError, TypeError, _NoTemplateError):
        found = None
    _remember(_CONTEXTS, memo_key, found)
    return found


def _make_template(
    document: JsonObject,
    values: Sequence[Any],
    group_definitions: Mapping[str, Sequence[str]],
    contexts: _Contexts,
    document_loader: DocumentLoader,
) -> tuple[frozenset[int], _Template | None] | None:
    """The slots that stay in the shape (with this document's values) and the template.

    ``None`` when the shape cannot be grouped from a template whatever its values;
    a ``None`` template when this document's values in those slots are the reason.
    """
    fixed: frozenset[int] = frozenset()
    placeholders = _Placeholders()
    for _ in range(3):
        try:
            made = _build(
                document, values, placeholders, fixed, group_definitions, contexts, document_loader
            )
        except (VcError, _NoTemplateError):
            return None if not fixed else (fixed, None)
        if isinstance(made, _Template):
            return fixed, made
        fixed = fixed | made
    return fixed, None


class _Placeholders:
    """Unique stand-ins for the values of one template, and where they land in a term.

    A string's stand-in is an IRI with a random nonce; an integer's is a random
    21-digit number below 10**21 (so it is still written as ``xsd:integer``)
    whose last four digits are its slot.
    """

    def __init__(self) -> None:
        nonce = secrets.token_hex(16)
        self._iri = f"urn:x-slot:{nonce}:"
        self._integer = _INTEGER_PLACEHOLDERS + secrets.randbelow(10**16) * 10**4
        prefix = str(self._integer)[:-4]
        self._found = re.compile(rf"{re.escape(self._iri)}(\d+):|{prefix}(\d{{4}})")

    def of(self, slot: int, value: Any) -> str | int:
        return f"{self._iri}{slot}:" if type(value) is str else self._integer + slot

    def found_in(self, term: str) -> list[tuple[str, int]]:
        """The stand-ins in ``term``: their text and slot."""
        return [
            (match.group(), int(match.group(1) or match.group(2)))
            for match in self._found.finditer(term)
        ]


def _build(
    document: JsonObject,
    values: Sequence[Any],
    placeholders: _Placeholders,
    fixed: frozenset[int],
    group_definitions: Mapping[str, Sequence[str]],
    contexts: _Contexts,
    document_loader: DocumentLoader,
) -> _Template | frozenset[int]:
    """canonicalizeAndGroup steps 1, 2, 4 and 5 on the template; or the slots to fix first."""
    stand_ins = [
        value if slot in fixed else placeholders.of(slot, value)
        for slot, value in enumerate(values)
    ]
    template = _put_back(document, iter(stand_ins), contexts.shape_keys)
    # Step 1: skolemize (expanded and compact forms).
    skolemized = skolemize_compact_json_ld(template, document_loader=document_loader)
    # Step 2: the skolemized quads, from the expanded form only.
    quads = _jsonld.expanded_quads(
        skolemized.skolemized_expanded_document, document_loader=document_loader
    )
    if quads is None or deskolemized_quads(quads) is None:
        raise _NoTemplateError
    # Step 4 and 5 (up to the label map): each group's selection and its quads.
    compact = skolemized.skolemized_compact_document
    pointers = {
        name: tuple(equivalent_pointer(pointer, compact, template) for pointer in group)
        for name, group in group_definitions.items()
    }
    selected: dict[str, list[_jsonld.Quad]] = {}
    for name, group in pointers.items():
        selection = select_json_ld(group, compact)
        selected[name] = (
            [] if selection is None else _jsonld.json_ld_quads(selection, document_loader)
        )
    # Where each placeholder landed.
    landed: dict[int, set[str | None]] = {
        slot: set() for slot in range(len(values)) if slot not in fixed
    }
    other: set[int] = set()

    def landings(quad_list: Sequence[_jsonld.Quad]) -> _Quads:
        found: list[_Landing] = []
        for index, quad in enumerate(quad_list):
            for position, term in enumerate(quad):
                for text, slot in placeholders.found_in(term):
                    if slot not in landed or text != str(stand_ins[slot]):
                        raise _NoTemplateError  # not ours after all (a value looks like one)
                    if term == "<" + text + ">":
                        found.append(_Landing(index, position, slot, None))
                        landed[slot].add(None)
                    elif term.startswith('"' + text + '"') and _is_suffix(term[len(text) + 2 :]):
                        suffix = term[len(text) + 2 :]
                        found.append(_Landing(index, position, slot, suffix))
                        landed[slot].add(suffix)
                    else:
                        other.add(slot)
        return _Quads(tuple(quad_list), tuple(found))

    document_quads = landings(quads)
    selections = {name: landings(quad_list) for name, quad_list in selected.items()}
    nowhere = {slot for slot, places in landed.items() if not places}
    iri_slots = frozenset(slot for slot, places in landed.items() if None in places)
    # An IRI this document's value cannot stand in for (a relative one coerced to @vocab,
    # say): that value becomes part of the shape.
    unkept = {slot for slot in iri_slots if not contexts.keeps(values[slot])}
    if other or nowhere or unkept:
        return frozenset(other | nowhere | unkept)
    if not all(contexts.keeps(stand_ins[slot]) for slot in iri_slots):
        raise _NoTemplateError
    return _Template(document_quads, selections, pointers, iri_slots, fixed)


def _is_suffix(text: str) -> bool:
    return text == "" or (text.startswith("^^<") and text.endswith(">")) or text.startswith("@")


def _put_back(value: Any, placeholders: Iterator[Any], shape_keys: frozenset[str]) -> Any:
    """``value`` with its string and integer values replaced, in :func:`_shape`'s order."""
    kind = type(value)
    if kind is str or kind is int:
        return next(placeholders)
    if kind is dict:
        return {
            key: member if key in shape_keys else _put_back(member, placeholders, shape_keys)
            for key, member in value.items()
        }
    if kind is list:
        return [_put_back(item, placeholders, shape_keys) for item in value]
    return value


def _groups(
    template: _Template,
    values: Sequence[Any],
    contexts: _Contexts,
    label_map_factory_function: LabelMapFactoryFunction,
) -> dict[str, Group] | None:
    """canonicalizeAndGroup steps 2 to 7 for one document, from its shape's template."""
    written = _written(template, values, contexts)
    if written is None:
        return None
    # Step 2: the document's deskolemized quads.
    filled = template.document.fill(written)
    deskolemized = None if filled is None else deskolemized_quads(filled)
    if deskolemized is None:
        return None
    # Step 3: canonicalize them with label replacement.
    replaced = label_replacement_canonicalize_quads(deskolemized, label_map_factory_function)
    nquads, label_map = replaced.canonical_nquads, replaced.label_map
    groups: dict[str, Group] = {}
    for name, selection in template.selections.items():
        # Step 4 and 5: the selection's deskolemized N-Quads, relabelled.
        selected = selection.fill(written)
        selected_quads = None if selected is None else deskolemized_quads(selected)
        if selected_quads is None:
            return None
        deskolemized_nquads = tuple(_jsonld.nquad_line(quad) for quad in selected_quads)
        try:
            selected_nquads = frozenset(relabel_blank_nodes(deskolemized_nquads, label_map))
        except KeyError:
            return None
        # Step 6 and 7: split the canonical N-Quads by the selection.
        matching: dict[int, str] = {}
        non_matching: dict[int, str] = {}
        for index, nq in enumerate(nquads):
            (matching if nq in selected_nquads else non_matching)[index] = nq
        groups[name] = Group(
            matching=matching,
            non_matching=non_matching,
            deskolemized_nquads=deskolemized_nquads,
            pointers=template.pointers[name],
        )
    return groups


def _written(
    template: _Template, values: Sequence[Any], contexts: _Contexts
) -> list[tuple[str, str]] | None:
    """Each slot's value as an IRI term and as the start of a literal term (quoted, escaped).

    ``None`` when a value cannot be put back where its placeholder landed.
    """
    written: list[tuple[str, str]] = []
    for slot, value in enumerate(values):
        if slot in template.fixed:
            written.append(("", ""))
            continue
        if type(value) is int:
            if abs(value) >= 10**21:
                return None
            written.append(("", '"' + str(value) + '"'))
            continue
        if slot in template.iri_slots and not contexts.keeps(value):
            return None
        try:
            literal = _jsonld.quoted_literal(value)
        except VcError:
            return None
        written.append(("<" + value + ">", literal))
    return written
