"""Mercury code tables."""

from __future__ import annotations

from foodtrace.reader.mercury.codes import Opcode, Region, Status, opcode_name, status_name


def test_names() -> None:
    assert opcode_name(0x22) == "read_tag_id_multiple"
    assert opcode_name(0x2F) == "multi_protocol_tag_op"
    assert opcode_name(0xEE) is None
    assert status_name(0x0400) == "no_tags_found"
    assert status_name(0x0504) == "temperature_exceed_limits"
    assert status_name(0x0505) == "high_return_loss"
    assert status_name(0x1234) == "0x1234"


def test_values_fit_their_fields() -> None:
    assert all(0 <= code <= 0xFF for code in Opcode)
    assert all(0 <= code <= 0xFFFF for code in Status)
    assert all(0 <= code <= 0xFF for code in Region)
    assert int(Region.NA2) == 0x0D  # what the M6e Nano logs select (SparkFun: REGION_NORTHAMERICA)
