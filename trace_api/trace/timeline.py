"""The journey timeline: every event of a trace in time order, with where it happened and
which traced objects it concerned (directly, or through the container they were in)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from trace_api.trace.fetch import EventRecord
from trace_api.trace.journey import Journey

__all__ = ["timeline"]


def timeline(
    journeys: Mapping[str, Journey], names: Mapping[str, Mapping[str, Any]], canon: Any
) -> list[dict[str, Any]]:
    """One entry per event, ordered by eventTime then eventID.

    ``objects`` lists the traced objects the event names; ``via`` the containers through which
    other traced objects inherited it, as ``{object: container}``.
    """
    events: dict[int, EventRecord] = {}
    direct: dict[int, set[str]] = {}
    inherited: dict[int, dict[str, str]] = {}
    for canonical, journey in journeys.items():
        for event, via in journey:
            events[event.pk] = event
            if via is None:
                direct.setdefault(event.pk, set()).add(canonical)
            else:
                inherited.setdefault(event.pk, {})[canonical] = via
    entries: list[dict[str, Any]] = []
    for event in sorted(events.values(), key=lambda e: (e.time, e.event_id)):
        location = canon(event.location) if event.location else None
        entries.append(
            {
                "time": event.time.isoformat(),
                "event": event.event_id,
                "type": event.type,
                "action": event.action,
                "bizStep": event.biz_step,
                "disposition": event.disposition,
                "location": location,
                "locationName": names.get(location or "", {}).get("name"),
                "objects": sorted(direct.get(event.pk, ())),
                "via": dict(sorted(inherited.get(event.pk, {}).items())),
            }
        )
    return entries
