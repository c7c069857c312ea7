"""``foodtrace capture``: the official examples, idempotent reruns, refusals and exit status."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
from typer.testing import CliRunner

from foodtrace.cli.app import app
from tests.epcis.epcis_data import EXAMPLES, INVALID, events_of, load
from trace_api.core.db import create_engine
from trace_api.exceptions import MigrationError
from trace_api.migrate import upgrade


def _migrated(db_url: str) -> None:
    engine = create_engine(db_url)
    try:
        upgrade(engine)
    finally:
        engine.dispose()


def _stored(db_url: str) -> int:
    engine = create_engine(db_url)
    try:
        with engine.connect() as connection:
            return int(connection.execute(sa.text("SELECT count(*) FROM event")).scalar_one())
    finally:
        engine.dispose()


def test_all_official_examples_then_all_duplicates(db_url: str) -> None:
    _migrated(db_url)
    total = sum(len(events_of(load(path))) for path in EXAMPLES)
    assert len(EXAMPLES) == 22
    files = [str(path) for path in EXAMPLES]
    runner = CliRunner()
    first = runner.invoke(app, ["capture", *files, "--db", db_url])
    assert first.exit_code == 0, first.output
    stored = _stored(db_url)
    # Some examples repeat an event of another example (same eventID): those are duplicates.
    assert 0 < stored <= total
    assert f"{stored} stored, {total - stored} duplicates, 0 refused (22 files" in first.output
    second = runner.invoke(app, ["capture", *files, "--db", db_url])
    assert second.exit_code == 0, second.output
    assert f"0 stored, {total} duplicates, 0 refused" in second.output
    assert _stored(db_url) == stored


def test_invalid_documents_exit_1_with_one_line_per_refusal(tmp_path: Path) -> None:
    db_url = f"sqlite:///{tmp_path / 'trace.db'}"
    _migrated(db_url)
    runner = CliRunner()
    result = runner.invoke(app, ["capture", *map(str, INVALID), "--db", db_url])
    assert result.exit_code == 1
    lines = [line for line in result.stderr.splitlines() if line]
    for path in INVALID:
        assert any(line.startswith(f"{path}: ") for line in lines), path
    second_event = next(p for p in INVALID if p.name.endswith("bizStep_in_second_event.json"))
    assert f"{second_event}: event 1 at /epcisBody/eventList/1/bizStep: " in result.stderr
    # Its first event is valid and stored (per-event acceptance).
    assert _stored(db_url) == 1
    assert "1 stored, 0 duplicates" in result.stdout


def test_unreadable_and_undecodable_files(tmp_path: Path) -> None:
    db_url = f"sqlite:///{tmp_path / 'trace.db'}"
    _migrated(db_url)
    garbage = tmp_path / "garbage.json"
    garbage.write_bytes(b"\xff not json")
    missing = tmp_path / "missing.json"
    result = CliRunner().invoke(app, ["capture", str(garbage), str(missing), "--db", db_url])
    assert result.exit_code == 1
    assert f"{garbage}: document at /: not UTF-8: invalid start byte at byte 0" in result.stderr
    assert f"{missing}: cannot read: No such file or directory" in result.stderr
    assert "0 stored, 0 duplicates, 2 refused" in result.stdout


def test_needs_a_migrated_database(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        app, ["capture", str(EXAMPLES[0]), "--db", f"sqlite:///{tmp_path / 'new.db'}"]
    )
    assert result.exit_code == 1
    assert isinstance(result.exception, MigrationError)
