"""The Mercury codec: golden frames, every frame of the 22 M6e Nano logs, directions."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest

from foodtrace.exceptions import FrameError, UnknownCommandError
from foodtrace.reader.direction import Direction
from foodtrace.reader.mercury import (
    CommandFrame,
    GetVersion,
    KeepAlive,
    MercuryCodec,
    ResponseFrame,
    SetRegion,
    StartContinuousRead,
    StopContinuousRead,
    TagData,
    TagRecord,
    VersionInfo,
    build_command,
    build_response,
    crc16,
    decode,
    decode_command,
    decode_response,
)
from foodtrace.reader.records import TagRead
from tests.reader.protocol_data import MERCURY_FRAMES, SPARKFUN_LOGS, golden, log_entries

DIRECTIONS = {"host->reader": Direction.HOST_TO_READER, "reader->host": Direction.READER_TO_HOST}

# What each decoded frame of frames.json means (from its "meaning" text).
EXPECTED_READS = {  # by EPC
    "E2001026760E017915907125": (
        TagRead("E2001026760E017915907125", 1, -54, 0x3000, 919_600, 0, 0x14A, 1),
        0x1985,
    ),
    "596F596F": (TagRead("596F596F", 1, -57, 0x1000, 919_600, 0, 0x152, 1), 0xF313),
}


@pytest.mark.parametrize("frame", golden(MERCURY_FRAMES), ids=lambda f: f["hex"][:24])
def test_golden_frame(frame: dict[str, Any]) -> None:
    raw = bytes.fromhex(frame["hex"])
    direction = DIRECTIONS[frame["direction"]]
    message = decode(raw, direction)
    assert decode(raw) == message
    assert message.DIRECTION is direction
    assert message.encode() == raw
    assert crc16(raw[1:-2]) == int.from_bytes(raw[-2:], "big")
    if raw[2] == 0x03:
        assert isinstance(message, GetVersion | VersionInfo)
    else:
        assert isinstance(message, TagRecord)
        read, tag_crc = EXPECTED_READS[message.tag.epc.hex().upper()]
        assert message.tag_read() == read
        assert message.tag.tag_crc == tag_crc
        assert message.tag.tag_crc_ok
        assert MercuryCodec.tag_reads(message) == (read,)


def test_keep_alive_pattern() -> None:
    """frames.json: "Len 0, opcode 0x22, status 0x0400"."""
    raw = build_response(0x22, 0x0400)
    assert decode_response(raw) == KeepAlive(status=0x0400)
    assert MercuryCodec.tag_reads(KeepAlive(status=0x0400)) == ()


def test_every_log_frame() -> None:
    """All CRC-valid frames of the 22 M6e Nano logs parse, each re-encodes to its bytes."""
    kinds: Counter[str] = Counter()
    totals: Counter[str] = Counter()
    entries = 0
    for path in SPARKFUN_LOGS:
        sent = MercuryCodec.command_parser()
        received = MercuryCodec.response_parser()
        for entry in log_entries(path):
            entries += 1
            parser = sent if entry.sending else received
            frames = parser.feed(entry.data)
            assert frames, f"{path.name}:{entry.line}: no frame"
            for frame in frames:
                kinds[type(frame).__name__] += 1
                assert frame.encode() in entry.data
                assert isinstance(frame, CommandFrame | ResponseFrame) or frame.DIRECTION is (
                    Direction.HOST_TO_READER if entry.sending else Direction.READER_TO_HOST
                )
        for parser in (sent, received):
            assert parser.flush() == []
            stats = parser.stats
            for name in ("frames", "bytes_in", "bytes_dropped", "checksum_errors"):
                totals[name] += getattr(stats, name)
            totals["generic"] += stats.unknown_frames
            assert stats.malformed_frames == 0
    assert entries == 3216
    # 3,216 entries + one entry that holds its frame twice; the only dropped bytes are the
    # 34 stray bytes of one entry and the truncated 4-byte copy at the end of another.
    assert totals["frames"] == 3217
    assert totals["bytes_in"] == 78_806
    assert totals["bytes_dropped"] == 38
    assert totals["checksum_errors"] == 2
    assert totals["generic"] == kinds["CommandFrame"] + kinds["ResponseFrame"] == 970
    assert kinds["TagRecord"] == 1302
    assert kinds["KeepAlive"] == 53
    assert kinds["TagBuffer"] == 25
    typed = totals["frames"] - totals["generic"]
    assert typed == 2247


def test_continuous_read_log_rate() -> None:
    """3-Ant_Select_Reading.txt: 1,122 streamed tag records (edge.md §5: 75 records/s)."""
    path = next(p for p in SPARKFUN_LOGS if p.name == "3-Ant_Select_Reading.txt")
    parser = MercuryCodec.response_parser()
    reads = [
        read
        for entry in log_entries(path)
        if not entry.sending
        for frame in parser.feed(entry.data)
        for read in MercuryCodec.tag_reads(frame)
    ]
    assert len(reads) == 1122
    assert {read.antenna for read in reads} == {1}
    assert len({read.epc for read in reads}) == 3
    assert all(-80 <= (read.rssi_dbm or 0) <= -30 for read in reads)


def test_direction_from_size() -> None:
    command = SetRegion(0x0D).encode()
    reply = KeepAlive(status=0x0400).encode()
    assert decode(command) == SetRegion(0x0D)
    assert decode(reply) == KeepAlive(status=0x0400)
    with pytest.raises(FrameError, match="fits neither a command"):
        decode(command + b"\x00")
    either = MercuryCodec.parser(None)
    assert either.feed(command + reply + StopContinuousRead().encode()) == [
        SetRegion(0x0D),
        KeepAlive(status=0x0400),
        StopContinuousRead(),
    ]


def test_unknown_opcodes_raise_and_stream_as_generic() -> None:
    command = build_command(0x6A, b"\x01\x0e")
    with pytest.raises(UnknownCommandError, match="get_reader_optional_params"):
        decode_command(command)
    assert MercuryCodec.decode_generic(command) == CommandFrame(0x6A, b"\x01\x0e")
    assert MercuryCodec.decode_generic(command, Direction.HOST_TO_READER) == CommandFrame(
        0x6A, b"\x01\x0e"
    )
    reply = build_response(0x6A, 0, b"\x01\x0e\x00")
    assert MercuryCodec.decode_generic(reply) == ResponseFrame(0x6A, b"\x01\x0e\x00")
    assert MercuryCodec.decode_generic(reply, Direction.READER_TO_HOST) == ResponseFrame(
        0x6A, b"\x01\x0e\x00"
    )
    parser = MercuryCodec.command_parser()
    assert parser.feed(command) == [CommandFrame(0x6A, b"\x01\x0e")]
    assert parser.stats.unknown_frames == 1


def test_bytearray_input_gives_immutable_values() -> None:
    record = TagRecord(TagData.gen2("300833B2DDD9014000000000"))
    for raw in (bytearray(record.encode()), memoryview(record.encode())):
        decoded = decode(raw)
        assert isinstance(decoded, TagRecord)
        assert type(decoded.tag.epc) is bytes
        assert decode_response(raw) == record
    command = bytearray(build_command(0x6A, b"\x01\x0e"))
    assert type(CommandFrame.decode(command).data) is bytes


def test_codec_both_ways() -> None:
    codec = MercuryCodec()
    assert codec.name == "mercury"
    start = StartContinuousRead()
    assert codec.decode_command(codec.encode_command(start)) == start
    record = TagRecord(TagData.gen2("300833B2DDD9014000000000"))
    assert codec.decode_response(codec.encode_response(record)) == record
    assert codec.decode(codec.encode_response(record), Direction.READER_TO_HOST) == record
    assert codec.decode(codec.encode_command(start), Direction.HOST_TO_READER) == start
    with pytest.raises(TypeError, match="not a Mercury command"):
        codec.encode_command(record)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="not a Mercury reply"):
        codec.encode_response(start)  # type: ignore[arg-type]
