"""The statement shapes the units of work share, and the mapping between rows and records.

Every operation that can race is one statement whose result says whether this
transaction won: :func:`insert_new` is ``INSERT … ON CONFLICT DO NOTHING
RETURNING``; :func:`update_where` and :func:`delete_where` are one conditional
statement whose row count tells. Records and rows share their field names, so
:func:`to_record` and :func:`to_columns` map one to the other; a caller names
only the fields that need a conversion (JSON lists to tuples and back).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import fields
from functools import cache
from typing import TYPE_CHECKING, Any, TypeVar

from sqlalchemy import ColumnElement, CursorResult, Result, Table, delete, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from vc_issuer.db.models import Base

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

__all__ = [
    "add_row",
    "delete_where",
    "found",
    "insert_new",
    "table_of",
    "to_columns",
    "to_record",
    "update_where",
]

RecordT = TypeVar("RecordT", bound="DataclassInstance")
RowT = TypeVar("RowT", bound=Base)
T = TypeVar("T")

_INSERT_NEW: dict[tuple[str, type[Base]], Any] = {}


def table_of(model: type[Base]) -> Table:
    """The Core table of a model (Core statements skip the ORM's per-row work)."""
    return Base.metadata.tables[str(model.__tablename__)]


@cache
def _field_names(kind: type[DataclassInstance]) -> tuple[str, ...]:
    return tuple(f.name for f in fields(kind))


def to_record(kind: type[RecordT], row: Base, **changes: Any) -> RecordT:
    """The record ``kind`` from the row's attributes of the same names; ``changes`` replace some."""
    values = {name: getattr(row, name) for name in _field_names(kind) if name not in changes}
    return kind(**values, **changes)


def to_columns(record: DataclassInstance, **changes: Any) -> dict[str, Any]:
    """The record's fields as column values of the same names; ``changes`` replace some."""
    names = _field_names(type(record))
    return {name: getattr(record, name) for name in names if name not in changes} | changes


def found(convert: Callable[[RowT], T], row: RowT | None) -> T | None:
    """``convert(row)``, or None when there is no row."""
    return None if row is None else convert(row)


def add_row(session: Session, model: type[Base], record: DataclassInstance, **changes: Any) -> None:
    """Insert the row of a record (``changes`` replace some columns) and flush it."""
    session.add(model(**to_columns(record, **changes)))
    session.flush()


def insert_new(session: Session, model: type[Base], key: Sequence[str], /, **values: Any) -> bool:
    """Insert a row unless its ``key`` exists; True when this call inserted it."""
    dialect = session.get_bind().dialect.name
    statement = _INSERT_NEW.get((dialect, model))
    if statement is None:
        # Implementation note: built once per table and backend, as a Core statement,
        # so the hot path (status indexes, nonces) skips statement construction.
        # RETURNING tells whether the row went in (INSERT rowcount is not reliable
        # through every driver).
        core = table_of(model)
        insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
        statement = (
            insert(core).on_conflict_do_nothing(index_elements=list(key)).returning(core.c[key[0]])
        )
        _INSERT_NEW[(dialect, model)] = statement
    return session.execute(statement, values).first() is not None


def update_where(
    session: Session, model: type[Base], /, *where: ColumnElement[bool], **values: Any
) -> int:
    """Set ``values`` on the rows that match every ``where``; return how many it changed."""
    return _row_count(session.execute(update(model).where(*where).values(**values)))


def delete_where(session: Session, model: type[Base], /, *where: ColumnElement[bool]) -> int:
    """Delete the rows that match every ``where``; return how many it deleted."""
    return _row_count(session.execute(delete(model).where(*where)))


def _row_count(result: Result[Any]) -> int:
    if not isinstance(result, CursorResult):
        raise TypeError("expected a cursor result from a DML statement")
    return int(result.rowcount)
