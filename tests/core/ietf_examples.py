"""Reading the examples out of the vendored IETF documents (``tests/vectors/ietf``).

The RFC text format wraps every line at 72 characters: a compact token or a
Disclosure is split over several indented lines, and a JSON example is
indented by three spaces. These helpers undo exactly that and nothing more.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from tests.conftest import VENDORED, check_sha256sums

IETF = VENDORED / "ietf"
SD_JWT = "draft-ietf-oauth-selective-disclosure-jwt-22.txt"
SD_JWT_VC = "draft-ietf-oauth-sd-jwt-vc-18.txt"
STATUS_LIST = "draft-ietf-oauth-status-list-20.txt"

# RFC 9901 Appendix A.5: the Issuer key of every SD-JWT example.
RFC9901_ISSUER_JWK = {
    "kty": "EC",
    "crv": "P-256",
    "x": "b28d4MwZMjw8-00CG4xfnn9SLMVMM19SlqZpVb_uNtQ",
    "y": "Xv5zWwuoaTgdS6hV43yI6gBwTnjukmFQQnJ_kCxzqk8",
}


@cache
def document(name: str) -> list[str]:
    """The lines of a vendored document (its SHA256SUMS checked once)."""
    check_sha256sums(IETF)
    return (IETF / name).read_text().splitlines()


def _find(lines: list[str], marker: str, start: int = 0) -> int:
    """The first line from ``start`` holding ``marker``; a section heading only where it begins
    a line (so the table of contents, which indents headings, is skipped)."""
    heading = re.match(r"[0-9A-Z]+\.", marker) is not None
    for number in range(start, len(lines)):
        line = lines[number]
        if line.startswith(marker) if heading else marker in line:
            return number
    raise LookupError(f"{marker!r} not found")


def _block(lines: list[str], start: int) -> list[str]:
    """The first run of non-blank lines after line ``start``."""
    number = start + 1
    while not lines[number].strip():
        number += 1
    block = []
    while number < len(lines) and lines[number].strip():
        block.append(lines[number])
        number += 1
    return block


def compact_after(name: str, marker: str, *, occurrence: int = 1) -> str:
    """The wrapped token (JWT, SD-JWT, Disclosure) in the block after ``marker``."""
    lines = document(name)
    position = -1
    for _ in range(occurrence):
        position = _find(lines, marker, position + 1)
    return "".join(line.strip() for line in _block(lines, position))


def json_after(name: str, marker: str, *, occurrence: int = 1) -> Any:
    """The JSON example in the block after ``marker``."""
    lines = document(name)
    position = -1
    for _ in range(occurrence):
        position = _find(lines, marker, position + 1)
    return json.loads("\n".join(_block(lines, position)))


@dataclass(frozen=True)
class ExampleDisclosure:
    """One Disclosure as an example lists it: claim, digest, text and contents."""

    claim: str
    digest: str
    disclosure: str
    contents: str


_CLAIM = re.compile(r"^\s*\*(Claim (?P<name>.+)|Array Entry)\*:\s*$")


def disclosures_between(name: str, start_marker: str, end_marker: str) -> list[ExampleDisclosure]:
    """The Disclosures an example lists between two markers, in order."""
    lines = document(name)
    start = _find(lines, start_marker)
    end = _find(lines, end_marker, start + 1)
    found: list[ExampleDisclosure] = []
    number = start
    while number < end:
        match = _CLAIM.match(lines[number])
        if match is None:
            number += 1
            continue
        claim = match.group("name") or "[array entry]"
        digest = lines[number + 2].split("SHA-256 Hash:")[1].strip()
        assert "Disclosure:" in lines[number + 3], lines[number + 3]
        number += 4
        parts = []
        while "Contents:" not in lines[number]:
            parts.append(lines[number].strip())
            number += 1
        contents = lines[number].split("Contents:")[1].strip()
        number += 1
        while lines[number].strip():
            # A wrapped JSON string continues without a space after a split \u escape.
            contents += ("" if contents.endswith("\\u") else " ") + lines[number].strip()
            number += 1
        found.append(ExampleDisclosure(claim, digest, "".join(parts), contents))
    return found


def status_vector(name: str, heading: str) -> tuple[int, dict[int, int], str]:
    """``(bits, {index: status}, lst)`` of one Appendix C Status List test vector."""
    lines = document(name)
    start = _find(lines, heading)
    end = _find(lines, "CBOR encoding:", start)
    statuses: dict[int, int] = {}
    for line in lines[start:end]:
        match = re.match(r"^\s*status\[(\d+)\]\s*=\s*0b([01]+)\s*$", line)
        if match:
            statuses[int(match.group(1))] = int(match.group(2), 2)
    text = " ".join(line.strip() for line in lines[_find(lines, "JSON encoding:", start) : end])
    bits = int(re.search(r'"bits": (\d+)', text).group(1))  # type: ignore[union-attr]
    lst = re.search(r'"lst": "([^"]+)"', text).group(1).replace(" ", "")  # type: ignore[union-attr]
    return bits, statuses, lst


def path_of(file: str) -> Path:
    return IETF / file
