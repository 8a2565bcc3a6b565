"""Properties: issue -> present any subset -> verify gives exactly that subset; tampering fails."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from vc_core import VerificationError
from vc_core.keys import KeyPair
from vc_core.sd_jwt import StaticIssuerKeys, issue_sd_jwt_vc, present_sd_jwt_vc, verify_sd_jwt_vc

ISSUER = "https://issuer.example.nl/rdw"
NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
ISSUER_KEY = KeyPair.generate("P-256")
HOLDER_KEY = KeyPair.generate("P-256")
KEYS = StaticIssuerKeys({ISSUER: [ISSUER_KEY.public]})
B64URL = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"

Path = tuple[str | int, ...]

scalars = st.one_of(st.integers(-(2**40), 2**40), st.booleans(), st.none(), st.text(max_size=8))
names = st.sampled_from(["kenteken", "merk", "kleur", "eigenaar", "datum", "x", "ëü", "a b"])
values = st.recursive(
    scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(names, inner, max_size=3)),
    max_leaves=8,
)
claims_objects = st.dictionaries(names, values, min_size=1, max_size=4)


def all_paths(value: Any, path: Path = ()) -> list[Path]:
    """Every concrete claim path below ``value`` (members and elements, all depths)."""
    found: list[Path] = []
    children = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(
        value, list
    ) else ()  # fmt: skip
    for key, child in children:
        found.append((*path, key))
        found.extend(all_paths(child, (*path, key)))
    return found


def expected_view(value: Any, hidden: set[Path], shown: set[Path], path: Path = ()) -> Any:
    """What a verifier must see: a hidden claim only if a shown path passes through or into it."""

    def visible(at: Path) -> bool:
        return at not in hidden or any(p[: len(at)] == at or at[: len(p)] == p for p in shown)

    if isinstance(value, dict):
        return {
            k: expected_view(v, hidden, shown, (*path, k))
            for k, v in value.items()
            if visible((*path, k))
        }
    if isinstance(value, list):
        return [
            expected_view(v, hidden, shown, (*path, i))
            for i, v in enumerate(value)
            if visible((*path, i))
        ]
    return value


@st.composite
def scenarios(draw: st.DrawFn) -> tuple[dict[str, Any], set[Path], set[Path], int]:
    claims = draw(claims_objects)
    paths = all_paths(claims)
    hidden = draw(st.sets(st.sampled_from(paths), max_size=len(paths)))
    shown = draw(st.sets(st.sampled_from(paths), max_size=len(paths)))
    decoys = draw(st.integers(0, 3))
    return claims, hidden, shown, decoys


def issue_and_present(
    claims: dict[str, Any], hidden: set[Path], shown: set[Path], decoys: int
) -> str:
    issued = issue_sd_jwt_vc(
        claims,
        ISSUER_KEY,
        issuer=ISSUER,
        vct=f"{ISSUER}/kentekenbewijs",
        disclosable=[list(p) for p in hidden],
        holder_key=HOLDER_KEY.public,
        issued_at=NOW,
        decoys=decoys,
    )
    return present_sd_jwt_vc(
        issued,
        [list(p) for p in shown],
        holder_key=HOLDER_KEY,
        audience="aud",
        nonce="nonce",
        clock=lambda: NOW,
    )


def verify(presented: str) -> Any:
    return verify_sd_jwt_vc(
        presented, key_resolver=KEYS, audience="aud", nonce="nonce", clock=lambda: NOW
    )


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenarios())
def test_verifier_sees_exactly_what_was_presented(
    scenario: tuple[dict[str, Any], set[Path], set[Path], int],
) -> None:
    claims, hidden, shown, decoys = scenario
    verified = verify(issue_and_present(claims, hidden, shown, decoys))
    assert verified.claims == expected_view(claims, hidden, shown)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenarios(), st.data())
def test_any_tampering_fails(
    scenario: tuple[dict[str, Any], set[Path], set[Path], int], data: st.DataObject
) -> None:
    presented = issue_and_present(*scenario)
    # Implementation note: salts and decoy counts are random, so the length varies between runs
    # of one example; the drawn values must not depend on it.
    position = data.draw(st.integers(0, 2**20)) % len(presented)
    alphabet = B64URL + "~."
    replacement = alphabet[
        (alphabet.find(presented[position]) + data.draw(st.integers(1, len(alphabet) - 1)))
        % len(alphabet)
    ]
    tampered = presented[:position] + replacement + presented[position + 1 :]
    with pytest.raises(VerificationError):
        verify(tampered)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenarios(), st.data())
def test_dropping_or_repeating_a_disclosure_fails(
    scenario: tuple[dict[str, Any], set[Path], set[Path], int], data: st.DataObject
) -> None:
    parts = issue_and_present(*scenario).split("~")
    disclosures = parts[1:-1]
    if not disclosures:
        return
    chosen = data.draw(st.integers(0, len(disclosures) - 1))
    dropped = [parts[0], *disclosures[:chosen], *disclosures[chosen + 1 :], parts[-1]]
    repeated = [parts[0], *disclosures, disclosures[chosen], parts[-1]]
    for changed in (dropped, repeated):
        with pytest.raises(VerificationError):
            verify("~".join(changed))
