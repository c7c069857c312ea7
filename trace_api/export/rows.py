"""The records every export shares, built from the stored events of a selection.

For each selected lot (traceability lot code, TLC) its *journey* is taken from the trace
(:func:`trace_api.trace.graph.expand` and :func:`trace_api.trace.journey.journeys`): the events
naming the lot, and the events of the containers (SSCCs) it sat in while it sat in them, so a
pallet's shipping and receiving count for the lots on it (the GS1 US FSMA 204 "Aggregation
Add + Object Observe" pattern). Each journey event that is a critical tracking event gives one
:class:`CteRow` per (event, lot): the FSMA 204 spreadsheet writes them, the Art. 18 report reads
its suppliers and customers off them.

CTE of an event (GS1 US "EPCIS Recommendations for FSMA 204 CTEs" R2.0):

* ``TransformationEvent`` → *Initial Packing* at a ``packer`` location, else *Transformation*;
* ``ObjectEvent`` ``ADD`` creating the lot → *First Land-Based Receiving* when its ILMD has
  ``catchZone`` / ``harvestDateStart`` or the location is a ``port``, *Initial Packing* at a
  packer, *Transformation* at a processor, else *Harvesting*;
* bizStep ``shipping`` → *Shipping*; ``receiving`` → *Receiving*;
* bizStep ``other`` (or a ``cooling`` user step) with sensor reports → *Cooling*;
* anything else (inspection, retail sale, packing a pallet …) is not a CTE and gives no row.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone
from urllib.parse import unquote

import orjson
import sqlalchemy as sa
from sqlalchemy.engine import Connection

from trace_api.exceptions import ExportNotFoundError
from trace_api.export.selection import Selection
from trace_api.models import metadata
from trace_api.storage.connection import Target, transaction
from trace_api.storage.prepare import canonical
from trace_api.trace.fetch import CHUNK, EventRecord, canonicals_with_prefix, term
from trace_api.trace.graph import BACK, CARRIER, Genealogy, expand
from trace_api.trace.journey import journeys
from trace_api.trace.resolve import object_kind

__all__ = [
    "CTE_TYPES",
    "Collected",
    "CteRow",
    "Place",
    "Related",
    "collect",
    "gln_of",
    "lot_parts",
]

CTE_TYPES = (
    "Harvesting",
    "Cooling",
    "Initial Packing",
    "First Land-Based Receiving",
    "Shipping",
    "Receiving",
    "Transformation",
)
_DL = "https://id.gs1.org/"
_EVENT = metadata.tables["event"]
_BT = metadata.tables["event_biz_transaction"]
_IDENT = metadata.tables["event_identifier"]
_SENSOR = metadata.tables["sensor_report"]
_LOCATION = metadata.tables["location"]
_PARTY = metadata.tables["party"]
_PRODUCT = metadata.tables["product"]
_CREATING = frozenset({"commissioning", "creating_class_instance"})
_COOLING = frozenset({"other", "cooling"})
_LOCATION_TYPE = "location"
#: Rounds of the trace expansion: the lot, its containers, theirs (pallet in a container).
_ROUNDS = 4


@dataclass(frozen=True, slots=True)
class Place:
    """A location or party as master data describes it (``id`` is the canonical link)."""

    id: str
    value: str
    name: str | None = None
    name_zh: str | None = None
    address: str | None = None
    country: str | None = None
    kind: str | None = None
    party_name: str | None = None

    @property
    def gln(self) -> str:
        """The GLN (with ``.extension`` for a sub-location), or the identifier as given."""
        return gln_of(self.id) or self.value

    def description(self) -> str:
        """Business name, site name, address and country, as FSMA 204 describes a location."""
        head = ", ".join(p for p in (self.party_name, self.name) if p) or self.gln
        rest = [p for p in (self.address, self.country) if p]
        return ", ".join([head, *rest])


@dataclass(frozen=True, slots=True)
class Related:
    """Another lot of the same transformation (an input of an output, or an output of an input)."""

    tlc: str
    quantity: float | None
    uom: str | None


@dataclass(slots=True)
class CteRow:
    """One critical tracking event of one lot."""

    cte: str
    tlc: str
    gtin: str
    lot: str
    product: str | None
    quantity: float | None
    uom: str | None
    time: datetime
    offset: str
    location: Place | None
    ship_from: Place | None
    ship_to: Place | None
    ship_to_party: Place | None
    receiving: Place | None
    tlc_source: Place | None
    references: list[tuple[str, str]]
    role: str
    related: list[Related]
    container: str | None
    event_id: str
    event_type: str
    biz_step: str | None

    @property
    def local_time(self) -> datetime:
        """The event time in the event's own time zone offset."""
        return self.time.astimezone(_offset(self.offset))


