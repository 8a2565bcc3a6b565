"""Certified PDF copies ("gewaarmerkt afschrift") of a credential, sealed with PAdES.

The only module of ``vc_issuer`` that imports fpdf2 and pyHanko. A source
hands a signed credential to :func:`certified_pdf` and gets an A4 PDF that

- shows the claims in Dutch in a two-column table, with the credential's id,
  issuer DID and validity;
- carries the credential as the attached file ``credential.json`` (compact
  JSON, ASCII only; an associated file of the document);
- shows a QR code (level M) holding that same ``credential.json`` text when it
  fits in one QR code (at most 2331 bytes, QR version 40), and otherwise the
  small JSON object ``{"id": <credential id>, "sha256": <hex SHA-256 of
  credential.json>}``; a base-proof ecdsa-sd-2023 credential with a status
  entry usually exceeds that limit;
- is sealed with the source's certificate: a PAdES baseline B-B certification
  signature (field ``Waarmerk``, SubFilter ``ETSI.CAdES.detached``, DocMDP "no
  changes", signer certificate embedded) made with pyHanko.

:func:`verify_certified_pdf` checks such a file offline and returns a
:class:`CertifiedPdfReport`. Its ``problems`` carry these codes:

=============================  ==================================================
``PDF_UNREADABLE``             the file is too large or pyHanko cannot parse it
``SEAL_MISSING``               no signature field ``Waarmerk``
``SEAL_BROKEN``                the sealed bytes or the seal's signature do not verify
``DOCUMENT_MODIFIED``          bytes were added after sealing (an incremental update)
``SIGNER_UNTRUSTED``           the sealing certificate is not one of the trusted ones
                               (or is expired or otherwise invalid)
``CREDENTIAL_MISSING``         no single readable ``credential.json`` JSON object
``PARSING_ERROR``              ``credential.json`` is not a VCDM 2.0 credential
=============================  ==================================================

The embedded credential carries its issuer's ecdsa-sd-2023 *base* proof, which
only the holder may verify; the seal is what protects it inside the PDF, so the
report gives its parsed JSON and SHA-256 and checks its shape, not its proof.

Both functions are synchronous and also work in a thread that runs an asyncio
event loop (a notebook, ``async def`` code): pyHanko's coroutines then run on a
loop of their own in a short-lived worker thread while the caller waits.

Sealing certificates from :func:`create_sealing_identity` are self-signed demo
certificates ("(demo)" in the organisation name); production seals need a
certificate from a qualified trust service, loaded with
:meth:`SealingIdentity.from_pem`.
"""

from __future__ import annotations

import asyncio
import hashlib
import io
import json
import logging
import re
import unicodedata
import warnings
from collections.abc import Coroutine, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import aclosing
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, TypeVar

from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.utils import CryptographyDeprecationWarning
from cryptography.x509.oid import NameOID
from fpdf import FPDF

from vc_core.errors import ParsingError, Problem
from vc_core.types import Clock, JsonObject
from vc_core.vcdm import check_credential_shape
from vc_issuer.display import claim_label
from vc_issuer.errors import PdfVerificationError
from vc_issuer.qr import qr_fits, qr_png

# Implementation note: pyHanko imports cryptography's DSA key classes (for DSA signatures,
# which we never make or accept) and cryptography warns about DSA on every such import. That
# one warning, attributed to pyHanko's modules, is silenced while pyHanko loads; every other
# warning, ours included, stays visible.
with warnings.catch_warnings():
    warnings.filterwarnings(
        "ignore", category=CryptographyDeprecationWarning, module=r"pyhanko(_certvalidator)?\."
    )
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign import signers
    from pyhanko.sign.fields import MDPPerm, SigSeedSubFilter
    from pyhanko.sign.validation import EmbeddedPdfSignature, async_validate_pdf_signature
    from pyhanko.sign.validation.status import PdfSignatureStatus, SignatureCoverageLevel
    from pyhanko_certvalidator import ValidationContext
    from pyhanko_certvalidator.registry import SimpleCertificateStore

__all__ = [
    "CREDENTIAL_FILE_NAME",
    "MAX_PDF_BYTES",
    "SEAL_FIELD_NAME",
    "CertifiedPdfReport",
    "SealingIdentity",
    "certified_pdf",
    "create_sealing_identity",
    "verify_certified_pdf",
]

