"""did:key documents, the did:web URL mapping, did:web resolution and VM dereferencing."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from vc_core._multibase import encode_base58btc, multicodec_wrap
from vc_core.did import (
    dereference_verification_method,
    did_key,
    did_key_verification_method_id,
    did_web_to_url,
    resolve_did,
    resolve_did_key,
)
from vc_core.errors import DidResolutionError, FetchError
from vc_core.keys import KeyPair, PublicKey
from vc_core.types import JsonObject

MB = "zDnaerx9CtbPJ1q36T5Ln5wYt3MQYeGRG5ehnPAmxcf5mDZpv"  # docs/protocols.md, Multikey and did:key
DID_KEY = f"did:key:{MB}"
VM_KEY = f"{DID_KEY}#{MB}"
DID_WEB = "did:web:issuer.example.nl:belastingdienst"
DID_WEB_URL = "https://issuer.example.nl/belastingdienst/did.json"
ED25519_MB = "z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2"


def _web_document(**changes: Any) -> JsonObject:
    """The issuer's did:web document: one Multikey, relative and absolute references."""
    document: JsonObject = {
        "@context": ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1"],
        "id": DID_WEB,
        "verificationMethod": [
            {
                "id": f"{DID_WEB}#key-1",
                "type": "Multikey",
                "controller": DID_WEB,
                "publicKeyMultibase": MB,
            }
        ],
        "assertionMethod": ["#key-1"],
        "authentication": [f"{DID_WEB}#key-1"],
    }
    document.update(changes)
    return document


class FakeFetch:
    """A Fetch that serves fixed bodies by URL and records what was asked."""

    def __init__(self, bodies: dict[str, bytes]) -> None:
        self.bodies = bodies
        self.calls: list[tuple[str, str]] = []

    def __call__(self, url: str, *, accept: str) -> bytes:
        self.calls.append((url, accept))
        if url not in self.bodies:
            raise FetchError(f"404 for {url}")
        return self.bodies[url]


def _serving(document: object, url: str = DID_WEB_URL) -> FakeFetch:
    return FakeFetch({url: json.dumps(document).encode()})


def test_did_key_names() -> None:
    public = PublicKey.from_multibase(MB)
    assert did_key(public) == DID_KEY
    assert did_key_verification_method_id(public) == VM_KEY
    pair = KeyPair.generate("Ed25519")
    assert did_key(pair) == f"did:key:{pair.public.multibase}"


def test_did_key_document_shape() -> None:
    assert resolve_did_key(DID_KEY) == {
        "@context": ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1"],
        "id": DID_KEY,
        "verificationMethod": [
            {"id": VM_KEY, "type": "Multikey", "controller": DID_KEY, "publicKeyMultibase": MB}
        ],
        "authentication": [VM_KEY],
        "assertionMethod": [VM_KEY],
        "capabilityInvocation": [VM_KEY],
        "capabilityDelegation": [VM_KEY],
    }


def test_did_key_url_with_fragment_and_version() -> None:
    assert resolve_did_key(VM_KEY) == resolve_did_key(DID_KEY)
    assert resolve_did(VM_KEY) == resolve_did_key(DID_KEY)
    versioned = resolve_did_key(f"did:key:1:{MB}")
    assert versioned["id"] == f"did:key:1:{MB}"
    assert versioned["verificationMethod"][0]["publicKeyMultibase"] == MB


@pytest.mark.parametrize(
    "did",
    [
        "did:key:" + encode_base58btc(multicodec_wrap(0xEC, bytes(32))),
        "did:key:" + MB[:-2],
        f"did:key:2:{MB}",
        "did:key:uAAAA",
        "did:key:",
        "did:kee:" + MB,
        f"did:key:{MB}/path",
        f"did:key:{MB}?query=1",
        42,
    ],
    ids=[
        "x25519-codec",
        "truncated",
        "version-2",
        "not-base58",
        "empty",
        "wrong-method",
        "path",
        "query",
        "not-a-string",
    ],
)
def test_did_key_refuses(did: Any) -> None:
    with pytest.raises(DidResolutionError) as info:
        resolve_did_key(did)
    assert info.value.code == "DID_RESOLUTION_ERROR"


@pytest.mark.parametrize(
    ("did", "url"),
    [
        ("did:web:example.org", "https://example.org/.well-known/did.json"),
        (DID_WEB, DID_WEB_URL),
        (
            "did:web:localhost%3A8443:belastingdienst",
            "https://localhost:8443/belastingdienst/did.json",
        ),
        ("did:web:example.com%3a8443", "https://example.com:8443/.well-known/did.json"),
        ("did:web:w3c-ccg.github.io:user:alice", "https://w3c-ccg.github.io/user/alice/did.json"),
    ],
    ids=["no-path", "path", "port-and-path", "port-lowercase", "two-segments"],
)
def test_did_web_to_url(did: str, url: str) -> None:
    assert did_web_to_url(did) == url