@dataclass(slots=True)
class Collected:
    """What :func:`collect` found: the rows and the events they came from."""

    selection: Selection
    rows: list[CteRow] = field(default_factory=list)
    #: Every event of the selected lots' journeys (CTE or not) that the caller may see.
    event_pks: list[int] = field(default_factory=list)
    lots: list[str] = field(default_factory=list)
    products: dict[str, Place] = field(default_factory=dict)
    tlc_sources: dict[str, Place | None] = field(default_factory=dict)


def gln_of(link: str) -> str | None:
    """``https://id.gs1.org/414/{gln}[/254/{ext}]`` (or ``/417/``) → ``gln`` or ``gln.ext``."""
    if not link.startswith(_DL):
        return None
    parts = link[len(_DL) :].split("/")
    if len(parts) >= 2 and parts[0] in ("414", "417"):
        if len(parts) >= 4 and parts[2] == "254":
            return f"{parts[1]}.{unquote(parts[3])}"
        return parts[1]
    return None


def lot_parts(tlc: str) -> tuple[str, str]:
    """``(gtin, lot)`` of a canonical lot link."""
    parts = tlc[len(_DL) :].split("/")
    return parts[1], unquote(parts[3])


def _offset(text: str) -> timezone:
    try:
        sign = -1 if text.startswith("-") else 1
        hours, minutes = text.lstrip("+-").split(":")
        return timezone(sign * timedelta(hours=int(hours), minutes=int(minutes)))
    except ValueError:
        return UTC


def _chunks(values: Iterable[int]) -> Iterable[list[int]]:
    ordered = sorted(values)
    for i in range(0, len(ordered), CHUNK):
        yield ordered[i : i + CHUNK]


@dataclass(slots=True)
class _Extra:
    """Per event: what the trace's :class:`EventRecord` does not carry."""

    offsets: dict[int, str] = field(default_factory=dict)
    references: dict[int, list[tuple[str, str]]] = field(default_factory=dict)
    sensed: set[int] = field(default_factory=set)
    catch: set[int] = field(default_factory=set)


def _extra(connection: Connection, events: dict[int, EventRecord]) -> _Extra:
    extra = _Extra()
    ilmd_wanted = {pk for pk, e in events.items() if e.type == "ObjectEvent" and e.action == "ADD"}
    for batch in _chunks(events):
        for pk, offset, raw in connection.execute(
            sa.select(
                _EVENT.c.id,
                _EVENT.c.event_time_zone_offset,
                sa.case((_EVENT.c.id.in_(sorted(ilmd_wanted & set(batch))), _EVENT.c.raw)),
            ).where(_EVENT.c.id.in_(batch))
        ):
            extra.offsets[int(pk)] = offset
            if raw is not None and _catch_ilmd(raw):
                extra.catch.add(int(pk))
        for pk, kind, value in connection.execute(
            sa.select(_BT.c.event_pk, _BT.c.type, _BT.c.value)
            .where(_BT.c.event_pk.in_(batch))
            .order_by(_BT.c.id)
        ):
            extra.references.setdefault(int(pk), []).append((term(kind) or "", value))
        cooling = [pk for pk in batch if events[pk].biz_step in _COOLING]
        if cooling:
            extra.sensed |= {
                int(pk)
                for (pk,) in connection.execute(
                    sa.select(_SENSOR.c.event_pk).distinct().where(_SENSOR.c.event_pk.in_(cooling))
                )
            }
    return extra


def _catch_ilmd(raw: str) -> bool:
    ilmd = orjson.loads(raw).get("ilmd")
    if not isinstance(ilmd, dict):
        return False
    return any(k.endswith(("catchZone", "harvestDateStart", "harvestDateEnd")) for k in ilmd)


