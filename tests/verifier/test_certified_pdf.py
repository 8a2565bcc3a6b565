"""vc_verifier checks certified PDFs per source: real sealed files, tampered with."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from fpdf import FPDF

from tests.certified import (
    attachment_object,
    checker,
    flip_byte_in_object,
    page_content_object,
    remove_seal_field,
    seal_certificates,
    strip_last_revision,
)
from tests.issuer.support import DEMO_BSN, client_fetch
from vc_core.certified_copy import Block
from vc_core.types import JsonObject
from vc_issuer import Issuer, IssuerSettings
from vc_issuer import pdf as pdf_module
from vc_issuer.pdf import SealedPart, aggregated_pdf
from vc_issuer.web import create_app
from vc_verifier import HousingIncomeRule
from vc_verifier.certified_pdf import CertifiedPdfReport, SourceReport

SOURCES = ("brp", "belastingdienst", "duo", "rdw")
TAX_DID = "did:web:issuer.example.nl:belastingdienst"


@pytest.fixture(scope="module")
def issuer() -> Issuer:
    return Issuer.from_settings(IssuerSettings.demo(demo_people=20, status_list_ttl_seconds=0))


@pytest.fixture(scope="module")
def credentials(issuer: Issuer) -> dict[str, JsonObject]:
    return issuer.basis_set(DEMO_BSN)


@pytest.fixture(scope="module")
def aggregated(issuer: Issuer, credentials: dict[str, JsonObject]) -> bytes:
    return issuer.aggregated_pdf(DEMO_BSN, credentials)


@pytest.fixture(scope="module")
def offline(issuer: Issuer, aggregated: bytes) -> CertifiedPdfReport:
    return checker(issuer).check_certified_pdf(aggregated)


@pytest.fixture(scope="module")
def http(issuer: Issuer) -> Iterator[TestClient]:
    with TestClient(create_app(issuer), base_url="https://issuer.example.nl") as client:
        yield client


def _by_source(report: CertifiedPdfReport) -> dict[str, SourceReport]:
    return {source.source: source for source in report.sources}


def _codes(source: SourceReport) -> set[str]:
    return {problem.code for problem in source.problems}


def test_the_aggregated_pdf_checks_out_offline_per_source(
    offline: CertifiedPdfReport, credentials: dict[str, JsonObject]
) -> None:
    assert offline.valid, offline.to_json()
    assert offline.problems == ()
    assert [s.source for s in offline.sources] == list(SOURCES)
    assert offline.manifest is not None
    assert offline.manifest.cover is not None
    assert offline.manifest.cover.made_for == "Anna Maria de Vries"
    for number, source in enumerate(offline.sources, start=2):
        assert source.seal.present
        assert source.seal.intact
        assert source.seal.trusted
        # Each seal signs its own revision; the later revisions only add the next seals.
        assert (source.seal.revision, source.seal.revisions) == (number, 5)
        assert source.seal.later_changes == ("none" if number == 5 else "seals only")
        assert source.credential.verified
        assert source.credential.unverified_id == credentials[source.source]["id"]
        assert source.credential.keys == "attachment"
        assert source.credential.status == "unknown"  # offline
        assert source.printed.matches
    assert offline.presentation is not None
    assert {c.id for c in offline.presentation.credentials} == {
        c["id"] for c in credentials.values()
    }
    assert offline.summary() == "valid: 4 sources, every seal intact and trusted"


def test_the_json_report_lists_every_source(offline: CertifiedPdfReport) -> None:
    shown = json.loads(json.dumps(offline.to_json()))
    assert shown["valid"] is True
    assert shown["offline"] is True
    assert [s["source"] for s in shown["sources"]] == list(SOURCES)
    first = shown["sources"][0]
    assert set(first) == {"source", "name", "issuer", "valid", "seal", "credential", "printed"}
    assert first["seal"]["field"] == "Waarmerk-brp"
    assert first["seal"]["intact"] is True
    assert first["credential"]["verified"] is True
    assert first["credential"]["status"] == "unknown"
    assert first["printed"] == {"pages": [2, 3], "matches": True, "problems": []}


def test_online_the_status_is_checked_and_a_revocation_is_named(
    issuer: Issuer, http: TestClient
) -> None:
    credentials = issuer.basis_set(DEMO_BSN)
    pdf = issuer.aggregated_pdf(DEMO_BSN, credentials)
    online = checker(issuer, fetch=client_fetch(http))
    report = online.check_certified_pdf(pdf)
    assert report.valid, report.to_json()
    assert {s.credential.status for s in report.sources} == {"valid"}
    assert {s.credential.keys for s in report.sources} == {"did:web"}

    issuer.revoke(credentials["belastingdienst"]["id"])
    report = checker(issuer, fetch=client_fetch(http)).check_certified_pdf(pdf)  # a fresh cache
    by_source = _by_source(report)
    assert not report.valid
    assert _codes(by_source["belastingdienst"]) == {"CREDENTIAL_REVOKED"}
    assert by_source["belastingdienst"].credential.status == "revoked"
    assert by_source["belastingdienst"].seal.intact
    assert all(by_source[s].valid for s in ("brp", "duo", "rdw"))
    assert [p.code for p in report.problems_for([TAX_DID])] == ["CREDENTIAL_REVOKED"]
    assert report.presentation is not None
    assert TAX_DID not in {c.issuer for c in report.presentation.credentials}


@pytest.mark.parametrize("changed", SOURCES)
def test_one_changed_byte_in_a_section_names_that_section(
    issuer: Issuer, aggregated: bytes, changed: str
) -> None:
    offline = checker(issuer).check_certified_pdf(aggregated)
    first_page = _by_source(offline)[changed].printed.pages[0]
    tampered = flip_byte_in_object(aggregated, page_content_object(aggregated, first_page))
    report = checker(issuer).check_certified_pdf(tampered)
    assert not report.valid
    by_source = _by_source(report)
    # Every seal covers the first revision, so every seal breaks ...
    assert all(s.seal.present and not s.seal.intact for s in report.sources)
    # ... and the printed-data check names the one section that changed.
    assert [s.source for s in report.sources if not s.printed.matches] == [changed]
    assert "PRINTED_DATA_MISMATCH" in _codes(by_source[changed])
    assert report.summary() == f"NOT valid: changed section(s): {changed}"


def test_a_changed_byte_in_an_embedded_credential_names_that_source(
    issuer: Issuer, aggregated: bytes
) -> None:
    tampered = flip_byte_in_object(aggregated, attachment_object(aggregated, "duo-credential.json"))
    report = checker(issuer).check_certified_pdf(tampered)
    by_source = _by_source(report)
    assert "CREDENTIAL_MISSING" in _codes(by_source["duo"])
    assert not by_source["duo"].printed.matches
    assert all(by_source[s].printed.matches for s in ("brp", "belastingdienst", "rdw"))
    assert "changed section(s): duo" in report.summary()


def test_stripping_the_last_seal_names_that_source(issuer: Issuer, aggregated: bytes) -> None:
    report = checker(issuer).check_certified_pdf(strip_last_revision(aggregated))
    by_source = _by_source(report)
    assert not report.valid
    assert not by_source["rdw"].seal.present
    assert "SEAL_MISSING" in _codes(by_source["rdw"])
    assert all(by_source[s].valid for s in ("brp", "belastingdienst", "duo"))
    assert by_source["duo"].seal.later_changes == "none"
    assert report.summary() == "NOT valid: seal(s) missing: rdw"


def test_taking_a_seal_out_by_an_update_is_reported(issuer: Issuer, aggregated: bytes) -> None:
    report = checker(issuer).check_certified_pdf(remove_seal_field(aggregated, "Waarmerk-duo"))
    by_source = _by_source(report)
    assert not by_source["duo"].seal.present
    assert "SEAL_MISSING" in _codes(by_source["duo"])
    # The update after the last seal changed the form: reported on the seals it follows.
    assert "DOCUMENT_MODIFIED" in _codes(by_source["rdw"])
    assert report.summary().startswith("NOT valid: seal(s) missing: duo")


def test_a_seal_not_trusted_for_its_source_is_named(issuer: Issuer, aggregated: bytes) -> None:
    report = checker(issuer, trusted=("brp", "belastingdienst", "duo")).check_certified_pdf(
        aggregated
    )
    by_source = _by_source(report)
    assert by_source["rdw"].seal.intact
    assert not by_source["rdw"].seal.trusted
    assert "SIGNER_UNTRUSTED" in _codes(by_source["rdw"])
    # Offline its keys would come from its own sealed DID document: not without a trusted seal.
    assert not by_source["rdw"].credential.verified
    assert all(by_source[s].valid for s in ("brp", "belastingdienst", "duo"))
    assert report.problems_for([TAX_DID]) == ()


def test_a_section_sealed_by_another_source_fails_the_issuer_binding(
    issuer: Issuer, credentials: dict[str, JsonObject]
) -> None:
    """The BRP's certificate seals the tax office's section: the seal is not the issuer's."""
    parts = [
        SealedPart(
            source=source,
            name=issuer.source(source).display_name,
            credential=credentials[source],
            did_document=issuer.did_document(source),
            identity=issuer.sealing_identity("brp" if source == "belastingdienst" else source),
        )
        for source in ("brp", "belastingdienst")
    ]
    report = checker(issuer).check_certified_pdf(aggregated_pdf(parts, made_for="A. de Vries"))
    by_source = _by_source(report)
    assert by_source["brp"].valid
    assert by_source["belastingdienst"].seal.intact
    assert not by_source["belastingdienst"].seal.trusted
    assert "SIGNER_UNTRUSTED" in _codes(by_source["belastingdienst"])


