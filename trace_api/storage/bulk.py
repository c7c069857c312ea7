"""Batched inserts at the driver's own speed, with SQLAlchemy compiling the statements.

Each statement (``INSERT``, optionally ``ON CONFLICT (…) DO NOTHING`` and ``RETURNING``) is
built with SQLAlchemy's dialect ``insert()`` construct and compiled once per table and column
set. The column types' bind processing (e.g. :class:`~trace_api.models.base.UTCDateTime`) is
applied to the batch in one pass, and the rows go to the driver's ``executemany``: psycopg
pipelines it, and with ``RETURNING`` collects each row's result (``returning=True``); sqlite3
runs it in C. SQLite cannot ``executemany`` a ``RETURNING`` statement, so that one case goes
through SQLAlchemy, which batches it into multi-row ``VALUES``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
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


def insert_rows(
    connection: Connection,
    table: sa.Table,
    rows: Sequence[Row],
    *,
    skip_conflicts_on: str | None = None,
    returning: Sequence[str] = (),
) -> list[tuple[Any, ...]]:
    """Insert ``rows`` (dicts with the same keys); return the ``returning`` columns of the rows
    actually inserted. With ``skip_conflicts_on``, rows clashing with an existing row on that
    unique column are skipped (``ON CONFLICT (…) DO NOTHING``)."""
    if not rows:
        return []
    dialect = connection.dialect
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
