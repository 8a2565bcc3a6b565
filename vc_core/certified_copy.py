"""The printed form and the manifest of a certified copy ("gewaarmerkt afschrift").

A certified copy is a PDF that shows credentials to people and carries them
for software. The source that makes it (``vc_issuer.pdf``, with fpdf2 and
pyHanko) and the party that checks it (``vc_verifier``, with its own PDF
adapters) must agree on two things, which live here, free of any PDF library:

- **the manifest**, the attachment ``manifest.json``: when the copy was made,
  its cover page (for whom; an aggregated copy only) and, per source, its section's
  pages, its seal field, its attachments and the SHA-256 of its credential;
- **the printed text**: the :class:`Block` sequence a section (or the cover)
  shows, made from the credential and the manifest alone. The maker draws
  exactly these blocks; the checker extracts the text of the section's pages
  and compares it with the same blocks (:func:`comparable_text`), so a
  section that shows other data than its embedded credential is caught.

Names per source are fixed: seal field ``Waarmerk-<source>``, attachments
``<source>-credential.json`` (compact ASCII JSON, :func:`credential_bytes`)
and ``<source>-did.json`` (the source's DID document when it sealed). The
credential is a W3C credential, or an SD-JWT VC with all its Disclosures as
an ``EnvelopedVerifiableCredential`` (``data:application/dc+sd-jwt,…``); a
section shows the latter as :func:`shown_credential` reads it.

>>> section = section_names("belastingdienst")
>>> section.seal_field, section.credential_file, section.did_file
('Waarmerk-belastingdienst', 'belastingdienst-credential.json', 'belastingdienst-did.json')
>>> claim_rows({"credentialSubject": {"verzamelinkomen":
...     {"type": "MonetaryAmount", "value": "41250.00", "currency": "EUR"}}})
[('Verzamelinkomen', '€ 41.250,00')]
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any, Literal

from vc_core.errors import ParsingError, VcError
from vc_core.hazmat.sd_jwt import parse_sd_jwt, process_sd_jwt_payload
from vc_core.vocabulary import claim_label, format_date

__all__ = [
    "BUNDLE_DOMAIN",
    "FORMAT",
    "MANIFEST_FILE",
    "MAX_SECTIONS",
    "Block",
    "Cover",
    "Manifest",
    "Section",
    "SectionNames",
    "claim_rows",
    "comparable_text",
    "cover_blocks",
    "cover_qr_text",
    "credential_bytes",
    "dutch_date",
    "enveloped_sd_jwt",
    "manifest_bytes",
    "parse_manifest",
    "printed_text",
    "reduce_to_windows_1252",
    "section_blocks",
    "section_names",
    "shown_credential",
    "type_label",
]

BUNDLE_DOMAIN = "blauwe-knop:basis-2.0"
"""The ``domain`` of the sources' proofs on a Basis 2.0 bundle (``vc_issuer.bundle``)."""
FORMAT = "blauwe-knop/gewaarmerkt-afschrift"
"""The ``format`` of a manifest (version 1)."""
MANIFEST_FILE = "manifest.json"
MAX_SECTIONS = 16
"""A manifest lists at most this many sections (the demo has four sources)."""

BlockKind = Literal["h1", "h2", "h3", "text", "small", "note", "table", "figure"]
QrContent = Literal["credential", "reference"]

_SOURCE = re.compile(r"[a-z0-9][a-z0-9-]{0,31}")
_SHA256 = re.compile(r"[0-9a-f]{64}")
_MAX_TEXT = 300
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_DATE_TIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})")


_ENVELOPED_SD_JWT = "data:application/dc+sd-jwt,"
_SD_JWT_REGISTERED = ("iss", "iat", "nbf", "exp", "vct", "vct#integrity", "aka_vcts", "cnf",
                      "status", "jti")  # fmt: skip


