"""The R2000 codec: the golden frames, both directions, unknown commands, stream parsers."""

from __future__ import annotations

from typing import Any

import pytest

from foodtrace.exceptions import FrameError, UnknownCommandError
from foodtrace.reader.direction import Direction
from foodtrace.reader.r2000 import (
    ErrorCode,
    Frame,
    FrequencyRegion,
    GetFirmwareVersion,
    InventoryRoundEnd,
    InventoryTag,
    Message,
    R2000Codec,
    RealTimeInventory,
    Region,
    SetWorkAntenna,
    StatusResponse,
    UserDefinedChannels,
    build_frame,
    decode,
    decode_command,
    decode_response,
)
from foodtrace.reader.r2000.responses import FirmwareVersion
from tests.reader.protocol_data import R2000_FRAMES, golden

EPC = bytes.fromhex("E200301666130121155074EF")

# What each frame of frames.json means, as a value (from its "meaning" text).
EXPECTED: dict[str, Message | None] = {
    "A0030172EA": GetFirmwareVersion(address=1),
    "A00501720109DE": FirmwareVersion(1, 9, address=1),
    "A004017400E7": SetWorkAntenna(1, address=1),
    "A004017410D7": StatusResponse(0x74, ErrorCode.COMMAND_SUCCESS, address=1),
    "A004018901D1": RealTimeInventory(1, address=1),
    "A0130189043000E200301666130121155074EF45BF": InventoryTag(EPC, 0x3000, 1, 1, 0x45, address=1),
    "A00A018900001D00000001BC": None,  # wrong checksum upstream: negative
    "A00801890100000001CC": InventoryRoundEnd(2, 1, None, address=1),
    "A004018911BD": None,  # wrong checksum upstream: negative
}
DIRECTIONS = {"host->reader": Direction.HOST_TO_READER, "reader->host": Direction.READER_TO_HOST}


def test_expectations_cover_the_file() -> None:
    assert {frame["hex"] for frame in golden(R2000_FRAMES)} == set(EXPECTED)


@pytest.mark.parametrize("frame", golden(R2000_FRAMES), ids=lambda f: f["hex"])
def test_golden_frame(frame: dict[str, Any]) -> None:
    raw = bytes.fromhex(frame["hex"])
    direction = DIRECTIONS[frame["direction"]]
    expected = EXPECTED[frame["hex"]]
    if expected is None:
        assert frame["checksum_ok"] is False
        with pytest.raises(FrameError, match="checksum mismatch"):
            decode(raw, direction)
        parser = R2000Codec.parser(direction)
        assert parser.feed(raw) == []
        assert parser.stats.checksum_errors == 1
        return
    assert decode(raw, direction) == expected
    assert decode(raw) == expected  # without a direction: the reply reading, then the command
    assert expected.DIRECTION is direction
    assert expected.encode() == raw
    assert R2000Codec.parser(direction).feed(raw) == [expected]


def test_v3_round_end_with_read_rate() -> None:
    raw = bytes.fromhex("A00A0189000011000000 05B6".replace(" ", ""))  # edge.md §1.2
    assert decode_response(raw) == InventoryRoundEnd(1, 5, 17, address=1)


def test_direction_decides_ambiguous_frames() -> None:
    raw = build_frame(1, 0x89, b"\x11")  # repeat 17 rounds, or error 0x11 command_fail
    assert decode_command(raw) == RealTimeInventory(0x11, address=1)
    assert decode_response(raw) == StatusResponse(0x89, 0x11, address=1)
    assert decode(raw) == StatusResponse(0x89, 0x11, address=1)
    assert decode(bytes.fromhex("A004018901D1")) == RealTimeInventory(1, address=1)


def test_unknown_commands() -> None:
    gpio = build_frame(1, 0x60, b"\x01\x00")  # read GPIO reply: known code, reply not modelled
    with pytest.raises(UnknownCommandError, match=r"0x60 \(read_gpio_value\) with 2 data bytes"):
        decode_response(gpio)
    with pytest.raises(UnknownCommandError, match=r"command 0xee \(unknown command\)"):
        decode_command(build_frame(1, 0xEE))
    with pytest.raises(UnknownCommandError):
        decode(build_frame(1, 0xEE, b"\x01\x02"))
    assert R2000Codec.decode_generic(gpio) == Frame(0x60, b"\x01\x00", address=1)


def test_one_byte_value_replies_are_not_statuses() -> None:
    # 0x95 (get buffer frame interval) answers a value that may equal a status code
    with pytest.raises(UnknownCommandError):
        decode_response(build_frame(1, 0x95, b"\x10"))
    assert decode_response(build_frame(1, 0x93, b"\x10")) == StatusResponse(0x93, 0x10, address=1)


def test_decode_rejects_bad_frames_with_frame_error() -> None:
    with pytest.raises(FrameError, match="checksum mismatch"):
        decode(bytes.fromhex("A004018901D2"))
    with pytest.raises(FrameError, match="too short"):
        decode_command(b"\xa0\x03")


def test_codec_both_ways() -> None:
    codec = R2000Codec()
    assert codec.name == "r2000"
    command = RealTimeInventory(0xFF, address=2)
    assert codec.decode_command(codec.encode_command(command)) == command
    reply = FrequencyRegion(Region.ETSI, 0, 6, address=2)
    assert codec.decode_response(codec.encode_response(reply)) == reply
    with pytest.raises(TypeError, match="not an R2000 command"):
        codec.encode_command(reply)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="not an R2000 reply"):
        codec.encode_response(command)  # type: ignore[arg-type]


def test_tag_reads_use_the_codec_channels() -> None:
    tag = InventoryTag.from_epc(EPC, frequency_index=2, rssi_dbm=-70)
    assert R2000Codec().tag_reads(tag)[0].frequency_khz == 866_000
    user = R2000Codec(UserDefinedChannels(920_000, 250 * 2, 4))
    assert user.tag_reads(tag)[0].frequency_khz == 921_000
    assert R2000Codec().tag_reads(RealTimeInventory()) == ()


def test_parsers_by_direction() -> None:
    stream = RealTimeInventory(1, address=1).encode() + SetWorkAntenna(2, address=1).encode()
    assert R2000Codec.command_parser().feed(stream) == [
        RealTimeInventory(1, address=1),
        SetWorkAntenna(2, address=1),
    ]
    replies = R2000Codec.response_parser()
    # read as replies: the 0x89 byte 0x01 is no status code, 0x74 with 0x01 neither
    assert replies.feed(stream) == [
        Frame(0x89, b"\x01", address=1),
        Frame(0x74, b"\x01", address=1),
    ]
    assert (replies.stats.malformed_frames, replies.stats.unknown_frames) == (2, 0)
    unknown = R2000Codec.response_parser()
    assert unknown.feed(build_frame(1, 0xEE, b"\x01")) == [Frame(0xEE, b"\x01", address=1)]
    assert (unknown.stats.malformed_frames, unknown.stats.unknown_frames) == (0, 1)
    either = R2000Codec.parser(None)
    assert either.feed(stream) == [RealTimeInventory(1, address=1), SetWorkAntenna(2, address=1)]
