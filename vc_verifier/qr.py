"""QR codes for OpenID4VP request links; the only module that imports ``qrcode``.

``qrcode`` (and Pillow, which it loads) is imported on the first code made, so
the commands that only check presentations do not load an image library.
"""

from __future__ import annotations

import io
from typing import Any

__all__ = ["qr_png", "qr_svg"]


def _qr(text: str) -> Any:
    import qrcode
    import qrcode.constants

    if not isinstance(text, str) or not text:
        raise ValueError("a QR code needs a non-empty text")
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=4)
    code.add_data(text)
    code.make(fit=True)
    return code


def qr_svg(text: str) -> str:
    """Return ``text`` as a QR code in SVG (one path, scalable, no raster)."""
    import qrcode.image.svg

    image = _qr(text).make_image(image_factory=qrcode.image.svg.SvgPathImage)
    buffer = io.BytesIO()
    image.save(buffer)
    return buffer.getvalue().decode("utf-8")


def qr_png(text: str, *, box_size: int = 8) -> bytes:
    """Return ``text`` as a QR code in PNG, ``box_size`` pixels per module."""
    code = _qr(text)
    code.box_size = box_size
    buffer = io.BytesIO()
    code.make_image().save(buffer)
    return buffer.getvalue()
