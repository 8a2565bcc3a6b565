"""Persistence: SQLAlchemy models and units of work (SQLite by default, PostgreSQL by URL).

With ``vc_issuer.sources`` this is the only package that imports SQLAlchemy.
"""

from vc_issuer.db.database import (
    AccessTokenRecord,
    CredentialRecord,
    Database,
    DeferredRecord,
    KekParams,
    OfferRecord,
    StatusEntryRecord,
    StatusListState,
    StoredKey,
    Unit,
)
from vc_issuer.db.models import Base
from vc_issuer.db.plus import (
    AccessRecord,
    ChainSlot,
    GrantRecord,
    HolderLink,
    PlusUnit,
    RecipientRecord,
)
from vc_issuer.db.portal_sessions import PortalSessionRecord, PortalSessionTable

__all__ = [
    "AccessRecord",
    "AccessTokenRecord",
    "Base",
    "ChainSlot",
    "CredentialRecord",
    "Database",
    "DeferredRecord",
    "GrantRecord",
    "HolderLink",
    "KekParams",
    "OfferRecord",
    "PlusUnit",
    "PortalSessionRecord",
    "PortalSessionTable",
    "RecipientRecord",
    "StatusEntryRecord",
    "StatusListState",
    "StoredKey",
    "Unit",
]
