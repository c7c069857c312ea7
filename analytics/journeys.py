"""Journeys: every object's events in time order, built from events as they arrive.

A :class:`JourneySet` holds the parsed events (:class:`~analytics.events.EventInfo`) and, per
object (EPC, SSCC or lot, canonical), the indices of the events naming it. It also keeps what
several detectors share: which objects were commissioned and in which lot, and the content
keys seen (for replays). Events can be added at any time (the streaming scorer adds them as
the ingest commits them); :meth:`JourneySet.journey` returns a journey in time order.

:meth:`JourneySet.to_frame` gives the journeys as a pandas DataFrame, one row per (object,
event): time, bizStep, location, coordinates, location kind, party and temperature statistics.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from analytics.context import Context
from analytics.events import EventInfo, parse_event
from analytics.identifiers import gtin_of, is_item

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["JourneySet"]


def _first(*values: float | None) -> float | None:
    return next((v for v in values if v is not None), None)


@dataclass(slots=True)
class JourneySet:
    """Events and per-object journeys."""

    events: list[EventInfo] = field(default_factory=list)
    by_object: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))
    commissioned: dict[str, int] = field(default_factory=dict)
    lot_of: dict[str, str] = field(default_factory=dict)
    by_content: dict[bytes, list[int]] = field(default_factory=lambda: defaultdict(list))
    by_shape: dict[bytes, list[int]] = field(default_factory=lambda: defaultdict(list))
    containers: dict[str, list[list[Any]]] = field(default_factory=lambda: defaultdict(list))
    contents: dict[str, list[list[Any]]] = field(default_factory=lambda: defaultdict(list))
    _unsorted: set[str] = field(default_factory=set)

    def add(
        self, event: Mapping[str, Any], pk: int | None = None, record_time: float | None = None
    ) -> EventInfo:
        """Parse and add one event; returns it."""
        info = parse_event(event, len(self.events), pk, record_time)
        self.add_info(info)
        return info

    def add_info(self, info: EventInfo) -> None:
        self.events.append(info)
        idx = info.idx
        for obj in info.objects:
            entries = self.by_object[obj]
            if entries and self.events[entries[-1]].time > info.time:
                self._unsorted.add(obj)
            entries.append(idx)
        for obj in info.creates:
            self.commissioned.setdefault(obj, idx)
        if info.lot:
            for obj in info.creates or info.epcs:
                self.lot_of.setdefault(obj, info.lot)
        else:
            for cls in info.classes:
                gtin = gtin_of(cls)
                for obj in info.creates:
                    if gtin and gtin_of(obj) == gtin:
                        self.lot_of.setdefault(obj, cls)
        copies = self.by_content[info.content_key] or self.by_shape[info.shape_key]
        if copies:
            info.replay_of = copies[0]
        self.by_content[info.content_key].append(idx)
        self.by_shape[info.shape_key].append(idx)
        if info.type == "AggregationEvent" and info.parent:
            self._aggregate(info)

    def _aggregate(self, info: EventInfo) -> None:
        parent = info.parent
        assert parent is not None
        if info.action == "ADD":
            for child in info.children:
                span = [parent, info.time, math.inf]
                self.containers[child].append(span)
                self.contents[parent].append([child, span])
        elif info.action == "DELETE":
            for child, span in self.contents.get(parent, ()):
                if info.children and child not in info.children:
                    continue
                if span[1] <= info.time < span[2]:
                    span[2] = info.time

    def contained(self, obj: str, time: float, depth: int = 0) -> list[str]:
        """The objects inside ``obj`` (case, pallet) at ``time``, recursively."""
        inside: list[str] = []
        for child, span in self.contents.get(obj, ()):
            if span[1] <= time <= span[2]:
                inside.append(child)
                if depth < 3:
                    inside += self.contained(child, time, depth + 1)
        return inside

    def effective(self, obj: str, depth: int = 0) -> list[EventInfo]:
        """The journey of ``obj`` including the events of the containers (case, pallet) it was
        aggregated into, while it was in them."""
        own = self.journey(obj)
        spans = self.containers.get(obj)
        if not spans or depth > 3:
            return own
        merged = {e.idx: e for e in own}
        for parent, start, end in spans:
            for e in self.effective(parent, depth + 1):
                if start <= e.time <= end:
                    merged.setdefault(e.idx, e)
        return sorted(merged.values(), key=lambda e: (e.time, e.idx))

    def extend(self, events: Iterable[Mapping[str, Any]]) -> None:
        for event in events:
            self.add(event)

    def journey(self, obj: str) -> list[EventInfo]:
        """The events naming ``obj`` in time order (ties in arrival order)."""
        entries = self.by_object.get(obj)
        if not entries:
            return []
        if obj in self._unsorted:
            entries.sort(key=lambda i: (self.events[i].time, i))
            self._unsorted.discard(obj)
        return [self.events[i] for i in entries]

    def items(self) -> list[str]:
        """Every item (SGTIN) with a journey."""
        return [obj for obj in self.by_object if is_item(obj)]

    def lot(self, obj: str) -> str | None:
        """The lot an item was commissioned in (or the object itself when it is a lot). When
        its commissioning was not read, the lot most of the items it travelled with (of the
        same GTIN) were commissioned in."""
        known = self.lot_of.get(obj)
        if known is not None:
            return known
        if "/10/" in obj:
            return obj
        gtin = gtin_of(obj)
        votes: Counter[str] = Counter()
        for e in self.journey(obj)[:3]:
            for other in e.objects[:50]:
                lot = self.lot_of.get(other)
                if lot is not None and other != obj and gtin_of(other) == gtin:
                    votes[lot] += 1
        return votes.most_common(1)[0][0] if votes else None

    def to_frame(self, context: Context, objects: Iterable[str] | None = None) -> pd.DataFrame:
        """One row per (object, event) in journey order."""
        import pandas as pd

        rows: list[tuple[Any, ...]] = []
        for obj in objects if objects is not None else list(self.by_object):
            gtin = gtin_of(obj)
            lot = self.lot(obj)
            for e in self.journey(obj):
                place = context.places.get(e.location or "")
                highs = [h for r in e.readings if (h := _first(r.maximum, r.mean)) is not None]
                lows = [lo for r in e.readings if (lo := _first(r.minimum, r.mean)) is not None]
                rows.append(
                    (
                        obj,
                        gtin,
                        lot,
                        e.event_id,
                        e.time,
                        e.type,
                        e.biz_step,
                        e.disposition,
                        e.location,
                        place.latitude if place else None,
                        place.longitude if place else None,
                        place.kind if place else None,
                        place.party if place else None,
                        max(highs) if highs else None,
                        min(lows) if lows else None,
                    )
                )
        frame = pd.DataFrame(
            rows,
            columns=[
                "object",
                "gtin",
                "lot",
                "event_id",
                "time",
                "event_type",
                "biz_step",
                "disposition",
                "location",
                "latitude",
                "longitude",
                "location_kind",
                "party",
                "temp_max_c",
                "temp_min_c",
            ],
        )
        frame["time"] = pd.to_datetime(frame["time"], unit="s", utc=True)
        return frame