def _moment(value: object) -> str | None:
    if not isinstance(value, int | float) or isinstance(value, bool):
        return None
    try:
        stamp = datetime.fromtimestamp(value, UTC)
    except (OverflowError, OSError, ValueError):
        return None
    return stamp.strftime("%Y-%m-%dT%H:%M:%SZ")


def enveloped_sd_jwt(credential: Mapping[str, Any]) -> str | None:
    """The SD-JWT VC an ``EnvelopedVerifiableCredential`` carries, or ``None`` for any other."""
    identifier = credential.get("id")
    if credential.get("type") != "EnvelopedVerifiableCredential" or not (
        isinstance(identifier, str) and identifier.startswith(_ENVELOPED_SD_JWT)
    ):
        return None
    return identifier[len(_ENVELOPED_SD_JWT) :]


def shown_credential(credential: Mapping[str, Any]) -> Mapping[str, Any]:
    """The credential as a certified copy shows it, in the shape of a W3C credential.

    A W3C credential is shown as it is. An ``EnvelopedVerifiableCredential``
    holding an SD-JWT VC is read with all its Disclosures, not verified (the
    checker verifies it separately): ``type`` the last segment of its ``vct``,
    ``id`` its ``jti``, ``issuer`` its ``iss``, ``validFrom``/``validUntil``
    its ``iat``/``exp`` and ``credentialSubject`` its other claims.
    """
    compact = enveloped_sd_jwt(credential)
    if compact is None:
        return credential
    try:
        parsed = parse_sd_jwt(compact)
        payload = process_sd_jwt_payload(parsed.jws.payload, parsed.disclosures)
    except (VcError, RecursionError) as exc:
        raise ParsingError(f"the enveloped SD-JWT VC does not read: {exc}") from exc
    vct = str(payload.get("vct", ""))
    shown: dict[str, Any] = {"type": ["VerifiableCredential", vct.rsplit("/", 1)[-1]]}
    for name, term in (("jti", "id"), ("iss", "issuer")):
        if isinstance(payload.get(name), str):
            shown[term] = payload[name]
    for name, term in (("iat", "validFrom"), ("exp", "validUntil")):
        moment = _moment(payload.get(name))
        if moment is not None:
            shown[term] = moment
    shown["credentialSubject"] = {
        name: value for name, value in payload.items() if name not in _SD_JWT_REGISTERED
    }
    return shown


# --- Blocks -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Block:
    """One printed element: a heading, a paragraph, a two-column table or a figure caption.

    ``kind`` says how it is drawn (``h1``-``h3`` headings, ``text``, ``small``
    print, a bold ``note``, a ``table`` of ``rows`` under the heading
    ``text``, or a ``figure``: the QR code, with ``text`` as its caption and
    ``alt`` its text alternative, which is not printed).
    """

    kind: BlockKind
    text: str
    rows: tuple[tuple[str, str], ...] = ()
    alt: str = ""


def printed_text(blocks: Sequence[Block]) -> str:
    """Every printed string of ``blocks`` in drawing order, one per line."""
    lines: list[str] = []
    for block in blocks:
        lines.append(block.text)
        for label, value in block.rows:
            lines.extend((label, value))
    return "\n".join(lines)


def comparable_text(text: str) -> str:
    """``text`` in NFC without any whitespace: what a text extractor and a layout agree on.

    Line breaks, wrapping and the spaces an extractor adds between cells
    differ between tools; the characters and their order do not.

    >>> comparable_text("Verzamel inkomen\\n€ 41.250,00")
    'Verzamelinkomen€41.250,00'
    """
    return "".join(unicodedata.normalize("NFC", text).split())


def reduce_to_windows_1252(text: str) -> str:
    """``text`` with every character the PDF core fonts lack replaced (Ş -> S, else ``?``).

    The maker falls back to the core fonts when no Unicode font is installed;
    the checker accepts a section printed either way.
    """
    return "".join(_windows_1252(char) for char in text)


def _windows_1252(char: str) -> str:
    for candidate in (char, unicodedata.normalize("NFKD", char)[:1]):
        try:
            candidate.encode("cp1252")
        except UnicodeEncodeError:
            continue
        return candidate
    return "?"


