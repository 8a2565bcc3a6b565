"""The statement shapes the units of work share, and the mapping between rows and records.

They run on a unit's Core connection (the hot paths), or on the ORM session
over that same connection (the Plus tables, the registers).

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

from sqlalchemy import (
    ColumnElement,
    Connection,
    CursorResult,
    Insert,
    Result,
    Row,
    Select,
    String,
    Table,
    bindparam,
    delete,
    func,
    insert,
    select,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session
from sqlalchemy.types import TypeEngine

from vc_issuer.db.models import Base

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

__all__ = [
    "Executor",
    "add_row",
    "delete_where",
    "found",
    "insert_into",
    "insert_new",
    "insert_new_rows",
    "insert_rows",
    "row_by",
    "rows_where",
    "table_of",
    "to_columns",
    "to_record",
    "update_where",
]

RecordT = TypeVar("RecordT", bound="DataclassInstance")
RowT = TypeVar("RowT")
T = TypeVar("T")

Executor = Connection | Session
"""Where a statement runs: a unit's connection (Core), or an ORM session over it."""


def _dialect(executor: Executor) -> str:
    if isinstance(executor, Connection):
        return executor.dialect.name
    return executor.get_bind().dialect.name


def table_of(model: type[Base]) -> Table:
    """The Core table of a model (Core statements skip the ORM's per-row work)."""
    return Base.metadata.tables[str(model.__tablename__)]


@cache
def _field_names(kind: type[DataclassInstance]) -> tuple[str, ...]:
    return tuple(f.name for f in fields(kind))


def to_record(kind: type[RecordT], row: object, **changes: Any) -> RecordT:
    """The record ``kind`` from the row's attributes (a model or a Core row) of the same
    names; ``changes`` replace some."""
    values = {name: getattr(row, name) for name in _field_names(kind) if name not in changes}
    return kind(**values, **changes)


def to_columns(record: DataclassInstance, **changes: Any) -> dict[str, Any]:
    """The record's fields as column values of the same names; ``changes`` replace some."""
    names = _field_names(type(record))
    return {name: getattr(record, name) for name in names if name not in changes} | changes


def found(convert: Callable[[RowT], T], row: RowT | None) -> T | None:
    """``convert(row)``, or None when there is no row."""
    return None if row is None else convert(row)


def rows_where(
    executor: Executor, model: type[Base], /, *where: ColumnElement[bool]
) -> Sequence[Row[Any]]:
    """The Core rows of ``model``'s table that match every ``where`` (no ORM objects)."""
    return executor.execute(select(table_of(model)).where(*where)).all()


@cache
def _select_by(model: type[Base], columns: tuple[str, ...]) -> Select[Any]:
    table = table_of(model)
    return select(table).where(*(table.c[name] == bindparam(name) for name in columns))


def row_by(executor: Executor, model: type[Base], /, **equal: Any) -> Row[Any] | None:
    """The one Core row of ``model``'s table whose columns equal ``equal``, or None.

    Implementation note: the statement is built once per table and set of columns,
    with bound parameters, so a lookup skips building it (a third of its cost).
    """
    return executor.execute(_select_by(model, tuple(equal)), equal).first()


@cache
def insert_into(model: type[Base]) -> Insert:
    """``INSERT INTO`` the table of ``model`` (built once; execute it with column values)."""
    return insert(table_of(model))


def add_row(
    executor: Executor, model: type[Base], record: DataclassInstance, **changes: Any
) -> None:
    """Insert the row of a record (``changes`` replace some columns)."""
    executor.execute(insert_into(model), to_columns(record, **changes))


def insert_new(executor: Executor, model: type[Base], key: Sequence[str], /, **values: Any) -> bool:
    """Insert a row unless its ``key`` exists; True when this call inserted it.

    Implementation note: RETURNING tells whether the row went in (INSERT rowcount is
    not reliable through every driver).
    """
    statement = _rows_statement(_dialect(executor), model, None, tuple(key), tuple(key[:1]))
    return executor.execute(statement, values).first() is not None


