"""Certified PDF copies ("gewaarmerkt afschrift"), sealed with PAdES by each source.

The only module of ``vc_issuer`` that imports fpdf2 and pyHanko. Two kinds:

- :func:`certified_pdf` (Basis): one source's credential on A4;
- :func:`aggregated_pdf` (Basis 2.0): a cover page (for whom, when, which
  sources, how to check it), then one section per source in the Basis
  layout.

Each section shows its credential's claims in Dutch (the rows, headings and
sentences of :mod:`vc_core.certified_copy`, which the checker in
``vc_verifier`` rebuilds to compare), a QR code (level M) holding the whole
credential when it fits in one code and otherwise its id and SHA-256, and
carries as associated files ``<source>-credential.json`` (the credential)
and ``<source>-did.json`` (the source's DID document, so that the copy can
be checked offline). ``manifest.json`` lists the sections and their pages.

Then every source seals with its own certificate, one incremental PAdES
baseline B-B signature each (field ``Waarmerk-<source>``, SubFilter
``ETSI.CAdES.detached``, signer certificate embedded), in the order of the
sections: each later revision only adds the next seal. A copy of one
source is a certification signature (DocMDP "no changes"); in an aggregated
copy every seal is an approval signature, so no organisation certifies the
document for the others.

The PDF is tagged (a structure tree of headings, paragraphs and figures in
reading order, ``/Lang nl``, the title shown by viewers; table rules are
artifacts): as far as fpdf2's public and documented internal structure
builder allow, since fpdf2 has no table structure elements.

Sealing certificates from :func:`create_sealing_identity` are self-signed demo
certificates ("(demo)" in the organisation name, the source's DID as a
subject alternative name); production seals need a certificate from a
qualified trust service, loaded with :meth:`SealingIdentity.from_pem`.
"""

from __future__ import annotations

import hashlib
import io
import json
import logging
import warnings
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.utils import CryptographyDeprecationWarning
from cryptography.x509.oid import NameOID
from fpdf import FPDF
from fpdf.enums import MethodReturnValue
from fpdf.prefs import ViewerPreferences

from vc_core.certified_copy import (
    MANIFEST_FILE,
    Block,
    Cover,
    Manifest,
    Section,
    cover_blocks,
    cover_qr_text,
    credential_bytes,
    manifest_bytes,
    reduce_to_windows_1252,
    section_blocks,
    shown_credential,
    type_label,
)
from vc_core.sync import run_sync
from vc_core.types import Clock, JsonObject
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
    from pyhanko.sign import signers
    from pyhanko.sign.fields import MDPPerm, SigSeedSubFilter
    from pyhanko_certvalidator.registry import SimpleCertificateStore

__all__ = [
    "SealedPart",
    "SealingIdentity",
    "aggregated_pdf",
    "certified_pdf",
    "create_sealing_identity",
]

# Implementation note: pyHanko logs path-building failures with a traceback; without
# this handler Python's last-resort handler prints them on stderr.
logging.getLogger("pyhanko").addHandler(logging.NullHandler())

_UNICODE_FONT_DIRS = (
    Path("/usr/share/fonts/truetype/dejavu"),  # Debian, Ubuntu
    Path("/usr/share/fonts/dejavu"),  # Fedora
    Path("/usr/share/fonts/TTF"),  # Arch
)
_MARGIN = 20.0
_LABEL_WIDTH = 60.0
_VALUE_WIDTH = 110.0
_PADDING = 1.0
_LINE = 5.0
_STYLES: Mapping[str, tuple[str, float, float]] = {
    # kind: (font style, size in pt, space after in mm)
    "h1": ("B", 16, 1),
    "h2": ("B", 13, 3),
    "h3": ("B", 10, 0),
    "text": ("", 10, 3),
    "small": ("", 9, 2),
    "note": ("B", 9, 2),
    "figure": ("", 9, 1),
}
_STRUCTURE_TYPES = {"h1": "H1", "h2": "H2", "h3": "H3"}


