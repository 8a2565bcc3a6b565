"""The notebooks run top to bottom offline on this environment's kernel; kept without outputs."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
from jupyter_client.kernelspec import NATIVE_KERNEL_NAME
from nbclient import NotebookClient

NOTEBOOKS = sorted((Path(__file__).resolve().parent.parent / "notebooks").glob("*.ipynb"))
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