SEAL_FIELD_NAME = "Waarmerk"
CREDENTIAL_FILE_NAME = "credential.json"
MAX_PDF_BYTES = 10 * 1024 * 1024
"""Larger files are not parsed (a certified copy is well under 1 MiB)."""

# Implementation note: pyHanko logs path-building failures (an untrusted seal) with a
# traceback; without this handler Python's last-resort handler prints them on stderr.
logging.getLogger("pyhanko").addHandler(logging.NullHandler())

_UNICODE_FONT_DIRS = (
    Path("/usr/share/fonts/truetype/dejavu"),  # Debian, Ubuntu
    Path("/usr/share/fonts/dejavu"),  # Fedora
    Path("/usr/share/fonts/TTF"),  # Arch
)
_MONTHS = (
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
)
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_DATE_TIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})")


_T = TypeVar("_T")


def _utc_now() -> datetime:
    return datetime.now(UTC)


def _run(coroutine: Coroutine[Any, Any, _T]) -> _T:
    """Run a pyHanko coroutine to its end from sync code, with or without a running loop."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coroutine)
    # Implementation note: asyncio.run refuses to start where a loop already runs (a Jupyter
    # kernel, async code), so the coroutine gets a loop of its own in a short-lived thread;
    # the caller's thread blocks meanwhile, as any sync call would.
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="vc-issuer-pdf") as worker:
        return worker.submit(asyncio.run, coroutine).result()


# --- Sealing identity -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SealingIdentity:
    """A source's sealing certificate and its P-256 private key."""

    certificate: x509.Certificate
    private_key: ec.EllipticCurvePrivateKey

    def __post_init__(self) -> None:
        if not isinstance(self.certificate, x509.Certificate):
            raise TypeError("certificate must be a cryptography x509.Certificate")
        if not isinstance(self.private_key, ec.EllipticCurvePrivateKey):
            raise TypeError("private_key must be an EC private key")
        if not isinstance(self.private_key.curve, ec.SECP256R1):
            raise ValueError("the sealing key must be a P-256 key")
        if self.certificate.public_key() != self.private_key.public_key():
            raise ValueError("the certificate does not belong to the private key")

    @property
    def certificate_pem(self) -> bytes:
        """The certificate in PEM form, for publishing next to the DID documents."""
        return self.certificate.public_bytes(serialization.Encoding.PEM)

    def to_pem(self, passphrase: bytes | None) -> bytes:
        """Serialise as the certificate PEM followed by the PKCS #8 key PEM.

        With a ``passphrase`` the key is encrypted (PKCS #8 with the best
        available algorithm); ``None`` leaves it in clear text for a caller
        that encrypts the whole value itself.
        """
        encryption: serialization.KeySerializationEncryption = (
            serialization.NoEncryption()
            if passphrase is None
            else serialization.BestAvailableEncryption(passphrase)
        )
        key_pem = self.private_key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, encryption
        )
        return self.certificate_pem + key_pem

    @classmethod
    def from_pem(cls, data: bytes, *, passphrase: bytes | None) -> SealingIdentity:
        """Load what :meth:`to_pem` wrote; ``ValueError`` for a wrong passphrase or bad PEM."""
        certificate = x509.load_pem_x509_certificate(data)
        try:
            key = serialization.load_pem_private_key(data, password=passphrase)
        except TypeError as exc:
            raise ValueError("the passphrase does not match the key's encryption") from exc
        if not isinstance(key, ec.EllipticCurvePrivateKey):
            raise ValueError("the sealing key must be an EC private key")
        return cls(certificate, key)


