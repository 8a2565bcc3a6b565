"""The bundled contexts: pinned bytes, equal to the W3C reference copies, and our vocabulary."""

from __future__ import annotations

import copy
import hashlib
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pyld import jsonld

from vc_core.loader import (
    CREDENTIALS_V2_URL,
    DATA_INTEGRITY_V2_URL,
    DID_V1_URL,
    MULTIKEY_V1_URL,
    NL_VC_V1_URL,
    STATUS_LIST_V1_URL,
    bundled_contexts,
    document_loader,
)

CONTEXTS = Path(__file__).resolve().parents[2] / "contexts"
MANIFEST: list[dict[str, str]] = json.loads((CONTEXTS / "manifest.json").read_text())
OWN = [entry for entry in MANIFEST if entry["package"] == "blauwe-knop"]
VENDORED = [entry for entry in MANIFEST if entry["package"] != "blauwe-knop"]
NL_VC = "https://issuer.example.nl/ns/nl-vc#"
XSD = "http://www.w3.org/2001/XMLSchema#"


def _nodes(value: Any) -> Iterator[dict[str, Any]]:
    """Every JSON object inside ``value``, depth first."""
    if isinstance(value, dict):
        yield value
        for item in value.values():
            yield from _nodes(item)
    elif isinstance(value, list):
        for item in value:
            yield from _nodes(item)


def _nl_vc_terms() -> dict[str, Any]:
    context: dict[str, Any] = json.loads((CONTEXTS / "nl-vc-v1.json").read_text())["@context"]
    return {term: value for term, value in context.items() if not term.startswith("@")}


# --- manifest and files -------------------------------------------------------------------


@pytest.mark.parametrize("entry", MANIFEST, ids=lambda entry: entry["file"])
def test_manifest_sha256_pins_file_bytes(entry: dict[str, str]) -> None:
    data = (CONTEXTS / entry["file"]).read_bytes()
    assert hashlib.sha256(data).hexdigest() == entry["sha256"]


def test_manifest_and_folder_list_the_same_files() -> None:
    listed = [entry["file"] for entry in MANIFEST]
    on_disk = {path.name for path in CONTEXTS.glob("*.json")} - {"manifest.json"}
    assert len(listed) == len(set(listed))
    assert set(listed) == on_disk


def test_manifest_urls_are_unique_and_cover_what_we_use() -> None:
    urls = [entry["url"] for entry in MANIFEST]
    assert len(urls) == len(set(urls))
    used = {
        CREDENTIALS_V2_URL,
        DATA_INTEGRITY_V2_URL,
        MULTIKEY_V1_URL,
        DID_V1_URL,
        STATUS_LIST_V1_URL,
        NL_VC_V1_URL,
    }
    assert used <= set(urls)
    assert [entry["url"] for entry in OWN] == [NL_VC_V1_URL]


@pytest.mark.parametrize("entry", VENDORED, ids=lambda entry: entry["file"])
def test_vendored_context_equals_w3c_reference(
    entry: dict[str, str], reference_contexts_dir: Path
) -> None:
    index: dict[str, str] = json.loads((reference_contexts_dir / "index.json").read_text())
    reference = json.loads((reference_contexts_dir / index[entry["url"]]).read_bytes())
    assert json.loads((CONTEXTS / entry["file"]).read_bytes()) == reference
    assert re.fullmatch(
        r"(@[a-z0-9-]+/)?[a-z0-9-]+@\d+\.\d+\.\d+|[a-z0-9-]+/[a-z0-9.-]+@[0-9a-f]{8}",
        entry["package"],
    )


# --- our vocabulary context -----------------------------------------------------------------


def test_nl_vc_context_is_protected_json_ld_1_1() -> None:
    context = json.loads((CONTEXTS / "nl-vc-v1.json").read_text())["@context"]
    assert context["@protected"] is True
    assert context["@version"] == 1.1


def test_nl_vc_context_has_no_vocab_and_no_list_containers() -> None:
    document = json.loads((CONTEXTS / "nl-vc-v1.json").read_text())
    for node in _nodes(document):
        assert "@vocab" not in node
        assert node.get("@container") not in ("@list", ["@list"])


