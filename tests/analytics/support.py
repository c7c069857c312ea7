"""The labelled world stored in a traceability database through the real capture path."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.engine import Engine

from analytics.identifiers import canon
from tests.analytics.world import World, master_data
from trace_api.capture import capture_document
from trace_api.recall.events import recall_document
from trace_api.storage import load_master_data

RECALL_URN = "urn:uuid:8f1d2c3b-0000-4000-8000-00000000abcd"


def store_world(engine: Engine, world: World, chunk: int = 0) -> None:
    """Master data, then the events in time order (as one document, or ``chunk`` at a time),
    then the world's recalls as recall events."""
    load_master_data(engine, master_data())
    events = sorted(world.events, key=lambda e: e["eventTime"])
    size = chunk or max(1, len(events))
    for n in range(0, len(events), size):
        outcome = capture_document(engine, world.document(events[n : n + size]))
        assert not outcome.refusals, outcome.refusals
    for recall in world.recalls:
        when = datetime.fromisoformat(recall["declared"].replace("Z", "+00:00"))
        doc = recall_document([canon(recall["lot"])], RECALL_URN, recall["reason"], when)
        assert not capture_document(engine, doc).refusals
