"""Run a coroutine to its end from synchronous code, also where an event loop already runs.

The PDF libraries the role packages use (pyHanko) are asynchronous inside;
our functions are synchronous and must also work in a notebook or in
``async def`` code, where ``asyncio.run`` refuses to start.

>>> async def answer() -> int:
...     return 42
>>> run_sync(answer())
42
"""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

__all__ = ["run_sync"]

_T = TypeVar("_T")


def run_sync(coroutine: Coroutine[Any, Any, _T]) -> _T:
    """Run ``coroutine`` and return its result, with or without a running loop in this thread."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coroutine)
    # Implementation note: asyncio.run refuses to start where a loop already runs (a Jupyter
    # kernel, async code), so the coroutine gets a loop of its own in a short-lived thread;
    # the caller's thread blocks meanwhile, as any sync call would.
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="vc-core-sync") as worker:
        return worker.submit(asyncio.run, coroutine).result()
