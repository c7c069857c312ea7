"""The genealogy of traced objects, expanded frontier by frontier over the stored events.

Each round loads, in a few batched queries, every event naming an identifier of the current
frontier (plus the other events of their transformations), drops withdrawn events (see
:mod:`trace_api.trace.corrections`) and derives the next frontier:

* back from an object: the inputs of each transformation that output it; the contents of a
  container (children of its AggregationEvents ADD/OBSERVE);
* forward from an object: the outputs of each transformation it was an input of; the contents
  of a container;
* in both directions, the containers an object was aggregated into become *carriers*: their
  moves count for the object while it was aggregated, but their other contents are not
  followed (a case's trace does not include the other cases on its pallet).

Back and forward are expanded separately from the seeds: ``both`` is their union, not the
closure of alternating directions (which would reach every sibling lot).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy.engine import Connection

from trace_api.trace.corrections import withdrawn
from trace_api.trace.fetch import (
    EventRecord,
    event_pks_naming,
    event_pks_of_transformations,
    load_events,
)

__all__ = ["DIRECTIONS", "Genealogy", "Link", "expand"]

DIRECTIONS = ("back", "forward", "both")
BACK, FORWARD, CARRIER = "back", "forward", "carrier"
_JOINING = frozenset({"ADD", "OBSERVE"})


@dataclass(frozen=True, slots=True)
class Link:
    """An object-to-object edge: ``aggregated_in`` (child → container) or
    ``transformed_into`` (input → output), established by ``event``."""

    source: str
    target: str
    kind: str
    event: str


@dataclass(slots=True)
class Genealogy:
    """What :func:`expand` found."""

    seeds: list[str]
    #: object canonical → the modes it was reached in (``back``, ``forward``, ``carrier``).
    objects: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    events: dict[int, EventRecord] = field(default_factory=dict)
    withdrawn: set[int] = field(default_factory=set)
    links: dict[tuple[str, str, str, str], Link] = field(default_factory=dict)
    #: (child, container) → aggregation windows [start, end) (end None: still aggregated).
    windows: dict[tuple[str, str], list[tuple[datetime, datetime | None]]] = field(
        default_factory=dict
    )
    rounds: int = 0

    def live_events(self) -> list[EventRecord]:
        return [e for pk, e in self.events.items() if pk not in self.withdrawn]

    def members(self, mode: str) -> set[str]:
        return {c for c, modes in self.objects.items() if mode in modes}


class _Index:
    """Live events by canonical identifier, and transformation groups."""

    def __init__(self) -> None:
        self.by_canonical: dict[str, list[EventRecord]] = defaultdict(list)
        self.by_transformation: dict[str, list[EventRecord]] = defaultdict(list)

    def add(self, event: EventRecord) -> None:
        for canonical in {i.canonical for i in event.identifiers}:
            self.by_canonical[canonical].append(event)
        if event.transformation_id is not None:
            self.by_transformation[event.transformation_id].append(event)

    def transformation(self, event: EventRecord) -> list[EventRecord]:
        if event.transformation_id is None:
            return [event]
        return self.by_transformation[event.transformation_id]


def _load(connection: Connection, found: Genealogy, index: _Index, canonicals: set[str]) -> None:
    new: dict[int, EventRecord] = {}
    pks = event_pks_naming(connection, canonicals) - found.events.keys()
    while pks:
        batch = load_events(connection, pks)
        new.update(batch)
        found.events.update(batch)
        tids = {e.transformation_id for e in batch.values() if e.transformation_id}
        pks = event_pks_of_transformations(connection, tids) - found.events.keys()
    # A declaration names the same identifiers as its original: both are in ``new``.
    found.withdrawn |= withdrawn(connection, new)
    for pk, event in new.items():
        if pk not in found.withdrawn:
            index.add(event)


def _link(found: Genealogy, source: str, target: str, kind: str, event: EventRecord) -> None:
    found.links[(source, target, kind, event.event_id)] = Link(source, target, kind, event.event_id)


def _step(found: Genealogy, index: _Index, canonical: str, mode: str) -> list[tuple[str, str]]:
    """The (object, mode) pairs one object leads to."""
    reached: list[tuple[str, str]] = []
    for event in index.by_canonical.get(canonical, ()):
        roles = event.roles_of(canonical)
        if event.type == "AggregationEvent" and event.action in _JOINING:
            if "child" in roles:
                for parent in event.canonicals("parent"):
                    _link(found, canonical, parent, "aggregated_in", event)
                    reached.append((parent, CARRIER))
            if "parent" in roles and mode != CARRIER:
                for child in event.canonicals("child"):
                    _link(found, child, canonical, "aggregated_in", event)
                    reached.append((child, mode))
        if event.type != "TransformationEvent" or mode == CARRIER:
            continue
        group = index.transformation(event)
        if mode == BACK and "output" in roles:
            for part in group:
                for source in part.canonicals("input"):
                    _link(found, source, canonical, "transformed_into", event)
                    reached.append((source, BACK))
        if mode == FORWARD and "input" in roles:
            for part in group:
                for target in part.canonicals("output"):
                    _link(found, canonical, target, "transformed_into", part)
                    reached.append((target, FORWARD))
    return reached


def expand(
    connection: Connection, seeds: Iterable[str], direction: str, *, max_rounds: int = 64
) -> Genealogy:
    """The genealogy of ``seeds`` in ``direction`` (``back``, ``forward`` or ``both``)."""
    found = Genealogy(seeds=sorted(set(seeds)))
    modes = (BACK, FORWARD) if direction == "both" else (direction,)
    frontier = {(seed, mode) for seed in found.seeds for mode in modes}
    index = _Index()
    loaded: set[str] = set()
    while frontier and found.rounds < max_rounds:
        found.rounds += 1
        for canonical, mode in frontier:
            found.objects[canonical].add(mode)
        wanted = {c for c, _ in frontier} - loaded
        if wanted:
            _load(connection, found, index, wanted)
            loaded |= wanted
        following: set[tuple[str, str]] = set()
        for canonical, mode in sorted(frontier):
            for pair in _step(found, index, canonical, mode):
                if pair[1] not in found.objects.get(pair[0], ()):
                    following.add(pair)
        frontier = following
    found.windows = _windows(found, index)
    return found


def _windows(
    found: Genealogy, index: _Index
) -> dict[tuple[str, str], list[tuple[datetime, datetime | None]]]:
    """When each traced object sat in each of its containers."""
    windows: dict[tuple[str, str], list[tuple[datetime, datetime | None]]] = {}
    containers = {link.target for link in found.links.values() if link.kind == "aggregated_in"}
    for parent in containers:
        events = sorted(
            (e for e in index.by_canonical.get(parent, ()) if e.type == "AggregationEvent"),
            key=lambda e: (e.time, e.pk),
        )
        open_since: dict[str, datetime] = {}
        spans: dict[str, list[tuple[datetime, datetime | None]]] = defaultdict(list)
        for event in events:
            if parent not in event.canonicals("parent"):
                continue
            children = event.canonicals("child")
            if event.action in _JOINING:
                for child in children:
                    open_since.setdefault(child, event.time)
            elif event.action == "DELETE":
                for child in children or list(open_since):
                    start = open_since.pop(child, None)
                    if start is not None:
                        spans[child].append((start, event.time))
        for child, start in open_since.items():
            spans[child].append((start, None))
        for child, child_spans in spans.items():
            if child in found.objects:
                windows[(child, parent)] = child_spans
    return windows
