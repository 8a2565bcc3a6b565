"""vc_core._jsonld fast paths: each gives exactly pyld's result, or leaves the input to pyld.

The fast paths (expansion, compaction, IRI compaction, already-expanded input,
plain N-Quads parsing, RDFC-1.0 with one blank node) are compared with plain
pyld on the W3C vectors, our own credentials and hand-made documents that use
JSON-LD outside the fast subset. Results are compared as JSON text, so key
order counts too.
"""

from __future__ import annotations

import copy
import inspect
import itertools
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from pyld import jsonld
from pyld.context_resolver import ContextResolver

from vc_core._jsonld import (
    calls,
    canonicalize_nquads,
    compact,
    compaction,
    expand,
    expansion,
    json_input,
    quads,
    safe_mode,
)
from vc_core._jsonld import processor as processor_module
from vc_core.errors import DataLossError, ParsingError, VcError
from vc_core.hazmat.sd_primitives.skolemize import skolemize_expanded_json_ld
from vc_core.loader import bundled_contexts

EX = "http://example.org/"
XSD = "http://www.w3.org/2001/XMLSchema#"
V2 = "https://www.w3.org/ns/credentials/v2"
NL = "https://issuer.example.nl/contexts/nl-vc/v1"
Loader = Callable[..., Any]

VECTOR_DOCUMENTS = [
    "ecdsa-rdfc-2019-p256/employ/proofConfigECDSAP256.json",
    "ecdsa-rdfc-2019-p256/employ/signedECDSAP256.json",
    "ecdsa-rdfc-2019-p256/employmentAuth.json",
    "ecdsa-rdfc-2019-p256/proofConfigECDSAP256.json",
    "ecdsa-rdfc-2019-p256/unsigned.json",
    "ecdsa-rdfc-2019-p384/proofConfigECDSAP384.json",
    "ecdsa-sd-2023/employ/addProofConfig.json",
    "ecdsa-sd-2023/employ/addSignedSDBase.json",
    "ecdsa-sd-2023/employ/derivedUnsignedReveal.json",
    "ecdsa-sd-2023/employmentAuth.json",
    "ecdsa-sd-2023/prCredUnsigned.json",
    "ecdsa-sd-2023/prc/derivedUnsignedReveal.json",
    "ecdsa-sd-2023/windsurf/derivedUnsignedReveal.json",
    "ecdsa-sd-2023/windsurf/windDoc.json",
    "eddsa-rdfc-2022/proofConfigDataInt.json",
    "eddsa-rdfc-2022-proof-set-chain/signedProofChain2.json",
    "eddsa-rdfc-2022-proof-set-chain/unsigned.json",
]

INCOME = {
    "@context": [V2, NL],
    "id": "urn:uuid:3978344f-8596-4c3a-a978-8fcaba3903c5",
    "type": ["VerifiableCredential", "InkomensverklaringCredential"],
    "issuer": "did:key:zDnaerx9CtbPJ1q36T5Ln5wYt3MQYeGRG5ehnPAmxcf5mDZpv",
    "validFrom": "2025-06-01T00:00:00Z",
    "credentialStatus": {
        "id": "https://issuer.example.nl/status/1#94567",
        "type": "BitstringStatusListEntry",
        "statusPurpose": "revocation",
        "statusListIndex": "94567",
        "statusListCredential": "https://issuer.example.nl/status/1",
    },
    "credentialSubject": {
        "id": "did:example:holder",
        "type": "Belastingplichtige",
        "belastingjaar": 2024,
        "verzamelinkomen": {"type": "MonetaryAmount", "value": "41250.00", "currency": "EUR"},
        "inkomenstoets": {
            "type": "InkomenToets",
            "huishoudgrootte": 2,
            "onderSocialeHuurgrens": True,
        },
    },
}

