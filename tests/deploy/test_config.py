"""deploy/config/: the example files load with the real settings classes, as the units set them."""

from __future__ import annotations

from pathlib import Path

import pytest

from analytics.warnings.settings import PublishSettings
from edge_agent.config import load_config
from tests.deploy.units import DEPLOY, SYSTEMD, values
from trace_api.core.config import load_settings
from trace_api.ingest.config import load_ingest_settings

CONFIG = DEPLOY / "config"


def env_file(path: Path) -> dict[str, str]:
    pairs = {}
    for line in path.read_text().splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            key, _, value = line.partition("=")
            pairs[key] = value
    return pairs


def test_service_env_file_is_read_by_the_ingest_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    pairs = env_file(CONFIG / "foodtrace.env")
    assert not [k for k in pairs if "PASSWORD" in k and not k.endswith("_FILE")]
    for key, value in pairs.items():
        monkeypatch.setenv(key, value)
    monkeypatch.setenv("FOODTRACE_CONFIG", str(CONFIG / "config.toml"))
    monkeypatch.setenv("FOODTRACE_DB", "postgresql://foodtrace:x@127.0.0.1/foodtrace")
    ingest = load_ingest_settings()
    assert (ingest.host, ingest.port, ingest.username) == ("127.0.0.1", 1883, "foodtrace-ingest")
    assert ingest.batch_events == int(pairs["FOODTRACE_INGEST__BATCH_EVENTS"])
    settings = load_settings()
    assert settings.db.startswith("postgresql://")
    assert settings.db_busy_timeout_ms == 5000
    warnings = PublishSettings()
    assert (warnings.host, warnings.username) == ("127.0.0.1", "foodtrace-analytics")


def test_station_example_loads_as_the_edge_unit_runs_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    credentials, state = tmp_path / "credentials", tmp_path / "state"
    credentials.mkdir()
    (credentials / "mqtt-password").write_text("generated\n")
    ca = tmp_path / "ca.pem"
    ca.write_text("-----BEGIN CERTIFICATE-----\n")
    station = tmp_path / "dock-door-3.toml"
    station.write_text(
        (CONFIG / "station.toml").read_text().replace("/etc/foodtrace/ca.pem", str(ca))
    )
    unit = SYSTEMD / "foodtrace-edge@.service"
    for assignment in values(unit, "Service", "Environment"):
        key, _, value = assignment.partition("=")
        value = value.replace("%d", str(credentials)).replace("%S", str(state))
        monkeypatch.setenv(key, value.replace("%i", "dock-door-3"))
    config = load_config(station)
    assert config.station.id == "dock-door-3"
    assert config.mqtt.username == config.station.id  # the broker ACL needs this
    assert config.mqtt.password is not None
    assert config.mqtt.password.get_secret_value() == "generated"
    assert config.outbox.path == state / "foodtrace-edge" / "dock-door-3" / "outbox.sqlite3"
    assert config.logging.format == "json"
    assert config.metrics.host == "127.0.0.1"
