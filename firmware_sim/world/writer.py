"""Streaming output: events in global eventTime order, EPCIS documents of at most 10,000 events.

Units arrive in order of their start and every event of a unit is at or after its start. Each
rendered event is appended to a spool file for its day (UTC+08:00) under ``.spool/``; when the
next unit starts on a later day, every earlier day is complete, so it is read back, sorted and
written out (:meth:`OrderedWriter.flush_before`). Memory holds about one day of events, whatever
the scenario's size; the spool holds the days still in flight and is removed at the end.
"""

from __future__ import annotations

import shutil
import struct
from pathlib import Path
from typing import BinaryIO

import orjson

from firmware_sim.world.events import CONTEXT, Ev, format_time

__all__ = ["MAX_EVENTS_PER_DOCUMENT", "SPOOL", "OrderedWriter"]

MAX_EVENTS_PER_DOCUMENT = 10_000
SPOOL = ".spool"
DAY_MS = 86_400_000
_LOCAL_MS = 8 * 3_600_000
_RECORD = struct.Struct("<qqI")  # eventTime ms, sequence, length of the JSON
_CONTEXT = orjson.dumps(CONTEXT)


def _day(ms: int) -> int:
    return (ms + _LOCAL_MS) // DAY_MS


class OrderedWriter:
    """Writes ``events/00000.json`` … under ``directory`` (its parent holds the spool)."""

    def __init__(self, directory: Path, per_document: int = MAX_EVENTS_PER_DOCUMENT) -> None:
        self.directory = directory
        self.directory.mkdir(parents=True, exist_ok=True)
        self.spool = directory.parent / SPOOL
        shutil.rmtree(self.spool, ignore_errors=True)
        self.spool.mkdir()
        self.per_document = per_document
        self._open: dict[int, BinaryIO] = {}
        self._seq = 0
        self._current: list[bytes] = []
        self._last_time = 0
        self.files = 0
        self.events = 0
        self.first_time: int | None = None
        self.last_time: int | None = None
        self.peak_day = 0

    def _bucket(self, day: int) -> BinaryIO:
        handle = self._open.get(day)
        if handle is None:
            handle = (self.spool / f"{day}.bin").open("ab")
            self._open[day] = handle
        return handle

    def push(self, events: list[Ev]) -> None:
        pack = _RECORD.pack
        for ev in events:
            self._seq += 1
            raw = ev.render()
            self._bucket(_day(ev.t)).write(pack(ev.t, self._seq, len(raw)) + raw)

    def flush_before(self, t: int) -> None:
        """Write out every day before the day of ``t`` (no later unit can add to them)."""
        last = _day(t)
        for day in sorted(d for d in self._open if d < last):
            self._flush_day(day)

    def _flush_day(self, day: int) -> None:
        self._open.pop(day).close()
        path = self.spool / f"{day}.bin"
        data = path.read_bytes()
        path.unlink()
        records: list[tuple[int, int, bytes]] = []
        offset, size, unpack = 0, _RECORD.size, _RECORD.unpack_from
        while offset < len(data):
            when, seq, length = unpack(data, offset)
            offset += size
            records.append((when, seq, data[offset : offset + length]))
            offset += length
        del data
        records.sort()
        self.peak_day = max(self.peak_day, len(records))
        for when, _, raw in records:
            self._emit(when, raw)

    def close(self) -> None:
        for day in sorted(self._open):
            self._flush_day(day)
        self._write()
        shutil.rmtree(self.spool, ignore_errors=True)

    def _emit(self, when: int, raw: bytes) -> None:
        if self.first_time is None:
            self.first_time = when
        self.last_time = when
        self._current.append(raw)
        self._last_time = when
        self.events += 1
        if len(self._current) >= self.per_document:
            self._write()

    def _write(self) -> None:
        if not self._current:
            return
        head = (
            b'{"@context":' + _CONTEXT + b',"type":"EPCISDocument","schemaVersion":"2.0",'
            b'"creationDate":"' + format_time(self._last_time).encode() + b'",'
            b'"epcisBody":{"eventList":[\n'
        )
        path = self.directory / f"{self.files:05d}.json"
        with path.open("wb") as out:
            out.write(head)
            out.write(b",\n".join(self._current))
            out.write(b"\n]}}\n")
        self.files += 1
        self._current = []
