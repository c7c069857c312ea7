"""Current holders of the objects a forward trace reached.

An item (instance identifier) is where its last located event left it. A lot (class
identifier) can be in several places at once (part shipped to one retailer, part to another),
so each location where it was last seen counts on its own until a shipment takes it away from
there. An object consumed by a transformation (as an input), destroyed or decommissioned has
no holder any more; a shipment counts as ``in_transit`` at its destination until an event
there (receiving) replaces it.
Retail-sold objects are listed with status ``sold``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from trace_api.trace.fetch import EventRecord
from trace_api.trace.journey import Journey

__all__ = ["Holder", "current_holders"]

_GONE_STEPS = frozenset({"decommissioning", "destroying"})
_GONE_DISPOSITIONS = frozenset({"destroyed", "disposed"})
_SOLD = frozenset({"retail_sold"})
_LOCATION = "location"


@dataclass(frozen=True, slots=True)
class Holder:
    """Where one object is now."""

    object: str
    location: str
    status: str  # held, in_transit, sold
    since: datetime
    event: str
    disposition: str | None
    parties: tuple[str, ...]


def _consumed(event: EventRecord, canonical: str) -> bool:
    return event.type == "TransformationEvent" and canonical in event.canonicals("input")


def _left(event: EventRecord) -> list[str]:
    """The locations an event takes its objects away from."""
    sources = [v for t, v in event.sources if t == _LOCATION]
    return [*sources, event.location] if event.location else sources


def _parties(event: EventRecord) -> tuple[str, ...]:
    return tuple(v for t, v in event.destinations if t != _LOCATION)


def current_holders(canonical: str, journey: Journey, is_class: bool) -> list[Holder]:
    """The holders of one object, given its journey (time order)."""
    at: dict[str, Holder] = {}

    def leave(event: EventRecord) -> None:
        if not is_class:
            at.clear()
        for location in _left(event):
            at.pop(location, None)

    for event, _via in journey:
        if (
            _consumed(event, canonical)
            or event.biz_step in _GONE_STEPS
            or event.disposition in _GONE_DISPOSITIONS
        ):
            at.clear()  # consumed or gone: the whole lot, wherever it was seen
            continue
        if event.biz_step == "shipping" or event.disposition == "in_transit":
            leave(event)
            for target in (v for t, v in event.destinations if t == _LOCATION):
                at[target] = _holder(canonical, target, "in_transit", event)
            continue
        location = event.location
        if location is None:
            continue
        if not is_class:
            at.clear()
        sold = event.disposition in _SOLD or event.biz_step == "retail_selling"
        at[location] = _holder(canonical, location, "sold" if sold else "held", event)
    return sorted(at.values(), key=lambda h: h.location)


def _holder(canonical: str, location: str, status: str, event: EventRecord) -> Holder:
    return Holder(
        canonical,
        location,
        status,
        event.time,
        event.event_id,
        event.disposition,
        _parties(event),
    )
