"""The resynchronising stream parser, with both protocols' framing rules.

Deterministic cases first (splits at every byte, garbage, corrupted checksum and length bytes,
truncated tails, the buffer bound), then Hypothesis fuzzing of valid streams damaged by byte
flips, insertions and deletions.
"""

from __future__ import annotations

import itertools
import random
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from foodtrace.reader.direction import Direction
from foodtrace.reader.mercury import KeepAlive, MercuryCodec, TagData, TagRecord
from foodtrace.reader.mercury.crc import crc16
from foodtrace.reader.r2000 import (
    Frame,
    InventoryRoundEnd,
    InventoryTag,
    R2000Codec,
    StatusResponse,
    frame_checksum_ok,
)
from foodtrace.reader.stream import ParserStats, StreamParser
from tests.reader.mercury import strategies as mercury_st
from tests.reader.r2000 import strategies as r2000_st


def _mercury_crc_ok(raw: bytes) -> bool:
    return raw[0] == 0xFF and crc16(raw[1:-2]) == int.from_bytes(raw[-2:], "big")


@dataclass(frozen=True)
class Proto:
    name: str
    parser: Callable[[], StreamParser[Any]]
    frames: st.SearchStrategy[bytes]
    checksum_ok: Callable[[bytes], bool]
    start: int


def _r2000_any() -> StreamParser[Any]:
    return R2000Codec.parser(None)


def _mercury_any() -> StreamParser[Any]:
    return MercuryCodec.parser(None)


PROTOS = [
    Proto(
        "r2000",
        R2000Codec.response_parser,
        (r2000_st.responses | r2000_st.generic_frames).map(lambda m: m.encode()),
        frame_checksum_ok,
        0xA0,
    ),
    Proto(
        "r2000-either",
        _r2000_any,
        (r2000_st.responses | r2000_st.commands | r2000_st.generic_frames).map(
            lambda m: m.encode()
        ),
        frame_checksum_ok,
        0xA0,
    ),
    Proto(
        "mercury",
        MercuryCodec.response_parser,
        (mercury_st.responses | mercury_st.generic_responses).map(lambda m: m.encode()),
        _mercury_crc_ok,
        0xFF,
    ),
    Proto(
        "mercury-either",
        _mercury_any,
        (mercury_st.responses | mercury_st.commands | mercury_st.generic_commands).map(
            lambda m: m.encode()
        ),
        _mercury_crc_ok,
        0xFF,
    ),
]
IDS = [proto.name for proto in PROTOS]

EPC = bytes.fromhex("E200301666130121155074EF")
R2000_GOOD = [
    InventoryTag.from_epc(EPC, antenna=2, rssi_dbm=-55, frequency_index=20, address=1),
    InventoryTag.from_epc(bytes(range(0xA0, 0xAC)), antenna=1, rssi_dbm=-70, address=1),
    StatusResponse(0x74, 0x10, address=1),
    InventoryRoundEnd(1, 2, 17, address=1),
]
MERCURY_GOOD = [
    TagRecord(TagData.gen2(EPC, rssi_dbm=-54, timestamp_ms=10)),
    KeepAlive(status=0x0400),
    TagRecord(TagData.gen2(bytes([0xFF] * 12), rssi_dbm=-60, timestamp_ms=20)),
]
CASES = [
    pytest.param(R2000Codec.response_parser, R2000_GOOD, id="r2000"),
    pytest.param(MercuryCodec.response_parser, MERCURY_GOOD, id="mercury"),
]


def _drain(parser: StreamParser[Any], chunks: list[bytes]) -> list[Any]:
    out: list[Any] = []
    for chunk in chunks:
        out += parser.feed(chunk)
    return out + parser.flush()


def _accounted(stats: ParserStats, frames: list[Any]) -> bool:
    emitted = sum(len(frame.encode()) for frame in frames)
    return stats.bytes_in == stats.bytes_dropped + emitted + stats.buffered


@pytest.mark.parametrize(("make", "good"), CASES)
def test_split_at_every_byte_boundary(
    make: Callable[[], StreamParser[Any]], good: list[Any]
) -> None:
    stream = b"".join(frame.encode() for frame in good)
    for cut in range(len(stream) + 1):
        parser = make()
        assert parser.feed(stream[:cut]) + parser.feed(stream[cut:]) == good
        assert parser.stats.bytes_dropped == 0
    parser = make()
    assert [f for i in range(len(stream)) for f in parser.feed(stream[i : i + 1])] == good
    assert parser.stats == ParserStats(frames=len(good), bytes_in=len(stream))


