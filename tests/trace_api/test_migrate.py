"""Migrations create the schema the models describe, and take it away again."""

from __future__ import annotations

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy.engine import Engine

from trace_api.migrate import current_revision, downgrade, head, upgrade
from trace_api.models import metadata


def _tables(engine: Engine) -> set[str]:
    return set(sa.inspect(engine).get_table_names()) - {"alembic_version"}


def test_upgrade_creates_every_model_table(engine: Engine) -> None:
    outcome = upgrade(engine)
    assert (outcome.before, outcome.after) == (None, head())
    assert outcome.changed
    assert _tables(engine) == set(metadata.tables)


def test_upgrade_twice_changes_nothing(engine: Engine) -> None:
    upgrade(engine)
    again = upgrade(engine)
    assert not again.changed
    assert again.after == head()


def test_migrated_schema_matches_models(engine: Engine) -> None:
    upgrade(engine)
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, metadata)
    assert differences == []


def test_downgrade_to_base_drops_every_table(engine: Engine) -> None:
    upgrade(engine)
    outcome = downgrade(engine)
    assert outcome.after is None
    assert _tables(engine) == set()
    with engine.connect() as connection:
        assert current_revision(connection) is None
    assert upgrade(engine).after == head()
