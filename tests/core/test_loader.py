"""The offline document loader: what it serves, what it refuses, pins, cache key, no network."""

from __future__ import annotations

import doctest
import importlib.resources
import shutil
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pyld import jsonld

from vc_core import loader as loader_module
from vc_core.errors import DidResolutionError, DocumentLoadError
from vc_core.loader import (
    CREDENTIALS_V2_URL,
    DATA_INTEGRITY_V2_URL,
    DID_V1_URL,
    MULTIKEY_V1_URL,
    NL_VC_V1_URL,
    STATUS_LIST_V1_URL,
    bundled_contexts,
    document_loader,
    load_context_folder,
)

REPO_CONTEXTS = Path(__file__).resolve().parents[2] / "contexts"
DID_KEY = "did:key:zDnaerx9CtbPJ1q36T5Ln5wYt3MQYeGRG5ehnPAmxcf5mDZpv"
DID_WEB = "did:web:issuer.example.nl:belastingdienst"
EXAMPLE_URL = "https://example.org/contexts/garden/v1"
EXAMPLE_CONTEXT = {"@context": {"@vocab": "https://example.org/garden#"}}


@pytest.fixture
def fresh_bundle() -> Iterator[None]:
    """Forget the cached bundle before and after a test that points the loader elsewhere."""
    loader_module._bundle.cache_clear()
    yield
    loader_module._bundle.cache_clear()


@pytest.fixture
def contexts_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fresh_bundle: None) -> Path:
    """A copy of the repo's contexts/ that the loader reads instead of the real one."""
    folder = tmp_path / "contexts"
    shutil.copytree(REPO_CONTEXTS, folder)
    monkeypatch.setattr(loader_module, "_contexts_root", lambda: folder)
    return folder


# --- serving -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        CREDENTIALS_V2_URL,
        DATA_INTEGRITY_V2_URL,
        MULTIKEY_V1_URL,
        DID_V1_URL,
        STATUS_LIST_V1_URL,
        NL_VC_V1_URL,
    ],
)
def test_bundled_url_is_served_as_remote_document(url: str) -> None:
    remote = document_loader()(url)
    assert remote == {"contextUrl": None, "documentUrl": url, "document": bundled_contexts()[url]}
    assert remote["document"] is bundled_contexts()[url]
    assert "@context" in remote["document"]


def test_bundled_contexts_mapping_is_read_only() -> None:
    contexts: Any = bundled_contexts()
    with pytest.raises(TypeError):
        contexts[EXAMPLE_URL] = EXAMPLE_CONTEXT


@pytest.mark.parametrize(
    "url",
    [
        "https://example.org/contexts/v1",
        "http://www.w3.org/ns/credentials/v2",
        "https://www.w3.org/ns/credentials/v2/",
        "ftp://example.org/context.jsonld",
        "file:///etc/passwd",
        "contexts/credentials-v2.json",
        "credentials-v2.json",
        "",
        "urn:uuid:3978344f-8596-4c3a-a978-8fcaba3903c5",
        "did:example:123456",
        "did:key",
        f"{DID_KEY}?versionId=1",
        f"{DID_WEB}/path",
    ],
)
def test_other_urls_are_refused(url: str) -> None:
    with pytest.raises(DocumentLoadError) as caught:
        document_loader()(url)
    assert caught.value.code == "LOADING_DOCUMENT_FAILED"


def test_extra_contexts_are_served() -> None:
    remote = document_loader(extra_contexts={EXAMPLE_URL: EXAMPLE_CONTEXT})(EXAMPLE_URL)
    assert remote == {"contextUrl": None, "documentUrl": EXAMPLE_URL, "document": EXAMPLE_CONTEXT}


def test_extra_contexts_are_copied() -> None:
    extra = {EXAMPLE_URL: {"@context": {"ex": "https://example.org/ns#"}}}
    loader = document_loader(extra_contexts=extra)
    key = loader.cache_key
    extra[EXAMPLE_URL]["@context"]["ex"] = "https://evil.example/ns#"
    assert loader(EXAMPLE_URL)["document"] == {"@context": {"ex": "https://example.org/ns#"}}
    assert loader.cache_key == key


def test_extra_contexts_cannot_override_bundled() -> None:
    with pytest.raises(ValueError, match="override"):
        document_loader(extra_contexts={CREDENTIALS_V2_URL: EXAMPLE_CONTEXT})


