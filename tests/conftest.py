"""Shared fixtures: the W3C vectors and reference contexts beside the checkout, a fixed clock."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
_SHARED = REPO.parent / "shared"


def _checked_dir(env: str, default: Path, what: str) -> Path:
    folder = Path(os.environ.get(env, default))
    if not folder.is_dir():
        pytest.fail(
            f"{what} not found at {folder}: check out ../shared beside the repo or set {env}",
            pytrace=False,
        )
    return folder


@pytest.fixture(scope="session")
def vectors_dir() -> Path:
    """``../shared/vectors``, checked once against its SHA256SUMS."""
    folder = _checked_dir("BLAUWE_KNOP_VECTORS", _SHARED / "vectors", "W3C test vectors")
    for line in (folder / "SHA256SUMS").read_text().splitlines():
        digest, name = line.split(maxsplit=1)
        name = name.lstrip("*")
        actual = hashlib.sha256((folder / name).read_bytes()).hexdigest()
        if actual != digest:
            pytest.fail(f"vector file {name} does not match SHA256SUMS", pytrace=False)
    return folder


@pytest.fixture(scope="session")
def shared_contexts_dir() -> Path:
    """``../shared/contexts``: the W3C reference copies our vendored contexts must equal."""
    return _checked_dir("BLAUWE_KNOP_SHARED_CONTEXTS", _SHARED / "contexts", "reference contexts")


FIXED_NOW = datetime(2026, 1, 1, 12, 0, tzinfo=UTC)


@pytest.fixture
def fixed_clock() -> Callable[[], datetime]:
    """A clock stuck at 2026-01-01T12:00:00Z."""
    return lambda: FIXED_NOW


@pytest.fixture(scope="session")
def shared_loader(shared_contexts_dir: Path) -> Callable[..., dict[str, object]]:
    """A plain offline loader over the W3C reference copies (for vector tests)."""
    import json

    index = json.loads((shared_contexts_dir / "index.json").read_text())
    documents = {
        url: json.loads((shared_contexts_dir / name).read_text()) for url, name in index.items()
    }

    def load(url: str, options: object = None) -> dict[str, object]:
        if url not in documents:
            raise LookupError(f"context {url} is not in ../shared/contexts")
        return {"contextUrl": None, "documentUrl": url, "document": documents[url]}

    return load
