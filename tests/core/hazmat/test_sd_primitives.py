"""Selective-disclosure primitives: pointers, selection, skolemization, label maps, CBOR codec."""

from __future__ import annotations

import itertools
import json
from pathlib import Path
from typing import Any

import pytest

from vc_core import _cbor
from vc_core.errors import ProofGenerationError, ProofVerificationError
from vc_core.hazmat.ecdsa_sd_2023.proof_value import (
    compress_label_map,
    decompress_label_map,
    parse_base_proof_value,
    parse_derived_proof_value,
    serialize_base_proof_value,
    serialize_derived_proof_value,
    serialize_sign_data,
)
from vc_core.hazmat.sd_primitives.canonicalize import (
    NQuadSyntaxError,
    create_hmac_id_label_map_function,
    create_label_map_function,
    relabel_blank_nodes,
)
from vc_core.hazmat.sd_primitives.mandatory import hash_mandatory_nquads
from vc_core.hazmat.sd_primitives.select import (
    create_initial_selection,
    equivalent_pointer,
    json_pointer_to_paths,
    select_json_ld,
)
from vc_core.hazmat.sd_primitives.skolemize import (
    deskolemize_nquads,
    skolemize_expanded_json_ld,
)

SD_CASES = ["employ", "prc", "windsurf"]


def _js_map(value: dict[str, Any]) -> dict[Any, Any]:
    assert value["dataType"] == "Map"
    return dict(value["value"])


@pytest.fixture(params=SD_CASES, ids=SD_CASES)
def case_dir(request: pytest.FixtureRequest, vectors_dir: Path) -> Path:
    case: str = request.param
    return vectors_dir / "ecdsa-sd-2023" / case


def _read(folder: Path, name: str) -> Any:
    return json.loads((folder / name).read_text())


# --- JSON pointers and selection -----------------------------------------------------------


@pytest.mark.parametrize(
    ("pointer", "paths"),
    [
        ("", []),
        ("/issuer", ["issuer"]),
        ("/credentialSubject/sails/1/year", ["credentialSubject", "sails", 1, "year"]),
        ("/a~1b/m~0n", ["a/b", "m~n"]),
        ("/01/-1", ["01", "-1"]),
        ("/", [""]),
    ],
)
def test_json_pointer_to_paths(pointer: str, paths: list[str | int]) -> None:
    assert json_pointer_to_paths(pointer) == paths


@pytest.mark.parametrize("pointer", ["issuer", "/a~2b", "/a~"])
def test_malformed_json_pointer(pointer: str) -> None:
    with pytest.raises(ProofGenerationError) as caught:
        json_pointer_to_paths(pointer)
    assert caught.value.code == "PROOF_GENERATION_ERROR"


def test_create_initial_selection_keeps_named_id_and_type_only() -> None:
    assert create_initial_selection({"id": "urn:x", "type": "T", "name": "n"}) == {
        "id": "urn:x",
        "type": "T",
    }
    assert create_initial_selection({"id": "_:b0", "name": "n"}) == {}
    assert create_initial_selection("literal") == {}


def test_select_json_ld_makes_sparse_arrays_dense() -> None:
    document = {
        "@context": ["https://example.org/ctx"],
        "id": "urn:doc",
        "type": "Thing",
        "items": [{"id": "urn:0", "v": 0}, {"v": 1, "w": 1}, {"type": "T", "v": 2}],
    }
    selection = select_json_ld(["/items/2/v", "/items/0"], document)
    assert selection == {
        "@context": ["https://example.org/ctx"],
        "id": "urn:doc",
        "type": "Thing",
        "items": [{"id": "urn:0", "v": 0}, {"type": "T", "v": 2}],
    }
    assert select_json_ld([], document) is None
    assert select_json_ld([""], document) == document