# --- Claims as Dutch rows ---------------------------------------------------------------------


def dutch_date(value: date) -> str:
    """``7 december 2026``."""
    return format_date("nl", value)


def _dutch_moment(value: datetime) -> str:
    moment = value.astimezone(UTC)
    return f"{dutch_date(moment.date())}, {moment:%H:%M} UTC"


def _label(term: str) -> str:
    """A Dutch label for a vocabulary term: ``datumBehaald`` -> ``Datum behaald``."""
    return claim_label("nl", term)


def type_label(credential: Mapping[str, Any]) -> str:
    """The credential's specific types as Dutch words: ``Inkomensverklaring``."""
    types = shown_credential(credential).get("type")
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
                return dutch_date(date.fromisoformat(value))
            if _DATE_TIME.fullmatch(value):
                return _dutch_moment(datetime.fromisoformat(value))
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
    except (InvalidOperation, KeyError, ValueError):
        return " ".join(str(node.get(part, "")) for part in ("value", "currency")).strip()
    amount = amount.replace(",", " ").replace(".", ",").replace(" ", ".")
    return f"€ {amount}" if currency == "EUR" else f"{amount} {currency}".strip()


def _value_rows(label: tuple[str, ...], value: Any) -> list[tuple[str, str]]:
    if isinstance(value, Mapping):
        # An amount: typed in JSON-LD, or plain value and currency (SD-JWT VC).
        if value.get("type") == "MonetaryAmount" or set(value) == {"value", "currency"}:
            return [(" · ".join(label), _money(value))]
        return _node_rows(value, label)
    if isinstance(value, list):
        if not any(isinstance(item, Mapping | list) for item in value):
            return [(" · ".join(label), ", ".join(_format_scalar(item) for item in value))]
        rows: list[tuple[str, str]] = []
        for number, item in enumerate(value, start=1):
            rows.extend(_value_rows((*label[:-1], f"{label[-1]} {number}"), item))
        return rows
    return [(" · ".join(label), _format_scalar(value))]


def _node_rows(node: Mapping[str, Any], prefix: tuple[str, ...] = ()) -> list[tuple[str, str]]:
    rows: list[tuple[str, str]] = []
    for term, value in node.items():
        if term in ("type", "@context"):
            continue
        label = "Houder (DID)" if term == "id" and not prefix else _label(term)
        rows.extend(_value_rows((*prefix, label), value))
    return rows


def claim_rows(credential: Mapping[str, Any]) -> list[tuple[str, str]]:
    """The credential subject flattened into Dutch (label, text) rows.

    Nested nodes become ``Adres · Straat``, amounts ``€ 41.250,00``, dates
    ``7 december 2026`` and booleans ``ja``/``nee``.
    """
    subjects = shown_credential(credential).get("credentialSubject")
    if isinstance(subjects, Mapping):
        return _node_rows(subjects)
    if isinstance(subjects, list):
        return _value_rows(("Onderwerp",), subjects)
    return []


def _issuer_id(credential: Mapping[str, Any]) -> str:
    issuer = credential.get("issuer")
    if isinstance(issuer, Mapping):
        issuer = issuer.get("id")
    return str(issuer) if issuer is not None else "–"


def credential_bytes(credential: Mapping[str, Any]) -> bytes:
    """The exact bytes of an embedded credential file: compact, ASCII-only JSON."""
    return json.dumps(credential, ensure_ascii=True, allow_nan=False, separators=(",", ":")).encode(
        "ascii"
    )


# --- The manifest -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SectionNames:
    """The fixed names of one source's parts in a certified copy."""

    seal_field: str
    credential_file: str
    did_file: str


def section_names(source: str) -> SectionNames:
    """The seal field and attachment names of ``source`` (a short lower-case name)."""
    if not isinstance(source, str) or not _SOURCE.fullmatch(source):
        raise ValueError(f"a source name is 1-32 lower-case letters, digits or -: {source!r}")
    return SectionNames(f"Waarmerk-{source}", f"{source}-credential.json", f"{source}-did.json")


