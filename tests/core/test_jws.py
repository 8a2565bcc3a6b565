"""Compact JWS: round trips, raw ECDSA signatures, interop with cryptography, hostile tokens."""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, ed25519
from cryptography.hazmat.primitives.asymmetric.utils import (
    decode_dss_signature,
    encode_dss_signature,
)
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from vc_core.did import did_key, did_key_verification_method_id
from vc_core.errors import DidResolutionError, FetchError, JwsError
from vc_core.jws import (
    ALLOWED_ALGS,
    UnverifiedJws,
    loads_strict_json,
    parse_jws,
    resolve_kid_did,
    sign_jws,
    verify_jws,
)
from vc_core.keys import Curve, KeyPair, PublicKey

PROOF_TYP = "openid4vci-proof+jwt"
PAYLOAD = {"aud": "https://issuer.example.nl/belastingdienst", "iat": 1767225600, "nonce": "n-1"}
SIGNATURE_SIZES = {"P-256": 64, "P-384": 96, "Ed25519": 64}
CURVES: tuple[Curve, ...] = ("P-256", "P-384", "Ed25519")


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def _part(value: Any) -> str:
    return _b64(json.dumps(value).encode())


def _forge(header: Any, payload: Any, key: KeyPair) -> str:
    """Sign arbitrary header/payload JSON with ``key``, bypassing sign_jws's rules."""
    signing_input = f"{_part(header)}.{_part(payload)}"
    return f"{signing_input}.{_b64(key.sign(signing_input.encode()))}"


def _assert_invalid(token: object, **options: Any) -> JwsError:
    options.setdefault("expected_typ", PROOF_TYP)
    with pytest.raises(JwsError) as caught:
        verify_jws(token, **options)
    assert caught.value.code == "INVALID_JWS"
    return caught.value


@pytest.fixture(scope="module")
def holder() -> KeyPair:
    return KeyPair.generate("P-256")


@pytest.fixture(scope="module")
def token(holder: KeyPair) -> str:
    return sign_jws(PAYLOAD, holder, typ=PROOF_TYP, kid=did_key_verification_method_id(holder))


# --- round trips ---------------------------------------------------------------------------------


@pytest.mark.parametrize("curve", CURVES)
def test_round_trip_with_did_key_kid(curve: Curve) -> None:
    key = KeyPair.generate(curve)
    kid = did_key_verification_method_id(key)
    signed = sign_jws(PAYLOAD, key, typ=PROOF_TYP, kid=kid)
    verified = verify_jws(signed, expected_typ=PROOF_TYP)
    assert verified.payload == PAYLOAD
    assert verified.header == {"alg": key.public.alg, "typ": PROOF_TYP, "kid": kid}
    assert verified.key == key.public
    assert len(parse_jws(signed).signature) == SIGNATURE_SIZES[curve]


@pytest.mark.parametrize("curve", CURVES)
def test_round_trip_with_embedded_jwk(curve: Curve) -> None:
    key = KeyPair.generate(curve)
    signed = sign_jws(PAYLOAD, key, typ=PROOF_TYP, include_jwk=True)
    verified = verify_jws(signed, expected_typ=PROOF_TYP, allow_jwk=True)
    assert verified.key == key.public
    assert verified.header["jwk"] == key.public.to_jwk()


@pytest.mark.parametrize("curve", CURVES)
def test_round_trip_with_explicit_key(curve: Curve) -> None:
    key = KeyPair.generate(curve)
    signed = sign_jws(PAYLOAD, key, typ="oauth-authz-req+jwt", headers={"x-extra": 1})
    verified = verify_jws(signed, expected_typ="oauth-authz-req+jwt", key=key.public)
    assert verified.header["x-extra"] == 1
    assert verified.payload == PAYLOAD


def test_es256_signature_is_64_raw_bytes(holder: KeyPair, token: str) -> None:
    parsed = parse_jws(token)
    assert parsed.header["alg"] == "ES256"
    assert len(parsed.signature) == 64
    assert holder.public.verify(parsed.signature, parsed.signing_input)


def test_parse_returns_signing_input(token: str) -> None:
    parsed = parse_jws(token)
    assert isinstance(parsed, UnverifiedJws)
    assert parsed.signing_input == token.rsplit(".", 1)[0].encode()
    assert parsed.payload == PAYLOAD


