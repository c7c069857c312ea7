"""Station configuration: the example file loads, env overrides, bad configs are refused clearly."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from edge_agent.config import (
    CommissioningRole,
    PackingRole,
    ShippingRole,
    load_config,
    parse_timezone,
)
from edge_agent.exceptions import ConfigError
from tests.edge_agent.conftest import station_config

EXAMPLE = Path(__file__).parents[2] / "edge_agent" / "station.example.toml"

MINIMAL = """
[station]
id = "door-7"
site = "dc-north"
read_point = "urn:epc:id:sgln:4012345.00001.0"

[reader]
port = "socket://127.0.0.1:4001"
region = "fcc"

[role]
kind = "receiving"

[mqtt]
host = "127.0.0.1"
"""


@pytest.fixture(autouse=True)
def _no_station_env(monkeypatch: pytest.MonkeyPatch) -> None:
    import os

    for name in list(os.environ):
        if name.upper().startswith("FOODTRACE_EDGE__"):
            monkeypatch.delenv(name)


def write(tmp_path: Path, text: str, name: str = "station.toml") -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


def error_of(tmp_path: Path, text: str) -> str:
    with pytest.raises(ConfigError) as info:
        load_config(write(tmp_path, text))
    return str(info.value)


def test_example_file_is_complete_and_valid(tmp_path: Path) -> None:
    # The example points at absolute system paths; only these are rewritten for the test.
    password = tmp_path / "pw"
    password.write_text("s3cret\n")
    ca = tmp_path / "ca.pem"
    ca.write_text("not read until connect")
    text = EXAMPLE.read_text()
    text = text.replace("/etc/foodtrace/mqtt-password", str(password))
    text = text.replace("/etc/foodtrace/ca.pem", str(ca))
    config = load_config(write(tmp_path, text))
    assert config.station.id == "dock-door-3"
    assert isinstance(config.role, ShippingRole)
    assert config.role.destinations[0].type == "owning_party"
    assert config.role.antennas[2].biz_step == "staging_outbound"
    assert config.mqtt.password is not None
    assert config.mqtt.password.get_secret_value() == "s3cret"  # trailing newline stripped
    assert config.mqtt.tls is not None and config.mqtt.effective_port == 8883
    assert config.client_id == "dock-door-3"
    assert config.metrics.host == "127.0.0.1"


def test_minimal_file_gets_safe_defaults(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, MINIMAL))
    assert config.mqtt.username is None and config.mqtt.password is None
    assert config.mqtt.effective_port == 1883
    assert config.mqtt.protocol == "3.1.1"
    assert config.metrics.host == "127.0.0.1"
    assert config.outbox.path == tmp_path / "outbox.sqlite3"  # relative to the file
    assert config.reader.protocol == "r2000" and config.reader.baudrate == 115200
    assert config.filters.non_gs1 == "refuse"


def test_environment_overrides_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FOODTRACE_EDGE__MQTT__HOST", "localhost")
    monkeypatch.setenv("FOODTRACE_EDGE__MQTT__USERNAME", "door-7")
    monkeypatch.setenv("FOODTRACE_EDGE__MQTT__PASSWORD", "from-env")
    monkeypatch.setenv("FOODTRACE_EDGE__BATCH__MAX_EVENTS", "7")
    config = load_config(write(tmp_path, MINIMAL))
    assert config.mqtt.host == "localhost"
    assert config.mqtt.password is not None
    assert config.mqtt.password.get_secret_value() == "from-env"
    assert config.batch.max_events == 7
    assert config.station.site == "dc-north"  # the rest still comes from the file


def test_password_in_file_is_refused(tmp_path: Path) -> None:
    message = error_of(tmp_path, MINIMAL + 'username = "u"\npassword = "hunter2"\n')
    assert "mqtt.password must not be written in the configuration file" in message
    assert "hunter2" not in message


def test_username_without_password_is_refused(tmp_path: Path) -> None:
    message = error_of(tmp_path, MINIMAL + 'username = "door-7"\n')
    assert "no default password" in message


def test_password_over_plaintext_to_remote_broker_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FOODTRACE_EDGE__MQTT__PASSWORD", "pw")
    text = MINIMAL.replace('host = "127.0.0.1"', 'host = "broker.example.org"\nusername = "u"')
    message = error_of(tmp_path, text)
    assert "clear text" in message and "[mqtt.tls]" in message
    config = load_config(write(tmp_path, text + "allow_plaintext_password = true\n", "b.toml"))
    assert config.mqtt.allow_plaintext_password


def test_password_file_problems(tmp_path: Path) -> None:
    missing = MINIMAL + 'username = "u"\npassword_file = "nope.txt"\n'
    assert "cannot be read" in error_of(tmp_path, missing)
    (tmp_path / "empty.txt").write_text("\n")
    empty = MINIMAL + 'username = "u"\npassword_file = "empty.txt"\n'
    assert "is empty" in error_of(tmp_path, empty)


def test_tls_files_must_exist_and_pair(tmp_path: Path) -> None:
    message = error_of(tmp_path, MINIMAL + '[mqtt.tls]\ncert_file = "c.pem"\n')
    assert "cert_file and key_file go together" in message
    message = error_of(tmp_path, MINIMAL + '[mqtt.tls]\nca_file = "missing-ca.pem"\n')
    assert "does not exist" in message


def test_all_problems_are_reported_at_once_with_their_keys(tmp_path: Path) -> None:
    text = """
