"""Which events belong to an object's journey: its own, and those of the containers it sat
in while it sat in them (a case inherits its pallet's shipping and receiving only between the
AggregationEvent ADD and the matching DELETE)."""

from __future__ import annotations

from datetime import UTC, datetime

from trace_api.trace.fetch import EventRecord
from trace_api.trace.graph import CARRIER, Genealogy

__all__ = ["Journey", "journeys"]

#: (event, container the object inherited it from, or None for its own events)
Journey = list[tuple[EventRecord, str | None]]
_MAX_NESTING = 8
_EARLIEST = datetime.min.replace(tzinfo=UTC)


def _inside(time: datetime, start: datetime, end: datetime | None) -> bool:
    return start <= time and (end is None or time <= end)


_Containers = dict[str, list[tuple[str, list[tuple[datetime, datetime | None]]]]]


def _inherited(
    containers: _Containers,
    by_canonical: dict[str, list[EventRecord]],
    canonical: str,
    start: datetime,
    end: datetime | None,
    depth: int,
) -> Journey:
    """Events of the containers of ``canonical`` between ``start`` and ``end``."""
    out: Journey = []
    if depth > _MAX_NESTING:
        return out
    for container, spans in containers.get(canonical, ()):
        for span_start, span_end in spans:
            lo = max(start, span_start)
            hi = span_end if end is None else (end if span_end is None else min(end, span_end))
            if hi is not None and hi < lo:
                continue
            for event in by_canonical.get(container, ()):
                if (
                    event.type == "AggregationEvent"
                    and container in event.canonicals("parent")
                    and event.canonicals("child")
                ):
                    continue  # names its own children; a DELETE of all contents counts
                if _inside(event.time, lo, hi):
                    out.append((event, container))
            out.extend(_inherited(containers, by_canonical, container, lo, hi, depth + 1))
    return out


def journeys(found: Genealogy) -> dict[str, Journey]:
    """The journey of each traced object (carriers only count through what they carried),
    in time order, without duplicate events."""
    by_canonical: dict[str, list[EventRecord]] = {}
    for event in found.live_events():
        for canonical in {i.canonical for i in event.identifiers}:
            if canonical in found.objects:
                by_canonical.setdefault(canonical, []).append(event)
    containers: _Containers = {}
    for (child, container), spans in found.windows.items():
        containers.setdefault(child, []).append((container, spans))
    result: dict[str, Journey] = {}
    for canonical, modes in found.objects.items():
        if modes == {CARRIER}:
            continue  # a container's own moves count only through what it carried
        steps: Journey = [(e, None) for e in by_canonical.get(canonical, ())]
        steps += _inherited(containers, by_canonical, canonical, _EARLIEST, None, 0)
        seen: set[int] = set()
        unique: Journey = []
        for event, via in sorted(steps, key=lambda s: (s[0].time, s[0].event_id)):
            if event.pk not in seen:
                seen.add(event.pk)
                unique.append((event, via))
        result[canonical] = unique
    return result
