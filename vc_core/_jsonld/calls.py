"""One pyld call: its options, the shared context caches, the lock, and typed errors.

pyld's process-wide context cache is keyed by URL only, so one loader's content
could leak into another's results. Every call gets our own context resolver;
its cache, and our memo of processed contexts, is shared only between loaders
with the same ``cache_key`` attribute (a loader without one gets a fresh cache
per call). A failing loader surfaces as its own :class:`DocumentLoadError`;
every other pyld failure becomes a :class:`ParsingError`.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, Final

from pyld import jsonld
from pyld.context_resolver import ContextResolver

from vc_core._jsonld.json_input import MAX_JSON_BYTES, MAX_JSON_DEPTH, copy_untrusted
from vc_core.errors import DocumentLoadError, ParsingError, VcError
from vc_core.types import DocumentLoader

__all__ = ["PYLD_LOCK", "pyld_calls", "pyld_options"]

# pyld error codes that mean "the loader gave us nothing usable".
_LOAD_FAILURE_CODES: Final = frozenset(
    {"loading remote context failed", "loading document failed", "invalid remote context"}
)
# Bounds of the shared context caches; past them a cache starts over empty.
_MAX_CACHED_CONTEXTS: Final = 256
_MAX_OWNED_OBJECTS: Final = 200_000
_MAX_PROCESSED: Final = 4_096
_MAX_LOADERS: Final = 64


class _BoundedCache(dict[Any, Any]):
    """pyld's shared resolved-context cache: a dict that starts over when full."""

    def __setitem__(self, key: Any, value: Any) -> None:
        if len(self) >= _MAX_CACHED_CONTEXTS:
            self.clear()
        super().__setitem__(key, value)


class _ContextCache:
    """Contexts resolved and processed for one loader content.

    ``owned`` holds every array and object of the context documents we copied
    from the loader, by ``id``; only those, never caller input, may be cache
    keys by identity. The strong references keep the ids from being reused.
    """

    __slots__ = ("owned", "processed", "resolved")

    def __init__(self) -> None:
        self.resolved: _BoundedCache = _BoundedCache()
        self.owned: dict[int, Any] = {}
        self.processed: dict[tuple[Any, ...], Any] = {}

    def own(self, value: Any) -> None:
        """Register every array and object inside a loaded context document."""
        if isinstance(value, dict):
            self.owned[id(value)] = value
            for member in value.values():
                self.own(member)
        elif isinstance(value, list):
            self.owned[id(value)] = value
            for member in value:
                self.own(member)

    def key_of(self, local_ctx: Any) -> Any:
        """A cache key for a local context, or ``None`` when it must not be cached."""
        if isinstance(local_ctx, str):
            return local_ctx
        if isinstance(local_ctx, list) and all(isinstance(item, str) for item in local_ctx):
            return tuple(local_ctx)
        if self.owned.get(id(local_ctx)) is local_ctx:
            return id(local_ctx)
        return None

    @property
    def full(self) -> bool:
        return len(self.owned) > _MAX_OWNED_OBJECTS or len(self.processed) > _MAX_PROCESSED


_CACHES: dict[str, _ContextCache] = {}
# pyld keeps module-level state (inverse-context cache, LRU caches inside resolved
# contexts) that is not thread-safe; all pyld JSON-LD processing runs under this lock.
PYLD_LOCK: Final = threading.RLock()


def _context_cache(document_loader: DocumentLoader) -> _ContextCache:
    """The cache for this loader's content: shared by ``cache_key``, else a fresh one."""
    cache_key = getattr(document_loader, "cache_key", None)
    if not isinstance(cache_key, str):
        return _ContextCache()
    cache = _CACHES.get(cache_key)
    if cache is None or cache.full:
        if len(_CACHES) >= _MAX_LOADERS:
            _CACHES.clear()
        cache = _CACHES[cache_key] = _ContextCache()
    return cache


class _Resolver(ContextResolver):  # type: ignore[misc]
    """pyld's context resolver over our per-loader cache."""

    def __init__(self, cache: _ContextCache, loader: Callable[..., Any]) -> None:
        super().__init__(cache.resolved, loader)
        self.context_cache = cache


def _guarded_loader(document_loader: DocumentLoader, cache: _ContextCache) -> Callable[..., Any]:
    """Wrap the caller's loader: typed errors, a private checked copy, shared caching."""

    def load(url: str, options: Any = None) -> dict[str, Any]:
        try:
            remote = document_loader(url, options)
        except VcError:
            raise
        except Exception as exc:
            raise DocumentLoadError(f"could not load {url!r}: {exc}") from exc
        try:
            document = remote["document"]
            if isinstance(document, (str, bytes)):
                document = json.loads(document)
            document = copy_untrusted(document, max_depth=MAX_JSON_DEPTH, max_bytes=MAX_JSON_BYTES)
        except Exception as exc:
            raise DocumentLoadError(f"the loader returned no usable document for {url!r}") from exc
        cache.own(document)
        context_url = remote.get("contextUrl")
        # Implementation note: the "static" tag makes pyld keep the resolved
        # context in our shared cache (without a tag it is cached per call only).
        return {
            "contextUrl": context_url if isinstance(context_url, str) else None,
            "documentUrl": url,
            "document": document,
            "tag": "static",
        }

    return load


def pyld_options(document_loader: DocumentLoader) -> dict[str, Any]:
    """pyld options for one call: our resolver and loader, no base IRI, JSON-LD 1.1."""
    cache = _context_cache(document_loader)
    loader = _guarded_loader(document_loader, cache)
    return {
        "base": None,
        "documentLoader": loader,
        "contextResolver": _Resolver(cache, loader),
        "processingMode": "json-ld-1.1",
        "isFrame": False,
        "keepFreeFloatingNodes": False,
        "extractAllScripts": False,
        "produceGeneralizedRdf": False,
        "rdfDirection": "i18n-datatype",
    }


def _translate(exc: Exception) -> VcError:
    """A typed error for a pyld failure that does not wrap one of ours."""
    code = getattr(exc, "code", None)
    message = exc.args[0] if exc.args else type(exc).__name__
    if isinstance(exc, jsonld.JsonLdError) and code in _LOAD_FAILURE_CODES:
        return DocumentLoadError(f"{message} ({code})")
    detail = f"{message} ({code})" if code else str(message)
    return ParsingError(f"invalid JSON-LD: {detail}")


def _wrapped_error(exc: BaseException) -> VcError | None:
    """Our own error (raised by the loader or a safe-mode hook) inside pyld's wrapping."""
    cause: BaseException | None = exc
    for _ in range(32):
        if cause is None or isinstance(cause, VcError):
            return cause
        cause = cause.__cause__ or cause.__context__
    return None


@contextmanager
def pyld_calls() -> Iterator[None]:
    """Run pyld under the lock; turn every failure into one of our typed errors."""
    try:
        with PYLD_LOCK:
            yield
    except (VcError, MemoryError):
        raise
    except Exception as exc:
        wrapped = _wrapped_error(exc)
        if wrapped is not None:
            raise wrapped from wrapped.__cause__
        raise _translate(exc) from exc