def create_sealing_identity(
    *,
    organisation: str,
    common_name: str,
    key: ec.EllipticCurvePrivateKey | None = None,
    clock: Clock = _utc_now,
    valid_days: int = 1095,
    serial_number: int | None = None,
) -> SealingIdentity:
    """Make a self-signed demo sealing certificate for a source.

    The subject is ``C=NL, O=<organisation> (demo), CN=<common_name>``; the
    certificate is valid from the clock's time for ``valid_days`` and allows
    digital signatures and non-repudiation (the key usages of a seal). A new
    P-256 key is generated unless ``key`` is given; ``serial_number`` defaults
    to a random one.
    """
    if not organisation or not common_name:
        raise ValueError("organisation and common_name must not be empty")
    if valid_days < 1:
        raise ValueError("valid_days must be at least 1")
    private_key = key if key is not None else ec.generate_private_key(ec.SECP256R1())
    now = clock()
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "NL"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, f"{organisation} (demo)"),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )
    public_key = private_key.public_key()
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(public_key)
        .serial_number(serial_number or x509.random_serial_number())
        .not_valid_before(now)
        .not_valid_after(now + timedelta(days=valid_days))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public_key), critical=False)
        .sign(private_key, hashes.SHA256())
    )
    return SealingIdentity(certificate, private_key)


# --- Rendering --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Typeface:
    """The font family in use; core fonts get text reduced to Windows-1252."""

    family: str
    unicode: bool

    def text(self, value: str) -> str:
        if self.unicode:
            return value
        return "".join(_windows_1252(char) for char in value)


def _windows_1252(char: str) -> str:
    """``char`` if the core fonts have it, else its base letter (Ş -> S), else ``?``."""
    for candidate in (char, unicodedata.normalize("NFKD", char)[:1]):
        try:
            candidate.encode("cp1252")
        except UnicodeEncodeError:
            continue
        return candidate
    return "?"


def _typeface(pdf: FPDF) -> _Typeface:
    """Register DejaVu Sans when the system has it, else fall back to Helvetica."""
    for folder in _UNICODE_FONT_DIRS:
        regular, bold = folder / "DejaVuSans.ttf", folder / "DejaVuSans-Bold.ttf"
        if regular.is_file() and bold.is_file():
            pdf.add_font("DejaVuSans", "", str(regular))
            pdf.add_font("DejaVuSans", "B", str(bold))
            return _Typeface("DejaVuSans", unicode=True)
    # Implementation note: the PDF core fonts cover Windows-1252, enough for Dutch text
    # (€, –, ë); other characters are reduced by _windows_1252.
    pdf.core_fonts_encoding = "windows-1252"
    return _Typeface("Helvetica", unicode=False)


def _dutch_date(value: date) -> str:
    return f"{value.day} {_MONTHS[value.month - 1]} {value.year}"


def _label(term: str) -> str:
    """A Dutch label for a vocabulary term: ``datumBehaald`` -> ``Datum behaald``."""
    return claim_label("nl", term)


def _type_label(credential: Mapping[str, Any]) -> str:
    types = credential.get("type")
    names = types if isinstance(types, list) else [types]
    specific = [
        _label(name.removesuffix("Credential"))
        for name in names
        if isinstance(name, str) and name != "VerifiableCredential"
    ]
    return ", ".join(specific) or "Verifiable Credential"


def _format_scalar(value: Any) -> str:
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if isinstance(value, str):
        try:
            if _DATE.fullmatch(value):
                return _dutch_date(date.fromisoformat(value))
            if _DATE_TIME.fullmatch(value):
                moment = datetime.fromisoformat(value).astimezone(UTC)
                return f"{_dutch_date(moment.date())}, {moment:%H:%M} UTC"
        except ValueError:
            return value
        return value
    if value is None:
        return "–"
    return str(value)


def _money(node: Mapping[str, Any]) -> str:
    """``{"value": "41250.00", "currency": "EUR"}`` -> ``€ 41.250,00``."""
    currency = str(node.get("currency", ""))
    try:
        amount = f"{Decimal(str(node['value'])):,.2f}"
    except (InvalidOperation, KeyError):
        return " ".join(str(node.get(part, "")) for part in ("value", "currency")).strip()
    amount = amount.replace(",", " ").replace(".", ",").replace(" ", ".")
    return f"€ {amount}" if currency == "EUR" else f"{amount} {currency}".strip()


