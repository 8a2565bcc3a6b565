"""IETF Token Status List: the codec, the Status List Token and status checks with a cache."""

from __future__ import annotations

import gzip
import zlib
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from vc_core import FetchError, IssuerKeyError, StatusListError
from vc_core._multibase import encode_base64url_nopad
from vc_core.jws import sign_jws
from vc_core.keys import KeyPair, PublicKey
from vc_core.sd_jwt import StaticIssuerKeys
from vc_core.status import (
    INVALID,
    SUSPENDED,
    VALID,
    StatusListCache,
    TokenStatusList,
    TokenStatusReference,
    check_token_status,
    create_status_list_token,
    decode_token_status_list,
    encode_token_status_list,
    get_token_status,
    set_token_status,
    verify_status_list_token,
)

ISSUER = "https://issuer.example.nl/belastingdienst"
URI = "https://issuer.example.nl/belastingdienst/status/1"
NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
ISSUER_KEY = KeyPair.from_secret_bytes("P-256", bytes(range(1, 33)))
OTHER_KEY = KeyPair.from_secret_bytes("P-256", bytes(range(3, 35)))
KEYS = StaticIssuerKeys({ISSUER: [ISSUER_KEY.public]})


# --- the codec ----------------------------------------------------------------------------------


@pytest.mark.parametrize("bits", [1, 2, 4, 8])
def test_every_entry_round_trips(bits: int) -> None:
    byte_array = bytearray(16)
    values = {index: (index * 7 + 3) % (2**bits) for index in range(len(byte_array) * 8 // bits)}
    for index, value in values.items():
        set_token_status(byte_array, index, value, bits=bits)
    assert {i: get_token_status(bytes(byte_array), i, bits=bits) for i in values} == values
    decoded = decode_token_status_list(encode_token_status_list(bytes(byte_array)))
    assert decoded == bytes(byte_array)


def test_least_significant_bits_first() -> None:
    byte_array = bytearray(1)
    set_token_status(byte_array, 0, 1)
    assert byte_array == b"\x01"
    set_token_status(byte_array, 3, 1, bits=2)
    assert byte_array == b"\x41"
    set_token_status(byte_array, 3, 3, bits=2)
    assert byte_array == b"\xc1"
    set_token_status(byte_array, 3, 0, bits=2)
    assert byte_array == b"\x01"


def test_issuer_side_misuse_is_a_value_error() -> None:
    with pytest.raises(ValueError, match="does not fit"):
        set_token_status(bytearray(1), 0, 2, bits=1)
    with pytest.raises(ValueError, match="outside"):
        set_token_status(bytearray(1), 8, 1, bits=1)
    with pytest.raises(ValueError, match="bits"):
        TokenStatusList.new(8, bits=3)


@pytest.mark.parametrize("index", [-1, 8, 2**60])
def test_reading_outside_the_list(index: int) -> None:
    with pytest.raises(StatusListError) as caught:
        get_token_status(b"\x00", index)
    assert caught.value.code == "RANGE_ERROR"


def test_decompression_bomb_is_refused_without_inflating_it() -> None:
    bomb = encode_base64url_nopad(zlib.compress(bytes(32 * 2**20), level=9))
    assert len(bomb) < 64 * 1024
    with pytest.raises(StatusListError, match="expands beyond"):
        decode_token_status_list(bomb)
    with pytest.raises(StatusListError, match="expands beyond"):
        decode_token_status_list(encode_token_status_list(bytes(1025)), max_bytes=1024)


@pytest.mark.parametrize(
    "lst",
    [
        "not base64!",
        encode_base64url_nopad(gzip.compress(b"\x00" * 16)),  # gzip, not ZLIB
        encode_base64url_nopad(zlib.compress(b"\x00" * 16)[:-3]),  # truncated
        encode_base64url_nopad(zlib.compress(b"\x00" * 16) + b"extra"),
        encode_base64url_nopad(b"\x00\x01"),
        42,
    ],
)
def test_malformed_lst(lst: Any) -> None:
    with pytest.raises(StatusListError) as caught:
        decode_token_status_list(lst)
    assert caught.value.code == "STATUS_VERIFICATION_ERROR"


@pytest.mark.parametrize("value", [None, [], {"lst": "eNrbuRgAAhcBXQ"}, {"bits": 3, "lst": "x"},
                                   {"bits": True, "lst": "eNrbuRgAAhcBXQ"}])  # fmt: skip
def test_malformed_status_list_object(value: Any) -> None:
    with pytest.raises(StatusListError):
        TokenStatusList.from_json(value)


# --- the Status List Token ---------------------------------------------------------------------


def token(
    status_list: TokenStatusList | None = None,
    *,
    key: KeyPair = ISSUER_KEY,
    **options: Any,
) -> str:
    kwargs: dict[str, Any] = {
        "uri": URI,
        "issued_at": NOW - timedelta(minutes=1),
        "expires_at": NOW + timedelta(days=1),
        "ttl": timedelta(minutes=10),
        "issuer": ISSUER,
    }
    kwargs.update(options)
    listed = status_list or TokenStatusList.new(1024, bits=2).with_status(7, SUSPENDED)
    return create_status_list_token(listed, key, **kwargs)


def verify(text: str, **options: Any) -> Any:
    kwargs: dict[str, Any] = {"uri": URI, "issuer": ISSUER, "key_resolver": KEYS, "now": NOW}
    kwargs.update(options)
    return verify_status_list_token(text, **kwargs)


def test_token_round_trip() -> None:
    verified = verify(token())
    assert verified.status_list.get(7) == SUSPENDED
    assert verified.status_list.bits == 2
    assert verified.ttl == timedelta(minutes=10)
    assert verified.expires_at == NOW + timedelta(days=1)


def signed(
    claims: Mapping[str, Any], *, typ: str = "statuslist+jwt", key: KeyPair = ISSUER_KEY
) -> str:
    return sign_jws(claims, key, typ=typ)


def claims(**changes: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "sub": URI,
        "iat": int(NOW.timestamp()) - 60,
        "exp": int(NOW.timestamp()) + 3600,
        "status_list": TokenStatusList.new(8).to_json(),
    }
    base.update(changes)
    return {name: value for name, value in base.items() if value is not None}


@pytest.mark.parametrize(
    ("text", "match"),
    [
        (signed(claims(), typ="JWT"), "typ"),
        (signed(claims(), key=OTHER_KEY), "signature"),
        (signed(claims(sub="https://issuer.example.nl/other")), "sub"),
        (signed(claims(sub=None)), "sub"),
        (signed(claims(iss="https://elders.example.nl")), "issued by"),
        (signed(claims(iat=None)), "iat"),
        (signed(claims(iat="yesterday")), "NumericDate"),
        (signed(claims(iat=int(NOW.timestamp()) + 3600)), "future"),
        (signed(claims(exp=int(NOW.timestamp()) - 3600)), "expired"),
        (signed(claims(ttl=0)), "ttl"),
        (signed(claims(ttl="1h")), "ttl"),
        (signed(claims(status_list=None)), "status_list"),
        (signed(claims(status_list={"bits": 16, "lst": "eNrbuRgAAhcBXQ"})), "bits"),
        ("not.a.jwt", "malformed"),
        (42, "malformed"),
    ],
)
def test_bad_tokens_are_refused(text: Any, match: str) -> None:
    with pytest.raises(StatusListError, match=match) as caught:
        verify(text)
    assert caught.value.code == "STATUS_VERIFICATION_ERROR"


def test_key_resolver_failures_are_status_errors() -> None:
    strangers = StaticIssuerKeys({"https://issuer.example.nl/duo": [ISSUER_KEY.public]})
    with pytest.raises(StatusListError, match="no trusted key"):
        verify(token(), key_resolver=strangers)


def test_typ_is_compared_exactly() -> None:
    # The draft says typ MUST be statuslist+jwt; like every typ here, no implied prefix.
    with pytest.raises(StatusListError, match="typ"):
        verify(signed(claims(), typ="application/statuslist+jwt"))


# --- checking a referenced token's status -------------------------------------------------------


class Server:
    def __init__(self, body: str) -> None:
        self.body = body
        self.requests: list[tuple[str, str]] = []

    def __call__(self, url: str, *, accept: str) -> bytes:
        self.requests.append((url, accept))
        if url != URI:
            raise FetchError("404")
        return self.body.encode()


def check(server: Server, index: int, **options: Any) -> Any:
    kwargs: dict[str, Any] = {"issuer": ISSUER, "key_resolver": KEYS, "fetch": server}
    kwargs.update(options)
    kwargs.setdefault("clock", lambda: NOW)
    return check_token_status(TokenStatusReference(URI, index), **kwargs)


def test_statuses_are_read_from_the_fetched_token() -> None:
    listed = TokenStatusList.new(64, bits=2).with_status(1, INVALID).with_status(2, SUSPENDED)
    server = Server(token(listed))
    results = [check(server, index) for index in range(4)]
    assert [(r.status, r.valid, r.name) for r in results] == [
        (VALID, True, "VALID"),
        (INVALID, False, "INVALID"),
        (SUSPENDED, False, "SUSPENDED"),
        (VALID, True, "VALID"),
    ]
    assert server.requests[0] == (URI, "application/statuslist+jwt")


def test_cache_keeps_a_token_for_its_ttl_and_never_past_exp() -> None:
    now = [NOW]
    cache = StatusListCache(clock=lambda: now[0])
    server = Server(token(ttl=timedelta(minutes=10), expires_at=NOW + timedelta(minutes=15)))
    check(server, 0, cache=cache, clock=lambda: now[0])
    check(server, 1, cache=cache, clock=lambda: now[0])
    assert len(server.requests) == 1
    now[0] = NOW + timedelta(minutes=11)
    check(server, 0, cache=cache, clock=lambda: now[0])
    assert len(server.requests) == 2
    now[0] = NOW + timedelta(minutes=16)
    with pytest.raises(StatusListError, match="expired"):
        check(server, 0, cache=cache, clock=lambda: now[0])


def test_cached_token_of_another_issuer_is_not_reused() -> None:
    cache = StatusListCache(clock=lambda: NOW)
    server = Server(token())
    check(server, 0, cache=cache)
    other = "https://issuer.example.nl/duo"
    keys = StaticIssuerKeys({other: [ISSUER_KEY.public]})
    with pytest.raises(StatusListError, match="issued by"):
        check(server, 0, cache=cache, issuer=other, key_resolver=keys)


def test_unreachable_list_is_a_retrieval_error() -> None:
    with pytest.raises(StatusListError) as caught:
        check_token_status(
            TokenStatusReference("https://issuer.example.nl/nowhere", 0),
            issuer=ISSUER,
            key_resolver=KEYS,
            fetch=Server(token()),
        )
    assert caught.value.code == "STATUS_RETRIEVAL_ERROR"


def test_index_outside_the_list_is_refused() -> None:
    with pytest.raises(StatusListError) as caught:
        check(Server(token(TokenStatusList.new(8))), 8)
    assert caught.value.code == "RANGE_ERROR"


def test_non_ascii_body_is_refused() -> None:
    class Binary(Server):
        def __call__(self, url: str, *, accept: str) -> bytes:
            return b"\xff\xfe"

    with pytest.raises(StatusListError, match="not a JWT"):
        check(Binary(""), 0)


def test_issuer_key_error_type_is_not_leaked() -> None:
    def refuse(issuer: str, header: Mapping[str, Any]) -> PublicKey:
        raise IssuerKeyError("nope")

    with pytest.raises(StatusListError):
        check(Server(token()), 0, key_resolver=refuse)