def _places(connection: Connection, links: set[str]) -> dict[str, Place]:
    """Master data of the locations, parties and products ``links`` name (canonical links)."""
    found: dict[str, Place] = {}
    party_names: dict[int, str | None] = {}
    located: list[tuple[str, int]] = []
    for batch in (sorted(links)[i : i + CHUNK] for i in range(0, len(links), CHUNK)):
        for row in connection.execute(
            sa.select(
                _LOCATION.c.canonical,
                _LOCATION.c.gln,
                _LOCATION.c.name_en,
                _LOCATION.c.name_zh,
                _LOCATION.c.address,
                _LOCATION.c.country,
                _LOCATION.c.kind,
                _LOCATION.c.party_id,
            ).where(_LOCATION.c.canonical.in_(batch))
        ):
            found[row[0]] = Place(row[0], row[1], row[2], row[3], row[4], row[5], row[6])
            if row[7] is not None:
                located.append((row[0], int(row[7])))
        for table, kind in ((_PARTY, "party"), (_PRODUCT, "product")):
            key = table.c.gln if kind == "party" else table.c.gtin
            for link, value, name, name_zh in connection.execute(
                sa.select(table.c.canonical, key, table.c.name_en, table.c.name_zh).where(
                    table.c.canonical.in_(batch)
                )
            ):
                found[link] = Place(link, value, name, name_zh, kind=kind)
    wanted = sorted({pk for _, pk in located})
    for batch_ids in (wanted[i : i + CHUNK] for i in range(0, len(wanted), CHUNK)):
        for pk, name in connection.execute(
            sa.select(_PARTY.c.id, _PARTY.c.name_en).where(_PARTY.c.id.in_(batch_ids))
        ):
            party_names[int(pk)] = name
    for link, pk in located:
        place = found[link]
        found[link] = Place(
            place.id,
            place.value,
            place.name,
            place.name_zh,
            place.address,
            place.country,
            place.kind,
            party_names.get(pk),
        )
    return found


def _seeds(connection: Connection, selection: Selection) -> list[str]:
    if selection.lots:
        return list(selection.lots)
    assert selection.gtin is not None
    if selection.start is None and selection.end is None:
        found = canonicals_with_prefix(connection, selection.gtin)
    else:  # only the lots some event of the date range names
        query = (
            sa.select(_IDENT.c.canonical)
            .distinct()
            .select_from(_IDENT.join(_EVENT, _EVENT.c.id == _IDENT.c.event_pk))
            .where(_IDENT.c.canonical.startswith(selection.gtin + "/10/"))
        )
        if selection.start is not None:
            query = query.where(_EVENT.c.event_time >= selection.start)
        if selection.end is not None:
            query = query.where(_EVENT.c.event_time < selection.end)
        found = {str(value) for (value,) in connection.execute(query)}
    return sorted(c for c in found if object_kind(c) == "lot")


def _visible(connection: Connection, pks: set[int], scope: sa.ColumnElement[bool]) -> set[int]:
    allowed: set[int] = set()
    for batch in _chunks(pks):
        query = sa.select(_EVENT.c.id).where(_EVENT.c.id.in_(batch), scope)
        allowed.update(int(pk) for (pk,) in connection.execute(query))
    return allowed


