"""The printed text of a PDF's pages, read with pypdf: the only module here that imports it.

Part of the ``verifier-pdf`` extra. pypdf shows each page's text in the
order its content stream draws it, decoding fonts through their
``/ToUnicode`` maps, which is what comparing printed data with embedded data
needs (:func:`vc_core.certified_copy.comparable_text` ignores the spaces and
line breaks extractors differ on).
"""

from __future__ import annotations

import io
import logging

from pypdf import PdfReader

from vc_core.errors import ParsingError

__all__ = ["page_texts"]

# Implementation note: pypdf warns about damaged files through logging; the caller reports.
logging.getLogger("pypdf").addHandler(logging.NullHandler())
logging.getLogger("pypdf").propagate = False


def page_texts(data: bytes) -> list[str | None]:
    """The text of every page of ``data`` in drawing order; ``None`` for an unreadable page.

    Raises ``ParsingError`` when the file has no readable page tree.
    """
    # Implementation note: pypdf parses hostile bytes and may fail with any exception class.
    try:
        pages = list(PdfReader(io.BytesIO(data), strict=False).pages)
    except Exception as exc:
        raise ParsingError(f"cannot read the pages: {exc}") from exc
    texts: list[str | None] = []
    for page in pages:
        try:
            texts.append(page.extract_text())
        except Exception:
            texts.append(None)
    return texts
