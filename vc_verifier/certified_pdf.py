"""Check a certified PDF (Basis or Basis 2.0): every seal, every credential, the printed data.

Use it through :meth:`vc_verifier.Verifier.check_certified_pdf` (extra
``verifier-pdf``). The file must be a certified copy of the format of
:mod:`vc_core.certified_copy`: a ``manifest.json`` attachment naming the
sections, each sealed by its own source. Per source the report gives:

- **the seal** (field ``Waarmerk-<source>``): present; intact (the signed
  bytes and the CMS signature verify); which revision it signs and that the
  revisions after it only add the next seals; and that its certificate chains
  to a certificate trusted *for that source's DID* (the sealing organisation
  is the credential's issuer);
- **the credential** (``<source>-credential.json``): its SHA-256 is the
  manifest's, its issuer is the section's, and it passes the verifier's
  credential checks (proof, validity, trusted issuer, status). Online the
  issuer's DID document is fetched and the status lists are checked;
  offline the keys come from the sealed ``<source>-did.json`` and the status
  is reported as unknown;
- **the printed data**: the text of the section's pages equals the text the
  shared rules make from the embedded credential.

Problem codes, besides those of the credential checks (``PROOF_VERIFICATION_ERROR``,
``CREDENTIAL_REVOKED``, ``UNTRUSTED_ISSUER``, …):

=========================  ==========================================================
``PDF_UNREADABLE``         not a PDF, larger than :data:`MAX_PDF_BYTES`, or unparseable
``MANIFEST_MISSING``       no ``manifest.json`` (not a certified copy of this format)
``PARSING_ERROR``          the manifest or an embedded file is not what it should be
``SEAL_MISSING``           a section has no seal
``SEAL_BROKEN``            a seal's signed bytes or signature do not verify
``DOCUMENT_MODIFIED``      content changed after a seal (more than the next seals
                           added), or an attachment differs from the sealed one
``SEAL_UNEXPECTED``        a signature the manifest does not list
``SIGNER_UNTRUSTED``       the seal's certificate is not trusted for the section's DID
``CREDENTIAL_MISSING``     the credential file is missing or not the one listed
``ISSUER_MISMATCH``        the credential (or DID document) is not the section's issuer
``PRINTED_DATA_MISMATCH``  the printed text differs from the embedded credential
=========================  ==========================================================

Every finding is a :class:`~vc_core.errors.Problem` in the report; nothing
is raised for bad input.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from cryptography import x509

from vc_core.certified_copy import (
    MANIFEST_FILE,
    Manifest,
    Section,
    comparable_text,
    cover_blocks,
    enveloped_sd_jwt,
    printed_text,
    reduce_to_windows_1252,
    section_blocks,
    shown_credential,
)
from vc_core.certified_copy import parse_manifest as _parse_manifest
from vc_core.did import VerificationMethod, dereference_verification_method, did_web_base_url
from vc_core.errors import DidResolutionError, ParsingError, Problem
from vc_core.types import JsonObject
from vc_verifier.results import VerifiedCredential, VerifiedPresentation

if TYPE_CHECKING:
    from vc_verifier.pdf_seals import SealCheck, SealedPdf
    from vc_verifier.verifier import Verifier

__all__ = [
    "MAX_PDF_BYTES",
    "PDF_CRYPTOSUITES",
    "CertifiedPdfReport",
    "CredentialReport",
    "PrintedReport",
    "SealReport",
    "SourceReport",
    "certificate_dids",
    "check_certified_pdf",
    "read_seal_certificate",
]

MAX_PDF_BYTES = 10 * 1024 * 1024
"""Larger files are not parsed (an aggregated copy of four sources is well under 1 MiB)."""
PDF_CRYPTOSUITES = frozenset({"ecdsa-rdfc-2019", "eddsa-rdfc-2022"})
"""Suites accepted on an embedded credential: a certified copy carries it whole."""
StatusWord = Literal["valid", "revoked", "suspended", "unknown", "not checked"]


def _problem_json(problem: Problem) -> JsonObject:
    shown: JsonObject = {"code": problem.code, "detail": problem.detail}
    if problem.path:
        shown["path"] = problem.path
    return shown


def _stamp(moment: datetime | None) -> str | None:
    return None if moment is None else moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass(frozen=True, slots=True)
class SealReport:
    """One source's seal: where it is, what it covers, whether it holds and is trusted."""

    field: str
    present: bool
    revision: int | None
    revisions: int
    intact: bool
    later_changes: str | None
    signer: str
    trusted: bool
    signed_at: datetime | None
    problems: tuple[Problem, ...]

    @property
    def covers(self) -> str:
        """``revision 2 of 5; later revisions add only seals`` (or why not)."""
        if self.revision is None:
            return "-"
        if not self.intact:
            return f"revision {self.revision} of {self.revisions}"
        later = {
            "none": "the whole file",
            "seals only": "later revisions add only seals",
            "other": "LATER REVISIONS CHANGE CONTENT",
        }.get(self.later_changes or "", "")
        return f"revision {self.revision} of {self.revisions}; {later}"

    def to_json(self) -> JsonObject:
        return {
            "field": self.field,
            "present": self.present,
            "revision": self.revision,
            "revisions": self.revisions,
            "intact": self.intact,
            "laterChanges": self.later_changes,
            "signer": self.signer,
            "trusted": self.trusted,
            "signedAt": _stamp(self.signed_at),
            "problems": [_problem_json(p) for p in self.problems],
        }


