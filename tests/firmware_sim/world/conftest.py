"""Scenarios generated once per session, and the databases to load them into."""

from __future__ import annotations

from pathlib import Path

import pytest

from firmware_sim.world import generate, load_scenario
from firmware_sim.world.anomalies import ANOMALY_TYPES
from firmware_sim.world.loader import Scenario
from tests.firmware_sim.world.index import ScenarioIndex

#: High enough that every anomaly type is injected several times in a small scenario.
RATES = dict.fromkeys(ANOMALY_TYPES, 0.004)
BACKENDS = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]


@pytest.fixture(scope="session")
def small_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small scenario (seed 7, read rate 0.9, every anomaly type), in documents of 2,000."""
    out = tmp_path_factory.mktemp("scenario") / "small"
    generate(out, seed=7, size="small", read_rate=0.9, anomalies=RATES, per_document=2000)
    return out


@pytest.fixture(scope="session")
def small(small_dir: Path) -> Scenario:
    return load_scenario(small_dir)


@pytest.fixture(scope="session")
def index(small: Scenario) -> ScenarioIndex:
    return ScenarioIndex(small)


@pytest.fixture(params=BACKENDS)
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """An empty database: a SQLite file, or a fresh PostgreSQL database."""
    if request.param == "postgres":
        url: str = request.getfixturevalue("postgres_url")
        return url
    return f"sqlite:///{tmp_path / 'trace.db'}"