def _utc_now() -> datetime:
    return datetime.now(UTC)


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

    @property
    def self_signed(self) -> bool:
        """Whether the certificate is its own issuer (a demo seal)."""
        return self.certificate.issuer == self.certificate.subject

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
    did: str | None = None,
    key: ec.EllipticCurvePrivateKey | None = None,
    clock: Clock = _utc_now,
    valid_days: int = 1095,
    serial_number: int | None = None,
) -> SealingIdentity:
    """Make a self-signed demo sealing certificate for a source.

    The subject is ``C=NL, O=<organisation> (demo), CN=<common_name>``; with
    ``did`` the source's DID is a subject alternative name (URI), which binds
    the seal to the issuer of the credentials it seals. The certificate is
    valid from the clock's time for ``valid_days`` and allows digital
    signatures and non-repudiation (the key usages of a seal). A new P-256 key
    is generated unless ``key`` is given; ``serial_number`` defaults to a
    random one.
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
    builder = (
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
    )
    if did is not None:
        builder = builder.add_extension(
            x509.SubjectAlternativeName([x509.UniformResourceIdentifier(did)]), critical=False
        )
    return SealingIdentity(builder.sign(private_key, hashes.SHA256()), private_key)


# --- What goes in ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SealedPart:
    """One source's part of a certified copy: its credential, DID document and seal.

    ``source`` is the short name (``belastingdienst``), ``name`` the name
    printed on top (``Belastingdienst``), ``title`` the section's title
    (default ``Gewaarmerkt afschrift – <credential type>``). The credential
    and the DID document are trusted JSON from the issuer.
    """

    source: str
    name: str
    credential: JsonObject
    did_document: JsonObject
    identity: SealingIdentity
    title: str | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.credential, Mapping) or not isinstance(self.did_document, Mapping):
            raise TypeError("credential and did_document must be JSON objects")
        if not isinstance(self.identity, SealingIdentity):
            raise TypeError("identity must be a SealingIdentity")


# --- Tagged drawing ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Typeface:
    """The font family in use; core fonts get text reduced to Windows-1252."""

    family: str
    unicode: bool

    def text(self, value: str) -> str:
        return value if self.unicode else reduce_to_windows_1252(value)


def _typeface(pdf: FPDF) -> _Typeface:
    """Register DejaVu Sans when the system has it, else fall back to Helvetica."""
    for folder in _UNICODE_FONT_DIRS:
        regular, bold = folder / "DejaVuSans.ttf", folder / "DejaVuSans-Bold.ttf"
        if regular.is_file() and bold.is_file():
            pdf.add_font("DejaVuSans", "", str(regular))
            pdf.add_font("DejaVuSans", "B", str(bold))
            return _Typeface("DejaVuSans", unicode=True)
    # Implementation note: the PDF core fonts cover Windows-1252, enough for Dutch text
    # (€, –, ë); other characters are reduced.
    pdf.core_fonts_encoding = "windows-1252"
    return _Typeface("Helvetica", unicode=False)


@contextmanager
def _tagged(pdf: FPDF, structure_type: str) -> Iterator[None]:
    """Content drawn inside is one structure element (``H1``, ``P``, …) in reading order.

    Implementation note: fpdf2 builds a flat structure tree (every element a
    child of ``/Document``) and exposes marked content only for images and
    links; this uses the same builder for text.
    """
    mcid = pdf.struct_builder.next_mcid_for_page(pdf.page)
    pdf._add_marked_content(struct_type=f"/{structure_type}", mcid=mcid)
    pdf._out(f"/{structure_type} <</MCID {mcid}>> BDC")
    yield
    pdf._out("EMC")


@contextmanager
def _artifact(pdf: FPDF) -> Iterator[None]:
    """Content drawn inside is decoration (table rules), left out of the reading order."""
    pdf._out("/Artifact BMC")
    yield
    pdf._out("EMC")


class _Writer:
    """Draws :class:`~vc_core.certified_copy.Block` sequences on A4 pages, tagged."""

    def __init__(self, *, title: str, subject: str, author: str, now: datetime) -> None:
        pdf = FPDF(orientation="portrait", unit="mm", format="A4")
        pdf.set_margins(_MARGIN, 18, _MARGIN)
        pdf.set_auto_page_break(True, margin=18)
        pdf.set_creation_date(now)
        pdf.set_lang("nl")
        pdf.viewer_preferences = ViewerPreferences(display_doc_title=True)
        self.face = _typeface(pdf)
        pdf.set_title(self.face.text(title))
        pdf.set_author(self.face.text(author))
        pdf.set_subject(self.face.text(subject))
        pdf.set_creator("blauwe-knop vc_issuer")
        self.pdf = pdf
        self.now = now

    def _lines(self, text: str, width: float, height: float = _LINE) -> int:
        """How many lines ``text`` takes at ``width`` in the current font."""
        lines = self.pdf.multi_cell(
            width, height, text, dry_run=True, output=MethodReturnValue.LINES
        )
        return max(1, len(lines) if isinstance(lines, list) else 1)

    def _paragraph(self, kind: str, text: str) -> None:
        style, size, after = _STYLES[kind]
        pdf = self.pdf
        pdf.set_font(self.face.family, style, size)
        height = size * 0.5
        if pdf.will_page_break(height * self._lines(text, pdf.epw, height)):
            pdf.add_page()
        with _tagged(pdf, _STRUCTURE_TYPES.get(kind, "P")):
            pdf.multi_cell(0, height, text, new_x="LMARGIN", new_y="NEXT", align="L")
        pdf.ln(after)

    def _row(self, label: str, value: str, *, heading: bool) -> None:
        pdf = self.pdf
        pdf.set_font(self.face.family, "B" if heading else "", 10)
        inner_label, inner_value = _LABEL_WIDTH - 2 * _PADDING, _VALUE_WIDTH - 2 * _PADDING
        rows = max(self._lines(label, inner_label), self._lines(value, inner_value) if value else 1)
        height = rows * _LINE + 2 * _PADDING
        if pdf.will_page_break(height):
            pdf.add_page()
        x, y = pdf.l_margin, pdf.y
        with _artifact(pdf):
            if heading:
                pdf.set_fill_color(230, 236, 245)
                pdf.rect(x, y, _LABEL_WIDTH + _VALUE_WIDTH, height, style="DF")
            else:
                pdf.rect(x, y, _LABEL_WIDTH, height)
                pdf.rect(x + _LABEL_WIDTH, y, _VALUE_WIDTH, height)
        with _tagged(pdf, "H3" if heading else "P"):
            pdf.set_xy(x + _PADDING, y + _PADDING)
            pdf.multi_cell(inner_label, _LINE, label, align="L")
            if value:
                pdf.set_xy(x + _LABEL_WIDTH + _PADDING, y + _PADDING)
                pdf.multi_cell(inner_value, _LINE, value, align="L")
        pdf.set_xy(x, y + height)

    def _table(self, heading: str, rows: Sequence[tuple[str, str]]) -> None:
        self._row(heading, "", heading=True)
        for label, value in rows:
            self._row(label, value, heading=False)
        self.pdf.ln(5)

    def _figure(self, caption: str, alt: str, png: bytes, size: float) -> None:
        """The caption and the QR image on one page, the image centred."""
        pdf = self.pdf
        style, points, after = _STYLES["figure"]
        pdf.set_font(self.face.family, style, points)
        height = points * 0.5
        if pdf.will_page_break(height * self._lines(caption, pdf.epw, height) + after + size):
            pdf.add_page()
        with _tagged(pdf, "P"):
            pdf.multi_cell(0, height, caption, new_x="LMARGIN", new_y="NEXT", align="L")
        pdf.ln(after)
        pdf.image(io.BytesIO(png), x=(pdf.w - size) / 2, w=size, h=size, alt_text=alt)

    def draw(self, blocks: Sequence[Block], *, qr_text: str, qr_size: float) -> tuple[int, int]:
        """Draw ``blocks`` from a new page; return the first and last page they took."""
        self.pdf.add_page()
        first = self.pdf.page
        for block in blocks:
            text = self.face.text(block.text)
            if block.kind == "table":
                rows = [(self.face.text(a), self.face.text(b)) for a, b in block.rows]
                self._table(text, rows)
            elif block.kind == "figure":
                self._figure(text, self.face.text(block.alt), qr_png(qr_text), qr_size)
            else:
                self._paragraph(block.kind, text)
        return first, self.pdf.page

    def attach(self, name: str, data: bytes, *, description: str, relationship: str) -> None:
        self.pdf.embed_file(
            bytes=data,
            basename=name,
            mime_type="application/json",
            associated_file_relationship=relationship,
            modification_date=self.now,
            desc=self.face.text(description),
            compress=True,
        )

    def output(self) -> bytes:
        return bytes(self.pdf.output())


# --- Making and sealing -----------------------------------------------------------------------


def _format_name(credential: Mapping[str, Any]) -> str:
    """What an embedded credential is, for its attachment's description."""
    enveloped = shown_credential(credential) is not credential
    return "SD-JWT VC" if enveloped else "W3C Verifiable Credential"


