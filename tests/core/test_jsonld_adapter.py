"""vc_core._jsonld: W3C vectors, the pyld internals it relies on, context caching, the API."""

from __future__ import annotations

import copy
import inspect
import json
from collections.abc import Callable
from importlib.metadata import version
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest
from pyld import jsonld
from pyld.canon import URDNA2015
from pyld.context_resolver import ContextResolver
from pyld.identifier_issuer import IdentifierIssuer
from pyld.nquads import serialize_nquad

from vc_core._jsonld import (
    CanonicalResult,
    canonicalize,
    canonicalize_nquads,
    compact,
    expand,
    relabel_nquads,
    to_nquads,
)

EX = "http://example.org/"
V2 = "https://www.w3.org/ns/credentials/v2"
Loader = Callable[..., Any]


# --- W3C vectors ----------------------------------------------------------------------------

RDFC_CASES = {
    "ecdsa-rdfc-2019-p256": ("ecdsa-rdfc-2019-p256", "unsigned.json", "sha256"),
    "ecdsa-rdfc-2019-p256/employ": ("ecdsa-rdfc-2019-p256/employ", "employmentAuth.json", "sha256"),
    "ecdsa-rdfc-2019-p384": ("ecdsa-rdfc-2019-p384", "unsigned.json", "sha384"),
    "ecdsa-rdfc-2019-p384/employ": ("ecdsa-rdfc-2019-p384/employ", "employmentAuth.json", "sha384"),
    "eddsa-rdfc-2022": ("eddsa-rdfc-2022", "unsigned.json", "sha256"),
    "eddsa-rdfc-2022/employ": ("eddsa-rdfc-2022/employ", "employmentAuth.json", "sha256"),
}


@pytest.mark.vectors
@pytest.mark.parametrize("case", RDFC_CASES.values(), ids=RDFC_CASES.keys())
def test_rdfc_vectors(
    case: tuple[str, str, str], vectors_dir: Path, keyed_reference_loader: Loader
) -> None:
    folder, input_name, hash_name = case
    suite = vectors_dir / folder.split("/")[0]
    document = json.loads((suite / input_name).read_text())
    proof_config = json.loads(next((vectors_dir / folder).glob("proofConfig*.json")).read_text())
    canon_doc = next((vectors_dir / folder).glob("canonDoc*.txt")).read_text()
    proof_canon = next((vectors_dir / folder).glob("proofCanon*.txt")).read_text()
    options: dict[str, Any] = {"document_loader": keyed_reference_loader, "hash_name": hash_name}
    assert canonicalize(document, **options).text == canon_doc
    assert canonicalize(proof_config, **options).text == proof_canon


@pytest.mark.vectors
def test_p384_vector_needs_sha384_inside_rdfc(
    vectors_dir: Path, keyed_reference_loader: Loader
) -> None:
    document = json.loads((vectors_dir / "ecdsa-rdfc-2019-p384/employmentAuth.json").read_text())
    expected = (vectors_dir / "ecdsa-rdfc-2019-p384/employ/canonDocECDSAP384.txt").read_text()
    assert canonicalize(document, document_loader=keyed_reference_loader).text != expected


@pytest.mark.vectors
@pytest.mark.parametrize("case", ["employ", "prc"])
def test_ecdsa_sd_vectors(case: str, vectors_dir: Path, keyed_reference_loader: Loader) -> None:
    folder = vectors_dir / "ecdsa-sd-2023" / case
    document = json.loads((folder / "addSignedSDBase.json").read_text())
    del document["proof"]
    expected = json.loads((folder / "addBaseDocCanon.json").read_text())
    assert list(canonicalize(document, document_loader=keyed_reference_loader).nquads) == expected
    proof_config = json.loads((folder / "addProofConfig.json").read_text())
    assert (
        canonicalize(proof_config, document_loader=keyed_reference_loader).text
        == (folder / "addProofConfigCanon.txt").read_text()
    )
    # Already canonical statements come back unchanged, c14n labels and all.
    assert list(canonicalize_nquads(expected).nquads) == expected


