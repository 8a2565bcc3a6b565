"""Safe mode: refuse what JSON-LD processing would silently drop or write unportably.

pyld 3.3 has no safe mode (docs/protocols.md, P1). Here are its pieces: the hook
pyld calls for a property that expands to nothing (:func:`raise_dropped`),
the check of expanded JSON-LD for relative or malformed IRIs that ``to_rdf``
would skip (:func:`check_expanded`; the fast expansion path applies the same
test, :func:`is_safe_iri`, as it goes), and the refusal of literals that RDF
libraries serialize differently (:func:`check_portable_literal`, P2). Free-
floating values that pyld drops are caught by the processor's ``_expand``.
"""

from __future__ import annotations

import re
from typing import Any, Final

from vc_core.errors import DataLossError, ParsingError

__all__ = [
    "ABSOLUTE_IRI",
    "check_expanded",
    "check_portable_literal",
    "is_safe_iri",
    "raise_dropped",
]


def raise_dropped(expanded_property: str | None) -> None:
    if expanded_property is None:
        raise DataLossError("a property maps to null or is not a term, and would be dropped")
    raise DataLossError(
        f"property {expanded_property!r} is not defined by the context and would be dropped"
    )


def is_safe_iri(iri: Any, *, blank_ok: bool) -> bool:
    """What :func:`_check_iri` accepts.

    Implementation note: absolute IRIs seen before (vocabulary IRIs recur in
    every document) skip the pattern.
    """
    if type(iri) is not str:
        return False
    if iri in _SAFE_IRIS:
        return True
    if ABSOLUTE_IRI.fullmatch(iri) is not None:
        if len(_SAFE_IRIS) >= _MAX_SAFE_IRIS:
            _SAFE_IRIS.clear()
        _SAFE_IRIS.add(iri)
        return True
    return blank_ok and iri.startswith("_:")


_SAFE_IRIS: set[str] = set()
_MAX_SAFE_IRIS: Final = 16_384


# --- Safe mode: relative IRIs after expansion -----------------------------------------------

ABSOLUTE_IRI: Final = re.compile(r'[A-Za-z][A-Za-z0-9+.\-]*:[^\x00-\x20<>"{}|^`\\]*')
_NODE_CONTAINERS: Final = frozenset({"@graph", "@included", "@list", "@set"})


def _check_iri(value: Any, where: str, *, blank_ok: bool) -> None:
    if isinstance(value, str):
        if ABSOLUTE_IRI.fullmatch(value):
            return
        if blank_ok and value.startswith("_:"):
            return
    raise DataLossError(f"{where} {value!r} is not an absolute IRI and would be dropped")


def check_expanded(value: Any) -> None:
    """Reject what ``to_rdf`` would silently drop from expanded JSON-LD.

    Relative or malformed IRIs in ``@id``, ``@type``, predicates (including
    ``@reverse``) and datatypes, and blank-node predicates.
    """
    if isinstance(value, list):
        for item in value:
            check_expanded(item)
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
                check_expanded(reverse_value)
        elif key in _NODE_CONTAINERS:
            check_expanded(member)
        elif not key.startswith("@"):
            _check_iri(key, "property", blank_ok=False)
            check_expanded(member)


# Characters in literals that RDF libraries serialize differently in N-Quads:
# RDFC-1.0 escapes \b, \f, the other C0 controls but tab, newline and carriage return, and
# DEL; pyld writes them raw; rdf-canonize (jsonld.js) writes U+FFFE and U+FFFF raw,
# which RDF 1.2 escapes. A signature over them would not verify everywhere (docs/protocols.md, P2).
_NON_PORTABLE: Final = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")


def check_portable_literal(value: str) -> None:
    """Refuse a literal that other implementations would canonicalize differently."""
    found = _NON_PORTABLE.search(value)
    if found is not None:
        raise ParsingError(
            f"a literal contains U+{ord(found.group()):04X}, which RDF libraries serialize "
            "differently; remove it (safe mode)"
        )