def test_non_ascii_payload_round_trips(holder: KeyPair) -> None:
    signed = sign_jws({"naam": "Zoë Çelik"}, holder, typ=PROOF_TYP)
    assert verify_jws(signed, expected_typ=PROOF_TYP, key=holder.public).payload == {
        "naam": "Zoë Çelik"
    }


def test_fully_specified_ed25519_alg_is_accepted() -> None:
    key = KeyPair.generate("Ed25519")
    forged = _forge({"alg": "Ed25519", "typ": PROOF_TYP}, PAYLOAD, key)
    assert verify_jws(forged, expected_typ=PROOF_TYP, key=key.public).payload == PAYLOAD


# --- interop with the cryptography primitives ------------------------------------------------


def test_verifies_es256_built_with_cryptography() -> None:
    private = ec.generate_private_key(ec.SECP256R1())
    jwk = {"kty": "EC", "crv": "P-256"}
    numbers = private.public_key().public_numbers()
    jwk["x"] = _b64(numbers.x.to_bytes(32, "big"))
    jwk["y"] = _b64(numbers.y.to_bytes(32, "big"))
    signing_input = f"{_part({'alg': 'ES256', 'typ': PROOF_TYP, 'jwk': jwk})}.{_part(PAYLOAD)}"
    r, s = decode_dss_signature(private.sign(signing_input.encode(), ec.ECDSA(hashes.SHA256())))
    signature = r.to_bytes(32, "big") + s.to_bytes(32, "big")
    token = f"{signing_input}.{_b64(signature)}"
    verified = verify_jws(token, expected_typ=PROOF_TYP, allow_jwk=True)
    point = private.public_key().public_bytes(Encoding.X962, PublicFormat.UncompressedPoint)
    assert verified.key == PublicKey.from_bytes("P-256", point)


def test_verifies_eddsa_built_with_cryptography() -> None:
    private = ed25519.Ed25519PrivateKey.generate()
    raw = private.public_key().public_bytes_raw()
    signing_input = f"{_part({'alg': 'EdDSA', 'typ': PROOF_TYP})}.{_part(PAYLOAD)}"
    token = f"{signing_input}.{_b64(private.sign(signing_input.encode()))}"
    verified = verify_jws(token, expected_typ=PROOF_TYP, key=PublicKey("Ed25519", raw))
    assert verified.payload == PAYLOAD


def test_cryptography_verifies_our_es256(holder: KeyPair, token: str) -> None:
    header, payload, signature = token.split(".")
    raw = base64.urlsafe_b64decode(signature + "==")
    der = encode_dss_signature(int.from_bytes(raw[:32], "big"), int.from_bytes(raw[32:], "big"))
    jwk = holder.public.to_jwk()
    x = int.from_bytes(base64.urlsafe_b64decode(jwk["x"] + "=="), "big")
    y = int.from_bytes(base64.urlsafe_b64decode(jwk["y"] + "=="), "big")
    public = ec.EllipticCurvePublicNumbers(x, y, ec.SECP256R1()).public_key()
    public.verify(der, f"{header}.{payload}".encode(), ec.ECDSA(hashes.SHA256()))
    assert json.loads(base64.urlsafe_b64decode(header + "==")) == {
        "alg": "ES256",
        "typ": PROOF_TYP,
        "kid": did_key_verification_method_id(holder),
    }


# --- key resolution ----------------------------------------------------------------------------


def test_custom_resolver_gets_the_kid(holder: KeyPair) -> None:
    seen: list[str] = []

    def resolve(kid: str) -> PublicKey:
        seen.append(kid)
        return holder.public

    signed = sign_jws(PAYLOAD, holder, typ=PROOF_TYP, kid="did:web:verhuur.example.nl#key-1")
    assert verify_jws(signed, expected_typ=PROOF_TYP, resolve_kid=resolve).key == holder.public
    assert seen == ["did:web:verhuur.example.nl#key-1"]


def test_resolver_failure_is_invalid_jws(holder: KeyPair) -> None:
    def resolve(kid: str) -> PublicKey:
        raise DidResolutionError("unknown key")

    signed = sign_jws(PAYLOAD, holder, typ=PROOF_TYP, kid="did:web:verhuur.example.nl#key-1")
    _assert_invalid(signed, resolve_kid=resolve)


