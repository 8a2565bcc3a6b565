"""The vendored W3C vectors and reference contexts are exactly the files their SHA256SUMS list."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import VENDORED, check_sha256sums


@pytest.mark.parametrize("folder", ["w3c", "ietf", "contexts"])
def test_every_vendored_file_matches_its_checksum(folder: str) -> None:
    check_sha256sums(VENDORED / folder)


def test_a_changed_byte_is_caught(tmp_path: Path) -> None:
    (tmp_path / "a.json").write_text("{}")
    (tmp_path / "SHA256SUMS").write_text(
        "44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a  a.json\n"
    )
    check_sha256sums(tmp_path)
    (tmp_path / "a.json").write_text("{ }")
    with pytest.raises(pytest.fail.Exception, match="does not match"):
        check_sha256sums(tmp_path)


def test_an_unlisted_file_is_caught(tmp_path: Path) -> None:
    (tmp_path / "SHA256SUMS").write_text("")
    (tmp_path / "extra.json").write_text("{}")
    with pytest.raises(pytest.fail.Exception, match="unlisted"):
        check_sha256sums(tmp_path)


def test_every_reference_context_in_the_index_exists() -> None:
    folder = VENDORED / "contexts"
    index = json.loads((folder / "index.json").read_text())
    assert index, "the reference index lists no contexts"
    for url, name in index.items():
        assert url.startswith("https://"), url
        assert (folder / name).is_file(), name


def test_nothing_reads_outside_the_repository() -> None:
    """No test, fixture, script or package names the sibling source-data folder."""
    repo = VENDORED.parent.parent
    needle = "../" + "shared"
    offenders = [
        str(path.relative_to(repo))
        for pattern in ("*.py", "*.toml", "*.md", "Makefile", "*.ipynb", "*.cfg", "*.sh", "run")
        for path in repo.rglob(pattern)
        if ".venv" not in path.parts
        and ".git" not in path.parts
        and path.is_file()
        and needle in path.read_text(errors="replace")
    ]
    assert offenders == []