@dataclass(frozen=True, slots=True)
class Section:
    """One source's part of a certified copy, as the manifest lists it.

    ``pages`` are the first and last page (1-based, inclusive) that show it;
    ``qr`` says whether its QR code holds the whole credential or only its id
    and SHA-256; ``demo`` marks a self-signed demo seal (the section says so).
    """

    source: str
    name: str
    issuer: str
    title: str
    credential_sha256: str
    pages: tuple[int, int]
    qr: QrContent
    demo: bool

    @property
    def names(self) -> SectionNames:
        return section_names(self.source)


@dataclass(frozen=True, slots=True)
class Cover:
    """The cover of an aggregated copy: for whom it was made, and its pages (from page 1)."""

    made_for: str
    pages: tuple[int, int]


@dataclass(frozen=True, slots=True)
class Manifest:
    """What a certified copy holds: when it was made, its cover (if any) and its sections.

    An aggregated copy (Basis 2.0) opens with a cover; a one-source Basis copy has none.
    """

    made_at: datetime
    sections: tuple[Section, ...]
    cover: Cover | None = None

    def section(self, source: str) -> Section | None:
        return next((s for s in self.sections if s.source == source), None)


def _stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def manifest_bytes(manifest: Manifest) -> bytes:
    """The exact bytes of ``manifest.json`` (compact, ASCII-only JSON)."""
    document: dict[str, Any] = {"format": FORMAT, "version": 1, "madeAt": _stamp(manifest.made_at)}
    if manifest.cover is not None:
        document["cover"] = {"for": manifest.cover.made_for, "pages": list(manifest.cover.pages)}
    document["sections"] = [
        {
            "source": s.source,
            "name": s.name,
            "issuer": s.issuer,
            "title": s.title,
            "sealField": s.names.seal_field,
            "credentialFile": s.names.credential_file,
            "didFile": s.names.did_file,
            "credentialSha256": s.credential_sha256,
            "pages": list(s.pages),
            "qr": s.qr,
            "demo": s.demo,
        }
        for s in manifest.sections
    ]
    return credential_bytes(document)


def _text(node: Mapping[str, Any], key: str, path: str) -> str:
    value = node.get(key)
    if not isinstance(value, str) or not value.strip() or len(value) > _MAX_TEXT:
        raise ParsingError(f"{key} must be a text of 1-{_MAX_TEXT} characters", path=path)
    return value


def _parse_pages(node: Mapping[str, Any], after: int, path: str) -> tuple[int, int]:
    """``[first, last]``: 1-based, inclusive, starting right after page ``after``."""
    pages = node.get("pages")
    if (
        not isinstance(pages, list)
        or len(pages) != 2
        or not all(isinstance(p, int) and not isinstance(p, bool) for p in pages)
        or pages[0] != after + 1
        or not pages[0] <= pages[1] <= after + 1000
    ):
        raise ParsingError(
            f"pages must be [first, last], starting right after page {after}", path=path
        )
    return pages[0], pages[1]


def _parse_section(node: object, index: int, pages_so_far: int) -> Section:
    path = f"sections[{index}]"
    if not isinstance(node, dict):
        raise ParsingError("a section must be a JSON object", path=path)
    source = _text(node, "source", f"{path}.source")
    try:
        names = section_names(source)
    except ValueError as exc:
        raise ParsingError(str(exc), path=f"{path}.source") from exc
    for key, expected in (
        ("sealField", names.seal_field),
        ("credentialFile", names.credential_file),
        ("didFile", names.did_file),
    ):
        if node.get(key) != expected:
            raise ParsingError(f"{key} of {source} must be {expected!r}", path=f"{path}.{key}")
    digest = node.get("credentialSha256")
    if not isinstance(digest, str) or not _SHA256.fullmatch(digest):
        raise ParsingError("credentialSha256 must be 64 lower-case hex digits", path=path)
    pages = _parse_pages(node, pages_so_far, f"{path}.pages")
    qr = node.get("qr")
    if qr not in ("credential", "reference"):
        raise ParsingError('qr must be "credential" or "reference"', path=f"{path}.qr")
    demo = node.get("demo")
    if not isinstance(demo, bool):
        raise ParsingError("demo must be true or false", path=f"{path}.demo")
    return Section(
        source=source,
        name=_text(node, "name", f"{path}.name"),
        issuer=_text(node, "issuer", f"{path}.issuer"),
        title=_text(node, "title", f"{path}.title"),
        credential_sha256=digest,
        pages=pages,
        qr="credential" if qr == "credential" else "reference",
        demo=demo,
    )