# JSON-LD inside and outside the fast subset: scoped contexts, coercions, containers ...
CRAFTED: dict[str, Any] = {
    "scoped contexts": {
        "@context": {
            "@vocab": EX,
            "Person": {"@context": {"name": {"@id": EX + "personName"}}},
            "knows": {"@id": EX + "knows", "@context": {"age": {"@type": XSD + "integer"}}},
        },
        "@id": EX + "alice",
        "@type": "Person",
        "name": "Alice",
        "knows": [{"@type": "Person", "name": "Bob", "age": "42"}, {"@id": EX + "carol"}],
    },
    "coercions": {
        "@context": {
            "@vocab": EX,
            "@language": "NL",
            "link": {"@type": "@id"},
            "kind": {"@type": "@vocab"},
            "plain": {"@language": None},
            "when": {"@type": XSD + "date"},
        },
        "link": "https://example.org/x",
        "kind": "Thing",
        "plain": "p",
        "text": "hallo",
        "when": "2024-01-01",
        "n": [1, 2.5, False, None],
    },
    "value objects": {
        "@context": {"@vocab": EX},
        "a": {"@value": "x", "@language": "EN-gb"},
        "b": {"@value": "1", "@type": XSD + "integer"},
        "c": [{"@value": 2}, {"@id": EX + "n"}],
    },
    "direction": {"@context": {"@vocab": EX}, "c": {"@value": "r", "@direction": "rtl"}},
    "list container": {"@context": {"@vocab": EX, "l": {"@container": "@list"}}, "l": ["a", "b"]},
    "language map": {
        "@context": {"@vocab": EX, "m": {"@container": "@language"}},
        "m": {"en": "x", "nl": "y"},
    },
    "reverse": {
        "@context": {"@vocab": EX, "parent": {"@reverse": EX + "child"}},
        "@id": EX + "c",
        "parent": {"@id": EX + "p"},
    },
    "json literal": {"@context": {"@vocab": EX, "j": {"@type": "@json"}}, "j": {"k": [1]}},
    "nest": {"@context": {"@vocab": EX, "meta": "@nest"}, "meta": {"a": "b"}},
    "included": {"@context": {"@vocab": EX}, "@included": [{"@id": EX + "i", "a": "b"}]},
    "graph": {"@context": {"@vocab": EX}, "@graph": [{"@id": EX + "g", "a": "b"}]},
    "graph container": {
        "@context": {"@vocab": EX, "g": {"@container": ["@graph", "@set"], "@context": None}},
        "g": [{"@context": {"@vocab": EX}, "a": "b"}, {"@id": EX + "x", "@type": EX + "T"}],
    },
    "set container": {"@context": {"@vocab": EX, "s": {"@container": "@set"}}, "s": "one"},
    "type aliases": {"@context": {"@vocab": EX, "kind": "@type", "ident": "@id"}, "kind": "K"},
    "empty values": {"@context": {"@vocab": EX}, "e": [], "o": {}, "t": {"@type": []}},
    "top-level array": [{"@context": {"@vocab": EX}, "@id": EX + "a", "p": "v"}],
    "credential": INCOME,
}


@pytest.fixture(scope="module")
def loader(reference_loader: Loader) -> Loader:
    """The W3C reference contexts plus our bundled ones, with a ``cache_key``."""
    bundled = bundled_contexts()

    def load(url: str, options: object = None) -> Any:
        if url in bundled:
            return {"contextUrl": None, "documentUrl": url, "document": bundled[url]}
        return reference_loader(url, options)

    load.cache_key = "tests:fast-paths"  # type: ignore[attr-defined]
    return load


def pyld_options(loader: Loader) -> dict[str, Any]:
    """Plain pyld with a private context cache."""
    return {"documentLoader": loader, "base": None, "contextResolver": ContextResolver({}, loader)}


def pyld_expand(document: Any, loader: Loader) -> Any:
    return jsonld.JsonLdProcessor().expand(copy.deepcopy(document), pyld_options(loader))


def pyld_compact(document: Any, context: Any, loader: Loader) -> Any:
    return jsonld.JsonLdProcessor().compact(copy.deepcopy(document), context, pyld_options(loader))


def takes_fast_expansion(document: Any, loader: Loader) -> bool:
    copied = json_input.copy_untrusted(document, max_depth=64, max_bytes=1 << 22)
    options = calls.pyld_options(loader)
    processor = processor_module.SAFE_PROCESSOR
    with calls.pyld_calls():
        try:
            processor._fast_expand(
                processor._get_initial_context(options), None, copied, options, None
            )
        except expansion.FallbackError:
            return False
    return True


