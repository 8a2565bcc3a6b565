"""Node.js for the interop tests: the executable, once a pinned npm project is installed.

``make test`` installs each project with ``npm ci`` (scripts/ensure-test-deps.sh). Without
Node or the installed packages the tests fail and say what is missing: they are never skipped.
"""

from __future__ import annotations

import shutil
from functools import cache
from pathlib import Path

import pytest

__all__ = ["node_for"]


@cache
def node_for(project: Path, package: str) -> str:
    """The ``node`` executable, if ``project``'s ``node_modules`` holds ``package``."""
    node = shutil.which("node")
    relative = project.relative_to(Path(__file__).resolve().parent.parent)
    if node is None:
        pytest.fail(
            f"Node.js is not installed: these tests need `node` (20 or newer) and the packages "
            f"of {relative} (`make test` installs them with npm ci)",
            pytrace=False,
        )
    if not (project / "node_modules" / package).is_dir():
        pytest.fail(
            f"{relative}/node_modules is missing: run `npm ci --prefix {relative}` "
            "(`make test` does it when npm is installed)",
            pytrace=False,
        )
    return node
