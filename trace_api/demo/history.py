"""The demo's history: a generated scenario (contract A) loaded once into the database.

Two weeks of a whole regional food chain (``firmware_sim.world``, size ``tiny``, a fixed seed)
with labelled anomalies of most types and two recalls declared through
:func:`trace_api.recall.declare_recall`: something for the trace, the recall views and the
early warnings to show besides the live story. Generated into ``DIR/scenario`` and loaded
through the capture pipeline on the first run only (events are idempotent, recall
declarations are not).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import Engine

__all__ = ["SEED", "SIZE", "History", "load_history"]

SEED = 3  # tiny at seed 3: 1,768 events, 10 anomaly types labelled, 2 recalls
SIZE = "tiny"


@dataclass(frozen=True, slots=True)
class History:
    events: int
    anomalies: int
    anomaly_types: int
    recalls: int
    refused: int


def load_history(engine: Engine, directory: Path) -> History:
    """Generate the scenario into ``directory`` (replacing one there) and load it."""
    from firmware_sim.world import generate, load_scenario
    from firmware_sim.world.feed import load_into_database

    generate(directory, seed=SEED, size=SIZE, force=True)
    scenario = load_scenario(directory)
    report = load_into_database(scenario, engine)
    kinds = {label.type for label in scenario.labels}
    return History(
        events=report.stored + report.duplicates,
        anomalies=len(scenario.labels),
        anomaly_types=len(kinds),
        recalls=len(report.recalls),
        refused=report.refused,
    )
