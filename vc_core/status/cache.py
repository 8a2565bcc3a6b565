"""A cache of verified, expanded status lists shared by both status list formats."""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TypeVar

from vc_core.types import Clock

__all__ = ["StatusListCache"]

_T = TypeVar("_T")


def _utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True, slots=True)
class _CachedStatusList:
    status_list: object
    bits: bytes
    expires: datetime


class StatusListCache:
    """A thread-safe cache of verified, expanded status lists, keyed by URL.

    It holds Bitstring Status List credentials and Token Status List JWTs
    alike. An entry lives for the list's ``ttl`` (``default_ttl`` when it has
    none) and never past its ``validUntil`` or ``exp``. At most ``max_entries``
    lists and ``max_bytes`` expanded bytes are kept; the least recently used
    go first. Share one cache only among checks that trust the same keys (what
    the cache holds was verified with them).
    """

    def __init__(
        self,
        *,
        clock: Clock = _utc_now,
        max_entries: int = 256,
        default_ttl: timedelta = timedelta(minutes=5),
        max_bytes: int = 64 * 2**20,
    ) -> None:
        if max_entries < 1 or max_bytes < 1:
            raise ValueError("max_entries and max_bytes must be positive")
        self._clock = clock
        self._max_entries = max_entries
        self._max_bytes = max_bytes
        self._default_ttl = default_ttl
        self._lock = threading.Lock()
        self._entries: OrderedDict[str, _CachedStatusList] = OrderedDict()
        self._size = 0

    def __len__(self) -> int:
        with self._lock:
            return len(self._entries)

    def clear(self) -> None:
        """Forget every cached list."""
        with self._lock:
            self._entries.clear()
            self._size = 0

    def _lookup(self, url: str, kind: type[_T]) -> tuple[_T, bytes] | None:
        """The live entry for ``url`` if it holds a ``kind``; ``None`` otherwise."""
        now = self._clock()
        with self._lock:
            cached = self._entries.get(url)
            if cached is None or not isinstance(cached.status_list, kind):
                return None
            if now >= cached.expires:
                self._drop(url)
                return None
            self._entries.move_to_end(url)
            return cached.status_list, cached.bits

    def _store(
        self,
        url: str,
        status_list: object,
        bits: bytes,
        *,
        ttl: timedelta | None,
        not_after: datetime | None,
    ) -> None:
        """Keep ``status_list`` for ``ttl`` (or the default), never past ``not_after``."""
        now = self._clock()
        expires = now + (ttl if ttl is not None else self._default_ttl)
        if not_after is not None:
            expires = min(expires, not_after)
        if expires <= now or len(bits) > self._max_bytes:
            return
        with self._lock:
            self._drop(url)
            self._entries[url] = _CachedStatusList(status_list, bits, expires)
            self._size += len(bits)
            while len(self._entries) > self._max_entries or self._size > self._max_bytes:
                self._drop(next(iter(self._entries)))

    def _drop(self, url: str) -> None:
        """Remove ``url``'s entry; the caller holds the lock."""
        cached = self._entries.pop(url, None)
        if cached is not None:
            self._size -= len(cached.bits)