@pytest.mark.parametrize(("make", "good"), CASES)
def test_many_frames_per_chunk(make: Callable[[], StreamParser[Any]], good: list[Any]) -> None:
    stream = b"".join(frame.encode() for frame in good) * 50
    parser = make()
    assert parser.feed(stream) == good * 50
    assert parser.stats.frames == 50 * len(good)


@pytest.mark.parametrize(("make", "good"), CASES)
def test_garbage_between_frames(make: Callable[[], StreamParser[Any]], good: list[Any]) -> None:
    garbage = [b"\x00\x01", b"\xa0\xff\xa0", b"\xff\x05\xff", bytes(range(256))]
    stream = b"".join(g + frame.encode() for g, frame in zip(garbage, good, strict=False))
    parser = make()
    frames = _drain(parser, [stream])
    assert frames == good[: len(garbage)]
    assert _accounted(parser.stats, frames)
    assert parser.stats.bytes_dropped == sum(map(len, garbage[: len(good)]))


@pytest.mark.parametrize(("make", "good"), CASES)
def test_corrupted_checksum(make: Callable[[], StreamParser[Any]], good: list[Any]) -> None:
    bad = bytearray(good[0].encode())
    bad[-1] ^= 0x5A
    parser = make()
    frames = parser.feed(bytes(bad) + b"".join(frame.encode() for frame in good[1:]))
    assert frames == good[1:]  # the damaged frame is never emitted
    assert parser.stats.checksum_errors >= 1
    assert _accounted(parser.stats, frames)


@pytest.mark.parametrize(("make", "good"), CASES)
@pytest.mark.parametrize("length", [0x00, 0x01, 0x05, 0x40, 0xFF])
def test_corrupted_length_byte(
    make: Callable[[], StreamParser[Any]], good: list[Any], length: int
) -> None:
    bad = bytearray(good[0].encode())
    if bad[1] == length:
        return
    bad[1] = length
    tail = b"".join(frame.encode() for frame in good[1:])
    parser = make()
    frames = parser.feed(bytes(bad) + tail)
    frames += parser.flush()  # a long announced length waits for bytes until the line is idle
    assert frames == good[1:]
    assert _accounted(parser.stats, frames)
    # with enough bytes behind it, the bad frame is refused without waiting for a flush
    parser = make()
    assert parser.feed(bytes(bad) + tail * 12)[-1] == good[-1]


@pytest.mark.parametrize(("make", "good"), CASES)
def test_truncated_tail(make: Callable[[], StreamParser[Any]], good: list[Any]) -> None:
    whole = good[0].encode()
    parser = make()
    assert parser.feed(whole + whole[:-3]) == [good[0]]
    assert parser.stats.buffered == len(whole) - 3
    assert parser.flush() == []
    stats = parser.stats
    assert (stats.buffered, stats.bytes_dropped) == (0, len(whole) - 3)
    assert parser.feed(whole) == [good[0]]  # nothing stale left behind


@pytest.mark.parametrize(("make", "good"), CASES)
def test_offsets_and_reset(make: Callable[[], StreamParser[Any]], good: list[Any]) -> None:
    a, b = good[0].encode(), good[1].encode()
    parser = make()
    assert parser.feed_with_offsets(b"\x00" + a + b[:2]) == [(1, good[0])]
    assert parser.feed_with_offsets(b[2:] + b"\x00\x00") == [(1 + len(a), good[1])]
    parser.feed(a[:4])
    parser.reset()
    assert parser.stats.buffered == 0
    assert parser.flush_with_offsets() == []
    assert parser.feed_with_offsets(a) == [(1 + len(a) + len(b) + 2 + 4, good[0])]


@pytest.mark.parametrize("proto", PROTOS, ids=IDS)
def test_buffer_is_bounded(proto: Proto) -> None:
    rng = random.Random(7)
    parser = proto.parser()
    limit = parser.framing.max_frame_size
    noise = bytes(rng.choice([proto.start, rng.randrange(256)]) for _ in range(200_000))
    frames = []
    for i in range(0, len(noise), 4096):
        frames += parser.feed(noise[i : i + 4096])
        assert parser.stats.buffered < limit
    frames += parser.flush()
    assert all(proto.checksum_ok(frame.encode()) for frame in frames)
    assert _accounted(parser.stats, frames)


# --- Hypothesis: damaged valid streams ------------------------------------------------------

Origin = tuple[int, int] | None  # (frame number, byte index) or None for garbage / damage


