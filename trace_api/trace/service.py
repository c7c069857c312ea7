"""``trace(target, id, direction)``: the genealogy graph, journey timeline and current holders
of one identifier, as the API and CLI return them."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from trace_api.exceptions import TraceIdError, TraceNotFoundError
from trace_api.storage.connection import Target, transaction
from trace_api.storage.prepare import canonical
from trace_api.trace.fetch import EventRecord, canonicals_with_prefix, master_names
from trace_api.trace.graph import DIRECTIONS, FORWARD, Genealogy, expand
from trace_api.trace.holders import Holder, current_holders
from trace_api.trace.journey import journeys
from trace_api.trace.resolve import Resolved, object_kind, resolve
from trace_api.trace.timeline import timeline

__all__ = ["Trace", "trace"]

_PARTY_TYPES = frozenset({"owning_party", "possessing_party"})


@dataclass(slots=True)
class Trace:
    """A trace result; :meth:`to_dict` is the JSON the API and ``--json`` print."""

    resolved: Resolved
    direction: str
    nodes: list[dict[str, Any]] = field(default_factory=list)
    edges: list[dict[str, Any]] = field(default_factory=list)
    timeline: list[dict[str, Any]] = field(default_factory=list)
    holders: list[dict[str, Any]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.resolved.given,
            "canonical": self.resolved.canonical,
            "kind": self.resolved.kind,
            "direction": self.direction,
            "nodes": self.nodes,
            "edges": self.edges,
            "timeline": self.timeline,
            "holders": self.holders,
        }


def _gtin_of(identifier: str) -> str | None:
    parts = identifier.split("/")
    if len(parts) >= 5 and parts[3] == "01":
        return "/".join(parts[:5])
    return None


class _Builder:
    def __init__(self) -> None:
        self.nodes: dict[str, dict[str, Any]] = {}
        self.edges: dict[tuple[str, str, str, str | None], dict[str, Any]] = {}

    def node(self, node_id: str, kind: str, **extra: Any) -> None:
        self.nodes.setdefault(node_id, {"id": node_id, "kind": kind}).update(extra)

    def edge(self, source: str, target: str, kind: str, event: str | None) -> None:
        key = (source, target, kind, event)
        self.edges.setdefault(
            key, {"source": source, "target": target, "kind": kind, "event": event}
        )


def _place_edges(builder: _Builder, event: EventRecord, objects: set[str]) -> None:
    """Object → location/party edges of one event, for the traced objects it names."""
    location = canonical(event.location) if event.location else None
    if location:
        builder.node(location, "location", value=event.location)
    for ident in event.identifiers:
        obj = ident.canonical
        if obj not in objects:
            continue
        if event.biz_step == "shipping" and event.destinations:
            for kind, value in event.destinations:
                target = canonical(value)
                builder.node(target, "party" if kind in _PARTY_TYPES else "location", value=value)
                builder.edge(obj, target, "shipped_to", event.event_id)
            continue
        if location is None:
            continue
        creating = event.biz_step == "commissioning" or (
            event.type == "ObjectEvent" and event.action == "ADD"
        )
        if creating and ident.role in ("epc", "output"):
            builder.edge(obj, location, "commissioned_at", event.event_id)
        elif event.biz_step == "receiving":
            builder.edge(obj, location, "received_at", event.event_id)
        else:
            builder.edge(obj, location, "observed_at", event.event_id)


def _holder_dict(holder: Holder, kind: str) -> dict[str, Any]:
    return {
        "object": holder.object,
        "objectKind": kind,
        "location": canonical(holder.location),
        "status": holder.status,
        "since": holder.since.isoformat(),
        "event": holder.event,
        "disposition": holder.disposition,
        "parties": [canonical(p) for p in holder.parties],
    }


def _assemble(found: Genealogy, resolved: Resolved, direction: str, target: Target) -> Trace:
    builder = _Builder()
    paths = journeys(found)
    classes = {i.canonical for e in found.live_events() for i in e.identifiers if i.kind == "class"}
    recalled = {
        i.canonical
        for e in found.live_events()
        if e.disposition == "recalled"
        for i in e.identifiers
    }
    objects = set(found.objects)
    for obj, modes in sorted(found.objects.items()):
        builder.node(
            obj,
            object_kind(obj),
            modes=sorted(modes),
            seed=obj in found.seeds,
            recalled=obj in recalled,
        )
    for link in found.links.values():
        builder.edge(link.source, link.target, link.kind, link.event)
    included: dict[int, EventRecord] = {}
    for path in paths.values():
        for event, _via in path:
            included[event.pk] = event
    for event in sorted(included.values(), key=lambda e: (e.time, e.event_id)):
        builder.node(
            event.event_id,
            "event",
            type=event.type,
            time=event.time.isoformat(),
            action=event.action,
            bizStep=event.biz_step,
            disposition=event.disposition,
        )
        _place_edges(builder, event, objects)
    holder_list: list[Holder] = []
    if direction in (FORWARD, "both"):
        for obj in sorted(found.members(FORWARD)):
            holder_list += current_holders(obj, paths[obj], obj in classes)
    for holder in holder_list:
        builder.node(canonical(holder.location), "location", value=holder.location)
        for party in holder.parties:
            builder.node(canonical(party), "party", value=party)
    wanted = set(builder.nodes) | {g for o in objects if (g := _gtin_of(o))}
    with transaction(target) as connection:
        names = master_names(connection, wanted)
    for node_id, node in builder.nodes.items():
        facts = names.get(node_id) or names.get(_gtin_of(node_id) or "", {})
        node.setdefault("name", facts.get("name"))
        node.setdefault("name_zh", facts.get("name_zh"))
        for key in ("location_kind", "party", "party_name"):
            if key in facts:
                node[key] = facts[key]
    holders = []
    for holder in holder_list:
        entry = _holder_dict(holder, object_kind(holder.object))
        facts = names.get(entry["location"], {})
        entry["locationName"] = facts.get("name")
        if facts.get("party"):
            entry["parties"] = [facts["party"], *entry["parties"]]
        entry["parties"] = list(dict.fromkeys(entry["parties"]))
        holders.append(entry)
    return Trace(
        resolved,
        direction,
        nodes=sorted(builder.nodes.values(), key=lambda n: (n["kind"], n["id"])),
        edges=sorted(
            builder.edges.values(), key=lambda e: (e["kind"], e["source"], e["target"], e["event"])
        ),
        timeline=timeline(paths, names, canonical),
        holders=holders,
    )


def trace(target: Target, value: str, direction: str = "both") -> Trace:
    """Trace ``value`` (EPC, SSCC, lot, GTIN; see :func:`resolve`) ``back``, ``forward`` or
    ``both``. Raises :class:`TraceIdError` (or the GS1 error naming the bad field) for a
    malformed identifier and :class:`TraceNotFoundError` when no event names it."""
    if direction not in DIRECTIONS:
        raise TraceIdError(f"direction {direction!r}: expected one of {', '.join(DIRECTIONS)}")
    resolved = resolve(value)
    with transaction(target) as connection:
        if resolved.is_prefix:
            seeds = canonicals_with_prefix(connection, resolved.canonical)
        else:
            seeds = {resolved.canonical}
        found = expand(connection, seeds, direction) if seeds else None
    if found is None or not found.live_events():
        raise TraceNotFoundError(f"no stored event names {value} ({resolved.canonical})")
    return _assemble(found, resolved, direction, target)
