"""Mercury framing: building and splitting both directions, generic frames, precise errors."""

from __future__ import annotations

import pytest
from hypothesis import given, settings

from foodtrace.exceptions import FrameError
from foodtrace.reader.direction import Direction
from foodtrace.reader.mercury import (
    CommandFrame,
    GetVersion,
    KeepAlive,
    MercuryFraming,
    ResponseFrame,
    VersionInfo,
    build_command,
    build_response,
    split_command,
    split_response,
)
from foodtrace.reader.mercury.frame import generic
from foodtrace.reader.stream import BAD_CHECKSUM, NEED_MORE
from tests.reader.mercury.strategies import generic_commands, generic_responses


def test_build_matches_device_frames() -> None:
    assert build_command(0x03) == bytes.fromhex("FF00031D0C")
    assert build_response(0x22, 0x0400) == bytes.fromhex("FF0022040084E0")  # keep-alive
    assert build_command(0x97, b"\x0d") == bytes.fromhex("FF01970D4BB0")


def test_split() -> None:
    assert split_command(bytes.fromhex("FF01970D4BB0")) == (0x97, b"\x0d")
    assert split_response(bytes.fromhex("FF0022040084E0")) == (0x22, 0x0400, b"")


@pytest.mark.parametrize(
    ("hex_", "split", "message"),
    [
        ("FF0003", split_command, "command too short: 3 bytes"),
        ("FE00031D0C", split_command, "must start with 0xFF, got 0xfe"),
        ("FF01031D0C", split_command, "announces a 6-byte command, got 5 bytes"),
        ("FF00031D0D", split_command, "CRC mismatch: frame has 0x1d0d, computed 0x1d0c"),
        ("FF00031D0C", split_response, "reply too short: 5 bytes"),
        ("FF0022040084E1", split_response, "CRC mismatch"),
    ],
)
def test_split_names_the_problem(hex_: str, split: object, message: str) -> None:
    assert callable(split)
    with pytest.raises(FrameError, match=message):
        split(bytes.fromhex(hex_))


def test_data_limit() -> None:
    assert len(build_command(0x22, bytes(255))) == 260
    with pytest.raises(ValueError, match="at most 255 bytes"):
        build_command(0x22, bytes(256))
    with pytest.raises(ValueError, match="at most 255 bytes"):
        build_response(0x22, 0, bytes(256))


@settings(deadline=None, max_examples=150)
@given(generic_commands, generic_responses)
def test_generic_round_trips(command: CommandFrame, response: ResponseFrame) -> None:
    assert CommandFrame.decode(command.encode()) == command
    assert ResponseFrame.decode(response.encode()) == response
    assert generic(command.encode()) == command
    assert generic(response.encode()) == response


def test_typed_decode_checks_the_opcode() -> None:
    with pytest.raises(FrameError, match="VersionInfo has opcode 0x03, frame has 0x22"):
        VersionInfo.decode(bytes.fromhex("FF0022040084E0"))
    with pytest.raises(FrameError, match="GetVersion has opcode 0x03, frame has 0x97"):
        GetVersion.decode(bytes.fromhex("FF01970D4BB0"))
    assert KeepAlive.decode(bytes.fromhex("FF0022040084E0")) == KeepAlive(status=0x0400)


def test_framing_tells_direction_by_crc() -> None:
    command = build_command(0x97, b"\x0d")
    reply = build_response(0x22, 0x0400)
    either = MercuryFraming(generic, None)
    assert either.match(command, 0, len(command)) == len(command)
    assert either.match(reply, 0, len(reply)) == len(reply)
    assert either.match(reply, 0, 5) == NEED_MORE  # the command reading fails, wait for more
    replies_only = MercuryFraming(generic, Direction.READER_TO_HOST)
    assert replies_only.match(command + bytes(2), 0, len(command) + 2) == BAD_CHECKSUM
    commands_only = MercuryFraming(generic, Direction.HOST_TO_READER)
    assert commands_only.match(reply, 0, len(reply)) == BAD_CHECKSUM


def test_to_dict() -> None:
    assert ResponseFrame(0x6A, b"\x01\x0e\x00", status=0).to_dict() == {
        "type": "response_frame",
        "opcode": "0x6A",
        "opcode_name": "get_reader_optional_params",
        "direction": "reader->host",
        "status": "0x0000",
        "status_name": "success",
        "data": "010E00",
    }
    assert CommandFrame(0xEE).to_dict() == {
        "type": "command_frame",
        "opcode": "0xEE",
        "direction": "host->reader",
        "data": "",
    }