def parse_manifest(data: bytes) -> Manifest:
    """Read ``manifest.json``; ``ParsingError`` for anything but a version-1 manifest.

    The sections must follow each other page by page (after the cover, when
    there is one) and name distinct sources.
    """

    def refuse_constant(name: str) -> None:
        raise ParsingError(f"{name} is not JSON")

    try:
        document = json.loads(data.decode("utf-8"), parse_constant=refuse_constant)
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
        raise ParsingError(f"{MANIFEST_FILE} is not JSON: {exc}") from exc
    if not isinstance(document, dict):
        raise ParsingError(f"{MANIFEST_FILE} must be a JSON object")
    if document.get("format") != FORMAT or document.get("version") != 1:
        raise ParsingError(f"not a version 1 {FORMAT} manifest", path="format")
    made_at = document.get("madeAt")
    try:
        if not isinstance(made_at, str) or not made_at.endswith("Z"):
            raise ValueError(made_at)
        moment = datetime.fromisoformat(made_at)
    except ValueError:
        raise ParsingError("madeAt must be a UTC date-time", path="madeAt") from None
    cover = None
    if "cover" in document:
        node = document["cover"]
        if not isinstance(node, dict):
            raise ParsingError("cover must be a JSON object", path="cover")
        cover = Cover(_text(node, "for", "cover.for"), _parse_pages(node, 0, "cover.pages"))
    sections = document.get("sections")
    if not isinstance(sections, list) or not 1 <= len(sections) <= MAX_SECTIONS:
        raise ParsingError(f"sections must list 1-{MAX_SECTIONS} sources", path="sections")
    parsed: list[Section] = []
    last_page = cover.pages[1] if cover is not None else 0
    for index, node in enumerate(sections):
        section = _parse_section(node, index, last_page)
        parsed.append(section)
        last_page = section.pages[1]
    if len({s.source for s in parsed}) != len(parsed):
        raise ParsingError("a source appears twice", path="sections")
    return Manifest(made_at=moment, sections=tuple(parsed), cover=cover)


# --- What is printed --------------------------------------------------------------------------

_SEAL_EXPLANATION = (
    "Deze verklaring is digitaal gewaarmerkt door {name} met een eigen elektronisch zegel (PAdES, "
    "handtekeningveld {field}). Het zegel bewijst dat het document na het waarmerken niet is "
    "gewijzigd. De gegevens zitten ook als verifieerbaar digitaal bewijs (W3C Verifiable "
    "Credential) in dit PDF-bestand, als bijlage {credential_file}; de sleutels waarmee "
    "{name} tekent staan in de bijlage {did_file}. Controleer het zegel met een PDF-lezer die "
    "handtekeningen toont, of met 'blauwe-knop pdf verify'."
)
_DEMO_NOTE = (
    "Let op: dit is een demonstratie. Het zegelcertificaat is zelf ondertekend en niet "
    "uitgegeven door een erkende vertrouwensdienst."
)