def vector(vectors_dir: Path, name: str) -> Any:
    return json.loads((vectors_dir / name).read_text())


def as_text(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


# --- expansion ----------------------------------------------------------------------------------


@pytest.mark.vectors
@pytest.mark.parametrize("name", VECTOR_DOCUMENTS)
def test_expansion_equals_pyld_on_vectors(vectors_dir: Path, loader: Loader, name: str) -> None:
    document = vector(vectors_dir, name)
    expanded = expand(document, document_loader=loader)
    assert as_text(expanded) == as_text(pyld_expand(document, loader))
    # Proofs (and embedded credentials) are graph containers, which the fast path covers.
    assert takes_fast_expansion(document, loader)
    # Expanding the expanded form again (what compaction does) agrees as well.
    again = expand(expanded, document_loader=loader)
    assert as_text(again) == as_text(pyld_expand(expanded, loader))


@pytest.mark.parametrize("name", CRAFTED)
def test_expansion_equals_pyld_on_crafted_documents(loader: Loader, name: str) -> None:
    document = CRAFTED[name]
    expected = pyld_expand(document, loader)
    assert as_text(expand(document, document_loader=loader, safe=False)) == as_text(expected)


@pytest.mark.parametrize(
    ("name", "fast"),
    [
        ("scoped contexts", True),
        ("coercions", True),
        ("value objects", True),
        ("direction", False),
        ("list container", False),
        ("reverse", False),
        ("nest", False),
        ("graph container", True),
        ("credential", True),
    ],
)
def test_fast_expansion_covers_the_credential_subset(loader: Loader, name: str, fast: bool) -> None:
    assert takes_fast_expansion(CRAFTED[name], loader) is fast


@pytest.mark.parametrize(
    "document",
    [
        {"@context": {"@vocab": EX}, "@id": "relative", "p": "v"},
        {"@context": {"n": EX + "n"}, "n": "v", "undefined": "x"},
        {"@context": {"@vocab": EX}, "@type": "_:t", "_:p": "v"},
    ],
    ids=["relative id", "undefined term", "blank predicate"],
)
def test_safe_mode_errors_are_unchanged(loader: Loader, document: Any) -> None:
    with pytest.raises(DataLossError) as caught:
        expand(document, document_loader=loader)
    assert caught.value.code == "DATA_LOSS_DETECTION_ERROR"


# --- compaction ---------------------------------------------------------------------------------


@pytest.mark.vectors
@pytest.mark.parametrize("name", VECTOR_DOCUMENTS)
def test_compaction_equals_pyld_on_vectors(vectors_dir: Path, loader: Loader, name: str) -> None:
    document = vector(vectors_dir, name)
    context = document["@context"]
    assert as_text(compact(document, context, document_loader=loader)) == as_text(
        pyld_compact(document, context, loader)
    )
    skolemized = skolemize_expanded_json_ld(
        pyld_expand(document, loader), random_string="r", count=itertools.count()
    )
    expected = as_text(pyld_compact(skolemized, context, loader))
    assert as_text(compact(skolemized, context, document_loader=loader)) == expected
    # Our own skolemized document is compacted without a copy, and shares nothing with it.
    before = as_text(skolemized)
    owned = compact(skolemized, context, document_loader=loader, owned=True)
    assert as_text(owned) == expected
    assert not _containers(owned) & _containers(skolemized)
    assert as_text(skolemized) == before


def _containers(value: Any) -> set[int]:
    """The ids of every dict and list inside ``value``."""
    if isinstance(value, dict):
        return {id(value)}.union(*map(_containers, value.values()))
    if isinstance(value, list):
        return {id(value)}.union(*map(_containers, value))
    return set()


@pytest.mark.parametrize("name", CRAFTED)
def test_compaction_equals_pyld_on_crafted_documents(loader: Loader, name: str) -> None:
    document = CRAFTED[name]
    context = (document[0] if isinstance(document, list) else document)["@context"]
    expected = pyld_compact(document, context, loader)
    assert as_text(compact(document, context, document_loader=loader, safe=False)) == as_text(
        expected
    )


def test_iris_that_compact_to_themselves(loader: Loader) -> None:
    processor = processor_module.PLAIN_PROCESSOR
    options = calls.pyld_options(loader)
    with calls.pyld_calls():
        active = processor.process_context(
            processor._get_initial_context(options), [V2, NL], options
        )
    uuid = active["_uuid"]
    iris = [
        "urn:uuid:3978344f-8596-4c3a-a978-8fcaba3903c5",
        "did:key:zDnaerx9CtbPJ1q36T5Ln5wYt3MQYeGRG5ehnPAmxcf5mDZpv",
        "urn:bnid:_abc_0",
        "https://www.w3.org/2018/credentials#issuer",
        "https://www.w3.org/ns/credentials/examples#x",
        "https://issuer.example.nl/ns/nl-vc#belastingjaar",
        "https://w3id.org/security#proof",
        "cred:issuer",
        "xsd:string",
        "@id",
    ]
    shortcuts = 0
    for iri, vocab, base in itertools.product(iris, (True, False), (None, "", EX)):
        expected = jsonld.JsonLdProcessor._compact_iri(processor, active, iri, None, vocab, base)
        if processor._compacts_to_itself(active, uuid, iri, vocab, base):
            shortcuts += 1
            assert expected == iri, (iri, vocab, base)
    assert shortcuts >= 8


# --- documents already in expanded form ---------------------------------------------------------

FIXPOINTS: dict[str, tuple[Any, bool]] = {
    "node": ([{"@id": EX + "s", "@type": [EX + "T"], EX + "p": [{"@value": 1}]}], True),
    "typed value": ([{"@id": "_:b0", EX + "p": [{"@value": "1", "@type": XSD + "int"}]}], True),
    "lower-case language": ([{EX + "p": [{"@value": "x", "@language": "en-gb"}]}], True),
    "nested nodes": ([{EX + "p": [{"@id": EX + "o"}, {EX + "q": []}]}], True),
    "upper-case language": ([{EX + "p": [{"@value": "x", "@language": "en-GB"}]}], False),
    "empty type": ([{"@id": EX + "s", "@type": [], EX + "p": [{"@value": 1}]}], False),
    "only an id": ([{"@id": EX + "s"}], False),
    "null value": ([{EX + "p": [{"@value": None}]}], False),
    "relative id": ([{"@id": "s", EX + "p": [{"@value": 1}]}], False),
    "blank predicate": ([{"_:p": [{"@value": 1}]}], False),
    "list": ([{EX + "p": [{"@list": [{"@value": 1}]}]}], False),
    "compact form": ({"@context": {"@vocab": EX}, "p": 1}, False),
}


@pytest.mark.parametrize("name", FIXPOINTS)
def test_expanded_fixpoints(loader: Loader, name: str) -> None:
    document, fixpoint = FIXPOINTS[name]
    assert compaction.is_expanded_fixpoint(document) is fixpoint
    if fixpoint:
        again = pyld_expand(document, loader)
        assert json.dumps(again, sort_keys=True) == json.dumps(document, sort_keys=True)
        safe_mode.check_expanded(again)


# --- N-Quads and RDFC-1.0 -------------------------------------------------------------------------


@pytest.mark.vectors
def test_plain_nquads_pattern_matches_like_the_full_grammar(vectors_dir: Path) -> None:
    lines = [
        line
        for path in sorted(vectors_dir.rglob("*.txt"))
        for line in path.read_text().splitlines(keepends=True)
        if line.endswith(" .\n")
    ]
    lines += [
        '<http://a> <http://b> "x\\ty"@en .\n',
        '<http://a> <http://b> "\\u0041" .\n',
        "<http://a\\u0020b> <http://b> _:c .\n",
        '_:a  <http://b>\t"x"^^<http://t> <http://g> . \n',
        '<http://a> <http://b> "bad"@ .\n',
    ]
    plain_matches = 0
    for line in lines:
        plain, full = quads._PLAIN_NQUAD.fullmatch(line), quads._NQUAD.fullmatch(line)
        if plain is not None:
            plain_matches += 1
            assert full is not None, line
            assert plain.groups() == full.groups(), line
        elif "\\" not in line:
            assert full is None, line
    assert plain_matches > 100


def test_one_blank_node_gets_c14n0() -> None:
    statements = ['_:x <http://a> "v" .\n', "<http://s> <http://p> _:x .\n"]
    result = canonicalize_nquads(statements)
    assert dict(result.issued_ids) == {"x": "c14n0"}
    expected = jsonld.JsonLdProcessor().normalize(
        "".join(statements),
        {
            "algorithm": "URDNA2015",
            "inputFormat": "application/n-quads",
            "format": "application/n-quads",
        },
    )
    assert result.text == expected


def test_unparseable_statement_is_still_refused() -> None:
    with pytest.raises(ParsingError) as caught:
        canonicalize_nquads(["<http://a> <http://b> <c d> .\n"])
    assert caught.value.code == "PARSING_ERROR"


# --- pins: the further pyld internals the fast paths call ---------------------------------------


def test_pin_fast_path_internals() -> None:
    processor = jsonld.JsonLdProcessor
    expected = {
        processor._compact: ["self", "active_ctx", "active_property", "element", "options"],
        processor._compact_iri: ["self", "active_ctx", "iri", "value", "vocab", "base", "reverse"],
        processor._compact_value: ["self", "active_ctx", "active_property", "value", "options"],
        processor._prepare_nested_context: ["self", "active_ctx", "element", "options"],
        processor._get_inverse_context: ["self", "active_ctx"],
        processor._processing_mode: ["self", "active_ctx", "version"],
        processor.add_value: ["subject", "property", "value", "options"],
        processor.get_context_value: ["ctx", "key", "type_"],
    }
    for function, names in expected.items():
        assert list(inspect.signature(function).parameters) == names, function


# --- random documents: fast paths on and off ------------------------------------------------------

RANDOM_CONTEXT = {
    "@vocab": EX,
    "id": "@id",
    "type": "@type",
    "knows": {"@id": EX + "knows", "@type": "@id"},
    "age": {"@id": EX + "age", "@type": XSD + "integer"},
    "tags": {"@id": EX + "tags", "@container": "@set"},
    "items": {"@id": EX + "items", "@container": "@list"},
    "naam": {"@id": EX + "naam", "@language": "nl"},
    "kind": {"@id": EX + "kind", "@type": "@vocab"},
    "Person": {"@id": EX + "Person", "@context": {"nick": {"@id": EX + "nick", "@type": "@id"}}},
    "scoped": {"@id": EX + "scoped", "@context": {"inner": {"@id": EX + "inner"}}},
    "Typed": {"@id": EX + "Typed", "@context": {"@protected": True, "age": EX + "typedAge"}},
    "gone": None,
    "lmap": {"@id": EX + "lmap", "@container": "@language"},
    "rev": {"@reverse": EX + "rel"},
    "meta": "@nest",
    "json": {"@id": EX + "json", "@type": "@json"},
    "dir": {"@id": EX + "dir", "@direction": "rtl"},
}
KEYS = ["id", "type", "knows", "age", "tags", "items", "naam", "kind", "scoped", "nick", "inner"]
KEYS += ["name", "gone", "lmap", "rev", "meta", "json", "dir", EX + "full", "_:blank", "bad key"]
KEYS += ["@id", "@type", "@value", "@language", "@graph", "@included", "@index", "@direction"]
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-5, 5),
    st.sampled_from([1.5, -0.0, 1e21]),
    st.sampled_from(["x", "Person", "Typed", EX + "o", "rel/ative", "_:b1", "NL-be", "ltr", ""]),
)
DOCUMENTS = st.recursive(
    SCALARS,
    lambda children: st.one_of(
        st.lists(children, max_size=3),
        st.dictionaries(st.sampled_from(KEYS), children, max_size=4),
    ),
    max_leaves=12,
)


