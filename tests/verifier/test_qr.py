"""Request QR codes decode (zxing-cpp) back to the exact openid4vp:// link."""

from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ET

import pytest
import zxingcpp
from PIL import Image, ImageDraw

from vc_verifier import HousingIncomeRule, Verifier
from vc_verifier.qr import qr_png, qr_svg

QUERY = HousingIncomeRule.load(year=2026).dcql_query()
_MODULE = re.compile(r"M(\d+),(\d+)H(\d+)V(\d+)H\d+z")


def _decode(image: Image.Image) -> str:
    [barcode] = zxingcpp.read_barcodes(image)
    return str(barcode.text)


def _rasterize(svg: str, scale: int = 8) -> Image.Image:
    root = ET.fromstring(svg)
    size = int(root.attrib["viewBox"].split()[2])
    image = Image.new("L", (size * scale, size * scale), 255)
    draw = ImageDraw.Draw(image)
    path = next(root.iter("{http://www.w3.org/2000/svg}path")).attrib["d"]
    for x, y, x2, y2 in _MODULE.findall(path):
        draw.rectangle(
            (int(x) * scale, int(y) * scale, int(x2) * scale - 1, int(y2) * scale - 1), fill=0
        )
    return image


def test_png_and_svg_decode_to_the_link(verifier: Verifier) -> None:
    tx = verifier.create_request(QUERY, response_uri="https://verhuur.example.nl/oid4vp/response")
    assert _decode(Image.open(io.BytesIO(tx.qr_png()))) == tx.uri
    assert _decode(_rasterize(tx.qr_svg())) == tx.uri


def test_by_value_link_fits_in_a_qr_code(landlord_key: object) -> None:
    from vc_core import KeyPair

    verifier = Verifier(
        client_id="redirect_uri:http://127.0.0.1:8000/oid4vp/response",
        signing_key=KeyPair.generate("P-256"),
        trusted_issuers={},
    )
    tx = verifier.create_request(QUERY, purpose="Inkomenstoets")
    assert _decode(Image.open(io.BytesIO(qr_png(tx.uri, box_size=4)))) == tx.uri


def test_empty_text_is_misuse() -> None:
    with pytest.raises(ValueError, match="non-empty"):
        qr_svg("")