@pytest.mark.parametrize(
    "did",
    [
        "did:web:127.0.0.1",
        "did:web:10.0.0.1%3A8443",
        "did:web:127.1",
        "did:web:0x7f.1",
        "did:web:[::1]",
        "did:web:exa_mple.com",
        "did:web:example.com:..",
        "did:web:example.com::x",
        "did:web:example.com:a%2Fb",
        "did:web:example.com%3A0",
        "did:web:example.com%3A99999",
        "did:web:example.com%2F",
        "did:web:",
        "did:web:-bad.example",
        "did:key:" + MB,
    ],
    ids=[
        "ipv4",
        "ipv4-port",
        "short-ipv4",
        "hex-ipv4",
        "ipv6",
        "underscore",
        "dot-dot",
        "empty-segment",
        "encoded-slash",
        "port-zero",
        "port-too-big",
        "encoded-host",
        "empty",
        "leading-hyphen",
        "not-did-web",
    ],
)
def test_did_web_to_url_refuses(did: str) -> None:
    with pytest.raises(DidResolutionError) as info:
        did_web_to_url(did)
    assert info.value.code == "DID_RESOLUTION_ERROR"


def test_resolve_did_web_uses_fetch() -> None:
    fetch = _serving(_web_document())
    assert resolve_did(f"{DID_WEB}#key-1", fetch=fetch) == _web_document()
    assert fetch.calls == [(DID_WEB_URL, "application/did+json, application/json")]


@pytest.mark.parametrize(
    ("key", "base"),
    [(DID_WEB, "https://localhost:8443"), ("did:web:issuer.example.nl", "http://testserver/")],
    ids=["exact-did", "host-did"],
)
def test_resolve_did_web_base_url_override(key: str, base: str) -> None:
    url = base.rstrip("/") + "/belastingdienst/did.json"
    fetch = _serving(_web_document(), url)
    assert resolve_did(DID_WEB, fetch=fetch, base_urls={key: base}) == _web_document()
    assert fetch.calls[0][0] == url


def test_base_url_override_must_be_http() -> None:
    with pytest.raises(ValueError, match="http"):
        resolve_did(DID_WEB, fetch=_serving({}), base_urls={DID_WEB: "file:///etc"})


@pytest.mark.parametrize(
    ("fetch", "message"),
    [
        (None, "needs a fetch"),
        (FakeFetch({}), "could not fetch"),
        (FakeFetch({DID_WEB_URL: b"{not json"}), "not JSON"),
        (FakeFetch({DID_WEB_URL: b"[" * 100_000}), "not JSON"),
        (FakeFetch({DID_WEB_URL: b"\xff\xfe"}), "not JSON"),
        (_serving(["a list"]), "not a JSON object"),
        (_serving(_web_document(id="did:web:evil.example")), "does not match"),
        (_serving(_web_document(id=None)), "does not match"),
    ],
    ids=[
        "no-fetch",
        "fetch-error",
        "bad-json",
        "deep-json",
        "not-utf8",
        "not-object",
        "id-mismatch",
        "no-id",
    ],
)
def test_resolve_did_web_refuses(fetch: FakeFetch | None, message: str) -> None:
    with pytest.raises(DidResolutionError, match=message) as info:
        resolve_did(DID_WEB, fetch=fetch)
    assert info.value.code == "DID_RESOLUTION_ERROR"


def test_resolve_did_unknown_method() -> None:
    with pytest.raises(DidResolutionError, match="unsupported DID method") as info:
        resolve_did("did:example:123")
    assert info.value.code == "DID_RESOLUTION_ERROR"


def test_dereference_did_key() -> None:
    method = dereference_verification_method(VM_KEY)
    assert method.id == VM_KEY
    assert method.controller == DID_KEY
    assert method.type == "Multikey"
    assert method.public_key == PublicKey.from_multibase(MB)
    assert method.relationships == {
        "authentication",
        "assertionMethod",
        "capabilityInvocation",
        "capabilityDelegation",
    }


def test_dereference_did_web_relative_and_absolute_references() -> None:
    method = dereference_verification_method(f"{DID_WEB}#key-1", fetch=_serving(_web_document()))
    assert method.controller == DID_WEB
    assert method.public_key.multibase == MB
    assert method.relationships == {"assertionMethod", "authentication"}


def test_dereference_embedded_in_relationship() -> None:
    embedded = {
        "id": "#auth",
        "type": "Multikey",
        "controller": DID_WEB,
        "publicKeyMultibase": ED25519_MB,
    }
    document = _web_document(authentication=[embedded])
    method = dereference_verification_method(f"{DID_WEB}#auth", fetch=_serving(document))
    assert method.relationships == {"authentication"}
    assert method.public_key.curve == "Ed25519"


