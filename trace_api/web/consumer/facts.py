"""The public facts of one scanned code, gathered from the traceability database.

Only what a shopper may see: the product's master data (names, ingredients, shelf life,
temperature range, certifications), the places the item or lot passed through (names,
address, coordinates, the owning company's name) with the time and business step of each
event, the cold-chain summary of the sensor readings on those events, the expiry date, and the
recalls of this lot or of any lot it was made from. Never business transactions, quantities,
licence numbers, event identifiers, other lots' identifiers or who else bought the lot.

The journey is the trace **back** from the scanned identifier (its own events, those of the
containers it travelled in, and those of the lots it was made from), so nothing made from it
appears; a lot's own events do include every shop the lot was shipped to.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, timezone, tzinfo
from typing import Any

import orjson
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from foodtrace.exceptions import GS1Error
from foodtrace.gs1.digital_link import DigitalLink, parse_digital_link
from trace_api.models import metadata
from trace_api.recall import recall_status
from trace_api.storage.prepare import canonical as canonical_identifier
from trace_api.trace.graph import BACK, expand
from trace_api.trace.journey import journeys
from trace_api.trace.resolve import object_kind
from trace_api.trace.timeline import timeline
from trace_api.web.consumer.coldchain import ColdChain, cold_chain
from trace_api.web.consumer.keys import Requested

__all__ = [
    "ConsumerFacts",
    "Place",
    "ProductFacts",
    "RecallFacts",
    "Stop",
    "gather",
    "is_known",
]

_PRODUCT = metadata.tables["product"]
_PARTY = metadata.tables["party"]
_LOCATION = metadata.tables["location"]
_EVENT = metadata.tables["event"]
_IDENT = metadata.tables["event_identifier"]
_EXPIRY_KEYS = ("itemExpirationDate", "bestBeforeDate", "sellByDate")
_PACKING_KINDS = ("packer", "processor")
_CHUNK = 500


@dataclass(frozen=True, slots=True)
class ProductFacts:
    gtin: str
    name_en: str | None
    name_zh: str | None
    ingredients: list[dict[str, str]]
    shelf_life_days: int | None
    temp_min_c: float | None
    temp_max_c: float | None
    certifications: list[dict[str, Any]]
    brand_en: str | None
    brand_zh: str | None


@dataclass(frozen=True, slots=True)
class Place:
    canonical: str
    name_en: str | None
    name_zh: str | None
    address: str | None
    country: str | None
    latitude: float | None
    longitude: float | None
    kind: str | None
    company_en: str | None
    company_zh: str | None


@dataclass(slots=True)
class Stop:
    """Consecutive events at one place: when the item arrived and left, and what happened."""

    place: Place | None
    first: datetime
    last: datetime
    steps: list[str | None] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class RecallFacts:
    lot: str
    reason: str | None
    declared: datetime
    own: bool  # the scanned lot itself (else a lot it was made from)


@dataclass(slots=True)
class ConsumerFacts:
    requested: Requested
    product: ProductFacts | None
    traced: bool = False
    journey: list[Stop] = field(default_factory=list)
    origin: Stop | None = None
    packed: Stop | None = None
    cold: ColdChain | None = None
    expiry: date | None = None
    expiry_source: str | None = None
    recalls: list[RecallFacts] = field(default_factory=list)

    @property
    def known(self) -> bool:
        """Whether there is anything to show (else the resolver answers 404)."""
        return self.product is not None or self.traced

    @property
    def recalled(self) -> bool:
        return bool(self.recalls)

    def to_public(self) -> dict[str, Any]:
        """The JSON answer for ``linkType=gs1:traceability`` (public fields only)."""
        r = self.requested
        product = None
        if self.product is not None:
            p = self.product
            product = {
                "gtin": p.gtin,
                "name": {"en": p.name_en, "zh": p.name_zh},
                "brand": {"en": p.brand_en, "zh": p.brand_zh},
                "ingredients": p.ingredients,
                "shelfLifeDays": p.shelf_life_days,
                "temperatureRangeC": [p.temp_min_c, p.temp_max_c],
                "certifications": p.certifications,
            }
        return {
            "id": r.canonical,
            "kind": r.kind,
            "gtin": r.gtin,
            "lot": r.lot,
            "serial": r.serial,
            "sscc": r.sscc,
            "product": product,
            "recalled": self.recalled,
            "recalls": [
                {"lot": c.lot, "reason": c.reason, "declared": c.declared.isoformat()}
                for c in self.recalls
            ],
            "origin": _stop_dict(self.origin),
            "packed": _stop_dict(self.packed),
            "journey": [_stop_dict(s) for s in self.journey],
            "coldChain": self.cold.to_dict() if self.cold else None,
            "expiry": self.expiry.isoformat() if self.expiry else None,
            "expirySource": self.expiry_source,
        }


def _place_dict(place: Place | None) -> dict[str, Any] | None:
    if place is None:
        return None
    return {
        "id": place.canonical,
        "name": {"en": place.name_en, "zh": place.name_zh},
        "kind": place.kind,
        "address": place.address,
        "country": place.country,
        "latitude": place.latitude,
        "longitude": place.longitude,
        "company": {"en": place.company_en, "zh": place.company_zh},
    }


def _stop_dict(stop: Stop | None) -> dict[str, Any] | None:
    if stop is None:
        return None
    return {
        "place": _place_dict(stop.place),
        "from": stop.first.isoformat(),
        "to": stop.last.isoformat(),
        "steps": stop.steps,
    }


def _product(connection: sa.Connection, gtin: str) -> ProductFacts | None:
    row = connection.execute(
        sa.select(
            _PRODUCT.c.gtin,
            _PRODUCT.c.name_en,
            _PRODUCT.c.name_zh,
            _PRODUCT.c.ingredients,
            _PRODUCT.c.shelf_life_days,
            _PRODUCT.c.temp_min_c,
            _PRODUCT.c.temp_max_c,
            _PRODUCT.c.certifications,
            _PARTY.c.name_en,
            _PARTY.c.name_zh,
        )
        .select_from(_PRODUCT.outerjoin(_PARTY, _PARTY.c.id == _PRODUCT.c.brand_owner_id))
        .where(_PRODUCT.c.gtin == gtin)
    ).first()
    if row is None:
        return None
    return ProductFacts(
        gtin=row[0],
        name_en=row[1],
        name_zh=row[2],
        ingredients=list(row[3] or []),
        shelf_life_days=row[4],
        temp_min_c=row[5],
        temp_max_c=row[6],
        certifications=list(row[7] or []),
        brand_en=row[8],
        brand_zh=row[9],
    )


def _places(connection: sa.Connection, canonicals: set[str]) -> dict[str, Place]:
    if not canonicals:
        return {}
    rows = connection.execute(
        sa.select(
            _LOCATION.c.canonical,
            _LOCATION.c.name_en,
            _LOCATION.c.name_zh,
            _LOCATION.c.address,
            _LOCATION.c.country,
            _LOCATION.c.latitude,
            _LOCATION.c.longitude,
            _LOCATION.c.kind,
            _PARTY.c.name_en,
            _PARTY.c.name_zh,
        )
        .select_from(_LOCATION.outerjoin(_PARTY, _PARTY.c.id == _LOCATION.c.party_id))
        .where(_LOCATION.c.canonical.in_(sorted(canonicals)))
    )
    return {
        row[0]: Place(
            canonical=row[0],
            name_en=row[1],
            name_zh=row[2],
            address=row[3],
            country=row[4],
            latitude=row[5],
            longitude=row[6],
            kind=row[7],
            company_en=row[8],
            company_zh=row[9],
        )
        for row in rows
    }


def _unknown_place(canonical: str) -> Place:
    return Place(canonical, None, None, None, None, None, None, None, None, None)


def _offsets(connection: sa.Connection, event_ids: list[str]) -> dict[str, tzinfo]:
    """Each event's own time zone (``eventTimeZoneOffset``), to show local times."""
    found: dict[str, tzinfo] = {}
    for start in range(0, len(event_ids), _CHUNK):
        query = sa.select(_EVENT.c.event_id, _EVENT.c.event_time_zone_offset).where(
            _EVENT.c.event_id.in_(event_ids[start : start + _CHUNK])
        )
        for event_id, offset in connection.execute(query):
            try:
                sign = -1 if offset[0] == "-" else 1
                hours, minutes = int(offset[1:3]), int(offset[4:6])
                found[event_id] = timezone(sign * timedelta(hours=hours, minutes=minutes))
            except (ValueError, IndexError, TypeError):
                continue
    return found


