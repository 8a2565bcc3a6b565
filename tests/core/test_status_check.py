"""check_status: the Bitstring Status List validate algorithm over real, signed status lists.

Every list here is a status list credential signed with ecdsa-rdfc-2019 by a
did:key (or did:web) issuer; the only fake is the injected Fetch, which serves
bytes by URL the way the wallet's and verifier's HTTP adapters do.
"""

from __future__ import annotations

import copy
import gzip
import json
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from vc_core import sign
from vc_core._multibase import encode_base64url
from vc_core.did import VerificationMethod, dereference_verification_method, did_key
from vc_core.errors import FetchError, ParsingError, StatusListError
from vc_core.keys import KeyPair
from vc_core.loader import CREDENTIALS_V2_URL
from vc_core.status import (
    MIN_ENTRIES,
    STATUS_LIST_ACCEPT,
    StatusList,
    StatusListCache,
    StatusResult,
    check_status,
)

NOW = datetime(2026, 1, 1, 12, 0, tzinfo=UTC)
BASE = "https://issuer.example.nl/belastingdienst/status"
REVOCATION_URL = f"{BASE}/revocation/1"
SUSPENSION_URL = f"{BASE}/suspension/1"
REVOKED_INDEX = 94567
SUSPENDED_INDEX = 1234


def clock() -> datetime:
    return NOW


@dataclass
class FakeFetch:
    """The injected Fetch: serves bytes per URL and records every call."""

    documents: dict[str, bytes] = field(default_factory=dict)
    calls: list[tuple[str, str]] = field(default_factory=list)

    def serve(self, url: str, document: Any) -> None:
        self.documents[url] = json.dumps(document).encode()

    def __call__(self, url: str, *, accept: str) -> bytes:
        self.calls.append((url, accept))
        if url not in self.documents:
            raise FetchError(f"404 for {url}")
        return self.documents[url]


@dataclass
class MovableClock:
    now: datetime = NOW

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture(scope="module")
def issuer() -> KeyPair:
    return KeyPair.from_secret_bytes("P-256", bytes(range(1, 33)))


@pytest.fixture(scope="module")
def other_issuer() -> KeyPair:
    return KeyPair.from_secret_bytes("P-256", bytes(range(2, 34)))


