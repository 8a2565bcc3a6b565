"""Helpers for the certified-PDF tests: a checker that trusts the issuer's seals, and tampering.

Tampering works on the bytes, as an attacker would: one flipped byte inside a
page's content stream or an attachment's stream, a seal's revision cut off,
or an incremental update written with pyHanko's own writer.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable, Mapping
from typing import Any

from cryptography import x509
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader

from vc_core import KeyPair
from vc_core.types import Fetch, JsonObject
from vc_issuer import Issuer
from vc_verifier import Verifier
from vc_verifier.trust import ANY_TYPE

__all__ = [
    "attachment_object",
    "checker",
    "flip_byte_in_object",
    "page_content_object",
    "remove_seal_field",
    "seal_certificates",
    "strip_last_revision",
]


def seal_certificates(issuer: Issuer, sources: Iterable[str]) -> dict[str, list[x509.Certificate]]:
    """Issuer DID -> its sealing certificate, for ``sources``."""
    return {
        issuer.settings.issuer_did(source): [issuer.sealing_identity(source).certificate]
        for source in sources
    }


def checker(
    issuer: Issuer,
    *,
    trusted: Iterable[str] | None = None,
    fetch: Fetch | None = None,
    seals: Mapping[str, list[x509.Certificate]] | None = None,
    did_documents: Mapping[str, JsonObject] | None = None,
) -> Verifier:
    """A verifier that trusts ``trusted`` sources (default all) as sealers and issuers."""
    chosen = list(issuer.sources if trusted is None else trusted)
    trusted_seals = seal_certificates(issuer, chosen) if seals is None else dict(seals)
    return Verifier(
        client_id="redirect_uri:http://localhost/tests",
        signing_key=KeyPair.generate("P-256"),
        trusted_issuers={issuer.settings.issuer_did(s): [ANY_TYPE] for s in chosen},
        trusted_seals=trusted_seals,
        fetch=fetch,
        did_documents=did_documents,
    )


def _object_number(reference: Any) -> int:
    number: int = reference.idnum
    return number


def page_content_object(data: bytes, page: int) -> int:
    """The object number of the content stream of ``page`` (1-based)."""
    pages = PdfFileReader(io.BytesIO(data)).root["/Pages"]["/Kids"]
    return _object_number(pages[page - 1].get_object().raw_get("/Contents"))


def attachment_object(data: bytes, name: str) -> int:
    """The object number of the embedded file stream called ``name``."""
    names = list(PdfFileReader(io.BytesIO(data)).root["/Names"]["/EmbeddedFiles"]["/Names"])
    for index in range(0, len(names), 2):
        if str(names[index]) == name:
            return _object_number(names[index + 1].get_object()["/EF"].raw_get("/F"))
    raise AssertionError(f"no attachment {name}")


def flip_byte_in_object(data: bytes, number: int, offset: int = 20) -> bytes:
    """Flip one bit of the byte at ``offset`` in the stream data of object ``number``."""
    start = re.search(rb"[\r\n]%d 0 obj" % number, data)
    assert start is not None, f"object {number} not found"
    stream_at = data.index(b"stream", start.end()) + len(b"stream")
    stream_at += 2 if data[stream_at : stream_at + 2] == b"\r\n" else 1
    tampered = bytearray(data)
    tampered[stream_at + offset] ^= 0x01
    return bytes(tampered)


def strip_last_revision(data: bytes) -> bytes:
    """The file as it was before its last incremental update (the last seal cut off)."""
    ends = [match.end() for match in re.finditer(rb"%%EOF\r?\n?", data)]
    assert len(ends) >= 2, "the file has a single revision"
    return data[: ends[-2]]


def remove_seal_field(data: bytes, field_name: str) -> bytes:
    """An incremental update that takes the seal ``field_name`` out of the form."""
    writer = IncrementalPdfFileWriter(io.BytesIO(data))
    form = writer.root["/AcroForm"]
    fields = form["/Fields"]
    kept = generic.ArrayObject([ref for ref in fields if ref.get_object().get("/T") != field_name])
    assert len(kept) == len(fields) - 1, f"no field {field_name}"
    form[generic.NameObject("/Fields")] = kept
    writer.update_container(form)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
