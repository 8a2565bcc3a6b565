"""The notebooks run top to bottom offline on this environment's kernel; kept without outputs."""

from __future__ import annotations

import ast
import re
import sys
import tomllib
from importlib.metadata import packages_distributions
from pathlib import Path

import nbformat
import pytest
from jupyter_client.kernelspec import NATIVE_KERNEL_NAME
from nbclient import NotebookClient

REPO = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((REPO / "notebooks").glob("*.ipynb"))
OURS = {"vc_core", "vc_issuer", "wallet_sdk", "vc_verifier", "blauwe_knop"}
TITLES = ["01-issue", "02-selective", "03-basis", "04-plus", "05-under", "06-two-formats"]


def test_the_notebooks_are_there() -> None:
    names = [path.name for path in NOTEBOOKS]
    for title in TITLES:
        assert any(name.startswith(title) for name in names), names


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[path.stem for path in NOTEBOOKS])
def test_committed_without_outputs(path: Path) -> None:
    notebook = nbformat.read(path, as_version=4)
    nbformat.validate(notebook)
    for cell in notebook.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [], f"{path.name}: strip the outputs before committing"
            assert cell.execution_count is None, f"{path.name}: clear the execution counts"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[path.stem for path in NOTEBOOKS])
def test_runs_top_to_bottom(path: Path, tmp_path: Path) -> None:
    notebook = nbformat.read(path, as_version=4)
    # "python3" is the native kernel: jupyter_client starts its "python" with this
    # interpreter (sys.executable), so the notebook sees this environment's packages.
    assert NATIVE_KERNEL_NAME == "python3"
    client = NotebookClient(
        notebook,
        kernel_name=NATIVE_KERNEL_NAME,
        timeout=300,
        resources={"metadata": {"path": str(tmp_path)}},
    )
    client.execute()
    images = [
        output
        for cell in notebook.cells
        if cell.cell_type == "code"
        for output in cell.outputs
        if "image/png" in output.get("data", {})
    ]
    if not path.name.startswith("05"):
        assert images, f"{path.name} shows no image"
    printed = [
        output
        for cell in notebook.cells
        if cell.cell_type == "code"
        for output in cell.outputs
        if output.get("name") == "stdout"
    ]
    assert printed


def _requirement_names(requirements: list[str], extras: dict[str, list[str]]) -> set[str]:
    """Distribution names in ``requirements``, following ``blauwe-knop[...]`` into ``extras``."""
    names: set[str] = set()
    for requirement in requirements:
        name, _, rest = re.match(r"([A-Za-z0-9_.-]+)(\[([^\]]*)\])?", requirement).groups()  # type: ignore[union-attr]
        if name == "blauwe-knop":
            for extra in (rest or "").split(","):
                names |= _requirement_names(extras[extra.strip()], extras)
        else:
            names.add(name.lower().replace("_", "-"))
    return names


def test_the_notebooks_extra_installs_what_the_notebooks_import() -> None:
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    extras = project["optional-dependencies"]
    installed = _requirement_names([*project["dependencies"], *extras["notebooks"]], extras)
    assert {"jupyterlab", "ipykernel"} <= installed
    distributions = packages_distributions()
    for path in NOTEBOOKS:
        for cell in nbformat.read(path, as_version=4).cells:
            if cell.cell_type != "code":
                continue
            for node in ast.walk(ast.parse(cell.source)):
                if isinstance(node, ast.Import):
                    modules = [alias.name for alias in node.names]
                elif isinstance(node, ast.ImportFrom) and node.module:
                    modules = [node.module]
                else:
                    continue
                for module in {name.partition(".")[0] for name in modules}:
                    if module in sys.stdlib_module_names or module in OURS:
                        continue
                    names = {d.lower().replace("_", "-") for d in distributions[module]}
                    assert names & installed, f"{path.name} imports {module}: {names}"
