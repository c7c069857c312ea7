"""Reader protocol parsing speed: byte stream → frames → TagRead values, on one core.

For each protocol a realistic reader→host stream is built once: tag records of a 60-tag
population (96-bit EPCs, four antennas, RSSI −35…−80 dBm, hopping frequencies), the protocol's
housekeeping frames (R2000: an inventory round end every 25 tags; Mercury: a keep-alive every
75 records, as in the M6e Nano log) and, before about one frame in 150, 1–8 bytes of line noise
that include start bytes. The stream is fed to the protocol's response parser in 256-byte and
4,096-byte chunks and every tag frame is turned into a ``TagRead``. Rounds interleave all cases;
the table shows medians. Rates use the process's CPU time (``time.process_time``: one core,
not inflated when the shared machine is busy); the last column gives the wall-clock rate too.

The reference is the serial line: 8N1 = 10 bits per byte, so bytes/s = baud / 10, and the frames
per second the line can carry at the stream's mean frame size. The goal is ≥ 10× the
921,600-baud line rate.

    .venv/bin/python bench/reader_parse.py [--frames 40000] [--rounds 5]
"""

from __future__ import annotations

import argparse
import platform
import random
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass

from foodtrace.reader import get_codec
from foodtrace.reader.mercury import KeepAlive, TagData, TagRecord
from foodtrace.reader.r2000 import InventoryRoundEnd, InventoryTag

BAUDS = (115_200, 921_600)
CHUNKS = (256, 4096)


@dataclass(frozen=True)
class Stream:
    protocol: str
    data: bytes
    frames: int
    tag_frames: int
    garbage_bytes: int


def _noise(rng: random.Random, start: int) -> bytes:
    return bytes(rng.choice((start, rng.randrange(256))) for _ in range(rng.randint(1, 8)))


def r2000_stream(count: int, seed: int = 1) -> Stream:
    rng = random.Random(seed)
    epcs = [rng.randbytes(12) for _ in range(60)]
    out = bytearray()
    frames = tags = garbage = 0
    while frames < count:
        if rng.random() < 1 / 150:
            noise = _noise(rng, 0xA0)
            out += noise
            garbage += len(noise)
        if tags and tags % 25 == 0 and frames < count - 1:
            out += InventoryRoundEnd(rng.randint(1, 4), 25, rng.randint(20, 60), address=1).encode()
            frames += 1
        tag = InventoryTag.from_epc(
            rng.choice(epcs),
            antenna=rng.randint(1, 4),
            rssi_dbm=rng.randint(-80, -35),
            frequency_index=rng.randint(7, 59),
            address=1,
        )
        out += tag.encode()
        frames += 1
        tags += 1
    return Stream("r2000", bytes(out), frames, tags, garbage)


def mercury_stream(count: int, seed: int = 2) -> Stream:
    rng = random.Random(seed)
    epcs = [rng.randbytes(12) for _ in range(60)]
    out = bytearray()
    frames = tags = garbage = 0
    clock = 0
    while frames < count:
        if rng.random() < 1 / 150:
            noise = _noise(rng, 0xFF)
            out += noise
            garbage += len(noise)
        if tags and tags % 75 == 0 and frames < count - 1:
            out += KeepAlive(status=0x0400).encode()
            frames += 1
        clock += rng.randint(5, 20)
        record = TagRecord(
            TagData.gen2(
                rng.choice(epcs),
                rssi_dbm=rng.randint(-80, -35),
                antenna=rng.randint(1, 4),
                frequency_khz=902_750 + 500 * rng.randrange(50),
                timestamp_ms=clock,
                phase=rng.randrange(181),
                gpio=0x0F,
            )
        )
        out += record.encode()
        frames += 1
        tags += 1
    return Stream("mercury", bytes(out), frames, tags, garbage)


def run_once(stream: Stream, chunk: int) -> tuple[float, float, int, int]:
    """CPU and wall seconds to parse the stream and build every TagRead; frames, reads seen."""
    codec = get_codec(stream.protocol)
    parser = codec.response_parser()
    tag_reads = codec.tag_reads
    data = stream.data
    reads = 0
    wall = time.perf_counter()
    cpu = time.process_time()
    for start in range(0, len(data), chunk):
        for frame in parser.feed(data[start : start + chunk]):
            reads += len(tag_reads(frame))
    parser.flush()
    cpu = time.process_time() - cpu
    wall = time.perf_counter() - wall
    return cpu, wall, parser.stats.frames, reads


def main() -> None:
    cli = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    cli.add_argument("--frames", type=int, default=40_000, help="frames per stream")
    cli.add_argument("--rounds", type=int, default=5, help="rounds (median reported)")
    args = cli.parse_args()

    builders: list[Callable[[int], Stream]] = [r2000_stream, mercury_stream]
    streams = [build(args.frames) for build in builders]
    cases = [(stream, chunk) for stream in streams for chunk in CHUNKS]
    cpu_times: dict[tuple[str, int], list[float]] = {(s.protocol, c): [] for s, c in cases}
    wall_times: dict[tuple[str, int], list[float]] = {(s.protocol, c): [] for s, c in cases}
    for _ in range(args.rounds):
        for stream, chunk in cases:
            cpu, wall, frames, reads = run_once(stream, chunk)
            assert frames == stream.frames, (stream.protocol, frames, stream.frames)
            assert reads == stream.tag_frames, (stream.protocol, reads, stream.tag_frames)
            cpu_times[stream.protocol, chunk].append(cpu)
            wall_times[stream.protocol, chunk].append(wall)

    print(f"Python {platform.python_version()} on {platform.machine()}, one core; "
          f"{args.frames:,} frames per stream, {args.rounds} rounds, medians")  # fmt: skip
    for stream in streams:
        mean = (len(stream.data) - stream.garbage_bytes) / stream.frames
        print(
            f"{stream.protocol}: {len(stream.data):,} bytes, {stream.frames:,} frames"
            f" ({stream.tag_frames:,} tag records, mean {mean:.1f} B/frame),"
            f" {stream.garbage_bytes:,} garbage bytes"
        )
    line = " | ".join(f"line {b:,} baud: B/s, frames/s" for b in BAUDS)
    print()
    print(
        f"| protocol | chunk | frames/s | tag reads/s | MB/s | {line} | × 921,600 line"
        " | wall-clock tag reads/s |"
    )
    print("|---|---:|---:|---:|---:|" + "---:|" * len(BAUDS) + "---:|---:|")
    for stream, chunk in cases:
        elapsed = statistics.median(cpu_times[stream.protocol, chunk])
        wall = statistics.median(wall_times[stream.protocol, chunk])
        mean = (len(stream.data) - stream.garbage_bytes) / stream.frames
        rates = " | ".join(f"{b // 10:,} B/s, {b / 10 / mean:,.0f} frames/s" for b in BAUDS)
        ratio = len(stream.data) / elapsed / (BAUDS[-1] / 10)
        print(
            f"| {stream.protocol} | {chunk:,} | {stream.frames / elapsed:,.0f}"
            f" | {stream.tag_frames / elapsed:,.0f} | {len(stream.data) / elapsed / 1e6:.2f}"
            f" | {rates} | {ratio:.0f}× | {stream.tag_frames / wall:,.0f} |"
        )


if __name__ == "__main__":
    main()
