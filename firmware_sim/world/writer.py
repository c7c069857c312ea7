"""Streaming output: events in global eventTime order, EPCIS documents of at most 10,000 events.

Units arrive in order of their start; every event of a unit is at or after its start, so all
buffered events earlier than the next unit's start are final and are written out
(:meth:`OrderedWriter.flush_before`). Memory holds only the units still in flight (rendered as
bytes), whatever the scenario's size.
"""

from __future__ import annotations

import heapq
from pathlib import Path

import orjson

from firmware_sim.world.events import CONTEXT, Ev, format_time

__all__ = ["MAX_EVENTS_PER_DOCUMENT", "OrderedWriter"]

MAX_EVENTS_PER_DOCUMENT = 10_000
_CONTEXT = orjson.dumps(CONTEXT)


class OrderedWriter:
    """Writes ``events/00000.json`` … under ``directory``."""

    def __init__(self, directory: Path, per_document: int = MAX_EVENTS_PER_DOCUMENT) -> None:
        self.directory = directory
        self.directory.mkdir(parents=True, exist_ok=True)
        self.per_document = per_document
        self._heap: list[tuple[int, int, bytes]] = []
        self._seq = 0
        self._current: list[bytes] = []
        self._last_time = 0
        self.files = 0
        self.events = 0
        self.first_time: int | None = None
        self.last_time: int | None = None
        self.peak_buffer = 0

    def push(self, events: list[Ev]) -> None:
        for ev in events:
            self._seq += 1
            heapq.heappush(self._heap, (ev.t, self._seq, ev.render()))
        self.peak_buffer = max(self.peak_buffer, len(self._heap))

    def flush_before(self, t: int) -> None:
        heap = self._heap
        while heap and heap[0][0] < t:
            when, _, raw = heapq.heappop(heap)
            self._emit(when, raw)

    def close(self) -> None:
        while self._heap:
            when, _, raw = heapq.heappop(self._heap)
            self._emit(when, raw)
        self._write()

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
