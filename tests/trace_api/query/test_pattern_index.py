"""PostgreSQL serves prefix patterns (``WD_readPoint``, ``MATCH_epc`` with ``idpat``) from the
identifier indexes, whatever the database collation (migration 0005, ``text_pattern_ops``)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from trace_api.core.db import create_engine
from trace_api.migrate import downgrade, upgrade
from trace_api.models import metadata
from trace_api.query.identifiers import identifier_match, location_match

pytestmark = pytest.mark.postgres

_EVENT = metadata.tables["event"]
_IDENTIFIER = metadata.tables["event_identifier"]


@pytest.fixture
def pg(postgres_url: str) -> Iterator[Engine]:
    engine = create_engine(postgres_url)
    yield engine
    engine.dispose()


def _plan(engine: Engine, statement: sa.Select[tuple[int]]) -> str:
    sql = statement.compile(dialect=engine.dialect, compile_kwargs={"literal_binds": True})
    with engine.connect() as connection:
        connection.execute(sa.text("SET enable_seqscan = off"))
        rows = connection.execute(sa.text(f"EXPLAIN {sql}")).scalars()
        return "\n".join(rows)


@pytest.mark.parametrize(
    ("statement", "index"),
    [
        (
            sa.select(_IDENTIFIER.c.id).where(
                identifier_match(
                    _IDENTIFIER.c.value, _IDENTIFIER.c.canonical, "urn:epc:idpat:sgtin:4012345.*.*"
                )
            ),
            "ix_event_identifier_value",
        ),
        (
            sa.select(_EVENT.c.id).where(
                location_match(
                    _EVENT.c.read_point, "urn:epc:id:sgln:4012345.00001.0", descendants=True
                )
            ),
            "ix_event_read_point",
        ),
        (
            sa.select(_EVENT.c.id).where(
                location_match(
                    _EVENT.c.biz_location, "urn:epc:id:sgln:4012345.00001.0", descendants=True
                )
            ),
            "ix_event_biz_location",
        ),
    ],
    ids=["MATCH_epc idpat", "WD_readPoint", "WD_bizLocation"],
)
def test_prefix_patterns_are_index_range_scans(
    pg: Engine, statement: sa.Select[tuple[int]], index: str
) -> None:
    upgrade(pg)
    plan = _plan(pg, statement)
    # the pattern operator class turns LIKE 'prefix%' into an index range (~>=~ … ~<~)
    assert index in plan and "~>=~" in plan, plan


def _pattern_indexes(engine: Engine) -> set[str]:
    query = sa.text("SELECT indexname FROM pg_indexes WHERE indexdef LIKE '%text_pattern_ops%'")
    with engine.connect() as connection:
        return set(connection.execute(query).scalars())


def test_0005_rebuilds_four_indexes_and_downgrades(pg: Engine) -> None:
    upgrade(pg, "0003")
    assert _pattern_indexes(pg) == set()
    upgrade(pg)
    assert _pattern_indexes(pg) == {
        "ix_event_read_point",
        "ix_event_biz_location",
        "ix_event_identifier_value",
        "ix_event_identifier_canonical",
    }
    downgrade(pg, "0003")
    assert _pattern_indexes(pg) == set()
