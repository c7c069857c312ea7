"""Batched inserts at the driver's own speed, with SQLAlchemy compiling the statements.

On PostgreSQL the writes are set-based, one round trip per table and batch: rows without
``RETURNING`` or ``ON CONFLICT`` go in with ``COPY … FROM STDIN`` (binary format when every
column has a plain type: text, integers, floats, booleans, timestamps); the others with one
``INSERT … SELECT … FROM unnest(%s::type[], …) WITH ORDINALITY … ORDER BY ordinality
[ON CONFLICT (…) DO NOTHING] [RETURNING …]``, which inserts the rows in the order given (so
concurrent writers sorting their rows the same way take their locks in the same order). String
arrays are cast to ``text[]``, never ``varchar(n)[]`` (which would truncate silently): a value
too long for its column is refused, as with a plain ``INSERT``. Tables with JSON columns keep
the generic path below.

Elsewhere (SQLite), and for JSON tables, each statement (``INSERT``, optionally
``ON CONFLICT (…) DO NOTHING`` and ``RETURNING``) is built with SQLAlchemy's dialect
``insert()`` construct and compiled once per table and column set. The column types' bind
processing (e.g. :class:`~trace_api.models.base.UTCDateTime`) is applied to the batch in one
pass, and the rows go to the driver's ``executemany``: psycopg pipelines it, and with
``RETURNING`` collects each row's result (``returning=True``); sqlite3 runs it in C. SQLite
cannot ``executemany`` a ``RETURNING`` statement, so that one case goes through SQLAlchemy,
which batches it into multi-row ``VALUES``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection, Dialect

__all__ = ["insert_rows"]

Row = dict[str, Any]


@dataclass(frozen=True, slots=True)
class _Compiled:
    statement: Any
    sql: str
    order: tuple[str, ...]
    processors: tuple[tuple[str, Callable[[Any], Any]], ...]


@cache
def _compile(
    table: sa.Table,
    columns: tuple[str, ...],
    dialect: Dialect,
    conflict: str | None,
    returning: tuple[str, ...],
) -> _Compiled:
    insert: Any = postgresql.insert(table) if dialect.name == "postgresql" else sqlite.insert(table)
    if conflict is not None:
        insert = insert.on_conflict_do_nothing(index_elements=[conflict])
    if returning:
        insert = insert.returning(*(table.c[name] for name in returning))
    compiled = insert.compile(dialect=dialect, column_keys=list(columns), for_executemany=True)
    order = tuple(compiled.positiontup) if compiled.positiontup is not None else columns
    processors = tuple(
        (name, processor)
        for name in columns
        if (processor := table.c[name].type._cached_bind_processor(dialect)) is not None
    )
    return _Compiled(insert, str(compiled), order, processors)


def _processed(rows: Sequence[Row], compiled: _Compiled) -> list[Row]:
    if not compiled.processors:
        return list(rows)
    out = []
    for row in rows:
        copy = dict(row)
        for name, processor in compiled.processors:
            copy[name] = processor(copy[name])
        out.append(copy)
    return out


def _returning_pg(connection: Connection, sql: str, rows: list[Row]) -> list[tuple[Any, ...]]:
    driver: Any = connection.connection.dbapi_connection  # a psycopg.Connection
    cursor = driver.cursor()
    try:
        cursor.executemany(sql, rows, returning=True)
        found: list[tuple[Any, ...]] = []
        while True:
            found.extend(cursor.fetchall())
            if not cursor.nextset():
                return found
    finally:
        cursor.close()


@dataclass(frozen=True, slots=True)
class _PgPlan:
    sql: str  # COPY … FROM STDIN, or INSERT … SELECT FROM unnest(…)
    copy: bool
    copy_types: tuple[str, ...]  # binary COPY: each column's PostgreSQL type name
    processors: tuple[Callable[[Any], Any] | None, ...]  # per column, in ``columns`` order


# Compiled column type → the type name psycopg's binary COPY dumps it as.
_BINARY_COPY_TYPES = {
    "text": "text",
    "bigint": "int8",
    "integer": "int4",
    "smallint": "int2",
    "float": "float8",
    "double precision": "float8",
    "boolean": "bool",
    "timestamp with time zone": "timestamptz",
}


def _pg_array_type(column: sa.Column[Any], dialect: Dialect) -> str:
    type_ = column.type
    if isinstance(type_, sa.types.TypeDecorator):
        type_ = type_.impl_instance
    if isinstance(type_, sa.String):
        return "text"
    return str(type_.compile(dialect=dialect)).lower()


@cache
def _pg_plan(
    table: sa.Table,
    columns: tuple[str, ...],
    dialect: Dialect,
    conflict: str | None,
    returning: tuple[str, ...],
) -> _PgPlan | None:
    """How to write these columns of ``table`` set-based, ``None`` if it has JSON columns."""
    if any(isinstance(table.c[name].type, sa.JSON) for name in columns):
        return None
    quote = dialect.identifier_preparer.quote
    processors = tuple(table.c[name].type._cached_bind_processor(dialect) for name in columns)
    names = ", ".join(quote(name) for name in columns)
    target = dialect.identifier_preparer.format_table(table)
    if conflict is None and not returning:
        types = [_pg_array_type(table.c[name], dialect) for name in columns]
        if all(type_ in _BINARY_COPY_TYPES for type_ in types):
            copy_types = tuple(_BINARY_COPY_TYPES[type_] for type_ in types)
            sql = f"COPY {target} ({names}) FROM STDIN (FORMAT BINARY)"
            return _PgPlan(sql, True, copy_types, processors)
        return _PgPlan(f"COPY {target} ({names}) FROM STDIN", True, (), processors)
    arrays = ", ".join(f"%b::{_pg_array_type(table.c[name], dialect)}[]" for name in columns)
    aliases = ", ".join(f"c{i}" for i in range(len(columns)))
    # Table and column names come from the metadata, quoted by the dialect; values are bound.
    sql = (
        f"INSERT INTO {target} ({names}) SELECT {aliases} FROM unnest({arrays})"  # noqa: S608
        f" WITH ORDINALITY AS u({aliases}, ord) ORDER BY ord"
    )
    if conflict is not None:
        sql += f" ON CONFLICT ({quote(conflict)}) DO NOTHING"
    if returning:
        sql += " RETURNING " + ", ".join(quote(name) for name in returning)
    return _PgPlan(sql, False, (), processors)


def _insert_pg(
    connection: Connection, plan: _PgPlan, rows: Sequence[Row], extra: Mapping[str, list[Any]]
) -> list[tuple[Any, ...]]:
    values: list[list[Any]] = [*extra.values(), *([row[name] for row in rows] for name in rows[0])]
    for i, processor in enumerate(plan.processors):
        if processor is not None:
            values[i] = [processor(value) for value in values[i]]
    driver: Any = connection.connection.dbapi_connection  # a psycopg.Connection
    with driver.cursor() as cursor:
        if plan.copy:
            with cursor.copy(plan.sql) as copy:
                if plan.copy_types:
                    copy.set_types(plan.copy_types)
                for record in zip(*values, strict=True):
                    copy.write_row(record)
            return []
        cursor.execute(plan.sql, values)
        return list(cursor.fetchall()) if cursor.description is not None else []


def insert_rows(
    connection: Connection,
    table: sa.Table,
    rows: Sequence[Row],
    *,
    skip_conflicts_on: str | None = None,
    returning: Sequence[str] = (),
    extra: Mapping[str, list[Any]] | None = None,
) -> list[tuple[Any, ...]]:
    """Insert ``rows`` (dicts with the same keys); return the ``returning`` columns of the rows
    actually inserted. With ``skip_conflicts_on``, rows clashing with an existing row on that
    unique column are skipped (``ON CONFLICT (…) DO NOTHING``). ``extra``: more columns, each
    a list of one value per row (e.g. the parent key of child rows, without copying them)."""
    if not rows:
        return []
    dialect = connection.dialect
    extra = extra or {}
    if dialect.name == "postgresql":
        columns = (*extra, *rows[0])
        plan = _pg_plan(table, columns, dialect, skip_conflicts_on, tuple(returning))
        if plan is not None:
            return _insert_pg(connection, plan, rows, extra)
    if extra:
        names = list(extra)
        rows = [
            {**row, **dict(zip(names, values, strict=True))}
            for row, values in zip(rows, zip(*extra.values(), strict=True), strict=True)
        ]
    compiled = _compile(table, tuple(rows[0]), dialect, skip_conflicts_on, tuple(returning))
    if returning and dialect.name != "postgresql":
        return [tuple(row) for row in connection.execute(compiled.statement, list(rows))]
    values = _processed(rows, compiled)
    if returning:
        return _returning_pg(connection, compiled.sql, values)
    if dialect.paramstyle == "qmark":
        order = compiled.order
        connection.exec_driver_sql(compiled.sql, [tuple(row[k] for k in order) for row in values])
    else:
        connection.exec_driver_sql(compiled.sql, values)
    return []