def _section_qr(embedded: bytes, credential: Mapping[str, Any]) -> tuple[str, str, float]:
    """The QR content mode, its text and its printed width in mm.

    Implementation note: a QR code with the whole credential (up to version 40)
    needs 90 mm to stay scannable on paper; a reference QR code is small.
    """
    whole = embedded.decode("ascii")
    if qr_fits(whole):
        return "credential", whole, 90.0
    shown = shown_credential(credential)
    reference = {"id": shown.get("id"), "sha256": hashlib.sha256(embedded).hexdigest()}
    return "reference", json.dumps(reference, ensure_ascii=True, separators=(",", ":")), 45.0


def _seal(
    document: bytes, part: SealedPart, *, field_name: str, reason: str, certify: bool
) -> bytes:
    """Add one PAdES B-B signature of ``part``'s source (a new incremental revision)."""
    identity = part.identity
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
        field_name=field_name,
        subfilter=SigSeedSubFilter.PADES,
        md_algorithm="sha256",
        certify=certify,
        docmdp_permissions=MDPPerm.NO_CHANGES,
        reason=reason,
        name=part.name,
    )
    writer = IncrementalPdfFileWriter(io.BytesIO(document))
    sealed = run_sync(signers.async_sign_pdf(writer, metadata, signer))
    data: bytes = sealed.getvalue()
    return data


