"""The tax office: income statements (``InkomensverklaringCredential``) with precomputed facts.

Besides the tax year and the aggregate income, the statement carries an
income band and an ``InkomenToets``: whether the income is at or below the
social-housing limit (rule ``sociale-huurgrens``) of that year for the
household size the tax office knows. A landlord can then ask for the fact and
never see the amount. The limits come from the versioned table
``bd_inkomensgrenzen``, loaded from ``data/inkomensgrenzen.json`` (demo
figures; see its ``status`` field).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from importlib import resources

from sqlalchemy import Connection, Numeric, String, UniqueConstraint, bindparam, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from vc_core.types import JsonObject
from vc_issuer.db import Base
from vc_issuer.display import Text
from vc_issuer.sources.base import ClaimDisplay, CredentialConfiguration, SubjectClaims, money

__all__ = [
    "SOCIAL_HOUSING_RULE",
    "BelastingdienstSource",
    "InkomenRow",
    "InkomensgrensRow",
    "load_published_limits",
]

SOCIAL_HOUSING_RULE = "sociale-huurgrens"
_BAND_MIDDLE = "inkomensklasse-midden"
_BAND_HIGH = "inkomensklasse-hoog"
_LIMITS_FILE = "inkomensgrenzen.json"
_LOOK_BACK_YEARS = 2  # limits of year Y are applied to the income of tax years Y-2 .. Y


class InkomenRow(Base):
    """The aggregate income of one citizen in one tax year."""

    __tablename__ = "bd_inkomens"
    __table_args__ = (UniqueConstraint("bsn", "belastingjaar"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    bsn: Mapped[str] = mapped_column(String(9), index=True)
    belastingjaar: Mapped[int]
    verzamelinkomen: Mapped[Decimal] = mapped_column(Numeric(12, 2))
    huishoudgrootte: Mapped[int]


class InkomensgrensRow(Base):
    """A published limit: rule, year, smallest household size it applies to, version."""

    __tablename__ = "bd_inkomensgrenzen"

    regel: Mapped[str] = mapped_column(String(64), primary_key=True)
    jaar: Mapped[int] = mapped_column(primary_key=True)
    huishoudgrootte_vanaf: Mapped[int] = mapped_column(primary_key=True)
    versie: Mapped[int] = mapped_column(primary_key=True)
    grens: Mapped[Decimal] = mapped_column(Numeric(12, 2))


def load_published_limits(session: Session) -> int:
    """Add the limits of the shipped JSON that the table lacks; return how many were added."""
    data = json.loads(
        resources.files("vc_issuer.sources").joinpath("data", _LIMITS_FILE).read_text("utf-8")
    )
    version = int(data["versie"])
    existing = set(
        session.execute(
            select(
                InkomensgrensRow.regel,
                InkomensgrensRow.jaar,
                InkomensgrensRow.huishoudgrootte_vanaf,
            ).where(InkomensgrensRow.versie == version)
        )
    )
    added = 0
    for rule, spec in data["regels"].items():
        for year, limits in spec["grenzen"].items():
            for limit in limits:
                key = (rule, int(year), int(limit["huishoudgrootte_vanaf"]))
                if key in existing:
                    continue
                session.add(
                    InkomensgrensRow(
                        regel=rule,
                        jaar=key[1],
                        huishoudgrootte_vanaf=key[2],
                        versie=version,
                        grens=Decimal(limit["grens"]),
                    )
                )
                added += 1
    session.flush()
    return added


_LATEST_INCOME = (
    select(InkomenRow.__table__)
    .where(InkomenRow.__table__.c.bsn == bindparam("bsn"))
    .order_by(InkomenRow.__table__.c.belastingjaar.desc())
    .limit(1)
)
_LIMITS = select(
    InkomensgrensRow.regel,
    InkomensgrensRow.jaar,
    InkomensgrensRow.huishoudgrootte_vanaf,
    InkomensgrensRow.versie,
    InkomensgrensRow.grens,
).where(InkomensgrensRow.regel.in_([_BAND_MIDDLE, _BAND_HIGH, SOCIAL_HOUSING_RULE]))


@dataclass(frozen=True, slots=True)
class _Limits:
    """The newest published limits of the rules the statement uses (one query)."""

    # (rule, year) -> [(household size from, limit)], of the newest version only
    newest: dict[tuple[str, int], list[tuple[int, Decimal]]]

    @classmethod
    def read(cls, connection: Connection) -> _Limits:
        versions: dict[tuple[str, int], int] = {}
        rows = connection.execute(_LIMITS).all()
        for rule, year, _, version, _ in rows:
            versions[(rule, year)] = max(version, versions.get((rule, year), version))
        newest: dict[tuple[str, int], list[tuple[int, Decimal]]] = {}
        for rule, year, household_from, version, limit in rows:
            if version == versions[(rule, year)]:
                newest.setdefault((rule, year), []).append((household_from, limit))
        return cls(newest)

    def limit(self, rule: str, year: int, household: int) -> Decimal | None:
        """The limit of ``rule`` in ``year`` for a household of ``household`` people."""
        fitting = [row for row in self.newest.get((rule, year), []) if row[0] <= household]
        return max(fitting)[1] if fitting else None

    def latest_year(self, rule: str) -> int | None:
        """The latest year ``rule`` has limits for."""
        return max((year for name, year in self.newest if name == rule), default=None)


INKOMENSVERKLARING = CredentialConfiguration(
    id="InkomensverklaringCredential_ldp_vc",
    credential_type="InkomensverklaringCredential",
    subject_type="Belastingplichtige",
    scope="inkomensverklaring",
    name=Text("Inkomensverklaring", "Income statement"),
    description=Text(
        "Verzamelinkomen over een belastingjaar, met inkomenstoets",
        "Aggregate income over a tax year, with the income test",
    ),
    claims=(
        ClaimDisplay(("credentialSubject", "belastingjaar"), mandatory=True),
        ClaimDisplay(("credentialSubject", "verzamelinkomen")),
        ClaimDisplay(("credentialSubject", "inkomensklasse")),
        ClaimDisplay(("credentialSubject", "inkomenstoets")),
        *(
            ClaimDisplay(("credentialSubject", "inkomenstoets", term))
            for term in ("regel", "regelJaar", "huishoudgrootte", "onderSocialeHuurgrens")
        ),
    ),
    always_disclosed=(
        "/credentialSubject/belastingjaar",
        "/credentialSubject/inkomenstoets/type",
        "/credentialSubject/inkomenstoets/regel",
        "/credentialSubject/inkomenstoets/regelJaar",
        "/credentialSubject/inkomenstoets/huishoudgrootte",
    ),
    validity=timedelta(days=365),
)


class BelastingdienstSource:
    """Adapter over ``bd_inkomens`` and ``bd_inkomensgrenzen``."""

    name = "belastingdienst"
    display_name = "Belastingdienst (demo)"
    configurations: Mapping[str, CredentialConfiguration] = {
        INKOMENSVERKLARING.id: INKOMENSVERKLARING
    }

    def claims_for(
        self, connection: Connection, bsn: str, configuration_id: str
    ) -> SubjectClaims | None:
        """The statement over the latest tax year on record; ``None`` without income data."""
        if configuration_id not in self.configurations:
            return None
        income = connection.execute(_LATEST_INCOME, {"bsn": bsn}).first()
        if income is None:
            return None
        year, amount = income.belastingjaar, income.verzamelinkomen
        claims: JsonObject = {
            "type": INKOMENSVERKLARING.subject_type,
            "belastingjaar": year,
            "verzamelinkomen": money(amount),
        }
        limits = _Limits.read(connection)
        middle, high = limits.limit(_BAND_MIDDLE, year, 1), limits.limit(_BAND_HIGH, year, 1)
        if middle is not None and high is not None:
            claims["inkomensklasse"] = (
                "laag" if amount < middle else "hoog" if amount >= high else "midden"
            )
        # The fact answers the question a landlord asks now: the income of the latest tax
        # year against the newest published limits (the allocation year), which look back at
        # most two tax years. A fact without such limits is left out rather than guessed.
        rule_year = limits.latest_year(SOCIAL_HOUSING_RULE)
        limit = (
            None
            if rule_year is None or not rule_year - _LOOK_BACK_YEARS <= year <= rule_year
            else limits.limit(SOCIAL_HOUSING_RULE, rule_year, income.huishoudgrootte)
        )
        if rule_year is not None and limit is not None:
            claims["inkomenstoets"] = {
                "type": "InkomenToets",
                "regel": SOCIAL_HOUSING_RULE,
                "regelJaar": rule_year,
                "huishoudgrootte": income.huishoudgrootte,
                "onderSocialeHuurgrens": amount <= limit,
            }
        return SubjectClaims(claims)