@pytest.mark.vectors
@pytest.mark.parametrize("case", ["employ", "prc"])
def test_ecdsa_sd_deskolemized_vectors(case: str, vectors_dir: Path) -> None:
    folder = vectors_dir / "ecdsa-sd-2023" / case
    group_data = json.loads((folder / "derivedAllGroupData.json").read_text())
    deskolemized = group_data["deskolemizedNQuads"]
    expected = json.loads((folder / "addBaseDocCanon.json").read_text())
    assert list(canonicalize_nquads(deskolemized).nquads) == expected
    label_map = dict(group_data["labelMap"]["value"])
    assert sorted(relabel_nquads(deskolemized, label_map)) == sorted(group_data["nquads"])


# --- other API behaviour ----------------------------------------------------------------------


@pytest.mark.vectors
def test_expand_matches_pyld(vectors_dir: Path, keyed_reference_loader: Loader) -> None:
    document = json.loads((vectors_dir / "ecdsa-sd-2023/employ/addSignedSDBase.json").read_text())
    reference = jsonld.expand(
        copy.deepcopy(document), {"documentLoader": keyed_reference_loader, "base": None}
    )
    assert expand(document, document_loader=keyed_reference_loader) == reference


@pytest.mark.vectors
def test_compact_round_trip(vectors_dir: Path, keyed_reference_loader: Loader) -> None:
    document = json.loads((vectors_dir / "ecdsa-sd-2023/employ/addSignedSDBase.json").read_text())
    expanded = expand(document, document_loader=keyed_reference_loader)
    assert (
        compact(expanded, document["@context"], document_loader=keyed_reference_loader) == document
    )


def test_to_nquads_keeps_pyld_blank_labels_and_sorts(keyed_reference_loader: Loader) -> None:
    document = {
        "@context": {"@vocab": EX},
        "@id": EX + "s",
        "knows": {"name": "n\u000c"},
        "score": 1.5,
        "ok": True,
    }
    # safe=False: safe mode refuses U+000C (docs/protocols.md, P2).
    assert to_nquads(document, document_loader=keyed_reference_loader, safe=False) == [
        f"<{EX}s> <{EX}knows> _:b0 .\n",
        f'<{EX}s> <{EX}ok> "true"^^<http://www.w3.org/2001/XMLSchema#boolean> .\n',
        f'<{EX}s> <{EX}score> "1.5E0"^^<http://www.w3.org/2001/XMLSchema#double> .\n',
        f'_:b0 <{EX}name> "n\\f" .\n',
    ]


@pytest.mark.parametrize(
    "value",
    [True, False, 0, -7, 2024, 2**70, 10**21, -(10**22), 1.5, 0.0],
    ids=repr,
)
@pytest.mark.parametrize(
    "datatype",
    [None, "http://www.w3.org/2001/XMLSchema#double", EX + "custom"],
    ids=["untyped", "xsd-double", "custom"],
)
def test_numbers_and_booleans_become_the_literals_pyld_makes(
    value: object, datatype: str | None, keyed_reference_loader: Loader
) -> None:
    literal: dict[str, object] = {"@value": value}
    if datatype is not None:
        literal["@type"] = datatype
    document = {"@context": {"@vocab": EX}, "@id": EX + "s", "v": literal}
    expected = jsonld.to_rdf(document, {"base": None, "format": "application/n-quads"})
    assert "".join(to_nquads(document, document_loader=keyed_reference_loader)) == expected


def test_direction_uses_i18n_datatype(keyed_reference_loader: Loader) -> None:
    document = {
        "@context": {"@vocab": EX},
        "@id": EX + "s",
        "title": {"@value": "x", "@language": "AR-eg", "@direction": "rtl"},
    }
    result = canonicalize(document, document_loader=keyed_reference_loader)
    assert result.nquads == (
        f'<{EX}s> <{EX}title> "x"^^<https://www.w3.org/ns/i18n#ar-eg_rtl> .\n',
    )


def test_string_typed_xsd_double_is_kept_as_written(keyed_reference_loader: Loader) -> None:
    double = "http://www.w3.org/2001/XMLSchema#double"
    document = {
        "@context": {"@vocab": EX},
        "@id": EX + "s",
        "v": {"@value": "1.50", "@type": double},
    }
    expected = f'<{EX}s> <{EX}v> "1.50"^^<{double}> .\n'
    assert canonicalize(document, document_loader=keyed_reference_loader).text == expected
    # pyoxigraph's JSON-LD parser (JSON-LD 1.1 toRdf) agrees; pyld rewrites it to "1.5E0".
    assert str(ox.Dataset(ox.parse(json.dumps(document), format=ox.RdfFormat.JSON_LD))) == expected
    assert "1.5E0" in jsonld.to_rdf(document, {"base": None, "format": "application/n-quads"})


