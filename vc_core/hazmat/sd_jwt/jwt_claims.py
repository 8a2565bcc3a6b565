"""Registered JWT claims that SD-JWT, SD-JWT VC and Token Status List tokens share.

Spec: rfc7519#section-2
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

__all__ = ["numeric_date", "to_numeric_date"]

# Implementation note: NumericDates beyond year 9999 do not fit a datetime; a
# JWT that says so is refused rather than clamped.
_MAX_SECONDS = 253_402_300_799


def numeric_date(claims: Mapping[str, Any], name: str) -> datetime | None:
    """Return the NumericDate claim ``name`` as an aware UTC datetime, or ``None`` if absent.

    A NumericDate is a JSON number of seconds since the epoch (fractions
    allowed); a boolean, string, non-finite or out-of-range value raises
    ``ValueError``.

    Spec: rfc7519#section-2
    """
    value = claims.get(name)
    if value is None and name not in claims:
        return None
    # Implementation note: exact type checks (bool is an int subclass) and one range test
    # that also refuses NaN; verification reads six NumericDates per presentation.
    if type(value) is not int and type(value) is not float:
        raise ValueError(f"{name} must be a NumericDate (a JSON number), got {value!r}")
    if not 0 <= value <= _MAX_SECONDS:
        raise ValueError(f"{name} {value} is outside the dates this implementation handles")
    return datetime.fromtimestamp(value, UTC)


def to_numeric_date(moment: datetime) -> int:
    """Return the whole seconds since the epoch of an aware ``moment`` (the JWT form)."""
    if moment.tzinfo is None:
        raise ValueError("datetimes must be timezone-aware")
    return int(moment.timestamp())