def _value_rows(label: tuple[str, ...], value: Any) -> list[tuple[str, str]]:
    if isinstance(value, Mapping):
        if value.get("type") == "MonetaryAmount":
            return [(" · ".join(label), _money(value))]
        return _claim_rows(value, label)
    if isinstance(value, list):
        if not any(isinstance(item, Mapping | list) for item in value):
            return [(" · ".join(label), ", ".join(_format_scalar(item) for item in value))]
        rows: list[tuple[str, str]] = []
        for number, item in enumerate(value, start=1):
            rows.extend(_value_rows((*label[:-1], f"{label[-1]} {number}"), item))
        return rows
    return [(" · ".join(label), _format_scalar(value))]


def _claim_rows(node: Mapping[str, Any], prefix: tuple[str, ...] = ()) -> list[tuple[str, str]]:
    """Flatten a subject into (label, text) rows; nested nodes become ``Adres · Straat``."""
    rows: list[tuple[str, str]] = []
    for term, value in node.items():
        if term in ("type", "@context"):
            continue
        label = "Houder (DID)" if term == "id" and not prefix else _label(term)
        rows.extend(_value_rows((*prefix, label), value))
    return rows


def _subject_rows(credential: Mapping[str, Any]) -> list[tuple[str, str]]:
    subjects = credential.get("credentialSubject")
    if isinstance(subjects, Mapping):
        return _claim_rows(subjects)
    if isinstance(subjects, list):
        return _value_rows(("Onderwerp",), subjects)
    return []


def _issuer_id(credential: Mapping[str, Any]) -> str:
    issuer = credential.get("issuer")
    if isinstance(issuer, Mapping):
        issuer = issuer.get("id")
    return str(issuer) if issuer is not None else "–"


def _credential_bytes(credential: Mapping[str, Any]) -> bytes:
    """The exact bytes of ``credential.json``: compact, ASCII-only JSON."""
    return json.dumps(credential, ensure_ascii=True, allow_nan=False, separators=(",", ":")).encode(
        "ascii"
    )


def _qr_content(credential: Mapping[str, Any], embedded: bytes) -> tuple[str, str, float]:
    """The QR payload, the sentence that explains it and its printed width in mm.

    Implementation note: a QR code with the whole credential (up to version 40)
    needs 90 mm to stay scannable on paper; a reference QR code is small.
    """
    whole = embedded.decode("ascii")
    if qr_fits(whole):
        explanation = "De QR-code bevat de volledige verklaring (de tekst van credential.json)."
        return whole, explanation, 90.0
    reference = {"id": credential.get("id"), "sha256": hashlib.sha256(embedded).hexdigest()}
    explanation = (
        "De verklaring is te groot voor één QR-code; de QR-code bevat het kenmerk en de "
        "SHA-256-vingerafdruk van credential.json."
    )
    return json.dumps(reference, ensure_ascii=True, separators=(",", ":")), explanation, 45.0


def _table(pdf: FPDF, face: _Typeface, rows: Sequence[tuple[str, str]], heading: str) -> None:
    with pdf.table(
        col_widths=(60, 110),
        text_align="LEFT",
        line_height=5,
        padding=1,
        first_row_as_headings=True,
    ) as table:
        for label, text in [(heading, ""), *rows]:
            row = table.row()
            row.cell(face.text(label))
            row.cell(face.text(text))


