"""Scenario files: TOML format, EPC URNs encoded, refusals named."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from firmware_sim.exceptions import ScenarioError, SimulatorError
from firmware_sim.scenario import Fault, Scenario, TagSpec, epc_bytes, load_scenario

EXAMPLE = """
read_rate = 450
antennas = [1, 2]
miss_probability = 0.1
rssi_at_1m_dbm = -50
seed = 7

[[tag]]
epc = "urn:epc:id:sgtin:0614141.812345.6789"
antenna = 2
enter = 0.5
leave = 3.0
distance_m = 2.0

[[tag]]
epc = "E200301666130121155074EF"
temperature_c = 4.5
miss_probability = 0.0

[[fault]]
kind = "vanish"
at = 2.0
duration = 1.5

[[fault]]
kind = "garbage"
at = 1.0
count = 40
"""


def test_example_file(tmp_path: Path) -> None:
    path = tmp_path / "scenario.toml"
    path.write_text(EXAMPLE)
    scenario = load_scenario(path)
    assert scenario.read_rate == 450 and scenario.antennas == (1, 2) and scenario.seed == 7
    first, second = scenario.tags
    assert first.epc_hex == "3014257BF7194E4000001A85"  # the URN, SGTIN-96 filter 0
    assert (first.antenna, first.enter_s, first.leave_s, first.distance_m) == (2, 0.5, 3.0, 2.0)
    assert second.temperature_c == 4.5 and second.leave_s is None
    assert scenario.miss(first) == 0.1 and scenario.miss(second) == 0.0
    assert [f.kind for f in scenario.faults] == ["garbage", "vanish"]  # sorted by time
    assert scenario.rssi_dbm(first) == pytest.approx(-50 - 20 * 0.30103, abs=1e-3)


def test_presence_by_time_and_antenna() -> None:
    tag = TagSpec(bytes(12), antenna=2, enter_s=1.0, leave_s=2.0)
    scenario = Scenario(tags=(tag,), antennas=(1, 2))
    assert scenario.tags_on(2, 0.99) == []
    assert scenario.tags_on(2, 1.0) == [tag]
    assert scenario.tags_on(2, 2.0) == []
    assert scenario.tags_on(1, 1.5) == []
    assert Scenario(tags=(tag,), antennas=(1,)).tags_on(2, 1.5) == []  # not connected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("colour = 1", "unknown key(s) colour"),
        ("[[tag]]\nantenna = 1", "tag[0].epc is required"),
        ('[[tag]]\nepc = "XYZ"', "neither hex nor an EPC URN"),
        ('[[tag]]\nepc = "E2003016"\nwhere = 1', "tag[0]: unknown key(s) where"),
        ('[[tag]]\nepc = "E20030"', "whole 16-bit words"),
        ('[[tag]]\nepc = "urn:epc:id:sgtin:1.2.3"', "does not encode"),
        ('[[fault]]\nkind = "fire"\nat = 1', "fault[0].kind must be one of"),
        ('[[fault]]\nkind = "split"', "fault[0].at is required"),
        ("read_rate = 0", "read_rate must be a positive number"),
        ("miss_probability = 2", "probability must be 0..1"),
        ("seed = 1.5", "seed must be an integer"),
        ("read_rate = [", "not valid TOML"),
    ],
)
def test_refusals_name_the_entry(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(text)
    with pytest.raises(ScenarioError, match=re.escape(message)) as info:
        load_scenario(path)
    assert isinstance(info.value, SimulatorError) and str(path) in str(info.value)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ScenarioError, match="cannot read"):
        load_scenario(tmp_path / "none.toml")


def test_values_are_checked() -> None:
    with pytest.raises(ScenarioError):
        TagSpec(bytes(12), enter_s=2, leave_s=1)
    with pytest.raises(ScenarioError):
        Fault("corrupt", 1.0, count=0)
    assert epc_bytes("urn:epc:tag:sgtin-96:3.0614141.812345.6789").hex().upper() == (
        "3074257BF7194E4000001A85"
    )
