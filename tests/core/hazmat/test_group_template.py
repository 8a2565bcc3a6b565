"""canonicalizeAndGroup from a shape's template: the general path's groups, or ``None``.

``canonicalize_and_group_from_template`` may decline (``None``: the caller takes
the general path) but must never give other groups than ``canonicalize_and_group``.
Each test primes the template with one document and then groups another of the
same shape, with other (often hostile) values.
"""

from __future__ import annotations

import copy
import itertools
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import KeyedLoader
from tests.core.hazmat.test_ecdsa_sd_2023 import _vector
from tests.core.test_jsonld_fast_paths import (
    CREDENTIAL_LIKE,
    DOCUMENTS,
    EX,
    INCOME,
    KEYS,
    NL,
    RANDOM_CONTEXT,
    V2,
    _credential_node,
)
from vc_core.errors import VcError
from vc_core.hazmat.sd_primitives.canonicalize import create_hmac_id_label_map_function
from vc_core.hazmat.sd_primitives.group import Group, canonicalize_and_group
from vc_core.hazmat.sd_primitives.group_template import canonicalize_and_group_from_template
from vc_core.loader import document_loader

LOADER = document_loader()
FACTORY = create_hmac_id_label_map_function(b"k" * 32)
POINTERS = ["/issuer", "/validFrom", "/credentialStatus", "/credentialSubject/id", "/type"]

PERSON = {
    "@context": [V2, NL],
    "id": "urn:uuid:6a1f0a56-5a3e-4a57-9d47-0e8e1f6f2b11",
    "type": ["VerifiableCredential", "PersoonsgegevensCredential"],
    "issuer": "did:web:issuer.example.nl:brp",
    "validFrom": "2026-12-08T00:00:00Z",
    "validUntil": "2027-12-08T00:00:00Z",
    "credentialStatus": [
        {
            "id": f"https://issuer.example.nl/brp/status/{purpose}/1#17",
            "type": "BitstringStatusListEntry",
            "statusPurpose": purpose,
            "statusListIndex": "17",
            "statusListCredential": f"https://issuer.example.nl/brp/status/{purpose}/1",
        }
        for purpose in ("revocation", "suspension")
    ],
    "credentialSubject": {
        "id": "did:key:zDnaerx9CtbPJ1q36T5Ln5wYt3MQYeGRG5ehnPAmxcf5mDZpv",
        "type": "Ingezetene",
        "voornamen": "Jan Pieter",
        "geslachtsnaam": "Jansen",
        "geboortedatum": "1980-01-02",
        "adres": {"type": "Adres", "straat": "Dorpsstraat", "huisnummer": 12, "land": "NL"},
    },
}

# Values a document of a known shape may bring: ordinary ones, and ones that must not be
# put back into a template (prefixes a context rewrites, skolem ids, blank nodes, relative
# and malformed IRIs, characters to escape or that safe mode refuses, huge integers).
ORDINARY_LITERALS = st.sampled_from(["x", "Jan", "2025-01-01", "", "é ü", 'quote"'])
ORDINARY_IRIS = st.sampled_from(
    [
        "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK",
        "urn:uuid:0b7c2a4e-1111",
        "https://other.example/list/3#",
        "did:web:issuer.example.nl:",
    ]
)
HOSTILE_STRINGS = st.sampled_from(
    [
        *("", "Person", "Typed", EX, EX + "o", "rel/ative", "_:b1", "urn:bnid:q", "knows:x"),
        *("https://issuer.example.nl/ns/nl-vc#x", "https://www.w3.org/ns/credentials/v2"),
        *("https://other.example/a b", "https://other.example/<x>", "mailto:a@b.example"),
        *("tab\there", 'quote"', "back\\slash", "\x07", "\x7f", "\ufffe", "é ü", "\ud800", "NL-be"),
    ]
)
STRINGS = st.one_of(ORDINARY_LITERALS, ORDINARY_IRIS, HOSTILE_STRINGS, st.text(max_size=4))
INTEGERS = st.one_of(st.integers(-5, 5), st.sampled_from([10**21, -(10**21), 2**64, 10**21 - 1]))


_UNIQUE = itertools.count()


def _revalued(value: Any, data: st.DataObject, *, ordinary: bool = False) -> Any:
    """``value`` with every string and integer outside ``@context`` and ``type`` drawn anew.

    ``ordinary``: an IRI becomes another (unique) IRI, a literal another literal, an
    integer a small one; otherwise anything goes.
    """
    if type(value) is str and ordinary:
        if ":" not in value:
            return data.draw(ORDINARY_LITERALS)
        return data.draw(ORDINARY_IRIS) + str(next(_UNIQUE))
    if type(value) is str:
        return data.draw(STRINGS)
    if type(value) is int:
        return data.draw(st.integers(0, 99) if ordinary else INTEGERS)
    if isinstance(value, dict):
        return {
            key: member
            if key in ("@context", "type")
            else _revalued(member, data, ordinary=ordinary)
            for key, member in value.items()
        }
    if isinstance(value, list):
        return [_revalued(item, data, ordinary=ordinary) for item in value]
    return value


