"""Caches and copies added for speed: same results, no sharing with the caller, no stale errors."""

from __future__ import annotations

import copy
from collections.abc import Callable
from datetime import datetime
from typing import Any

import pytest

from vc_core import KeyPair, did_key, sign, verify
from vc_core._jsonld import MAX_JSON_DEPTH, copy_json
from vc_core._multibase import encode_base58btc
from vc_core.did import dereference_verification_method, resolve_did_key
from vc_core.errors import DidResolutionError, ParsingError
from vc_core.keys import Curve, PublicKey
from vc_core.types import JsonObject

MB = "zDnaerx9CtbPJ1q36T5Ln5wYt3MQYeGRG5ehnPAmxcf5mDZpv"
VM_KEY = f"did:key:{MB}#{MB}"


def test_did_key_methods_are_memoized() -> None:
    first = dereference_verification_method(VM_KEY)
    assert dereference_verification_method(VM_KEY) is first
    assert first.public_key == PublicKey.from_multibase(MB)
    assert first.relationships >= {"assertionMethod", "authentication"}


@pytest.mark.parametrize(
    "vm_id",
    [f"did:key:{MB}#wrong-fragment", f"did:key:{MB}", "did:key:zInvalid#zInvalid"],
    ids=["wrong fragment", "no fragment", "bad key"],
)
def test_did_key_failures_are_raised_every_time(vm_id: str) -> None:
    for _ in range(2):
        with pytest.raises(DidResolutionError) as caught:
            dereference_verification_method(vm_id)
        assert caught.value.code == "DID_RESOLUTION_ERROR"


def test_an_injected_resolver_is_always_asked() -> None:
    calls: list[str] = []

    def resolver(did: str) -> JsonObject:
        calls.append(did)
        return resolve_did_key(did)

    for _ in range(2):
        dereference_verification_method(VM_KEY, resolver=resolver)
    assert calls == [f"did:key:{MB}"] * 2


def test_generated_keys_match_their_secret() -> None:
    pair = KeyPair.generate("P-256")
    again = KeyPair.from_secret_bytes("P-256", pair.secret_bytes)
    assert pair.public == again.public
    assert hash(pair.public) == hash(again.public)
    assert pair.public.multibase == encode_base58btc(pair.public.multikey_bytes)
    assert again.public.verify(pair.sign(b"data"), b"data")
    assert KeyPair(pair.public, pair.private_key).public is pair.public  # the pair check passes


@pytest.mark.parametrize("curve", ["P-256", "P-384", "Ed25519"])
def test_did_key_documents_carry_the_canonical_multibase(curve: Curve) -> None:
    public = KeyPair.generate(curve).public
    document = resolve_did_key(did_key(public))
    assert document["verificationMethod"][0]["publicKeyMultibase"] == public.multibase
    assert document["verificationMethod"][0]["id"] == f"{did_key(public)}#{public.multibase}"


@pytest.mark.parametrize(
    "data",
    [b"\x80\xa4\x00", b"\x00\x80\x24"],
    ids=["overlong varint", "leading zero byte"],
)
def test_second_spellings_of_a_did_key_are_refused(data: bytes) -> None:
    public = PublicKey.from_multibase(MB)
    value = encode_base58btc(data + public.raw)
    assert value != MB
    with pytest.raises(DidResolutionError):
        resolve_did_key(f"did:key:{value}")


def test_parsed_multibase_keys_are_memoized_and_failures_raised_every_time() -> None:
    assert PublicKey.from_multibase(MB) is PublicKey.from_multibase(MB)
    for bad in ("zInvalid", ["z"], {"z": 1}):
        for _ in range(2):
            with pytest.raises(ParsingError):
                PublicKey.from_multibase(bad)  # type: ignore[arg-type]


def test_copy_json_copies_every_container() -> None:
    moment = datetime(2025, 1, 1)
    value: Any = {"a": [{"b": "c"}, 1, 2.5, True, None], "d": {"e": ("tuple",)}, "f": moment}
    copied = copy_json(value)
    assert copied == value
    assert copied["a"] is not value["a"]
    assert copied["a"][0] is not value["a"][0]
    assert copied["d"]["e"] == ("tuple",)
    assert copied["f"] == moment
    copied["a"][0]["b"] = "changed"
    assert value["a"][0]["b"] == "c"


def test_copy_json_handles_deep_nesting() -> None:
    deep: Any = "leaf"
    for _ in range(MAX_JSON_DEPTH + 10):
        deep = [deep]
    copied = copy_json(deep)
    assert copied == deep
    inner, original = copied, deep
    for _ in range(MAX_JSON_DEPTH + 10):
        assert inner is not original
        inner, original = inner[0], original[0]