@dataclass(frozen=True, slots=True)
class CredentialReport:
    """One source's embedded credential: what it claims to be, and whether it verified.

    ``unverified_id`` and ``unverified_types`` are read from the file before
    any check; ``credential`` is set only when every check passed. ``keys``
    says where the issuer's keys came from (``did:web`` fetched, or the
    sealed ``attachment``); ``status`` is ``unknown`` offline.
    """

    file: str
    unverified_id: str | None
    unverified_types: tuple[str, ...]
    keys: str
    status: StatusWord
    credential: VerifiedCredential | None
    problems: tuple[Problem, ...]

    @property
    def verified(self) -> bool:
        return self.credential is not None and not self.problems

    def to_json(self) -> JsonObject:
        return {
            "file": self.file,
            "id": self.unverified_id,
            "types": list(self.unverified_types),
            "verified": self.verified,
            "keys": self.keys,
            "status": self.status,
            "problems": [_problem_json(p) for p in self.problems],
        }


@dataclass(frozen=True, slots=True)
class PrintedReport:
    """Whether a section's pages show exactly its embedded credential's data."""

    pages: tuple[int, int]
    matches: bool
    problems: tuple[Problem, ...]

    def to_json(self) -> JsonObject:
        return {
            "pages": list(self.pages),
            "matches": self.matches,
            "problems": [_problem_json(p) for p in self.problems],
        }


@dataclass(frozen=True, slots=True)
class SourceReport:
    """Everything checked for one source's section."""

    source: str
    name: str
    issuer: str
    seal: SealReport
    credential: CredentialReport
    printed: PrintedReport

    @property
    def problems(self) -> tuple[Problem, ...]:
        """Every problem of the section, with the source's name as path prefix."""
        found = (*self.seal.problems, *self.credential.problems, *self.printed.problems)
        return tuple(
            replace(p, path=f"{self.source}.{p.path}" if p.path else self.source) for p in found
        )

    @property
    def valid(self) -> bool:
        return not self.problems

    def to_json(self) -> JsonObject:
        return {
            "source": self.source,
            "name": self.name,
            "issuer": self.issuer,
            "valid": self.valid,
            "seal": self.seal.to_json(),
            "credential": self.credential.to_json(),
            "printed": self.printed.to_json(),
        }


_SEAL_INTEGRITY = frozenset({"SEAL_MISSING", "SEAL_BROKEN", "DOCUMENT_MODIFIED"})