@pytest.mark.parametrize("pointer", ["/items/3", "/missing", "/items/0/v/x", "/items/x"])
def test_select_json_ld_pointer_matching_nothing(pointer: str) -> None:
    document = {"@context": [], "items": [{"v": 0}]}
    with pytest.raises(ProofGenerationError) as caught:
        select_json_ld([pointer], document)
    assert caught.value.code == "PROOF_GENERATION_ERROR"


@pytest.mark.vectors
def test_select_json_ld_gives_unsigned_reveal(case_dir: Path) -> None:
    signed = _read(case_dir, "addSignedSDBase.json")
    document = {k: v for k, v in signed.items() if k != "proof"}
    pointers = list(_read(case_dir, "addBaseTransform.json")["mandatoryPointers"])
    folder = case_dir.parent
    selective = {
        "employ": "employSelective.json",
        "prc": "prCredSelective.json",
        "windsurf": "windsurf/windSelective.json",
    }[case_dir.name]
    pointers += _read(folder, selective)
    assert select_json_ld(pointers, document) == _read(case_dir, "derivedUnsignedReveal.json")


# --- skolemization -------------------------------------------------------------------------


def test_skolemize_expanded_json_ld() -> None:
    expanded: list[Any] = [
        {
            "@id": "_:b7",
            "http://ex/p": [{"@value": "x"}, {"http://ex/q": [{"@id": "http://ex/n"}]}],
            "http://ex/r": [{"http://ex/s": [{"@value": 1}]}],
        }
    ]
    skolemized = skolemize_expanded_json_ld(expanded, random_string="R", count=itertools.count())
    assert skolemized == [
        {
            "@id": "urn:bnid:b7",
            "http://ex/p": [
                {"@value": "x"},
                {"@id": "urn:bnid:_R_0", "http://ex/q": [{"@id": "http://ex/n"}]},
            ],
            "http://ex/r": [{"@id": "urn:bnid:_R_1", "http://ex/s": [{"@value": 1}]}],
        }
    ]
    assert "@id" not in expanded[0]["http://ex/r"][0]  # the input is not changed


def test_deskolemize_nquads_rewrites_terms_not_literals() -> None:
    nquads = [
        '<urn:bnid:_R_0> <http://ex/p> "see <urn:bnid:x> and _:y" <urn:bnid:g> .\n',
        "<http://ex/a> <http://ex/p> <urn:bnid:b1> .\n",
        '<http://ex/a> <http://ex/p> "plain" .\n',
    ]
    assert deskolemize_nquads(nquads) == [
        '_:_R_0 <http://ex/p> "see <urn:bnid:x> and _:y" _:g .\n',
        "<http://ex/a> <http://ex/p> _:b1 .\n",
        '<http://ex/a> <http://ex/p> "plain" .\n',
    ]


# --- label maps and relabelling ------------------------------------------------------------


def test_relabel_blank_nodes_leaves_literals_alone() -> None:
    nquads = [
        '_:c14n0 <http://ex/p> "_:c14n0 \\" _:c14n1"@en .\n',
        "_:c14n1 <http://ex/p> _:c14n0 _:c14n1 .\n",
        '<http://ex/a> <http://ex/p> "1"^^<http://www.w3.org/2001/XMLSchema#integer> .\n',
    ]
    assert relabel_blank_nodes(nquads, {"c14n0": "uA", "c14n1": "uB"}) == [
        '_:uA <http://ex/p> "_:c14n0 \\" _:c14n1"@en .\n',
        "_:uB <http://ex/p> _:uA _:uB .\n",
        '<http://ex/a> <http://ex/p> "1"^^<http://www.w3.org/2001/XMLSchema#integer> .\n',
    ]
    with pytest.raises(KeyError):
        relabel_blank_nodes(["_:c14n2 <http://ex/p> _:c14n0 .\n"], {"c14n0": "uA"})
    with pytest.raises(NQuadSyntaxError):
        relabel_blank_nodes(["_:c14n0 <http://ex/p> _:c14n0\n"], {"c14n0": "uA"})


