"""The R2000 checksum against the documented example and every golden frame."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from foodtrace.reader.r2000.checksum import checksum, frame_checksum_ok
from tests.reader.protocol_data import R2000_FRAMES, golden


def test_known_values() -> None:
    assert checksum(bytes.fromhex("A004018901")) == 0xD1  # edge.md §1.2, verified on a device
    assert checksum(bytes.fromhex("A0030172")) == 0xEA
    assert checksum(b"") == 0
    assert checksum(b"\x01") == 0xFF


@pytest.mark.parametrize("frame", golden(R2000_FRAMES), ids=lambda f: f["hex"])
def test_golden_frames_checksum_verdict(frame: dict[str, object]) -> None:
    raw = bytes.fromhex(str(frame["hex"]))
    assert frame_checksum_ok(raw) is frame["checksum_ok"]
    assert (checksum(raw[:-1]) == raw[-1]) is frame["checksum_ok"]


@settings(deadline=None, max_examples=200)
@given(st.binary(max_size=300))
def test_appended_checksum_always_verifies(data: bytes) -> None:
    assert frame_checksum_ok(data + bytes((checksum(data),)))
    # and any single-byte change breaks it
    if data:
        broken = bytes((data[0] ^ 0x01,)) + data[1:]
        assert not frame_checksum_ok(broken + bytes((checksum(data),)))
