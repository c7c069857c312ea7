"""Hex-text captures."""

from __future__ import annotations

import pytest

from foodtrace.exceptions import CaptureFormatError
from foodtrace.reader.capture import parse_hex_capture


@pytest.mark.parametrize(
    "text",
    [
        "A0 04 01 89 01 D1",
        "a0040189 01d1",
        "0xA0,0x04,0x01,0x89,0x01,0xD1",
        "A0:04:01:89:01:D1\n",
        "  A0 04\r\n01 89\n\n01D1  ",
        b"A0 04 01 89 01 D1",
        "0XA0 0x04 0x0189 01D1",
    ],
)
def test_accepted_spellings(text: str | bytes) -> None:
    assert parse_hex_capture(text) == bytes.fromhex("A004018901D1")


def test_empty() -> None:
    assert parse_hex_capture("") == b""
    assert parse_hex_capture(" \n , : ") == b""


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("A0 4", r"line 1: '4' is not hex bytes"),
        ("A0\nzz", r"line 2: 'zz' is not hex bytes"),
        ("0x", r"'0x' is not hex bytes"),
        ("A0-04", r"'A0-04' is not hex bytes"),
        ("A0 0xG1", r"'0xG1' is not hex bytes"),
        (b"\xa0\x04", r"not ASCII text \(byte 0 is 0xa0\)"),
    ],
)
def test_refused(text: str | bytes, message: str) -> None:
    with pytest.raises(CaptureFormatError, match=message):
        parse_hex_capture(text)