@st.composite
def damaged_streams(
    draw: st.DrawFn, proto: Proto
) -> tuple[list[tuple[int, Origin]], list[bytes], list[int]]:
    frames = draw(st.lists(proto.frames, min_size=1, max_size=12))
    cells: list[tuple[int, Origin]] = []
    for number, raw in enumerate(frames):
        if draw(st.booleans()):
            garbage = draw(st.binary(max_size=6) | st.just(bytes([proto.start, 0x03])))
            cells += [(b, None) for b in garbage]
        cells += [(b, (number, i)) for i, b in enumerate(raw)]
    for _ in range(draw(st.integers(0, 4))):
        if not cells:
            break
        at = draw(st.integers(0, len(cells) - 1))
        kind = draw(st.sampled_from(["flip", "insert", "delete"]))
        if kind == "flip":
            cells[at] = (cells[at][0] ^ draw(st.integers(1, 255)), None)
        elif kind == "insert":
            extra = draw(st.binary(min_size=1, max_size=5) | st.just(bytes([proto.start])))
            cells[at:at] = [(b, None) for b in extra]
        else:
            del cells[at : at + draw(st.integers(1, 6))]
    cuts = draw(st.lists(st.integers(1, 64), max_size=40))
    return cells, frames, cuts


def _untouched(cells: list[tuple[int, Origin]], frames: list[bytes]) -> list[tuple[int, int]]:
    """(position, length) of every frame whose bytes are all still there, in order, unchanged."""
    where = {origin: pos for pos, (_, origin) in enumerate(cells) if origin is not None}
    spans = []
    for number, raw in enumerate(frames):
        start = where.get((number, 0))
        if start is None:
            continue
        if all(where.get((number, i)) == start + i for i in range(len(raw))):
            spans.append((start, len(raw)))
    return spans


@pytest.mark.parametrize("proto", PROTOS, ids=IDS)
def test_fuzz_damaged_streams(proto: Proto) -> None:
    @settings(deadline=None, max_examples=150)
    @given(damaged_streams(proto))
    def check(case: tuple[list[tuple[int, Origin]], list[bytes], list[int]]) -> None:
        cells, frames, cuts = case
        stream = bytes(b for b, _ in cells)
        parser = proto.parser()
        emitted: list[tuple[int, Any]] = []
        pos = 0
        for cut in cuts:
            emitted += parser.feed_with_offsets(stream[pos : pos + cut])
            pos += cut
        emitted += parser.feed_with_offsets(stream[pos:])
        emitted += parser.flush_with_offsets()

        spans = []
        for offset, frame in emitted:
            raw = frame.encode()
            assert stream[offset : offset + len(raw)] == raw  # the bytes it came from
            assert proto.checksum_ok(raw)  # never a frame with a bad checksum
            spans.append((offset, offset + len(raw)))
        assert all(a[1] <= b[0] for a, b in itertools.pairwise(spans))
        for start, size in _untouched(cells, frames):
            # every undamaged frame comes out, unless a checksum-valid frame built from
            # damaged bytes overlapped it (possible by chance: 1/256 for R2000's checksum)
            assert (start, start + size) in spans or any(
                a < start + size and start < b for a, b in spans
            )
        stats = parser.stats
        assert stats.frames == len(emitted)
        assert stats.bytes_in == len(stream)
        assert stats.buffered == 0
        assert stats.bytes_dropped + sum(b - a for a, b in spans) == len(stream)

    check()


@pytest.mark.parametrize("proto", PROTOS, ids=IDS)
def test_fuzz_random_bytes(proto: Proto) -> None:
    @settings(deadline=None, max_examples=100)
    @given(st.lists(st.binary(max_size=300) | st.just(bytes([proto.start])), max_size=20))
    def check(chunks: list[bytes]) -> None:
        parser = proto.parser()
        frames = _drain(parser, chunks)
        assert all(proto.checksum_ok(frame.encode()) for frame in frames)
        assert _accounted(parser.stats, frames)
        assert parser.stats.buffered == 0

    check()


def test_a_corrupted_length_cannot_hide_good_frames_behind_it() -> None:
    """The documented rule, byte by byte: after a failed candidate at i, scanning resumes at
    i + 1, so the good frames that follow a frame with a corrupted length all come out."""
    good = [frame.encode() for frame in R2000_GOOD]
    damaged = bytearray(good[0])
    damaged[1] = 0x10  # announces 18 bytes: ends inside the next frame
    parser = R2000Codec.response_parser()
    frames = parser.feed(bytes(damaged) + b"".join(good[1:]) + good[0])
    assert frames == [*R2000_GOOD[1:], R2000_GOOD[0]]
    assert parser.stats.checksum_errors == 1


def test_direction_of_auto_parsers() -> None:
    frames = R2000Codec.parser(None).feed(Frame(0x89, b"\x01", address=1).encode())
    assert frames[0].DIRECTION is Direction.HOST_TO_READER
