"""Shared fixtures: the vendored W3C vectors and reference contexts, a fixed clock."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
VENDORED = REPO / "tests" / "vectors"


def check_sha256sums(folder: Path) -> None:
    """Fail unless every file in ``folder`` is listed in its SHA256SUMS and matches it."""
    listed: dict[str, str] = {}
    for line in (folder / "SHA256SUMS").read_text().splitlines():
        digest, name = line.split(maxsplit=1)
        listed[name.lstrip("*")] = digest
    present = {
        str(path.relative_to(folder))
        for path in folder.rglob("*")
        if path.is_file() and path.name != "SHA256SUMS"
    }
    if present != set(listed):
        pytest.fail(
            f"{folder}: unlisted {sorted(present - set(listed))}, "
            f"missing {sorted(set(listed) - present)}",
            pytrace=False,
        )
    for name, digest in listed.items():
        if hashlib.sha256((folder / name).read_bytes()).hexdigest() != digest:
            pytest.fail(f"{folder / name} does not match SHA256SUMS", pytrace=False)


@pytest.fixture(scope="session")
def vectors_dir() -> Path:
    """The vendored W3C test vectors (``tests/vectors/w3c``), checked against SHA256SUMS."""
    folder = VENDORED / "w3c"
    check_sha256sums(folder)
    return folder


@pytest.fixture(scope="session")
def reference_contexts_dir() -> Path:
    """The vendored W3C reference contexts (``tests/vectors/contexts``), checked likewise."""
    folder = VENDORED / "contexts"
    check_sha256sums(folder)
    return folder


FIXED_NOW = datetime(2026, 1, 1, 12, 0, tzinfo=UTC)


@pytest.fixture
def fixed_clock() -> Callable[[], datetime]:
    """A clock stuck at 2026-01-01T12:00:00Z."""
    return lambda: FIXED_NOW


@pytest.fixture(scope="session")
def reference_loader(reference_contexts_dir: Path) -> Callable[..., dict[str, object]]:
    """A plain offline loader over the W3C reference copies (for vector tests)."""
    import json

    index = json.loads((reference_contexts_dir / "index.json").read_text())
    documents = {
        url: json.loads((reference_contexts_dir / name).read_text()) for url, name in index.items()
    }

    def load(url: str, options: object = None) -> dict[str, object]:
        if url not in documents:
            raise LookupError(f"context {url} is not among the reference contexts")
        return {"contextUrl": None, "documentUrl": url, "document": documents[url]}

    return load


class KeyedLoader:
    """A loader with a ``cache_key``: what vc_core may memoize per content (templates too)."""

    def __init__(self, load: Callable[..., dict[str, object]], cache_key: str) -> None:
        self._load = load
        self.cache_key = cache_key

    def __call__(self, url: str, options: object = None) -> dict[str, object]:
        return self._load(url, options)


@pytest.fixture(scope="session")
def keyed_reference_loader(
    reference_contexts_dir: Path, reference_loader: Callable[..., dict[str, object]]
) -> KeyedLoader:
    """:func:`reference_loader` with a ``cache_key`` over the reference contexts' bytes."""
    digest = hashlib.sha256()
    for path in sorted(reference_contexts_dir.iterdir()):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return KeyedLoader(reference_loader, digest.hexdigest())