def test_resolve_kid_did_web_through_fetch(holder: KeyPair) -> None:
    did = "did:web:verhuur.example.nl"
    document = {
        "id": did,
        "verificationMethod": [
            {
                "id": f"{did}#key-1",
                "type": "Multikey",
                "controller": did,
                "publicKeyMultibase": holder.public.multibase,
            }
        ],
        "authentication": [f"{did}#key-1"],
    }
    urls: list[str] = []

    def fetch(url: str, *, accept: str) -> bytes:
        urls.append(url)
        return json.dumps(document).encode()

    assert resolve_kid_did(f"{did}#key-1", fetch=fetch) == holder.public
    assert urls == ["https://verhuur.example.nl/.well-known/did.json"]


def test_resolve_kid_did_fetch_failure() -> None:
    def fetch(url: str, *, accept: str) -> bytes:
        raise FetchError("offline")

    with pytest.raises(JwsError) as caught:
        resolve_kid_did("did:web:verhuur.example.nl#key-1", fetch=fetch)
    assert caught.value.code == "INVALID_JWS"


@pytest.mark.parametrize(
    "kid",
    ["not-a-did", "did:web:verhuur.example.nl#key-1", "did:key:zNotAKey#zNotAKey", "did:key:z6Mk"],
)
def test_unresolvable_kid(holder: KeyPair, kid: str) -> None:
    _assert_invalid(sign_jws(PAYLOAD, holder, typ=PROOF_TYP, kid=kid))


def test_kid_of_another_key(holder: KeyPair) -> None:
    other = KeyPair.generate("P-256")
    signed = sign_jws(PAYLOAD, holder, typ=PROOF_TYP, kid=did_key_verification_method_id(other))
    assert "signature" in _assert_invalid(signed).detail


def test_embedded_jwk_refused_unless_allowed(holder: KeyPair) -> None:
    _assert_invalid(sign_jws(PAYLOAD, holder, typ=PROOF_TYP, include_jwk=True))


def test_no_key_named(holder: KeyPair) -> None:
    _assert_invalid(sign_jws(PAYLOAD, holder, typ=PROOF_TYP))


def test_invalid_embedded_jwk(holder: KeyPair) -> None:
    header = {"alg": "ES256", "typ": PROOF_TYP, "jwk": {"kty": "EC", "crv": "P-256", "x": "AA"}}
    _assert_invalid(_forge(header, PAYLOAD, holder), allow_jwk=True)


# --- signature, alg and typ --------------------------------------------------------------------


def test_wrong_key(token: str) -> None:
    _assert_invalid(token, key=KeyPair.generate("P-256").public)


@pytest.mark.parametrize(
    ("alg", "curve"),
    [("ES384", "P-256"), ("EdDSA", "P-256"), ("ES256", "Ed25519"), ("Ed25519", "P-384")],
)
def test_alg_key_mismatch(alg: str, curve: Curve) -> None:
    key = KeyPair.generate(curve)
    forged = _forge({"alg": alg, "typ": PROOF_TYP}, PAYLOAD, key)
    assert "does not fit" in _assert_invalid(forged, key=key.public).detail


def test_alg_not_in_callers_list(token: str, holder: KeyPair) -> None:
    _assert_invalid(token, key=holder.public, algorithms={"EdDSA"})


def test_algorithms_beyond_allow_list_are_misuse(token: str, holder: KeyPair) -> None:
    with pytest.raises(ValueError, match="subset"):
        verify_jws(token, expected_typ=PROOF_TYP, key=holder.public, algorithms={"none"})


@pytest.mark.parametrize("typ", ["oauth-authz-req+jwt", "OPENID4VCI-PROOF+JWT", "JWT", None])
def test_wrong_or_missing_typ(holder: KeyPair, typ: str | None) -> None:
    header: dict[str, Any] = {"alg": "ES256"}
    if typ is not None:
        header["typ"] = typ
    _assert_invalid(_forge(header, PAYLOAD, holder), key=holder.public)


def test_tampered_payload(token: str, holder: KeyPair) -> None:
    header, _, signature = token.split(".")
    tampered = f"{header}.{_part({**PAYLOAD, 'aud': 'https://evil.example'})}.{signature}"
    _assert_invalid(tampered, key=holder.public)


