"""Settings: environment over TOML file over defaults; default SQLite file in the data dir."""

from __future__ import annotations

from pathlib import Path

import pytest

from trace_api.core.config import default_database_url, load_settings
from trace_api.core.paths import config_dir, data_dir
from trace_api.exceptions import ConfigError


@pytest.fixture(autouse=True)
def _isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    for name in ("FOODTRACE_DB", "FOODTRACE_CONFIG", "FOODTRACE_DB_ECHO"):
        monkeypatch.delenv(name, raising=False)


def test_default_is_a_sqlite_file_in_the_data_dir(tmp_path: Path) -> None:
    assert load_settings().db == f"sqlite:///{tmp_path / 'data' / 'foodtrace' / 'foodtrace.db'}"
    assert default_database_url() == load_settings().db


def test_xdg_dirs_fall_back_to_home_when_unset_or_relative(tmp_path: Path) -> None:
    environ = {"XDG_DATA_HOME": "relative/dir"}
    assert data_dir(environ) == Path.home() / ".local" / "share" / "foodtrace"
    assert config_dir({}) == Path.home() / ".config" / "foodtrace"


def test_environment_beats_the_file(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    config = tmp_path / "config" / "foodtrace" / "config.toml"
    config.parent.mkdir(parents=True)
    config.write_text('db = "postgresql://ft@db/from-file"\ndb_echo = true\n')
    settings = load_settings()
    assert (settings.db, settings.db_echo) == ("postgresql://ft@db/from-file", True)
    monkeypatch.setenv("FOODTRACE_DB", "sqlite:///from-env.db")
    assert load_settings().db == "sqlite:///from-env.db"


def test_explicit_config_file(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    config = tmp_path / "elsewhere.toml"
    config.write_text('db = "sqlite:///elsewhere.db"\n')
    monkeypatch.setenv("FOODTRACE_CONFIG", str(config))
    assert load_settings().db == "sqlite:///elsewhere.db"


def test_bad_file_and_bad_value_are_config_errors(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    config = tmp_path / "bad.toml"
    config.write_text("db = \n")
    monkeypatch.setenv("FOODTRACE_CONFIG", str(config))
    with pytest.raises(ConfigError, match="not valid TOML"):
        load_settings()
    config.write_text("db_busy_timeout_ms = -1\n")
    with pytest.raises(ConfigError, match="db_busy_timeout_ms"):
        load_settings()
