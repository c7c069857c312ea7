"""Learned detectors: trained on a history, they score journeys; persisted models are checked
against their manifest before they are loaded."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from analytics.cli import app as analytics_app
from analytics.detectors import Scope
from analytics.evaluate import Scenario, load_scenario_dir
from analytics.exceptions import ModelError
from analytics.learned.outliers import OutlierModel
from analytics.learned.store import load_models, save_models
from analytics.learned.transitions import TransitionModel
from analytics.pipeline import score


def _clean_history(directory: Path) -> Scenario:
    from datetime import timedelta

    from tests.analytics.world import START, World

    world = World(read_rate=0.9, seed=11)
    for n in range(20):
        world.lot(START - timedelta(days=30 - n))
    return load_scenario_dir(world.write(directory))


def test_transition_model_flags_the_unusual_step(
    world_dirs: dict[float, Path], tmp_path: Path
) -> None:
    history = _clean_history(tmp_path)
    scenario = load_scenario_dir(world_dirs[1.0])
    model = TransitionModel().fit(history.journeys, history.context)
    found = [f for f in model.detect(_scope(scenario)) if f.fires]
    (label,) = [lb for lb in scenario.labels if lb.type == "inserted_event"]
    assert any(f.type == "inserted_event" and set(f.epcs) & label.epcs for f in found)
    genuine = set(scenario.journeys.items()) - {e for lb in scenario.labels for e in lb.epcs}
    assert sum(1 for f in found if set(f.epcs) <= genuine) == 0


def test_outlier_model_ranks_anomalies_first(world_dirs: dict[float, Path]) -> None:
    scenario = load_scenario_dir(world_dirs[1.0])
    model = OutlierModel(contamination=0.05).fit(scenario.journeys, scenario.context)
    found = sorted(model.detect(_scope(scenario)), key=lambda f: -f.score)
    labelled = {e for lb in scenario.labels for e in lb.epcs}
    assert found, "the forest isolates nothing"
    top = found[: max(1, len(found) // 2)]
    assert sum(1 for f in top if set(f.epcs) & labelled) >= len(top) / 2


def test_models_persist_with_checksum(world_dirs: dict[float, Path], tmp_path: Path) -> None:
    scenario = load_scenario_dir(world_dirs[1.0])
    models = [
        TransitionModel().fit(scenario.journeys, scenario.context),
        OutlierModel().fit(scenario.journeys, scenario.context),
    ]
    manifest = save_models(tmp_path, models, len(scenario.journeys.items()))
    assert [m["name"] for m in manifest["models"]] == [
        "learned.transitions",
        "learned.isolation_forest",
    ]
    loaded = load_models(tmp_path)
    assert [m.name for m in loaded] == ["learned.transitions", "learned.isolation_forest"]
    with_learned = score(scenario.journeys, scenario.context, learned=loaded)
    assert any(f.detector.startswith("learned.") for f in with_learned)
    (tmp_path / "models.joblib").write_bytes((tmp_path / "models.joblib").read_bytes() + b"x")
    with pytest.raises(ModelError, match="checksum"):
        load_models(tmp_path)
    with pytest.raises(ModelError, match="no trained models"):
        load_models(tmp_path / "missing")


def test_cli_train_writes_models(db_url: str, tmp_path: Path) -> None:
    from tests.analytics.support import store_world
    from tests.analytics.world import World
    from trace_api.core.db import create_engine
    from trace_api.migrate import upgrade

    engine = create_engine(db_url)
    upgrade(engine)
    store_world(engine, World(read_rate=1.0, seed=7).build())
    engine.dispose()
    result = CliRunner().invoke(
        analytics_app, ["train", "--db", db_url, "--models", str(tmp_path / "m"), "--json"]
    )
    assert result.exit_code == 0, result.output
    assert (tmp_path / "m" / "manifest.json").is_file()
    run = CliRunner().invoke(
        analytics_app, ["run", "--db", db_url, "--models", str(tmp_path / "m"), "--json"]
    )
    assert run.exit_code == 0, run.output


def _scope(scenario: Scenario) -> Scope:
    return Scope(scenario.journeys, scenario.context, items=scenario.journeys.items())
