"""Canonicalization with blank-node label replacement, and the label map factories.

A *label map* maps blank node labels (without ``_:``) to new labels; a *label
map factory function* turns RDFC-1.0's canonical id map (input label →
``c14nN``) into such a map. ecdsa-sd-2023 replaces every ``c14nN`` with
``u`` + base64url-no-pad(HMAC-SHA-256(hmacKey, "c14nN")) when signing, and
with the labels carried in the derived proof when verifying.

N-Quads are rewritten term by term (subject, object, graph), never inside a
literal, so a literal that happens to contain ``_:x`` text stays untouched.
"""

from __future__ import annotations

import hashlib
import hmac as hmac_module
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

from vc_core import _jsonld
from vc_core._multibase import encode_base64url
from vc_core.types import DocumentLoader, JsonObject

__all__ = [
    "LabelMap",
    "LabelMapFactoryFunction",
    "LabelReplacementResult",
    "NQuadSyntaxError",
    "create_hmac_id_label_map_function",
    "create_label_map_function",
    "label_replacement_canonicalize_json_ld",
    "label_replacement_canonicalize_nquads",
    "label_replacement_canonicalize_quads",
    "relabel_blank_nodes",
    "rewrite_nquad_terms",
]

LabelMap = Mapping[str, str]
"""Blank node label (no ``_:``) → replacement label (no ``_:``)."""

LabelMapFactoryFunction = Callable[[Mapping[str, str]], dict[str, str]]
"""canonicalIdMap (input label → ``c14nN``) → label map (input label → new label)."""

_IRI = r"<[^>]*>"
_BLANK = r"_:[^\s]+"
_LITERAL = r'"(?:[^"\\]|\\.)*"(?:\^\^<[^>]*>|@[A-Za-z0-9-]+)?'
_NQUAD = re.compile(
    rf"(?P<s>{_IRI}|{_BLANK}) (?P<p>{_IRI}) (?P<o>{_IRI}|{_BLANK}|{_LITERAL})"
    rf"(?: (?P<g>{_IRI}|{_BLANK}))? \.\n"
)


class NQuadSyntaxError(ValueError):
    """An N-Quad line is not in the canonical one-space form that pyld emits."""


@dataclass(frozen=True, slots=True)
class LabelReplacementResult:
    """The relabelled, sorted canonical N-Quads and the label map that produced them."""

    label_map: LabelMap
    canonical_nquads: tuple[str, ...]


def rewrite_nquad_terms(nquad: str, rewrite: Callable[[str], str]) -> str:
    """Return ``nquad`` with ``rewrite`` applied to its subject, IRI/blank object and graph.

    ``rewrite`` gets each such term (``<iri>`` or ``_:label``) and returns its
    replacement; literals and the predicate are kept. Raises
    ``NQuadSyntaxError`` for a line that is not one N-Quad ending in ``\\n``.
    """
    match = _NQUAD.fullmatch(nquad)
    if match is None:
        raise NQuadSyntaxError(f"not a canonical N-Quad line: {nquad!r}")
    subject, predicate, obj, graph = match.group("s", "p", "o", "g")
    parts = [rewrite(subject), predicate, obj if obj.startswith('"') else rewrite(obj)]
    if graph is not None:
        parts.append(rewrite(graph))
    return " ".join(parts) + " .\n"


def relabel_blank_nodes(nquads: Iterable[str], label_map: LabelMap) -> list[str]:
    """Replace every blank node label in ``nquads`` by its value in ``label_map``.

    Spec: vc-di-ecdsa#relabelblanknodes

    Raises ``KeyError`` for a blank node that has no entry in ``label_map``.
    """

    def relabel(term: str) -> str:
        return "_:" + label_map[term[2:]] if term.startswith("_:") else term

    # Step 1 to 3: rewrite each N-Quad's blank node terms, in order.
    return [rewrite_nquad_terms(nq, relabel) if "_:" in nq else nq for nq in nquads]


def label_replacement_canonicalize_nquads(
    nquads: Sequence[str],
    label_map_factory_function: LabelMapFactoryFunction,
) -> LabelReplacementResult:
    """Canonicalize N-Quads and replace the canonical labels using a label map factory.

    Spec: vc-di-ecdsa#labelreplacementcanonicalizenquads
    """
    # Step 1: RDFC-1.0 over the joined N-Quads, keeping the canonical id map.
    canonical = _jsonld.canonicalize_nquads(nquads)
    # Step 2 to 4: relabel and return.
    return _replace_labels(canonical, label_map_factory_function)


