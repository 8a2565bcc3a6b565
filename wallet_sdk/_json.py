"""Strict JSON for untrusted protocol messages: size and depth caps, no duplicates, no NaN.

Callers translate :class:`JsonInputError` into their own typed error.
"""

from __future__ import annotations

import json
from typing import Any

__all__ = ["MAX_DEPTH", "JsonInputError", "dumps", "loads"]

MAX_DEPTH = 64
"""Deepest nesting of arrays and objects accepted in a protocol message."""


class JsonInputError(ValueError):
    """Untrusted bytes are not acceptable JSON (internal; callers translate it)."""


def _unique_members(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    names = [name for name, _ in pairs]
    if len(set(names)) != len(names):
        raise JsonInputError("duplicate member names in a JSON object")
    return dict(pairs)


def _refuse_constant(name: str) -> Any:
    raise JsonInputError(f"{name} is not JSON")


def _depth(value: Any) -> int:
    """Nesting depth of a parsed JSON value, computed without recursion."""
    deepest = 0
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        item, level = stack.pop()
        if isinstance(item, dict):
            deepest = max(deepest, level)
            stack.extend((child, level + 1) for child in item.values())
        elif isinstance(item, list):
            deepest = max(deepest, level)
            stack.extend((child, level + 1) for child in item)
    return deepest


def loads(data: bytes | str, *, max_bytes: int, what: str) -> Any:
    """Parse untrusted JSON text of at most ``max_bytes`` and nesting ``MAX_DEPTH``.

    Raises :class:`JsonInputError` naming ``what`` on any problem.
    """
    size = len(data.encode("utf-8") if isinstance(data, str) else data)
    if size > max_bytes:
        raise JsonInputError(f"{what} is larger than {max_bytes} bytes")
    try:
        text = data.decode("utf-8") if isinstance(data, bytes) else data
        value = json.loads(text, object_pairs_hook=_unique_members, parse_constant=_refuse_constant)
    except JsonInputError as exc:
        raise JsonInputError(f"{what}: {exc}") from exc
    except (ValueError, RecursionError) as exc:
        raise JsonInputError(f"{what} is not JSON: {exc}") from exc
    if _depth(value) > MAX_DEPTH:
        raise JsonInputError(f"{what} is nested deeper than {MAX_DEPTH} levels")
    return value


def dumps(value: Any) -> str:
    """Compact JSON text (UTF-8, no NaN) for storage and protocol bodies."""
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False, allow_nan=False)