def section_blocks(
    credential: Mapping[str, Any], section: Section, made_at: datetime
) -> list[Block]:
    """What one source's section prints, in order (the layout of the Basis PDF).

    Name and title, the issue date, the claims (:func:`claim_rows`), the
    credential's id, issuer, validity and SHA-256, how to check the seal,
    the demo warning for a self-signed seal, and the QR code's caption.
    """
    names = section.names
    credential = shown_credential(credential)
    issuer = _issuer_id(credential)
    about = [
        ("Soort", type_label(credential)),
        ("Kenmerk", str(credential.get("id", "–"))),
        ("Uitgever (DID)" if issuer.startswith("did:") else "Uitgever", issuer),
    ]
    for term, label in (("validFrom", "Geldig vanaf"), ("validUntil", "Geldig tot")):
        if term in credential:
            about.append((label, _format_scalar(credential[term])))
    about.append((f"SHA-256 van {names.credential_file}", section.credential_sha256))
    blocks = [
        Block("h1", section.name),
        Block("h2", section.title),
        Block("text", f"Afgegeven op {dutch_date(made_at.astimezone(UTC).date())}"),
        Block("table", "Gegevens", tuple(claim_rows(credential))),
        Block("table", "Over deze verklaring", tuple(about)),
        Block(
            "small",
            _SEAL_EXPLANATION.format(
                name=section.name,
                field=names.seal_field,
                credential_file=names.credential_file,
                did_file=names.did_file,
            ),
        ),
    ]
    if section.demo:
        blocks.append(Block("note", _DEMO_NOTE))
    if section.qr == "credential":
        caption = f"QR-code: de volledige verklaring (de tekst van {names.credential_file})."
    else:
        caption = (
            "QR-code: de verklaring is te groot voor één QR-code; deze bevat het kenmerk en de "
            f"SHA-256-vingerafdruk van {names.credential_file}."
        )
    alt = f"QR-code van de {type_label(credential).lower()} van {section.name}"
    blocks.append(Block("figure", caption, alt=alt))
    return blocks


def cover_blocks(manifest: Manifest) -> list[Block]:
    """What the cover of an aggregated copy prints: for whom, when, which sources, how to check."""
    if manifest.cover is None:
        raise ValueError("a Basis copy of one source has no cover")
    sources = tuple((s.name, f"{s.title}; zegel {s.names.seal_field}") for s in manifest.sections)
    blocks = [
        Block("h1", "Gewaarmerkt overzicht van uw gegevens"),
        Block("text", f"Voor: {manifest.cover.made_for}"),
        Block("text", f"Gemaakt op {_dutch_moment(manifest.made_at)}"),
        Block("table", "Bronnen in dit document", sources),
        Block("h2", "Zo controleert u dit document"),
        Block(
            "text",
            "Elke organisatie heeft haar eigen deel gewaarmerkt met haar eigen elektronisch "
            "zegel (PAdES); geen organisatie staat in voor de gegevens van een andere. Een "
            "PDF-lezer die handtekeningen toont, laat alle zegels zien; na het laatste zegel is "
            "niets meer veranderd. Elk deel bevat de gegevens ook als verifieerbaar digitaal "
            "bewijs (W3C Verifiable Credential) in een bijlage van dit PDF-bestand. "
            "'blauwe-knop pdf verify' controleert per organisatie het zegel, het bewijs en of "
            f"de getoonde gegevens gelijk zijn aan het bewijs; de bijlage {MANIFEST_FILE} "
            "beschrijft de delen.",
        ),
    ]
    if any(s.demo for s in manifest.sections):
        blocks.append(Block("note", _DEMO_NOTE))
    blocks.append(
        Block(
            "figure",
            "QR-code: de bijlagen van dit document met hun SHA-256-vingerafdruk.",
            alt="QR-code met de namen en vingerafdrukken van de bijlagen",
        )
    )
    return blocks


def cover_qr_text(manifest: Manifest) -> str:
    """The cover's QR code: where the embedded data is and how to recognise it (compact JSON)."""
    files = [
        {"bestand": s.names.credential_file, "sha256": s.credential_sha256}
        for s in manifest.sections
    ]
    return json.dumps(
        {"inhoud": MANIFEST_FILE, "verklaringen": files}, ensure_ascii=True, separators=(",", ":")
    )