def _render(
    credential: Mapping[str, Any],
    embedded: bytes,
    *,
    display_name: str,
    source_name: str,
    title: str,
    now: datetime,
    self_signed: bool,
) -> bytes:
    """Lay out the unsealed A4 page(s) and attach ``credential.json``."""
    pdf = FPDF(orientation="portrait", unit="mm", format="A4")
    pdf.set_margins(20, 18, 20)
    pdf.set_auto_page_break(True, margin=18)
    pdf.set_creation_date(now)
    pdf.set_lang("nl")
    face = _typeface(pdf)
    pdf.set_title(face.text(title))
    pdf.set_author(face.text(display_name))
    pdf.set_subject(face.text(f"{title} ({source_name})"))
    pdf.set_creator("blauwe-knop vc_issuer")
    pdf.add_page()

    def paragraph(text: str, *, size: float = 10, style: str = "", gap: float = 2) -> None:
        pdf.set_font(face.family, style, size)
        pdf.multi_cell(0, size * 0.5, face.text(text), new_x="LMARGIN", new_y="NEXT")
        pdf.ln(gap)

    paragraph(display_name, size=16, style="B", gap=1)
    paragraph(title, size=13, style="B", gap=1)
    paragraph(f"Afgegeven op {_dutch_date(now.astimezone(UTC).date())}", gap=5)

    pdf.set_font(face.family, "", 10)
    _table(pdf, face, _subject_rows(credential), "Gegevens")
    pdf.ln(5)
    digest = hashlib.sha256(embedded).hexdigest()
    about = [
        ("Soort", _type_label(credential)),
        ("Kenmerk", str(credential.get("id", "–"))),
        ("Uitgever (DID)", _issuer_id(credential)),
    ]
    for term, label in (("validFrom", "Geldig vanaf"), ("validUntil", "Geldig tot")):
        if term in credential:
            about.append((label, _format_scalar(credential[term])))
    about.append(("SHA-256 van credential.json", digest))
    _table(pdf, face, about, "Over deze verklaring")
    pdf.ln(5)

    qr_text, qr_caption, size = _qr_content(credential, embedded)
    paragraph(
        f"Dit document is digitaal gewaarmerkt door {display_name} met een elektronisch "
        "zegel (PAdES). Het zegel bewijst dat het document na het waarmerken niet is "
        "gewijzigd. De gegevens zitten ook als verifieerbaar digitaal bewijs (W3C "
        "Verifiable Credential) in dit PDF-bestand, als bijlage credential.json. "
        "Controleer het zegel met een PDF-lezer die handtekeningen toont, of met "
        f"'blauwe-knop pdf verify'. {qr_caption}",
        size=9,
    )
    if self_signed:
        paragraph(
            "Let op: dit is een demonstratie. Het zegelcertificaat is zelf ondertekend en "
            "niet uitgegeven door een erkende vertrouwensdienst.",
            size=9,
            style="B",
        )
    if pdf.will_page_break(size):
        pdf.add_page()
        paragraph(f"{title} – QR-code", size=11, style="B")
    pdf.image(io.BytesIO(qr_png(qr_text)), x=(pdf.w - size) / 2, w=size, h=size)

    pdf.embed_file(
        bytes=embedded,
        basename=CREDENTIAL_FILE_NAME,
        mime_type="application/json",
        associated_file_relationship="Data",
        modification_date=now,
        desc=face.text(f"{_type_label(credential)} van {display_name} (W3C Verifiable Credential)"),
        compress=True,
    )
    return bytes(pdf.output())


