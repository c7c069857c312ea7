"""Scenario directories of the small labelled world (:mod:`tests.analytics.world`)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.analytics.world import World


@pytest.fixture(scope="session")
def world_dirs(tmp_path_factory: pytest.TempPathFactory) -> dict[float, Path]:
    """The world at read rates 1.0 and 0.9 (seed 7), written in the contract-A layout."""
    made = {}
    for rate in (1.0, 0.9):
        made[rate] = (
            World(read_rate=rate, seed=7).build().write(tmp_path_factory.mktemp(f"world-{rate}"))
        )
    return made


# The traceability service's database fixtures (SQLite and PostgreSQL), shared.
from tests.trace_api.conftest import db, db_url, engine  # noqa: E402, F401
