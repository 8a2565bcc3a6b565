"""vc_issuer.qr: offer QR codes a standard reader decodes (zxing-cpp), as PNG and as SVG."""

from __future__ import annotations

import io
import json
import re
import urllib.parse
import xml.etree.ElementTree as ET

import pytest
import zxingcpp
from PIL import Image, ImageDraw

from vc_issuer.qr import qr_fits, qr_png, qr_svg

OFFER_ID = "q1Yb1pX0Tjv0G0x1fWc8mD4x7nKc2lQ9h3sZ5aR7eBw"  # 43 characters, like a 256-bit token
BY_REFERENCE = "openid-credential-offer://?credential_offer_uri=" + urllib.parse.quote(
    f"https://issuer.example.nl/belastingdienst/offers/{OFFER_ID}", safe=""
)
BY_VALUE = "openid-credential-offer://?credential_offer=" + urllib.parse.quote(
    json.dumps(
        {
            "credential_issuer": "https://issuer.example.nl/belastingdienst",
            "credential_configuration_ids": ["InkomensverklaringCredential_ldp_vc"],
            "grants": {
                "urn:ietf:params:oauth:grant-type:pre-authorized_code": {
                    "pre-authorized_code": "oaKazRN8I0IbtZ0C7JuMn5" * 3,
                    "tx_code": {
                        "length": 6,
                        "input_mode": "numeric",
                        "description": "Vul de code in die u per sms hebt ontvangen",
                    },
                }
            },
        }
    ),
    safe="",
)
SVG_NS = "{http://www.w3.org/2000/svg}"


def _decode(image: Image.Image) -> list[zxingcpp.Barcode]:
    return [code for code in zxingcpp.read_barcodes(image) if code.valid]


@pytest.mark.parametrize("text", [BY_REFERENCE, BY_VALUE], ids=["by-reference", "by-value"])
def test_png_decodes_to_the_exact_offer(text: str) -> None:
    image = Image.open(io.BytesIO(qr_png(text)))
    assert image.format == "PNG"
    codes = _decode(image)
    assert [code.text for code in codes] == [text]
    assert codes[0].format == zxingcpp.BarcodeFormat.QRCode
    assert codes[0].ec_level == "M"


def test_by_value_offer_is_long_enough_to_need_a_larger_version() -> None:
    small = Image.open(io.BytesIO(qr_png(BY_REFERENCE, box_size=1, border=0)))
    large = Image.open(io.BytesIO(qr_png(BY_VALUE, box_size=1, border=0)))
    assert len(BY_VALUE) > 500
    assert large.size[0] > small.size[0]


def test_box_size_and_border_set_the_pixel_size() -> None:
    modules = Image.open(io.BytesIO(qr_png(BY_REFERENCE, box_size=1, border=0))).size[0]
    assert (modules - 17) % 4 == 0  # a QR symbol is 17 + 4 * version modules wide
    image = Image.open(io.BytesIO(qr_png(BY_REFERENCE, box_size=5, border=2)))
    assert image.size == ((modules + 4) * 5, (modules + 4) * 5)
    assert [code.text for code in _decode(image)] == [BY_REFERENCE]


def _rasterize(svg: ET.Element, scale: int) -> Image.Image:
    """Draw the SVG's path (only M/H/V/z unit squares, as qrcode writes them) black on white."""
    _, _, width, height = (float(part) for part in svg.attrib["viewBox"].split())
    image = Image.new("L", (int(width * scale), int(height * scale)), 255)
    draw = ImageDraw.Draw(image)
    (path,) = svg.iter(f"{SVG_NS}path")
    squares = re.findall(r"M([\d.]+),([\d.]+)H([\d.]+)V([\d.]+)H([\d.]+)z", path.attrib["d"])
    assert squares, "the path is made of squares"
    for left, top, right, bottom, _ in squares:
        box = [float(left) * scale, float(top) * scale, float(right) * scale, float(bottom) * scale]
        draw.rectangle([box[0], box[1], box[2] - 1, box[3] - 1], fill=0)
    return image


@pytest.mark.parametrize("text", [BY_REFERENCE, BY_VALUE], ids=["by-reference", "by-value"])
def test_svg_is_well_formed_with_a_viewbox_and_decodes(text: str) -> None:
    svg = ET.fromstring(qr_svg(text))
    assert svg.tag == f"{SVG_NS}svg"
    min_x, min_y, width, height = (float(part) for part in svg.attrib["viewBox"].split())
    assert (min_x, min_y) == (0, 0)
    assert width == height > 21
    assert [code.text for code in _decode(_rasterize(svg, scale=6))] == [text]


def test_text_too_long_for_one_qr_code_is_a_value_error() -> None:
    text = "x" * 3000
    assert qr_fits(BY_VALUE)
    assert not qr_fits(text)
    with pytest.raises(ValueError, match="do not fit"):
        qr_png(text)
    with pytest.raises(ValueError, match="do not fit"):
        qr_svg(text)


def test_misuse_is_type_or_value_error() -> None:
    with pytest.raises(TypeError):
        qr_png(b"bytes")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="box_size"):
        qr_png(BY_REFERENCE, box_size=0)
