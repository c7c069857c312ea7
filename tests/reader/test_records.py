"""TagRead: the protocol-independent tag observation."""

from __future__ import annotations

import dataclasses

import pytest

from foodtrace.reader.records import TagRead


def test_to_dict_leaves_out_unreported_fields() -> None:
    assert TagRead("E200").to_dict() == {"epc": "E200"}
    full = TagRead("E200", 1, -54, 0x3000, 919_600, 12, 330, 2)
    assert full.to_dict() == {
        "epc": "E200",
        "antenna": 1,
        "rssi_dbm": -54,
        "pc": 0x3000,
        "frequency_khz": 919_600,
        "phase": 12,
        "timestamp_ms": 330,
        "read_count": 2,
    }
    assert TagRead("E200", phase=0).to_dict() == {"epc": "E200", "phase": 0}


def test_immutable_value() -> None:
    read = TagRead("E200", 1)
    with pytest.raises(dataclasses.FrozenInstanceError):
        read.antenna = 2  # type: ignore[misc]
    assert read == TagRead("E200", antenna=1)
    assert len({read, TagRead("E200", antenna=1)}) == 1
    assert not hasattr(read, "__dict__")
