"""Canonicalize a document once and group its N-Quads by named JSON-pointer selections."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from vc_core import _jsonld
from vc_core.hazmat.sd_primitives.canonicalize import (
    LabelMap,
    LabelMapFactoryFunction,
    label_replacement_canonicalize_nquads,
    label_replacement_canonicalize_quads,
)
from vc_core.hazmat.sd_primitives.select import equivalent_pointer, select_canonical_nquads
from vc_core.hazmat.sd_primitives.skolemize import (
    deskolemized_quads,
    skolemize_compact_json_ld,
    to_deskolemized_nquads,
)
from vc_core.types import DocumentLoader, JsonObject

__all__ = ["CanonicalizedGroups", "Group", "canonicalize_and_group"]


@dataclass(frozen=True, slots=True)
class Group:
    """One named group: {index → N-Quad} inside and outside the selection.

    ``pointers`` are the group's pointers as they apply to the skolemized
    compact document (see ``equivalent_pointer``).
    """

    matching: Mapping[int, str]
    non_matching: Mapping[int, str]
    deskolemized_nquads: tuple[str, ...]
    pointers: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class CanonicalizedGroups:
    """The output of canonicalizeAndGroup."""

    groups: Mapping[str, Group]
    skolemized_expanded_document: list[Any]
    skolemized_compact_document: JsonObject
    deskolemized_nquads: tuple[str, ...]
    label_map: LabelMap
    nquads: tuple[str, ...]


def canonicalize_and_group(
    document: JsonObject,
    label_map_factory_function: LabelMapFactoryFunction,
    group_definitions: Mapping[str, Sequence[str]],
    *,
    document_loader: DocumentLoader,
    random_string: str | None = None,
) -> CanonicalizedGroups:
    """Canonicalize ``document`` with label replacement and split its N-Quads per group.

    Spec: vc-di-ecdsa#canonicalizeandgroup

    The document is expanded, compacted and canonicalized once; each group
    then only converts its own (small) selection to N-Quads.
    ``random_string`` seeds the skolem ids (see ``skolemize``); it never
    changes the output.
    """
    # Step 1: skolemize (expanded and compact forms).
    skolemized = skolemize_compact_json_ld(
        document, document_loader=document_loader, random_string=random_string
    )
    # Step 2: deskolemized N-Quads of the whole document.
    # Implementation note: written from the skolemized expanded document
    # directly, as quads (terms), when it is in plain expanded form with an
    # @id on every node (a credential is); otherwise converted from the
    # compact form, which holds the same RDF and which pyld expands faster.
    quads = _jsonld.expanded_quads(
        skolemized.skolemized_expanded_document, document_loader=document_loader
    )
    deskolemized = None if quads is None else deskolemized_quads(quads)
    # Step 3: canonicalize them with label replacement.
    if deskolemized is None:
        deskolemized_nquads = to_deskolemized_nquads(
            skolemized.skolemized_compact_document, document_loader=document_loader
        )
        replaced = label_replacement_canonicalize_nquads(
            deskolemized_nquads, label_map_factory_function
        )
    else:
        deskolemized_nquads = [_jsonld.nquad_line(quad) for quad in deskolemized]
        replaced = label_replacement_canonicalize_quads(deskolemized, label_map_factory_function)
    nquads, label_map = replaced.canonical_nquads, replaced.label_map
    # Step 4 and 5: select each group's N-Quads on the skolemized compact document.
    # Implementation note: with the pointers that name the same values there.
    compact = skolemized.skolemized_compact_document
    compact_pointers = {
        name: tuple(equivalent_pointer(pointer, compact, document) for pointer in pointers)
        for name, pointers in group_definitions.items()
    }
    selections = {
        name: select_canonical_nquads(pointers, compact, label_map, document_loader=document_loader)
        for name, pointers in compact_pointers.items()
    }
    # Step 6: the groups.
    groups: dict[str, Group] = {}
    # Step 7: split the canonical N-Quads by each selection.
    for name, selection_result in selections.items():
        # Step 7.1 to 7.4: the two maps and the selection's N-Quads.
        matching: dict[int, str] = {}
        non_matching: dict[int, str] = {}
        selected_nquads = frozenset(selection_result.nquads)
        # Step 7.5: index every canonical N-Quad as matching or not.
        for index, nq in enumerate(nquads):
            (matching if nq in selected_nquads else non_matching)[index] = nq
        # Step 7.6: record the group.
        groups[name] = Group(
            matching=matching,
            non_matching=non_matching,
            deskolemized_nquads=selection_result.deskolemized_nquads,
            pointers=compact_pointers[name],
        )
    # Step 8: return everything.
    return CanonicalizedGroups(
        groups=groups,
        skolemized_expanded_document=skolemized.skolemized_expanded_document,
        skolemized_compact_document=skolemized.skolemized_compact_document,
        deskolemized_nquads=tuple(deskolemized_nquads),
        label_map=label_map,
        nquads=nquads,
    )