[station]
id = "Door 7"
site = "dc"
read_point = "urn:epc:id:sgln:4012345.1.0"
timezone = "Mars/Olympus"

[reader]
port = "/dev/ttyUSB0"
region = "etsi"
power_dbm = 40
antennas = [1, 1]

[role]
kind = "receiving"
bizstep = "receiving"

[mqtt]
host = "127.0.0.1"
port = 70000
"""
    message = error_of(tmp_path, text)
    assert "station.toml: invalid station configuration" in message
    for fragment in (
        "station.id:",
        "station.read_point:",
        "must have 5",
        "station.timezone: unknown timezone 'Mars/Olympus'",
        "reader.power_dbm:",
        "reader.antennas: antennas must not repeat",
        "role.receiving.bizstep: unknown key",
        "mqtt.port:",
        "(got 70000)",
    ):
        assert fragment in message, fragment


def test_missing_sections_and_bad_toml(tmp_path: Path) -> None:
    message = error_of(tmp_path, "[station]\nid = 'x'\n")
    for key in ("station.site: required", "reader: required", "role: required", "mqtt: required"):
        assert key in message
    assert "not valid TOML" in error_of(tmp_path, "[station\n")
    with pytest.raises(ConfigError, match="no such configuration file"):
        load_config(tmp_path / "absent.toml")


@pytest.mark.parametrize(
    ("role", "fragment"),
    [
        ({"kind": "shipping"}, "needs at least one destination"),
        ({"kind": "teleporting"}, "role: Input tag 'teleporting'"),
        ({"kind": "receiving", "disposition": "fresh"}, "not a CBV 2.0 standard term"),
        ({"kind": "commissioning"}, "role.commissioning.ilmd: required"),
        (
            {"kind": "commissioning", "ilmd": {"lot": "L1", "expiry_date": "31.12.2026"}},
            "dates are written YYYY-MM-DD",
        ),
        (
            {"kind": "commissioning", "ilmd": {"lot": "L1", "extra": {"weight": "1"}}},
            "must be 'cbvmda:…'",
        ),
        (
            {"kind": "commissioning", "ilmd": {"lot": "L1"}, "depart_biz_step": "departing"},
            "for ObjectEvent OBSERVE roles",
        ),
        ({"kind": "packing", "idle_close_s": 10, "max_window_s": 5}, "max_window_s must be"),
        (
            {"kind": "receiving", "antennas": {"3": {"biz_step": "arriving"}}},
            "antenna(s) [3] that reader.antennas",
        ),
        (
            {"kind": "receiving", "sources": [{"type": "owning_party", "id": "not a uri"}]},
            "absolute URI",
        ),
    ],
)
def test_bad_roles_are_refused(tmp_path: Path, role: dict[str, object], fragment: str) -> None:
    with pytest.raises(ConfigError) as info:
        station_config(tmp_path, role=role)
    assert fragment in str(info.value)


def test_cbv_terms_in_any_spelling_become_bare_words(tmp_path: Path) -> None:
    config = station_config(
        tmp_path,
        role={
            "kind": "receiving",
            "biz_step": "urn:epcglobal:cbv:bizstep:receiving",
            "disposition": "https://ref.gs1.org/cbv/Disp-in_progress",
        },
    )
    assert config.role.biz_step == "receiving"
    assert config.role.disposition == "in_progress"


def test_roles_parse_to_their_types(tmp_path: Path) -> None:
    config = station_config(
        tmp_path, role={"kind": "commissioning", "ilmd": {"lot": "L-1", "pack_date": "2026-06-01"}}
    )
    assert isinstance(config.role, CommissioningRole)
    assert config.role.ilmd.pack_date == "2026-06-01"
    packing = station_config(tmp_path, role={"kind": "packing"})
    assert isinstance(packing.role, PackingRole)
    assert packing.role.idle_close_s == 3.0


def test_filters_are_checked(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="uri_pattern is not a regular expression"):
        station_config(tmp_path, filters={"uri_pattern": "("})
    with pytest.raises(ConfigError, match=re.escape("filters.hex_prefixes.0")):
        station_config(tmp_path, filters={"hex_prefixes": ["3G"]})


@pytest.mark.parametrize(
    ("name", "instant", "offset"),
    [
        ("UTC", datetime(2026, 1, 1, tzinfo=UTC), timedelta(0)),
        ("+05:30", datetime(2026, 1, 1, tzinfo=UTC), timedelta(hours=5, minutes=30)),
        ("-03:00", datetime(2026, 1, 1, tzinfo=UTC), timedelta(hours=-3)),
        ("Europe/Berlin", datetime(2026, 1, 15, tzinfo=UTC), timedelta(hours=1)),
        ("Europe/Berlin", datetime(2026, 7, 15, tzinfo=UTC), timedelta(hours=2)),
    ],
)
def test_timezones(name: str, instant: datetime, offset: timedelta) -> None:
    assert instant.astimezone(parse_timezone(name)).utcoffset() == offset


def test_offset_out_of_range_is_refused() -> None:
    with pytest.raises(ValueError, match="outside"):
        parse_timezone("+15:00")
    assert parse_timezone("+14:00") == timezone(timedelta(hours=14))
