"""Offline JSON-LD document loader over the bundled, sha256-pinned contexts.

The contexts ship with the package (``vc_core/_contexts`` in a wheel, the
repository's ``contexts/`` folder in an editable checkout) and are listed in
``manifest.json`` with the sha256 of each file. The first load checks every
file against its pin; a mismatch raises :class:`DocumentLoadError` and nothing
is served. The loader never opens a socket: http(s) URLs are answered from the
bundle (or the caller's ``extra_contexts``), ``did:key`` is resolved in-process,
``did:web`` only through a resolver the caller injects, and everything else is
refused.

Documents are shared, not copied: every call for a URL returns the same parsed
object. Callers must treat it as read-only (JSON-LD processors do).
"""

from __future__ import annotations

import functools
import hashlib
import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from types import MappingProxyType
from typing import Any

from vc_core.did import resolve_did_key
from vc_core.errors import DocumentLoadError, VcError
from vc_core.types import JsonObject, RemoteDocument

__all__ = [
    "CREDENTIALS_V1_URL",
    "CREDENTIALS_V2_URL",
    "DATA_INTEGRITY_V2_URL",
    "DID_V1_URL",
    "EXAMPLES_V2_URL",
    "MULTIKEY_V1_URL",
    "NL_VC_V1_URL",
    "STATUS_LIST_V1_URL",
    "OfflineDocumentLoader",
    "bundled_context_file",
    "bundled_contexts",
    "document_loader",
    "load_context_folder",
]

CREDENTIALS_V2_URL = "https://www.w3.org/ns/credentials/v2"
CREDENTIALS_V1_URL = "https://www.w3.org/2018/credentials/v1"
DATA_INTEGRITY_V2_URL = "https://w3id.org/security/data-integrity/v2"
EXAMPLES_V2_URL = "https://www.w3.org/ns/credentials/examples/v2"
MULTIKEY_V1_URL = "https://w3id.org/security/multikey/v1"
DID_V1_URL = "https://www.w3.org/ns/did/v1"
STATUS_LIST_V1_URL = "https://www.w3.org/ns/credentials/status/v1"
NL_VC_V1_URL = "https://issuer.example.nl/contexts/nl-vc/v1"

_MANIFEST = "manifest.json"
_FILE_NAME = re.compile(r"[A-Za-z0-9_-][A-Za-z0-9._-]*")


def _contexts_root() -> Traversable:
    """The folder holding ``manifest.json``: package data first, then the checkout."""
    packaged = resources.files("vc_core").joinpath("_contexts")
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parent.parent / "contexts"


def _canonical_json(document: JsonObject) -> str:
    """``document`` as JSON text with sorted keys, no whitespace and ASCII escapes."""
    return json.dumps(document, sort_keys=True, separators=(",", ":"), allow_nan=False)


def _sha256_hex(text: str) -> str:
    return hashlib.sha256(text.encode("ascii")).hexdigest()


@dataclass(frozen=True, slots=True)
class _Bundle:
    """The checked bundle, by URL: files, parsed contexts and sha256 of their canonical JSON."""

    files: Mapping[str, bytes]
    contexts: Mapping[str, JsonObject]
    digests: Mapping[str, str]


def _read_bundle(root: Traversable) -> _Bundle:
    """Read every context listed in ``root/manifest.json``, checking each file's sha256."""
    try:
        manifest = json.loads(root.joinpath(_MANIFEST).read_bytes())
        pins = [(entry["url"], entry["file"], entry["sha256"]) for entry in manifest]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise DocumentLoadError(f"cannot read the context manifest in {root}: {exc}") from exc
    files: dict[str, bytes] = {}
    contexts: dict[str, JsonObject] = {}
    for url, file, sha256 in pins:
        if not isinstance(file, str) or not _FILE_NAME.fullmatch(file):
            raise DocumentLoadError(f"context file name {file!r} is not a plain file name")
        try:
            data = root.joinpath(file).read_bytes()
            if hashlib.sha256(data).hexdigest() != sha256:
                raise DocumentLoadError(f"context file {file} does not match its pinned sha256")
            files[url], contexts[url] = data, json.loads(data)
        except (OSError, ValueError) as exc:
            raise DocumentLoadError(f"cannot read the context file {file}: {exc}") from exc
    digests = {url: _sha256_hex(_canonical_json(doc)) for url, doc in contexts.items()}
    return _Bundle(MappingProxyType(files), MappingProxyType(contexts), MappingProxyType(digests))


@functools.cache
def _bundle() -> _Bundle:
    # Implementation note: functools.cache keeps only a returned value, so a failed check
    # is repeated on the next call instead of being remembered as good.
    return _read_bundle(_contexts_root())


def load_context_folder(folder: Path) -> Mapping[str, JsonObject]:
    """Read an operator's folder of extra contexts, pinned like the bundled ones.

    ``folder/manifest.json`` lists ``{"url", "file", "sha256"}`` per context
    (the bundled manifest's format); every file must match its sha256. The
    result is meant for ``document_loader(extra_contexts=...)``; nothing is
    ever fetched. Raises :class:`DocumentLoadError` for a missing or malformed
    manifest, an unreadable file or a sha256 mismatch.

    >>> load_context_folder(Path("/nonexistent"))  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    vc_core.errors.DocumentLoadError: LOADING_DOCUMENT_FAILED: cannot read the context manifest...
    """
    return _read_bundle(folder).contexts