class _Builder:
    """Turns journeys into rows, with the master data and extra event facts at hand."""

    def __init__(
        self, found: Genealogy, extra: _Extra, places: dict[str, Place], selection: Selection
    ) -> None:
        self.found = found
        self.extra = extra
        self.places = places
        self.selection = selection
        self.memo: dict[str, Place] = {}
        self.groups: dict[str, list[EventRecord]] = defaultdict(list)
        for event in found.live_events():
            if event.transformation_id:
                self.groups[event.transformation_id].append(event)
        # (lot, container) → [(time, quantity, uom)] of the aggregations that packed it.
        self.packed: dict[tuple[str, str], list[tuple[datetime, float | None, str | None]]] = (
            defaultdict(list)
        )
        for event in found.live_events():
            if event.type == "AggregationEvent" and event.action in ("ADD", "OBSERVE"):
                for ident in event.identifiers:
                    if ident.role == "child" and ident.kind == "class":
                        for parent in event.canonicals("parent"):
                            self.packed[(ident.canonical, parent)].append(
                                (event.time, ident.quantity, ident.uom)
                            )

    def place(self, value: str | None) -> Place | None:
        if not value:
            return None
        found = self.memo.get(value)
        if found is None:
            link = canonical(value)
            found = self.memo[value] = self.places.get(link) or Place(link, value)
        return found

    def kind_at(self, event: EventRecord) -> str | None:
        place = self.place(event.location)
        return place.kind if place else None

    def cte(self, event: EventRecord, roles: set[str]) -> str | None:
        kind = self.kind_at(event)
        if event.type == "TransformationEvent":
            return "Initial Packing" if kind == "packer" else "Transformation"
        if event.type == "ObjectEvent" and event.action == "ADD" and "epc" in roles:
            if event.biz_step not in _CREATING and event.biz_step is not None:
                return None
            if event.pk in self.extra.catch or kind == "port":
                return "First Land-Based Receiving"
            if kind == "packer":
                return "Initial Packing"
            if kind == "processor":
                return "Transformation"
            return "Harvesting"
        if event.biz_step == "shipping":
            return "Shipping"
        if event.biz_step == "receiving":
            return "Receiving"
        if event.biz_step in _COOLING and event.pk in self.extra.sensed:
            return "Cooling"
        return None

    def quantity(
        self, event: EventRecord, lot: str, container: str | None, role: str
    ) -> tuple[float | None, str | None]:
        for ident in event.identifiers:
            if ident.canonical == lot and (not role or ident.role == role):
                return ident.quantity, ident.uom
        if container is not None:
            earlier = [p for p in self.packed.get((lot, container), ()) if p[0] <= event.time]
            if earlier:
                _, quantity, uom = max(earlier, key=lambda p: p[0])
                return quantity, uom
        return None, None

    def related(self, event: EventRecord, role: str) -> list[Related]:
        other = {"output": "input", "input": "output"}.get(role)
        if other is None:
            return []
        group = self.groups.get(event.transformation_id or "", [event])
        return [
            Related(ident.canonical, ident.quantity, ident.uom)
            for part in group
            for ident in part.identifiers
            if ident.role == other
        ]

    def tlc_source(self, lot: str, journey: list[tuple[EventRecord, str | None]]) -> Place | None:
        for event, via in journey:
            if via is not None:
                continue
            roles = event.roles_of(lot)
            created = ("output" in roles and event.type == "TransformationEvent") or (
                "epc" in roles and event.type == "ObjectEvent" and event.action == "ADD"
            )
            if created:
                return self.place(event.location)
        return None

    def previous_origin(
        self, journey: list[tuple[EventRecord, str | None]], index: int, here: str | None
    ) -> Place | None:
        """Where the shipment received at ``journey[index]`` came from."""
        for event, _via in reversed(journey[:index]):
            if event.biz_step == "shipping":
                targets = {canonical(v) for t, v in event.destinations if t == _LOCATION_TYPE}
                if here is None or not targets or canonical(here) in targets:
                    return self.ship_origin(event)
        return None

    def next_recipient(
        self, journey: list[tuple[EventRecord, str | None]], index: int, here: str | None
    ) -> Place | None:
        """The immediate subsequent recipient of a harvest or cooling: the destination of the
        next transport or shipment of the lot from the same place (GS1 US: a ``transporting``
        event after harvesting and after cooling)."""
        for event, _via in journey[index + 1 :]:
            if event.biz_step in ("transporting", "shipping") and event.location == here:
                targets = [v for t, v in event.destinations if t == _LOCATION_TYPE]
                return self.place(targets[0]) if targets else None
        return None

    def ship_origin(self, event: EventRecord) -> Place | None:
        sources = [v for t, v in event.sources if t == _LOCATION_TYPE]
        return self.place(sources[0] if sources else event.location)

    def rows(
        self, lot: str, journey: list[tuple[EventRecord, str | None]], visible: set[int] | None
    ) -> list[CteRow]:
        gtin, lot_code = lot_parts(lot)
        product = self.places.get(f"{_DL}01/{gtin}")
        source = self.tlc_source(lot, journey)
        out: list[CteRow] = []
        for index, (event, via) in enumerate(journey):
            if visible is not None and event.pk not in visible:
                continue
            if not self.selection.within(event.time):
                continue
            roles = event.roles_of(lot) if via is None else set()
            cte = self.cte(event, roles)
            if cte is None:
                continue
            role = "input" if "input" in roles else "output" if "output" in roles else ""
            quantity, uom = self.quantity(event, lot, via, role)
            ship_from = ship_to = receiving = to_party = None
            if cte == "Shipping":
                ship_from = self.ship_origin(event)
                targets = [v for t, v in event.destinations if t == _LOCATION_TYPE]
                parties = [v for t, v in event.destinations if t != _LOCATION_TYPE]
                ship_to = self.place(targets[0]) if targets else None
                to_party = self.place(parties[0]) if parties else None
            elif cte in ("Receiving", "Cooling") or (
                cte == "First Land-Based Receiving" and event.sources
            ):
                targets = [v for t, v in event.destinations if t == _LOCATION_TYPE]
                receiving = self.place(event.location or (targets[0] if targets else None))
                sources = [v for t, v in event.sources if t == _LOCATION_TYPE]
                ship_from = (
                    self.place(sources[0])
                    if sources
                    else self.previous_origin(journey, index, event.location)
                )
            if cte in ("Harvesting", "Cooling"):
                ship_to = self.next_recipient(journey, index, event.location)
            out.append(
                CteRow(
                    cte=cte,
                    tlc=lot,
                    gtin=gtin,
                    lot=lot_code,
                    product=product.name if product else None,
                    quantity=quantity,
                    uom=uom,
                    time=event.time,
                    offset=self.extra.offsets.get(event.pk, "+00:00"),
                    location=self.place(event.location),
                    ship_from=ship_from,
                    ship_to=ship_to,
                    ship_to_party=to_party,
                    receiving=receiving,
                    tlc_source=source,
                    references=self.extra.references.get(event.pk, []),
                    role=role,
                    related=self.related(event, role),
                    container=via,
                    event_id=event.event_id,
                    event_type=event.type,
                    biz_step=event.biz_step,
                )
            )
        return out