def _make(parts: Sequence[SealedPart], *, made_for: str | None, now: datetime) -> bytes:
    """Lay out the cover (if ``made_for``) and the sections, attach the files, then seal."""
    if not parts:
        raise ValueError("a certified copy needs at least one source")
    if len({part.source for part in parts}) != len(parts):
        raise ValueError("each source can have only one section")
    embedded = [credential_bytes(part.credential) for part in parts]
    qr = [_section_qr(data, part.credential) for data, part in zip(embedded, parts, strict=True)]
    sections = [
        Section(
            source=part.source,
            name=part.name,
            issuer=str(part.did_document.get("id", "")),
            title=part.title or f"Gewaarmerkt afschrift – {type_label(part.credential)}",
            credential_sha256=hashlib.sha256(data).hexdigest(),
            pages=(0, 0),  # known once drawn
            qr="credential" if mode == "credential" else "reference",
            demo=part.identity.self_signed,
        )
        for part, data, (mode, _, _) in zip(parts, embedded, qr, strict=True)
    ]
    cover = None if made_for is None else Cover(made_for, (1, 1))
    manifest = Manifest(made_at=now, sections=tuple(sections), cover=cover)
    names = ", ".join(part.name for part in parts)
    if cover is None:
        title, subject = sections[0].title, f"{sections[0].title} ({parts[0].source})"
    else:
        title = "Gewaarmerkt overzicht van uw gegevens"
        subject = f"Gegevens van {cover.made_for} bij {names}"
    writer = _Writer(title=title, subject=subject, author=names, now=now)
    if cover is not None:
        pages = writer.draw(cover_blocks(manifest), qr_text=cover_qr_text(manifest), qr_size=45.0)
        cover = replace(cover, pages=pages)
    for index, (part, (_, qr_text, qr_size)) in enumerate(zip(parts, qr, strict=True)):
        blocks = section_blocks(part.credential, sections[index], now)
        sections[index] = replace(
            sections[index], pages=writer.draw(blocks, qr_text=qr_text, qr_size=qr_size)
        )
    manifest = Manifest(made_at=now, sections=tuple(sections), cover=cover)
    for part, section, data in zip(parts, sections, embedded, strict=True):
        kind = type_label(part.credential)
        writer.attach(
            section.names.credential_file,
            data,
            description=f"{kind} van {part.name} ({_format_name(part.credential)})",
            relationship="Data",
        )
        writer.attach(
            section.names.did_file,
            credential_bytes(part.did_document),
            description=f"DID-document van {part.name}: de sleutels waarmee het tekent",
            relationship="Supplement",
        )
    writer.attach(
        MANIFEST_FILE,
        manifest_bytes(manifest),
        description="Inhoud van dit document: de delen, hun pagina's, zegels en bijlagen",
        relationship="Supplement",
    )
    document = writer.output()
    for part, section in zip(parts, sections, strict=True):
        document = _seal(
            document,
            part,
            field_name=section.names.seal_field,
            reason=f"Waarmerk {part.name}: {section.title}",
            certify=len(parts) == 1,
        )
    return document


def certified_pdf(
    credential: Mapping[str, Any],
    *,
    source_name: str,
    source_display_name: str,
    identity: SealingIdentity,
    did_document: Mapping[str, Any],
    clock: Clock = _utc_now,
    title: str | None = None,
) -> bytes:
    """Return the sealed Basis PDF of one source: ``credential`` shown, attached and as QR.

    ``source_name`` is the source's short name (``belastingdienst``),
    ``source_display_name`` the name printed on top (``Belastingdienst``),
    ``did_document`` the source's DID document (attached for offline checks).
    ``title`` defaults to ``Gewaarmerkt afschrift – <credential type>``. The
    clock gives the printed issue date and the PDF's creation date; pyHanko
    stamps the seal with the system time. ``credential`` is trusted JSON from
    the issuer (``TypeError``/``ValueError`` when it is not JSON).
    """
    part = SealedPart(
        source=source_name,
        name=source_display_name,
        credential=dict(credential),
        did_document=dict(did_document),
        identity=identity,
        title=title,
    )
    return _make([part], made_for=None, now=clock())


def aggregated_pdf(parts: Sequence[SealedPart], *, made_for: str, clock: Clock = _utc_now) -> bytes:
    """Return the sealed Basis 2.0 PDF: a cover for ``made_for``, a section and seal per part.

    The sections and seals follow the order of ``parts``; each part's
    source seals with its own identity.
    """
    if not made_for.strip():
        raise ValueError("made_for must name the citizen")
    return _make(parts, made_for=made_for, now=clock())
