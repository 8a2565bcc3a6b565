"""The education register (DUO): diplomas as ``DiplomaCredential``.

A diploma that awaits manual review (e.g. a foreign diploma being evaluated)
is answered with deferred issuance until an operator approves it.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta

from sqlalchemy import Connection, Date, String, bindparam, select
from sqlalchemy.orm import Mapped, mapped_column

from vc_core.types import JsonObject
from vc_issuer.db import Base
from vc_issuer.display import Text
from vc_issuer.sources.base import ClaimDisplay, CredentialConfiguration, SubjectClaims, iso_date

__all__ = ["DiplomaRow", "DuoSource"]


class DiplomaRow(Base):
    """A diploma recorded for a citizen; ``handmatige_controle`` marks one under review."""

    __tablename__ = "duo_diplomas"

    id: Mapped[int] = mapped_column(primary_key=True)
    bsn: Mapped[str] = mapped_column(String(9), index=True)
    opleiding: Mapped[str] = mapped_column(String(200))
    niveau: Mapped[str] = mapped_column(String(60))
    onderwijsinstelling: Mapped[str] = mapped_column(String(200))
    datum_behaald: Mapped[date] = mapped_column(Date)
    croho_code: Mapped[str | None] = mapped_column(String(10))
    handmatige_controle: Mapped[bool] = mapped_column(default=False)


_DIPLOMAS = DiplomaRow.__table__
_LATEST_DIPLOMA = (
    select(_DIPLOMAS)
    .where(_DIPLOMAS.c.bsn == bindparam("bsn"))
    .order_by(_DIPLOMAS.c.datum_behaald.desc(), _DIPLOMAS.c.id.desc())
    .limit(1)
)

DIPLOMA = CredentialConfiguration(
    id="DiplomaCredential_ldp_vc",
    credential_type="DiplomaCredential",
    subject_type="Diplomahouder",
    scope="diploma",
    name=Text("Diploma", "Diploma"),
    description=Text("Een diploma uit het diplomaregister", "A diploma from the diploma register"),
    claims=(
        ClaimDisplay(("credentialSubject", "diploma", "opleiding"), mandatory=True),
        ClaimDisplay(("credentialSubject", "diploma", "niveau")),
        ClaimDisplay(("credentialSubject", "diploma", "onderwijsinstelling")),
        ClaimDisplay(("credentialSubject", "diploma", "datumBehaald")),
        ClaimDisplay(("credentialSubject", "diploma", "crohoCode")),
    ),
    always_disclosed=("/credentialSubject/diploma/type", "/credentialSubject/diploma/opleiding"),
    validity=timedelta(days=5 * 365),
    deferrable=True,
    background_color="#007BC7",
)


class DuoSource:
    """Adapter over ``duo_diplomas``."""

    name = "duo"
    display_name = "Dienst Uitvoering Onderwijs (demo)"
    configurations: Mapping[str, CredentialConfiguration] = {DIPLOMA.id: DIPLOMA}

    def claims_for(
        self, connection: Connection, bsn: str, configuration_id: str
    ) -> SubjectClaims | None:
        """The most recent diploma of ``bsn``; ``None`` when the register has none."""
        if configuration_id not in self.configurations:
            return None
        row = connection.execute(_LATEST_DIPLOMA, {"bsn": bsn}).first()
        if row is None:
            return None
        diploma: JsonObject = {
            "type": "Diploma",
            "opleiding": row.opleiding,
            "niveau": row.niveau,
            "onderwijsinstelling": row.onderwijsinstelling,
            "datumBehaald": iso_date(row.datum_behaald),
        }
        if row.croho_code:
            diploma["crohoCode"] = row.croho_code
        claims: JsonObject = {"type": DIPLOMA.subject_type, "diploma": diploma}
        return SubjectClaims(claims, needs_review=row.handmatige_controle)