@dataclass(frozen=True, slots=True)
class CertifiedPdfReport:
    """What :func:`check_certified_pdf` found; ``valid`` only when everything checked.

    ``problems`` are about the document as a whole (unreadable, no manifest,
    an unexpected signature, the cover); ``sources`` has one report per
    section. ``presentation`` holds the credentials of the valid sections
    (``holder``: the file's SHA-256 as a URN, since a certified copy is not
    bound to a holder key), for ``HousingIncomeRule.evaluate``.
    """

    sha256: str
    offline: bool
    checked_at: datetime
    problems: tuple[Problem, ...]
    sources: tuple[SourceReport, ...] = ()
    manifest: Manifest | None = None
    presentation: VerifiedPresentation | None = field(default=None, repr=False)

    @property
    def valid(self) -> bool:
        return not self.problems and bool(self.sources) and all(s.valid for s in self.sources)

    def problems_for(self, issuers: Collection[str]) -> tuple[Problem, ...]:
        """What stands in the way for a verifier that trusts only ``issuers``.

        The document must be whole (document problems and every section's seal
        integrity count); the sections of ``issuers`` must be valid; the other
        sections' trust, credentials and printed data do not matter.
        """
        found = list(self.problems)
        for source in self.sources:
            if source.issuer in issuers:
                found.extend(source.problems)
            else:
                found.extend(p for p in source.problems if p.code in _SEAL_INTEGRITY)
        return tuple(found)

    def summary(self) -> str:
        """One line: which sections changed, or that all is well."""
        if self.valid:
            return f"valid: {len(self.sources)} sources, every seal intact and trusted"
        changed = [
            s.source
            for s in self.sources
            if not s.printed.matches or any(p.code == "CREDENTIAL_MISSING" for p in s.problems)
        ]
        missing = [s.source for s in self.sources if not s.seal.present]
        parts = []
        if changed:
            parts.append(f"changed section(s): {', '.join(changed)}")
        if missing:
            parts.append(f"seal(s) missing: {', '.join(missing)}")
        if self.problems:
            parts.append(", ".join(sorted({p.code for p in self.problems})))
        return "NOT valid" + (f": {'; '.join(parts)}" if parts else "")

    def to_json(self) -> JsonObject:
        manifest = self.manifest
        return {
            "valid": self.valid,
            "sha256": self.sha256,
            "offline": self.offline,
            "checkedAt": _stamp(self.checked_at),
            "madeAt": None if manifest is None else _stamp(manifest.made_at),
            "madeFor": None
            if manifest is None or manifest.cover is None
            else (manifest.cover.made_for),
            "problems": [_problem_json(p) for p in self.problems],
            "sources": [s.to_json() for s in self.sources],
        }


def certificate_dids(certificate: x509.Certificate) -> list[str]:
    """The DIDs a sealing certificate names as subject alternative names (URIs ``did:…``)."""
    try:
        names = certificate.extensions.get_extension_for_class(x509.SubjectAlternativeName)
    except x509.ExtensionNotFound:
        return []
    uris = names.value.get_values_for_type(x509.UniformResourceIdentifier)
    return [uri for uri in uris if uri.startswith("did:")]


def read_seal_certificate(option: str) -> tuple[list[str], x509.Certificate]:
    """Read a ``[DID=]CERT.pem`` option: the DIDs it is trusted for, and the certificate.

    Without ``DID=`` the certificate's own DID alternative names count.
    Raises ``ValueError`` (with a message for the user) when the file cannot
    be read, is not a PEM certificate or names no DID.
    """
    did, equals, path = option.rpartition("=") if option.startswith("did:") else ("", "", option)
    try:
        certificate = x509.load_pem_x509_certificate(Path(path).read_bytes())
    except (OSError, ValueError) as exc:
        raise ValueError(f"cannot read the certificate {path}: {exc}") from exc
    dids = [did] if equals else certificate_dids(certificate)
    if not dids:
        raise ValueError(f"{path} names no DID; give it as DID={path}")
    return dids, certificate


# --- The checks -----------------------------------------------------------------------------


def _printed_matches(
    texts: Sequence[str | None], pages: tuple[int, int], expected: str
) -> tuple[bool, str]:
    """Whether the text of ``pages`` is ``expected`` (as printed, or with the core fonts)."""
    shown = texts[pages[0] - 1 : pages[1]]
    if len(shown) != pages[1] - pages[0] + 1:
        return False, f"the document has no pages {pages[0]}-{pages[1]}"
    if any(text is None for text in shown):
        return False, f"pages {pages[0]}-{pages[1]} cannot be read"
    actual = comparable_text("".join(text or "" for text in shown))
    if actual in (comparable_text(expected), comparable_text(reduce_to_windows_1252(expected))):
        return True, ""
    return False, f"the text of pages {pages[0]}-{pages[1]} differs from the embedded data"


