"""pyld's processor as we run it: safe mode, memoized contexts, both fast paths; expand, compact.

:class:`Processor` combines the fast expansion and compaction paths with the
safe-mode hooks (a property that would be dropped raises, and so does a
free-floating value) and memoizes context processing and IRI expansion per
frozen active context. :func:`expand` and :func:`compact` are the adapter's
entry points for them.
"""

from __future__ import annotations

from typing import Any, Final

from pyld import jsonld

from vc_core._jsonld.calls import pyld_calls, pyld_options
from vc_core._jsonld.compaction import _MISSING, FastCompaction, is_expanded_fixpoint
from vc_core._jsonld.expansion import FallbackError, FastExpansion
from vc_core._jsonld.json_input import MAX_JSON_BYTES, MAX_JSON_DEPTH, copy_untrusted
from vc_core._jsonld.safe_mode import check_expanded, raise_dropped
from vc_core.errors import DataLossError, ParsingError
from vc_core.types import DocumentLoader, JsonObject

__all__ = ["PLAIN_PROCESSOR", "SAFE_PROCESSOR", "Processor", "compact", "expand", "expand_copy"]


class Processor(FastCompaction, FastExpansion):
    """pyld's processor: safe mode, memoized context processing and IRI expansion."""

    def __init__(self, *, safe: bool) -> None:
        super().__init__(on_property_dropped=raise_dropped if safe else jsonld.noop)
        self.safe = safe

    def _expand(
        self,
        active_ctx: Any,
        active_property: Any,
        element: Any,
        options: Any,
        inside_list: bool = False,
        inside_index: bool = False,
        type_scoped_ctx: Any = None,
    ) -> Any:
        expanded = super()._expand(
            active_ctx,
            active_property,
            element,
            options,
            inside_list,
            inside_index,
            type_scoped_ctx,
        )
        # Implementation note: pyld silently drops free-floating values at the
        # top level or directly in @graph: scalars, value objects and lists.
        # (It also drops empty objects and objects with only an @id, which
        # carry no data.) Expanding again with keepFreeFloatingNodes shows
        # what was dropped.
        if (
            expanded is None
            and self.safe
            and element is not None
            and not inside_list
            and (
                active_property is None
                or self._expand_iri(active_ctx, active_property, vocab=True) == "@graph"
            )
        ):
            kept = element
            if isinstance(element, dict):
                kept = super()._expand(
                    active_ctx,
                    active_property,
                    element,
                    {**options, "keepFreeFloatingNodes": True},
                    inside_list,
                    inside_index,
                    type_scoped_ctx,
                )
            if kept is not None and (
                not isinstance(kept, dict) or kept.get("@value") is not None or kept.get("@list")
            ):
                raise DataLossError(f"free-floating value {element!r:.80} would be dropped")
        return expanded

    def _process_context(
        self,
        active_ctx: Any,
        local_ctx: Any,
        options: Any,
        override_protected: bool = False,
        propagate: bool = True,
        validate_scoped: bool = True,
        cycles: Any = None,
    ) -> Any:
        # Implementation note: pyld caches a processed context per resolved
        # context and active-context uuid, but never hits for type-scoped
        # contexts (it clones the active context first, with a fresh uuid).
        # Finished active contexts are frozen, so (uuid, local context, flags)
        # determines the result; local contexts are keyed by value (URLs) or
        # by identity of loader-owned objects only.
        cache = getattr(options.get("contextResolver"), "context_cache", None)
        uuid = active_ctx.get("_uuid") if type(active_ctx) is not dict else None
        if cache is not None and cycles is None and uuid is not None:
            ctx_key = cache.key_of(local_ctx)
            if ctx_key is not None:
                key = (uuid, ctx_key, override_protected, propagate, validate_scoped)
                processed = cache.processed.get(key)
                if processed is None:
                    processed = super()._process_context(
                        active_ctx,
                        local_ctx,
                        options,
                        override_protected,
                        propagate,
                        validate_scoped,
                    )
                    cache.processed[key] = processed
                return processed
        if _resets_vocab(local_ctx):
            return self._process_vocab_reset(
                active_ctx, local_ctx, options, override_protected, propagate, validate_scoped
            )
        return super()._process_context(
            active_ctx, local_ctx, options, override_protected, propagate, validate_scoped, cycles
        )

    def _process_vocab_reset(
        self,
        active_ctx: Any,
        local_ctx: Any,
        options: Any,
        override_protected: bool,
        propagate: bool,
        validate_scoped: bool,
    ) -> Any:
        """Process a local context with an inline ``"@vocab": null``, item by item.

        Implementation note: JSON-LD lets ``"@vocab": null`` remove the vocabulary
        mapping, but pyld 3.3 fails with ``KeyError`` when there is none to remove.
        Where there is none the entry changes nothing, so it is left out.
        """
        for item in local_ctx if isinstance(local_ctx, list) else [local_ctx]:
            if (
                isinstance(item, dict)
                and "@vocab" in item
                and item["@vocab"] is None
                and "@vocab" not in active_ctx
            ):
                item = {key: value for key, value in item.items() if key != "@vocab"}
            active_ctx = super()._process_context(
                active_ctx, [item], options, override_protected, propagate, validate_scoped
            )
        return active_ctx

    def _expand_iri(
        self,
        active_ctx: Any,
        value: Any,
        base: Any = None,
        vocab: bool = False,
        local_ctx: Any = None,
        defined: Any = None,
    ) -> Any:
        # Implementation note: outside context processing (no local_ctx) the
        # result depends only on the frozen active context and the arguments.
        uuid = active_ctx.get("_uuid") if type(active_ctx) is not dict else None
        if local_ctx is None and uuid is not None and type(value) is str:
            key = (uuid, value, base, vocab)
            expanded = _EXPANDED_IRIS.get(key, _MISSING)
            if expanded is _MISSING:
                expanded = super()._expand_iri(active_ctx, value, base, vocab)
                if len(_EXPANDED_IRIS) >= _MAX_EXPANDED_IRIS:
                    _EXPANDED_IRIS.clear()
                _EXPANDED_IRIS[key] = expanded
            return expanded
        return super()._expand_iri(active_ctx, value, base, vocab, local_ctx, defined)


