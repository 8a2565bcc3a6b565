"""RDFC-1.0 over pyld's URDNA2015 state: canonical labels, canonical N-Quads, a work bound.

pyld calls the algorithm URDNA2015; here it is ``_rdfc_1_0``, using pyld's
identifier issuers and Hash N-Degree Quads with SHA-256 or SHA-384 (P17).
pyld differs from RDFC-1.0 (and from rdf-canonize, the JS reference) in ways
fixed here: quads are serialized in canonical N-Quads form, a quad mentioning
a blank node twice counts once for it, and input labels that already start
with ``c14n`` are relabelled too. Like rdf-canonize (unlike pyoxigraph), Hash
N-Degree Quads lists a related blank node once per quad. Poison graphs stop
at a work bound with :class:`CanonicalizationLimitError` (P4).
"""

from __future__ import annotations

import hashlib
import json
import math
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, Final, Literal

from pyld.canon import URDNA2015
from pyld.identifier_issuer import IdentifierIssuer

from vc_core._jsonld.json_input import MAX_JSON_BYTES, MAX_JSON_DEPTH, copy_untrusted
from vc_core._jsonld.quads import Quad, json_ld_quads, parse_dataset, unescape
from vc_core.errors import CanonicalizationLimitError
from vc_core.types import DocumentLoader

__all__ = [
    "MAX_BLANK_NODES",
    "MAX_WORK",
    "CanonicalResult",
    "HashName",
    "canonical_text",
    "canonicalize",
    "canonicalize_nquads",
    "canonicalize_quads",
]

HashName = Literal["sha256", "sha384"]
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

    def get_related_predicate(self, quad: Quad) -> str:
        """``<``, the predicate's IRI as it is (not escaped), ``>`` (Hash Related Blank Node)."""
        predicate = quad[1]
        return predicate if "\\" not in predicate else "<" + unescape(predicate[1:-1]) + ">"

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
    quads: list[Quad], *, new_hash: Callable[[], Any], max_blank_nodes: int, max_work: int
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
    quads = json_ld_quads(
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
    quads = parse_dataset(nquads, max_bytes=max_bytes)
    return canonicalize_quads(
        quads, hash_name=hash_name, max_blank_nodes=max_blank_nodes, max_work=max_work
    )


def canonicalize_quads(
    quads: Sequence[Quad],
    *,
    hash_name: HashName = "sha256",
    max_blank_nodes: int = MAX_BLANK_NODES,
    max_work: int = MAX_WORK,
) -> CanonicalResult:
    """Canonicalize quads (terms in canonical N-Quads form, as parsed) with RDFC-1.0.

    Duplicate quads count once. Implementation note: :func:`canonicalize_nquads`
    without the parsing, for quads this package wrote.
    """
    new_hash = _hash_factory(hash_name)
    dataset = list(dict.fromkeys(quads))
    return _rdfc_1_0(dataset, new_hash=new_hash, max_blank_nodes=max_blank_nodes, max_work=max_work)


# Memo of canonical_text: (loader cache_key, JSON text) -> canonical N-Quads.
_CANONICAL_TEXTS: dict[tuple[str, str], str] = {}
_MAX_CANONICAL_TEXTS: Final = 256
_MAX_MEMOIZED_JSON: Final = 4_096


def canonical_text(document: Any, *, document_loader: DocumentLoader) -> str:
    """``canonicalize(document).text`` (SHA-256, safe mode), memoized for small documents.

    Implementation note: for proof configurations, which repeat from one
    proof to the next (same options, same ``created`` second, same contexts).
    The canonical form depends only on the document's JSON value and the
    loader's content, so results are kept per loader ``cache_key`` (a loader
    without one is never memoized) and JSON text with sorted keys, for
    documents up to 4 KiB of JSON, at most 256 of them (the memo starts over
    when full). Failures are not memoized; errors are those of canonicalize.
    """
    cache_key = getattr(document_loader, "cache_key", None)
    if not isinstance(cache_key, str):
        return canonicalize(document, document_loader=document_loader).text
    # The checked copy canonicalize makes first (its errors, then plain JSON only).
    copied = copy_untrusted(document, max_depth=MAX_JSON_DEPTH, max_bytes=MAX_JSON_BYTES)
    text = json.dumps(copied, sort_keys=True)
    if len(text) > _MAX_MEMOIZED_JSON:
        return canonicalize(copied, document_loader=document_loader).text
    key = (cache_key, text)
    canonical = _CANONICAL_TEXTS.get(key)
    if canonical is None:
        canonical = canonicalize(copied, document_loader=document_loader).text
        if len(_CANONICAL_TEXTS) >= _MAX_CANONICAL_TEXTS:
            _CANONICAL_TEXTS.clear()
        _CANONICAL_TEXTS[key] = canonical
    return canonical
