"""deploy/systemd/: units that systemd accepts, hardened, running commands the CLI has."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.deploy.units import (
    INSTALLED,
    SYSTEMD,
    check_foodtrace_args,
    exec_args,
    unit_entries,
    values,
)

UNITS = sorted(p for p in SYSTEMD.iterdir() if p.suffix in (".service", ".target"))
SERVICES = [p for p in UNITS if p.suffix == ".service"]
SPECIFIERS = {"%d": "/run/credentials/x", "%H": "host", "%i": "1", "%S": "/var/lib"}
HARDENING = {
    "DynamicUser": "yes",
    "NoNewPrivileges": "yes",
    "ProtectSystem": "strict",
    "ProtectHome": "yes",
    "PrivateTmp": "yes",
    "ProtectKernelTunables": "yes",
    "ProtectKernelModules": "yes",
    "ProtectControlGroups": "yes",
    "RestrictSUIDSGID": "yes",
    "CapabilityBoundingSet": "",
    "SystemCallArchitectures": "native",
    "UMask": "0077",
}


def test_the_four_parts_have_units() -> None:
    names = {p.name for p in UNITS}
    assert {
        "foodtrace-edge@.service",
        "foodtrace-ingest@.service",
        "foodtrace-api.service",
        "foodtrace-analytics.service",
        "foodtrace-migrate.service",
        "foodtrace.target",
    } <= names


@pytest.mark.parametrize("unit", SERVICES, ids=lambda p: p.name)
def test_service_is_hardened(unit: Path) -> None:
    for key, expected in HARDENING.items():
        assert values(unit, "Service", key) == [expected], f"{unit.name}: {key}"
    families = values(unit, "Service", "RestrictAddressFamilies")
    assert families == ["AF_INET AF_INET6 AF_UNIX"], unit.name
    assert "@system-service" in values(unit, "Service", "SystemCallFilter")
    # passwords come as credentials or 0600 environment files, never in the unit
    entries = [item for section in unit_entries(unit).values() for item in section]
    for key, value in entries:
        if key == "Environment":
            assert "PASSWORD=" not in value.upper(), value


@pytest.mark.parametrize("unit", SERVICES, ids=lambda p: p.name)
def test_exec_start_is_a_command_the_cli_accepts(unit: Path) -> None:
    (line,) = values(unit, "Service", "ExecStart")
    args = exec_args(line, SPECIFIERS)
    assert args[0] == INSTALLED
    context = check_foodtrace_args(args[1:])
    if context is None:
        assert args[1] == "analytics", f"{unit.name}: unknown command {args[1:]}"
        pytest.skip("`foodtrace analytics stream` is not on this branch yet")


def test_edge_unit_reaches_only_serial_devices_and_keeps_its_outbox() -> None:
    unit = SYSTEMD / "foodtrace-edge@.service"
    assert values(unit, "Service", "DevicePolicy") == ["closed"]
    assert values(unit, "Service", "DeviceAllow") == ["char-ttyUSB rw", "char-ttyACM rw"]
    assert values(unit, "Service", "SupplementaryGroups") == ["dialout"]
    assert values(unit, "Service", "StateDirectory") == ["foodtrace-edge/%i"]


def test_other_services_see_no_devices() -> None:
    for unit in SERVICES:
        if unit.name != "foodtrace-edge@.service":
            assert values(unit, "Service", "PrivateDevices") == ["yes"], unit.name


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="systemd-analyze missing")
def test_systemd_analyze_verify_accepts_every_unit(tmp_path: Path) -> None:
    # The units name the installed path; point them at this environment's foodtrace, and give
    # the templates an instance, as systemd would.
    foodtrace = Path(sys.executable).parent / "foodtrace"
    assert foodtrace.exists()
    for unit in UNITS:
        name = unit.name.replace("@.", "@1.")
        (tmp_path / name).write_text(unit.read_text().replace(INSTALLED, str(foodtrace)))
    result = subprocess.run(
        ["systemd-analyze", "verify", *sorted(str(p) for p in tmp_path.iterdir())],
        capture_output=True,
        text=True,
        check=False,
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr == "", result.stderr  # no ignored key or value either