def _forced_slow(method: str) -> Any:
    def fall_back(*args: Any, **kwargs: Any) -> Any:
        raise expansion.FallbackError

    return mock.patch.object(processor_module.Processor, method, fall_back)


def _outcome(run: Callable[[], Any]) -> tuple[str, str]:
    try:
        return "ok", as_text(run())
    except (DataLossError, ParsingError) as error:
        return type(error).__name__, str(error.code)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(body=st.dictionaries(st.sampled_from(KEYS), DOCUMENTS, max_size=5), safe=st.booleans())
def test_random_documents_expand_and_compact_as_pyld_does(
    body: dict[str, Any], safe: bool, reference_loader: Loader
) -> None:
    document = {"@context": RANDOM_CONTEXT, **body}

    def expanded() -> Any:
        return expand(document, document_loader=reference_loader, safe=safe)

    def compacted() -> Any:
        return compact(document, RANDOM_CONTEXT, document_loader=reference_loader, safe=safe)

    fast = (_outcome(expanded), _outcome(compacted))
    with _forced_slow("_fast_expand"), _forced_slow("_fast_compact"):
        slow = (_outcome(expanded), _outcome(compacted))
    assert fast == slow
    if slow[0][0] == "ok":
        # The expanded form again: compaction may skip its expansion (a fixpoint).
        again = json.loads(slow[0][1])

        def recompacted() -> Any:
            return compact(again, RANDOM_CONTEXT, document_loader=reference_loader, safe=safe)

        fast_again = _outcome(recompacted)
        with (
            _forced_slow("_fast_expand"),
            _forced_slow("_fast_compact"),
            mock.patch.object(processor_module, "is_expanded_fixpoint", return_value=False),
        ):
            assert _outcome(recompacted) == fast_again