# --- DIDs --------------------------------------------------------------------------------


@pytest.mark.parametrize("url", [DID_KEY, f"{DID_KEY}#{DID_KEY.removeprefix('did:key:')}"])
def test_did_key_is_resolved_in_process(url: str) -> None:
    remote = document_loader()(url)
    assert remote["documentUrl"] == url
    assert remote["contextUrl"] is None
    assert remote["document"]["id"] == DID_KEY
    assert remote["document"]["verificationMethod"][0]["type"] == "Multikey"


def test_malformed_did_key_is_refused() -> None:
    with pytest.raises(DocumentLoadError) as caught:
        document_loader()("did:key:zNotAMultikey")
    assert caught.value.code == "LOADING_DOCUMENT_FAILED"


def test_did_web_without_resolver_is_refused() -> None:
    with pytest.raises(DocumentLoadError) as caught:
        document_loader()(f"{DID_WEB}#key-1")
    assert caught.value.code == "LOADING_DOCUMENT_FAILED"


def test_did_web_goes_through_the_injected_resolver() -> None:
    asked: list[str] = []
    did_document = {"@context": [DID_V1_URL, MULTIKEY_V1_URL], "id": DID_WEB}

    def resolver(did: str) -> dict[str, Any]:
        asked.append(did)
        return did_document

    remote = document_loader(did_resolver=resolver)(f"{DID_WEB}#key-1")
    assert asked == [DID_WEB]
    assert remote == {
        "contextUrl": None,
        "documentUrl": f"{DID_WEB}#key-1",
        "document": did_document,
    }


def test_did_resolver_failure_becomes_document_load_error() -> None:
    def resolver(did: str) -> dict[str, Any]:
        raise DidResolutionError(f"{did} answered 404")

    with pytest.raises(DocumentLoadError) as caught:
        document_loader(did_resolver=resolver)(DID_WEB)
    assert caught.value.code == "LOADING_DOCUMENT_FAILED"
    assert isinstance(caught.value.__cause__, DidResolutionError)


def test_did_document_for_another_did_is_refused() -> None:
    loader = document_loader(did_resolver=lambda did: {"id": "did:web:evil.example"})
    with pytest.raises(DocumentLoadError) as caught:
        loader(DID_WEB)
    assert caught.value.code == "LOADING_DOCUMENT_FAILED"


# --- sha256 pins ---------------------------------------------------------------------------


def test_unchanged_copy_loads(contexts_copy: Path) -> None:
    assert document_loader()(NL_VC_V1_URL)["documentUrl"] == NL_VC_V1_URL


@pytest.mark.parametrize("file", ["credentials-v2.json", "nl-vc-v1.json"])
def test_tampered_context_is_refused_and_not_cached(contexts_copy: Path, file: str) -> None:
    path = contexts_copy / file
    original = path.read_bytes()
    path.write_bytes(original.replace(b'"@protected": true', b'"@protected": false', 1))
    assert path.read_bytes() != original
    for _ in range(2):
        with pytest.raises(DocumentLoadError) as caught:
            document_loader()
        assert caught.value.code == "LOADING_DOCUMENT_FAILED"
        assert file in str(caught.value)
    path.write_bytes(original)
    assert NL_VC_V1_URL in bundled_contexts()


@pytest.mark.parametrize("missing", ["manifest.json", "did-v1.json"])
def test_missing_file_is_refused(contexts_copy: Path, missing: str) -> None:
    (contexts_copy / missing).unlink()
    with pytest.raises(DocumentLoadError) as caught:
        bundled_contexts()
    assert caught.value.code == "LOADING_DOCUMENT_FAILED"


# --- cache key -----------------------------------------------------------------------------


def test_cache_key_depends_only_on_served_content() -> None:
    plain = document_loader()
    assert len(plain.cache_key) == 64
    assert document_loader(did_resolver=lambda did: {"id": did}).cache_key == plain.cache_key
    one = document_loader(extra_contexts={EXAMPLE_URL: {"@context": {"a": "urn:a", "b": "urn:b"}}})
    same = document_loader(extra_contexts={EXAMPLE_URL: {"@context": {"b": "urn:b", "a": "urn:a"}}})
    other_content = document_loader(extra_contexts={EXAMPLE_URL: {"@context": {"a": "urn:c"}}})
    other_url = document_loader(
        extra_contexts={"https://example.org/v2": {"@context": {"a": "urn:a", "b": "urn:b"}}}
    )
    assert one.cache_key == same.cache_key
    keys = {plain.cache_key, one.cache_key, other_content.cache_key, other_url.cache_key}
    assert len(keys) == 4


