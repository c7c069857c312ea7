"""``foodtrace ingest gaps``: each station's sequence state from the database."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from foodtrace.cli.app import app
from trace_api.core.db import create_engine
from trace_api.migrate import upgrade
from trace_api.storage import record_station_seqs


def test_gaps_command_lists_every_station(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'trace.db'}"
    engine = create_engine(url)
    try:
        upgrade(engine)
        record_station_seqs(engine, "st-1", [1, 2, 3, 6, 9, 10])
        record_station_seqs(engine, "st-2", [1, 2])
    finally:
        engine.dispose()
    runner = CliRunner()
    result = runner.invoke(app, ["ingest", "gaps", "--db", url])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "st-1: contiguous to 3, highest 10, missing 4-5, 7-8",
        "st-2: contiguous to 2, highest 2, missing none",
    ]
    one = runner.invoke(app, ["ingest", "gaps", "st-9", "--db", url])
    assert one.stdout.splitlines() == ["st-9: no numbered events"]
