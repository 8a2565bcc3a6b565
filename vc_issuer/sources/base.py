"""What a source is to the issuer: identity, credential configurations, and claims by BSN.

A source adapter reads its register through the SQLAlchemy connection of the
current unit of work (Core statements) and returns the ``credentialSubject`` claims (without
``id``: the issuer binds the holder's DID). Claims use only terms of our
vocabulary context (``contexts/README.md``); the BSN is never a claim.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Protocol, runtime_checkable

from sqlalchemy import Connection

from vc_core.formats import LDP_VC
from vc_core.types import JsonObject
from vc_issuer.display import Text

__all__ = [
    "ClaimDisplay",
    "CredentialConfiguration",
    "Source",
    "SubjectClaims",
    "iso_date",
    "money",
]


@dataclass(frozen=True, slots=True)
class ClaimDisplay:
    """A claim as the issuer metadata describes it to wallets (labelled by its last term)."""

    path: tuple[str, ...]
    mandatory: bool = False


@dataclass(frozen=True, slots=True)
class CredentialConfiguration:
    """One credential a source issues (an OpenID4VCI credential configuration).

    ``always_disclosed`` are JSON Pointers the holder may not hide, on top of
    the issuer's defaults; a pointer that matches nothing in a particular
    credential is left out for that credential. ``deferrable`` means a record
    flagged for manual review is answered with a deferred (202) response.
    ``format`` is the OpenID4VCI format identifier; a source declares its
    ``ldp_vc`` configurations and the issuer adds an SD-JWT VC twin of each
    (``twin_of`` names the original, whose register data the twin carries).
    """

    id: str
    credential_type: str
    subject_type: str
    scope: str
    name: Text
    description: Text
    claims: tuple[ClaimDisplay, ...]
    always_disclosed: tuple[str, ...]
    validity: timedelta
    deferrable: bool = False
    background_color: str = "#154273"
    text_color: str = "#FFFFFF"
    format: str = LDP_VC
    twin_of: str | None = None

    @property
    def register_id(self) -> str:
        """The configuration id the source adapter answers claims for."""
        return self.twin_of or self.id


@dataclass(frozen=True, slots=True)
class SubjectClaims:
    """A citizen's claims for one credential, and whether a person must review them first."""

    claims: JsonObject
    needs_review: bool = False


@runtime_checkable
class Source(Protocol):
    """A pluggable register adapter: one issuer identity with its credential configurations."""

    @property
    def name(self) -> str:
        """Path segment and identity of the source, e.g. ``belastingdienst``."""
        ...

    @property
    def display_name(self) -> str:
        """Name shown to citizens, e.g. ``Belastingdienst (demo)``."""
        ...

    @property
    def configurations(self) -> Mapping[str, CredentialConfiguration]:
        """Credential configurations by id."""
        ...

    def claims_for(
        self, connection: Connection, bsn: str, configuration_id: str
    ) -> SubjectClaims | None:
        """The claims the register holds for ``bsn``, or ``None`` when it holds none."""
        ...


def iso_date(value: date) -> str:
    """A register date as an ``xsd:date`` string."""
    return value.isoformat()


def money(value: Decimal) -> JsonObject:
    """A ``MonetaryAmount`` node in euros with a two-decimal string value."""
    return {
        "type": "MonetaryAmount",
        "value": f"{value.quantize(Decimal('0.01'))}",
        "currency": "EUR",
    }
