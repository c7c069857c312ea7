"""Run storage functions on whatever the caller holds: an engine, a connection or a session."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Table
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.orm import Session

__all__ = ["Target", "transaction", "upsert_insert"]

#: Where storage functions run. An engine: in a transaction of their own, committed on return.
#: A connection outside a transaction: likewise. A connection inside a transaction, or a
#: session: in the caller's transaction, which the caller commits.
Target = Engine | Connection | Session


@contextmanager
def transaction(target: Target) -> Iterator[Connection]:
    """A connection inside a transaction, as :data:`Target` describes."""
    if isinstance(target, Engine):
        with target.begin() as connection:
            yield connection
    elif isinstance(target, Session):
        yield target.connection()
    elif target.in_transaction():
        yield target
    else:
        with target.begin():
            yield target


def upsert_insert(connection: Connection, table: Table) -> Any:
    """The dialect's ``INSERT`` construct, which offers ``on_conflict_do_nothing/update``."""
    if connection.dialect.name == "postgresql":
        return postgresql.insert(table)
    return sqlite.insert(table)
