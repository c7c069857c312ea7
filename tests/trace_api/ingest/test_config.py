"""Ingest settings: environment, CLI overrides, password sources (no default password)."""

from __future__ import annotations

from pathlib import Path

import pytest

from trace_api.exceptions import ConfigError
from trace_api.ingest.config import load_ingest_settings


def test_environment_then_overrides(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FOODTRACE_INGEST__HOST", "broker.example.org")
    monkeypatch.setenv("FOODTRACE_INGEST__PORT", "8883")
    monkeypatch.setenv("FOODTRACE_INGEST__PASSWORD", "from-env")
    monkeypatch.setenv("FOODTRACE_INGEST__SHARE_GROUP", "workers")
    settings = load_ingest_settings(port=1884, host=None)
    assert (settings.host, settings.port) == ("broker.example.org", 1884)
    assert settings.resolved_password() == "from-env"
    assert settings.subscription == "$share/workers/foodtrace/v1/+/+/events"
    assert "from-env" not in repr(settings)


def test_password_file_and_no_default(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("FOODTRACE_INGEST__PASSWORD", raising=False)
    with pytest.raises(ConfigError, match="no MQTT password"):
        load_ingest_settings().resolved_password()
    secret = tmp_path / "secret"
    secret.write_text("s3cret\nignored\n")
    assert load_ingest_settings(password_file=secret).resolved_password() == "s3cret"
    secret.write_text("")
    with pytest.raises(ConfigError, match="is empty"):
        load_ingest_settings(password_file=secret).resolved_password()
    with pytest.raises(ConfigError, match="cannot read password file"):
        load_ingest_settings(password_file=tmp_path / "missing").resolved_password()


def test_bad_values_are_one_config_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FOODTRACE_INGEST__PORT", "70000")
    with pytest.raises(ConfigError, match="ingest setting port"):
        load_ingest_settings()
