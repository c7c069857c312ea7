"""Where events come from: the traceability database (``event.raw``, in id order, from a
cursor) or a scenario directory's EPCIS documents (contract A)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import orjson

from analytics.exceptions import ScenarioError

__all__ = ["DbCursor", "read_db_events", "scenario_documents", "scenario_events"]


class DbCursor:
    """Reads the events stored after the last one read (by ``event.id``), in batches."""

    def __init__(self, engine: Any, after: int = 0, batch: int = 5000) -> None:
        self.engine = engine
        self.after = after
        self.batch = batch

    def fetch(self) -> list[tuple[int, dict[str, Any], float]]:
        """The next batch: (primary key, event JSON, record time in epoch s)."""
        import sqlalchemy as sa

        from trace_api.models import metadata

        event = metadata.tables["event"]
        with self.engine.connect() as connection:
            rows = connection.execute(
                sa.select(event.c.id, event.c.raw, event.c.record_time)
                .where(event.c.id > self.after)
                .order_by(event.c.id)
                .limit(self.batch)
            ).all()
        if rows:
            self.after = rows[-1].id
        return [(r.id, orjson.loads(r.raw), r.record_time.timestamp()) for r in rows]


def read_db_events(engine: Any) -> Iterator[tuple[int, dict[str, Any], float]]:
    """Every stored event, in storage order."""
    cursor = DbCursor(engine)
    while batch := cursor.fetch():
        yield from batch


def scenario_documents(directory: Path) -> list[Path]:
    """The scenario's ``events/*.json`` in order."""
    folder = directory / "events"
    if not folder.is_dir():
        raise ScenarioError(f"{directory}: no events/ folder (not a scenario directory)")
    return sorted(folder.glob("*.json"))


def scenario_events(directory: Path) -> Iterator[dict[str, Any]]:
    """The events of every document of a scenario, in file order."""
    for path in scenario_documents(directory):
        try:
            doc = orjson.loads(path.read_bytes())
        except orjson.JSONDecodeError as exc:
            raise ScenarioError(f"{path}: not JSON ({exc})") from exc
        events = (doc.get("epcisBody") or {}).get("eventList") if isinstance(doc, dict) else None
        if not isinstance(events, list):
            raise ScenarioError(f"{path}: not an EPCIS document (no epcisBody.eventList)")
        yield from events
