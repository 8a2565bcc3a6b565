"""The municipal person register (BRP): name, birth, address (``PersoonsgegevensCredential``)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta

from sqlalchemy import Connection, Date, String, bindparam, select
from sqlalchemy.orm import Mapped, mapped_column

from vc_core.types import JsonObject
from vc_issuer.db import Base
from vc_issuer.display import Text
from vc_issuer.sources.base import ClaimDisplay, CredentialConfiguration, SubjectClaims, iso_date

__all__ = ["BrpSource", "PersoonRow"]


class PersoonRow(Base):
    """A registered resident; ``geboortedatum`` is absent when only partly known."""

    __tablename__ = "brp_personen"

    bsn: Mapped[str] = mapped_column(String(9), primary_key=True)
    voornamen: Mapped[str] = mapped_column(String(200))
    voorvoegsel: Mapped[str | None] = mapped_column(String(20))
    geslachtsnaam: Mapped[str] = mapped_column(String(200))
    geboortedatum: Mapped[date | None] = mapped_column(Date)
    geboorteplaats: Mapped[str] = mapped_column(String(100))
    nationaliteit: Mapped[str] = mapped_column(String(60))
    straat: Mapped[str] = mapped_column(String(200))
    huisnummer: Mapped[int]
    huisnummertoevoeging: Mapped[str | None] = mapped_column(String(20))
    postcode: Mapped[str] = mapped_column(String(7))
    woonplaats: Mapped[str] = mapped_column(String(100))
    gemeente: Mapped[str] = mapped_column(String(100))
    land: Mapped[str] = mapped_column(String(60))


_PERSON = select(PersoonRow.__table__).where(PersoonRow.__table__.c.bsn == bindparam("bsn"))

PERSOONSGEGEVENS = CredentialConfiguration(
    id="PersoonsgegevensCredential_ldp_vc",
    credential_type="PersoonsgegevensCredential",
    subject_type="Ingezetene",
    scope="persoonsgegevens",
    name=Text("Persoonsgegevens", "Personal details"),
    description=Text(
        "Naam, geboorte en adres zoals ingeschreven in de BRP",
        "Name, birth and address as registered in the BRP",
    ),
    claims=(
        ClaimDisplay(("credentialSubject", "voornamen")),
        ClaimDisplay(("credentialSubject", "voorvoegsel")),
        ClaimDisplay(("credentialSubject", "geslachtsnaam")),
        ClaimDisplay(("credentialSubject", "geboortedatum")),
        ClaimDisplay(("credentialSubject", "geboorteplaats")),
        ClaimDisplay(("credentialSubject", "nationaliteit")),
        ClaimDisplay(("credentialSubject", "adres")),
        *(
            ClaimDisplay(("credentialSubject", "adres", term))
            for term in (
                "straat",
                "huisnummer",
                "huisnummertoevoeging",
                "postcode",
                "woonplaats",
                "gemeente",
                "land",
            )
        ),
    ),
    always_disclosed=(),
    validity=timedelta(days=90),
)


class BrpSource:
    """Adapter over ``brp_personen``."""

    name = "brp"
    display_name = "Basisregistratie Personen (demo)"
    configurations: Mapping[str, CredentialConfiguration] = {PERSOONSGEGEVENS.id: PERSOONSGEGEVENS}

    def claims_for(
        self, connection: Connection, bsn: str, configuration_id: str
    ) -> SubjectClaims | None:
        """Name, birth and address of ``bsn``; ``None`` when not registered."""
        if configuration_id not in self.configurations:
            return None
        person = connection.execute(_PERSON, {"bsn": bsn}).first()
        if person is None:
            return None
        address: JsonObject = {"type": "Adres", "straat": person.straat}
        address["huisnummer"] = person.huisnummer
        if person.huisnummertoevoeging:
            address["huisnummertoevoeging"] = person.huisnummertoevoeging
        address.update(
            postcode=person.postcode,
            woonplaats=person.woonplaats,
            gemeente=person.gemeente,
            land=person.land,
        )
        claims: JsonObject = {"type": PERSOONSGEGEVENS.subject_type, "voornamen": person.voornamen}
        if person.voorvoegsel:
            claims["voorvoegsel"] = person.voorvoegsel
        claims["geslachtsnaam"] = person.geslachtsnaam
        if person.geboortedatum is not None:
            claims["geboortedatum"] = iso_date(person.geboortedatum)
        claims.update(
            geboorteplaats=person.geboorteplaats,
            nationaliteit=person.nationaliteit,
            adres=address,
        )
        return SubjectClaims(claims)
