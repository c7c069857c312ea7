"""The hand-built chain stored in a fresh database (SQLite and PostgreSQL)."""

from __future__ import annotations

import pytest
from sqlalchemy.engine import Engine

from tests.trace_api.trace.chain import MASTER, chain, store
from trace_api.storage import load_master_data


@pytest.fixture
def chain_db(db: Engine) -> Engine:
    """A migrated database holding the master data and the events of :func:`chain`."""
    load_master_data(db, MASTER)
    store(db, chain())
    return db
