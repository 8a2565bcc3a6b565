"""Vendor the pinned W3C JSON-LD contexts from npm into contexts/ and write contexts/manifest.json.

Run from anywhere (needs the ordinary ``npm`` client and the npm registry)::

    python scripts/vendor_contexts.py

Each pinned package is fetched with ``npm pack NAME@VERSION`` into a temporary
folder; the context file is read straight out of the tarball and written to
``contexts/`` byte for byte (no reformatting: the sha256 pins the exact bytes).
A context that no npm package carries (the W3C examples context) is taken
from its W3C repository at a pinned commit over https and must match the
sha256 pinned here.
Our own vocabulary context (``contexts/nl-vc-v1.json``) is maintained by hand;
the script only records its sha256. The manifest lists every file the document
loader may serve, and the loader refuses to start when a file's sha256 differs.
"""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
import tarfile
import tempfile
import urllib.request
from dataclasses import dataclass
from pathlib import Path

CONTEXTS_DIR = Path(__file__).resolve().parent.parent / "contexts"
MANIFEST = CONTEXTS_DIR / "manifest.json"


@dataclass(frozen=True, slots=True)
class VendoredContext:
    """One context URL served from one file of one pinned npm package."""

    url: str
    package: str
    member: str
    file: str


@dataclass(frozen=True, slots=True)
class RepositoryContext:
    """One context URL served from one file of a W3C repository at a pinned commit."""

    url: str
    repository: str
    commit: str
    path: str
    file: str
    sha256: str

    @property
    def package(self) -> str:
        return f"{self.repository}@{self.commit[:8]}"

    def fetch(self) -> bytes:
        source = f"https://raw.githubusercontent.com/{self.repository}/{self.commit}/{self.path}"
        with urllib.request.urlopen(source, timeout=30) as response:
            data: bytes = response.read()
        if hashlib.sha256(data).hexdigest() != self.sha256:
            raise SystemExit(f"{source} does not match its pinned sha256")
        return data


@dataclass(frozen=True, slots=True)
class OwnContext:
    """A context written in this repository."""

    url: str
    file: str
    package: str = "blauwe-knop"


_CREDENTIALS = "@digitalbazaar/credentials-context@3.2.0"
_DATA_INTEGRITY = "@digitalbazaar/data-integrity-context@2.0.1"
_SECURITY = "security-context@4.0.0"

VENDORED: tuple[VendoredContext, ...] = (
    VendoredContext(
        "https://www.w3.org/ns/credentials/v2",
        _CREDENTIALS,
        "contexts/v2.jsonld",
        "credentials-v2.json",
    ),
    VendoredContext(
        "https://www.w3.org/2018/credentials/v1",
        _CREDENTIALS,
        "contexts/v1.jsonld",
        "credentials-v1.json",
    ),
    VendoredContext(
        "https://w3id.org/security/data-integrity/v2",
        _DATA_INTEGRITY,
        "contexts/data-integrity-v2.jsonld",
        "data-integrity-v2.json",
    ),
    VendoredContext(
        "https://w3id.org/security/data-integrity/v1",
        _DATA_INTEGRITY,
        "contexts/data-integrity-v1.jsonld",
        "data-integrity-v1.json",
    ),
    VendoredContext(
        "https://w3id.org/security/multikey/v1",
        "@digitalbazaar/multikey-context@2.0.1",
        "contexts/multikey-v1.jsonld",
        "multikey-v1.json",
    ),
    VendoredContext(
        "https://www.w3.org/ns/did/v1",
        "did-context@3.1.1",
        "contexts/did-v1.jsonld",
        "did-v1.json",
    ),
    VendoredContext(
        "https://www.w3.org/ns/credentials/status/v1",
        "@digitalbazaar/vc-bitstring-status-list-context@1.1.0",
        "contexts/vc-bitstring-status-list-v1.jsonld",
        "bitstring-status-list-v1.json",
    ),
    VendoredContext(
        "https://w3id.org/security/v2", _SECURITY, "contexts/security-v2.jsonld", "security-v2.json"
    ),
    VendoredContext(
        "https://w3id.org/security/v1", _SECURITY, "contexts/security-v1.jsonld", "security-v1.json"
    ),
)

FROM_REPOSITORIES: tuple[RepositoryContext, ...] = (
    RepositoryContext(
        "https://www.w3.org/ns/credentials/examples/v2",
        "w3c/vc-data-model",
        "979c4af1cfe2224ed7b0ee5ec4d7a009a465812b",
        "contexts/credentials/examples/v2",
        "credentials-examples-v2.json",
        "57393fbc69d6efb9b9b5dc9cb6b9880b0944360abfe2eaf459c9e58cf2279d7c",
    ),
)

OWN: tuple[OwnContext, ...] = (
    OwnContext("https://issuer.example.nl/contexts/nl-vc/v1", "nl-vc-v1.json"),
)


def npm_pack(package: str, destination: Path) -> Path:
    """Download one package tarball with ``npm pack`` and return its path."""
    result = subprocess.run(
        ["npm", "pack", package, "--json", "--pack-destination", str(destination)],
        check=True,
        capture_output=True,
        text=True,
    )
    (packed,) = json.loads(result.stdout)
    filename: str = packed["filename"]
    return destination / filename


def read_member(tarball: Path, member: str) -> bytes:
    """Return the bytes of ``package/<member>`` inside an npm tarball."""
    with tarfile.open(tarball, "r:gz") as archive:
        extracted = archive.extractfile(f"package/{member}")
        if extracted is None:
            raise SystemExit(f"{tarball.name}: {member} is not a regular file")
        return extracted.read()


def checked_context(data: bytes, origin: str) -> bytes:
    """Return ``data`` unchanged after checking it parses as a JSON-LD context document."""
    document = json.loads(data)
    if not isinstance(document, dict) or "@context" not in document:
        raise SystemExit(f"{origin} is not a JSON-LD context document")
    return data


def manifest_entry(url: str, file: str, package: str, data: bytes) -> dict[str, str]:
    """One manifest row; the sha256 is over the file's exact bytes."""
    return {
        "url": url,
        "file": file,
        "package": package,
        "sha256": hashlib.sha256(data).hexdigest(),
    }


def main() -> None:
    """Fetch every pinned context, write it to contexts/, and rewrite the manifest."""
    entries: list[dict[str, str]] = []
    with tempfile.TemporaryDirectory() as temp:
        tarballs: dict[str, Path] = {}
        for pin in VENDORED:
            if pin.package not in tarballs:
                tarballs[pin.package] = npm_pack(pin.package, Path(temp))
            data = checked_context(
                read_member(tarballs[pin.package], pin.member), f"{pin.package} {pin.member}"
            )
            (CONTEXTS_DIR / pin.file).write_bytes(data)
            entries.append(manifest_entry(pin.url, pin.file, pin.package, data))
    for copied in FROM_REPOSITORIES:
        data = checked_context(copied.fetch(), copied.package)
        (CONTEXTS_DIR / copied.file).write_bytes(data)
        entries.append(manifest_entry(copied.url, copied.file, copied.package, data))
    for own in OWN:
        data = checked_context((CONTEXTS_DIR / own.file).read_bytes(), own.file)
        entries.append(manifest_entry(own.url, own.file, own.package, data))
    MANIFEST.write_text(json.dumps(entries, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {len(entries)} manifest entries to {MANIFEST}", file=sys.stderr)


if __name__ == "__main__":
    main()
