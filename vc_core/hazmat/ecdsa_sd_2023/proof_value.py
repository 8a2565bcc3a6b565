"""The ecdsa-sd-2023 proof-value codec: sign data, base and derived proof values, label maps.

A base proof value is ``u`` + base64url-no-pad(``d9 5d 00`` ‖ CBOR[baseSignature,
publicKey, hmacKey, signatures, mandatoryPointers]); a derived one is ``u`` +
base64url-no-pad(``d9 5d 01`` ‖ CBOR[baseSignature, publicKey, signatures,
compressedLabelMap, mandatoryIndexes]). The parsers read untrusted text and
check every element's type and length (docs/protocols.md, P11, P14); any problem is
a ``ProofVerificationError`` (``PROOF_VERIFICATION_ERROR``), as the spec asks.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TypeVar

from vc_core import _cbor
from vc_core._multibase import decode_base64url, encode_base64url
from vc_core.errors import ProofVerificationError

__all__ = [
    "BASE_PROOF_HEADER",
    "DERIVED_PROOF_HEADER",
    "HMAC_KEY_SIZE",
    "LABEL_SIZE",
    "PUBLIC_KEY_SIZE",
    "SIGNATURE_SIZE",
    "BaseProofValue",
    "DerivedProofValue",
    "compress_label_map",
    "decompress_label_map",
    "parse_base_proof_value",
    "parse_derived_proof_value",
    "serialize_base_proof_value",
    "serialize_derived_proof_value",
    "serialize_sign_data",
]

BASE_PROOF_HEADER = b"\xd9\x5d\x00"
DERIVED_PROOF_HEADER = b"\xd9\x5d\x01"

SIGNATURE_SIZE = 64  # raw P-256 r‖s
PUBLIC_KEY_SIZE = 35  # Multikey 0x80 0x24 ‖ compressed point (P11: the spec text says 36)
HMAC_KEY_SIZE = 32
LABEL_SIZE = 32  # one HMAC-SHA-256 digest
_C14N_LABEL = re.compile(r"c14n(0|[1-9][0-9]*)")
_T = TypeVar("_T")


@dataclass(frozen=True, slots=True)
class BaseProofValue:
    """The five components of a base proof value (spec: *parsed base proof*)."""

    base_signature: bytes
    public_key: bytes
    hmac_key: bytes
    signatures: tuple[bytes, ...]
    mandatory_pointers: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class DerivedProofValue:
    """The five components of a derived proof value; ``label_map`` is decompressed."""

    base_signature: bytes
    public_key: bytes
    signatures: tuple[bytes, ...]
    label_map: Mapping[str, str]
    mandatory_indexes: tuple[int, ...]


def serialize_sign_data(proof_hash: bytes, public_key: bytes, mandatory_hash: bytes) -> bytes:
    """Return the bytes the issuer's key signs: proofHash ‖ publicKey ‖ mandatoryHash.

    Spec: vc-di-ecdsa#serializesigndata
    """
    # Step 1: concatenate the three values in that order.
    return proof_hash + public_key + mandatory_hash


def serialize_base_proof_value(
    base_signature: bytes,
    public_key: bytes,
    hmac_key: bytes,
    signatures: Sequence[bytes],
    mandatory_pointers: Sequence[str],
) -> str:
    """Encode the base proof components as a ``u2V0A…`` proof value.

    Spec: vc-di-ecdsa#serializebaseproofvalue
    """
    # Step 1: start with the base proof header.
    proof_value = BASE_PROOF_HEADER
    # Step 2: the five components, in order.
    components = [base_signature, public_key, hmac_key, list(signatures), list(mandatory_pointers)]
    # Step 3: CBOR-encode them without tags and append.
    proof_value += _cbor.encode(components)
    # Step 4 and 5: multibase base64url-no-pad.
    return encode_base64url(proof_value)


def parse_base_proof_value(proof_value: object) -> BaseProofValue:
    """Decode an untrusted base proof value into its five checked components.

    Spec: vc-di-ecdsa#parsebaseproofvalue
    """
    # Step 1 to 4: multibase prefix, base64url, header, CBOR array of five.
    base_signature, public_key, hmac_key, signatures, pointers = _decode_components(
        proof_value, BASE_PROOF_HEADER, "base"
    )
    # Implementation note: check every component's type and length, not only the count.
    return BaseProofValue(
        base_signature=_fixed_bytes(base_signature, SIGNATURE_SIZE, "baseSignature"),
        public_key=_fixed_bytes(public_key, PUBLIC_KEY_SIZE, "publicKey"),
        hmac_key=_fixed_bytes(hmac_key, HMAC_KEY_SIZE, "hmacKey"),
        signatures=_signatures(signatures),
        mandatory_pointers=tuple(_array_of(pointers, str, "mandatoryPointers")),
    )


def compress_label_map(label_map: Mapping[str, str]) -> dict[int, bytes]:
    """Turn ``{"c14nN": "u<base64url digest>"}`` into ``{N: digest}``, N ascending.

    Spec: vc-di-ecdsa#compresslabelmap
    """
    # Step 1: an empty map.
    compressed: dict[int, bytes] = {}
    # Step 2: integer key after "c14n", bytes of the value after "u".
    # Implementation note: keys are added in ascending order, as the JS Map is
    # built from canonical labels in issue order (P14).
    for key, value in sorted(label_map.items(), key=lambda item: _c14n_number(item[0])):
        compressed[_c14n_number(key)] = decode_base64url(value)
    # Step 3: return it.
    return compressed


def decompress_label_map(compressed_label_map: Mapping[int, bytes]) -> dict[str, str]:
    """Turn ``{N: digest}`` back into ``{"c14nN": "u<base64url digest>"}``.

    Spec: vc-di-ecdsa#decompresslabelmap
    """
    # Step 1 to 3: prefix "c14n" to each key and "u" + base64url to each value.
    return {f"c14n{key}": encode_base64url(value) for key, value in compressed_label_map.items()}


def serialize_derived_proof_value(
    base_signature: bytes,
    public_key: bytes,
    signatures: Sequence[bytes],
    label_map: Mapping[str, str],
    mandatory_indexes: Sequence[int],
) -> str:
    """Encode the disclosure components as a ``u2V0B…`` proof value.

    Spec: vc-di-ecdsa#serializederivedproofvalue
    """
    # Step 1: compress the label map.
    compressed_label_map = compress_label_map(label_map)
    # Step 2: start with the disclosure proof header.
    proof_value = DERIVED_PROOF_HEADER
    # Step 3: the five components, in order.
    components = [
        base_signature,
        public_key,
        list(signatures),
        compressed_label_map,
        list(mandatory_indexes),
    ]
    # Step 4: CBOR-encode them without tags and append.
    proof_value += _cbor.encode(components)
    # Step 5: multibase base64url-no-pad.
    return encode_base64url(proof_value)


def parse_derived_proof_value(proof_value: object) -> DerivedProofValue:
    """Decode an untrusted derived proof value into its five checked components.

    Spec: vc-di-ecdsa#parsederivedproofvalue
    """
    # Step 1 to 4: multibase prefix, base64url, header, CBOR array of five with
    # lengths 64, 35 (P11), [64…], {int → 32} and [int…].
    base_signature, public_key, signatures, compressed, indexes = _decode_components(
        proof_value, DERIVED_PROOF_HEADER, "derived"
    )
    if not isinstance(compressed, dict):
        raise ProofVerificationError("labelMap must be a CBOR map")
    for key, value in compressed.items():
        if type(key) is not int or key < 0:
            raise ProofVerificationError("labelMap keys must be non-negative integers")
        _fixed_bytes(value, LABEL_SIZE, "labelMap value")
    mandatory_indexes = _array_of(indexes, int, "mandatoryIndexes")
    if any(index < 0 for index in mandatory_indexes):
        raise ProofVerificationError("mandatoryIndexes must be non-negative")
    # Step 5: decompress the label map.
    label_map = decompress_label_map(compressed)
    # Step 6: return the named components.
    return DerivedProofValue(
        base_signature=_fixed_bytes(base_signature, SIGNATURE_SIZE, "baseSignature"),
        public_key=_fixed_bytes(public_key, PUBLIC_KEY_SIZE, "publicKey"),
        signatures=_signatures(signatures),
        label_map=label_map,
        mandatory_indexes=tuple(mandatory_indexes),
    )


def _c14n_number(label: str) -> int:
    match = _C14N_LABEL.fullmatch(label)
    if match is None:
        raise ValueError(f"{label!r} is not a canonical blank node label c14nN")
    return int(match.group(1))


def _decode_components(proof_value: object, header: bytes, kind: str) -> list[object]:
    if not isinstance(proof_value, str) or not proof_value.startswith("u"):
        raise ProofVerificationError(
            f"a {kind} proofValue must be a string with the multibase prefix 'u'"
        )
    try:
        decoded = decode_base64url(proof_value)
    except ValueError as exc:
        raise ProofVerificationError(f"the {kind} proofValue is not base64url") from exc
    if decoded[:3] != header:
        found = {BASE_PROOF_HEADER: "a base", DERIVED_PROOF_HEADER: "a derived"}.get(
            decoded[:3], "no ecdsa-sd-2023"
        )
        raise ProofVerificationError(
            f"expected an ecdsa-sd-2023 {kind} proof value, found {found} proof header"
        )
    try:
        components = _cbor.decode(decoded[3:])
    except _cbor.CborError as exc:
        raise ProofVerificationError(f"the {kind} proofValue is not strict CBOR: {exc}") from exc
    if not isinstance(components, list) or len(components) != 5:
        raise ProofVerificationError(f"a {kind} proofValue must hold an array of five elements")
    return components


def _fixed_bytes(value: object, size: int, name: str) -> bytes:
    if not isinstance(value, bytes) or len(value) != size:
        raise ProofVerificationError(f"{name} must be a byte string of length {size}")
    return value


def _signatures(value: object) -> tuple[bytes, ...]:
    items = _array_of(value, bytes, "signatures")
    return tuple(_fixed_bytes(item, SIGNATURE_SIZE, "each signature") for item in items)


def _array_of(value: object, item_type: type[_T], name: str) -> list[_T]:
    if not isinstance(value, list) or any(type(item) is not item_type for item in value):
        raise ProofVerificationError(f"{name} must be an array of {item_type.__name__}")
    return value
