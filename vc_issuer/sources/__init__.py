"""The sources: pluggable adapters over the registers (with ``vc_issuer.db``, the SQLAlchemy users).

:func:`default_sources` gives the four demo sources; any object that meets the
:class:`Source` protocol can be passed to the issuer instead.
"""

from __future__ import annotations

from vc_issuer.sources.base import (
    ClaimDisplay,
    CredentialConfiguration,
    Source,
    SubjectClaims,
)
from vc_issuer.sources.belastingdienst import BelastingdienstSource, load_published_limits
from vc_issuer.sources.brp import BrpSource
from vc_issuer.sources.demo import (
    DEMO_BSN,
    REVIEW_BSN,
    SeedSummary,
    is_valid_bsn,
    registers_seeded,
    seed_registers,
)
from vc_issuer.sources.duo import DuoSource
from vc_issuer.sources.rdw import RdwSource

__all__ = [
    "DEMO_BSN",
    "REVIEW_BSN",
    "BelastingdienstSource",
    "BrpSource",
    "ClaimDisplay",
    "CredentialConfiguration",
    "DuoSource",
    "RdwSource",
    "SeedSummary",
    "Source",
    "SubjectClaims",
    "default_sources",
    "is_valid_bsn",
    "load_published_limits",
    "registers_seeded",
    "seed_registers",
]


def default_sources() -> dict[str, Source]:
    """The four demo sources by name: brp, belastingdienst, duo, rdw."""
    sources: list[Source] = [BrpSource(), BelastingdienstSource(), DuoSource(), RdwSource()]
    return {source.name: source for source in sources}
