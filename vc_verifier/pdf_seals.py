"""The seals and attachments of a PDF, read with pyHanko: the only module here that imports it.

Part of the ``verifier-pdf`` extra. :func:`open_sealed_pdf` parses a file
once; :meth:`SealedPdf.check_seal` validates one signature field (the signed
bytes, the CMS signature, what later revisions changed) and, separately,
whether its certificate chains to one of the given trusted certificates at
a moment; :meth:`SealedPdf.attachments` reads the embedded files of the
latest revision or of the revision a seal signed. Nothing is fetched: no
revocation information, no time stamps.

pyHanko parses hostile bytes and may fail with any exception class; every
failure here becomes a ``ParsingError`` (opening) or a :class:`SealCheck`
with ``detail`` (validating), never a library error.
"""

from __future__ import annotations

import io
import logging
import warnings
from collections.abc import Sequence
from contextlib import aclosing
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal

from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.utils import CryptographyDeprecationWarning

from vc_core.errors import ParsingError
from vc_core.sync import run_sync

# Implementation note: pyHanko imports cryptography's DSA key classes and cryptography warns
# about DSA on every such import; that one warning, attributed to pyHanko's modules, is
# silenced while pyHanko loads (as in vc_issuer.pdf); every other warning stays visible.
with warnings.catch_warnings():
    warnings.filterwarnings(
        "ignore", category=CryptographyDeprecationWarning, module=r"pyhanko(_certvalidator)?\."
    )
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.diff_analysis import ModificationLevel
    from pyhanko.sign.validation import EmbeddedPdfSignature, async_validate_pdf_signature
    from pyhanko.sign.validation.status import SignatureCoverageLevel
    from pyhanko_certvalidator import CertificateValidator, ValidationContext

__all__ = ["LaterChanges", "SealCheck", "SealedPdf", "open_sealed_pdf"]

# Implementation note: pyHanko logs validation failures (an untrusted or broken seal) with
# a traceback; without this handler Python's last-resort handler prints them on stderr.
# The integrity check runs with no trust roots on purpose (trust is checked separately).
for _name in ("pyhanko", "pyhanko_certvalidator"):
    logging.getLogger(_name).addHandler(logging.NullHandler())
    logging.getLogger(_name).propagate = False

LaterChanges = Literal["none", "seals only", "other"]
"""What the revisions after a seal changed: nothing, only signatures added, or content."""


@dataclass(frozen=True, slots=True)
class SealCheck:
    """One seal, validated.

    ``revision`` is the 1-based number of the revision it signs (of
    :attr:`SealedPdf.revisions`); ``intact`` says the signed bytes and the
    signature verify; ``later_changes`` what the revisions after it changed
    (``none`` when it covers the whole file); ``trusted`` that its
    certificate chains to one of the trusted certificates and is valid at
    the moment given. ``detail`` explains a seal that could not be validated.
    """

    field_name: str
    revision: int
    intact: bool
    later_changes: LaterChanges
    signer: x509.Certificate | None
    trusted: bool
    signed_at: datetime | None
    detail: str = ""


def _asn1(certificate: x509.Certificate) -> Any:
    return asn1_x509.Certificate.load(certificate.public_bytes(serialization.Encoding.DER))


def _later_changes(coverage: Any, level: Any, *, last_revision: bool) -> LaterChanges:
    if coverage == SignatureCoverageLevel.ENTIRE_FILE:
        return "none"
    if last_revision:
        return "other"  # bytes after the last revision that are no revision at all
    if coverage == SignatureCoverageLevel.ENTIRE_REVISION and level is not None:
        return "seals only" if level <= ModificationLevel.FORM_FILLING else "other"
    return "other"


async def _chains_to(
    certificate: x509.Certificate, trusted: Sequence[x509.Certificate], moment: datetime
) -> bool:
    """Whether ``certificate`` chains to one of ``trusted`` and is valid at ``moment``."""
    if not trusted or not (
        certificate.not_valid_before_utc <= moment <= certificate.not_valid_after_utc
    ):
        # Implementation note: path validation takes a trust anchor as it is, so a trusted
        # self-signed certificate's own validity period is checked here.
        return False
    context = ValidationContext(
        trust_roots=[_asn1(c) for c in trusted], allow_fetching=False, moment=moment
    )
    async with aclosing(context):
        try:
            await CertificateValidator(
                _asn1(certificate), validation_context=context
            ).async_validate_usage(set())  # type: ignore[no-untyped-call]
        except Exception:  # not trusted, for whichever reason pyhanko_certvalidator found
            return False
    return True


