"""RSSI value ↔ dBm against the V2.2 reference table."""

from __future__ import annotations

import pytest

from foodtrace.reader.r2000.rssi import rssi_dbm, rssi_raw

# Rows of the IND903 V2.2 §5 table (0x41 is printed as −55 dBm there: a typo for −65).
TABLE = {0x62: -31, 0x5B: -38, 0x5A: -39, 0x59: -41, 0x50: -50, 0x45: -61, 0x42: -64,
         0x41: -65, 0x40: -66, 0x2B: -87, 0x20: -98, 0x1F: -99}  # fmt: skip


@pytest.mark.parametrize(("raw", "dbm"), sorted(TABLE.items()))
def test_reference_table(raw: int, dbm: int) -> None:
    assert rssi_dbm(raw) == dbm
    assert rssi_raw(dbm) == raw


def test_full_range_round_trips() -> None:
    for raw in range(128):
        assert rssi_raw(rssi_dbm(raw)) == raw
    assert rssi_raw(-40) == 0x5A  # the table skips -40 dBm; the nearer-to-zero value is used


@pytest.mark.parametrize("raw", [-1, 128, 255])
def test_out_of_range_value(raw: int) -> None:
    with pytest.raises(ValueError, match=r"0\.\.127"):
        rssi_dbm(raw)


@pytest.mark.parametrize("dbm", [-131, -1, 0, 10])
def test_out_of_range_dbm(dbm: int) -> None:
    with pytest.raises(ValueError, match="outside the R2000 RSSI range"):
        rssi_raw(dbm)