# --- ecdsa-sd-2023: deskolemized quads from the skolemized expanded document ----------------------

SD_DOCUMENTS = [
    "ecdsa-sd-2023/employmentAuth.json",
    "ecdsa-sd-2023/prCredUnsigned.json",
    "ecdsa-sd-2023/windsurf/windDoc.json",
]
ISSUER_LIKE: dict[str, tuple[Any, list[str]]] = {
    "income": (
        {**INCOME, "credentialStatus": [INCOME["credentialStatus"], INCOME["credentialStatus"]]},
        ["/issuer", "/credentialStatus", "/credentialSubject/inkomenstoets/huishoudgrootte"],
    ),
    "blank ids": (
        {
            "@context": {"@vocab": EX, "id": "@id"},
            "id": "_:root",
            "p": {"id": "_:x", "q": "v"},
            "r": [{"s": 1}, {"s": 1}],
        },
        ["/p", "/r/1"],
    ),
}


def _grouped(document: Any, pointers: list[str], loader: Loader) -> Any:
    """canonicalize_and_group's whole output, as JSON text (key order counts)."""
    from vc_core.hazmat.sd_primitives.canonicalize import create_hmac_id_label_map_function
    from vc_core.hazmat.sd_primitives.group import canonicalize_and_group

    grouped = canonicalize_and_group(
        document,
        create_hmac_id_label_map_function(b"k" * 32),
        {"mandatory": pointers, "none": []},
        document_loader=loader,
        random_string="r",
    )
    return as_text(
        {
            "groups": {
                name: [dict(g.matching), dict(g.non_matching), g.deskolemized_nquads, g.pointers]
                for name, g in grouped.groups.items()
            },
            "expanded": grouped.skolemized_expanded_document,
            "compact": grouped.skolemized_compact_document,
            "deskolemized": grouped.deskolemized_nquads,
            "labels": dict(grouped.label_map),
            "nquads": grouped.nquads,
        }
    )