_EXPANDED_IRIS: dict[tuple[Any, ...], Any] = {}
_MAX_EXPANDED_IRIS: Final = 65_536
SAFE_PROCESSOR: Final = Processor(safe=True)
PLAIN_PROCESSOR: Final = Processor(safe=False)


def _resets_vocab(local_ctx: Any) -> bool:
    """Whether an inline context object in ``local_ctx`` sets ``@vocab`` to null."""
    items = local_ctx if isinstance(local_ctx, list) else [local_ctx]
    return any(
        isinstance(item, dict) and "@vocab" in item and item["@vocab"] is None for item in items
    )


def expand_copy(document: Any, options: dict[str, Any], *, safe: bool) -> list[JsonObject]:
    """Expand our private copy of a document (pyld's ``expand`` minus its deep copy)."""
    processor = SAFE_PROCESSOR if safe else PLAIN_PROCESSOR
    active_ctx = processor._get_initial_context(options)
    checked = True
    try:
        expanded = processor._fast_expand(active_ctx, None, document, options, None)
    except FallbackError:
        checked = False
        expanded = processor._expand(active_ctx, None, document, options, inside_list=False)
    if isinstance(expanded, dict) and "@graph" in expanded and len(expanded) == 1:
        expanded = expanded["@graph"]
    elif expanded is None:
        expanded = []
    result: list[JsonObject] = expanded if isinstance(expanded, list) else [expanded]
    # Implementation note: the fast path has made the same checks already.
    if safe and not checked:
        check_expanded(result)
    return result


def expand(
    document: Any,
    *,
    document_loader: DocumentLoader,
    safe: bool = True,
    max_depth: int = MAX_JSON_DEPTH,
    max_bytes: int = MAX_JSON_BYTES,
) -> list[JsonObject]:
    """Expand a JSON-LD document (safe mode by default: data loss raises).

    Raises ``DataLossError`` for an undefined term or a relative IRI,
    ``DocumentLoadError`` when a context cannot be loaded, ``ParsingError``
    for anything else that is not valid JSON-LD, and
    ``CanonicalizationLimitError`` for input past the size limits.
    """
    copied = copy_untrusted(document, max_depth=max_depth, max_bytes=max_bytes)
    options = pyld_options(document_loader)
    with pyld_calls():
        return expand_copy(copied, options, safe=safe)


def compact(
    document: Any,
    context: Any,
    *,
    document_loader: DocumentLoader,
    safe: bool = True,
    max_depth: int = MAX_JSON_DEPTH,
    max_bytes: int = MAX_JSON_BYTES,
    owned: bool = False,
) -> JsonObject:
    """Compact a JSON-LD document (compact or expanded) with ``context``.

    The document is expanded first, in safe mode by default; errors as for
    :func:`expand`. ``owned`` says the document is the caller's own, made from
    input that passed the limits (a skolemized expanded document): when it is
    in expanded form already, it is compacted as it is, without a copy.
    """
    # Implementation note: compacting a fixpoint reads it and builds new objects (its
    # values are scalars), so an owned one needs no private copy.
    owned_fixpoint = owned and is_expanded_fixpoint(document)
    if owned_fixpoint:
        copied = document
    else:
        copied = copy_untrusted(document, max_depth=max_depth, max_bytes=max_bytes)
    if isinstance(context, (dict, list)):
        context = copy_untrusted(context, max_depth=max_depth, max_bytes=max_bytes)
    elif not isinstance(context, str):
        raise ParsingError("a JSON-LD context must be a URL, an object or an array")
    options = pyld_options(document_loader)
    with pyld_calls():
        # Implementation note: ecdsa-sd-2023 compacts its skolemized expanded
        # document; expanding that again would give it back (see
        # is_expanded_fixpoint), and compaction does not depend on key order.
        if owned_fixpoint or is_expanded_fixpoint(copied):
            expanded = copied
        else:
            expanded = expand_copy(copied, options, safe=safe)
        compacted = PLAIN_PROCESSOR.compact(
            expanded, context, {**options, "skipExpansion": True, "compactArrays": True}
        )
    if not isinstance(compacted, dict):
        raise ParsingError("compaction did not produce a JSON object")
    return compacted
