"""vc_issuer.pdf: real sealed PDFs (fpdf2 + pyHanko), read back, and checked by a second validator.

Checking the seals, tampering and hostile input: tests/verifier/test_certified_pdf.py.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
import shutil
import struct
import subprocess
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import zxingcpp
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from PIL import Image
from pyhanko.pdf_utils.reader import PdfFileReader

from tests.certified import checker
from tests.issuer.support import DEMO_BSN
from vc_core import KeyPair, did_key, sign
from vc_core.certified_copy import parse_manifest
from vc_core.did import DID_CONTEXT, MULTIKEY_CONTEXT
from vc_core.loader import CREDENTIALS_V2_URL, NL_VC_V1_URL
from vc_core.types import JsonObject
from vc_issuer import Issuer, IssuerSettings
from vc_issuer import pdf as pdf_module
from vc_issuer.pdf import SealingIdentity, certified_pdf, create_sealing_identity
from vc_verifier import Verifier
from vc_verifier.trust import ANY_TYPE

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
        organisation="Belastingdienst", common_name="Belastingdienst waarmerk", did=ISSUER
    )


@pytest.fixture(scope="module")
def issuer_key() -> KeyPair:
    return KeyPair.generate("P-256")


@pytest.fixture(scope="module")
def did_document(issuer_key: KeyPair) -> JsonObject:
    method = {
        "id": f"{ISSUER}#key-1",
        "type": "Multikey",
        "controller": ISSUER,
        "publicKeyMultibase": issuer_key.public.multibase,
    }
    return {
        "@context": [DID_CONTEXT, MULTIKEY_CONTEXT],
        "id": ISSUER,
        "verificationMethod": [method],
        "assertionMethod": [method["id"]],
    }


@pytest.fixture(scope="module")
def credential(issuer_key: KeyPair) -> JsonObject:
    unsigned = _income_credential(issuer_key, KeyPair.generate("P-256"))
    return sign(
        unsigned, issuer_key, cryptosuite="ecdsa-rdfc-2019", verification_method=f"{ISSUER}#key-1"
    )


@pytest.fixture(scope="module")
def sealed(credential: JsonObject, identity: SealingIdentity, did_document: JsonObject) -> bytes:
    return certified_pdf(
        credential,
        source_name="belastingdienst",
        source_display_name="Belastingdienst",
        identity=identity,
        did_document=did_document,
    )


@pytest.fixture(scope="module")
def issuer() -> Issuer:
    return Issuer.from_settings(IssuerSettings.demo(demo_people=20))


@pytest.fixture(scope="module")
def aggregated(issuer: Issuer) -> bytes:
    return issuer.aggregated_pdf(DEMO_BSN, issuer.basis_set(DEMO_BSN))


def _checker(identity: SealingIdentity) -> Verifier:
    return Verifier(
        client_id="redirect_uri:http://localhost/tests",
        signing_key=KeyPair.generate("P-256"),
        trusted_issuers={ISSUER: [ANY_TYPE]},
        trusted_seals={ISSUER: [identity.certificate]},
    )


def _compact(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=True, separators=(",", ":")).encode()


def _qr_texts(data: bytes) -> list[str]:
    """Decode every image: fpdf2 stores the QR codes as CCITT G4; wrap each in a TIFF."""
    pages = PdfFileReader(io.BytesIO(data)).root["/Pages"]["/Kids"]
    texts: list[str] = []
    for page in (page.get_object() for page in pages):
        xobjects = page["/Resources"].get("/XObject", {})
        for name in xobjects:
            texts.append(_decode(xobjects[name]))
    return texts


def _decode(image: Any) -> str:
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
    # Only QR codes count, as in wallet_sdk.qr_image: zxing may also report a spurious code of
    # another format inside a large QR image.
    codes = zxingcpp.read_barcodes(
        Image.open(io.BytesIO(tiff)), formats=zxingcpp.BarcodeFormat.QRCode
    )
    texts = [code.text for code in codes if code.valid]
    assert len(texts) == 1, texts
    return str(texts[0])


def _attachments(data: bytes) -> dict[str, Any]:
    root = PdfFileReader(io.BytesIO(data)).root
    names = list(root["/Names"]["/EmbeddedFiles"]["/Names"])
    return {str(names[i]): names[i + 1].get_object() for i in range(0, len(names), 2)}


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


def test_demo_identity_names_its_did(identity: SealingIdentity) -> None:
    names = identity.certificate.extensions.get_extension_for_class(x509.SubjectAlternativeName)
    assert names.value.get_values_for_type(x509.UniformResourceIdentifier) == [ISSUER]
    assert identity.self_signed


# --- The Basis document -----------------------------------------------------------------------


def test_basis_pdf_checks_out_with_the_trusted_certificate(
    sealed: bytes, identity: SealingIdentity, credential: JsonObject
) -> None:
    report = _checker(identity).check_certified_pdf(sealed)
    assert report.valid, report.to_json()
    (source,) = report.sources
    assert source.seal.signer == "CN=Belastingdienst waarmerk,O=Belastingdienst (demo),C=NL"
    assert source.credential.unverified_id == credential["id"]


def test_basis_seal_is_a_pades_certification_signature_with_the_certificate_embedded(
    sealed: bytes, identity: SealingIdentity
) -> None:
    (seal,) = PdfFileReader(io.BytesIO(sealed)).embedded_signatures
    assert seal.field_name == "Waarmerk-belastingdienst"
    assert seal.sig_object["/SubFilter"] == "/ETSI.CAdES.detached"
    assert seal.docmdp_level is not None
    assert seal.docmdp_level.name == "NO_CHANGES"
    der = identity.certificate.public_bytes(serialization.Encoding.DER)
    assert seal.signer_cert.dump() == der


def test_the_credential_did_document_and_manifest_are_associated_files(
    sealed: bytes, credential: JsonObject, did_document: JsonObject
) -> None:
    root = PdfFileReader(io.BytesIO(sealed)).root
    files = _attachments(sealed)
    assert list(files) == [
        "belastingdienst-credential.json",
        "belastingdienst-did.json",
        "manifest.json",
    ]
    assert [entry.get_object()["/F"] for entry in root["/AF"]] == list(files)
    assert [str(spec["/AFRelationship"]) for spec in files.values()] == [
        "/Data",
        "/Supplement",
        "/Supplement",
    ]
    stream = files["belastingdienst-credential.json"]["/EF"]["/F"]
    assert stream["/Subtype"] == "/application/json"
    assert stream.data == _compact(credential)
    assert json.loads(files["belastingdienst-did.json"]["/EF"]["/F"].data) == did_document
    manifest = parse_manifest(files["manifest.json"]["/EF"]["/F"].data)
    (section,) = manifest.sections
    assert manifest.cover is None
    assert section.issuer == ISSUER
    assert section.credential_sha256 == hashlib.sha256(_compact(credential)).hexdigest()
    assert section.pages[0] == 1


def test_qr_code_holds_the_whole_credential_when_it_fits(
    sealed: bytes, credential: JsonObject
) -> None:
    (text,) = _qr_texts(sealed)
    assert text.encode() == _compact(credential)


def test_qr_code_refers_to_a_credential_too_large_for_one_qr_code(
    identity: SealingIdentity, did_document: JsonObject, issuer_key: KeyPair
) -> None:
    large = _income_credential(issuer_key, KeyPair.generate("P-256"))
    large["credentialSubject"]["toelichting"] = ["een lange regel tekst " * 8] * 16
    data = certified_pdf(
        large,
        source_name="belastingdienst",
        source_display_name="Belastingdienst",
        identity=identity,
        did_document=did_document,
    )
    assert len(_compact(large)) > 2331
    (text,) = _qr_texts(data)
    assert json.loads(text) == {
        "id": large["id"],
        "sha256": hashlib.sha256(_compact(large)).hexdigest(),
    }


def test_clock_sets_the_creation_date_and_the_title(
    credential: JsonObject, identity: SealingIdentity, did_document: JsonObject
) -> None:
    moment = datetime(2026, 3, 4, 5, 6, 7, tzinfo=UTC)
    data = certified_pdf(
        credential,
        source_name="belastingdienst",
        source_display_name="Belastingdienst",
        identity=identity,
        did_document=did_document,
        clock=lambda: moment,
        title="Afschrift voor de verhuurder",
    )
    assert re.search(rb"/CreationDate \(D:20260304050607", data)
    assert b"/Title (Afschrift voor de verhuurder)" in data
    assert b"/DisplayDocTitle true" in data


def test_the_pdf_is_tagged_with_a_language_and_a_reading_order(sealed: bytes) -> None:
    root = PdfFileReader(io.BytesIO(sealed)).root
    assert root["/Lang"] == "nl"
    assert bool(root["/MarkInfo"]["/Marked"])
    (document,) = root["/StructTreeRoot"]["/K"]
    kinds = [str(kid.get_object()["/S"]) for kid in document.get_object()["/K"]]
    assert kinds[:4] == ["/H1", "/H2", "/P", "/H3"]  # name, title, date, table heading
    assert kinds[-2:] == ["/P", "/Figure"]  # the QR code's caption, then the QR code
    figure = document.get_object()["/K"][-1].get_object()
    assert "QR-code" in str(figure["/Alt"])


def test_without_a_unicode_font_the_text_is_reduced_and_still_checks_out(
    monkeypatch: pytest.MonkeyPatch,
    credential: JsonObject,
    identity: SealingIdentity,
    did_document: JsonObject,
    issuer_key: KeyPair,
) -> None:
    face = pdf_module._Typeface("Helvetica", unicode=False)
    assert face.text("Şule Çelik – 日本 € é") == "Sule Çelik – ?? € é"
    monkeypatch.setattr(pdf_module, "_UNICODE_FONT_DIRS", ())
    named = json.loads(json.dumps(credential))
    del named["proof"]
    named["credentialSubject"]["inkomensklasse"] = "Ğüneş 日本"
    named = sign(
        named, issuer_key, cryptosuite="ecdsa-rdfc-2019", verification_method=f"{ISSUER}#key-1"
    )
    data = certified_pdf(
        named,
        source_name="belastingdienst",
        source_display_name="Belastingdienst",
        identity=identity,
        did_document=did_document,
    )
    assert b"/BaseFont /Helvetica" in data
    assert _checker(identity).check_certified_pdf(data).valid


# --- The aggregated document (Basis 2.0) ------------------------------------------------------


def test_aggregated_pdf_has_a_cover_and_a_section_and_seal_per_source(
    aggregated: bytes, issuer: Issuer
) -> None:
    reader = PdfFileReader(io.BytesIO(aggregated))
    seals = reader.embedded_signatures
    assert [s.field_name for s in seals] == [f"Waarmerk-{s}" for s in issuer.sources]
    assert [s.signed_revision for s in seals] == [1, 2, 3, 4]
    assert all(s.docmdp_level is None for s in seals)  # approval signatures: none certifies
    for seal, source in zip(seals, issuer.sources, strict=True):
        certificate = issuer.sealing_identity(source).certificate
        assert seal.signer_cert.dump() == certificate.public_bytes(serialization.Encoding.DER)
    manifest = parse_manifest(_attachments(aggregated)["manifest.json"]["/EF"]["/F"].data)
    assert manifest.cover is not None
    assert manifest.cover.made_for == "Anna Maria de Vries"
    assert [s.source for s in manifest.sections] == list(issuer.sources)
    assert manifest.cover.pages == (1, 1)
    assert manifest.sections[-1].pages[1] == len(reader.root["/Pages"]["/Kids"])


def test_the_cover_qr_code_lists_the_embedded_credentials(aggregated: bytes) -> None:
    texts = _qr_texts(aggregated)
    cover = json.loads(texts[0])
    files = _attachments(aggregated)
    assert cover["inhoud"] == "manifest.json"
    assert [f["bestand"] for f in cover["verklaringen"]] == [
        f"{s}-credential.json" for s in ("brp", "belastingdienst", "duo", "rdw")
    ]
    for listed in cover["verklaringen"]:
        content = files[listed["bestand"]]["/EF"]["/F"].data
        assert hashlib.sha256(content).hexdigest() == listed["sha256"]
    assert len(texts) == 5  # the cover's and one per section


def test_aggregated_pdf_checks_out(aggregated: bytes, issuer: Issuer) -> None:
    assert checker(issuer).check_certified_pdf(aggregated).valid


# --- A second, independent validator ----------------------------------------------------------


def _pdfsig(path: Path) -> str:
    program = shutil.which("pdfsig")
    if program is None:
        pytest.fail("pdfsig is missing (apt-get install poppler-utils; make test installs it)")
    answer = subprocess.run(
        [program, "-nocert", str(path)], capture_output=True, text=True, timeout=60, check=False
    )
    assert answer.returncode == 0, answer.stderr
    return answer.stdout


def test_poppler_pdfsig_lists_every_seal_of_the_aggregated_pdf_as_valid(
    aggregated: bytes, tmp_path: Path
) -> None:
    """poppler's pdfsig, not pyHanko, checks each seal's bytes and signature."""
    path = tmp_path / "overzicht.pdf"
    path.write_bytes(aggregated)
    shown = _pdfsig(path)
    fields = re.findall(r"Signature Field Name: (\S+)", shown)
    assert fields == [f"Waarmerk-{s}" for s in ("brp", "belastingdienst", "duo", "rdw")]
    assert shown.count("Signature Validation: Signature is Valid.") == 4
    assert shown.count("Signature Type: ETSI.CAdES.detached") == 4
    # The earlier seals cover their own revision, the last one the whole file.
    assert shown.count("Not total document signed") == 3
    assert shown.count("- Total document signed") == 1


def test_poppler_pdfinfo_sees_a_tagged_pdf_with_its_title(
    aggregated: bytes, tmp_path: Path
) -> None:
    program = shutil.which("pdfinfo")
    if program is None:
        pytest.fail("pdfinfo is missing (apt-get install poppler-utils; make test installs it)")
    path = tmp_path / "overzicht.pdf"
    path.write_bytes(aggregated)
    shown = subprocess.run(
        [program, str(path)], capture_output=True, text=True, timeout=60, check=True
    ).stdout
    assert re.search(r"^Tagged:\s+yes$", shown, re.MULTILINE)
    assert re.search(r"^Title:\s+Gewaarmerkt overzicht van uw gegevens$", shown, re.MULTILINE)
    assert re.search(r"^Pages:\s+9$", shown, re.MULTILINE)


def test_poppler_pdfsig_sees_a_changed_byte_in_the_basis_pdf(sealed: bytes, tmp_path: Path) -> None:
    path = tmp_path / "afschrift.pdf"
    path.write_bytes(sealed)
    assert "Signature is Valid." in _pdfsig(path)
    page = PdfFileReader(io.BytesIO(sealed)).root["/Pages"]["/Kids"][0].get_object()
    number = page.raw_get("/Contents").idnum
    at = sealed.index(b"stream", sealed.index(f"\n{number} 0 obj".encode())) + 30
    tampered = bytearray(sealed)
    tampered[at] ^= 0x01
    path.write_bytes(bytes(tampered))
    assert "Signature is Invalid." in _pdfsig(path) or "Digest Mismatch" in _pdfsig(path)