@pytest.mark.vectors
def test_hmac_label_map_gives_hmac_canon(case_dir: Path, vectors_dir: Path) -> None:
    keys = _read(vectors_dir / "ecdsa-sd-2023", "SDKeyMaterial.json")
    canonical = _read(case_dir, "addBaseDocCanon.json")
    labels = {label for nq in canonical for label in _c14n_labels(nq)}
    factory = create_hmac_id_label_map_function(bytes.fromhex(keys["hmacKeyString"]))
    label_map = factory({label: label for label in labels})
    relabelled = sorted(relabel_blank_nodes(canonical, label_map))
    assert relabelled == _read(case_dir, "addBaseDocHMACCanon.json")


@pytest.mark.vectors
def test_label_map_function_maps_input_labels_through_c14n_labels(case_dir: Path) -> None:
    label_map = _js_map(_read(case_dir, "derivedDisclosureData.json")["labelMap"])
    factory = create_label_map_function(label_map)
    canonical_id_map = {f"b{n}": c14n for n, c14n in enumerate(label_map)}
    assert factory(canonical_id_map) == {
        f"b{n}": label for n, label in enumerate(label_map.values())
    }


def _c14n_labels(nquad: str) -> list[str]:
    return [term[2:] for term in nquad.split(" ") if term.startswith("_:")]


@pytest.mark.vectors
def test_hash_mandatory_nquads(case_dir: Path) -> None:
    mandatory = _js_map(_read(case_dir, "addBaseTransform.json")["mandatory"])
    digest = hash_mandatory_nquads(mandatory[index] for index in sorted(mandatory))
    assert digest.hex() == _read(case_dir, "addHashData.json")["mandatoryHash"]


# --- proof values --------------------------------------------------------------------------


def test_serialize_sign_data_is_a_plain_concatenation() -> None:
    assert serialize_sign_data(b"\x01" * 32, b"\x02" * 35, b"\x03" * 32) == (
        b"\x01" * 32 + b"\x02" * 35 + b"\x03" * 32
    )


@pytest.mark.vectors
def test_base_proof_value_round_trip(case_dir: Path) -> None:
    proof_value = _read(case_dir, "addSignedSDBase.json")["proof"]["proofValue"]
    parsed = parse_base_proof_value(proof_value)
    assert (len(parsed.base_signature), len(parsed.public_key), len(parsed.hmac_key)) == (
        64,
        35,
        32,
    )
    again = serialize_base_proof_value(
        parsed.base_signature,
        parsed.public_key,
        parsed.hmac_key,
        parsed.signatures,
        parsed.mandatory_pointers,
    )
    assert again == proof_value


@pytest.mark.vectors
def test_derived_proof_value_round_trip(case_dir: Path) -> None:
    proof_value = _read(case_dir, "derivedRevealDocument.json")["proof"]["proofValue"]
    parsed = parse_derived_proof_value(proof_value)
    assert parsed.label_map == _js_map(_read(case_dir, "derivedDisclosureData.json")["labelMap"])
    again = serialize_derived_proof_value(
        parsed.base_signature,
        parsed.public_key,
        parsed.signatures,
        parsed.label_map,
        parsed.mandatory_indexes,
    )
    assert again == proof_value


def test_compress_label_map_orders_keys_numerically() -> None:
    digest = bytes(range(32))
    label_map = {f"c14n{n}": decompress_label_map({0: digest})["c14n0"] for n in (10, 2, 0)}
    compressed = compress_label_map(label_map)
    assert list(compressed) == [0, 2, 10]
    assert decompress_label_map(compressed) == {"c14n0": label_map["c14n0"], **label_map}


