"""Warnings in the database: one per incident, grouped across runs, enriched with origin and
holders, the status workflow — on SQLite and PostgreSQL."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest
from sqlalchemy.engine import Engine
from typer.testing import CliRunner

from analytics.cli import app as analytics_app
from analytics.exceptions import WarningNotFoundError, WarningTransitionError
from analytics.run import run_batch
from analytics.vocab import ANOMALY_TYPES
from analytics.warnings.store import get_warning, list_warnings, set_status
from tests.analytics.support import store_world
from tests.analytics.world import World, routes


@pytest.fixture
def routes_file(tmp_path: Path) -> Path:
    path = tmp_path / "routes.json"
    path.write_bytes(orjson.dumps(routes()))
    return path


@pytest.fixture
def world_db(db: Engine) -> Engine:
    store_world(db, World(read_rate=1.0, seed=7).build())
    return db


def test_run_records_one_warning_per_incident(world_db: Engine, routes_file: Path) -> None:
    recorded = run_batch(world_db, routes_file)
    assert all(r.new for r in recorded)
    assert sorted(r.warning["type"] for r in recorded) == sorted(ANOMALY_TYPES)
    by_type = {r.warning["type"]: r.warning for r in recorded}
    hot = by_type["temperature_excursion"]
    assert hot["severity"] == "alert" and hot["recall_level"] == "II"
    assert hot["evidence"]["quantity"] == {"name": "degree_hours", "value": 21.0, "unit": "Cel.h"}
    assert len(hot["epcs"]) == 10
    assert [o["location"] for o in hot["origin"]] == ["https://id.gs1.org/414/0614141000111"]
    assert hot["holders"] and all(h["status"] == "sold" for h in hot["holders"])
    assert by_type["recalled_lot_sighted"]["recall_level"] == "I"
    assert by_type["skipped_step"]["severity"] == "attention"
    assert [h["status"] for h in hot["history"]] == ["open"]
    # a second run finds the same incidents: nothing new, nothing duplicated
    again = run_batch(world_db, routes_file)
    assert not any(r.new for r in again)
    assert len(list_warnings(world_db)) == len(ANOMALY_TYPES)


def test_filters(world_db: Engine, routes_file: Path) -> None:
    run_batch(world_db, routes_file)
    alerts = list_warnings(world_db, severity="alert")
    assert {w["type"] for w in alerts} == {
        "clone",
        "temperature_excursion",
        "expired_on_sale",
        "recalled_lot_sighted",
        "never_commissioned",
    }
    (diverted,) = list_warnings(world_db, type="diversion")
    lot = diverted["lots"][0]
    assert [w["id"] for w in list_warnings(world_db, lot=lot, type="diversion")] == [diverted["id"]]
    assert list_warnings(world_db, status="closed") == []
    assert len(list_warnings(world_db, limit=3)) == 3


def test_status_workflow(world_db: Engine, routes_file: Path) -> None:
    run_batch(world_db, routes_file)
    w = list_warnings(world_db, type="clone")[0]
    acked = set_status(world_db, w["id"], "acknowledged", "regulator:1", "looking")
    assert acked["status"] == "acknowledged"
    confirmed = set_status(world_db, w["id"], "confirmed", "regulator:1")
    closed = set_status(world_db, w["id"], "closed", "regulator:1", "tags destroyed")
    assert [h["status"] for h in closed["history"]] == [
        "open",
        "acknowledged",
        "confirmed",
        "closed",
    ]
    assert closed["history"][1]["note"] == "looking"
    assert confirmed["updated"] <= closed["updated"]
    with pytest.raises(WarningTransitionError, match="closed cannot become acknowledged"):
        set_status(world_db, w["id"], "acknowledged", "regulator:1")
    with pytest.raises(WarningTransitionError, match="unknown status"):
        set_status(world_db, w["id"], "reopened", "regulator:1")
    with pytest.raises(WarningNotFoundError):
        get_warning(world_db, "00000000-0000-0000-0000-000000000000")
    other = list_warnings(world_db, type="diversion")[0]
    assert set_status(world_db, other["id"], "false_alarm", "x")["status"] == "false_alarm"
    with pytest.raises(WarningTransitionError):
        set_status(world_db, other["id"], "confirmed", "x")


def test_cli_run_json(world_db: Engine, db_url: str, routes_file: Path) -> None:
    result = CliRunner().invoke(
        analytics_app, ["run", "--db", db_url, "--json", "--routes", str(routes_file)]
    )
    assert result.exit_code == 0, result.output
    lines = [orjson.loads(line) for line in result.output.splitlines()]
    assert sorted(w["type"] for w in lines) == sorted(ANOMALY_TYPES)
    for w in lines:
        assert w["severity"] in ("alert", "information_follow_up", "attention")
        assert w["epcs"] or w["lots"]
        assert w["event_ids"] and w["explanation"] and w["new"] is True
    table = CliRunner().invoke(analytics_app, ["run", "--db", db_url, "--routes", str(routes_file)])
    assert table.exit_code == 0
    assert "13 warning(s), 0 new" in table.output
