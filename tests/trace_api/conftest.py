"""Fixtures for the traceability service: one database per test, on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine

from trace_api.core.db import create_engine
from trace_api.migrate import upgrade

BACKENDS = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]


@pytest.fixture(params=BACKENDS)
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """An empty database: a SQLite file in ``tmp_path``, or a fresh PostgreSQL database."""
    if request.param == "postgres":
        url: str = request.getfixturevalue("postgres_url")
        return url
    return f"sqlite:///{tmp_path / 'trace.db'}"


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    """An engine on the empty database, disposed after the test."""
    made = create_engine(db_url)
    yield made
    made.dispose()


@pytest.fixture
def db(engine: Engine) -> Engine:
    """An engine on a database migrated to the newest revision."""
    upgrade(engine)
    return engine