def _credential(key: KeyPair) -> JsonObject:
    return {
        "@context": "https://www.w3.org/ns/credentials/v2",
        "type": "VerifiableCredential",
        "issuer": did_key(key),
        "credentialSubject": {"id": "did:example:holder", "name": "x"},
    }


@pytest.mark.parametrize("cryptosuite", ["ecdsa-rdfc-2019", "ecdsa-sd-2023"])
def test_signed_documents_share_nothing_with_the_input(
    cryptosuite: Any, fixed_clock: Callable[[], datetime]
) -> None:
    key = KeyPair.generate("P-256")
    credential = _credential(key)
    original = copy.deepcopy(credential)
    signed = sign(credential, key, cryptosuite=cryptosuite, clock=fixed_clock)
    signed["credentialSubject"]["name"] = "changed"
    assert credential == original


def test_verified_documents_share_nothing_with_the_input(
    fixed_clock: Callable[[], datetime],
) -> None:
    key = KeyPair.generate("P-256")
    signed = sign(_credential(key), key, clock=fixed_clock)
    snapshot = copy.deepcopy(signed)
    result = verify(signed, clock=fixed_clock)
    assert result.document == {name: value for name, value in snapshot.items() if name != "proof"}
    result.document["credentialSubject"]["name"] = "changed"
    assert signed == snapshot


# --- canonical proof configurations --------------------------------------------------------------

PROOF_CONFIG: JsonObject = {
    "@context": ["https://www.w3.org/ns/credentials/v2"],
    "type": "DataIntegrityProof",
    "cryptosuite": "ecdsa-sd-2023",
    "created": "2026-01-01T12:00:00Z",
    "verificationMethod": "did:web:issuer.example.nl:belastingdienst#key-1",
    "proofPurpose": "assertionMethod",
}


def _loader_with(name: str, cache_key: str | None) -> Callable[..., Any]:
    """The bundled loader, with the credentials context's ``name`` term pointing elsewhere."""
    from vc_core.loader import bundled_contexts

    contexts = copy_json(dict(bundled_contexts()))
    v2 = "https://www.w3.org/ns/credentials/v2"
    contexts[v2]["@context"]["DataIntegrityProof"]["@id"] = f"https://example.org/{name}"

    def load(url: str, options: object = None) -> Any:
        return {"contextUrl": None, "documentUrl": url, "document": contexts[url]}

    if cache_key is not None:
        load.cache_key = cache_key  # type: ignore[attr-defined]
    return load


def test_canonical_proof_configs_are_memoized_per_loader_content() -> None:
    from vc_core._jsonld import canonicalize, rdfc

    first, second = _loader_with("a", "tests:memo-a"), _loader_with("b", "tests:memo-b")
    expected = canonicalize(PROOF_CONFIG, document_loader=first).text
    assert "https://example.org/a" in expected
    assert rdfc.canonical_text(PROOF_CONFIG, document_loader=first) == expected
    # Same JSON in another key order: the same entry.
    reordered = dict(reversed(list(PROOF_CONFIG.items())))
    assert rdfc.canonical_text(reordered, document_loader=first) is rdfc.canonical_text(
        PROOF_CONFIG, document_loader=first
    )
    # Another loader content: its own result.
    other = rdfc.canonical_text(PROOF_CONFIG, document_loader=second)
    assert other == canonicalize(PROOF_CONFIG, document_loader=second).text
    assert "https://example.org/b" in other
    # A loader without a cache_key is asked every time.
    calls: list[str] = []
    plain = _loader_with("c", None)

    def counting(url: str, options: object = None) -> Any:
        calls.append(url)
        return plain(url, options)

    for _ in range(2):
        assert "https://example.org/c" in rdfc.canonical_text(
            PROOF_CONFIG, document_loader=counting
        )
    assert len(calls) == 2


def test_canonical_text_memo_is_bounded_and_keeps_errors() -> None:
    from vc_core._jsonld import rdfc
    from vc_core.errors import ParsingError

    loader = _loader_with("d", "tests:memo-d")
    for second in range(300):
        config = {**PROOF_CONFIG, "created": f"2026-01-01T12:{second // 60:02}:{second % 60:02}Z"}
        rdfc.canonical_text(config, document_loader=loader)
        assert len(rdfc._CANONICAL_TEXTS) <= rdfc._MAX_CANONICAL_TEXTS
    with pytest.raises(ParsingError):
        rdfc.canonical_text({**PROOF_CONFIG, "nonce": float("nan")}, document_loader=loader)
    with pytest.raises(TypeError):
        rdfc.canonical_text({**PROOF_CONFIG, 1: "x"}, document_loader=loader)