def test_canonical_result_is_immutable(keyed_reference_loader: Loader) -> None:
    result = canonicalize(
        {"@context": {"@vocab": EX}, "n": "x"}, document_loader=keyed_reference_loader
    )
    assert isinstance(result, CanonicalResult)
    assert result.nquads == ('_:c14n0 <http://example.org/n> "x" .\n',)
    with pytest.raises(TypeError):
        result.issued_ids["b0"] = "c14n9"  # type: ignore[index]


# --- context caching ---------------------------------------------------------------------------

CTX_URL = "https://example.org/contexts/test"


def counting_loader(definition: str, cache_key: str | None) -> Loader:
    def load(url: str, options: object = None) -> Any:
        load.calls += 1  # type: ignore[attr-defined]
        return {"document": {"@context": {"term": definition}}, "documentUrl": url}

    load.calls = 0  # type: ignore[attr-defined]
    if cache_key is not None:
        load.cache_key = cache_key  # type: ignore[attr-defined]
    return load


def term_iri(loader: Loader) -> str:
    result = canonicalize(
        {"@context": CTX_URL, "@id": EX + "s", "term": "v"}, document_loader=loader
    )
    return result.text.split(" ")[1]


def test_loaders_with_a_cache_key_share_processed_contexts() -> None:
    first = counting_loader(EX + "one", "tests:cache-one")
    for _ in range(3):
        assert term_iri(first) == f"<{EX}one>"
    assert first.calls == 1  # type: ignore[attr-defined]


def test_caches_do_not_leak_between_loader_contents() -> None:
    one = counting_loader(EX + "one", "tests:leak-one")
    two = counting_loader(EX + "two", "tests:leak-two")
    keyless = counting_loader(EX + "three", None)
    assert term_iri(one) == f"<{EX}one>"
    assert term_iri(two) == f"<{EX}two>"
    assert term_iri(keyless) == f"<{EX}three>"
    assert term_iri(one) == f"<{EX}one>"


def test_loaders_without_a_cache_key_are_asked_every_time() -> None:
    keyless = counting_loader(EX + "one", None)
    term_iri(keyless)
    term_iri(keyless)
    assert keyless.calls == 2  # type: ignore[attr-defined]


def test_pyld_global_context_cache_is_never_used(keyed_reference_loader: Loader) -> None:
    # pyld's process-wide cache is keyed by URL only; we always pass our own resolver.
    before = dict(jsonld._resolved_context_cache)
    document = {"@context": [V2, {"extra": EX + "extra"}], "type": "VerifiableCredential"}
    canonicalize(document, document_loader=keyed_reference_loader)
    expand(document, document_loader=keyed_reference_loader)
    compact(document, V2, document_loader=keyed_reference_loader)
    assert dict(jsonld._resolved_context_cache) == before


# --- pins: the pyld 3.3.0 behaviour and internals this adapter relies on --------------------


def test_pin_pyld_version() -> None:
    assert version("pyld") == "3.3.0"


def test_pin_canonical_issuer_holds_the_canonical_id_map() -> None:
    dataset = {"@default": [_triple("_:x", "_:y"), _triple("_:y", EX + "o")]}
    original = copy.deepcopy(dataset)
    canonicalizer = URDNA2015()
    canonicalizer.main(dataset, {"format": "application/n-quads"})
    assert canonicalizer.canonical_issuer.existing == {"_:y": "_:c14n0", "_:x": "_:c14n1"}
    # main() relabels its input in place, so it must only ever get a private copy.
    assert dataset != original


def test_pin_pyld_escaping_leaves_control_characters_raw() -> None:
    literal = {"type": "literal", "value": "a\bb", "datatype": jsonld.XSD_STRING}
    line = serialize_nquad(
        {"subject": _iri(EX + "s"), "predicate": _iri(EX + "p"), "object": literal}
    )
    assert line == f'<{EX}s> <{EX}p> "a\bb" .\n'
    assert canonicalize_nquads([f'<{EX}s> <{EX}p> "a\\u0008b" .\n']).text.endswith('"a\\bb" .\n')