async def _check(
    seal: EmbeddedPdfSignature, trust_roots: Sequence[x509.Certificate], moment: datetime
) -> SealCheck:
    revision = int(seal.signed_revision) + 1
    try:
        signer = x509.load_der_x509_certificate(seal.signer_cert.dump())
        signed_at = seal.self_reported_timestamp
    except Exception as exc:
        return SealCheck(seal.field_name, revision, False, "other", None, False, None, str(exc))
    context = ValidationContext(trust_roots=[], allow_fetching=False, moment=moment)
    try:
        async with aclosing(context):
            status = await async_validate_pdf_signature(seal, signer_validation_context=context)
        intact = bool(status.intact and status.valid)
        last = seal.signed_revision == seal.reader.xrefs.total_revisions - 1
        later = _later_changes(status.coverage, status.modification_level, last_revision=last)
        detail = "" if intact else "the signed bytes or the signature do not verify"
    except Exception as exc:
        intact, later, detail = False, "other", f"the seal cannot be validated: {exc}"
    trusted = await _chains_to(signer, trust_roots, moment)
    return SealCheck(seal.field_name, revision, intact, later, signer, trusted, signed_at, detail)


def _embedded_files(root: Any) -> dict[str, bytes]:
    """Name -> content of every attachment in a document catalog (first one of a name wins)."""
    names_dict = root.get("/Names")
    files = names_dict.get("/EmbeddedFiles") if names_dict is not None else None
    entries = list(files.get("/Names", [])) if files is not None else []
    found: dict[str, bytes] = {}
    for index in range(0, len(entries) - 1, 2):
        try:
            name = str(entries[index].get_object())
            stream = entries[index + 1].get_object()["/EF"]["/F"].get_object()
            found.setdefault(name, bytes(stream.data))
        except Exception:  # a damaged attachment is a missing one; the caller names it
            continue
    return found


class SealedPdf:
    """A parsed PDF: its revisions, seals and attachments."""

    def __init__(self, reader: PdfFileReader) -> None:
        self._reader = reader
        self._seals = {seal.field_name: seal for seal in reader.embedded_signatures}

    @property
    def revisions(self) -> int:
        """How many revisions (incremental updates, the first included) the file has."""
        return int(self._reader.xrefs.total_revisions)

    @property
    def seal_fields(self) -> tuple[str, ...]:
        """The names of the filled signature fields, in the order they were signed."""
        return tuple(self._seals)

    def check_seal(
        self, field_name: str, *, trusted: Sequence[x509.Certificate], moment: datetime
    ) -> SealCheck | None:
        """Validate the seal in ``field_name`` (``None`` when there is none)."""
        seal = self._seals.get(field_name)
        if seal is None:
            return None
        return run_sync(_check(seal, trusted, moment.astimezone(UTC)))

    def attachments(self, revision: int | None = None) -> dict[str, bytes]:
        """The embedded files of the latest revision, or of ``revision`` (1-based).

        A damaged attachment is left out. Raises ``ParsingError`` when the
        document's attachments cannot be found at all.
        """
        try:
            root = (
                self._reader.root
                if revision is None
                else self._reader.get_historical_root(revision - 1)
            )
            return _embedded_files(root)
        except Exception as exc:
            raise ParsingError(f"cannot read the attachments: {exc}") from exc


def open_sealed_pdf(data: bytes) -> SealedPdf:
    """Parse ``data``; ``ParsingError`` when pyHanko cannot read it as a PDF."""
    # Implementation note: pyHanko parses hostile bytes and may fail with any exception
    # class (its own, ValueError, KeyError, RecursionError, ...).
    try:
        reader = PdfFileReader(io.BytesIO(data))
        return SealedPdf(reader)
    except Exception as exc:
        raise ParsingError(f"cannot read the PDF: {exc}") from exc