def _through_compact_form() -> Any:
    """canonicalize_and_group as before: N-Quads of the compact form, written and parsed."""
    return mock.patch("vc_core._jsonld.expanded_quads", return_value=None)


@pytest.mark.vectors
@pytest.mark.parametrize("name", SD_DOCUMENTS)
def test_grouping_from_the_expanded_form_equals_the_compact_form_path(
    vectors_dir: Path, loader: Loader, name: str
) -> None:
    document = vector(vectors_dir, name)
    skolemized = skolemize_expanded_json_ld(
        expand(document, document_loader=loader), random_string="r", count=itertools.count()
    )
    assert quads.expanded_quads(skolemized, document_loader=loader) is not None
    pointers = ["/issuer", "/credentialSubject"]
    fast = _grouped(document, pointers, loader)
    with _through_compact_form():
        assert _grouped(document, pointers, loader) == fast


@pytest.mark.parametrize("name", ISSUER_LIKE)
def test_grouping_of_credentials_takes_the_expanded_form(loader: Loader, name: str) -> None:
    document, pointers = ISSUER_LIKE[name]
    taken: list[Any] = []

    def recording(*args: Any, **kwargs: Any) -> Any:
        taken.append(quads.expanded_quads(*args, **kwargs))
        return taken[-1]

    with mock.patch("vc_core._jsonld.expanded_quads", recording):
        fast = _grouped(document, pointers, loader)
    assert taken
    assert taken[0] is not None
    with _through_compact_form():
        assert _grouped(document, pointers, loader) == fast