def label_replacement_canonicalize_quads(
    quads: Sequence[_jsonld.Quad],
    label_map_factory_function: LabelMapFactoryFunction,
) -> LabelReplacementResult:
    """:func:`label_replacement_canonicalize_nquads` on N-Quads already parsed into terms.

    Implementation note: not a spec algorithm; for quads this package wrote,
    which need no parsing.
    """
    return _replace_labels(_jsonld.canonicalize_quads(quads), label_map_factory_function)


def label_replacement_canonicalize_json_ld(
    document: JsonObject,
    label_map_factory_function: LabelMapFactoryFunction,
    *,
    document_loader: DocumentLoader,
) -> LabelReplacementResult:
    """Convert a JSON-LD document to RDF, then canonicalize it with label replacement.

    Spec: vc-di-ecdsa#labelreplacementcanonicalizejsonld
    """
    # Step 1 to 3: deserialize to RDF and canonicalize with label replacement.
    # Implementation note: the RDF dataset goes to RDFC-1.0 directly, without
    # the round trip through N-Quad strings; the result is the same.
    canonical = _jsonld.canonicalize(document, document_loader=document_loader)
    return _replace_labels(canonical, label_map_factory_function)


def _replace_labels(
    canonical: _jsonld.CanonicalResult, label_map_factory_function: LabelMapFactoryFunction
) -> LabelReplacementResult:
    """Steps 2 to 4 of labelReplacementCanonicalizeNQuads."""
    canonical_id_map = canonical.issued_ids
    # Step 2: the factory turns the canonical id map into the label map.
    label_map = label_map_factory_function(canonical_id_map)
    # Step 3: rewrite the canonical N-Quads with the new labels.
    # Implementation note: the canonical N-Quads carry c14nN labels, so map
    # those (not the input labels) to the new ones, then re-sort (P7).
    # Implementation note: relabelBlankNodes over the terms RDFC-1.0 serialized
    # (canonical.relabeled) gives the same lines without parsing them again.
    c14n_to_new_label = {canonical_id_map[label]: new for label, new in label_map.items()}
    canonical_nquads = sorted(canonical.relabeled(c14n_to_new_label))
    # Step 4: return both.
    return LabelReplacementResult(label_map=label_map, canonical_nquads=tuple(canonical_nquads))


def create_label_map_function(label_map: LabelMap) -> LabelMapFactoryFunction:
    """Return a factory that maps each input label to ``label_map[its c14n label]``.

    Spec: vc-di-ecdsa#createlabelmapfunction

    Raises ``KeyError`` when a canonical label has no entry in ``label_map``.
    """

    # Step 1: the factory function.
    def label_map_factory_function(canonical_id_map: Mapping[str, str]) -> dict[str, str]:
        # Step 1.1 to 1.3: look up each canonical label's new label.
        return {label: label_map[c14n] for label, c14n in canonical_id_map.items()}

    # Step 2: return it.
    return label_map_factory_function


def create_hmac_id_label_map_function(hmac_key: bytes) -> LabelMapFactoryFunction:
    """Return a factory that labels each blank node ``u`` + base64url(HMAC(c14n label)).

    Spec: vc-di-ecdsa#createhmacidlabelmapfunction

    The HMAC is HMAC-SHA-256 with ``hmac_key``; digests are cached per
    canonical label for the life of the returned function.
    """
    keyed = hmac_module.new(hmac_key, digestmod=hashlib.sha256)
    cache: dict[str, str] = {}

    def hmac_label(c14n_label: str) -> str:
        label = cache.get(c14n_label)
        if label is None:
            digest = keyed.copy()
            digest.update(c14n_label.encode())
            label = cache[c14n_label] = encode_base64url(digest.digest())
        return label

    # Step 1: the factory function.
    def label_map_factory_function(canonical_id_map: Mapping[str, str]) -> dict[str, str]:
        # Step 1.1 to 1.3: HMAC each canonical label; "u" + base64url-no-pad digest.
        return {label: hmac_label(c14n) for label, c14n in canonical_id_map.items()}

    # Step 2: return it.
    return label_map_factory_function
