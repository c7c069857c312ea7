"""The ThingMagic message CRC: check value, the bitwise definition, real frames."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from foodtrace.reader.mercury.crc import _crc_bitwise, crc16
from tests.reader.protocol_data import MERCURY_FRAMES, golden


def test_check_value() -> None:
    assert crc16(b"123456789") == 0xA69D  # CRC-16/CCITT-FALSE would be 0x29B1
    assert crc16(b"123456789") != 0x29B1


def test_real_frames() -> None:
    assert crc16(bytes.fromhex("0003")) == 0x1D0C  # FF 00 03 1D 0C, the Version command
    for frame in golden(MERCURY_FRAMES):
        raw = bytes.fromhex(frame["hex"])
        assert crc16(raw[1:-2]) == int.from_bytes(raw[-2:], "big")


@settings(deadline=None, max_examples=300)
@given(st.binary(max_size=300))
def test_fast_form_equals_the_bitwise_definition(data: bytes) -> None:
    assert crc16(data) == _crc_bitwise(data)