@pytest.mark.parametrize(
    "cbor",
    [
        b"\x9f\xff",  # indefinite-length array
        b"\xa2\x01\x40\x01\x40",  # duplicate map key
        b"\x82\x01",  # truncated
        b"\x01\x01",  # trailing data
        b"\xc2\x41\x01",  # bignum tag
        b"\xd8\x40\x01",  # tag 64 around an integer
        b"\xf9\x3c\x00",  # float
        b"\x81" * 20 + b"\x80",  # nesting too deep
    ],
)
def test_strict_cbor_decoder_refuses(cbor: bytes) -> None:
    with pytest.raises(_cbor.CborError):
        _cbor.decode(cbor)


def test_strict_cbor_decoder_maps_tag_64_to_bytes() -> None:
    assert _cbor.decode(b"\x82\xd8\x40\x42\x01\x02\x61a") == [b"\x01\x02", "a"]


@pytest.mark.parametrize(
    "proof_value",
    [
        None,
        "z2V0B",
        "u2V0B!!!",
        "uAAAA",  # wrong header
        "u" + "2V0B",  # header only, no CBOR
    ],
)
def test_parse_derived_proof_value_refuses(proof_value: object) -> None:
    with pytest.raises(ProofVerificationError) as caught:
        parse_derived_proof_value(proof_value)
    assert caught.value.code == "PROOF_VERIFICATION_ERROR"


def test_parse_base_proof_value_checks_every_length() -> None:
    good = [b"\x00" * 64, b"\x80\x24" + b"\x02" * 33, b"\x00" * 32, [b"\x00" * 64], ["/issuer"]]
    for position, bad in [(0, b"\x00" * 63), (1, b"\x00" * 36), (2, b"\x00" * 31), (3, [b""])]:
        components = list(good)
        components[position] = bad
        value = serialize_base_proof_value(*components)  # type: ignore[arg-type]
        with pytest.raises(ProofVerificationError):
            parse_base_proof_value(value)
    parsed = parse_base_proof_value(serialize_base_proof_value(*good))  # type: ignore[arg-type]
    assert parsed.mandatory_pointers == ("/issuer",)


# --- pointers written for one form of a document, read in the other ------------------------------


@pytest.mark.parametrize(
    ("pointer", "document", "form", "expected"),
    [
        # A one-element array compacted to its element: the index goes.
        (
            "/credentialSubject/0/name",
            {"credentialSubject": [{"name": "A"}]},
            {"credentialSubject": {"name": "A"}},
            "/credentialSubject/name",
        ),
        ("/type/0", {"type": ["T"]}, {"type": "T"}, "/type"),
        # The other way (a @set term compacts an element to a one-element array): an index comes.
        ("/tags/name", {"tags": {"name": "x"}}, {"tags": [{"name": "x"}]}, "/tags/0/name"),
        # A node with only an id compacted to the IRI: /…/id names the IRI.
        (
            "/credentialSubject/id",
            {"credentialSubject": {"id": "did:example:a"}},
            {"credentialSubject": "did:example:a"},
            "/credentialSubject",
        ),
        # Valid in both forms: unchanged.
        ("/type", {"type": ["T"]}, {"type": "T"}, "/type"),
        ("/a~1b/c~0d", {"a/b": {"c~d": 1}}, {"a/b": {"c~d": 1}}, "/a~1b/c~0d"),
        # Matches nowhere: unchanged, so selecting it fails as the spec asks.
        (
            "/credentialSubject/1/name",
            {"credentialSubject": [{"name": "A"}]},
            {"credentialSubject": {"name": "A"}},
            "/credentialSubject/1/name",
        ),
        (
            "/credentialSubject/id",
            {"credentialSubject": {"id": "did:example:a"}},
            {"credentialSubject": "did:example:b"},
            "/credentialSubject/id",
        ),
        ("", {"a": 1}, {"a": 1}, ""),
    ],
)
def test_equivalent_pointer(pointer: str, document: Any, form: Any, expected: str) -> None:
    assert equivalent_pointer(pointer, form, document) == expected