def _json_file(data: bytes, name: str) -> JsonObject:
    def refuse_constant(constant: str) -> None:
        raise ParsingError(f"{constant} is not JSON")

    try:
        value = json.loads(data.decode("utf-8"), parse_constant=refuse_constant)
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
        raise ParsingError(f"{name} is not JSON: {exc}", path=name) from exc
    if not isinstance(value, dict):
        raise ParsingError(f"{name} is not a JSON object", path=name)
    return value


def _seal_report(
    pdf: SealedPdf,
    section: Section,
    check: SealCheck | None,
    sealed_files: Mapping[str, bytes] | None,
    latest: Mapping[str, bytes],
) -> SealReport:
    names = section.names
    if check is None:
        problems = (Problem("SEAL_MISSING", f"{section.name} did not seal this copy", "seal"),)
        return SealReport(
            names.seal_field, False, None, pdf.revisions, False, None, "", False, None, problems
        )
    found: list[Problem] = []
    if not check.intact:
        found.append(Problem("SEAL_BROKEN", check.detail or "the seal does not verify", "seal"))
    if check.later_changes == "other":
        found.append(
            Problem(
                "DOCUMENT_MODIFIED",
                f"content was changed after revision {check.revision}, beyond adding seals",
                "seal",
            )
        )
    own = (MANIFEST_FILE, names.credential_file, names.did_file)
    if sealed_files is not None and any(sealed_files.get(n) != latest.get(n) for n in own):
        found.append(
            Problem("DOCUMENT_MODIFIED", "an attachment differs from the one sealed", "seal")
        )
    subject = check.signer.subject.rfc4514_string() if check.signer is not None else ""
    if not check.trusted:
        found.append(
            Problem(
                "SIGNER_UNTRUSTED",
                f"the seal's certificate {subject!r} is not trusted for {section.issuer}"
                " (or not valid now)",
                "seal",
            )
        )
    return SealReport(
        field=names.seal_field,
        present=True,
        revision=check.revision,
        revisions=pdf.revisions,
        intact=check.intact,
        later_changes=check.later_changes,
        signer=subject,
        trusted=check.trusted,
        signed_at=check.signed_at,
        problems=tuple(found),
    )


def _issuer_url(did: str) -> str | None:
    """The https URL a did:web DID stands for, or ``None``."""
    try:
        return did_web_base_url(did)
    except DidResolutionError:
        return None


def _sealed_keys(did_document: JsonObject) -> Callable[[str], VerificationMethod]:
    """Resolve verification methods from a sealed DID document only."""
    did = did_document.get("id")

    def resolve(vm_id: str) -> VerificationMethod:
        def document(wanted: str) -> JsonObject:
            if wanted != did:
                raise DidResolutionError(f"the sealed DID document is not {wanted}'s")
            return did_document

        return dereference_verification_method(vm_id, resolver=document)

    return resolve


def _status_word(credential: VerifiedCredential | None, problems: Sequence[Problem]) -> StatusWord:
    codes = {p.code for p in problems}
    if "CREDENTIAL_REVOKED" in codes:
        return "revoked"
    if "CREDENTIAL_SUSPENDED" in codes:
        return "suspended"
    if credential is None:
        return "not checked"
    return "unknown" if credential.status_unverified else "valid"


