"""vc_core.certified_copy: the printed rows and the manifest the PDF maker and checker share."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import pytest

from vc_core.certified_copy import (
    Cover,
    Manifest,
    Section,
    claim_rows,
    comparable_text,
    cover_blocks,
    cover_qr_text,
    manifest_bytes,
    parse_manifest,
    printed_text,
    reduce_to_windows_1252,
    section_blocks,
    section_names,
)
from vc_core.errors import ParsingError

MADE = datetime(2026, 5, 6, 7, 8, 9, tzinfo=UTC)
DIGEST = "ab" * 32


def _section(source: str = "belastingdienst", pages: tuple[int, int] = (2, 3)) -> Section:
    return Section(
        source=source,
        name="Belastingdienst (demo)",
        issuer=f"did:web:issuer.example.nl:{source}",
        title="Gewaarmerkt afschrift – Inkomensverklaring",
        credential_sha256=DIGEST,
        pages=pages,
        qr="credential",
        demo=True,
    )


def _manifest() -> Manifest:
    return Manifest(
        made_at=MADE,
        sections=(_section(), _section("rdw", (4, 5))),
        cover=Cover("Anna Maria de Vries", (1, 1)),
    )


def test_claims_become_dutch_rows() -> None:
    subject = {
        "id": "did:example:holder",
        "type": "Ingezetene",
        "geboortedatum": "1985-03-21",
        "adres": {"type": "Adres", "straat": "Oudegracht", "huisnummer": 231},
        "verzamelinkomen": {"type": "MonetaryAmount", "value": "1234567.5", "currency": "EUR"},
        "onderSocialeHuurgrens": True,
        "crohoCode": "034",
        "diplomas": [{"opleiding": "HBO-ICT"}, {"opleiding": "VWO"}],
        "tijdstip": "2026-01-02T03:04:05+01:00",
    }
    assert claim_rows({"credentialSubject": subject}) == [
        ("Houder (DID)", "did:example:holder"),
        ("Geboortedatum", "21 maart 1985"),
        ("Adres · Straat", "Oudegracht"),
        ("Adres · Huisnummer", "231"),
        ("Verzamelinkomen", "€ 1.234.567,50"),
        ("Onder de sociale huurgrens", "ja"),
        ("CROHO-code", "034"),
        ("Diplomas 1 · Opleiding", "HBO-ICT"),
        ("Diplomas 2 · Opleiding", "VWO"),
        ("Tijdstip", "2 januari 2026, 02:04 UTC"),
    ]


@pytest.mark.parametrize(
    "subject",
    [
        None,
        "text",
        [],
        {"x": {"type": "MonetaryAmount", "value": "no number"}},
        {"d": "2026-13-45"},
    ],
)
def test_odd_subjects_still_give_rows_not_errors(subject: Any) -> None:
    rows = claim_rows({"credentialSubject": subject})
    assert all(isinstance(label, str) and isinstance(text, str) for label, text in rows)


def test_the_manifest_round_trips_exactly() -> None:
    manifest = _manifest()
    data = manifest_bytes(manifest)
    assert data.isascii()
    assert parse_manifest(data) == manifest
    shown = json.loads(data)
    assert shown["sections"][0]["sealField"] == "Waarmerk-belastingdienst"
    assert shown["cover"] == {"for": "Anna Maria de Vries", "pages": [1, 1]}


def _changed(**changes: Any) -> bytes:
    document = json.loads(manifest_bytes(_manifest()))
    for path, value in changes.items():
        node = document
        *parents, last = path.split(".")
        for step in parents:
            node = node[int(step)] if step.isdigit() else node[step]
        if value is ...:
            del node[last]
        else:
            node[last] = value
    return json.dumps(document).encode()


@pytest.mark.parametrize(
    ("data", "path"),
    [
        (b"\xff", ""),
        (b"[]", ""),
        (b'{"a": NaN}', ""),
        (_changed(version=2), "format"),
        (_changed(madeAt="2026-05-06T07:08:09+02:00"), "madeAt"),
        (_changed(sections=[]), "sections"),
        (_changed(**{"sections.0.source": "../etc"}), "sections[0].source"),
        (_changed(**{"sections.0.sealField": "Waarmerk-rdw"}), "sections[0].sealField"),
        (_changed(**{"sections.0.credentialFile": "x.json"}), "sections[0].credentialFile"),
        (_changed(**{"sections.0.credentialSha256": "AB" * 32}), "sections[0]"),
        (_changed(**{"sections.0.pages": [3, 3]}), "sections[0].pages"),
        (_changed(**{"sections.1.pages": [3, 4]}), "sections[1].pages"),
        (_changed(**{"sections.0.pages": [2, True]}), "sections[0].pages"),
        (_changed(**{"sections.0.qr": "both"}), "sections[0].qr"),
        (_changed(**{"sections.0.demo": "yes"}), "sections[0].demo"),
        (_changed(**{"sections.0.name": ""}), "sections[0].name"),
        (_changed(**{"sections.0.title": "x" * 301}), "sections[0].title"),
        (
            _changed(
                **{
                    "sections.1.source": "belastingdienst",
                    "sections.1.sealField": "Waarmerk-belastingdienst",
                    "sections.1.credentialFile": "belastingdienst-credential.json",
                    "sections.1.didFile": "belastingdienst-did.json",
                }
            ),
            "sections",
        ),
        (_changed(cover="Anna"), "cover"),
        (_changed(**{"cover.pages": [2, 2]}), "cover.pages"),
    ],
)
def test_a_malformed_manifest_is_a_parsing_error_with_its_place(data: bytes, path: str) -> None:
    with pytest.raises(ParsingError) as caught:
        parse_manifest(data)
    assert caught.value.code == "PARSING_ERROR"
    assert caught.value.problems[0].path == path


def test_a_basis_manifest_has_no_cover_and_starts_on_page_one() -> None:
    basis = Manifest(made_at=MADE, sections=(_section(pages=(1, 2)),))
    assert parse_manifest(manifest_bytes(basis)) == basis
    with pytest.raises(ValueError, match="no cover"):
        cover_blocks(basis)


def test_a_section_prints_its_claims_and_where_to_check_them() -> None:
    credential = {
        "id": "urn:uuid:1",
        "type": ["VerifiableCredential", "InkomensverklaringCredential"],
        "issuer": "did:web:issuer.example.nl:belastingdienst",
        "validFrom": "2026-01-01T00:00:00Z",
        "credentialSubject": {"belastingjaar": 2024},
    }
    blocks = section_blocks(credential, _section(), MADE)
    kinds = [block.kind for block in blocks]
    assert kinds == ["h1", "h2", "text", "table", "table", "small", "note", "figure"]
    text = printed_text(blocks)
    assert "Afgegeven op 6 mei 2026" in text
    assert "Belastingjaar\n2024" in text
    assert f"SHA-256 van belastingdienst-credential.json\n{DIGEST}" in text
    assert "Waarmerk-belastingdienst" in text
    assert blocks[-1].alt == "QR-code van de inkomensverklaring van Belastingdienst (demo)"


def test_the_cover_names_the_citizen_the_sources_and_their_seals() -> None:
    text = printed_text(cover_blocks(_manifest()))
    assert "Voor: Anna Maria de Vries" in text
    assert "Gemaakt op 6 mei 2026, 07:08 UTC" in text
    assert "zegel Waarmerk-rdw" in text
    qr = json.loads(cover_qr_text(_manifest()))
    assert qr["verklaringen"][1] == {"bestand": "rdw-credential.json", "sha256": DIGEST}


def test_comparable_text_ignores_layout_not_characters() -> None:
    assert comparable_text("Belasting\njaar  2024") == comparable_text("Belastingjaar2024")
    assert comparable_text("2024") != comparable_text("2025")
    assert comparable_text("e\u0301") == comparable_text("é")  # NFC
    assert reduce_to_windows_1252("Şule – 日本 €") == "Sule – ?? €"


@pytest.mark.parametrize("source", ["", "BRP", "a/b", "x" * 33, "-brp"])
def test_a_source_name_is_short_and_plain(source: str) -> None:
    with pytest.raises(ValueError, match="source name"):
        section_names(source)