def bundled_context_file(url: str) -> bytes:
    """The bundled context ``url`` exactly as shipped (its sha256 is pinned in the manifest).

    For a service that publishes its own context at its URL. ``KeyError`` when
    ``url`` is not bundled.

    >>> import json
    >>> data = bundled_context_file(NL_VC_V1_URL)
    >>> "@context" in json.loads(data)
    True
    """
    return _bundle().files[url]


def bundled_contexts() -> Mapping[str, JsonObject]:
    """Return the bundled contexts as a read-only mapping from URL to parsed document.

    Read and sha256-checked once per process; a failed check raises
    :class:`DocumentLoadError` and is repeated (never cached) on the next call.
    The documents are shared: do not mutate them.
    """
    return _bundle().contexts


class OfflineDocumentLoader:
    """A JSON-LD ``documentLoader`` that serves a fixed set of documents and DIDs, offline.

    Build one with :func:`document_loader`. Calling it returns a JSON-LD
    ``RemoteDocument`` ``{"contextUrl": None, "documentUrl": url, "document": doc}``
    or raises :class:`DocumentLoadError` (code ``LOADING_DOCUMENT_FAILED``).

    ``cache_key`` is a hex sha256 over the sorted pairs (URL, sha256 of the
    document's canonical JSON) of every context the loader serves, bundled and
    extra. Two loaders serving the same contexts have the same key; any
    difference in URLs or content gives a different key, so processed contexts
    may be cached per ``(cache_key, url)``. DID documents are not covered: they
    are resolved on every call and must not be cached as contexts.
    """

    __slots__ = ("_did_resolver", "_documents", "cache_key")

    def __init__(
        self,
        documents: Mapping[str, JsonObject],
        digests: Mapping[str, str],
        did_resolver: Callable[[str], JsonObject] | None,
    ) -> None:
        self._documents = documents
        self._did_resolver = did_resolver
        pairs = sorted(digests.items())
        self.cache_key: str = _sha256_hex(json.dumps(pairs))

    def __call__(self, url: str, options: dict[str, Any] | None = None) -> RemoteDocument:
        """Return the document for ``url``; ``options`` (pyld's request headers) are ignored."""
        if url.startswith("did:"):
            document = self._resolve_did(url)
        elif url in self._documents:
            document = self._documents[url]
        else:
            raise DocumentLoadError(f"{url!r} is not bundled and the loader is offline")
        return {"contextUrl": None, "documentUrl": url, "document": document}

    def _resolve_did(self, url: str) -> JsonObject:
        """Resolve the DID of a DID URL; a fragment is dropped, a path or query refused."""
        did = url.partition("#")[0]
        if "/" in did or "?" in did:
            raise DocumentLoadError(f"DID URL {url!r} has a path or query, which is not supported")
        resolver: Callable[[str], JsonObject]
        if did.startswith("did:key:"):
            resolver = resolve_did_key
        elif did.startswith("did:web:") and self._did_resolver is not None:
            resolver = self._did_resolver
        elif did.startswith("did:web:"):
            raise DocumentLoadError(f"no did_resolver was given to resolve {did!r}")
        else:
            raise DocumentLoadError(f"DID method of {did!r} is not supported")
        try:
            document = resolver(did)
        except VcError as exc:
            raise DocumentLoadError(f"could not resolve {did!r}: {exc}") from exc
        if not isinstance(document, dict) or document.get("id") != did:
            raise DocumentLoadError(f"the DID document for {did!r} does not have that id")
        return document


def document_loader(
    *,
    extra_contexts: Mapping[str, JsonObject] | None = None,
    did_resolver: Callable[[str], JsonObject] | None = None,
) -> OfflineDocumentLoader:
    """Build an offline JSON-LD document loader over the bundled contexts.

    ``extra_contexts`` adds documents by URL (e.g. the W3C examples context for
    test vectors); it may not replace a bundled URL (``ValueError``). The
    documents are copied, so later changes by the caller do not leak in.
    ``did:key`` URLs are resolved in-process; ``did:web`` URLs only through
    ``did_resolver`` (called with the DID, without fragment). Any other URL
    raises :class:`DocumentLoadError`. Raises :class:`DocumentLoadError` at once
    when a bundled file does not match its pinned sha256.

    >>> loader = document_loader()
    >>> remote = loader(CREDENTIALS_V2_URL)
    >>> remote["contextUrl"], remote["documentUrl"] == CREDENTIALS_V2_URL
    (None, True)
    >>> loader("https://example.org/x")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    vc_core.errors.DocumentLoadError: LOADING_DOCUMENT_FAILED: 'https://example.org/x' is not...
    >>> extra = {"https://example.org/ctx": {"@context": {"ex": "https://example.org/ns#"}}}
    >>> with_extra = document_loader(extra_contexts=extra)
    >>> with_extra("https://example.org/ctx")["document"]
    {'@context': {'ex': 'https://example.org/ns#'}}
    >>> with_extra.cache_key == loader.cache_key
    False
    >>> document_loader().cache_key == loader.cache_key
    True
    """
    bundle = _bundle()
    documents = dict(bundle.contexts)
    digests = dict(bundle.digests)
    for url, document in (extra_contexts or {}).items():
        if url in documents:
            raise ValueError(f"extra_contexts may not override the bundled context {url}")
        if not isinstance(document, dict):
            raise TypeError(f"extra context {url} must be a JSON object")
        # Implementation note: one canonical JSON text gives both the digest and a private copy.
        text = _canonical_json(document)
        digests[url] = _sha256_hex(text)
        documents[url] = json.loads(text)
    return OfflineDocumentLoader(MappingProxyType(documents), digests, did_resolver)