def _seal(document: bytes, identity: SealingIdentity, *, display_name: str) -> bytes:
    """Add the PAdES B-B certification signature ``Waarmerk`` with pyHanko."""
    key_der = identity.private_key.private_bytes(
        serialization.Encoding.DER,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    signer = signers.SimpleSigner(
        signing_cert=asn1_x509.Certificate.load(
            identity.certificate.public_bytes(serialization.Encoding.DER)
        ),
        signing_key=asn1_keys.PrivateKeyInfo.load(key_der),
        cert_registry=SimpleCertificateStore(),  # type: ignore[no-untyped-call]
    )
    metadata = signers.PdfSignatureMetadata(
        field_name=SEAL_FIELD_NAME,
        subfilter=SigSeedSubFilter.PADES,
        md_algorithm="sha256",
        certify=True,
        docmdp_permissions=MDPPerm.NO_CHANGES,
        reason="Gewaarmerkt afschrift",
        name=display_name,
    )
    writer = IncrementalPdfFileWriter(io.BytesIO(document))
    sealed = _run(signers.async_sign_pdf(writer, metadata, signer))
    data: bytes = sealed.getvalue()
    return data


def certified_pdf(
    credential: Mapping[str, Any],
    *,
    source_name: str,
    source_display_name: str,
    identity: SealingIdentity,
    clock: Clock = _utc_now,
    title: str | None = None,
) -> bytes:
    """Return a sealed A4 PDF that shows ``credential`` and carries it as ``credential.json``.

    ``source_name`` is the source's short name (``belastingdienst``),
    ``source_display_name`` the name printed on top (``Belastingdienst``).
    ``title`` defaults to ``Gewaarmerkt afschrift – <credential type>``. The
    clock gives the printed issue date and the PDF's creation date; pyHanko
    stamps the seal with the system time. ``credential`` is trusted JSON from
    the issuer (``TypeError``/``ValueError`` when it is not JSON).
    """
    if not isinstance(credential, Mapping):
        raise TypeError("credential must be a JSON object")
    if not isinstance(identity, SealingIdentity):
        raise TypeError("identity must be a SealingIdentity")
    embedded = _credential_bytes(credential)
    now = clock()
    document = _render(
        credential,
        embedded,
        display_name=source_display_name,
        source_name=source_name,
        title=title or f"Gewaarmerkt afschrift – {_type_label(credential)}",
        now=now,
        self_signed=identity.certificate.issuer == identity.certificate.subject,
    )
    return _seal(document, identity, display_name=source_display_name)


# --- Verification -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CertifiedPdfReport:
    """What :func:`verify_certified_pdf` found; ``ok`` only when ``problems`` is empty.

    ``seal_intact``: the seal's digest and signature verify and it covers the
    whole file. ``signer_trusted``: the seal verifies and its certificate
    chains to a trusted certificate and is valid at the clock's time.
    ``signer_subject`` is that certificate's subject (RFC 4514), empty when
    there is no readable seal. ``credential`` is the parsed ``credential.json``
    under an intact seal, else ``None``; ``credential_sha256`` is the hex
    SHA-256 of the sealed ``credential.json`` bytes.
    """

    seal_intact: bool
    signer_subject: str
    signer_trusted: bool
    credential: JsonObject | None
    credential_sha256: str | None
    problems: tuple[Problem, ...]

    @property
    def ok(self) -> bool:
        return not self.problems


def _embedded_files(root: Any, name: str) -> list[bytes]:
    """The contents of every attachment called ``name`` in a document catalog."""
    names_dict = root.get("/Names")
    files = names_dict.get("/EmbeddedFiles") if names_dict is not None else None
    entries = list(files.get("/Names", [])) if files is not None else []
    found: list[bytes] = []
    for index in range(0, len(entries) - 1, 2):
        if str(entries[index].get_object()) == name:
            stream = entries[index + 1].get_object()["/EF"]["/F"].get_object()
            found.append(bytes(stream.data))
    return found


def _parse_credential(data: bytes) -> JsonObject:
    """``credential.json`` as a VCDM 2.0 credential; ``ParsingError`` otherwise."""

    def refuse_constant(name: str) -> None:
        raise ParsingError(f"{name} is not JSON")

    try:
        value = json.loads(data.decode("utf-8"), parse_constant=refuse_constant)
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
        raise ParsingError(f"{CREDENTIAL_FILE_NAME} is not JSON: {exc}") from exc
    check_credential_shape(value)
    if not isinstance(value, dict):
        raise ParsingError(f"{CREDENTIAL_FILE_NAME} is not a JSON object")
    return value


def verify_certified_pdf(
    data: bytes,
    *,
    trusted_certificates: Sequence[x509.Certificate] = (),
    clock: Clock = _utc_now,
) -> CertifiedPdfReport:
    """Check a certified PDF's seal and embedded credential, offline.

    The seal must be intact, cover the whole file (nothing appended after
    sealing) and chain to one of ``trusted_certificates`` at the clock's time
    (a self-signed demo certificate is trusted when it is listed itself);
    revocation is not fetched. Every finding is a :class:`Problem` in the
    report, never an exception; only input that is not a PDF at all raises
    ``PdfVerificationError`` (``PDF_VERIFICATION_ERROR``).
    """
    if not isinstance(data, bytes | bytearray | memoryview):
        raise TypeError("data must be bytes")
    data = bytes(data)
    if b"%PDF-" not in data[:1024]:
        raise PdfVerificationError("the input is not a PDF document")
    if len(data) > MAX_PDF_BYTES:
        return _report(problem=Problem("PDF_UNREADABLE", f"larger than {MAX_PDF_BYTES} bytes"))
    trust_roots = [
        asn1_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER))
        for cert in trusted_certificates
    ]
    # Implementation note: pyHanko parses hostile bytes and may fail with any exception
    # class (its own, ValueError, KeyError, RecursionError, ...); each becomes a problem.
    try:
        reader = PdfFileReader(io.BytesIO(data))
        seals = [s for s in reader.embedded_signatures if s.field_name == SEAL_FIELD_NAME]
    except Exception as exc:
        return _report(problem=Problem("PDF_UNREADABLE", f"cannot read the PDF: {exc}"))
    if len(seals) != 1:
        return _report(problem=Problem("SEAL_MISSING", f"no single '{SEAL_FIELD_NAME}' seal"))
    seal = seals[0]
    now = clock()
    try:
        context = ValidationContext(trust_roots=trust_roots, allow_fetching=False, moment=now)
        status = _run(_validate_seal(seal, context))
        signer = x509.load_der_x509_certificate(status.signing_cert.dump())
    except Exception as exc:
        return _report(problem=Problem("SEAL_BROKEN", f"the seal cannot be validated: {exc}"))
    subject = signer.subject.rfc4514_string()
    problems: list[Problem] = []
    cryptographically_valid = bool(status.intact and status.valid)
    if not cryptographically_valid:
        problems.append(Problem("SEAL_BROKEN", "the sealed bytes or the seal signature changed"))
    if status.coverage != SignatureCoverageLevel.ENTIRE_FILE:
        problems.append(Problem("DOCUMENT_MODIFIED", "the document was changed after sealing"))
    # Implementation note: path validation takes a trust anchor as it is, so a trusted
    # self-signed certificate's own validity period is checked here.
    in_period = signer.not_valid_before_utc <= now <= signer.not_valid_after_utc
    trusted = bool(status.trusted) and in_period
    if cryptographically_valid and not trusted:  # pyHanko checks trust only for a valid seal
        when = (
            ""
            if in_period
            else f" at {now.astimezone(UTC):%Y-%m-%dT%H:%M:%SZ} (outside its validity)"
        )
        problems.append(
            Problem("SIGNER_UNTRUSTED", f"the sealing certificate {subject!r} is not trusted{when}")
        )
    seal_intact = cryptographically_valid and status.coverage == SignatureCoverageLevel.ENTIRE_FILE
    credential, digest = None, None
    if cryptographically_valid:
        credential, digest = _sealed_credential(reader, seal.signed_revision, problems)
    return CertifiedPdfReport(
        seal_intact=seal_intact,
        signer_subject=subject,
        signer_trusted=trusted,
        credential=credential if seal_intact else None,
        credential_sha256=digest,
        problems=tuple(problems),
    )


