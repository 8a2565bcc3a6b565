"""Import plumbing: public names loaded on first use, and a library imported without extras."""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any

__all__ = ["lazy_exports", "without_modules"]


def lazy_exports(
    package: str, exports: Mapping[str, Sequence[str]]
) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """A package's ``__getattr__`` and ``__dir__`` that import each public name on first use.

    ``exports`` maps a module to the names the package re-exports from it. A
    package whose ``__init__`` imports everything makes every command and every
    ``import package.module`` pay for all of it (JSON-LD, HTTP, databases); with
    these, ``import vc_core.keys`` loads the key code and nothing more. The
    package keeps its ``__all__`` and, for type checkers, the same imports under
    ``if TYPE_CHECKING:``.
    """
    where = {name: module for module, names in exports.items() for name in names}

    def load(name: str) -> Any:
        module = where.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(module), name)
        setattr(sys.modules[package], name, value)
        return value

    def names() -> list[str]:
        return sorted({*vars(sys.modules[package]), *where})

    return load, names


@contextmanager
def without_modules(*names: str) -> Iterator[None]:
    """Inside the block, ``import name`` fails for each of ``names`` not imported yet.

    A ``None`` entry in ``sys.modules`` makes the import raise ``ImportError``;
    the entries are removed again afterwards, so later code imports the modules
    normally.
    """
    hidden = [name for name in names if name not in sys.modules]
    for name in hidden:
        sys.modules[name] = None  # type: ignore[assignment]
    try:
        yield
    finally:
        for name in hidden:
            if sys.modules.get(name) is None:
                sys.modules.pop(name, None)
