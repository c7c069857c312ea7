"""Alembic environment of the traceability database.

Run through :mod:`trace_api.migrate` (``foodtrace db upgrade``), which passes either an open
connection (``config.attributes["connection"]``) or a database URL (``sqlalchemy.url``).
SQLite gets batch mode, so ``ALTER TABLE`` steps work there too.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy.engine import Connection

from trace_api.core.db import create_engine
from trace_api.models import metadata

config = context.config


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    engine = create_engine(config.get_main_option("sqlalchemy.url") or "")
    try:
        with engine.connect() as fresh:
            _run(fresh)
    finally:
        engine.dispose()


if context.is_offline_mode():
    raise SystemExit("offline (--sql) migrations are not supported; pass a database URL")
run_online()