Groups = dict[str, tuple[Any, ...]]


def _comparable(groups: Mapping[str, Group]) -> Groups:
    """The groups; their deskolemized N-Quads without the blank node labels each path draws."""
    return {
        name: (
            dict(group.matching),
            dict(group.non_matching),
            group.pointers,
            sorted(_BLANK.sub("_:", nquad) for nquad in group.deskolemized_nquads),
        )
        for name, group in groups.items()
    }


_BLANK = re.compile(r"_:[^ ]+")


def _general(document: Any, pointers: list[str], loader: Any = LOADER) -> Groups | str:
    try:
        grouped = canonicalize_and_group(
            document, FACTORY, {"mandatory": pointers, "none": []}, document_loader=loader
        )
    except VcError as error:
        return type(error).__name__
    return _comparable(grouped.groups)


def _templated(document: Any, pointers: list[str], loader: Any = LOADER) -> Groups | None:
    """The template path's groups once the document's shape has been seen (None: declined)."""
    groups = None
    for _ in range(2):  # the first document of a shape goes the general way
        groups = canonicalize_and_group_from_template(
            document, FACTORY, {"mandatory": pointers, "none": []}, document_loader=loader
        )
        if groups is not None:
            break
    return None if groups is None else _comparable(groups)


def _same_as_general(document: Any, pointers: list[str]) -> bool:
    """Whether the template path gave the general path's groups (``False``: it declined)."""
    templated = _templated(document, pointers)
    if templated is None:
        return False
    assert templated == _general(document, pointers)
    return True


CREDENTIALS = {
    "person": (PERSON, POINTERS),
    "income": (
        INCOME,
        ["/issuer", "/credentialStatus", "/credentialSubject/inkomenstoets/huishoudgrootte"],
    ),
}


@pytest.mark.parametrize("name", CREDENTIALS)
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_credentials_of_one_shape_group_from_the_template(name: str, data: st.DataObject) -> None:
    document, pointers = CREDENTIALS[name]
    assert _same_as_general(document, pointers)
    # Other ordinary values: the template is used, and gives the general path's groups.
    assert _same_as_general(_revalued(document, data, ordinary=True), pointers)
    # Any values: the template's groups, where it gives any, are the general path's.
    _same_as_general(_revalued(document, data), pointers)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    body=st.one_of(
        _credential_node(CREDENTIAL_LIKE),
        st.dictionaries(st.sampled_from(KEYS), DOCUMENTS, max_size=5),
    ),
    data=st.data(),
)
def test_random_documents_group_from_the_template_as_in_general(
    body: dict[str, Any], data: st.DataObject
) -> None:
    document = {"@context": RANDOM_CONTEXT, **body}
    pointers = [f"/{key}" for key in body][:2]
    _same_as_general(document, pointers)
    _same_as_general(_revalued(document, data), pointers)


def _with(document: dict[str, Any], path: tuple[Any, ...], value: Any) -> dict[str, Any]:
    changed = copy.deepcopy(document)
    target: Any = changed
    for step in path[:-1]:
        target = target[step]
    target[path[-1]] = value
    return changed


HOLDER = ("credentialSubject", "id")
STATUS_INDEX = ("credentialStatus", 1, "statusListIndex")


@pytest.mark.parametrize(
    ("path", "value", "general"),
    [
        # An IRI that a context's @vocab or a term starts (compaction may rewrite it), a
        # term as scheme, a skolem id, a blank node, a relative IRI, one to escape.
        (HOLDER, "https://issuer.example.nl/ns/nl-vc#Adres/1", "groups"),
        (HOLDER, "https://www.w3.org/2018/credentials#holder", "groups"),
        (HOLDER, "type:x", "groups"),
        (HOLDER, "urn:bnid:_abc_1", "groups"),
        (HOLDER, "_:holder", "groups"),
        (HOLDER, "holder", "DataLossError"),
        (HOLDER, "did:key:z6Mk<x>", "DataLossError"),
        # A literal safe mode refuses, a string that is no Unicode text, an integer written
        # as xsd:double.
        (("credentialSubject", "voornamen"), "Jan\x07", "ParsingError"),
        (("credentialSubject", "voornamen"), "Jan\ud800", "ParsingError"),
        (("credentialSubject", "adres", "huisnummer"), 10**21, "groups"),
    ],
)
def test_values_the_template_cannot_take_go_the_general_way(
    path: tuple[Any, ...], value: Any, general: str
) -> None:
    assert _same_as_general(PERSON, POINTERS)
    changed = _with(PERSON, path, value)
    assert _templated(changed, POINTERS) is None
    outcome = _general(changed, POINTERS)
    assert (outcome if isinstance(outcome, str) else "groups") == general


