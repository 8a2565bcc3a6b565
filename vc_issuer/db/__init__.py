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

__all__ = [
    "AccessTokenRecord",
    "Base",
    "CredentialRecord",
    "Database",
    "DeferredRecord",
    "KekParams",
    "OfferRecord",
    "StatusEntryRecord",
    "StatusListState",
    "StoredKey",
    "Unit",
]