def test_cache_key_follows_bundled_content(contexts_copy: Path) -> None:
    before = document_loader().cache_key
    loader_module._bundle.cache_clear()
    manifest = contexts_copy / "manifest.json"
    manifest.write_text(manifest.read_text().replace(DID_V1_URL, "https://example.org/did/v1"))
    assert document_loader().cache_key != before


# --- offline ------------------------------------------------------------------------------


def test_loader_never_opens_a_socket(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_network(*args: object, **kwargs: object) -> None:
        raise AssertionError("the document loader opened a socket")

    monkeypatch.setattr(socket, "socket", no_network)
    monkeypatch.setattr(socket, "create_connection", no_network)
    monkeypatch.setattr(socket, "getaddrinfo", no_network)
    loader = document_loader()
    for url in ("https://example.org/context", "http://example.org/", "did:web:example.org"):
        with pytest.raises(DocumentLoadError):
            loader(url)
    assert loader(DID_KEY)["document"]["id"] == DID_KEY
    with pytest.raises(jsonld.JsonLdError) as caught:
        jsonld.expand(
            {"@context": [CREDENTIALS_V2_URL, "https://example.org/unbundled"], "id": "urn:x"},
            {"documentLoader": loader, "base": None},
        )
    assert isinstance(caught.value.__cause__, DocumentLoadError)


def test_docstring_examples_run() -> None:
    result = doctest.testmod(loader_module)
    assert result.attempted > 0
    assert result.failed == 0


# --- where the bundle is read from -------------------------------------------------------


def test_package_data_folder_is_preferred(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "_contexts").mkdir()
    monkeypatch.setattr(importlib.resources, "files", lambda package: tmp_path)
    assert loader_module._contexts_root() == tmp_path / "_contexts"


def test_checkout_folder_is_the_fallback(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(importlib.resources, "files", lambda package: tmp_path)
    assert loader_module._contexts_root() == REPO_CONTEXTS


# --- an operator's folder of extra contexts, pinned by sha256 -----------------------------------


def _context_folder(
    folder: Path, files: dict[str, bytes], pins: dict[str, str] | None = None
) -> Path:
    import hashlib
    import json

    manifest = [
        {
            "url": f"https://contexts.example.org/{name}",
            "file": name,
            "sha256": (pins or {}).get(name, hashlib.sha256(data).hexdigest()),
        }
        for name, data in files.items()
    ]
    folder.mkdir(exist_ok=True)
    for name, data in files.items():
        (folder / name).write_bytes(data)
    (folder / "manifest.json").write_text(json.dumps(manifest))
    return folder


GARDEN = b'{"@context": {"@vocab": "https://contexts.example.org/garden#"}}'


def test_context_folder_feeds_extra_contexts(tmp_path: Path) -> None:
    contexts = load_context_folder(_context_folder(tmp_path / "ctx", {"garden.json": GARDEN}))
    loader = document_loader(extra_contexts=contexts)
    remote = loader("https://contexts.example.org/garden.json")
    assert remote["document"] == {"@context": {"@vocab": "https://contexts.example.org/garden#"}}


def test_context_folder_refuses_a_changed_file(tmp_path: Path) -> None:
    folder = _context_folder(tmp_path / "ctx", {"garden.json": GARDEN}, {"garden.json": "0" * 64})
    with pytest.raises(DocumentLoadError, match="does not match its pinned sha256"):
        load_context_folder(folder)


@pytest.mark.parametrize("name", ["../outside.json", "/etc/passwd", ".hidden.json", "a/b.json"])
def test_context_folder_names_plain_files_only(tmp_path: Path, name: str) -> None:
    import json

    folder = tmp_path / "ctx"
    folder.mkdir()
    (tmp_path / "outside.json").write_bytes(GARDEN)
    entry = {"url": "https://contexts.example.org/x", "file": name, "sha256": "0" * 64}
    (folder / "manifest.json").write_text(json.dumps([entry]))
    with pytest.raises(DocumentLoadError, match="not a plain file name"):
        load_context_folder(folder)