def test_values_that_state_one_statement_twice_go_the_general_way() -> None:
    assert _same_as_general(PERSON, POINTERS)
    first = PERSON["credentialStatus"][0]
    twice = {**PERSON, "credentialStatus": [first, dict(first)]}
    # Same shape, but both entries now describe one node with the same statements.
    assert _templated(twice, POINTERS) is None
    general = _general(twice, POINTERS)
    assert isinstance(general, dict)
    # The general path wrote each statement once.
    statements = list(general["none"][1].values())
    assert len(statements) == len(set(statements))


def test_a_value_a_context_coerces_to_a_vocabulary_term_is_part_of_the_shape() -> None:
    # "kind" is @type: @vocab: "Person" and EX + "Other" become different IRIs (and a term).
    base = {"@context": RANDOM_CONTEXT, "@id": "urn:example:s", "kind": "Person", "naam": "a"}
    for kind in ("Person", "Typed", "Other", EX + "Other"):
        for name in ("a", "b"):
            assert _same_as_general({**base, "kind": kind, "naam": name}, ["/kind"])


def test_a_document_with_a_nested_context_or_an_unkeyed_loader_goes_the_general_way() -> None:
    nested = {**PERSON, "credentialSubject": {**PERSON["credentialSubject"], "@context": {}}}
    assert _templated(nested, POINTERS) is None
    unkeyed = canonicalize_and_group_from_template(
        PERSON,
        FACTORY,
        {"mandatory": POINTERS},
        document_loader=lambda url, options=None: LOADER(url),
    )
    assert unkeyed is None


def test_a_template_is_per_loader_content() -> None:
    # Another loader gives the NL context URL other content: a "voornamen" with another IRI.
    nl_context = copy.deepcopy(LOADER(NL)["document"])
    nl_context["@context"]["voornamen"] = EX + "voornamen"

    def load(url: str, options: object = None) -> Any:
        return (
            {"contextUrl": None, "documentUrl": url, "document": nl_context}
            if url == NL
            else LOADER(url)
        )

    other = KeyedLoader(load, "another-content")
    ours = _templated(PERSON, POINTERS)
    theirs = _templated(PERSON, POINTERS, other)
    assert ours is not None
    assert theirs is not None
    assert theirs == _general(PERSON, POINTERS, other) != ours


def test_templates_with_other_values_in_the_shape_are_kept_apart() -> None:
    # Each document puts "Person" (relative, so part of the shape) in another slot.
    def document(first: str, second: str) -> dict[str, Any]:
        inner = {"id": "urn:example:t", "kind": second}
        return {"@context": RANDOM_CONTEXT, "id": "urn:example:s", "kind": first, "knows": inner}

    for first, second in [("Person", "urn:k:1"), ("urn:k:2", "Person"), ("Person", "urn:k:3")]:
        assert _same_as_general(document(first, second), ["/kind"])


def test_a_document_that_cannot_be_signed_leaves_its_shape_to_the_template() -> None:
    # A shape seen first with a relative holder id (the general path refuses it) ...
    subject = {**PERSON["credentialSubject"], "voorvoegsel": "van"}
    shape = {**PERSON, "credentialSubject": subject}
    refused = _with(shape, HOLDER, "holder")
    assert _templated(refused, POINTERS) is None
    assert _general(refused, POINTERS) == "DataLossError"
    # ... still groups its good documents from the template.
    assert _same_as_general(shape, POINTERS)


def test_a_shape_seen_once_goes_the_general_way() -> None:
    # A one-off document does not pay for a template; the second of its shape makes one.
    subject = {**PERSON["credentialSubject"], "geboorteplaats": "Utrecht"}
    shape = {**PERSON, "credentialSubject": subject}
    definitions = {"mandatory": POINTERS}
    first = canonicalize_and_group_from_template(
        shape, FACTORY, definitions, document_loader=LOADER
    )
    second = canonicalize_and_group_from_template(
        _with(shape, HOLDER, "did:example:other"), FACTORY, definitions, document_loader=LOADER
    )
    assert first is None
    assert second is not None


@pytest.mark.vectors
@pytest.mark.parametrize("case", ["employ", "prc", "windsurf"])
def test_the_w3c_vectors_group_from_their_template(
    case: str, vectors_dir: Path, keyed_reference_loader: KeyedLoader
) -> None:
    vector = _vector(vectors_dir, case)
    templated = _templated(vector.document, vector.mandatory, keyed_reference_loader)
    assert templated is not None
    assert templated == _general(vector.document, vector.mandatory, keyed_reference_loader)