def test_printed_data_that_differs_from_the_embedded_credential_is_named(
    issuer: Issuer, credentials: dict[str, JsonObject], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A maker that prints another amount than it embeds: sealed, yet caught."""
    real = pdf_module.section_blocks

    def lying(credential: Any, section: Any, made_at: Any) -> list[Block]:
        blocks = real(credential, section, made_at)
        return [
            Block(
                b.kind,
                b.text,
                tuple((k, "€ 21.250,00" if k == "Verzamelinkomen" else v) for k, v in b.rows),
                b.alt,
            )
            for b in blocks
        ]

    monkeypatch.setattr(pdf_module, "section_blocks", lying)
    pdf = issuer.aggregated_pdf(DEMO_BSN, credentials)
    report = checker(issuer).check_certified_pdf(pdf)
    by_source = _by_source(report)
    assert all(s.seal.intact and s.seal.trusted for s in report.sources)
    assert [s.source for s in report.sources if not s.valid] == ["belastingdienst"]
    assert _codes(by_source["belastingdienst"]) == {"PRINTED_DATA_MISMATCH"}


def test_a_basis_pdf_of_one_source_checks_out(issuer: Issuer) -> None:
    pdf = issuer.certified_pdf("belastingdienst", DEMO_BSN)
    report = checker(issuer, trusted=["belastingdienst"]).check_certified_pdf(pdf)
    assert report.valid, report.to_json()
    assert report.manifest is not None
    assert report.manifest.cover is None
    (source,) = report.sources
    assert (source.seal.revision, source.seal.revisions, source.seal.later_changes) == (
        2,
        2,
        "none",
    )
    assert source.printed.pages == (1, 2)


def test_checks_work_where_an_event_loop_already_runs(issuer: Issuer, aggregated: bytes) -> None:
    async def in_a_loop() -> tuple[bytes, CertifiedPdfReport]:
        made = issuer.certified_pdf("rdw", DEMO_BSN)
        return made, checker(issuer).check_certified_pdf(aggregated)

    made, report = asyncio.run(in_a_loop())
    assert report.valid
    assert checker(issuer, trusted=["rdw"]).check_certified_pdf(made).valid


def _plain_pdf() -> bytes:
    document = FPDF()
    document.add_page()
    return bytes(document.output())


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"", "PDF_UNREADABLE"),
        (b"hello", "PDF_UNREADABLE"),
        (b'{"@context": []}', "PDF_UNREADABLE"),
        (b"%PDF-1.7\n" + b"\xff" * 4000, "PDF_UNREADABLE"),
        (b"%PDF-1.7\n" + b" " * (10 * 1024 * 1024), "PDF_UNREADABLE"),
        (_plain_pdf(), "MANIFEST_MISSING"),
    ],
    ids=["empty", "text", "json", "noise", "too-large", "no-manifest"],
)
def test_hostile_input_is_a_report_never_an_exception(
    issuer: Issuer, data: bytes, code: str
) -> None:
    report = checker(issuer).check_certified_pdf(data)
    assert not report.valid
    assert [p.code for p in report.problems] == [code]
    assert report.sources == ()
    assert report.presentation is None


@pytest.mark.parametrize(
    "mangle",
    [
        lambda data: data[: len(data) // 2],
        lambda data: data[:200],
        lambda data: data.replace(b"startxref", b"startxrof"),
        lambda data: data + b"\nrubbish after the end\n",
    ],
    ids=["half", "200-bytes", "broken-startxref", "appended-rubbish"],
)
def test_a_damaged_pdf_is_a_report(issuer: Issuer, aggregated: bytes, mangle: Any) -> None:
    report = checker(issuer).check_certified_pdf(mangle(aggregated))
    assert not report.valid
    assert report.presentation is None or len(report.presentation.credentials) < 4


def test_a_manifest_that_lies_about_the_pages_is_a_printed_mismatch(
    issuer: Issuer, credentials: dict[str, JsonObject], monkeypatch: pytest.MonkeyPatch
) -> None:
    real = pdf_module.manifest_bytes

    def shifted(manifest: Any) -> bytes:
        document = json.loads(real(manifest))
        first, second = document["sections"][:2]
        first["pages"], second["pages"] = [2, 2], [3, second["pages"][1]]
        return json.dumps(document).encode()

    monkeypatch.setattr(pdf_module, "manifest_bytes", shifted)
    pdf = issuer.aggregated_pdf(DEMO_BSN, {k: credentials[k] for k in ("brp", "duo")})
    report = checker(issuer).check_certified_pdf(pdf)
    assert {s.source for s in report.sources if not s.printed.matches} == {"brp", "duo"}


def test_seal_certificates_carry_the_source_did(issuer: Issuer) -> None:
    from vc_verifier.certified_pdf import certificate_dids

    for source, (certificate,) in seal_certificates(issuer, SOURCES).items():
        assert certificate_dids(certificate) == [source]


def test_a_basis_pdf_may_embed_an_sd_jwt_vc(issuer: Issuer, http: TestClient) -> None:
    configuration = "InkomensverklaringCredential_dc_sd_jwt"
    pdf = issuer.certified_pdf("belastingdienst", DEMO_BSN, configuration)
    offline = checker(issuer, trusted=["belastingdienst"]).check_certified_pdf(pdf)
    assert offline.valid, offline.to_json()
    (section,) = offline.sources
    assert section.credential.verified
    assert section.credential.keys == "attachment"
    assert section.credential.status == "unknown"
    assert section.credential.unverified_types == (
        "VerifiableCredential",
        "InkomensverklaringCredential",
    )
    assert section.printed.matches
    assert offline.presentation is not None
    (credential,) = offline.presentation.credentials
    assert credential.format == "dc+sd-jwt"
    assert credential.issuer == TAX_DID
    assert credential.claim("verzamelinkomen", "value") == "41250.00"
    # The rule decides on it as on any other income statement.
    assert HousingIncomeRule.load().evaluate(offline.presentation, household_size=1).meets
    # Online its Token Status List is read; a revocation is named.
    online = checker(issuer, trusted=["belastingdienst"], fetch=client_fetch(http))
    report = online.check_certified_pdf(pdf)
    assert report.valid, report.to_json()
    assert report.sources[0].credential.status == "valid"
    assert report.sources[0].credential.keys == "did:web"
    assert credential.id is not None
    issuer.revoke(credential.id)
    revoked = checker(issuer, trusted=["belastingdienst"], fetch=client_fetch(http))
    after = revoked.check_certified_pdf(pdf)
    assert after.sources[0].credential.status == "revoked"
    assert _codes(after.sources[0]) == {"CREDENTIAL_REVOKED"}


def test_an_sd_jwt_vc_basis_pdf_shows_what_it_embeds(issuer: Issuer) -> None:
    """A section whose printed text differs from its embedded SD-JWT VC is caught."""
    credential = issuer.basis_credential(
        "belastingdienst", DEMO_BSN, "InkomensverklaringCredential_dc_sd_jwt"
    )
    assert credential["type"] == "EnvelopedVerifiableCredential"
    assert credential["id"].startswith("data:application/dc+sd-jwt,")
    original = pdf_module.section_blocks

    def altered(credential: Any, section: Any, now: Any) -> list[Block]:
        return [
            Block(b.kind, b.text, tuple((k, v.replace("midden", "laag")) for k, v in b.rows), b.alt)
            for b in original(credential, section, now)
        ]

    pdf_module.section_blocks = altered  # type: ignore[assignment]
    try:
        pdf = issuer.certified_pdf(
            "belastingdienst", DEMO_BSN, "InkomensverklaringCredential_dc_sd_jwt"
        )
    finally:
        pdf_module.section_blocks = original  # type: ignore[assignment]
    report = checker(issuer, trusted=["belastingdienst"]).check_certified_pdf(pdf)
    assert _codes(report.sources[0]) == {"PRINTED_DATA_MISMATCH"}