def test_expanded_quads_leave_other_documents_to_the_general_path(loader: Loader) -> None:
    with_list = [{"@id": EX + "s", EX + "p": [{"@list": [{"@value": 1}]}]}]
    without_id = [{"@id": EX + "s", EX + "p": [{EX + "q": [{"@value": 1}]}]}]
    with_id = [{"@id": EX + "s", EX + "p": [{"@id": "urn:bnid:x", EX + "q": [{"@value": 1}]}]}]
    assert quads.expanded_quads(with_list, document_loader=loader) is None
    assert quads.expanded_quads(without_id, document_loader=loader) is None
    written = quads.expanded_quads(with_id, document_loader=loader)
    assert written is not None
    assert sorted(map(quads.nquad_line, written)) == quads.to_nquads(
        with_id, document_loader=loader
    )


def test_a_skolem_id_that_is_no_blank_node_label_takes_the_nquads_path(loader: Loader) -> None:
    from vc_core.hazmat.sd_primitives.skolemize import deskolemized_quads

    document = {"@context": {"@vocab": EX}, "@id": EX + "s", "p": {"@id": "urn:bnid:a:b", "q": 1}}
    skolem = quads.json_ld_quads(document, loader)
    assert deskolemized_quads(skolem) is None
    with pytest.raises(ParsingError) as fast:
        _grouped(document, ["/p"], loader)
    with _through_compact_form(), pytest.raises(ParsingError) as slow:
        _grouped(document, ["/p"], loader)
    assert str(fast.value) == str(slow.value)


# Mostly credential-like JSON-LD (the expanded-form path), sometimes anything (the other path).
CREDENTIAL_KEYS = ["knows", "age", "tags", "naam", "kind", "scoped", "name", "items"]


def _credential_node(children: Any) -> Any:
    return st.builds(
        lambda identity, kinds, properties: {**identity, **kinds, **properties},
        st.sampled_from([{}, {"id": EX + "n"}, {"id": "_:n"}, {"id": "urn:bnid:z"}]),
        st.sampled_from([{}, {"type": "Person"}, {"type": ["Person", EX + "T"]}]),
        st.dictionaries(st.sampled_from(CREDENTIAL_KEYS), children, min_size=1, max_size=3),
    )


CREDENTIAL_LIKE = st.recursive(
    st.one_of(st.booleans(), st.integers(-5, 5), st.sampled_from(["x", "Person", EX + "o"])),
    lambda children: st.one_of(
        st.lists(children, min_size=1, max_size=3), _credential_node(children)
    ),
    max_leaves=12,
)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    body=st.one_of(
        _credential_node(CREDENTIAL_LIKE),
        st.dictionaries(st.sampled_from(KEYS), DOCUMENTS, max_size=5),
    )
)
# pyld compacts `lmap: false` into a language map that its own expansion refuses: the
# compact-form path refuses these at its extra expansion, where the spec (and the fast path)
# takes the N-Quads from the expanded form.
@example(body={"type": [], "knows": None, "lmap": False})
@example(body={"lmap": False})
def test_random_documents_group_as_through_the_compact_form(
    body: dict[str, Any], reference_loader: Loader
) -> None:
    document = {"@context": RANDOM_CONTEXT, **body}
    pointers = [f"/{key}" for key in body][:2]

    def grouped() -> Any:
        return _grouped(document, pointers, reference_loader)

    def outcome() -> tuple[str, str]:
        try:
            return "ok", grouped()
        except VcError as error:
            return type(error).__name__, str(error)

    fast = outcome()
    with _through_compact_form():
        slow = outcome()
    # Whatever the compact-form path groups, the fast path groups the same; where it refuses
    # (with our typed error), the fast path may refuse at another step or group (see above).
    if slow[0] == "ok":
        assert fast == slow