def test_truncated_signature(token: str, holder: KeyPair) -> None:
    header, payload, signature = token.split(".")
    short = _b64(base64.urlsafe_b64decode(signature + "==")[:63])
    _assert_invalid(f"{header}.{payload}.{short}", key=holder.public)
    _assert_invalid(token[:-2], key=holder.public)


def test_der_signature_refused(holder: KeyPair, token: str) -> None:
    header, payload, signature = token.split(".")
    raw = base64.urlsafe_b64decode(signature + "==")
    der = encode_dss_signature(int.from_bytes(raw[:32], "big"), int.from_bytes(raw[32:], "big"))
    _assert_invalid(f"{header}.{payload}.{_b64(der)}", key=holder.public)


# --- hostile tokens (parse_jws) ------------------------------------------------------------------


def _parse_fails(token: object) -> str:
    with pytest.raises(JwsError) as caught:
        parse_jws(token)
    assert caught.value.code == "INVALID_JWS"
    return caught.value.detail


HEADER = _part({"alg": "ES256", "typ": PROOF_TYP})
BODY = _part(PAYLOAD)
SIGNATURE = _b64(bytes(64))


@pytest.mark.parametrize("token", [None, 42, b"a.b.c", {"alg": "ES256"}, ["a", "b", "c"]])
def test_not_a_string(token: object) -> None:
    _parse_fails(token)


@pytest.mark.parametrize(
    "token",
    ["", "abc", f"{HEADER}.{BODY}", f"{HEADER}.{BODY}.{SIGNATURE}.x", f"{HEADER}..{BODY}.."],
)
def test_wrong_number_of_parts(token: str) -> None:
    _parse_fails(token)


@pytest.mark.parametrize(
    "token",
    [
        f"{HEADER}=.{BODY}.{SIGNATURE}",  # padding
        f"{HEADER}.{BODY}.{SIGNATURE}==",
        f"{HEADER}.{BODY.replace('e', '+', 1)}.{SIGNATURE}",  # standard alphabet
        f"{HEADER}.{BODY}.{SIGNATURE[:-1]}/",
        f"{HEADER} .{BODY}.{SIGNATURE}",  # whitespace
        f"{HEADER}.{BODY}.A",  # impossible length
        f"{HEADER}.{BODY}.{SIGNATURE[:-1]}B",  # non-canonical trailing bits
    ],
)
def test_bad_base64url(token: str) -> None:
    _parse_fails(token)


@pytest.mark.parametrize(
    "token",
    ["é.é.é", "\u0000.\u0000.\u0000", "👀.eyJ9.sig", f"{HEADER}.{BODY}.{SIGNATURE[:-2]}ü"],
)
def test_non_ascii_garbage(token: str) -> None:
    _parse_fails(token)


def test_too_long() -> None:
    _parse_fails(f"{HEADER}.{_b64(b'x' * 300_000)}.{SIGNATURE}")


@pytest.mark.parametrize(
    "header",
    [
        _b64(b"not json"),
        _b64(b"\xff\xfe{}"),  # not UTF-8
        _part(["alg", "ES256"]),
        _part("ES256"),
        _b64(b'{"alg":"ES256","alg":"none"}'),  # duplicate member
        _b64(b'{"alg":"ES256","n":NaN}'),
        "",
    ],
)
def test_header_not_a_json_object(header: str) -> None:
    _parse_fails(f"{header}.{BODY}.{SIGNATURE}")


@pytest.mark.parametrize(
    "payload",
    [_part([1, 2]), _part(None), _b64(b"{"), _b64(b'{"a":1,"a":2}'), _b64(b'{"x":Infinity}'), ""],
)
def test_payload_not_a_json_object(payload: str) -> None:
    _parse_fails(f"{HEADER}.{payload}.{SIGNATURE}")


@pytest.mark.parametrize("alg", [None, "none", "None", "HS256", "RS256", "PS256", "ES256K", 7])
def test_alg_missing_or_not_allowed(alg: object) -> None:
    header: dict[str, Any] = {"typ": PROOF_TYP}
    if alg is not None:
        header["alg"] = alg
    assert "alg" in _parse_fails(f"{_part(header)}.{BODY}.{SIGNATURE}")


