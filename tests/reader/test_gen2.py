"""Gen2 PC word and tag CRC-16."""

from __future__ import annotations

import pytest

from foodtrace.reader.gen2 import epc_length_from_pc, pc_for_epc, tag_crc16


def test_pc_word() -> None:
    assert pc_for_epc(12) == 0x3000
    assert pc_for_epc(4) == 0x1000
    assert pc_for_epc(0) == 0
    assert pc_for_epc(62, low_bits=0x7FF) == 0xFFFF
    assert epc_length_from_pc(0x3000) == 12
    assert epc_length_from_pc(0x34FF) == 12
    assert all(epc_length_from_pc(pc_for_epc(n)) == n for n in range(0, 63, 2))


@pytest.mark.parametrize(("length", "low"), [(3, 0), (64, 0), (-2, 0), (12, 0x800)])
def test_pc_word_refuses(length: int, low: int) -> None:
    with pytest.raises(ValueError, match=r"EPC length|low bits"):
        pc_for_epc(length, low_bits=low)


def test_tag_crc() -> None:
    assert tag_crc16(b"123456789") == 0xD64E  # CRC-16/GENIBUS check value
    # PC + EPC of two M6e Nano records (frames.json) and their stored CRC
    assert tag_crc16(bytes.fromhex("3000E2001026760E017915907125")) == 0x1985
    assert tag_crc16(bytes.fromhex("1000596F596F")) == 0xF313
