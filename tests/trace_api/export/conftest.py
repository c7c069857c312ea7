"""The export chain stored in a fresh database (SQLite and PostgreSQL)."""

from __future__ import annotations

import pytest
from sqlalchemy.engine import Engine

from tests.trace_api.export.chain import EXPORT_MASTER, export_chain
from tests.trace_api.trace.chain import store
from trace_api.storage import load_master_data


@pytest.fixture
def export_db(db: Engine) -> Engine:
    """A migrated database with the export chain's master data and events."""
    load_master_data(db, EXPORT_MASTER)
    store(db, export_chain())
    return db