def insert_new_rows(
    executor: Executor,
    model: type[Base],
    key: Sequence[str],
    rows: Sequence[dict[str, Any]],
    /,
    *,
    returning: Sequence[str],
) -> set[tuple[Any, ...]]:
    """Insert every row whose ``key`` does not exist yet; return the ``returning`` columns
    of the rows inserted.

    A row whose key an earlier row of ``rows`` has is not inserted either. Every row
    names the same columns.
    """
    if not rows:
        return set()
    result = _execute_rows(executor, model, rows, key=tuple(key), returning=tuple(returning))
    return {tuple(row) for row in result}


def insert_rows(executor: Executor, model: type[Base], rows: Sequence[dict[str, Any]], /) -> None:
    """Insert every row (one statement); a key that exists already fails the statement.

    Every row names the same columns.
    """
    if rows:
        _execute_rows(executor, model, rows, key=None, returning=())


def _execute_rows(
    executor: Executor,
    model: type[Base],
    rows: Sequence[dict[str, Any]],
    /,
    *,
    key: tuple[str, ...] | None,
    returning: tuple[str, ...],
) -> Result[Any]:
    """Run the statement of :func:`_rows_statement` with ``rows``.

    Implementation note: one statement for all rows, one round trip instead of one per
    row. On PostgreSQL its text does not depend on the number of rows: each column is one
    array parameter, ``INSERT … SELECT * FROM unnest(:a, :b, …)``, so the driver parses
    the text once and caches it (psycopg re-parses every statement of more than 50
    parameters), and PostgreSQL can keep one prepared plan for it. On SQLite, with
    RETURNING, SQLAlchemy's "insertmanyvalues" sends ``INSERT … VALUES (…), (…) …``.
    """
    if _dialect(executor) == "postgresql":
        columns = tuple(rows[0])
        arrays = {name: [row[name] for row in rows] for name in columns}
        statement = _rows_statement("postgresql", model, columns, key, returning)
        return executor.execute(statement, arrays)
    return executor.execute(_rows_statement("sqlite", model, None, key, returning), list(rows))


@cache
def _rows_statement(
    dialect: str,
    model: type[Base],
    columns: tuple[str, ...] | None,
    key: tuple[str, ...] | None,
    returning: tuple[str, ...],
) -> Insert:
    """``INSERT`` into the table of ``model``, ``ON CONFLICT (key) DO NOTHING`` unless
    ``key`` is None, returning ``returning`` (if any) of the rows inserted: of rows given
    as values (one, or SQLite's many), or, with ``columns``, of ``columns`` from one array
    parameter each (PostgreSQL).

    Implementation note: built once per backend, table and shape, so the hot path
    (status indexes, nonces, a batch's rows) skips statement construction. ``unnest``
    yields the arrays' elements in order, so the rows go in the order the caller gave.
    """
    core = table_of(model)
    statement: postgresql.Insert | sqlite.Insert
    if columns is not None:
        arrays = (bindparam(name, type_=_array_of(core.c[name].type)) for name in columns)
        unnested = func.unnest(*arrays).table_valued(*columns).render_derived(name="new_rows")
        statement = postgresql.insert(core).from_select(
            list(columns), select(*(unnested.c[name] for name in columns))
        )
    else:
        statement = (postgresql.insert if dialect == "postgresql" else sqlite.insert)(core)
    if key is not None:
        statement = statement.on_conflict_do_nothing(index_elements=list(key))
    if not returning:
        return statement
    return statement.returning(*(core.c[name] for name in returning))


def _array_of(item: TypeEngine[Any]) -> postgresql.ARRAY[Any]:
    """The PostgreSQL array type of a column type.

    Implementation note: an explicit cast to ``varchar(n)`` cuts a longer value short
    without an error, so a string array is cast to ``varchar[]``: the column's length
    is checked when the value goes into the column, as a single-row insert checks it.
    """
    return postgresql.ARRAY(String() if isinstance(item, String) else item)


def update_where(
    executor: Executor, model: type[Base], /, *where: ColumnElement[bool], **values: Any
) -> int:
    """Set ``values`` on the rows that match every ``where``; return how many it changed."""
    return _row_count(executor.execute(update(model).where(*where).values(**values)))


def delete_where(executor: Executor, model: type[Base], /, *where: ColumnElement[bool]) -> int:
    """Delete the rows that match every ``where``; return how many it deleted."""
    return _row_count(executor.execute(delete(model).where(*where)))


def _row_count(result: Result[Any]) -> int:
    if not isinstance(result, CursorResult):
        raise TypeError("expected a cursor result from a DML statement")
    return int(result.rowcount)
