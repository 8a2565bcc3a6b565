"""Multikey key pairs: vector round trips, deterministic signatures, parsing of untrusted keys."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from vc_core._multibase import decode_base64url_nopad, encode_base58btc, multicodec_wrap
from vc_core.errors import ParsingError
from vc_core.keys import KeyPair, PublicKey

KEY_FILES = {
    "p256": ("ecdsa-rdfc-2019-p256/p256KeyPair.json", None),
    "p384": ("ecdsa-rdfc-2019-p384/p384KeyPair.json", None),
    "ed25519": ("eddsa-rdfc-2022/keyPair.json", None),
    "sd-base": ("ecdsa-sd-2023/SDKeyMaterial.json", "baseKeyPair"),
    "sd-proof": ("ecdsa-sd-2023/SDKeyMaterial.json", "proofKeyPair"),
    **{
        f"chain-{n}": ("eddsa-rdfc-2022-proof-set-chain/multiKeyPairs.json", f"keyPair{n}")
        for n in range(1, 5)
    },
}
SIGNATURES = {
    "p256": ("ecdsa-rdfc-2019-p256", "ECDSAP256", "p256KeyPair.json"),
    "p384": ("ecdsa-rdfc-2019-p384", "ECDSAP384", "p384KeyPair.json"),
    "ed25519": ("eddsa-rdfc-2022", "DataInt", "keyPair.json"),
}
P256_PUBLIC = "zDnaepBuvsQ8cpsWrVKw8fbpGpvPeNSjVPTWoq6cRqaYzBKVP"
P256_SECRET = "z42twTcNeSYcnqg1FLuSFs2bsGH3ZqbRHFmvS9XMsYhjxvHN"
ED25519_PUBLIC = "z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2"


def _key_data(vectors_dir: Path, name: str) -> dict[str, Any]:
    path, member = KEY_FILES[name]
    data: dict[str, Any] = json.loads((vectors_dir / path).read_text())
    return data[member] if member else data


def _multibase_of(code: int, raw: bytes) -> str:
    return encode_base58btc(multicodec_wrap(code, raw))


@pytest.fixture(scope="module")
def p256() -> KeyPair:
    return KeyPair.from_multikey(
        {"publicKeyMultibase": P256_PUBLIC, "secretKeyMultibase": P256_SECRET}
    )


@pytest.mark.vectors
@pytest.mark.parametrize("name", KEY_FILES, ids=list(KEY_FILES))
def test_vector_key_pairs_round_trip(vectors_dir: Path, name: str) -> None:
    data = _key_data(vectors_dir, name)
    pair = KeyPair.from_multikey(data)
    out = pair.to_multikey(include_secret=True)
    secret = data.get("secretKeyMultibase", data.get("privateKeyMultibase"))
    assert out == {
        "type": "Multikey",
        "publicKeyMultibase": data["publicKeyMultibase"],
        "secretKeyMultibase": secret,
    }
    assert KeyPair.from_secret_bytes(pair.curve, pair.secret_bytes) == pair
    assert PublicKey.from_multibase(data["publicKeyMultibase"]) == pair.public


@pytest.mark.vectors
@pytest.mark.parametrize("name", SIGNATURES, ids=list(SIGNATURES))
def test_deterministic_signature_reproduces_vector(vectors_dir: Path, name: str) -> None:
    folder, suffix, key_file = SIGNATURES[name]
    pair = KeyPair.from_multikey(json.loads((vectors_dir / folder / key_file).read_text()))
    data = bytes.fromhex((vectors_dir / folder / f"combinedHash{suffix}.txt").read_text().strip())
    expected = bytes.fromhex((vectors_dir / folder / f"sigHex{suffix}.txt").read_text().strip())
    assert pair.sign(data) == expected
    assert pair.public.verify(expected, data)


@pytest.mark.parametrize(
    ("curve", "prefix", "size", "header", "signature_size", "alg"),
    [
        ("P-256", "zDn", 35, "8024", 64, "ES256"),
        ("P-384", "z82L", 51, "8124", 96, "ES384"),
        ("Ed25519", "z6Mk", 34, "ed01", 64, "EdDSA"),
    ],
    ids=["p256", "p384", "ed25519"],
)
def test_generated_keys(
    curve: Any, prefix: str, size: int, header: str, signature_size: int, alg: str
) -> None:
    pair = KeyPair.generate(curve)
    public = pair.public
    assert public.multibase.startswith(prefix)
    assert len(public.multikey_bytes) == size
    assert public.multikey_bytes[:2].hex() == header
    assert public.alg == alg
    signature = pair.sign(b"hello")
    assert len(signature) == signature_size
    assert public.verify(signature, b"hello")
    assert not public.verify(signature, b"hellO")
    assert not KeyPair.generate(curve).public.verify(signature, b"hello")


def test_randomized_ecdsa_signatures_differ_and_verify(p256: KeyPair) -> None:
    first = p256.sign(b"data", deterministic=False)
    second = p256.sign(b"data", deterministic=False)
    assert first != second
    assert p256.public.verify(first, b"data")
    assert p256.public.verify(second, b"data")
    assert p256.sign(b"data") == p256.sign(b"data")


@pytest.mark.parametrize(
    "mangle",
    [
        lambda s: s[:-1],
        lambda s: s + b"\x00",
        lambda s: b"",
        lambda s: bytes([s[0] ^ 1]) + s[1:],
        lambda s: bytes(64),
        lambda s: b"\xff" * 64,
    ],
    ids=["truncated", "extended", "empty", "flipped", "zero", "over-order"],
)
def test_bad_signatures_are_false(p256: KeyPair, mangle: Any) -> None:
    signature = p256.sign(b"data")
    assert p256.public.verify(signature, b"data")
    assert p256.public.verify(mangle(signature), b"data") is False


def test_ed25519_truncated_signature_is_false() -> None:
    pair = KeyPair.generate("Ed25519")
    assert pair.public.verify(pair.sign(b"x")[:-1], b"x") is False


@pytest.mark.parametrize(
    "value",
    [
        "",
        "Dnaep",
        "zDnaep0OIl",
        _multibase_of(0xEC, bytes(32)),
        _multibase_of(0x1306, bytes(range(1, 33))),
        _multibase_of(0x1200, b"\x02" + bytes(range(1, 34))),
        _multibase_of(0x1200, b"\x02" + bytes(31) + b"\x01"),
        _multibase_of(0x1200, b"\x04" + bytes(64)),
        _multibase_of(0xED, bytes(31)),
    ],
    ids=[
        "empty",
        "no-multibase-prefix",
        "bad-base58",
        "x25519-codec",
        "secret-key-codec",
        "36-byte-p256",
        "off-curve-point",
        "uncompressed-65",
        "short-ed25519",
    ],
)
def test_from_multibase_refuses(value: str) -> None:
    with pytest.raises(ParsingError) as info:
        PublicKey.from_multibase(value)
    assert info.value.code == "PARSING_ERROR"


def test_from_multibase_refuses_non_string() -> None:
    with pytest.raises(ParsingError) as info:
        PublicKey.from_multibase(42)  # type: ignore[arg-type]
    assert info.value.code == "PARSING_ERROR"


def test_from_multikey_bytes(p256: KeyPair) -> None:
    assert PublicKey.from_multikey_bytes(p256.public.multikey_bytes) == p256.public
    with pytest.raises(ParsingError) as info:
        PublicKey.from_multikey_bytes(p256.public.multikey_bytes + b"\x00")
    assert info.value.code == "PARSING_ERROR"


def test_from_bytes_accepts_uncompressed(p256: KeyPair) -> None:
    uncompressed = b"\x04" + b"".join(
        decode_base64url_nopad(p256.public.to_jwk()[c]) for c in ("x", "y")
    )
    assert PublicKey.from_bytes("P-256", uncompressed) == p256.public
    with pytest.raises(ValueError, match="bytes"):
        PublicKey("P-256", uncompressed)
    with pytest.raises(ValueError, match="curve"):
        PublicKey.from_bytes("secp256k1", bytes(33))  # type: ignore[arg-type]


@pytest.mark.parametrize("curve", ["P-256", "P-384", "Ed25519"])
def test_jwk_round_trip(curve: Any) -> None:
    public = KeyPair.generate(curve).public
    jwk = public.to_jwk()
    assert "d" not in jwk
    assert jwk["kty"] == ("OKP" if curve == "Ed25519" else "EC")
    assert PublicKey.from_jwk(jwk) == public


def test_p256_vector_jwk(p256: KeyPair) -> None:
    assert p256.public.to_jwk() == {
        "kty": "EC",
        "crv": "P-256",
        "x": "YP7UuiVanTHJYet0xjVtaMBJuJI7Yfps5mliLmDyn7Y",
        "y": "eQP-EAi4vJmkGunpVii8ZPLxsgwtfp9Rd6PClNRGIpk",
    }


@pytest.mark.parametrize(
    "change",
    [
        {"d": "AAAA"},
        {"kty": "RSA"},
        {"crv": "P-521"},
        {"x": "YP7U+iVa"},
        {"y": "eQP-EAi4vJmkGunpVii8ZPLxsgwtfp9Rd6PClNRGIp"},
        {"y": "eQP-EAi4vJmkGunpVii8ZPLxsgwtfp9Rd6PClNRGIpo"},
        {"x": 5},
    ],
    ids=["private-d", "rsa", "p521", "bad-base64", "short-y", "off-curve", "number-x"],
)
def test_from_jwk_refuses(p256: KeyPair, change: dict[str, Any]) -> None:
    with pytest.raises(ParsingError) as info:
        PublicKey.from_jwk({**p256.public.to_jwk(), **change})
    assert info.value.code == "PARSING_ERROR"


@pytest.mark.parametrize("jwk", [["kty", "EC"], {"kty": "EC", "crv": "P-256"}, {"kty": "OKP"}])
def test_from_jwk_refuses_shapes(jwk: Any) -> None:
    with pytest.raises(ParsingError) as info:
        PublicKey.from_jwk(jwk)
    assert info.value.code == "PARSING_ERROR"


def test_secret_never_shown(p256: KeyPair) -> None:
    text = repr(p256) + str(p256)
    assert P256_SECRET not in text
    assert p256.secret_bytes.hex() not in text
    assert "private" not in text
    assert "secretKeyMultibase" not in p256.to_multikey()
    assert p256.to_multikey() == {"type": "Multikey", "publicKeyMultibase": P256_PUBLIC}


def test_from_multikey_keeps_id_and_controller() -> None:
    data = {
        "id": "did:web:issuer.example.nl:belastingdienst#key-1",
        "type": "Multikey",
        "controller": "did:web:issuer.example.nl:belastingdienst",
        "publicKeyMultibase": P256_PUBLIC,
        "secretKeyMultibase": P256_SECRET,
    }
    pair = KeyPair.from_multikey(data)
    assert pair.id == data["id"]
    assert pair.controller == data["controller"]
    assert pair.to_multikey(include_secret=True) == data


@pytest.mark.parametrize(
    "data",
    [
        {"publicKeyMultibase": ED25519_PUBLIC, "secretKeyMultibase": P256_SECRET},
        {"publicKeyMultibase": P256_PUBLIC},
        {"publicKeyMultibase": P256_PUBLIC, "secretKeyMultibase": P256_PUBLIC},
        {"publicKeyMultibase": P256_PUBLIC, "secretKeyMultibase": P256_SECRET, "id": 1},
    ],
    ids=["mismatch", "no-secret", "public-as-secret", "non-string-id"],
)
def test_from_multikey_refuses(data: dict[str, Any]) -> None:
    with pytest.raises(ValueError, match=r"secret|id|publicKeyMultibase"):
        KeyPair.from_multikey(data)


def test_key_pair_refuses_foreign_public_key(p256: KeyPair) -> None:
    other = KeyPair.generate()
    with pytest.raises(ValueError, match="does not belong"):
        KeyPair(p256.public, other.private_key)


@pytest.mark.parametrize(
    ("curve", "secret"),
    [("P-256", bytes(31)), ("P-256", bytes(32)), ("Ed25519", bytes(33)), ("P-384", bytes(32))],
    ids=["short", "zero-scalar", "long-seed", "p384-short"],
)
def test_from_secret_bytes_refuses(curve: Any, secret: bytes) -> None:
    with pytest.raises(ValueError):  # noqa: PT011 - cryptography words the zero-scalar message
        KeyPair.from_secret_bytes(curve, secret)


def test_fits_alg() -> None:
    p256, p384, ed = (KeyPair.generate(c).public for c in ("P-256", "P-384", "Ed25519"))
    fitting = {
        (name, alg)
        for name, key in (("p256", p256), ("p384", p384), ("ed", ed))
        for alg in ("ES256", "ES384", "EdDSA", "Ed25519", "none", None)
        if key.fits_alg(alg)
    }
    assert fitting == {("p256", "ES256"), ("p384", "ES384"), ("ed", "EdDSA"), ("ed", "Ed25519")}


# --- Digital Bazaar's Ed25519 export: a 64-byte secret (seed, then public key) --------------------

# The key of the W3C VC Data Model suite's test signer, as Digital Bazaar's
# ed25519-multikey exports it.
DB_ED25519 = {
    "publicKeyMultibase": "z6MkpJySvETLnxhQG9DzEdmKJtysBDjuuTeDfUj1uNNCUqcj",
    "secretKeyMultibase": (
        "zrv1a6V2qqSGkBz7QPw4yJedKc8X9dEdug7c3MEzNUDVEmkyVcXtTWNLQLArgKXzN7LbGMTVjqE2CbdrqpnxqtxmY1M"
    ),
}


def test_from_multikey_accepts_a_64_byte_ed25519_secret() -> None:
    pair = KeyPair.from_multikey(DB_ED25519)
    assert pair.public.multibase == DB_ED25519["publicKeyMultibase"]
    assert pair.public.verify(pair.sign(b"data"), b"data")
    # Exported again, the secret is the 32-byte seed form.
    assert KeyPair.from_multikey(pair.to_multikey(include_secret=True)).public == pair.public


def test_from_multikey_refuses_a_64_byte_secret_whose_halves_differ() -> None:
    seed = KeyPair.generate("Ed25519").secret_bytes
    other = KeyPair.generate("Ed25519")
    secret = encode_base58btc(multicodec_wrap(0x1300, seed + other.public.raw))
    with pytest.raises(ValueError, match="public half"):
        KeyPair.from_multikey(
            {"publicKeyMultibase": other.public.multibase, "secretKeyMultibase": secret}
        )
    # A 64-byte secret is an Ed25519 form only.
    p256 = KeyPair.generate("P-256")
    long_secret = encode_base58btc(multicodec_wrap(0x1306, p256.secret_bytes * 2))
    with pytest.raises(ValueError, match="secret key is 32 bytes"):
        KeyPair.from_multikey(
            {"publicKeyMultibase": p256.public.multibase, "secretKeyMultibase": long_secret}
        )