async def _validate_seal(
    seal: EmbeddedPdfSignature, context: ValidationContext
) -> PdfSignatureStatus:
    """pyHanko's validation of the seal alone (no difference analysis: coverage is checked)."""
    async with aclosing(context):
        return await async_validate_pdf_signature(
            seal, signer_validation_context=context, skip_diff=True
        )


def _sealed_credential(
    reader: PdfFileReader, revision: int, problems: list[Problem]
) -> tuple[JsonObject | None, str | None]:
    """Read ``credential.json`` from the sealed revision and compare it with the latest one."""
    try:
        sealed = _embedded_files(reader.get_historical_root(revision), CREDENTIAL_FILE_NAME)
        latest = _embedded_files(reader.root, CREDENTIAL_FILE_NAME)
    except Exception as exc:
        problems.append(Problem("CREDENTIAL_MISSING", f"cannot read the attachments: {exc}"))
        return None, None
    if len(sealed) != 1:
        problems.append(Problem("CREDENTIAL_MISSING", f"no single sealed {CREDENTIAL_FILE_NAME}"))
        return None, None
    if latest != sealed:
        problems.append(
            Problem("DOCUMENT_MODIFIED", f"{CREDENTIAL_FILE_NAME} was replaced after sealing")
        )
    digest = hashlib.sha256(sealed[0]).hexdigest()
    try:
        return _parse_credential(sealed[0]), digest
    except ParsingError as exc:
        problems.extend(exc.problems)
        return None, digest


def _report(*, problem: Problem) -> CertifiedPdfReport:
    return CertifiedPdfReport(
        seal_intact=False,
        signer_subject="",
        signer_trusted=False,
        credential=None,
        credential_sha256=None,
        problems=(problem,),
    )