def test_pin_pyld_lists_a_self_loop_quad_twice() -> None:
    canonicalizer = URDNA2015()
    canonicalizer.main({"@default": [_triple("_:a", "_:a")]}, {"format": "application/n-quads"})
    assert len(canonicalizer.blank_node_info["_:a"]["quads"]) == 2


def test_pin_normalize_defaults_to_urgna2012() -> None:
    nquads = f'_:a <{EX}p> _:b .\n_:b <{EX}q> "x" .\n_:a <{EX}r> "y" .\n'
    options = {"inputFormat": "application/n-quads", "format": "application/n-quads"}
    default = jsonld.normalize(nquads, options)
    urdna = jsonld.normalize(nquads, {**options, "algorithm": "URDNA2015"})
    assert default != urdna
    assert canonicalize_nquads(nquads.splitlines(keepends=True)).text == urdna


def test_pin_on_property_dropped_reports_terms_but_not_types() -> None:
    dropped: list[str | None] = []
    processor = jsonld.JsonLdProcessor(on_property_dropped=dropped.append)
    expanded = processor.expand(
        {"@context": {"name": EX + "name"}, "name": "x", "age": 1, "@type": "Person"},
        {"base": None},
    )
    assert dropped == ["age"]
    assert expanded[0]["@type"] == ["Person"]  # relative, silently dropped by to_rdf


def test_pin_remote_contexts_reach_the_shared_cache_only_with_a_tag() -> None:
    def loader(url: str, options: object = None) -> Any:
        return {"contextUrl": None, "documentUrl": url, "document": {"@context": {}}}

    for tag, cached in ((None, False), ("static", True)):
        shared: dict[str, Any] = {}

        def tagged(url: str, options: object = None, tag: str | None = tag) -> Any:
            return {**loader(url), "tag": tag}

        resolver = ContextResolver(shared, tagged)
        resolver.resolve({"processingMode": "json-ld-1.1"}, CTX_URL, None)
        assert (CTX_URL in shared) is cached


def test_pin_internal_signatures() -> None:
    processor = jsonld.JsonLdProcessor
    expected = {
        processor._process_context: [
            "self",
            "active_ctx",
            "local_ctx",
            "options",
            "override_protected",
            "propagate",
            "validate_scoped",
            "cycles",
        ],
        processor._expand: [
            "self",
            "active_ctx",
            "active_property",
            "element",
            "options",
            "inside_list",
            "inside_index",
            "type_scoped_ctx",
        ],
        processor._expand_iri: [
            "self",
            "active_ctx",
            "value",
            "base",
            "vocab",
            "local_ctx",
            "defined",
        ],
        processor._get_initial_context: ["self", "options"],
        processor._object_to_rdf: ["self", "item", "issuer", "triples", "options"],
        URDNA2015.hash_first_degree_quads: ["self", "id_"],
        URDNA2015.hash_n_degree_quads: ["self", "id_", "issuer"],
        URDNA2015.create_hash_to_related: ["self", "id_", "issuer"],
        URDNA2015.create_hash: ["self"],
        ContextResolver.__init__: ["self", "shared_cache", "document_loader", "max_context_urls"],
        IdentifierIssuer.get_id: ["self", "old"],
    }
    for function, names in expected.items():
        assert list(inspect.signature(function).parameters) == names, function
    issuer = IdentifierIssuer("_:b")
    assert issuer.get_id("_:x") == "_:b0"
    assert (issuer.existing, issuer.order, issuer.has_id("_:x")) == ({"_:x": "_:b0"}, ["_:x"], True)
    result = URDNA2015()
    result.blank_node_info = {"_:a": {"quads": [_triple("_:a", EX + "o")]}}
    assert set(result.hash_n_degree_quads("_:a", IdentifierIssuer("_:b"))) == {"hash", "issuer"}


def _iri(value: str) -> dict[str, str]:
    return {"type": "blank node" if value.startswith("_:") else "IRI", "value": value}


def _triple(subject: str, obj: str) -> dict[str, Any]:
    return {"subject": _iri(subject), "predicate": _iri(EX + "p"), "object": _iri(obj)}