def _credential_report(
    verifier: Verifier,
    section: Section,
    files: Mapping[str, bytes],
    *,
    seal: SealReport,
    offline: bool,
) -> tuple[CredentialReport, JsonObject | None]:
    """Check the section's embedded credential; also return it parsed (for the printed check)."""
    names = section.names
    keys = "attachment" if offline else "did:web"
    data = files.get(names.credential_file)
    if data is None:
        problem = Problem("CREDENTIAL_MISSING", f"no {names.credential_file}", "credential")
        return CredentialReport(
            names.credential_file, None, (), keys, "not checked", None, (problem,)
        ), None
    problems: list[Problem] = []
    if hashlib.sha256(data).hexdigest() != section.credential_sha256:
        problems.append(
            Problem(
                "CREDENTIAL_MISSING", f"{names.credential_file} is not the one listed", "credential"
            )
        )
    try:
        unverified = _json_file(data, names.credential_file)
    except ParsingError as exc:
        problems.extend(replace(p, path="credential") for p in exc.problems)
        return CredentialReport(
            names.credential_file, None, (), keys, "not checked", None, tuple(problems)
        ), None
    # An SD-JWT VC is embedded enveloped; it is read (not yet trusted) as a W3C one would be.
    compact = enveloped_sd_jwt(unverified)
    try:
        shown = shown_credential(unverified)
    except ParsingError as exc:
        problems.extend(replace(p, path="credential") for p in exc.problems)
        return CredentialReport(
            names.credential_file, None, (), keys, "not checked", None, tuple(problems)
        ), None
    types = shown.get("type")
    unverified_types = tuple(
        t for t in (types if isinstance(types, list) else [types]) if isinstance(t, str)
    )
    unverified_id = shown.get("id") if isinstance(shown.get("id"), str) else None
    issuer = shown.get("issuer")
    issuer = issuer.get("id") if isinstance(issuer, dict) else issuer
    if compact is not None and issuer == _issuer_url(section.issuer):
        issuer = section.issuer  # the https URL of an SD-JWT VC's issuer is its did:web DID
    if issuer != section.issuer:
        problems.append(
            Problem(
                "ISSUER_MISMATCH",
                f"issued by {issuer!r}, not by {section.issuer}",
                "credential.issuer",
            )
        )
    resolve = None
    if offline:
        if not seal.trusted:
            problems.append(
                Problem(
                    "PROOF_VERIFICATION_ERROR",
                    "offline the issuer's keys come from the section's sealed DID document, and "
                    "this section has no trusted seal",
                    "credential.proof",
                )
            )
            return CredentialReport(
                names.credential_file,
                unverified_id,
                unverified_types,
                keys,
                "not checked",
                None,
                tuple(problems),
            ), unverified
        try:
            did_document = _json_file(files.get(names.did_file, b""), names.did_file)
        except ParsingError as exc:
            did_document = {}
            problems.extend(replace(p, path="credential") for p in exc.problems)
        if did_document and did_document.get("id") != section.issuer:
            problems.append(
                Problem(
                    "ISSUER_MISMATCH", f"{names.did_file} is not {section.issuer}'s", "credential"
                )
            )
        resolve = _sealed_keys(did_document)
    checked = (
        verifier._check_sd_jwt_copy(compact, resolve=resolve, status_offline=offline)
        if compact is not None
        else verifier._check_credential(
            unverified,
            None,
            cryptosuites=PDF_CRYPTOSUITES,
            holder_bound=False,
            resolve=resolve,
            status_offline=offline,
        )
    )
    problems.extend(
        replace(p, path=f"credential.{p.path}" if p.path else "credential")
        for p in checked.problems
    )
    report = CredentialReport(
        file=names.credential_file,
        unverified_id=unverified_id,
        unverified_types=unverified_types,
        keys=keys,
        status=_status_word(checked.credential, checked.problems),
        credential=checked.credential if not problems else None,
        problems=tuple(problems),
    )
    return report, unverified


def _unreadable(
    sha256: str,
    offline: bool,
    now: datetime,
    code: str,
    detail: str,
    manifest: Manifest | None = None,
) -> CertifiedPdfReport:
    return CertifiedPdfReport(sha256, offline, now, (Problem(code, detail),), (), manifest)


