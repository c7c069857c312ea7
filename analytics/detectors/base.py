"""What every detector returns (:class:`Finding`), what it receives (:class:`Scope`) and the
route helpers several detectors share."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from analytics.context import Context, Place, Route
from analytics.events import EventInfo
from analytics.identifiers import gtin_of, is_item
from analytics.journeys import JourneySet

__all__ = [
    "ANYTIME_STEPS",
    "Finding",
    "Scope",
    "align",
    "collapse",
    "evidence",
    "item_lots",
    "items_of",
    "path_events",
    "peers",
    "route_tokens",
    "site",
    "tokens",
    "where",
]


@dataclass(slots=True)
class Finding:
    """One detector's verdict on one subject (an item or a lot).

    ``score`` is compared with ``threshold`` (it fires when ``score >= threshold``); detectors
    also return candidates below the threshold so that evaluation can sweep thresholds.
    ``quantity`` is the computed quantity (name, value, unit) the explanation quotes.
    """

    type: str
    detector: str
    version: str
    score: float
    threshold: float
    subject: str
    explanation: str
    quantity: tuple[str, float, str]
    epcs: tuple[str, ...] = ()
    lots: tuple[str, ...] = ()
    gtin: str | None = None
    event_ids: tuple[str, ...] = ()
    locations: tuple[str, ...] = ()
    times: tuple[float, ...] = ()

    @property
    def fires(self) -> bool:
        return self.score >= self.threshold


@dataclass(slots=True)
class Scope:
    """The journeys to score and what the detectors know besides them."""

    journeys: JourneySet
    context: Context
    items: Sequence[str]
    lots: Sequence[str] = ()
    new_events: Sequence[int] | None = None
    thresholds: dict[str, float] = field(default_factory=dict)
    _effective: dict[str, list[EventInfo]] = field(default_factory=dict)
    _routes: dict[str, Route | None] = field(default_factory=dict)
    _paths: dict[str, list[EventInfo]] = field(default_factory=dict)
    _lots: dict[str, str | None] = field(default_factory=dict)
    memo: dict[tuple[str, object], object] = field(default_factory=dict)

    def path(self, item: str) -> list[EventInfo]:
        """:func:`path_events` of the item's effective journey (memoised)."""
        found = self._paths.get(item)
        if found is None:
            found = self._paths[item] = path_events(self.effective(item), item)
        return found

    def effective(self, obj: str) -> list[EventInfo]:
        """The object's journey with its containers' events (memoised for this scope)."""
        found = self._effective.get(obj)
        if found is None:
            found = self._effective[obj] = self.journeys.effective(obj)
        return found

    def place(self, location: str | None) -> Place | None:
        return self.context.places.get(location) if location is not None else None

    def route(self, obj: str) -> Route | None:
        try:
            return self._routes[obj]
        except KeyError:
            gtin = gtin_of(obj)
            found = self._routes[obj] = self.context.routes.get(gtin) if gtin else None
            return found

    def lot(self, obj: str) -> str | None:
        """:meth:`JourneySet.lot`, memoised for this scope."""
        try:
            return self._lots[obj]
        except KeyError:
            found = self._lots[obj] = self.journeys.lot(obj)
            return found

    def threshold(self, detector: str, default: float) -> float:
        return self.thresholds.get(detector, default)


def evidence(
    detector: tuple[str, str, str],
    score: float,
    threshold: float,
    subject: str,
    explanation: str,
    quantity: tuple[str, float, str],
    events: Iterable[EventInfo],
    epcs: Iterable[str] = (),
    lots: Iterable[str] = (),
) -> Finding:
    """A finding of ``detector`` (type, name, version) with the event IDs, locations and times
    of ``events`` (time order, each once) as evidence."""
    kind, name, version = detector
    chosen = sorted({e.idx: e for e in events}.values(), key=lambda e: (e.time, e.idx))
    epcs = tuple(dict.fromkeys(epcs))
    lots = tuple(dict.fromkeys(lots))
    gtin = next((g for x in (subject, *epcs, *lots) if (g := gtin_of(x))), None)
    return Finding(
        kind,
        name,
        version,
        float(score),
        float(threshold),
        subject,
        explanation,
        quantity,
        epcs=epcs,
        lots=lots,
        gtin=gtin,
        event_ids=tuple(e.event_id for e in chosen),
        locations=tuple(dict.fromkeys(e.location for e in chosen if e.location)),
        times=tuple(e.time for e in chosen),
    )


