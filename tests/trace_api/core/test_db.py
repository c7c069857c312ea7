"""Engine factory: URL normalisation, SQLite pragmas, one-line connection errors."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa

from tests.support.ports import free_port
from trace_api.core.db import check_connection, create_engine, normalise_url, redacted
from trace_api.exceptions import DatabaseUnavailableError, DatabaseURLError


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("sqlite:///data/trace.db", "sqlite+pysqlite:///data/trace.db"),
        ("sqlite:////var/lib/foodtrace/trace.db", "sqlite+pysqlite:////var/lib/foodtrace/trace.db"),
        ("/var/lib/foodtrace/trace.db", "sqlite+pysqlite:////var/lib/foodtrace/trace.db"),
        ("postgresql://ft:pw@db:5432/trace", "postgresql+psycopg://ft:pw@db:5432/trace"),
        ("postgres://ft@db/trace", "postgresql+psycopg://ft@db/trace"),
        ("postgresql+psycopg://ft@db/trace", "postgresql+psycopg://ft@db/trace"),
    ],
)
def test_urls_are_normalised(given: str, expected: str) -> None:
    assert normalise_url(given).render_as_string(hide_password=False) == expected


@pytest.mark.parametrize(
    ("given", "message"),
    [
        ("", "empty"),
        ("mysql://u@h/db", "unsupported database URL scheme 'mysql'"),
        ("postgresql+psycopg2://u@h/db", "unsupported"),
        ("postgresql://u@h", "no database name"),
        ("postgresql://u@h:port/db", "not a database URL"),
    ],
)
def test_unusable_urls_are_refused(given: str, message: str) -> None:
    with pytest.raises(DatabaseURLError, match=message):
        normalise_url(given)


def test_password_is_redacted() -> None:
    assert "secret" not in redacted("postgresql://ft:secret@db/trace")


def test_sqlite_connections_get_wal_and_pragmas(tmp_path: Path) -> None:
    path = tmp_path / "nested" / "dir" / "trace.db"
    engine = create_engine(f"sqlite:///{path}", busy_timeout_ms=1234)
    try:
        with engine.connect() as connection:
            pragma = {
                name: connection.exec_driver_sql(f"PRAGMA {name}").scalar()
                for name in ("journal_mode", "synchronous", "foreign_keys", "busy_timeout")
            }
    finally:
        engine.dispose()
    assert pragma == {
        "journal_mode": "wal",
        "synchronous": 1,
        "foreign_keys": 1,
        "busy_timeout": 1234,
    }
    assert path.exists()


@pytest.mark.postgres
def test_postgres_engine_connects(postgres_url: str) -> None:
    plain = postgres_url.replace("postgresql+psycopg://", "postgresql://")
    engine = create_engine(plain)
    try:
        check_connection(engine)
        with engine.connect() as connection:
            assert connection.execute(sa.text("SELECT 1")).scalar() == 1
    finally:
        engine.dispose()


def test_unreachable_server_is_one_clear_error() -> None:
    engine = create_engine(f"postgresql://ft:secret@127.0.0.1:{free_port()}/trace")
    try:
        with pytest.raises(DatabaseUnavailableError, match="cannot connect to") as caught:
            check_connection(engine)
    finally:
        engine.dispose()
    assert "secret" not in str(caught.value)
    assert "\n" not in str(caught.value)