def encoded(*indexes: int, entries: int = MIN_ENTRIES, size: int = 1, value: int = 1) -> str:
    status_list = StatusList(bytes(-(-entries * size // 8)), size)
    for index in indexes:
        status_list = status_list.with_status(index, value)
    return status_list.encode()


def list_credential(
    issuer: str,
    *,
    url: str = REVOCATION_URL,
    purpose: str | list[str] = "revocation",
    encoded_list: str | None = None,
    **changes: Any,
) -> dict[str, Any]:
    document: dict[str, Any] = {
        "@context": [CREDENTIALS_V2_URL],
        "id": url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": issuer,
        "validFrom": "2026-01-01T00:00:00Z",
        "validUntil": "2026-01-02T00:00:00Z",
        "credentialSubject": {
            "id": f"{url}#list",
            "type": "BitstringStatusList",
            "statusPurpose": purpose,
            "encodedList": encoded(REVOKED_INDEX) if encoded_list is None else encoded_list,
            "ttl": 300_000,
        },
    }
    document.update(changes)
    return document


def signed_list(key: KeyPair, **options: Any) -> dict[str, Any]:
    issuer = options.pop("issuer", did_key(key))
    return sign(list_credential(issuer, **options), key, created="2026-01-01T00:00:00Z")


def entry(
    index: int, *, purpose: str = "revocation", url: str = REVOCATION_URL, **extra: Any
) -> dict[str, Any]:
    return {
        "id": f"{url}#{index}",
        "type": "BitstringStatusListEntry",
        "statusPurpose": purpose,
        "statusListIndex": str(index),
        "statusListCredential": url,
        **extra,
    }


def credential(issuer: KeyPair | str, status: Any) -> dict[str, Any]:
    return {
        "@context": [CREDENTIALS_V2_URL],
        "type": ["VerifiableCredential"],
        "issuer": issuer if isinstance(issuer, str) else did_key(issuer),
        "credentialSubject": {"id": "did:example:holder"},
        "credentialStatus": status,
    }


@pytest.fixture(scope="module")
def revocation_list(issuer: KeyPair) -> dict[str, Any]:
    return signed_list(issuer)


@pytest.fixture(scope="module")
def suspension_list(issuer: KeyPair) -> dict[str, Any]:
    return signed_list(
        issuer, url=SUSPENSION_URL, purpose="suspension", encoded_list=encoded(SUSPENDED_INDEX)
    )


@pytest.fixture
def fetch(revocation_list: dict[str, Any], suspension_list: dict[str, Any]) -> FakeFetch:
    fake = FakeFetch()
    fake.serve(REVOCATION_URL, revocation_list)
    fake.serve(SUSPENSION_URL, suspension_list)
    return fake


def status_error(code: str, call: Callable[..., Any], *args: Any, **kwargs: Any) -> StatusListError:
    with pytest.raises(StatusListError) as caught:
        call(*args, **kwargs)
    assert caught.value.code == code, caught.value
    return caught.value


# --- results -----------------------------------------------------------------------------------


def test_valid(issuer: KeyPair, fetch: FakeFetch) -> None:
    results = check_status(credential(issuer, entry(7)), fetch=fetch, clock=clock)
    assert results == (StatusResult("revocation", 0, True, REVOCATION_URL, 7),)
    assert fetch.calls == [(REVOCATION_URL, STATUS_LIST_ACCEPT)]


def test_revoked(issuer: KeyPair, fetch: FakeFetch) -> None:
    (result,) = check_status(credential(issuer, entry(REVOKED_INDEX)), fetch=fetch, clock=clock)
    assert result == StatusResult("revocation", 1, False, REVOCATION_URL, REVOKED_INDEX)


def test_bit_order_neighbours_are_valid(issuer: KeyPair, fetch: FakeFetch) -> None:
    """P18: only the MSB-first position is set; an LSB-first reader would flag a neighbour."""
    byte_start = REVOKED_INDEX - REVOKED_INDEX % 8
    neighbours = [entry(i) for i in range(byte_start, byte_start + 8) if i != REVOKED_INDEX]
    results = check_status(credential(issuer, neighbours), fetch=fetch, clock=clock)
    assert all(result.valid for result in results)


def test_suspended_and_revocation_entries_together(issuer: KeyPair, fetch: FakeFetch) -> None:
    status = [
        entry(SUSPENDED_INDEX),
        entry(SUSPENDED_INDEX, purpose="suspension", url=SUSPENSION_URL),
    ]
    revocation, suspension = check_status(credential(issuer, status), fetch=fetch, clock=clock)
    assert revocation == StatusResult("revocation", 0, True, REVOCATION_URL, SUSPENDED_INDEX)
    assert suspension == StatusResult("suspension", 1, False, SUSPENSION_URL, SUSPENDED_INDEX)


def test_no_credential_status(issuer: KeyPair, fetch: FakeFetch) -> None:
    document = credential(issuer, None)
    del document["credentialStatus"]
    assert check_status(document, fetch=fetch, clock=clock) == ()
    assert fetch.calls == []


def test_list_with_several_purposes(issuer: KeyPair) -> None:
    fetch = FakeFetch()
    fetch.serve(REVOCATION_URL, signed_list(issuer, purpose=["revocation", "suspension"]))
    status = [entry(REVOKED_INDEX), entry(REVOKED_INDEX, purpose="suspension")]
    results = check_status(credential(issuer, status), fetch=fetch, clock=clock)
    assert [(r.purpose, r.valid) for r in results] == [("revocation", False), ("suspension", False)]


def test_status_message_with_two_bit_entries(issuer: KeyPair) -> None:
    fetch = FakeFetch()
    fetch.serve(
        REVOCATION_URL,
        signed_list(issuer, purpose="message", encoded_list=encoded(5, size=2, value=2)),
    )
    messages = [{"status": f"0x{value}", "message": f"m{value}"} for value in range(4)]
    status = [
        entry(5, purpose="message", statusSize=2, statusMessage=messages),
        entry(6, purpose="message", statusSize=2, statusMessage=messages),
    ]
    results = check_status(credential(issuer, status), fetch=fetch, clock=clock)
    assert results == (
        StatusResult("message", 2, False, REVOCATION_URL, 5, "m2"),
        StatusResult("message", 0, True, REVOCATION_URL, 6, "m0"),
    )


def test_did_web_issuer_resolved_through_the_same_fetch() -> None:
    did = "did:web:issuer.example.nl:belastingdienst"
    key = KeyPair.from_secret_bytes("P-256", bytes(range(3, 35)))
    key = KeyPair(key.public, key.private_key, id=f"{did}#key-1", controller=did)
    fetch = FakeFetch()
    fetch.serve(
        "https://issuer.example.nl/belastingdienst/did.json",
        {
            "@context": ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1"],
            "id": did,
            "verificationMethod": [key.to_multikey()],
            "assertionMethod": [key.id],
        },
    )
    fetch.serve(REVOCATION_URL, signed_list(key, issuer=did))
    (result,) = check_status(credential(did, entry(REVOKED_INDEX)), fetch=fetch, clock=clock)
    assert not result.valid


def test_custom_verification_method_resolver(issuer: KeyPair, fetch: FakeFetch) -> None:
    seen: list[str] = []

    def resolve(vm_id: str) -> VerificationMethod:
        seen.append(vm_id)
        return dereference_verification_method(vm_id)

    check_status(
        credential(issuer, entry(1)), fetch=fetch, clock=clock, resolve_verification_method=resolve
    )
    assert seen == [f"{did_key(issuer)}#{issuer.public.multibase}"]


# --- retrieval ---------------------------------------------------------------------------------


def test_fetch_failure(issuer: KeyPair) -> None:
    error = status_error(
        "STATUS_RETRIEVAL_ERROR",
        check_status,
        credential(issuer, entry(1)),
        fetch=FakeFetch(),
        clock=clock,
    )
    assert error.path == "credentialStatus"


@pytest.mark.parametrize("body", [b"<html>", b"", b"\xff\xfe", b"[" * 100_000])
def test_not_json(issuer: KeyPair, body: bytes) -> None:
    fetch = FakeFetch({REVOCATION_URL: body})
    status_error(
        "STATUS_RETRIEVAL_ERROR",
        check_status,
        credential(issuer, entry(1)),
        fetch=fetch,
        clock=clock,
    )


def test_non_https_list_url_is_not_fetched(issuer: KeyPair, fetch: FakeFetch) -> None:
    url = "http://issuer.example.nl/status/1"
    status_error(
        "STATUS_RETRIEVAL_ERROR",
        check_status,
        credential(issuer, entry(1, url=url)),
        fetch=fetch,
        clock=clock,
    )
    assert fetch.calls == []


# --- verification of the list ------------------------------------------------------------------


def _verification_fails(
    issuer: KeyPair, served: Any, status: Any = None, **options: Any
) -> StatusListError:
    fetch = FakeFetch()
    fetch.serve(REVOCATION_URL, served)
    return status_error(
        "STATUS_VERIFICATION_ERROR",
        check_status,
        credential(issuer, entry(1) if status is None else status),
        fetch=fetch,
        clock=options.pop("clock", clock),
        **options,
    )


@pytest.mark.parametrize(
    "tamper",
    [
        lambda d: d["credentialSubject"].update(encodedList=encoded()),  # un-revoke everyone
        lambda d: d.update(validUntil="2027-01-01T00:00:00Z"),
        lambda d: d["proof"].update(proofValue="z" + d["proof"]["proofValue"][2:]),
        lambda d: d.pop("proof"),
    ],
)
def test_list_with_bad_proof(
    issuer: KeyPair, revocation_list: dict[str, Any], tamper: Callable[[dict[str, Any]], Any]
) -> None:
    tampered = copy.deepcopy(revocation_list)
    tamper(tampered)
    _verification_fails(issuer, tampered)


def test_list_of_another_issuer(issuer: KeyPair, other_issuer: KeyPair) -> None:
    foreign = signed_list(other_issuer)
    assert "untrusted" in _verification_fails(issuer, foreign).detail


def test_list_of_another_trusted_issuer(issuer: KeyPair, other_issuer: KeyPair) -> None:
    fetch = FakeFetch()
    fetch.serve(REVOCATION_URL, signed_list(other_issuer))
    (result,) = check_status(
        credential(issuer, entry(REVOKED_INDEX)),
        fetch=fetch,
        clock=clock,
        trusted_list_issuers=[did_key(other_issuer)],
    )
    assert not result.valid


def test_list_claiming_our_issuer_but_signed_by_another_key(
    issuer: KeyPair, other_issuer: KeyPair
) -> None:
    forged = signed_list(other_issuer, issuer=did_key(issuer))
    assert "not by the issuer" in _verification_fails(issuer, forged).detail


def test_list_signed_for_authentication_only(issuer: KeyPair) -> None:
    document = list_credential(did_key(issuer))
    signed = sign(document, issuer, created="2026-01-01T00:00:00Z", proof_purpose="authentication")
    _verification_fails(issuer, signed)


def test_list_expired(issuer: KeyPair, revocation_list: dict[str, Any]) -> None:
    after = datetime(2026, 1, 2, 0, 0, 1, tzinfo=UTC)
    error = _verification_fails(issuer, revocation_list, clock=lambda: after)
    assert "expired" in error.detail


def test_list_not_yet_valid(issuer: KeyPair) -> None:
    early = signed_list(issuer, validFrom="2026-01-01T13:00:00Z")
    assert "valid from" in _verification_fails(issuer, early).detail


def test_list_with_wrong_id(issuer: KeyPair) -> None:
    moved = signed_list(issuer, url=SUSPENSION_URL)
    assert "id" in _verification_fails(issuer, moved).detail


def test_list_without_list_credential_type(issuer: KeyPair) -> None:
    plain = signed_list(issuer, type=["VerifiableCredential"])
    _verification_fails(issuer, plain)


def test_list_in_the_v1_data_model(issuer: KeyPair) -> None:
    document = list_credential(did_key(issuer))
    document["@context"] = [
        "https://www.w3.org/2018/credentials/v1",
        "https://www.w3.org/ns/credentials/status/v1",
        "https://w3id.org/security/data-integrity/v2",
    ]
    del document["validFrom"], document["validUntil"]
    document["issuanceDate"] = "2026-01-01T00:00:00Z"  # a well-formed VC 1.1 credential
    signed = sign(document, issuer, created="2026-01-01T00:00:00Z")
    assert "must be a VC 2.0 credential" in _verification_fails(issuer, signed).detail


def test_list_that_is_not_a_credential(issuer: KeyPair) -> None:
    _verification_fails(issuer, ["not", "a", "credential"])


@pytest.mark.parametrize(
    "subject",
    [
        [{"type": "BitstringStatusList", "statusPurpose": "revocation", "encodedList": "u"}] * 2,
        {"type": "BitstringStatusList", "statusPurpose": [], "encodedList": encoded()},
        {"type": "BitstringStatusList", "statusPurpose": "revocation"},
        {
            "type": "BitstringStatusList",
            "statusPurpose": "revocation",
            "encodedList": encoded(),
            "ttl": -1,
        },
    ],
)
def test_list_subject_malformed(issuer: KeyPair, subject: Any) -> None:
    _verification_fails(issuer, signed_list(issuer, credentialSubject=subject))


def test_purpose_mismatch(issuer: KeyPair, revocation_list: dict[str, Any]) -> None:
    error = _verification_fails(issuer, revocation_list, entry(1, purpose="suspension"))
    assert "suspension" in error.detail


def test_encoded_list_without_u_prefix(issuer: KeyPair) -> None:
    legacy = encoded()[1:]  # StatusList2021 style: plain base64url, no multibase prefix
    _verification_fails(issuer, signed_list(issuer, encoded_list=legacy))


def test_gzip_bomb(issuer: KeyPair) -> None:
    bomb = encode_base64url(gzip.compress(bytes(17 * 2**20), mtime=0))
    assert len(bomb) < 40_000
    error = _verification_fails(issuer, signed_list(issuer, encoded_list=bomb))
    assert "expands beyond" in error.detail


# --- length and range --------------------------------------------------------------------------


def test_list_too_short(issuer: KeyPair) -> None:
    fetch = FakeFetch()
    fetch.serve(REVOCATION_URL, signed_list(issuer, encoded_list=encoded(entries=MIN_ENTRIES // 2)))
    status_error(
        "STATUS_LIST_LENGTH_ERROR",
        check_status,
        credential(issuer, entry(1)),
        fetch=fetch,
        clock=clock,
    )


def test_list_too_short_for_its_status_size(issuer: KeyPair, fetch: FakeFetch) -> None:
    messages = [{"status": f"0x{value}", "message": f"m{value}"} for value in range(4)]
    status = entry(1, statusSize=2, statusMessage=messages)
    status_error(
        "STATUS_LIST_LENGTH_ERROR",
        check_status,
        credential(issuer, status),
        fetch=fetch,
        clock=clock,
    )


@pytest.mark.parametrize("index", [MIN_ENTRIES, MIN_ENTRIES * 8, 10**19])
def test_index_out_of_range(issuer: KeyPair, fetch: FakeFetch, index: int) -> None:
    status_error(
        "RANGE_ERROR",
        check_status,
        credential(issuer, entry(index)),
        fetch=fetch,
        clock=clock,
    )


def test_last_index_is_in_range(issuer: KeyPair, fetch: FakeFetch) -> None:
    (result,) = check_status(credential(issuer, entry(MIN_ENTRIES - 1)), fetch=fetch, clock=clock)
    assert result.valid


# --- malformed entries ---------------------------------------------------------------------------


TWO_BIT_MESSAGES = [{"status": f"0x{value}", "message": "m"} for value in range(4)]
THREE_MESSAGES = TWO_BIT_MESSAGES[:3]


@pytest.mark.parametrize(
    "status",
    [
        "revoked",
        [entry(1), "revoked"],
        {**entry(1), "type": "StatusList2021Entry"},
        {**entry(1), "statusListIndex": 1},
        {**entry(1), "statusListIndex": "-1"},
        {**entry(1), "statusListIndex": " 1"},
        {**entry(1), "statusListIndex": "1e3"},
        {**entry(1), "statusPurpose": ""},
        {**entry(1), "statusPurpose": None},
        {**entry(1), "statusListCredential": None},
        {**entry(1), "id": REVOCATION_URL},
        {**entry(1), "statusSize": 0},
        {**entry(1), "statusSize": True},
        {**entry(1), "statusSize": "2"},
        {**entry(1), "statusSize": 2},  # no statusMessage
        {**entry(1), "statusSize": 2, "statusMessage": THREE_MESSAGES},
        {**entry(1), "statusSize": 2, "statusMessage": [*THREE_MESSAGES, {"status": "0x0"}]},
        {
            **entry(1),
            "statusSize": 2,
            "statusMessage": [*THREE_MESSAGES, TWO_BIT_MESSAGES[0]],
        },
        {**entry(1), "statusSize": 2, "statusMessage": [*THREE_MESSAGES, {"status": "4"}]},
        {**entry(1), "statusSize": 64, "statusMessage": []},
    ],
)
def test_malformed_entry(issuer: KeyPair, fetch: FakeFetch, status: Any) -> None:
    status_error(
        "STATUS_VERIFICATION_ERROR",
        check_status,
        credential(issuer, status),
        fetch=fetch,
        clock=clock,
    )


def test_error_path_names_the_entry(issuer: KeyPair, fetch: FakeFetch) -> None:
    error = status_error(
        "STATUS_VERIFICATION_ERROR",
        check_status,
        credential(issuer, [entry(1), entry(2, purpose="suspension")]),
        fetch=fetch,
        clock=clock,
    )
    assert error.path == "credentialStatus[1]"
    assert error.problems[0].path == "credentialStatus[1]"


def test_credential_without_issuer(fetch: FakeFetch) -> None:
    document = credential("did:example:x", entry(1))
    del document["issuer"]
    with pytest.raises(ParsingError) as caught:
        check_status(document, fetch=fetch, clock=clock)
    assert caught.value.code == "PARSING_ERROR"


def test_credential_not_an_object(fetch: FakeFetch) -> None:
    with pytest.raises(ParsingError) as caught:
        check_status(["credentialStatus"], fetch=fetch, clock=clock)  # type: ignore[arg-type]
    assert caught.value.code == "PARSING_ERROR"


# --- cache -------------------------------------------------------------------------------------


def test_cache_hit_within_ttl(issuer: KeyPair, fetch: FakeFetch) -> None:
    cache_clock = MovableClock()
    cache = StatusListCache(clock=cache_clock)
    document = credential(issuer, entry(REVOKED_INDEX))
    first = check_status(document, fetch=fetch, clock=clock, cache=cache)
    cache_clock.now = NOW + timedelta(seconds=299)
    second = check_status(document, fetch=fetch, clock=clock, cache=cache)
    assert first == second
    assert len(fetch.calls) == 1
    assert len(cache) == 1


def test_refetch_after_ttl(issuer: KeyPair, fetch: FakeFetch) -> None:
    cache_clock = MovableClock()
    cache = StatusListCache(clock=cache_clock)
    document = credential(issuer, entry(1))
    assert check_status(document, fetch=fetch, clock=clock, cache=cache)[0].valid
    fetch.serve(REVOCATION_URL, signed_list(issuer, encoded_list=encoded(1)))  # revoked now
    cache_clock.now = NOW + timedelta(seconds=300)
    assert not check_status(document, fetch=fetch, clock=clock, cache=cache)[0].valid
    assert len(fetch.calls) == 2


def test_default_ttl_when_the_list_has_none(issuer: KeyPair) -> None:
    fetch = FakeFetch()
    document = signed_list(issuer)
    del document["proof"]
    del document["credentialSubject"]["ttl"]
    fetch.serve(REVOCATION_URL, sign(document, issuer, created="2026-01-01T00:00:00Z"))
    cache_clock = MovableClock()
    cache = StatusListCache(clock=cache_clock, default_ttl=timedelta(seconds=10))
    for seconds in (0, 9, 10):
        cache_clock.now = NOW + timedelta(seconds=seconds)
        check_status(credential(issuer, entry(1)), fetch=fetch, clock=clock, cache=cache)
    assert len(fetch.calls) == 2


def test_cache_never_outlives_valid_until(issuer: KeyPair, fetch: FakeFetch) -> None:
    cache_clock = MovableClock(datetime(2026, 1, 1, 23, 58, tzinfo=UTC))
    cache = StatusListCache(clock=cache_clock)
    document = credential(issuer, entry(1))
    check_status(document, fetch=fetch, clock=cache_clock, cache=cache)
    cache_clock.now = datetime(2026, 1, 2, 0, 0, tzinfo=UTC)
    check_status(document, fetch=fetch, clock=cache_clock, cache=cache)
    assert len(fetch.calls) == 2


def test_cached_list_still_checks_the_validity_window(issuer: KeyPair, fetch: FakeFetch) -> None:
    cache = StatusListCache(clock=clock)
    document = credential(issuer, entry(1))
    check_status(document, fetch=fetch, clock=clock, cache=cache)
    status_error(
        "STATUS_VERIFICATION_ERROR",
        check_status,
        document,
        fetch=fetch,
        clock=lambda: datetime(2026, 1, 3, tzinfo=UTC),
        cache=cache,
    )
    assert len(fetch.calls) == 1


def test_cached_list_still_checks_the_issuer(
    issuer: KeyPair, other_issuer: KeyPair, fetch: FakeFetch
) -> None:
    cache = StatusListCache(clock=clock)
    check_status(credential(issuer, entry(1)), fetch=fetch, clock=clock, cache=cache)
    status_error(
        "STATUS_VERIFICATION_ERROR",
        check_status,
        credential(other_issuer, entry(1)),
        fetch=fetch,
        clock=clock,
        cache=cache,
    )


def test_failed_lists_are_not_cached(issuer: KeyPair, revocation_list: dict[str, Any]) -> None:
    tampered = copy.deepcopy(revocation_list)
    tampered["credentialSubject"]["encodedList"] = encoded()
    cache = StatusListCache(clock=clock)
    for _ in range(2):
        _verification_fails(issuer, tampered, cache=cache)
    assert len(cache) == 0


def test_cache_is_bounded(issuer: KeyPair) -> None:
    fetch = FakeFetch()
    urls = [f"{BASE}/revocation/{n}" for n in range(3)]
    for url in urls:
        fetch.serve(url, signed_list(issuer, url=url))
    cache = StatusListCache(clock=clock, max_entries=2)
    for url in [urls[0], urls[1], urls[0], urls[2], urls[0], urls[1]]:
        check_status(credential(issuer, entry(1, url=url)), fetch=fetch, clock=clock, cache=cache)
    assert len(cache) == 2
    # Least recently used goes first: urls[2] evicts urls[1], not the just-used urls[0].
    assert [url for url, _ in fetch.calls] == [*urls, urls[1]]


def test_cache_byte_budget(issuer: KeyPair, fetch: FakeFetch) -> None:
    big_url, other_url = f"{BASE}/revocation/big", f"{BASE}/revocation/2"
    big_list = encoded(entries=3 * MIN_ENTRIES)
    fetch.serve(big_url, signed_list(issuer, url=big_url, encoded_list=big_list))
    fetch.serve(other_url, signed_list(issuer, url=other_url))
    cache = StatusListCache(clock=clock, max_bytes=2 * MIN_ENTRIES // 8)  # two small lists
    order = [REVOCATION_URL, big_url, SUSPENSION_URL, REVOCATION_URL, other_url]
    for url in [*order, REVOCATION_URL, SUSPENSION_URL]:
        purpose = "suspension" if url == SUSPENSION_URL else "revocation"
        status = entry(1, url=url, purpose=purpose)
        check_status(credential(issuer, status), fetch=fetch, clock=clock, cache=cache)
    # The big list is never cached and flushes nothing; a third small list evicts the
    # least recently used one (the suspension list), so only that one is fetched again.
    assert len(cache) == 2
    fetched = [url for url, _ in fetch.calls]
    assert fetched == [REVOCATION_URL, big_url, SUSPENSION_URL, other_url, SUSPENSION_URL]


def test_cache_clear(issuer: KeyPair, fetch: FakeFetch) -> None:
    cache = StatusListCache(clock=clock)
    check_status(credential(issuer, entry(1)), fetch=fetch, clock=clock, cache=cache)
    cache.clear()
    assert len(cache) == 0


def test_cache_settings_are_checked() -> None:
    with pytest.raises(ValueError, match="positive"):
        StatusListCache(max_entries=0)


def test_cache_shared_between_threads(issuer: KeyPair, fetch: FakeFetch) -> None:
    cache = StatusListCache(clock=clock)
    document = credential(issuer, [entry(REVOKED_INDEX), entry(2)])

    def check(_: int) -> tuple[StatusResult, ...]:
        return check_status(document, fetch=fetch, clock=clock, cache=cache)

    with ThreadPoolExecutor(max_workers=4) as pool:
        results = set(pool.map(check, range(16)))
    assert results == {
        (
            StatusResult("revocation", 1, False, REVOCATION_URL, REVOKED_INDEX),
            StatusResult("revocation", 0, True, REVOCATION_URL, 2),
        )
    }
    assert len(cache) == 1
