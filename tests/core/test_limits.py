"""vc_core.limits and vc_core.files: strict integers, rates, token buckets, private files."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from vc_core.errors import ParsingError
from vc_core.files import private_directory, private_file
from vc_core.limits import GUARD_RESPONSES, Rate, RateLimiter, parse_int, retry_after


@given(st.text(max_size=30))
def test_parse_int_takes_ascii_digits_only(text: str) -> None:
    strict = text.isascii() and text.isdigit() and 0 < len(text) <= 18
    try:
        parsed = parse_int(text)
    except ParsingError:
        assert not strict
    else:
        assert strict
        assert parsed == int(text)


@pytest.mark.parametrize("text", ["²", "٣", "1²", "１", "1_000", "+1", "-1", " 1", "1 ", "", "0x1"])
def test_parse_int_refuses_what_int_or_isdigit_would_take(text: str) -> None:
    with pytest.raises(ParsingError) as refused:
        parse_int(text)
    assert refused.value.code == "PARSING_ERROR"


def test_parse_int_bounds_the_length() -> None:
    assert parse_int("9" * 18) == 10**18 - 1
    with pytest.raises(ParsingError, match="more than 18 digits"):
        parse_int("9" * 19)
    with pytest.raises(ParsingError):
        parse_int("1" * 10_000)  # int() would raise ValueError past 4300 digits
    with pytest.raises(ParsingError):
        parse_int(12)


@pytest.mark.parametrize(
    ("text", "rate"),
    [("20/minute", Rate(20, 60.0)), ("1/second", Rate(1, 1.0)), ("600/hour", Rate(600, 3600.0))],
)
def test_rates_are_written_count_per_unit(text: str, rate: Rate) -> None:
    assert Rate.parse(text) == rate
    assert str(rate) == text


@pytest.mark.parametrize("text", ["20", "20/week", "²/minute", "0/minute", "-1/hour", "a/hour"])
def test_a_malformed_rate_is_a_value_error(text: str) -> None:
    with pytest.raises(ValueError, match="rate"):
        Rate.parse(text)


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_a_bucket_refills_evenly_and_says_how_long_to_wait() -> None:
    clock = FakeClock()
    limiter = RateLimiter(Rate(3, 60.0), clock=clock)
    assert [limiter.take("a") for _ in range(3)] == [0.0, 0.0, 0.0]
    assert limiter.take("a") == pytest.approx(20.0)
    assert limiter.take("b") == 0.0  # keys are independent
    clock.now += 10
    assert limiter.wait("a") == pytest.approx(10.0)
    clock.now += 10
    assert limiter.wait("a") == 0.0
    assert limiter.take("a") == 0.0
    assert limiter.refused == 1


def test_charge_counts_after_the_fact_and_stops_at_empty() -> None:
    clock = FakeClock()
    limiter = RateLimiter(Rate(2, 60.0), clock=clock)
    for _ in range(5):
        limiter.charge("a")
    assert limiter.wait("a") == pytest.approx(30.0)  # empty, not in debt


def test_the_least_recently_seen_keys_are_dropped_first() -> None:
    limiter = RateLimiter(Rate(1, 3600.0), clock=FakeClock(), max_keys=2)
    for key in ("a", "b", "c"):
        assert limiter.take(key) == 0.0
    assert limiter.take("a") == 0.0  # forgotten, so full again
    assert limiter.take("c") > 0


def test_retry_after_is_whole_seconds_at_least_one() -> None:
    assert [retry_after(s) for s in (0.01, 1.0, 1.2, 59.9)] == ["1", "1", "2", "60"]


def test_guard_responses_document_408_413_and_429() -> None:
    assert set(GUARD_RESPONSES) == {408, 413, 429}
    assert "Retry-After" in GUARD_RESPONSES[429]["headers"]


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_private_folders_and_files(tmp_path: Path) -> None:
    folder = private_directory(tmp_path / "a" / "data")
    assert _mode(folder) == 0o700
    made = private_file(folder / "secret.db")
    assert (_mode(made), made.read_bytes()) == (0o600, b"")
    made.write_bytes(b"kept")
    assert private_file(made).read_bytes() == b"kept"  # never truncated


def test_older_world_readable_files_are_narrowed(tmp_path: Path) -> None:
    folder = tmp_path / "old"
    folder.mkdir(mode=0o755)
    folder.chmod(0o755)
    old = folder / "issuer.db"
    old.write_bytes(b"x")
    old.chmod(0o644)
    private_directory(folder)
    private_file(old)
    assert (_mode(folder), _mode(old)) == (0o700, 0o600)
    with pytest.raises(FileNotFoundError):
        private_file(tmp_path / "missing" / "file")
