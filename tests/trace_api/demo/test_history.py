"""The demo's history: the generated scenario, loaded into a real database."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from firmware_sim.world import load_scenario
from trace_api.demo.history import load_history
from trace_api.models import metadata
from trace_api.recall.service import list_recalls
from trace_api.trace.service import trace


def test_history_loads_every_event_its_anomalies_and_recalls(db: Engine, tmp_path: Path) -> None:
    history = load_history(db, tmp_path / "scenario")
    scenario = load_scenario(tmp_path / "scenario")
    with db.connect() as connection:
        stored = connection.execute(
            sa.select(sa.func.count()).select_from(metadata.tables["event"])
        ).scalar_one()
    recall_events = len(scenario.recalls)  # one recall event per lot
    assert history.refused == 0
    assert history.events == scenario.meta["counts"]["events"] == stored - recall_events
    assert history.anomaly_types >= 8  # "a few injected anomalies" of most kinds
    assert history.recalls == len(list_recalls(db)) == 2
    recalled = scenario.recalls[0]["lot"]
    assert trace(db, recalled, "forward").nodes  # a recalled lot reaches somewhere
