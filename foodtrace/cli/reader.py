"""``foodtrace reader``: decode reader serial captures into JSON lines."""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

if TYPE_CHECKING:
    from foodtrace.reader.codec import Codec, FrameValue
    from foodtrace.reader.direction import Direction

app = typer.Typer(no_args_is_help=True)

_CHUNK = 65536


class ProtocolName(StrEnum):
    R2000 = "r2000"
    MERCURY = "mercury"


class DirectionName(StrEnum):
    AUTO = "auto"
    READER = "reader"
    HOST = "host"


def _read_input(file: str) -> bytes:
    if file == "-":
        return sys.stdin.buffer.read()
    return Path(file).read_bytes()


def _direction_known(
    codec: Codec, frame: FrameValue, chosen: Direction | None, raw: bytes
) -> str | None:
    """The direction to print: the chosen one, or (auto) the frame's when only one fits."""
    if chosen is not None:
        return chosen.value
    direction = frame.DIRECTION
    if direction is None or codec.name != "r2000":
        return None if direction is None else direction.value
    # R2000 frames look the same both ways: say the direction only if the other reading fails.
    from foodtrace.exceptions import ReaderProtocolError
    from foodtrace.reader.direction import Direction

    other = (
        Direction.HOST_TO_READER
        if direction is Direction.READER_TO_HOST
        else Direction.READER_TO_HOST
    )
    try:
        codec.decode(raw, other)
    except ReaderProtocolError:
        return direction.value
    return None


def _line(
    codec: Codec, offset: int, frame: FrameValue, direction: Direction | None
) -> dict[str, Any]:
    out = frame.to_dict()
    out.pop("direction", None)
    where = _direction_known(codec, frame, direction, frame.encode())
    reads = codec.tag_reads(frame)
    head: dict[str, Any] = {"type": out.pop("type")}
    if len(reads) == 1:
        head.update(reads[0].to_dict())
    elif reads:
        head["tags"] = [read.to_dict() for read in reads]
        out.pop("tags", None)
    if where is not None:
        head["direction"] = where
    head["offset"] = offset
    for key, value in out.items():
        head.setdefault(key, value)
    return head


@app.command()
def decode(
    protocol: Annotated[
        ProtocolName, typer.Option("--protocol", "-p", help="Reader serial protocol.")
    ],
    file: Annotated[
        str, typer.Argument(help="Capture file: raw bytes, or hex text with --hex ('-' = stdin).")
    ] = "-",
    hex_text: Annotated[
        bool,
        typer.Option(
            "--hex",
            help="Input is hex text (whitespace, newlines, 0x prefixes, ':' and ',' allowed).",
        ),
    ] = False,
    direction: Annotated[
        DirectionName,
        typer.Option(
            "--direction",
            help="Which way the bytes travel: reader (reader->host), host (host->reader), or"
            " auto (either; R2000 tries the reply reading first).",
        ),
    ] = DirectionName.AUTO,
) -> None:
    """Decode a byte capture into JSON lines: one per frame, then a summary line.

    Tag records carry epc, antenna and rssi_dbm, plus pc, frequency_khz,
    phase, timestamp_ms and read_count when the reader reports them.

    Garbage between frames is skipped and counted in the summary (exit 0);
    unreadable input or invalid hex exits 1.
    """
    import orjson

    from foodtrace.reader.capture import parse_hex_capture
    from foodtrace.reader.codec import get_codec
    from foodtrace.reader.direction import Direction

    data = _read_input(file)
    if hex_text:
        data = parse_hex_capture(data)
    codec = get_codec(protocol.value)
    chosen = {
        DirectionName.AUTO: None,
        DirectionName.READER: Direction.READER_TO_HOST,
        DirectionName.HOST: Direction.HOST_TO_READER,
    }[direction]
    parser = codec.parser(chosen)
    write = sys.stdout.write
    tags = 0
    for start in range(0, max(len(data), 1), _CHUNK):
        frames = parser.feed_with_offsets(data[start : start + _CHUNK])
        if start + _CHUNK >= len(data):
            frames += parser.flush_with_offsets()
        lines = []
        for offset, frame in frames:
            tags += len(codec.tag_reads(frame))
            lines.append(orjson.dumps(_line(codec, offset, frame, chosen)))
        if lines:
            write(b"\n".join(lines).decode() + "\n")
    stats = parser.stats
    summary = {
        "type": "summary",
        "protocol": codec.name,
        "frames": stats.frames,
        "tags": tags,
        "bytes": stats.bytes_in,
        "bytes_dropped": stats.bytes_dropped,
        "checksum_errors": stats.checksum_errors,
        "length_errors": stats.length_errors,
        "unknown_frames": stats.unknown_frames,
        "malformed_frames": stats.malformed_frames,
    }
    write(orjson.dumps(summary).decode() + "\n")