def test_nl_vc_terms_map_into_our_namespace() -> None:
    for term, definition in _nl_vc_terms().items():
        iri = definition if isinstance(definition, str) else definition["@id"]
        assert iri == NL_VC + term
        if isinstance(definition, dict):
            assert set(definition) == {"@id", "@type"}
            assert definition["@type"] == "@id" or definition["@type"].startswith(XSD)


def test_readme_documents_every_nl_vc_term() -> None:
    readme = (CONTEXTS / "README.md").read_text()
    documented = set(re.findall(r"^\| `([A-Za-z]+)` \|", readme, flags=re.MULTILINE))
    assert documented == set(_nl_vc_terms())


# --- a realistic credential per source expands without loss --------------------------------

_HOLDER = "did:key:zDnaerx9CtbPJ1q36T5Ln5wYt3MQYeGRG5ehnPAmxcf5mDZpv"


def _credential(credential_type: str, issuer: str, subject: dict[str, Any]) -> dict[str, Any]:
    return {
        "@context": [CREDENTIALS_V2_URL, NL_VC_V1_URL],
        "id": "urn:uuid:3978344f-8596-4c3a-a978-8fcaba3903c5",
        "type": ["VerifiableCredential", credential_type],
        "issuer": f"did:web:issuer.example.nl:{issuer}",
        "validFrom": "2025-06-01T00:00:00Z",
        "validUntil": "2026-06-01T00:00:00Z",
        "credentialStatus": {
            "id": f"https://issuer.example.nl/{issuer}/status/1#94567",
            "type": "BitstringStatusListEntry",
            "statusPurpose": "revocation",
            "statusListIndex": "94567",
            "statusListCredential": f"https://issuer.example.nl/{issuer}/status/1",
        },
        "credentialSubject": {"id": _HOLDER, **subject},
    }


SOURCE_CREDENTIALS = {
    "belastingdienst": _credential(
        "InkomensverklaringCredential",
        "belastingdienst",
        {
            "type": "Belastingplichtige",
            "belastingjaar": 2024,
            "verzamelinkomen": {"type": "MonetaryAmount", "value": "41250.00", "currency": "EUR"},
            "inkomensklasse": "midden",
            "inkomenstoets": {
                "type": "InkomenToets",
                "regel": "sociale-huurgrens",
                "regelJaar": 2025,
                "huishoudgrootte": 1,
                "onderSocialeHuurgrens": False,
            },
        },
    ),
    "brp": _credential(
        "PersoonsgegevensCredential",
        "brp",
        {
            "type": "Ingezetene",
            "voornamen": "Jan Pieter",
            "voorvoegsel": "van der",
            "geslachtsnaam": "Berg",
            "geboortedatum": "1990-05-17",
            "geboorteplaats": "Utrecht",
            "nationaliteit": "Nederlandse",
            "adres": {
                "type": "Adres",
                "straat": "Oudegracht",
                "huisnummer": 231,
                "huisnummertoevoeging": "bis",
                "postcode": "3511 NK",
                "woonplaats": "Utrecht",
                "gemeente": "Utrecht",
                "land": "Nederland",
            },
        },
    ),
    "duo": _credential(
        "DiplomaCredential",
        "duo",
        {
            "type": "Diplomahouder",
            "diploma": {
                "type": "Diploma",
                "opleiding": "Technische Informatica",
                "niveau": "WO bachelor",
                "onderwijsinstelling": "Technische Universiteit Delft",
                "datumBehaald": "2015-08-31",
                "crohoCode": "56964",
            },
        },
    ),
    "rdw": _credential(
        "VoertuigregistratieCredential",
        "rdw",
        {
            "type": "Kentekenhouder",
            "voertuig": {
                "type": "Voertuig",
                "kenteken": "GZ-123-B",
                "merk": "VOLKSWAGEN",
                "handelsbenaming": "GOLF",
                "datumEersteToelating": "2019-03-14",
                "brandstof": "Benzine",
                "tenaamstellingsdatum": "2021-06-02",
            },
        },
    ),
}
# A Blauwe Knop Plus copy: issued straight to a recipient under a consent grant.
SOURCE_CREDENTIALS["plus"] = {
    **_credential(
        "InkomensverklaringCredential",
        "belastingdienst",
        {"type": "Belastingplichtige", "belastingjaar": 2024},
    ),
    "ontvanger": "did:web:verhuur.example.nl",
    "toestemming": "urn:uuid:0c6a9c43-5d3f-4f0a-9a55-7bb1b8f4e2d1",
    "doel": "toewijzing-sociale-huurwoning",
}