def check_certified_pdf(
    data: bytes,
    *,
    verifier: Verifier,
    trusted_seals: Mapping[str, Sequence[x509.Certificate]],
    offline: bool,
) -> CertifiedPdfReport:
    """Check a certified copy; see the module docstring. Never raises for bad input.

    ``trusted_seals`` maps an issuer DID to the certificates its seals must
    chain to. Offline, DID documents come from the sealed attachments and
    status is unknown; online, the verifier fetches both.
    """
    from vc_verifier.pdf_seals import open_sealed_pdf
    from vc_verifier.pdf_text import page_texts

    if not isinstance(data, bytes | bytearray | memoryview):
        raise TypeError("data must be bytes")
    data = bytes(data)
    now = verifier._clock()
    digest = hashlib.sha256(data).hexdigest()
    if b"%PDF-" not in data[:1024]:
        return _unreadable(digest, offline, now, "PDF_UNREADABLE", "the file is not a PDF")
    if len(data) > MAX_PDF_BYTES:
        return _unreadable(
            digest, offline, now, "PDF_UNREADABLE", f"larger than {MAX_PDF_BYTES} bytes"
        )
    try:
        pdf = open_sealed_pdf(data)
        latest = pdf.attachments()
    except ParsingError as exc:
        return _unreadable(digest, offline, now, "PDF_UNREADABLE", exc.problems[0].detail)
    if MANIFEST_FILE not in latest:
        return _unreadable(
            digest,
            offline,
            now,
            "MANIFEST_MISSING",
            f"no {MANIFEST_FILE}: not a certified copy of this format",
        )
    try:
        manifest = _parse_manifest(latest[MANIFEST_FILE])
    except ParsingError as exc:
        unreadable = tuple(
            replace(p, path=f"{MANIFEST_FILE}.{p.path}" if p.path else MANIFEST_FILE)
            for p in exc.problems
        )
        return CertifiedPdfReport(digest, offline, now, unreadable)
    try:
        texts: Sequence[str | None] = page_texts(data)
    except ParsingError:
        texts = []
    problems: list[Problem] = []
    expected_fields = {s.names.seal_field for s in manifest.sections}
    for name in pdf.seal_fields:
        if name not in expected_fields:
            problems.append(
                Problem(
                    "SEAL_UNEXPECTED", f"a signature {name!r} the manifest does not list", "seals"
                )
            )
    if pdf.revisions != len(pdf.seal_fields) + 1:
        problems.append(
            Problem(
                "DOCUMENT_MODIFIED",
                f"{pdf.revisions} revisions for {len(pdf.seal_fields)} seals: something other "
                "than a seal was added",
                "seals",
            )
        )
    if manifest.cover is not None:
        matches, detail = _printed_matches(
            texts, manifest.cover.pages, printed_text(cover_blocks(manifest))
        )
        if not matches:
            problems.append(Problem("PRINTED_DATA_MISMATCH", detail, "cover"))
    sources = [
        _source_report(
            verifier, pdf, manifest, section, latest, texts, trusted_seals, offline=offline, now=now
        )
        for section in manifest.sections
    ]
    valid = [s.credential.credential for s in sources if s.valid and s.credential.credential]
    presentation = (
        VerifiedPresentation(f"urn:sha256:{digest}", tuple(c for c in valid if c), now)
        if valid
        else None
    )
    return CertifiedPdfReport(
        digest, offline, now, tuple(problems), tuple(sources), manifest, presentation
    )


def _source_report(
    verifier: Verifier,
    pdf: SealedPdf,
    manifest: Manifest,
    section: Section,
    latest: Mapping[str, bytes],
    texts: Sequence[str | None],
    trusted_seals: Mapping[str, Sequence[x509.Certificate]],
    *,
    offline: bool,
    now: datetime,
) -> SourceReport:
    check = pdf.check_seal(
        section.names.seal_field, trusted=trusted_seals.get(section.issuer, ()), moment=now
    )
    sealed_files = None
    if check is not None:
        try:
            sealed_files = pdf.attachments(check.revision)
        except ParsingError:
            sealed_files = {}
    seal = _seal_report(pdf, section, check, sealed_files, latest)
    credential, unverified = _credential_report(
        verifier, section, latest, seal=seal, offline=offline
    )
    if unverified is None:
        printed = PrintedReport(
            section.pages,
            False,
            (
                Problem(
                    "PRINTED_DATA_MISMATCH", "no embedded credential to compare with", "printed"
                ),
            ),
        )
    else:
        expected = printed_text(section_blocks(unverified, section, manifest.made_at))
        matches, detail = _printed_matches(texts, section.pages, expected)
        problems = () if matches else (Problem("PRINTED_DATA_MISMATCH", detail, "printed"),)
        printed = PrintedReport(section.pages, matches, problems)
    return SourceReport(section.source, section.name, section.issuer, seal, credential, printed)
