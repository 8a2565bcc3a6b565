"""Skolemization: give every blank node a ``urn:bnid:`` IRI so JSON pointers can select it.

Selection works on a compact document, but compaction and RDF conversion
would relabel blank nodes; skolem IRIs keep each node's identity stable across
the whole document and every selection. Deskolemizing turns them back into
blank nodes (``<urn:bnid:X>`` → ``_:X``) before canonicalization.

Randomness: nodes without an ``@id`` get ``urn:bnid:_<random>_<n>``. The
random part only keeps generated ids apart from ``_:`` ids already in the
document; canonical labels do not depend on input labels, so no output of the
cryptosuite depends on it. It is a keyword parameter (a fresh UUID by default).
"""

from __future__ import annotations

import itertools
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from vc_core import _jsonld
from vc_core.errors import ProofTransformationError
from vc_core.hazmat.sd_primitives.canonicalize import rewrite_nquad_terms
from vc_core.types import DocumentLoader, JsonObject

__all__ = [
    "URN_SCHEME",
    "SkolemizedDocument",
    "deskolemize_nquads",
    "deskolemized_quads",
    "skolemize_compact_json_ld",
    "skolemize_expanded_json_ld",
    "to_deskolemized_nquads",
]

URN_SCHEME = "bnid"


@dataclass(frozen=True, slots=True)
class SkolemizedDocument:
    """The skolemized document in expanded and compact form."""

    skolemized_expanded_document: list[Any]
    skolemized_compact_document: JsonObject


def skolemize_expanded_json_ld(
    expanded: list[Any],
    *,
    urn_scheme: str = URN_SCHEME,
    random_string: str,
    count: Iterator[int],
) -> list[Any]:
    """Return a copy of an expanded document where every node has a ``urn:<scheme>:`` ``@id``.

    Spec: vc-di-ecdsa#skolemizeexpandedjsonld

    ``count`` is the shared counter (``itertools.count()``) for generated ids.
    """
    # Step 1: the output array.
    skolemized_expanded_document: list[Any] = []
    # Step 2: each element.
    for element in expanded:
        # Step 2.1: literals and value objects are copied as they are.
        if not isinstance(element, dict) or "@value" in element:
            skolemized_expanded_document.append(_json_copy(element))
            continue
        # Step 2.2: recurse into every property value.
        skolemized_node: dict[str, Any] = {}
        for prop, value in element.items():
            values = value if isinstance(value, list) else [value]
            skolemized = skolemize_expanded_json_ld(
                values, urn_scheme=urn_scheme, random_string=random_string, count=count
            )
            skolemized_node[prop] = skolemized if isinstance(value, list) else skolemized[0]
        node_id = skolemized_node.get("@id")
        # Step 2.3: a node without @id gets a generated skolem IRI.
        if node_id is None:
            skolemized_node["@id"] = f"urn:{urn_scheme}:_{random_string}_{next(count)}"
        # Step 2.4: a blank node id keeps its label inside the skolem IRI.
        elif isinstance(node_id, str) and node_id.startswith("_:"):
            skolemized_node["@id"] = f"urn:{urn_scheme}:{node_id[2:]}"
        # Step 2.5: add the node.
        skolemized_expanded_document.append(skolemized_node)
    # Step 3: return it.
    return skolemized_expanded_document


def skolemize_compact_json_ld(
    document: JsonObject,
    *,
    document_loader: DocumentLoader,
    urn_scheme: str = URN_SCHEME,
    random_string: str | None = None,
) -> SkolemizedDocument:
    """Expand, skolemize and re-compact a compact JSON-LD document.

    Spec: vc-di-ecdsa#skolemizecompactjsonld
    """
    if not isinstance(document, dict) or "@context" not in document:
        raise ProofTransformationError("a compact JSON-LD document with an @context is required")
    # Step 1: expand (safe mode).
    expanded = _jsonld.expand(document, document_loader=document_loader)
    # Step 2: skolemize the expanded form.
    skolemized_expanded_document = skolemize_expanded_json_ld(
        expanded,
        urn_scheme=urn_scheme,
        random_string=uuid.uuid4().hex if random_string is None else random_string,
        count=itertools.count(),
    )
    # Step 3: compact it again with the document's own context.
    # Implementation note: the skolemized document is our own copy (owned).
    skolemized_compact_document = _jsonld.compact(
        skolemized_expanded_document,
        document["@context"],
        document_loader=document_loader,
        owned=True,
    )
    # Step 4: return both forms.
    return SkolemizedDocument(
        skolemized_expanded_document=skolemized_expanded_document,
        skolemized_compact_document=skolemized_compact_document,
    )


def deskolemize_nquads(input_nquads: Iterable[str], urn_scheme: str = URN_SCHEME) -> list[str]:
    """Turn every ``<urn:<scheme>:X>`` term back into the blank node ``_:X``.

    Spec: vc-di-ecdsa#deskolemizenquads
    """
    prefix = f"<urn:{urn_scheme}:"

    def deskolemize(term: str) -> str:
        return "_:" + term[len(prefix) : -1] if term.startswith(prefix) else term

    # Step 1 to 3: rewrite each N-Quad's terms, in order.
    return [rewrite_nquad_terms(nq, deskolemize) if prefix in nq else nq for nq in input_nquads]


def to_deskolemized_nquads(
    skolemized_document: JsonObject | list[Any],
    *,
    document_loader: DocumentLoader,
    urn_scheme: str = URN_SCHEME,
) -> list[str]:
    """Convert a skolemized JSON-LD document to N-Quads with the blank nodes restored.

    Spec: vc-di-ecdsa#todeskolemizednquads
    """
    # Step 1 and 2: deserialize to RDF, one N-Quad string per statement.
    skolemized_nquads = _jsonld.to_nquads(skolemized_document, document_loader=document_loader)
    # Step 3 and 4: deskolemize and return them.
    return deskolemize_nquads(skolemized_nquads, urn_scheme)


def deskolemized_quads(
    skolemized_quads: Iterable[_jsonld.Quad], urn_scheme: str = URN_SCHEME
) -> list[_jsonld.Quad] | None:
    """:func:`to_deskolemized_nquads` on quads (serialized terms) instead of N-Quads lines.

    The quads come back in the order of their skolemized N-Quads lines, as
    :func:`to_deskolemized_nquads` returns them, each ``<urn:<scheme>:X>`` term
    replaced by ``_:X``. ``None`` when some ``X`` is not a blank node label;
    the N-Quads path then raises the error.

    Implementation note: not a spec algorithm; it spares writing N-Quads lines
    and parsing them again.
    """
    prefix = f"<urn:{urn_scheme}:"
    cut = len(prefix)
    labels: dict[str, str] = {}
    deskolemized: list[_jsonld.Quad] = []
    # Implementation note: sorting the term tuples orders them as their lines do
    # (" " sorts before every character a term can continue with).
    for quad in sorted(skolemized_quads):
        # As deskolemize_nquads: subject, object and graph name; never the predicate.
        subject, predicate, obj, *graph = quad
        if subject.startswith(prefix):
            subject = labels[subject] = "_:" + subject[cut:-1]
        if obj.startswith(prefix):
            obj = labels[obj] = "_:" + obj[cut:-1]
        if graph and graph[0].startswith(prefix):
            graph = [labels.setdefault(graph[0], "_:" + graph[0][cut:-1])]
        deskolemized.append((subject, predicate, obj, *graph))
    if any(_jsonld.BLANK_LABEL.fullmatch(label[2:]) is None for label in labels.values()):
        return None
    return deskolemized


def _json_copy(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _json_copy(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_json_copy(item) for item in value]
    return value