def test_alg_none_with_empty_signature() -> None:
    _parse_fails(f"{_part({'alg': 'none', 'typ': PROOF_TYP})}.{BODY}.")


def test_empty_signature() -> None:
    assert "empty signature" in _parse_fails(f"{HEADER}.{BODY}.")


@pytest.mark.parametrize("crit", [["exp"], [], "b64", ["b64"]])
def test_unknown_crit(crit: object) -> None:
    header = {"alg": "ES256", "typ": PROOF_TYP, "crit": crit, "exp": 1}
    assert "crit" in _parse_fails(f"{_part(header)}.{BODY}.{SIGNATURE}")


@pytest.mark.parametrize(
    "extra",
    [
        {"jku": "https://evil.example/keys"},
        {"x5u": "https://evil.example/cert"},
        {"x5c": ["MIIB"]},
        {"b64": False},
    ],
)
def test_refused_key_sources(extra: dict[str, Any]) -> None:
    _parse_fails(f"{_part({'alg': 'ES256', 'typ': PROOF_TYP, **extra})}.{BODY}.{SIGNATURE}")


def test_private_d_in_jwk(holder: KeyPair) -> None:
    jwk = {**holder.public.to_jwk(), "d": _b64(holder.secret_bytes)}
    token = _forge({"alg": "ES256", "typ": PROOF_TYP, "jwk": jwk}, PAYLOAD, holder)
    assert "private" in _parse_fails(token)
    _assert_invalid(token, allow_jwk=True)


def test_kid_and_jwk_together(holder: KeyPair) -> None:
    header = {
        "alg": "ES256",
        "typ": PROOF_TYP,
        "kid": did_key_verification_method_id(holder),
        "jwk": holder.public.to_jwk(),
    }
    assert "mutually exclusive" in _parse_fails(_forge(header, PAYLOAD, holder))


@pytest.mark.parametrize(
    "extra", [{"jwk": "eyJ9"}, {"jwk": ["EC"]}, {"kid": 5}, {"kid": None}, {"typ": ["JWT"]}]
)
def test_mistyped_header_parameters(extra: dict[str, Any]) -> None:
    _parse_fails(f"{_part({'alg': 'ES256', 'typ': PROOF_TYP, **extra})}.{BODY}.{SIGNATURE}")


# --- misuse by the signer --------------------------------------------------------------------


def test_sign_refuses_kid_and_jwk(holder: KeyPair) -> None:
    with pytest.raises(ValueError, match="not both"):
        sign_jws(PAYLOAD, holder, typ=PROOF_TYP, kid=did_key(holder), include_jwk=True)


@pytest.mark.parametrize("name", ["alg", "typ", "kid", "jwk"])
def test_sign_refuses_overriding_reserved_headers(holder: KeyPair, name: str) -> None:
    with pytest.raises(ValueError, match="must not set"):
        sign_jws(PAYLOAD, holder, typ=PROOF_TYP, headers={name: "none"})


def test_sign_refuses_non_objects(holder: KeyPair) -> None:
    with pytest.raises(TypeError):
        sign_jws([1, 2], holder, typ=PROOF_TYP)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        sign_jws(PAYLOAD, holder.public, typ=PROOF_TYP)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="JSON"):
        sign_jws({"x": float("nan")}, holder, typ=PROOF_TYP)


def test_allowed_algs_never_include_weak_ones() -> None:
    assert {"ES256", "ES384", "EdDSA", "Ed25519"} == ALLOWED_ALGS
    assert not {"none", "HS256", "RS256"} & ALLOWED_ALGS


def test_x5c_is_parsed_only_when_the_caller_checks_the_chain() -> None:
    token = f"{_part({'alg': 'ES256', 'typ': PROOF_TYP, 'x5c': ['MIIB']})}.{BODY}.{SIGNATURE}"
    assert parse_jws(token, allow_x5c=True).header["x5c"] == ["MIIB"]
    with pytest.raises(JwsError, match="longer than"):
        parse_jws(token, max_chars=10)


@pytest.mark.parametrize(
    "text", [b'{"a": 1, "a": 2}', b"[NaN]", b"[Infinity]", b"\xff", b"[" * 100_000]
)
def test_strict_json_refuses(text: bytes) -> None:
    with pytest.raises(ValueError):  # noqa: PT011 (several messages)
        loads_strict_json(text)
