"""The streaming scorer follows the event table as the capture path commits: each incident
becomes a warning at the step after its evidence was committed, within a second."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import orjson
from sqlalchemy.engine import Engine

from analytics.run import StreamScorer
from analytics.vocab import ANOMALY_TYPES
from analytics.warnings.store import list_warnings
from tests.analytics.support import store_world
from tests.analytics.world import World, master_data, routes
from trace_api.storage import load_master_data


def test_stream_scores_events_as_they_are_committed(db: Engine, tmp_path: Path) -> None:
    path = tmp_path / "routes.json"
    path.write_bytes(orjson.dumps(routes()))
    load_master_data(db, master_data())
    published: list[dict[str, Any]] = []
    scorer = StreamScorer(db, path, publish=published.extend)
    assert scorer.step() == []  # nothing stored yet
    world = World(read_rate=1.0, seed=7).build()
    events = sorted(world.events, key=lambda e: e["eventTime"])
    per_chunk = 25
    chunks = [events[n : n + per_chunk] for n in range(0, len(events), per_chunk)]
    waits = []
    for chunk in chunks:
        sub = World(read_rate=1.0)
        sub.events = chunk
        store_world_events(db, sub)
        started = time.perf_counter()
        scorer.step()
        waits.append(time.perf_counter() - started)
    # the recall arrives last: its lot's earlier shop sightings now make a warning
    recall_only = World(read_rate=1.0)
    recall_only.recalls = world.recalls
    store_world(db, recall_only)
    scorer.step()
    types = sorted(w["type"] for w in list_warnings(db, limit=1000))
    assert types == sorted(ANOMALY_TYPES)
    assert sorted(w["type"] for w in published) == types
    assert scorer.stats.warnings == len(ANOMALY_TYPES)
    assert max(scorer.stats.latencies_s) < 1.0, scorer.stats.latencies_s
    assert max(waits) < 1.0


def store_world_events(db: Engine, world: World) -> None:
    from trace_api.capture import capture_document

    outcome = capture_document(db, world.document(world.events))
    assert not outcome.refusals


def test_cli_stream_prints_new_warnings(db: Engine, db_url: str, tmp_path: Path) -> None:
    import threading

    from typer.testing import CliRunner

    from analytics.cli import app as analytics_app

    path = tmp_path / "routes.json"
    path.write_bytes(orjson.dumps(routes()))
    load_master_data(db, master_data())
    result: list[Any] = []

    def run() -> None:
        result.append(
            CliRunner().invoke(
                analytics_app,
                ["stream", "--db", db_url, "--routes", str(path), "--json", "--duration", "4"],
            )
        )

    worker = threading.Thread(target=run)
    worker.start()
    time.sleep(1.5)
    store_world(db, World(read_rate=1.0, seed=7).build())
    worker.join(30)
    (outcome,) = result
    assert outcome.exit_code == 0, outcome.output
    lines = [orjson.loads(line) for line in outcome.output.splitlines()]
    assert sorted(w["type"] for w in lines) == sorted(ANOMALY_TYPES)
    assert all(w["event_ids"] for w in lines)


def test_stream_catches_up_on_what_was_stored_while_it_was_down(db: Engine, tmp_path: Path) -> None:
    path = tmp_path / "routes.json"
    path.write_bytes(orjson.dumps(routes()))
    store_world(db, World(read_rate=1.0, seed=7).build())
    published: list[dict[str, Any]] = []
    StreamScorer(db, path, publish=published.extend)
    assert sorted(w["type"] for w in published) == sorted(ANOMALY_TYPES)
    again: list[dict[str, Any]] = []
    StreamScorer(db, path, publish=again.extend)  # a restart raises nothing twice
    assert again == []
    assert len(list_warnings(db)) == len(ANOMALY_TYPES)
