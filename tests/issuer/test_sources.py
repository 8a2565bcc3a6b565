"""The sources and the demo registers: BSNs, reproducibility, the demo citizens, income facts."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from vc_issuer.db import Database
from vc_issuer.migrations import upgrade_database
from vc_issuer.sources import (
    DEMO_BSN,
    REVIEW_BSN,
    default_sources,
    is_valid_bsn,
    load_published_limits,
    seed_registers,
)
from vc_issuer.sources.belastingdienst import InkomenRow, InkomensgrensRow
from vc_issuer.sources.brp import PersoonRow

from .support import CONFIGURATIONS, NOBODY_BSN


@pytest.fixture
def database(backend: str, new_database_url: Callable[[str], str]) -> Database:
    db = Database.open(new_database_url(backend))
    upgrade_database(db)
    return db


def test_bsn_eleven_test() -> None:
    assert is_valid_bsn(DEMO_BSN)
    assert is_valid_bsn(REVIEW_BSN)
    assert is_valid_bsn(NOBODY_BSN)
    assert not is_valid_bsn("999993654")
    assert not is_valid_bsn("99999365")
    assert not is_valid_bsn("99999365x")
    assert not is_valid_bsn("٩٩٩٩٩٣٦٥٣")  # non-ASCII digits


def test_seed_is_reproducible_and_uses_test_bsns(database: Database) -> None:
    def snapshot() -> list[tuple[str, str, str]]:
        with database.write() as unit:
            seed_registers(unit.session, people=300, seed=42)
        with database.read() as unit:
            rows = unit.session.execute(
                select(PersoonRow.bsn, PersoonRow.geslachtsnaam, PersoonRow.postcode).order_by(
                    PersoonRow.bsn
                )
            )
            return [(bsn, name, postcode) for bsn, name, postcode in rows]

    first = snapshot()
    assert first == snapshot()
    assert len(first) == 302
    assert all(is_valid_bsn(bsn) and bsn.startswith("999") for bsn, _, _ in first)
    assert NOBODY_BSN not in {bsn for bsn, _, _ in first}


def test_demo_citizen_is_known_to_all_four_sources(database: Database) -> None:
    with database.write() as unit:
        seed_registers(unit.session, people=10)
    sources = default_sources()
    with database.read() as unit:
        claims = {
            name: sources[name].claims_for(unit.connection, DEMO_BSN, CONFIGURATIONS[name])
            for name in CONFIGURATIONS
        }
        nobody = sources["rdw"].claims_for(unit.session, NOBODY_BSN, CONFIGURATIONS["rdw"])
        wrong = sources["rdw"].claims_for(unit.session, DEMO_BSN, "Other_ldp_vc")
    assert nobody is None
    assert wrong is None
    assert all(c is not None and not c.needs_review for c in claims.values())
    income = claims["belastingdienst"]
    assert income is not None
    assert income.claims == {
        "type": "Belastingplichtige",
        "belastingjaar": 2024,
        "verzamelinkomen": {"type": "MonetaryAmount", "value": "41250.00", "currency": "EUR"},
        "inkomensklasse": "midden",
        "inkomenstoets": {
            "type": "InkomenToets",
            "regel": "sociale-huurgrens",
            "regelJaar": 2026,  # the newest published limits, not the tax year
            "huishoudgrootte": 1,
            "onderSocialeHuurgrens": True,
        },
    }
    assert "999993653" not in str([c.claims for c in claims.values() if c is not None])
    vehicle = claims["rdw"]
    assert vehicle is not None
    assert vehicle.claims["voertuig"]["kenteken"] == "GZ-123-B"


def test_income_fact_follows_the_published_limit(database: Database) -> None:
    source = default_sources()["belastingdienst"]
    with database.write() as unit:
        seed_registers(unit.session, people=0)
        unit.session.add_all(
            [
                InkomenRow(
                    bsn="999990032",
                    belastingjaar=2024,
                    verzamelinkomen=Decimal("54650.00"),
                    huishoudgrootte=2,
                ),
                InkomenRow(
                    bsn="999990044",
                    belastingjaar=2024,
                    verzamelinkomen=Decimal("54650.01"),
                    huishoudgrootte=3,
                ),
                InkomenRow(
                    bsn="999990056",
                    belastingjaar=2019,
                    verzamelinkomen=Decimal("1000.00"),
                    huishoudgrootte=1,
                ),
            ]
        )
    with database.read() as unit:
        at_limit = source.claims_for(unit.session, "999990032", CONFIGURATIONS["belastingdienst"])
        above = source.claims_for(unit.session, "999990044", CONFIGURATIONS["belastingdienst"])
        unpublished = source.claims_for(
            unit.session, "999990056", CONFIGURATIONS["belastingdienst"]
        )
    assert at_limit is not None
    assert above is not None
    assert unpublished is not None
    assert at_limit.claims["inkomenstoets"]["onderSocialeHuurgrens"] is True
    assert above.claims["inkomenstoets"]["onderSocialeHuurgrens"] is False
    assert above.claims["inkomenstoets"]["huishoudgrootte"] == 3
    # The fact is judged against the newest published limits (2026), not the tax year's.
    assert at_limit.claims["inkomenstoets"]["regelJaar"] == 2026
    # Income older than the limits look back at gets no fact (and no band), not a guess.
    assert "inkomenstoets" not in unpublished.claims
    assert "inkomensklasse" not in unpublished.claims


def test_published_limits_load_once(database: Database) -> None:
    with database.write() as unit:
        first = load_published_limits(unit.session)
    with database.write() as unit:
        again = load_published_limits(unit.session)
        count = unit.session.scalar(select(func.count()).select_from(InkomensgrensRow))
    assert first > 0
    assert again == 0
    assert count == first


def test_diploma_under_review_is_flagged(database: Database) -> None:
    with database.write() as unit:
        seed_registers(unit.session, people=0)
    with database.read() as unit:
        claims = default_sources()["duo"].claims_for(
            unit.session, REVIEW_BSN, CONFIGURATIONS["duo"]
        )
    assert claims is not None
    assert claims.needs_review
    assert "crohoCode" not in claims.claims["diploma"]  # unknown, so left out
