"""Read the text of a QR code from an image file or bytes (the optional ``image`` extra).

Uses zxing-cpp and Pillow, imported here only. Install with
``pip install 'blauwe-knop[image]'``. The image is untrusted: anything that
is not a readable image with exactly one QR code raises
:class:`QrImageError` (``QR_IMAGE_ERROR``).
"""

from __future__ import annotations

import io
import os
from pathlib import Path

from wallet_sdk.errors import WalletError

__all__ = ["MAX_IMAGE_BYTES", "MAX_IMAGE_PIXELS", "QrImageError", "decode_qr_image"]

MAX_IMAGE_BYTES = 20 * 2**20
MAX_IMAGE_PIXELS = 40_000_000


class QrImageError(WalletError):
    """The image cannot be read, holds no QR code, or holds more than one."""

    default_code = "QR_IMAGE_ERROR"


def decode_qr_image(image: str | os.PathLike[str] | bytes) -> str:
    """Return the text of the single QR code in ``image`` (a path or the file's bytes)."""
    try:
        import zxingcpp
        from PIL import Image, UnidentifiedImageError
    except ImportError as exc:  # pragma: no cover - depends on the installed extras
        raise QrImageError(
            "reading QR images needs the image extra: pip install 'blauwe-knop[image]'"
        ) from exc
    data = image if isinstance(image, bytes) else Path(image).read_bytes()
    if len(data) > MAX_IMAGE_BYTES:
        raise QrImageError(f"the image is larger than {MAX_IMAGE_BYTES} bytes")
    try:
        with Image.open(io.BytesIO(data)) as opened:
            width, height = opened.size
            if width * height > MAX_IMAGE_PIXELS:
                raise QrImageError(f"the image has more than {MAX_IMAGE_PIXELS} pixels")
            results = zxingcpp.read_barcodes(opened.convert("L"))
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError) as exc:
        raise QrImageError(f"not a readable image: {exc}") from exc
    qr_code = zxingcpp.BarcodeFormat.QRCode
    texts = [r.text for r in results if r.valid and r.format == qr_code]
    if len(texts) != 1:
        raise QrImageError(f"expected one QR code in the image, found {len(texts)}")
    return texts[0]
