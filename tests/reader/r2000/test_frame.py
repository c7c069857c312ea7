"""R2000 framing: building and splitting frames, the generic frame, precise errors."""

from __future__ import annotations

import pytest
from hypothesis import given, settings

from foodtrace.exceptions import FrameError
from foodtrace.reader.r2000 import (
    Frame,
    GetFirmwareVersion,
    R2000Framing,
    SetWorkAntenna,
    build_frame,
    split_frame,
)
from foodtrace.reader.stream import BAD_CHECKSUM, BAD_LENGTH, NEED_MORE
from tests.reader.r2000.strategies import generic_frames


def test_build_frame_matches_a_device_frame() -> None:
    assert build_frame(0x01, 0x89, b"\x01") == bytes.fromhex("A004018901D1")
    assert build_frame(0x01, 0x72) == bytes.fromhex("A0030172EA")


def test_split_frame_returns_parts() -> None:
    assert split_frame(bytes.fromhex("A00501720109DE")) == (0x01, 0x72, b"\x01\x09")


@pytest.mark.parametrize(
    ("hex_", "message"),
    [
        ("A00301", "too short: 3 bytes"),
        ("A1030172EA", "must start with 0xA0, got 0xa1"),
        ("A002017200", "length byte 0x02 is below the minimum"),
        ("A004017200", "announces a 6-byte frame, got 5 bytes"),
        ("A0030172EB", "checksum mismatch: frame has 0xeb, computed 0xea"),
        ("A00A018900001D00000001BC", "frame has 0xbc, computed 0xae"),
    ],
)
def test_split_frame_names_the_problem(hex_: str, message: str) -> None:
    with pytest.raises(FrameError, match=message):
        split_frame(bytes.fromhex(hex_))


def test_build_frame_refuses_oversized_data() -> None:
    build_frame(0, 0x89, bytes(252))
    with pytest.raises(ValueError, match="at most 252 bytes"):
        build_frame(0, 0x89, bytes(253))


@settings(deadline=None, max_examples=150)
@given(generic_frames)
def test_generic_frame_round_trip(frame: Frame) -> None:
    raw = frame.encode()
    assert len(raw) == raw[1] + 2
    assert Frame.decode(raw) == frame
    assert Frame.from_raw(raw) == frame
    assert R2000Framing.match(raw, 0, len(raw)) == len(raw)


def test_generic_frame_validates_its_fields() -> None:
    with pytest.raises(ValueError, match=r"command must be 0\.\.255"):
        Frame(0x100)
    with pytest.raises(ValueError, match=r"address must be 0\.\.255"):
        Frame(0x89, address=-1)
    with pytest.raises(ValueError, match="at most 252 bytes"):
        Frame(0x89, bytes(253))


def test_typed_decode_refuses_another_command() -> None:
    with pytest.raises(FrameError, match=r"SetWorkAntenna has command 0x74, frame has 0x72"):
        SetWorkAntenna.decode(bytes.fromhex("A0030172EA"))
    assert GetFirmwareVersion.decode(bytes.fromhex("A0030172EA")) == GetFirmwareVersion(address=1)


def test_framing_match_results() -> None:
    good = bytes.fromhex("A004018901D1")
    assert R2000Framing.match(good, 0, 6) == 6
    assert R2000Framing.match(good, 0, 1) == NEED_MORE
    assert R2000Framing.match(good, 0, 5) == NEED_MORE
    assert R2000Framing.match(bytes.fromhex("A002010000"), 0, 5) == BAD_LENGTH
    assert R2000Framing.match(bytes.fromhex("A004018901D2"), 0, 6) == BAD_CHECKSUM


def test_to_dict() -> None:
    assert Frame(0x60, b"\x01\x00", address=2).to_dict() == {
        "type": "frame",
        "command": "0x60",
        "command_name": "read_gpio_value",
        "address": 2,
        "data": "0100",
    }
    assert Frame(0xEE).to_dict()["command"] == "0xEE"
    assert "command_name" not in Frame(0xEE).to_dict()