class _LossError(Exception):
    pass


def _raise_dropped(name: str) -> None:
    raise _LossError(name)


def _expand_strictly(document: dict[str, Any]) -> list[Any]:
    """Expand like our safe mode: a dropped property raises, a relative IRI fails the test."""
    options = {"documentLoader": document_loader(), "base": None}
    processor = jsonld.JsonLdProcessor(on_property_dropped=_raise_dropped)
    expanded: list[Any] = processor.expand(document, options)
    for node in _nodes(expanded):
        types = node.get("@type", [])
        iris = ([node["@id"]] if "@id" in node else []) + (
            [types] if isinstance(types, str) else types
        )
        for iri in iris:
            if not re.match(r"[a-z][a-z0-9+.-]*:", iri):
                raise _LossError(f"relative IRI {iri!r}")
    return expanded


def _term_names(value: Any) -> set[str]:
    """Every key and every ``type`` value used in a compact document, keywords left out."""
    names: set[str] = set()
    for node in _nodes(value):
        names |= {key for key in node if not key.startswith("@")}
        types = node.get("type", [])
        names |= {types} if isinstance(types, str) else set(types)
    return names


@pytest.mark.parametrize("source", SOURCE_CREDENTIALS)
def test_source_credential_expands_without_loss(source: str) -> None:
    credential = SOURCE_CREDENTIALS[source]
    expanded = _expand_strictly(copy.deepcopy(credential))
    compacted = jsonld.compact(
        expanded,
        {"@context": credential["@context"]},
        {"documentLoader": document_loader(), "base": None},
    )
    assert compacted == credential


def test_source_credentials_use_every_nl_vc_term() -> None:
    used = _term_names(list(SOURCE_CREDENTIALS.values()))
    assert set(_nl_vc_terms()) <= used


def test_nl_vc_literals_get_their_datatypes() -> None:
    nquads = jsonld.to_rdf(
        SOURCE_CREDENTIALS["belastingdienst"],
        {"documentLoader": document_loader(), "base": None, "format": "application/n-quads"},
    )
    nquads += jsonld.to_rdf(
        SOURCE_CREDENTIALS["brp"],
        {"documentLoader": document_loader(), "base": None, "format": "application/n-quads"},
    )
    assert f'<{NL_VC}belastingjaar> "2024"^^<{XSD}integer>' in nquads
    assert f'<{NL_VC}value> "41250.00"^^<{XSD}decimal>' in nquads
    assert f'<{NL_VC}onderSocialeHuurgrens> "false"^^<{XSD}boolean>' in nquads
    assert f'<{NL_VC}geboortedatum> "1990-05-17"^^<{XSD}date>' in nquads
    assert f'<{NL_VC}postcode> "3511 NK" ' in nquads


@pytest.mark.parametrize(
    "subject",
    [{"annualIncome": 41250}, {"type": "Inkomensverklaring"}],
    ids=["undefined-property", "undefined-type"],
)
def test_strict_expansion_catches_undefined_terms(subject: dict[str, Any]) -> None:
    credential = _credential("InkomensverklaringCredential", "belastingdienst", subject)
    with pytest.raises(_LossError):
        _expand_strictly(credential)


def test_expansion_leaves_bundled_contexts_unchanged() -> None:
    before = json.dumps(dict(bundled_contexts()), sort_keys=True)
    for credential in SOURCE_CREDENTIALS.values():
        _expand_strictly(copy.deepcopy(credential))
    assert json.dumps(dict(bundled_contexts()), sort_keys=True) == before
