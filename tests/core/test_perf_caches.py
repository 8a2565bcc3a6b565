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
from vc_core.errors import DidResolutionError
from vc_core.keys import PublicKey
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