def _stops(
    timeline: list[dict[str, Any]], places: dict[str, Place], zones: dict[str, tzinfo]
) -> list[Stop]:
    """The journey's stops; times in the zone each event was recorded in."""
    stops: list[Stop] = []
    for entry in timeline:
        if entry.get("disposition") == "recalled" or entry.get("location") is None:
            continue  # recall records and placeless events are not part of the journey
        canonical = entry["location"]
        place = places.get(canonical) or _unknown_place(canonical)
        when = datetime.fromisoformat(entry["time"]).astimezone(zones.get(entry["event"], UTC))
        if stops and stops[-1].place is not None and stops[-1].place.canonical == canonical:
            stops[-1].last = when
            if entry.get("bizStep") not in stops[-1].steps:
                stops[-1].steps.append(entry.get("bizStep"))
            continue
        stops.append(Stop(place, when, when, [entry.get("bizStep")]))
    return stops


def _first_of_kind(stops: list[Stop], kinds: tuple[str, ...]) -> Stop | None:
    return next((s for s in stops if s.place is not None and s.place.kind in kinds), None)


def _ilmd(connection: sa.Connection, canonicals: list[str]) -> tuple[date | None, set[str]]:
    """The earliest expiry date and the lot numbers in the ILMD of the events that
    commissioned these identifiers."""
    query = (
        sa.select(_EVENT.c.raw)
        .select_from(_EVENT.join(_IDENT, _IDENT.c.event_pk == _EVENT.c.id))
        .where(
            _IDENT.c.canonical.in_(canonicals),
            _IDENT.c.role.in_(("epc", "output")),
            _EVENT.c.error_declared.is_(False),
            _EVENT.c.raw.contains('"ilmd"'),
        )
    )
    dates: list[date] = []
    lots: set[str] = set()
    for (raw,) in connection.execute(query):
        ilmd = orjson.loads(raw).get("ilmd")
        if not isinstance(ilmd, dict):
            continue
        for key, value in ilmd.items():
            local = key.rsplit(":", 1)[-1].rsplit("/", 1)[-1].rsplit("#", 1)[-1]
            if not isinstance(value, str):
                continue
            if local == "lotNumber":
                lots.add(value)
            elif local in _EXPIRY_KEYS:
                try:
                    dates.append(date.fromisoformat(value[:10]))
                except ValueError:
                    continue
    return (min(dates) if dates else None), lots