def test_dereference_json_web_key() -> None:
    jwk = PublicKey.from_multibase(MB).to_jwk()
    vm = {"id": "#jwk", "type": "JsonWebKey", "controller": DID_WEB, "publicKeyJwk": jwk}
    document = _web_document(verificationMethod=[vm], assertionMethod=["#jwk"])
    method = dereference_verification_method(f"{DID_WEB}#jwk", resolver=lambda did: document)
    assert method.public_key == PublicKey.from_multibase(MB)
    assert method.relationships == {"assertionMethod"}


def test_dereference_unlisted_method_has_no_relationships() -> None:
    document = _web_document(assertionMethod=[], authentication=[])
    method = dereference_verification_method(f"{DID_WEB}#key-1", resolver=lambda did: document)
    assert method.relationships == frozenset()


def _vm(**changes: Any) -> dict[str, Any]:
    return {**_web_document()["verificationMethod"][0], **changes}


@pytest.mark.parametrize(
    ("vm_id", "resolver", "message"),
    [
        (f"{DID_WEB}#key-2", lambda did: _web_document(), "is not in the DID document"),
        (DID_WEB, lambda did: _web_document(), "no fragment"),
        ("https://example.org/key#1", lambda did: _web_document(), "not a DID URL"),
        (f"{DID_WEB}#key-1", lambda did: _web_document(id=DID_KEY), "does not match"),
        (
            f"{DID_WEB}#key-1",
            lambda did: _web_document(verificationMethod=[_vm(controller=DID_KEY)]),
            "controller",
        ),
        (
            f"{DID_WEB}#key-1",
            lambda did: _web_document(verificationMethod=[_vm(type="Ed25519VerificationKey2020")]),
            "unsupported verification method type",
        ),
        (
            f"{DID_WEB}#key-1",
            lambda did: _web_document(verificationMethod=[_vm(publicKeyMultibase="zBad0")]),
            "verification method key",
        ),
        (
            f"{DID_WEB}#key-1",
            lambda did: _web_document(
                verificationMethod=[_vm(publicKeyJwk=PublicKey.from_multibase(MB).to_jwk())]
            ),
            "one key",
        ),
        (
            f"{DID_WEB}#key-1",
            lambda did: _web_document(
                verificationMethod=[_vm(), _vm(publicKeyMultibase=ED25519_MB)]
            ),
            "more than once",
        ),
        (
            f"{DID_WEB}#key-1",
            lambda did: _web_document(verificationMethod=_vm()),
            "must be an array",
        ),
        (
            f"{DID_WEB}#key-1",
            lambda did: _web_document(assertionMethod="#key-1"),
            "must be an array",
        ),
    ],
    ids=[
        "not-found",
        "no-fragment",
        "not-a-did",
        "id-mismatch",
        "foreign-controller",
        "unsupported-type",
        "bad-key",
        "two-keys",
        "conflicting-duplicates",
        "methods-not-array",
        "relationship-not-array",
    ],
)
def test_dereference_refuses(
    vm_id: str, resolver: Callable[[str], JsonObject], message: str
) -> None:
    with pytest.raises(DidResolutionError, match=message) as info:
        dereference_verification_method(vm_id, resolver=resolver)
    assert info.value.code == "DID_RESOLUTION_ERROR"


def test_dereference_did_web_without_fetch() -> None:
    with pytest.raises(DidResolutionError, match="needs a fetch") as info:
        dereference_verification_method(f"{DID_WEB}#key-1")
    assert info.value.code == "DID_RESOLUTION_ERROR"


SIGNED_VECTORS = {
    "p256": ("ecdsa-rdfc-2019-p256/signedECDSAP256.json", "P-256"),
    "p384": ("ecdsa-rdfc-2019-p384/signedECDSAP384.json", "P-384"),
    "ed25519": ("eddsa-rdfc-2022/signedDataInt.json", "Ed25519"),
    "sd-base": ("ecdsa-sd-2023/employ/addSignedSDBase.json", "P-256"),
    "proof-set": ("eddsa-rdfc-2022-proof-set-chain/signedProofSet2.json", "Ed25519"),
}


@pytest.mark.vectors
@pytest.mark.parametrize("name", SIGNED_VECTORS, ids=list(SIGNED_VECTORS))
def test_vector_verification_methods_dereference(vectors_dir: Path, name: str) -> None:
    path, curve = SIGNED_VECTORS[name]
    proofs = json.loads((vectors_dir / path).read_text())["proof"]
    for proof in proofs if isinstance(proofs, list) else [proofs]:
        method = dereference_verification_method(proof["verificationMethod"])
        assert method.public_key.curve == curve
        assert method.id == did_key_verification_method_id(method.public_key)
        assert proof["proofPurpose"] in method.relationships
