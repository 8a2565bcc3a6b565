"""The layering is a promise: import-linter contracts from pyproject.toml must hold."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def test_import_contracts_hold() -> None:
    lint_imports = shutil.which("lint-imports", path=str(Path(sys.executable).parent))
    assert lint_imports is not None, "import-linter is part of the dev group"
    done = subprocess.run(
        [lint_imports, "--no-cache"], cwd=REPO, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_vc_core_does_not_pull_in_web_or_role_packages() -> None:
    code = (
        "import sys, vc_core, vc_core.cli;"
        "bad = [m for m in ('fastapi', 'starlette', 'httpx', 'sqlalchemy', 'pydantic',"
        " 'vc_issuer', 'wallet_sdk', 'vc_verifier', 'requests') if m in sys.modules];"
        "print(','.join(bad))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True
    )
    assert done.stdout.strip() == ""