def _barcode_date(value: str) -> date | None:
    """A GS1 YYMMDD date (DD = 00: the month's last day); years per the GS1 sliding window."""
    year, month, day = 2000 + int(value[:2]), int(value[2:4]), int(value[4:6])
    if year > datetime.now(UTC).year + 50:
        year -= 100
    try:
        if day == 0:
            nxt = date(year + (month == 12), month % 12 + 1, 1)
            return nxt - timedelta(days=1)
        return date(year, month, day)
    except ValueError:
        return None


def _recalls(engine: Engine, lots: list[str], own: set[str]) -> list[RecallFacts]:
    """The recalls of ``lots`` (canonical lot links); the scanned lot's first, newest first."""
    out: list[RecallFacts] = []
    for canonical in lots:
        link = parse_digital_link(canonical)
        gtin, lot = link.primary.value, link.qualifiers[0].value
        out.extend(
            RecallFacts(
                lot=lot,
                reason=recall["reason"],
                declared=datetime.fromisoformat(recall["declaredAt"]),
                own=canonical in own,
            )
            for recall in recall_status(engine, gtin, lot)["recalls"]
        )
    return sorted(out, key=lambda r: (not r.own, -r.declared.timestamp()))


def is_known(engine: Engine, requested: Requested) -> bool:
    """Whether master data names the product or an event names the key (what the linkset
    needs to know; the same answer as :attr:`ConsumerFacts.known`, without the trace)."""
    with engine.connect() as connection:
        if requested.gtin is not None:
            query = sa.select(_PRODUCT.c.id).where(_PRODUCT.c.gtin == requested.gtin).limit(1)
            if connection.execute(query).first() is not None:
                return True
        if requested.kind == "gtin":
            return False
        query = sa.select(_IDENT.c.id).where(_IDENT.c.canonical == requested.canonical).limit(1)
        return connection.execute(query).first() is not None