def item_lots(journeys: JourneySet, items: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(lot for i in items if (lot := journeys.lot(i))))


#: Steps that may happen at any moment of a stay (not a move along the process).
ANYTIME_STEPS = frozenset({"sensor_reporting", "inspecting", "cycle_counting"})

Token = tuple[str | None, str | None]
#: The kind given to a place the master data does not know.
UNKNOWN_PLACE = "(unknown place)"


def tokens(scope: Scope, journey: Sequence[EventInfo]) -> list[Token]:
    """(step, kind of place) of each event."""
    places = scope.context.places
    found: list[Token] = []
    for e in journey:
        place = places.get(e.location) if e.location is not None else None
        if place is None and places and e.location is not None:
            found.append((e.biz_step, UNKNOWN_PLACE))  # matches no kind of the route
        else:
            found.append((e.biz_step, place.kind if place is not None else None))
    return found


def route_tokens(route: Route) -> list[Token]:
    return list(zip(route.steps, route.kinds, strict=True))


def _same(a: Token, b: Token) -> bool:
    return a[0] == b[0] and (a[1] is None or b[1] is None or a[1] == b[1])


def align(steps: Sequence[Token], observed: Sequence[Token]) -> tuple[list[int], list[int]]:
    """Greedy alignment of observed (step, kind) tokens on the route's.

    Returns (positions, inversions): the route position of each observed event (``-1`` when
    its step is not on the route), and the indices of observed events whose step occurs on the
    route only *before* the current position (out of order)."""
    positions: list[int] = []
    inversions: list[int] = []
    cur = 0
    for i, step in enumerate(observed):
        if not any(_same(s, step) for s in steps):
            positions.append(-1)
            continue
        forward = next((p for p in range(cur, len(steps)) if _same(steps[p], step)), None)
        if forward is None:
            # a repeat of the step just matched (same step read twice) is not an inversion
            last = positions[-1] if positions else -1
            if last >= 0 and _same(steps[last], step):
                positions.append(last)
                continue
            inversions.append(i)
            positions.append(-1)
            continue
        positions.append(forward)
        cur = forward + 1
    return positions, inversions


def site(place: str | None) -> str | None:
    """The site (GLN, AI 414) of a place link, without its extension (AI 254)."""
    if place is None or "/414/" not in place:
        return None
    return place.split("/254/", 1)[0]


def where(e: EventInfo) -> str | None:
    """Where an event physically happened: the site of its read point when it has one (a
    business location can be mis-stated), else its business location."""
    return site(e.read_point) or e.location


def collapse(journey: Sequence[EventInfo]) -> list[EventInfo]:
    """The journey without repeated reads: consecutive events with the same step at the same
    location count once (the first)."""
    kept: list[EventInfo] = []
    for e in journey:
        if kept and kept[-1].biz_step == e.biz_step and kept[-1].location == e.location:
            continue
        kept.append(e)
    return kept


def path_events(journey: Sequence[EventInfo], item: str | None = None) -> list[EventInfo]:
    """The events that move an object along its process: recall notices, replays of earlier
    events and the transformation that consumes ``item`` (an input: the end of its journey,
    not a step) left out."""
    return [
        e
        for e in journey
        if e.disposition != "recalled"
        and e.biz_step is not None
        and e.replay_of is None
        and (item is None or item not in e.inputs)
    ]


def peers(event: EventInfo, item: str, limit: int = 24) -> list[str]:
    """Other items of the same product that ``event`` names with ``item`` (not the inputs it
    consumes): the ones travelling with it."""
    gtin = gtin_of(item)
    found = [
        o
        for o in dict.fromkeys((*event.epcs, *event.children, *event.outputs))
        if o != item and is_item(o) and gtin_of(o) == gtin
    ]
    return found[:limit]


def items_of(event: EventInfo) -> list[str]:
    return [o for o in event.objects if is_item(o)]
