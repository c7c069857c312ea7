"""``foodtrace scenario generate`` and ``load`` from the command line."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from firmware_sim.world import load_scenario
from foodtrace.cli.app import app
from tests.support.mosquitto import MosquittoBroker

runner = CliRunner()


def test_generate_then_load_into_sqlite(tmp_path: Path) -> None:
    out = tmp_path / "s"
    result = runner.invoke(app, ["scenario", "generate", "--out", str(out), "--size", "tiny",
                                 "--seed", "9", "--read-rate", "0.9", "--days", "2"])  # fmt: skip
    assert result.exit_code == 0, result.output
    scenario = load_scenario(out)
    events = scenario.meta["counts"]["events"]
    assert f"{events:,} events" in result.output
    db = f"sqlite:///{tmp_path / 'db.sqlite'}"
    assert runner.invoke(app, ["db", "upgrade", "--db", db]).exit_code == 0
    result = runner.invoke(app, ["scenario", "load", str(out), "--db", db])
    assert result.exit_code == 0, result.output
    assert f"{events:,} stored, 0 duplicates, 0 refused" in result.output
    assert f"{len(scenario.recalls)} recalls declared" in result.output


def test_generate_refuses_bad_options_with_one_line(tmp_path: Path) -> None:
    for args, message in [
        (["--size", "huge"], "unknown size"),
        (["--read-rate", "1.5"], "read rate"),
        (["--anomalies", "cloning=0.1"], "--anomalies"),
    ]:
        result = runner.invoke(app, ["scenario", "generate", "--out", str(tmp_path / "x"), *args])
        assert result.exit_code == 2
        assert message in result.output
        assert "Traceback" not in result.output


def test_load_refuses_a_directory_that_is_not_a_scenario(tmp_path: Path) -> None:
    result = runner.invoke(app, ["scenario", "load", str(tmp_path), "--db", "sqlite://"])
    assert result.exit_code == 2
    assert "scenario.json" in result.output


def test_load_refuses_a_bad_mqtt_address(tmp_path: Path) -> None:
    from firmware_sim.world import generate

    generate(tmp_path / "s", seed=1, size="tiny", days=1)
    db = f"sqlite:///{tmp_path / 'db.sqlite'}"
    assert runner.invoke(app, ["db", "upgrade", "--db", db]).exit_code == 0
    result = runner.invoke(app, ["scenario", "load", str(tmp_path / "s"), "--db", db,
                                 "--mqtt", "localhost"])  # fmt: skip
    assert result.exit_code == 2
    assert "HOST:PORT" in result.output


@pytest.mark.mosquitto
def test_load_over_mqtt_registers_stations_and_publishes(
    tmp_path: Path, mosquitto: MosquittoBroker, monkeypatch: pytest.MonkeyPatch
) -> None:
    from firmware_sim.world import generate

    generate(tmp_path / "s", seed=1, size="tiny", days=1)
    events = load_scenario(tmp_path / "s").meta["counts"]["events"]
    db = f"sqlite:///{tmp_path / 'db.sqlite'}"
    assert runner.invoke(app, ["db", "upgrade", "--db", db]).exit_code == 0
    user, password = next(iter(mosquitto.users.items()))
    monkeypatch.setenv("FOODTRACE_MQTT_PASSWORD", password)
    result = runner.invoke(app, ["scenario", "load", str(tmp_path / "s"), "--db", db, "--mqtt",
                                 f"{mosquitto.host}:{mosquitto.port}", "--username", user,
                                 "--root", "test/cli"])  # fmt: skip
    assert result.exit_code == 0, result.output
    assert f"{events:,} events published" in result.output
    assert "stations registered" in result.output and " 0 stations" not in result.output
