"""vc_issuer.pdf: real sealed PDFs (fpdf2 + pyHanko), read back, tampered with and verified."""

from __future__ import annotations

import asyncio
import hashlib
import io
import json
import re
import struct
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import zxingcpp
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from fpdf import FPDF
from PIL import Image
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader

from vc_core import KeyPair, did_key, sign
from vc_core.loader import CREDENTIALS_V2_URL, NL_VC_V1_URL
from vc_core.types import JsonObject
from vc_issuer import pdf as pdf_module
from vc_issuer.errors import PdfVerificationError
from vc_issuer.pdf import (
    CREDENTIAL_FILE_NAME,
    SEAL_FIELD_NAME,
    SealingIdentity,
    certified_pdf,
    create_sealing_identity,
    verify_certified_pdf,
)

ISSUER = "did:web:issuer.example.nl:belastingdienst"
MANDATORY_POINTERS = [
    "/issuer",
    "/validFrom",
    "/validUntil",
    "/credentialStatus",
    "/credentialSubject/id",
    "/type",
]


def _income_credential(issuer_key: KeyPair, holder: KeyPair) -> JsonObject:
    status_list = "https://issuer.example.nl/belastingdienst/status/1"
    return {
        "@context": [CREDENTIALS_V2_URL, NL_VC_V1_URL],
        "id": "urn:uuid:3978344f-8596-4c3a-a978-8fcaba3903c5",
        "type": ["VerifiableCredential", "InkomensverklaringCredential"],
        "issuer": ISSUER,
        "validFrom": "2025-06-01T00:00:00Z",
        "validUntil": "2027-06-01T00:00:00Z",
        "credentialStatus": {
            "id": f"{status_list}#94567",
            "type": "BitstringStatusListEntry",
            "statusPurpose": "revocation",
            "statusListIndex": "94567",
            "statusListCredential": status_list,
        },
        "credentialSubject": {
            "id": did_key(holder),
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
    }


@pytest.fixture(scope="module")
def identity() -> SealingIdentity:
    return create_sealing_identity(
        organisation="Belastingdienst", common_name="Belastingdienst waarmerk"
    )


@pytest.fixture(scope="module")
def credential() -> JsonObject:
    issuer_key = KeyPair.generate("P-256")
    unsigned = _income_credential(issuer_key, KeyPair.generate("P-256"))
    return sign(
        unsigned,
        issuer_key,
        cryptosuite="ecdsa-sd-2023",
        verification_method=f"{ISSUER}#key-1",
        mandatory_pointers=MANDATORY_POINTERS,
    )


@pytest.fixture(scope="module")
def sealed(credential: JsonObject, identity: SealingIdentity) -> bytes:
    return certified_pdf(
        credential,
        source_name="belastingdienst",
        source_display_name="Belastingdienst",
        identity=identity,
    )


def _codes(report: pdf_module.CertifiedPdfReport) -> set[str]:
    return {problem.code for problem in report.problems}


def _compact(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=True, separators=(",", ":")).encode()


def _page_qr_text(data: bytes) -> str:
    """Decode the PDF's one image: fpdf2 stores the QR code as CCITT G4; wrap it in a TIFF."""
    pages = PdfFileReader(io.BytesIO(data)).root["/Pages"]["/Kids"]
    images: list[Any] = []
    for page in (page.get_object() for page in pages):
        xobjects = page["/Resources"].get("/XObject", {})
        images.extend(xobjects[name] for name in xobjects)
    (image,) = images
    assert image["/Filter"] == "/CCITTFaxDecode"
    assert image["/DecodeParms"]["/K"] == -1
    assert image["/DecodeParms"]["/BlackIs1"]
    width, height, encoded = int(image["/Width"]), int(image["/Height"]), image.encoded_data
    tags = [(256, 4, width), (257, 4, height), (258, 3, 1), (259, 3, 4), (262, 3, 0)]
    data_offset = 8 + 2 + 12 * (len(tags) + 3) + 4
    tags += [(273, 4, data_offset), (278, 4, height), (279, 4, len(encoded))]
    directory = struct.pack("<H", len(tags))
    directory += b"".join(struct.pack("<HHII", tag, kind, 1, value) for tag, kind, value in tags)
    tiff = b"II*\0" + struct.pack("<I", 8) + directory + b"\0\0\0\0" + encoded
    codes = zxingcpp.read_barcodes(Image.open(io.BytesIO(tiff)))
    assert len(codes) == 1
    return codes[0].text


# --- Sealing identity -------------------------------------------------------------------------


def test_demo_identity_is_a_self_signed_p256_seal_certificate(fixed_clock: Any) -> None:
    identity = create_sealing_identity(
        organisation="DUO", common_name="DUO waarmerk", clock=fixed_clock, valid_days=30
    )
    certificate = identity.certificate
    organisation = certificate.subject.get_attributes_for_oid(NameOID.ORGANIZATION_NAME)
    assert organisation[0].value == "DUO (demo)"
    assert certificate.issuer == certificate.subject
    assert certificate.not_valid_before_utc == fixed_clock()
    assert certificate.not_valid_after_utc == fixed_clock() + timedelta(days=30)
    usage = certificate.extensions.get_extension_for_class(x509.KeyUsage).value
    assert usage.digital_signature
    assert usage.content_commitment
    assert not usage.key_cert_sign
    assert isinstance(identity.private_key.curve, ec.SECP256R1)


def test_identity_round_trips_through_encrypted_pem(identity: SealingIdentity) -> None:
    stored = identity.to_pem(b"correct horse")
    assert b"ENCRYPTED PRIVATE KEY" in stored
    loaded = SealingIdentity.from_pem(stored, passphrase=b"correct horse")
    assert loaded.certificate == identity.certificate
    assert loaded.private_key.private_numbers() == identity.private_key.private_numbers()
    plain = SealingIdentity.from_pem(identity.to_pem(None), passphrase=None)
    assert plain.certificate == identity.certificate
    with pytest.raises(ValueError, match=r"(?i)password|passphrase|decrypt"):
        SealingIdentity.from_pem(stored, passphrase=b"wrong")
    with pytest.raises(ValueError, match="passphrase"):
        SealingIdentity.from_pem(stored, passphrase=None)


def test_identity_refuses_a_foreign_or_non_p256_key(identity: SealingIdentity) -> None:
    with pytest.raises(ValueError, match="does not belong"):
        SealingIdentity(identity.certificate, ec.generate_private_key(ec.SECP256R1()))
    with pytest.raises(ValueError, match="P-256"):
        create_sealing_identity(
            organisation="RDW", common_name="RDW", key=ec.generate_private_key(ec.SECP384R1())
        )


# --- The document -----------------------------------------------------------------------------


def test_sealed_pdf_verifies_with_the_trusted_certificate(
    sealed: bytes, credential: JsonObject, identity: SealingIdentity
) -> None:
    report = verify_certified_pdf(sealed, trusted_certificates=[identity.certificate])
    assert report.problems == ()
    assert report.ok
    assert report.seal_intact
    assert report.signer_trusted
    assert report.signer_subject == "CN=Belastingdienst waarmerk,O=Belastingdienst (demo),C=NL"
    assert report.credential == credential
    assert report.credential_sha256 == hashlib.sha256(_compact(credential)).hexdigest()


def test_seal_is_a_pades_certification_signature_with_the_certificate_embedded(
    sealed: bytes, identity: SealingIdentity
) -> None:
    (seal,) = PdfFileReader(io.BytesIO(sealed)).embedded_signatures
    assert seal.field_name == SEAL_FIELD_NAME
    assert seal.sig_object["/SubFilter"] == "/ETSI.CAdES.detached"
    assert seal.docmdp_level is not None
    assert seal.docmdp_level.name == "NO_CHANGES"
    der = identity.certificate.public_bytes(serialization.Encoding.DER)
    assert seal.signer_cert.dump() == der


def test_credential_json_is_an_associated_attachment(sealed: bytes, credential: JsonObject) -> None:
    root = PdfFileReader(io.BytesIO(sealed)).root
    name, spec = list(root["/Names"]["/EmbeddedFiles"]["/Names"])
    assert str(name) == CREDENTIAL_FILE_NAME
    spec = spec.get_object()
    assert spec["/AFRelationship"] == "/Data"
    assert [entry.get_object()["/F"] for entry in root["/AF"]] == [CREDENTIAL_FILE_NAME]
    stream = spec["/EF"]["/F"]
    assert stream["/Subtype"] == "/application/json"
    assert json.loads(stream.data) == credential


def test_qr_code_refers_to_a_credential_too_large_for_one_qr_code(
    sealed: bytes, credential: JsonObject
) -> None:
    assert len(_compact(credential)) > 2331  # a base proof with a status entry
    reference = json.loads(_page_qr_text(sealed))
    assert reference == {
        "id": credential["id"],
        "sha256": hashlib.sha256(_compact(credential)).hexdigest(),
    }


def test_qr_code_holds_the_whole_credential_when_it_fits(identity: SealingIdentity) -> None:
    issuer_key = KeyPair.generate("P-256")
    small = _income_credential(issuer_key, KeyPair.generate("P-256"))
    del small["credentialStatus"]
    small = sign(small, issuer_key, cryptosuite="ecdsa-rdfc-2019")
    data = certified_pdf(
        small,
        source_name="belastingdienst",
        source_display_name="Belastingdienst",
        identity=identity,
    )
    text = _page_qr_text(data)
    assert text.encode() == _compact(small)
    assert json.loads(text) == small
    assert verify_certified_pdf(data, trusted_certificates=[identity.certificate]).ok


def test_clock_sets_the_creation_date(credential: JsonObject, identity: SealingIdentity) -> None:
    moment = datetime(2026, 3, 4, 5, 6, 7, tzinfo=UTC)
    data = certified_pdf(
        credential,
        source_name="belastingdienst",
        source_display_name="Belastingdienst",
        identity=identity,
        clock=lambda: moment,
        title="Afschrift voor de verhuurder",
    )
    assert re.search(rb"/CreationDate \(D:20260304050607", data)
    assert b"/Title (Afschrift voor de verhuurder)" in data


def test_claims_become_dutch_rows() -> None:
    subject = {
        "id": "did:example:holder",
        "type": "Ingezetene",
        "geboortedatum": "1985-03-21",
        "adres": {"type": "Adres", "straat": "Oudegracht", "huisnummer": 231},
        "verzamelinkomen": {"type": "MonetaryAmount", "value": "1234567.5", "currency": "EUR"},
        "onderSocialeHuurgrens": True,
        "crohoCode": "034",
    }
    rows = pdf_module._subject_rows({"credentialSubject": subject})
    assert rows == [
        ("Houder (DID)", "did:example:holder"),
        ("Geboortedatum", "21 maart 1985"),
        ("Adres · Straat", "Oudegracht"),
        ("Adres · Huisnummer", "231"),
        ("Verzamelinkomen", "€ 1.234.567,50"),
        ("Onder de sociale huurgrens", "ja"),
        ("CROHO-code", "034"),
    ]


def test_without_a_unicode_font_text_is_reduced_to_windows_1252(
    monkeypatch: pytest.MonkeyPatch, credential: JsonObject, identity: SealingIdentity
) -> None:
    face = pdf_module._Typeface("Helvetica", unicode=False)
    assert face.text("Şule Çelik – 日本 € é") == "Sule Çelik – ?? € é"
    monkeypatch.setattr(pdf_module, "_UNICODE_FONT_DIRS", ())
    named = json.loads(json.dumps(credential))
    named["credentialSubject"]["inkomensklasse"] = "Ğüneş 日本"
    data = certified_pdf(
        named, source_name="brp", source_display_name="Gemeente Utrecht", identity=identity
    )
    assert b"/BaseFont /Helvetica" in data
    assert verify_certified_pdf(data, trusted_certificates=[identity.certificate]).ok


# --- Callers with a running event loop --------------------------------------------------------


def test_sync_functions_work_where_an_event_loop_already_runs(
    sealed: bytes, credential: JsonObject, identity: SealingIdentity
) -> None:
    """A notebook or ``async def`` code calls the sync API while its thread runs a loop."""
    other = create_sealing_identity(organisation="RDW", common_name="RDW waarmerk")

    async def in_a_running_loop() -> tuple[bytes, list[pdf_module.CertifiedPdfReport]]:
        made = certified_pdf(
            credential,
            source_name="belastingdienst",
            source_display_name="Belastingdienst",
            identity=identity,
        )
        reports = [
            verify_certified_pdf(made, trusted_certificates=[identity.certificate]),
            verify_certified_pdf(sealed, trusted_certificates=[identity.certificate]),
            verify_certified_pdf(sealed, trusted_certificates=[other.certificate]),
        ]
        return made, reports

    made, (own, earlier, untrusted) = asyncio.run(in_a_running_loop())
    assert own.problems == ()
    assert own.credential == credential
    assert earlier.ok
    assert untrusted.seal_intact
    assert _codes(untrusted) == {"SIGNER_UNTRUSTED"}
    # The PDF sealed inside the loop verifies in plain sync code too.
    assert verify_certified_pdf(made, trusted_certificates=[identity.certificate]).ok


# --- Verification of hostile and tampered input -----------------------------------------------


def _flip_page_content_byte(data: bytes) -> bytes:
    page = PdfFileReader(io.BytesIO(data)).root["/Pages"]["/Kids"][0]
    reference = page.raw_get("/Contents")
    start = data.index(f"\n{reference.idnum} 0 obj".encode())
    stream_at = data.index(b"stream\n", start) + len(b"stream\n")
    tampered = bytearray(data)
    tampered[stream_at + 20] ^= 0x01
    return bytes(tampered)


def test_one_changed_byte_in_the_page_content_breaks_the_seal(
    sealed: bytes, identity: SealingIdentity
) -> None:
    report = verify_certified_pdf(
        _flip_page_content_byte(sealed), trusted_certificates=[identity.certificate]
    )
    assert not report.seal_intact
    assert "SEAL_BROKEN" in _codes(report)
    assert report.credential is None
    assert not report.ok


def _replace_credential(data: bytes, forged: bytes) -> bytes:
    writer = IncrementalPdfFileWriter(io.BytesIO(data))
    names = writer.root["/Names"]["/EmbeddedFiles"]["/Names"]
    spec_ref = names.raw_get(1)
    spec = spec_ref.get_object()
    stream = generic.StreamObject(
        {generic.NameObject("/Type"): generic.NameObject("/EmbeddedFile")}, stream_data=forged
    )
    spec["/EF"] = generic.DictionaryObject({generic.NameObject("/F"): writer.add_object(stream)})
    writer.mark_update(spec_ref)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_incremental_update_that_replaces_the_credential_is_reported(
    sealed: bytes, credential: JsonObject, identity: SealingIdentity
) -> None:
    forged = json.loads(json.dumps(credential))
    forged["credentialSubject"]["verzamelinkomen"]["value"] = "21250.00"
    tampered = _replace_credential(sealed, _compact(forged))
    assert json.loads(_embedded_latest(tampered)) == forged  # the update took effect
    report = verify_certified_pdf(tampered, trusted_certificates=[identity.certificate])
    assert not report.seal_intact
    assert [p.code for p in report.problems] == ["DOCUMENT_MODIFIED", "DOCUMENT_MODIFIED"]
    assert "credential.json was replaced" in report.problems[1].detail
    assert report.credential is None


def _embedded_latest(data: bytes) -> bytes:
    root = PdfFileReader(io.BytesIO(data)).root
    return bytes(root["/Names"]["/EmbeddedFiles"]["/Names"][1]["/EF"]["/F"].data)


def test_untrusted_signer_keeps_the_seal_intact(
    sealed: bytes, credential: JsonObject, identity: SealingIdentity
) -> None:
    other = create_sealing_identity(organisation="Belastingdienst", common_name="Nep")
    for trusted in ([], [other.certificate]):
        report = verify_certified_pdf(sealed, trusted_certificates=trusted)
        assert report.seal_intact
        assert not report.signer_trusted
        assert _codes(report) == {"SIGNER_UNTRUSTED"}
        assert report.credential == credential


def test_expired_certificate_is_not_trusted(sealed: bytes, identity: SealingIdentity) -> None:
    later = identity.certificate.not_valid_after_utc + timedelta(days=1)
    report = verify_certified_pdf(
        sealed, trusted_certificates=[identity.certificate], clock=lambda: later
    )
    assert report.seal_intact
    assert _codes(report) == {"SIGNER_UNTRUSTED"}


def test_sealed_non_credential_is_a_parsing_problem(identity: SealingIdentity) -> None:
    data = certified_pdf(
        {"naam": "geen credential"},
        source_name="rdw",
        source_display_name="RDW",
        identity=identity,
    )
    report = verify_certified_pdf(data, trusted_certificates=[identity.certificate])
    assert report.seal_intact
    assert report.signer_trusted
    assert _codes(report) == {"PARSING_ERROR"}
    assert report.credential is None
    assert (
        report.credential_sha256
        == hashlib.sha256(_compact({"naam": "geen credential"})).hexdigest()
    )


def test_pdf_without_a_seal_is_reported() -> None:
    document = FPDF()
    document.add_page()
    report = verify_certified_pdf(bytes(document.output()))
    assert _codes(report) == {"SEAL_MISSING"}
    assert not report.seal_intact
    assert report.credential is None


@pytest.mark.parametrize(
    "mangle",
    [
        lambda data: data[: len(data) // 2],
        lambda data: data[:200],
        lambda data: b"%PDF-1.7\n" + b"\xff" * 4000,
        lambda data: data.replace(b"startxref", b"startxrof"),
        lambda data: data + b"\nrubbish after the end\n",
    ],
    ids=["half", "200-bytes", "header-then-noise", "broken-startxref", "appended-rubbish"],
)
def test_damaged_pdf_is_a_report_not_an_exception(
    mangle: Any, sealed: bytes, identity: SealingIdentity
) -> None:
    report = verify_certified_pdf(mangle(sealed), trusted_certificates=[identity.certificate])
    assert not report.ok
    assert not report.seal_intact or _codes(report) >= {"DOCUMENT_MODIFIED"}
    assert report.credential is None
    assert _codes(report) <= {
        "PDF_UNREADABLE",
        "SEAL_MISSING",
        "SEAL_BROKEN",
        "DOCUMENT_MODIFIED",
        "SIGNER_UNTRUSTED",
        "CREDENTIAL_MISSING",
    }


@pytest.mark.parametrize(
    "data",
    [b"", b"hello", b'{"@context": []}', b"\x89PNG\r\n\x1a\n"],
    ids=["empty", "text", "json", "png"],
)
def test_not_a_pdf_is_a_typed_error(data: bytes) -> None:
    with pytest.raises(PdfVerificationError) as caught:
        verify_certified_pdf(data)
    assert caught.value.code == "PDF_VERIFICATION_ERROR"