def _links(found: Genealogy, lots: list[str]) -> set[str]:
    links: set[str] = set()
    for event in found.live_events():
        for value in (event.location, *(v for _, v in event.sources + event.destinations)):
            if value:
                links.add(canonical(value))
    links |= {f"{_DL}01/{lot_parts(lot)[0]}" for lot in lots}
    return links


def collect(
    target: Target, selection: Selection, *, scope: sa.ColumnElement[bool] | None = None
) -> Collected:
    """The CTE rows of ``selection`` in time order (then lot, then event ID).

    ``scope`` limits the events to those a caller may see (see
    :func:`trace_api.api.access.query_scope`). A selected lot that no visible event names
    raises :class:`ExportNotFoundError`; a product without lots gives no rows.
    """
    collected = Collected(selection)
    with transaction(target) as connection:
        seeds = _seeds(connection, selection)
        if not seeds:
            return collected
        # Carrier mode: from the lots to the containers they sat in (and theirs), without
        # following transformations; the lots themselves are then marked as traced objects
        # so that :func:`journeys` gives theirs (it skips pure carriers).
        found = expand(connection, seeds, CARRIER, max_rounds=_ROUNDS)
        for seed in seeds:
            found.objects[seed].add(BACK)
        paths = journeys(found)
        events = {e.pk: e for seed in seeds for e, _ in paths.get(seed, ())}
        visible = _visible(connection, set(events), scope) if scope is not None else None
        extra = _extra(connection, events)
        places = _places(connection, _links(found, seeds))
    builder = _Builder(found, extra, places, selection)
    for seed in seeds:
        journey = paths.get(seed, [])
        seen = [e for e, _ in journey if visible is None or e.pk in visible]
        if not seen:
            if selection.lots:
                raise ExportNotFoundError(f"no stored event names the lot {seed}")
            continue
        collected.lots.append(seed)
        collected.tlc_sources[seed] = builder.tlc_source(seed, journey)
        collected.rows += builder.rows(seed, journey, visible)
    collected.event_pks = sorted(
        pk
        for pk, e in events.items()
        if (visible is None or pk in visible) and selection.within(e.time)
    )
    collected.products = {k: v for k, v in places.items() if v.kind == "product"}
    collected.rows.sort(key=lambda r: (r.time, r.tlc, r.event_id, r.role))
    return collected
