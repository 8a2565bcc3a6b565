"""QR codes for the issuer: credential offers and certified PDFs, as PNG or SVG.

The only module of ``vc_issuer`` that imports ``qrcode``. Every code uses error
correction level M (about 15 % of the symbol may be damaged) and the smallest
QR version that holds the text, so a standard reader decodes the exact text.

>>> png = qr_png("openid-credential-offer://?credential_offer_uri=https%3A%2F%2Fissuer.example.nl")
>>> png[:8] == b"\\x89PNG\\r\\n\\x1a\\n"
True
>>> qr_svg("openid-credential-offer://").startswith("<svg")
True
"""

from __future__ import annotations

import io
from typing import Any

import qrcode
import qrcode.image.svg
from qrcode.constants import ERROR_CORRECT_M
from qrcode.exceptions import DataOverflowError

__all__ = ["qr_fits", "qr_png", "qr_svg"]


def _qr_code(text: str, *, box_size: int = 10, border: int = 4) -> Any:
    """A compiled QR code for ``text``; ``ValueError`` when it does not fit in version 40."""
    if not isinstance(text, str):
        raise TypeError("QR text must be a str")
    if box_size < 1 or border < 0:
        raise ValueError("box_size must be >= 1 and border >= 0")
    code = qrcode.QRCode(
        version=None, error_correction=ERROR_CORRECT_M, box_size=box_size, border=border
    )
    code.add_data(text)
    try:
        code.make(fit=True)
    except (DataOverflowError, ValueError) as exc:
        # Implementation note: qrcode raises ValueError("Invalid version") for some overflows.
        raise ValueError(f"{len(text)} characters do not fit in one QR code") from exc
    return code


def qr_fits(text: str) -> bool:
    """Tell whether ``text`` fits in one QR code at error correction level M."""
    try:
        _qr_code(text)
    except ValueError:
        return False
    return True


def qr_png(text: str, *, box_size: int = 8, border: int = 4) -> bytes:
    """Return a black-on-white PNG of the QR code for ``text``.

    ``box_size`` is the number of pixels per module and ``border`` the quiet
    zone in modules (4 is the minimum the QR standard asks for). Raises
    ``ValueError`` when the text is too long for one QR code.
    """
    image = _qr_code(text, box_size=box_size, border=border).make_image()
    buffer = io.BytesIO()
    image.save(buffer)
    return buffer.getvalue()


def qr_svg(text: str) -> str:
    """Return a standalone SVG document (one path, with a ``viewBox``) of the QR code for ``text``.

    One module is 1 mm at the SVG's natural size; the ``viewBox`` lets a page
    scale it freely. Raises ``ValueError`` when the text is too long.
    """
    image = _qr_code(text).make_image(image_factory=qrcode.image.svg.SvgPathImage)
    svg: str = image.to_string(encoding="unicode")
    return svg
