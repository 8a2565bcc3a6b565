"""Selecting parts of a compact JSON-LD document with JSON Pointers (RFC 6901).

A selection keeps, along every pointer's path, the non-blank ``id`` and the
``type`` of each object, so the selected statements stay attached to the same
(skolemized) nodes. A pointer that matches nothing is an error
(``PROOF_GENERATION_ERROR``, as the spec asks).

Pointers are written against the document as it is signed, but statements are
selected on its skolemized *compact* form, where JSON-LD compaction may have
turned a one-element array into its element (or, for a ``@set`` term, an
element into a one-element array) and a node with only an ``id`` into that
IRI. :func:`equivalent_pointer` gives the pointer that names the same value in
the other form, so every input form selects the same statements (the reveal
document is selected on the document itself).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from vc_core._jsonld import copy_json
from vc_core.errors import ProofGenerationError
from vc_core.hazmat.sd_primitives.canonicalize import LabelMap, relabel_blank_nodes
from vc_core.hazmat.sd_primitives.skolemize import to_deskolemized_nquads
from vc_core.types import DocumentLoader, JsonObject

__all__ = [
    "SelectionResult",
    "create_initial_selection",
    "equivalent_pointer",
    "json_pointer_to_paths",
    "select_canonical_nquads",
    "select_json_ld",
    "select_paths",
]

Path = str | int

_ARRAY_INDEX = re.compile(r"0|[1-9][0-9]*")
_ESCAPE = re.compile(r"~(.?)")


class _Hole:
    """An unselected slot in a sparse selected array (JavaScript's ``undefined``)."""


_HOLE = _Hole()


@dataclass(frozen=True, slots=True)
class SelectionResult:
    """A selection document with its deskolemized and relabelled N-Quads."""

    selection_document: JsonObject | None
    deskolemized_nquads: tuple[str, ...]
    nquads: tuple[str, ...]


def json_pointer_to_paths(pointer: str) -> list[Path]:
    """Split a JSON Pointer into its reference tokens; array indexes become ints.

    Spec: vc-di-ecdsa#jsonpointertopaths
    """
    # Implementation note: a pointer is "" or starts with "/" (RFC 6901); anything
    # else would silently select the whole document in the spec's split step.
    if not isinstance(pointer, str) or (pointer and not pointer.startswith("/")):
        raise ProofGenerationError(f"{pointer!r} is not a JSON Pointer")
    # Step 1: the output.
    paths: list[Path] = []
    # Step 2: split on "/" and drop the leading empty part.
    split_path = pointer.split("/")[1:]
    # Step 3: each reference token.
    for path in split_path:
        # Step 3.1: without "~", an array index becomes an int.
        if "~" not in path:
            paths.append(int(path) if _ARRAY_INDEX.fullmatch(path) else path)
        # Step 3.2: otherwise unescape "~1" → "/" and "~0" → "~".
        else:
            paths.append(_ESCAPE.sub(_unescape, path))
    # Step 4: return them.
    return paths


def create_initial_selection(source: Any) -> JsonObject:
    """Start a selection of ``source`` with its non-blank ``id`` and its ``type``.

    Spec: vc-di-ecdsa#createinitialselection
    """
    # Step 1: an empty object.
    selection: JsonObject = {}
    if not isinstance(source, dict):
        return selection
    # Step 2: a non-blank-node id is always kept.
    source_id = source.get("id")
    if isinstance(source_id, str) and source_id and not source_id.startswith("_:"):
        selection["id"] = source_id
    # Step 3: so is the type.
    if source.get("type"):
        selection["type"] = source["type"]
    # Step 4: return it.
    return selection


def select_paths(
    document: Any,
    paths: Sequence[Path],
    selection_document: JsonObject,
    arrays: list[list[Any]],
    *,
    pointer: str = "",
) -> None:
    """Copy the value at ``paths`` from ``document`` into ``selection_document``.

    Spec: vc-di-ecdsa#selectpaths

    Arrays created on the way are sparse (holes) and recorded in ``arrays``.
    """
    # Step 1 to 4: start at the roots.
    parent_value: Any = document
    value: Any = parent_value
    selected_parent: Any = selection_document
    selected_value: Any = selected_parent
    # Step 5: walk the paths.
    for path in paths:
        # Step 5.1 and 5.2: descend one level.
        selected_parent = selected_value
        parent_value = value
        # Step 5.3: the document must have a value here.
        value = _get(parent_value, path)
        if value is _HOLE:
            raise ProofGenerationError(f"JSON pointer {pointer!r} does not match the document")
        # Step 5.4: the selection's value here, if any.
        selected_value = _get(selected_parent, path)
        # Step 5.5: if none, start one (an empty array, or an initial selection).
        if selected_value is _HOLE:
            if isinstance(value, list):
                selected_value = []
                arrays.append(selected_value)
            else:
                selected_value = create_initial_selection(value)
            _set(selected_parent, path, selected_value)
    # Step 6: the selected value at the end of the path.
    # Step 7: a literal is taken as it is.
    if not isinstance(value, dict | list):
        selected_value = value
    # Step 8: an array is copied whole.
    elif isinstance(value, list):
        selected_value = copy_json(value)
    # Step 9: an object is merged into its initial selection.
    else:
        selected_value = {**selected_value, **copy_json(value)}
    # Step 10 and 11: store it under the last path.
    _set(selected_parent, paths[-1], selected_value)


def select_json_ld(pointers: Sequence[str], document: JsonObject) -> JsonObject | None:
    """Return the part of a compact JSON-LD document that ``pointers`` select.

    Spec: vc-di-ecdsa#selectjsonld

    ``None`` means nothing was selected (no pointers).
    """
    # Step 1: no pointers, no selection.
    if not pointers:
        return None
    # Step 2: arrays to make dense at the end.
    arrays: list[list[Any]] = []
    # Step 3: the initial selection of the root.
    selection = create_initial_selection(document)
    # Step 4: with a copy of the document's @context.
    # Implementation note: "@context" is put first, as in the reference code.
    selection_document: JsonObject = {}
    if "@context" in document:
        selection_document["@context"] = copy_json(document["@context"])
    selection_document.update(selection)
    # Step 5: walk each pointer.
    for pointer in pointers:
        # Step 5.1: parse it.
        paths = json_pointer_to_paths(pointer)
        # Implementation note: the empty pointer selects the whole document.
        if not paths:
            return copy_json(document)
        # Step 5.2: select along it.
        select_paths(document, paths, selection_document, arrays, pointer=pointer)
    # Step 6: make every sparse array dense.
    for array in arrays:
        array[:] = [item for item in array if item is not _HOLE]
    # Step 7: return it.
    return selection_document


def select_canonical_nquads(
    pointers: Sequence[str],
    skolemized_compact_document: JsonObject,
    label_map: LabelMap,
    *,
    document_loader: DocumentLoader,
) -> SelectionResult:
    """Select with ``pointers`` and return the selection's N-Quads under ``label_map``.

    Spec: vc-di-ecdsa#selectcanonicalnquads
    """
    # Step 1: select on the skolemized compact document.
    selection_document = select_json_ld(pointers, skolemized_compact_document)
    # Step 2: its deskolemized N-Quads.
    # Implementation note: an empty selection has no N-Quads.
    deskolemized_nquads: list[str] = []
    if selection_document is not None:
        deskolemized_nquads = to_deskolemized_nquads(
            selection_document, document_loader=document_loader
        )
    # Step 3: relabel them with the label map.
    try:
        nquads = relabel_blank_nodes(deskolemized_nquads, label_map)
    except KeyError as exc:
        raise ProofGenerationError(
            f"a selected blank node ({exc.args[0]}) is not in the document's label map"
        ) from exc
    # Step 4: return all three.
    return SelectionResult(
        selection_document=selection_document,
        deskolemized_nquads=tuple(deskolemized_nquads),
        nquads=tuple(nquads),
    )


def equivalent_pointer(pointer: str, form: Any, document: Any) -> str:
    """The pointer that names in ``form`` what ``pointer`` names in ``document``.

    Implementation note: not a spec algorithm. ``form`` and ``document`` are
    the same JSON-LD document in two shapes: as written, and its (skolemized)
    compaction. A pointer that already names a value in ``form`` is returned
    unchanged. Otherwise the two are walked together: where one holds a
    one-element array and the other its element, an index ``0`` is dropped or
    added; where a node with only an ``id`` became that IRI, ``…/id`` names the
    IRI. A pointer that matches in neither is returned unchanged (selecting it
    then raises ``PROOF_GENERATION_ERROR``).
    """
    tokens = json_pointer_to_paths(pointer)
    if _resolves(form, tokens):
        return pointer
    translated: list[Path] = []
    value, other = document, form
    for token in tokens:
        if isinstance(value, list) and len(value) == 1 and not isinstance(other, list):
            if token != 0:
                return pointer
            value = value[0]
            continue
        if isinstance(other, list) and len(other) == 1 and not isinstance(value, list):
            translated.append(0)
            other = other[0]
        if token == "id" and isinstance(other, str) and isinstance(value, dict):
            value = value.get("id", _HOLE)
            if value != other:
                return pointer
            continue
        value, other = _get(value, token), _get(other, token)
        if value is _HOLE or other is _HOLE:
            return pointer
        translated.append(token)
    return "".join("/" + str(t).replace("~", "~0").replace("/", "~1") for t in translated)


def _resolves(document: Any, tokens: Sequence[Path]) -> bool:
    value = document
    for token in tokens:
        value = _get(value, token)
        if value is _HOLE:
            return False
    return True


def _unescape(match: re.Match[str]) -> str:
    escaped = {"0": "~", "1": "/"}.get(match.group(1))
    if escaped is None:
        raise ProofGenerationError(f"invalid JSON Pointer escape {match.group(0)!r}")
    return escaped


def _get(container: Any, path: Path) -> Any:
    """Return ``container[path]`` or ``_HOLE`` when there is no such value."""
    if isinstance(container, dict):
        # Implementation note: an index on an object names the key "N", as in JavaScript.
        return container.get(str(path), _HOLE)
    if isinstance(container, list) and isinstance(path, int) and path < len(container):
        return container[path]
    return _HOLE


def _set(container: Any, path: Path, value: Any) -> None:
    if isinstance(container, dict):
        container[str(path)] = value
        return
    if not isinstance(container, list) or not isinstance(path, int):
        raise ProofGenerationError(f"cannot select {path!r} inside a {type(container).__name__}")
    if path >= len(container):
        container.extend([_HOLE] * (path + 1 - len(container)))
    container[path] = value
