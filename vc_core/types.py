"""Shared types: JSON values, proof shape, cryptosuite names and the injected callables."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal, NotRequired, Protocol, TypedDict

__all__ = [
    "Clock",
    "CryptosuiteName",
    "DocumentLoader",
    "Fetch",
    "JsonObject",
    "Proof",
    "RemoteDocument",
]

JsonObject = dict[str, Any]
"""A parsed JSON object. Untrusted until a verification result says otherwise."""

CryptosuiteName = Literal["ecdsa-sd-2023", "ecdsa-rdfc-2019", "eddsa-rdfc-2022"]


class Proof(TypedDict):
    """A Data Integrity proof (``DataIntegrityProof``)."""

    type: str
    cryptosuite: str
    verificationMethod: str
    proofPurpose: str
    proofValue: NotRequired[str]
    id: NotRequired[str]
    created: NotRequired[str]
    expires: NotRequired[str]
    challenge: NotRequired[str]
    domain: NotRequired[str | list[str]]
    nonce: NotRequired[str]
    previousProof: NotRequired[str | list[str]]
    # The proof configuration carries the document's context during hashing.
    # It is spelled "@context" in JSON, which a TypedDict cannot name.


class RemoteDocument(TypedDict):
    """What a JSON-LD document loader returns (JSON-LD 1.1 API ``RemoteDocument``)."""

    contextUrl: str | None
    documentUrl: str
    document: Any


class DocumentLoader(Protocol):
    """Resolve a URL to a JSON-LD document, offline; raise ``DocumentLoadError`` otherwise."""

    def __call__(self, url: str, options: dict[str, Any] | None = None) -> RemoteDocument: ...


class Fetch(Protocol):
    """Fetch bytes from an https URL through a caller-injected client; raise ``FetchError``."""

    def __call__(self, url: str, *, accept: str) -> bytes: ...


class Clock(Protocol):
    """Return the current time as an aware UTC ``datetime``."""

    def __call__(self) -> datetime: ...
