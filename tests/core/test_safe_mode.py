"""Safe mode and untrusted input in vc_core._jsonld: data loss, loader failures, bad JSON."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest

from vc_core._jsonld import canonicalize, compact, expand, to_nquads
from vc_core.errors import (
    CanonicalizationLimitError,
    DataLossError,
    DocumentLoadError,
    ParsingError,
)

V2 = "https://www.w3.org/ns/credentials/v2"
EX = "http://example.org/"
CREDENTIAL: dict[str, Any] = {
    "@context": [V2],
    "type": ["VerifiableCredential"],
    "issuer": "did:example:issuer",
    "credentialSubject": {"id": "did:example:subject"},
}
Loader = Callable[..., Any]


def credential(**changes: Any) -> dict[str, Any]:
    return {**CREDENTIAL, **changes}


DATA_LOSS_CASES = {
    "undefined-term": credential(annualIncome=41250),
    "undefined-nested-term": credential(
        credentialSubject={"id": "did:example:subject", "annualIncome": 41250}
    ),
    "relative-type": credential(type=["VerifiableCredential", "IncomeCredential"]),
    "relative-id": credential(id="credentials/1"),
    "relative-nested-id": credential(credentialSubject={"id": "subject-1"}),
    "malformed-iri": credential(id="urn:has space"),
    "term-mapped-to-null": {**credential(secret="x"), "@context": [V2, {"secret": None}]},
    "reserved-key": credential(**{"@unknown": "x"}),
    "malformed-datatype": {
        "@context": {"n": EX + "n"},
        "@id": EX + "s",
        "n": {"@value": "1", "@type": EX + "<Money>"},
    },
    "blank-node-predicate": {"@context": {"@vocab": EX}, "@id": EX + "s", "_:p": "x"},
    "relative-reverse": {
        "@context": {"@base": None},
        "@id": EX + "s",
        "@reverse": {"knows": {"@id": EX + "o"}},
    },
    "free-floating-string": {"@context": {"@vocab": EX}, "@graph": ["stray"]},
    "free-floating-value": {"@context": {"@vocab": EX}, "@graph": [{"@value": "stray"}]},
}


@pytest.mark.parametrize("document", DATA_LOSS_CASES.values(), ids=DATA_LOSS_CASES.keys())
@pytest.mark.parametrize("operation", [expand, to_nquads, canonicalize])
def test_data_loss_is_detected(
    operation: Callable[..., Any], document: dict[str, Any], reference_loader: Loader
) -> None:
    with pytest.raises(DataLossError) as caught:
        operation(document, document_loader=reference_loader)
    assert caught.value.code == "DATA_LOSS_DETECTION_ERROR"


def test_unsafe_mode_drops_what_safe_mode_rejects(reference_loader: Loader) -> None:
    loose = to_nquads(
        credential(annualIncome=1, id="x"), document_loader=reference_loader, safe=False
    )
    strict = to_nquads(credential(), document_loader=reference_loader)
    # The relative id drops every triple about the credential itself.
    assert loose == [line for line in strict if not line.startswith("_:b0 ")]


def test_compact_expands_in_safe_mode(reference_loader: Loader) -> None:
    with pytest.raises(DataLossError) as caught:
        compact(credential(annualIncome=1), [V2], document_loader=reference_loader)
    assert caught.value.code == "DATA_LOSS_DETECTION_ERROR"


def test_a_node_with_only_an_id_is_not_data_loss(reference_loader: Loader) -> None:
    document = {"@context": {"@vocab": EX}, "@graph": [{"@id": EX + "a"}]}
    assert canonicalize(document, document_loader=reference_loader).nquads == ()


# --- the document loader ------------------------------------------------------------------


def test_unknown_context_surfaces_the_loaders_own_error() -> None:
    refusal = DocumentLoadError("not bundled", code="LOADING_DOCUMENT_FAILED")

    def refusing_loader(url: str, options: object = None) -> Any:
        raise refusal

    nested = credential(credentialSubject={"@context": "https://evil.example/ctx", "x": 1})
    for document in ({"@context": "https://unknown.example/ctx"}, nested):
        with pytest.raises(DocumentLoadError) as caught:
            canonicalize(document, document_loader=refusing_loader)
        assert caught.value is refusal
        assert caught.value.code == "LOADING_DOCUMENT_FAILED"


def test_a_loader_failing_otherwise_becomes_a_document_load_error(reference_loader: Loader) -> None:
    with pytest.raises(DocumentLoadError) as caught:
        expand({"@context": "https://unknown.example/ctx"}, document_loader=reference_loader)
    assert caught.value.code == "LOADING_DOCUMENT_FAILED"
    assert isinstance(caught.value.__cause__, LookupError)


@pytest.mark.parametrize(
    "remote",
    [None, {"document": None}, {"document": "not json"}, {"document": 7}, {"url": "x"}],
    ids=["none", "null-document", "bad-json", "number", "no-document"],
)
def test_a_loader_returning_junk_is_a_document_load_error(remote: Any) -> None:
    def junk_loader(url: str, options: object = None) -> Any:
        return remote

    with pytest.raises(DocumentLoadError) as caught:
        expand({"@context": "https://example.org/ctx"}, document_loader=junk_loader)
    assert caught.value.code == "LOADING_DOCUMENT_FAILED"


def test_import_in_a_loaded_context_is_refused() -> None:
    def importing_loader(url: str, options: object = None) -> Any:
        return {"document": {"@context": {"@import": V2}}, "documentUrl": url}

    with pytest.raises(DocumentLoadError) as caught:
        expand({"@context": "https://example.org/ctx"}, document_loader=importing_loader)
    assert isinstance(caught.value.__cause__, ParsingError)


# --- malformed input ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "document", ["a string", 42, 4.2, True, None], ids=["str", "int", "float", "bool", "null"]
)
@pytest.mark.parametrize("operation", [expand, to_nquads, canonicalize])
def test_non_object_input_is_a_parsing_error(
    operation: Callable[..., Any], document: Any, reference_loader: Loader
) -> None:
    with pytest.raises(ParsingError) as caught:
        operation(document, document_loader=reference_loader)
    assert caught.value.code == "PARSING_ERROR"


MALFORMED_CASES = {
    "context-number": {"@context": 5},
    "id-number": credential(id=5),
    "type-number": credential(type=["VerifiableCredential", 5]),
    "relative-datatype": {"@context": {"n": EX + "n"}, "n": {"@value": "1", "@type": "Money"}},
    "nan": {"@context": {"@vocab": EX}, "@id": EX + "s", "n": float("nan")},
    "import": {"@context": {"@import": V2}},
    "bad-language": {"@context": {"@vocab": EX}, "n": {"@value": "x", "@language": "en us"}},
    "huge-integer": {"@context": {"@vocab": EX}, "@id": EX + "s", "n": 10**400},
}


@pytest.mark.parametrize("document", MALFORMED_CASES.values(), ids=MALFORMED_CASES.keys())
def test_malformed_json_ld_is_a_parsing_error(
    document: dict[str, Any], reference_loader: Loader
) -> None:
    with pytest.raises(ParsingError) as caught:
        canonicalize(document, document_loader=reference_loader)
    assert caught.value.code == "PARSING_ERROR"


def test_non_json_python_objects_are_misuse(reference_loader: Loader) -> None:
    with pytest.raises(TypeError):
        expand(credential(validFrom=datetime.now(UTC)), document_loader=reference_loader)
    with pytest.raises(TypeError):
        expand(("not", "a", "list"), document_loader=reference_loader)


def test_nesting_limit(reference_loader: Loader) -> None:
    deep: dict[str, Any] = {"@id": EX + "leaf"}
    for _ in range(70):
        deep = {EX + "p": deep}
    with pytest.raises(CanonicalizationLimitError) as caught:
        expand(deep, document_loader=reference_loader)
    assert caught.value.code == "CANONICALIZATION_LIMIT_ERROR"
    assert expand(deep, document_loader=reference_loader, max_depth=200)


def test_size_limit(reference_loader: Loader) -> None:
    big = credential(description="x" * 5000)
    with pytest.raises(CanonicalizationLimitError) as caught:
        canonicalize(big, document_loader=reference_loader, max_bytes=4096)
    assert caught.value.code == "CANONICALIZATION_LIMIT_ERROR"
    assert canonicalize(big, document_loader=reference_loader, max_bytes=8192).nquads


def test_input_is_not_modified(reference_loader: Loader) -> None:
    document = credential(credentialSubject={"id": "did:example:s", "name": "n"})
    snapshot = repr(document)
    expand(document, document_loader=reference_loader)
    canonicalize(document, document_loader=reference_loader)
    compact(document, document["@context"], document_loader=reference_loader)
    assert repr(document) == snapshot


@pytest.mark.parametrize(
    "dropped",
    [{"@type": []}, {"@value": None}, {EX + "p": None}, {"@list": []}],
    ids=["empty-type", "null-value", "null-property", "empty-list"],
)
def test_dropping_an_empty_top_level_object_is_not_data_loss(
    dropped: dict[str, Any], reference_loader: Loader
) -> None:
    document = {"@context": {"@vocab": EX}, "@graph": [dropped]}
    assert canonicalize(document, document_loader=reference_loader).nquads == ()


# --- "@vocab": null (pyld 3.3 fails on it) --------------------------------------------------------

V2 = "https://www.w3.org/ns/credentials/v2"
EXAMPLES_V2 = "https://www.w3.org/ns/credentials/examples/v2"


def test_vocab_reset_to_null_keeps_defined_terms() -> None:
    from vc_core.loader import document_loader

    loader = document_loader()
    document = {
        "@context": [V2, {"@vocab": None}],
        "type": ["VerifiableCredential"],
        "credentialSubject": {"id": "did:example:alice"},
    }
    (node,) = expand(document, document_loader=loader)
    assert node["@type"] == ["https://www.w3.org/2018/credentials#VerifiableCredential"]


def test_vocab_reset_to_null_makes_terms_undefined_again() -> None:
    from vc_core.loader import document_loader

    loader = document_loader()
    with_vocab = {
        "@context": [V2, EXAMPLES_V2],
        "type": ["VerifiableCredential", "ExampleCredential"],
        "credentialSubject": {"id": "did:example:alice", "age": 42},
    }
    expand(with_vocab, document_loader=loader)
    for reset in ({"@vocab": None}, [{"@vocab": None}]):
        context = [V2, EXAMPLES_V2, *(reset if isinstance(reset, list) else [reset])]
        with pytest.raises(DataLossError):
            expand({**with_vocab, "@context": context}, document_loader=loader)
