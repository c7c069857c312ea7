"""Each rule detector fires on its injected anomaly and on nothing else, with and without
missed reads (read rate 1.0 and 0.9)."""

from __future__ import annotations

from pathlib import Path

import pytest

from analytics.detectors import Finding
from analytics.evaluate import Label, Scenario, load_scenario_dir
from analytics.pipeline import score
from analytics.vocab import ANOMALY_TYPES

RATES = [1.0, 0.9]


@pytest.fixture(scope="module")
def scored(world_dirs: dict[float, Path]) -> dict[float, tuple[Scenario, list[Finding]]]:
    out = {}
    for rate, directory in world_dirs.items():
        scenario = load_scenario_dir(directory)
        out[rate] = (scenario, [f for f in score(scenario.journeys, scenario.context) if f.fires])
    return out


def _matches(f: Finding, label: Label) -> bool:
    return f.type == label.type and bool({f.subject, *f.epcs, *f.lots, *f.event_ids} & label.keys)


@pytest.mark.parametrize("rate", RATES)
@pytest.mark.parametrize("kind", ANOMALY_TYPES)
def test_detector_fires_on_its_anomaly(scored, rate: float, kind: str) -> None:
    scenario, warnings = scored[rate]
    (label,) = [lb for lb in scenario.labels if lb.type == kind]
    hits = [f for f in warnings if _matches(f, label)]
    near = [f.type for f in warnings if set(f.epcs) & label.epcs]
    assert hits, f"{kind} not found; findings on its EPCs: {near}"
    for f in hits:
        assert f.score >= f.threshold
        assert f.explanation
        assert f.event_ids


@pytest.mark.parametrize("rate", RATES)
def test_no_false_alarm_on_clean_journeys(scored, rate: float) -> None:
    scenario, warnings = scored[rate]
    false = [f for f in warnings if not any(_matches(f, lb) for lb in scenario.labels)]
    assert false == []
    assert len(warnings) == len(scenario.labels)  # one warning per incident


def test_clean_world_has_no_warning(tmp_path: Path) -> None:
    from tests.analytics.world import World

    world = World(read_rate=0.9, seed=3)
    for n in range(8):
        world.lot(world_start(n))
    scenario = load_scenario_dir(world.write(tmp_path))
    assert [f for f in score(scenario.journeys, scenario.context) if f.fires] == []


def world_start(n: int):
    from datetime import timedelta

    from tests.analytics.world import START

    return START + timedelta(days=n)
