"""What the detectors know besides the events: master data (locations with coordinates, kind
and party; products with shelf life and temperature range), the expected process per product
(routes, contract A ``routes.json``) and the recalls in force.

Loaded from a scenario directory's files, or from the traceability database (master-data
tables, recall events) plus an optional routes file; a product without a route gets one
learned from the history (:mod:`analytics.profile`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson

from analytics.events import parse_time
from analytics.exceptions import RoutesError, ScenarioError
from analytics.identifiers import canon, party_canon, place_canon

__all__ = [
    "Context",
    "Place",
    "ProductInfo",
    "Route",
    "context_from_db",
    "context_from_files",
    "parse_routes",
]


@dataclass(frozen=True, slots=True)
class Place:
    """A location of the master data."""

    id: str
    latitude: float | None
    longitude: float | None
    kind: str | None
    party: str | None
    country: str | None


@dataclass(frozen=True, slots=True)
class ProductInfo:
    """A product of the master data."""

    gtin: str
    shelf_life_days: float | None
    temp_min_c: float | None
    temp_max_c: float | None
    brand_owner: str | None = None


@dataclass(slots=True)
class Route:
    """The expected process of one product (contract A ``routes.json`` entry)."""

    steps: list[str]
    transit_hours: dict[str, tuple[float, float]] = field(default_factory=dict)
    dwell_hours: dict[str, tuple[float, float]] = field(default_factory=dict)
    authorised_parties: frozenset[str] = frozenset()
    countries: frozenset[str] = frozenset()
    bbox: tuple[float, float, float, float] | None = None
    learned: bool = False
    kinds: list[str | None] = field(default_factory=list)

    def __post_init__(self) -> None:
        if not self.kinds:
            self.kinds = step_kinds(self.steps, self.transit_hours)

    def to_json(self) -> dict[str, Any]:
        return {
            "steps": self.steps,
            "transit_hours": {k: list(v) for k, v in self.transit_hours.items()},
            "dwell_hours": {k: list(v) for k, v in self.dwell_hours.items()},
            "authorised_parties": sorted(self.authorised_parties),
            "authorised_region": {
                "countries": sorted(self.countries),
                "bbox": list(self.bbox) if self.bbox else None,
            },
            "learned": self.learned,
        }


@dataclass(slots=True)
class Context:
    """Master data, routes (by GTIN-14) and recalls (canonical lot → declared epoch s)."""

    places: dict[str, Place] = field(default_factory=dict)
    products: dict[str, ProductInfo] = field(default_factory=dict)
    routes: dict[str, Route] = field(default_factory=dict)
    recalls: dict[str, float] = field(default_factory=dict)


def step_kinds(
    steps: list[str], transit_hours: Mapping[str, tuple[float, float]]
) -> list[str | None]:
    """The kind of place each step of a route happens at, read from the chain of its
    ``transit_hours`` keys (``farm->dc``, ``dc->retail`` …): a new place begins at each
    ``receiving``. ``None`` for every step when the chain does not fit the steps."""
    hops = [k.split("->", 1) for k in transit_hours if "->" in k]
    targets = {b for _, b in hops}
    starts = [a for a, _ in hops if a not in targets]
    nxt = dict(hops)
    chain: list[str] = []
    if len(starts) == 1:
        chain.append(starts[0])
        while chain[-1] in nxt and len(chain) <= len(hops):
            chain.append(nxt[chain[-1]])
    receipts = sum(1 for i, s in enumerate(steps) if s == "receiving" and i > 0)
    if not chain or receipts != len(chain) - 1:
        return [None] * len(steps)
    kinds: list[str | None] = []
    k = 0
    for i, step in enumerate(steps):
        if step == "receiving" and i > 0:
            k += 1
        kinds.append(chain[k])
    return kinds


def _pair(value: Any, where: str) -> tuple[float, float]:
    if (
        not isinstance(value, list)
        or len(value) != 2
        or not all(isinstance(v, int | float) for v in value)
    ):
        raise RoutesError(f"{where}: expected [min, max] numbers, got {value!r}")
    return float(value[0]), float(value[1])


def parse_routes(data: Any) -> dict[str, Route]:
    """Contract-A ``routes.json`` content → routes by GTIN-14."""
    if not isinstance(data, Mapping) or not isinstance(data.get("products"), Mapping):
        raise RoutesError('a routes file is an object with a "products" object')
    routes: dict[str, Route] = {}
    for gtin, entry in data["products"].items():
        if not isinstance(entry, Mapping) or not isinstance(entry.get("steps"), list):
            raise RoutesError(f"product {gtin}: a route needs a list of steps")
        region = entry.get("authorised_region") or {}
        bbox = region.get("bbox") if isinstance(region, Mapping) else None
        if bbox is not None and (not isinstance(bbox, list) or len(bbox) != 4):
            raise RoutesError(f"product {gtin}: bbox is [minLat, minLon, maxLat, maxLon]")
        routes[str(gtin).zfill(14)] = Route(
            steps=[str(s) for s in entry["steps"]],
            transit_hours={
                str(k): _pair(v, f"{gtin} transit {k}")
                for k, v in (entry.get("transit_hours") or {}).items()
            },
            dwell_hours={
                str(k): _pair(v, f"{gtin} dwell {k}")
                for k, v in (entry.get("dwell_hours") or {}).items()
            },
            authorised_parties=frozenset(
                party_canon(str(p)) for p in entry.get("authorised_parties") or ()
            ),
            countries=frozenset(str(c) for c in (region.get("countries") or ())),
            bbox=(float(bbox[0]), float(bbox[1]), float(bbox[2]), float(bbox[3])) if bbox else None,
        )
    return routes


def _read_json(path: Path) -> Any:
    try:
        return orjson.loads(path.read_bytes())
    except FileNotFoundError as exc:
        raise ScenarioError(f"{path}: missing") from exc
    except orjson.JSONDecodeError as exc:
        raise ScenarioError(f"{path}: not JSON ({exc})") from exc


def _master(data: Any, context: Context) -> None:
    if not isinstance(data, Mapping):
        raise ScenarioError("master data is a JSON object")
    for loc in data.get("locations") or ():
        pid = place_canon(str(loc["gln"]))
        party = loc.get("party")
        context.places[pid] = Place(
            pid,
            loc.get("latitude"),
            loc.get("longitude"),
            loc.get("kind"),
            party_canon(str(party)) if party else None,
            loc.get("country"),
        )
    for prod in data.get("products") or ():
        gtin = str(prod["gtin"]).zfill(14)
        owner = prod.get("brand_owner")
        context.products[gtin] = ProductInfo(
            gtin,
            prod.get("shelf_life_days"),
            prod.get("temp_min_c"),
            prod.get("temp_max_c"),
            party_canon(str(owner)) if owner else None,
        )


def context_from_files(
    master: Path | None = None, routes: Path | None = None, recalls: Path | None = None
) -> Context:
    """A context from contract-A files (any may be left out)."""
    context = Context()
    if master is not None:
        _master(_read_json(master), context)
    if routes is not None:
        try:
            context.routes = parse_routes(_read_json(routes))
        except ScenarioError as exc:
            raise RoutesError(str(exc)) from exc
    if recalls is not None:
        data = _read_json(recalls)
        for recall in data.get("recalls") or () if isinstance(data, Mapping) else ():
            lot = canon(str(recall["lot"]))
            when = parse_time(str(recall["declared"]))
            context.recalls[lot] = min(when, context.recalls.get(lot, when))
    return context


def context_from_db(engine: Any, routes: Path | None = None) -> Context:
    """A context from the database's master-data tables and recall events."""
    import sqlalchemy as sa

    from trace_api.models import metadata

    location = metadata.tables["location"]
    party = metadata.tables["party"]
    product = metadata.tables["product"]
    event = metadata.tables["event"]
    ident = metadata.tables["event_identifier"]
    context = context_from_files(routes=routes) if routes else Context()
    with engine.connect() as connection:
        rows = connection.execute(
            sa.select(
                location.c.canonical,
                location.c.latitude,
                location.c.longitude,
                location.c.kind,
                location.c.country,
                party.c.canonical.label("party"),
            ).select_from(location.outerjoin(party, location.c.party_id == party.c.id))
        )
        for row in rows:
            context.places[row.canonical] = Place(
                row.canonical, row.latitude, row.longitude, row.kind, row.party, row.country
            )
        for row in connection.execute(
            sa.select(
                product.c.gtin,
                product.c.shelf_life_days,
                product.c.temp_min_c,
                product.c.temp_max_c,
                party.c.canonical.label("owner"),
            ).select_from(product.outerjoin(party, product.c.brand_owner_id == party.c.id))
        ):
            context.products[row.gtin] = ProductInfo(
                row.gtin, row.shelf_life_days, row.temp_min_c, row.temp_max_c, row.owner
            )
        recalled = connection.execute(
            sa.select(ident.c.canonical, sa.func.min(event.c.event_time))
            .select_from(event.join(ident, ident.c.event_pk == event.c.id))
            .where(event.c.disposition.in_(_RECALLED), ident.c.kind == "class")
            .group_by(ident.c.canonical)
        )
        for lot, when in recalled:
            context.recalls[canon(lot)] = when.timestamp()
    return context


_RECALLED = ("recalled", "urn:epcglobal:cbv:disp:recalled", "https://ref.gs1.org/cbv/Disp-recalled")
