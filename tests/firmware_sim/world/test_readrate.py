"""Missed reads: the read rate thins observations and changes nothing else."""

from __future__ import annotations

import pytest

from firmware_sim.world import generate, load_scenario
from tests.firmware_sim.world.index import ScenarioIndex


@pytest.fixture(scope="module")
def pair(tmp_path_factory: pytest.TempPathFactory) -> tuple[ScenarioIndex, ScenarioIndex]:
    root = tmp_path_factory.mktemp("readrate")
    generate(root / "full", seed=11, size="tiny", read_rate=1.0, days=6)
    generate(root / "thin", seed=11, size="tiny", read_rate=0.8, days=6)
    return ScenarioIndex(load_scenario(root / "full")), ScenarioIndex(load_scenario(root / "thin"))


def _observed(event: dict[str, object]) -> list[str] | None:
    if event["type"] == "ObjectEvent" and event.get("action") == "OBSERVE":
        return event.get("epcList", [])  # type: ignore[return-value]
    if event["type"] == "AggregationEvent":
        return event["childEPCs"]  # type: ignore[return-value]
    return None


def test_read_rate_keeps_the_expected_share_of_observations(
    pair: tuple[ScenarioIndex, ScenarioIndex],
) -> None:
    full, thin = pair
    labelled = full.labelled_ids()
    total = kept = 0
    for eid, event in full.events.items():
        seen = _observed(event)
        if seen is None or eid in labelled:
            continue
        total += len(seen)
        if eid in thin.events:
            kept += len(_observed(thin.events[eid]) or [])
    assert total > 5_000
    # binomial: n > 5,000, p = 0.8 → standard deviation of the share < 0.006
    assert kept / total == pytest.approx(0.8, abs=0.025)
    stats = thin.scenario.meta["read_stats"]
    assert stats["observations"] == total
    assert stats["missed"] == total - kept
    assert full.scenario.meta["read_stats"]["missed"] == 0


def test_missed_reads_only_remove_epcs_from_observations(
    pair: tuple[ScenarioIndex, ScenarioIndex],
) -> None:
    full, thin = pair
    assert set(thin.events) < set(full.events)
    lost = len(full.events) - len(thin.events)
    assert lost == thin.scenario.meta["read_stats"]["events_lost"] > 0
    for eid, event in thin.events.items():
        original = full.events[eid]
        seen = _observed(event)
        if seen is None:
            assert event == original
            continue
        assert set(seen) <= set(_observed(original) or [])
        rest = {k: v for k, v in event.items() if k not in ("epcList", "childEPCs")}
        assert rest == {k: v for k, v in original.items() if k not in ("epcList", "childEPCs")}


def test_labels_and_their_evidence_survive_missed_reads(
    pair: tuple[ScenarioIndex, ScenarioIndex],
) -> None:
    full, thin = pair
    assert thin.scenario.labels == full.scenario.labels
    assert thin.scenario.labels
    for label in thin.scenario.labels:
        for eid in label.event_ids:
            assert thin.events[eid] == full.events[eid]
