"""The consumer story in a fresh database (SQLite and PostgreSQL) and a client on the app."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy.engine import Engine

from tests.trace_api.api.client import TestClient
from tests.trace_api.web.consumer.story import load_story
from trace_api.core.config import Settings
from trace_api.main import create_app


@pytest.fixture
def story_db(db: Engine) -> Engine:
    """A migrated database holding the story's master data, events and recall."""
    load_story(db)
    return db


@pytest.fixture
def client(story_db: Engine, db_url: str) -> Iterator[TestClient]:
    app = create_app(Settings(db=db_url), engine=story_db)
    with TestClient(app) as test_client:
        yield test_client
