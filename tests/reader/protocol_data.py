"""The reader frames in ``tests/data/protocols`` (see its SOURCE.md) and a SparkFun log reader."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson

DATA = Path(__file__).resolve().parents[1] / "data" / "protocols"
R2000_FRAMES = DATA / "r2000-a0" / "frames.json"
MERCURY_FRAMES = DATA / "thingmagic-mercury" / "frames.json"
SPARKFUN_LOGS = sorted((DATA / "thingmagic-mercury" / "sparkfun-comm-logs").rglob("*.txt"))

_ENTRY = re.compile(r"^\d\d/\d\d/\d{4} \d\d:\d\d:\d\d\.\d+ [AP]M (Sending|Received)")
_BYTE = re.compile(r"^[0-9A-F]{2}$")


def golden(path: Path) -> list[dict[str, Any]]:
    frames: list[dict[str, Any]] = orjson.loads(path.read_bytes())["frames"]
    return [frame for frame in frames if frame["hex"]]


@dataclass(frozen=True)
class LogEntry:
    """One timestamped entry of a SparkFun/URA transport log: what was sent or received."""

    path: Path
    line: int
    sending: bool
    data: bytes


def log_entries(path: Path) -> Iterator[LogEntry]:
    """Entries of one log: a timestamp line, then lines indented by exactly four spaces holding
    hex byte pairs up to the first non-byte word (comments follow the bytes)."""
    current: tuple[int, bool, bytearray] | None = None
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        match = _ENTRY.match(line)
        if match:
            if current is not None and current[2]:
                yield LogEntry(path, current[0], current[1], bytes(current[2]))
            current = (number, match.group(1) == "Sending", bytearray())
            continue
        if current is None or not line.startswith("    ") or line.startswith("     "):
            continue
        for word in line.split():
            if not _BYTE.match(word):
                break
            current[2].append(int(word, 16))
    if current is not None and current[2]:
        yield LogEntry(path, current[0], current[1], bytes(current[2]))
