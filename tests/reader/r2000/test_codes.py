"""R2000 code tables."""

from __future__ import annotations

from foodtrace.reader.r2000.codes import BAUD_RATE_CODES, CommandCode, ErrorCode, error_name


def test_error_names() -> None:
    assert error_name(0x10) == "command_success"
    assert error_name(0x22) == "antenna_missing_error"
    assert error_name(0x36) == "no_tag_error"
    assert error_name(0x99) == "0x99"


def test_codes_fit_a_byte_and_match_v22() -> None:
    assert all(0 <= code <= 0xFF for code in [*CommandCode, *ErrorCode])
    assert int(CommandCode.REAL_TIME_INVENTORY) == 0x89
    assert int(CommandCode.FAST_SWITCH_ANT_INVENTORY) == 0x8A
    assert len(ErrorCode) == 42  # the 40 codes of V2.2 §3 plus 0x3C and 0xEE (V3)
    assert BAUD_RATE_CODES[0x04] == 115200
