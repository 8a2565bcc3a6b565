"""The vehicle register (RDW): registrations as ``VoertuigregistratieCredential``."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta

from sqlalchemy import Connection, Date, String, bindparam, select
from sqlalchemy.orm import Mapped, mapped_column

from vc_core.types import JsonObject
from vc_issuer.db import Base
from vc_issuer.display import Text
from vc_issuer.sources.base import ClaimDisplay, CredentialConfiguration, SubjectClaims, iso_date

__all__ = ["RdwSource", "VoertuigRow"]


class VoertuigRow(Base):
    """A vehicle and its current registered keeper."""

    __tablename__ = "rdw_voertuigen"

    kenteken: Mapped[str] = mapped_column(String(10), primary_key=True)
    bsn: Mapped[str] = mapped_column(String(9), index=True)
    merk: Mapped[str] = mapped_column(String(60))
    handelsbenaming: Mapped[str] = mapped_column(String(100))
    datum_eerste_toelating: Mapped[date] = mapped_column(Date)
    brandstof: Mapped[str] = mapped_column(String(40))
    tenaamstellingsdatum: Mapped[date] = mapped_column(Date)


_VEHICLES = VoertuigRow.__table__
_LATEST_VEHICLE = (
    select(_VEHICLES)
    .where(_VEHICLES.c.bsn == bindparam("bsn"))
    .order_by(_VEHICLES.c.tenaamstellingsdatum.desc(), _VEHICLES.c.kenteken)
    .limit(1)
)

VOERTUIGREGISTRATIE = CredentialConfiguration(
    id="VoertuigregistratieCredential_ldp_vc",
    credential_type="VoertuigregistratieCredential",
    subject_type="Kentekenhouder",
    scope="voertuigregistratie",
    name=Text("Voertuigregistratie", "Vehicle registration"),
    description=Text("Een voertuig dat op uw naam staat", "A vehicle registered in your name"),
    claims=(
        ClaimDisplay(("credentialSubject", "voertuig", "kenteken"), mandatory=True),
        ClaimDisplay(("credentialSubject", "voertuig", "merk")),
        ClaimDisplay(("credentialSubject", "voertuig", "handelsbenaming")),
        ClaimDisplay(("credentialSubject", "voertuig", "datumEersteToelating")),
        ClaimDisplay(("credentialSubject", "voertuig", "brandstof")),
        ClaimDisplay(("credentialSubject", "voertuig", "tenaamstellingsdatum")),
    ),
    always_disclosed=("/credentialSubject/voertuig/type", "/credentialSubject/voertuig/kenteken"),
    validity=timedelta(days=365),
    background_color="#3D5A80",
)


class RdwSource:
    """Adapter over ``rdw_voertuigen``."""

    name = "rdw"
    display_name = "Rijksdienst voor het Wegverkeer (demo)"
    configurations: Mapping[str, CredentialConfiguration] = {
        VOERTUIGREGISTRATIE.id: VOERTUIGREGISTRATIE
    }

    def claims_for(
        self, connection: Connection, bsn: str, configuration_id: str
    ) -> SubjectClaims | None:
        """The vehicle most recently registered to ``bsn``; ``None`` when there is none."""
        if configuration_id not in self.configurations:
            return None
        row = connection.execute(_LATEST_VEHICLE, {"bsn": bsn}).first()
        if row is None:
            return None
        vehicle: JsonObject = {
            "type": "Voertuig",
            "kenteken": row.kenteken,
            "merk": row.merk,
            "handelsbenaming": row.handelsbenaming,
            "datumEersteToelating": iso_date(row.datum_eerste_toelating),
            "brandstof": row.brandstof,
            "tenaamstellingsdatum": iso_date(row.tenaamstellingsdatum),
        }
        return SubjectClaims({"type": VOERTUIGREGISTRATIE.subject_type, "voertuig": vehicle})
