"""Untrusted JSON in: a private copy within depth and size limits, and a fast JSON copy.

Everything the adapter hands to pyld is first copied here, so pyld may mutate
its input freely and the caller's object is never touched; documents past the
limits raise :class:`CanonicalizationLimitError` before any JSON-LD work.
"""

from __future__ import annotations

import copy
import math
from typing import Any, Final, TypeVar

from vc_core.errors import CanonicalizationLimitError, ParsingError

__all__ = ["MAX_JSON_BYTES", "MAX_JSON_DEPTH", "copy_json", "copy_untrusted"]

_T = TypeVar("_T")

MAX_JSON_DEPTH: Final = 64
"""Deepest nesting of arrays and objects accepted in a document or context."""
MAX_JSON_BYTES: Final = 4 * 1024 * 1024
"""Largest accepted document, measured roughly as its compact JSON length."""


def copy_untrusted(value: Any, *, max_depth: int, max_bytes: int) -> Any:
    """Copy a parsed JSON value, enforcing depth and size limits.

    The copy is what pyld works on, so pyld may mutate it freely and the
    caller's object is never touched. JSON scalars at the top level and
    ``NaN``/``Infinity`` are untrusted input (``ParsingError``); objects that
    are not JSON at all (a ``datetime``, a ``tuple``) are misuse (``TypeError``).
    """
    if not isinstance(value, (dict, list)):
        if value is None or isinstance(value, (str, int, float)):
            raise ParsingError("a JSON-LD document must be a JSON object or array")
        raise TypeError(f"expected parsed JSON, got {type(value).__name__}")
    budget = [max_bytes]

    def walk(item: Any, depth: int) -> Any:
        kind = type(item)
        if kind is str:
            budget[0] -= len(item) + 3
            return item
        if kind is dict or isinstance(item, dict):
            if depth >= max_depth:
                raise CanonicalizationLimitError(f"JSON nesting deeper than {max_depth}")
            if "@import" in item:
                raise ParsingError("@import in a context is not supported")
            budget[0] -= 2
            copied: dict[str, Any] = {}
            for key, member in item.items():
                if type(key) is not str:
                    raise TypeError(f"JSON object keys must be str, got {type(key).__name__}")
                # Implementation note: strings, the usual member, are handled inline.
                if type(member) is str:
                    budget[0] -= len(key) + len(member) + 7
                    copied[key] = member
                else:
                    budget[0] -= len(key) + 4
                    copied[key] = walk(member, depth + 1)
            if budget[0] < 0:
                raise CanonicalizationLimitError(f"JSON input larger than {max_bytes} bytes")
            return copied
        if kind is list or isinstance(item, list):
            if depth >= max_depth:
                raise CanonicalizationLimitError(f"JSON nesting deeper than {max_depth}")
            budget[0] -= 2 + len(item)
            result = []
            for member in item:
                if type(member) is str:
                    budget[0] -= len(member) + 3
                    result.append(member)
                else:
                    result.append(walk(member, depth + 1))
            if budget[0] < 0:
                raise CanonicalizationLimitError(f"JSON input larger than {max_bytes} bytes")
            return result
        if item is None or kind is bool or kind is int:
            budget[0] -= 6
            return item
        if kind is float:
            if not math.isfinite(item):
                raise ParsingError("NaN and Infinity are not JSON numbers")
            budget[0] -= 12
            return item
        if isinstance(item, str):
            return walk(str(item), depth)
        raise TypeError(f"not a JSON value: {kind.__name__}")

    return walk(value, 0)


def copy_json(value: _T) -> _T:
    """A deep copy of parsed JSON, several times faster than ``copy.deepcopy``.

    Dicts and lists are copied, JSON scalars shared; anything else, and
    anything nested deeper than ``MAX_JSON_DEPTH``, goes to ``copy.deepcopy``.
    """

    def walk(item: Any, depth: int) -> Any:
        kind = type(item)
        if kind is str or kind is int or kind is float or kind is bool or item is None:
            return item
        if depth < MAX_JSON_DEPTH:
            if kind is dict:
                return {key: walk(member, depth + 1) for key, member in item.items()}
            if kind is list:
                return [walk(member, depth + 1) for member in item]
        return copy.deepcopy(item)

    copied: _T = walk(value, 0)
    return copied
