"""``foodtrace db``: upgrade and load-master, mounted the way foodtrace/cli/app.py mounts it."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa
import typer
from typer.testing import CliRunner

from tests.support.ports import free_port
from trace_api.cli import app as db_app
from trace_api.core.db import create_engine
from trace_api.exceptions import DatabaseUnavailableError, DatabaseURLError, MigrationError
from trace_api.migrate import head

EXAMPLE = Path(__file__).resolve().parents[2] / "trace_api" / "examples" / "master-data.json"


def _root() -> typer.Typer:
    root = typer.Typer()
    root.add_typer(db_app, name="db")

    @root.callback()
    def _callback() -> None:
        """Root."""

    return root


def _invoke(*args: str) -> tuple[int, str, BaseException | None]:
    result = CliRunner().invoke(_root(), list(args))
    return result.exit_code, result.output, result.exception


def _tables(url: str) -> set[str]:
    engine = create_engine(url)
    try:
        return set(sa.inspect(engine).get_table_names())
    finally:
        engine.dispose()


def test_upgrade_creates_then_reports_up_to_date(db_url: str) -> None:
    code, output, _ = _invoke("db", "upgrade", "--db", db_url)
    assert code == 0
    assert "created the schema in" in output and f"(revision {head()})" in output
    assert "event" in _tables(db_url)
    code, output, _ = _invoke("db", "upgrade", "--db", db_url)
    assert (code, "already at the newest revision" in output) == (0, True)


def test_upgrade_uses_foodtrace_db_from_the_environment(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    path = tmp_path / "from-env.db"
    monkeypatch.setenv("FOODTRACE_DB", f"sqlite:///{path}")
    code, _, _ = _invoke("db", "upgrade")
    assert code == 0
    assert "event" in _tables(f"sqlite:///{path}")


def test_bad_url_and_unreachable_server_fail(tmp_path: Path) -> None:
    code, _, error = _invoke("db", "upgrade", "--db", "mysql://u@h/db")
    assert code == 1
    assert isinstance(error, DatabaseURLError)
    code, _, error = _invoke(
        "db", "upgrade", "--db", f"postgresql://u:pw@127.0.0.1:{free_port()}/x"
    )
    assert code == 1
    assert isinstance(error, DatabaseUnavailableError)
    assert "pw" not in str(error).replace("pwd", "")


def test_load_master_needs_a_migrated_database_then_loads(db_url: str) -> None:
    code, _, error = _invoke("db", "load-master", str(EXAMPLE), "--db", db_url)
    assert code == 1
    assert isinstance(error, MigrationError)
    assert "foodtrace db upgrade" in str(error)
    assert _invoke("db", "upgrade", "--db", db_url)[0] == 0
    code, output, _ = _invoke("db", "load-master", str(EXAMPLE), "--db", db_url)
    assert code == 0
    assert "loaded 3 parties, 3 locations and 1 products" in output