def _trace_back(
    connection: sa.Connection, canonical: str
) -> tuple[list[dict[str, Any]], set[str]] | None:
    """The journey timeline back from ``canonical`` and the recalled lots in its genealogy;
    ``None`` when no event names it. The building blocks of :func:`trace_api.trace.trace`
    without what the page does not use (graph nodes and edges, holders, master-data names)."""
    found = expand(connection, {canonical}, BACK)
    live = found.live_events()
    if not live:
        return None
    entries = timeline(journeys(found), {}, canonical_identifier)
    recalled = {
        i.canonical
        for e in live
        if e.disposition == "recalled"
        for i in e.identifiers
        if i.canonical in found.objects and object_kind(i.canonical) == "lot"
    }
    return entries, recalled


def gather(engine: Engine, requested: Requested) -> ConsumerFacts:
    """Every public fact about the scanned code (see the module docstring)."""
    own = {requested.canonical}
    if requested.lot_canonical:
        own.add(requested.lot_canonical)
    lots: set[str] = set()
    with engine.connect() as connection:
        product = _product(connection, requested.gtin) if requested.gtin else None
        facts = ConsumerFacts(requested, product)
        if requested.kind == "gtin":
            return facts  # a product-level code names every lot: no lot's journey is shown
        traced = _trace_back(connection, requested.canonical)
        if traced is not None:
            entries, lots = traced
            facts.traced = True
            locations = {e["location"] for e in entries if e.get("location")}
            zones = _offsets(connection, sorted({e["event"] for e in entries}))
            facts.journey = _stops(entries, _places(connection, locations), zones)
            facts.origin = _first_of_kind(facts.journey, ("farm",)) or (
                facts.journey[0] if facts.journey else None
            )
            facts.packed = _first_of_kind(facts.journey, _PACKING_KINDS)
            facts.cold = cold_chain(connection, [e["event"] for e in entries], product)
        named = {requested.canonical, requested.lot_canonical or requested.canonical}
        from_ilmd, ilmd_lots = _ilmd(connection, sorted(named))
    if requested.lot_canonical:
        lots.add(requested.lot_canonical)  # an item's lot named in its code is checked too
    elif requested.kind == "item" and requested.gtin:
        for number in sorted(ilmd_lots):  # or the lot its commissioning recorded
            try:
                link = DigitalLink.build("01", requested.gtin, [("10", number)])
            except GS1Error:
                continue
            lots.add(link.canonical_uri())
            own.add(link.canonical_uri())
    facts.recalls = _recalls(engine, sorted(lots), own)
    _expiry(facts, from_ilmd)
    return facts


def _expiry(facts: ConsumerFacts, from_ilmd: date | None) -> None:
    requested = facts.requested
    if from_ilmd is not None:
        facts.expiry, facts.expiry_source = from_ilmd, "ilmd"
        return
    for ai in ("17", "15", "16"):
        value = requested.attributes.get(ai)
        if value and (when := _barcode_date(value)) is not None:
            facts.expiry, facts.expiry_source = when, "barcode"
            return
    product = facts.product
    packed = facts.packed or (facts.journey[0] if facts.journey else None)
    if product is not None and product.shelf_life_days is not None and packed is not None:
        facts.expiry = packed.first.date() + timedelta(days=product.shelf_life_days)
        facts.expiry_source = "shelf_life"
