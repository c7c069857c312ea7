"""One *unit* of the food chain, generated whole: raw lots from farms (or a fishing port) to a
packer or processor, new lots, pallets, distribution centres, shops and sales.

A unit is what the generator streams: all its events are produced together (so anomaly
injectors see a whole journey), and none of them is earlier than :attr:`Unit.start`, which lets
the writer emit events in global time order while holding only the units still in flight.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from firmware_sim.world.events import HOUR_MS, TZ, Ev, Sensor
from firmware_sim.world.geo import haversine_km, transit_range_h
from firmware_sim.world.ids import EventIds, lgtin
from firmware_sim.world.masterdata import COLD, DOCK, LINE, POS, Location, World
from firmware_sim.world.products import Family, Product
from firmware_sim.world.routes import DWELL_H

__all__ = [
    "MIN_MS",
    "ChainBuilder",
    "Hop",
    "LotInfo",
    "Pallet",
    "Unit",
    "best_before_ms",
    "hours_ms",
]

MIN_MS = 60_000


def best_before_ms(date: str) -> int:
    """The first instant after a best-before date (midnight that ends it, UTC+08:00)."""
    day = datetime.fromisoformat(date).replace(tzinfo=TZ) + timedelta(days=1)
    return int(day.timestamp() * 1000)


def _date(ms: int) -> str:
    return datetime.fromtimestamp(ms // 1000, TZ).date().isoformat()


def _add_days(date: str, days: int) -> str:
    return (datetime.fromisoformat(date) + timedelta(days=days)).date().isoformat()


@dataclass(slots=True, eq=False)
class LotInfo:
    urn: str
    number: str
    gtin: str
    product: Product
    best_before: str
    best_before_ms: int
    cases: list[str]
    origins: list[Location]
    units: int = 0


@dataclass(slots=True, eq=False)
class Pallet:
    sscc: str
    cases: list[str]
    lot: LotInfo
    site: Location
    dc: Location
    store: Location
    packing: Ev
    site_ship: Ev
    dc_recv: Ev
    dc_store: Ev
    dc_ship: Ev
    rt_recv: Ev
    sales: list[Ev]

    @property
    def epcs(self) -> list[str]:
        return [self.sscc, *self.cases]


@dataclass(slots=True, eq=False)
class Hop:
    ship: Ev
    recv: Ev
    src: Location
    dst: Location
    pallet: Pallet | None
    lots: list[str]

    @property
    def distance_km(self) -> float:
        return haversine_km(self.src.lat, self.src.lon, self.dst.lat, self.dst.lon)


@dataclass(slots=True, eq=False)
class Unit:
    index: int
    family: Family
    start: int
    rng: random.Random
    events: list[Ev] = field(default_factory=list)
    raw_lots: list[LotInfo] = field(default_factory=list)
    lots: list[LotInfo] = field(default_factory=list)
    pallets: list[Pallet] = field(default_factory=list)
    hops: list[Hop] = field(default_factory=list)
    used: set[int] = field(default_factory=set)
    genuine_epcs: int = 0

    @property
    def case_count(self) -> int:
        return sum(len(lot.cases) for lot in self.lots)

    def free_pallets(self) -> list[Pallet]:
        return [p for p in self.pallets if id(p) not in self.used]


def hours_ms(rng: random.Random, lo: float, hi: float) -> int:
    """A uniform duration between ``lo`` and ``hi`` hours, in milliseconds."""
    return int(rng.uniform(lo, hi) * HOUR_MS)


class ChainBuilder:
    """Builds units; shared allocators (serials, SSCCs, event IDs) live across units."""

    def __init__(self, world: World, ids: EventIds, retail_dwell_h: dict[str, float]) -> None:
        self.world = world
        self.ids = ids
        self.retail_dwell_h = retail_dwell_h
        self._doc = 0

    # -- event helpers -------------------------------------------------------------------
    def ev(
        self,
        u: Unit,
        t: int,
        kind: str,
        step: str,
        loc: Location,
        ext: int,
        body: dict[str, Any],
        sensor: Sensor | None = None,
    ) -> Ev:
        e = Ev(t, kind, self.ids.next(), step, loc.gln, loc.station(ext), body, sensor)
        u.events.append(e)
        return e

    def obj_body(
        self,
        epcs: list[str],
        action: str,
        step: str,
        disposition: str,
        loc: Location,
        ext: int,
        **more: Any,
    ) -> dict[str, Any]:
        body: dict[str, Any] = {}
        if epcs:
            body["epcList"] = epcs
        body.update(action=action, bizStep=step, disposition=disposition,
                    readPoint={"id": loc.read_point(ext)},
                    bizLocation={"id": loc.sgln})  # fmt: skip
        body.update({k: v for k, v in more.items() if v})
        return body

    def sensor(
        self, u: Unit, product: Product, start: int, end: int, loc: Location
    ) -> Sensor | None:
        if product.temp_min_c is None or product.temp_max_c is None:
            return None
        lo, hi = product.temp_min_c, product.temp_max_c
        rng = u.rng
        n = max(2, min(6, (end - start) // (2 * HOUR_MS)))
        centre = rng.uniform(lo + 0.35 * (hi - lo), lo + 0.65 * (hi - lo))
        values = [round(min(hi - 0.2, max(lo + 0.2, rng.gauss(centre, 0.3))), 1) for _ in range(n)]
        device = f"urn:epc:id:giai:{loc.party.prefix}.TL{loc.gln[7:12]}"
        return Sensor(start, values, device)

    def _parties(self, src: Location, dst: Location) -> dict[str, Any]:
        self._doc += 1
        return {
            "bizTransactionList": [
                {"type": "po",
                 "bizTransaction": f"urn:epcglobal:cbv:bt:{dst.party.gln}:PO-{self._doc}"},
                {"type": "desadv",
                 "bizTransaction": f"urn:epcglobal:cbv:bt:{src.party.gln}:DESADV-{self._doc}"},
            ],
            "sourceList": [
                {"type": "owning_party", "source": src.party.pgln},
                {"type": "location", "source": src.sgln},
            ],
            "destinationList": [
                {"type": "owning_party", "destination": dst.party.pgln},
                {"type": "location", "destination": dst.sgln},
            ],
        }  # fmt: skip

    def move(
        self,
        u: Unit,
        epcs: list[str],
        src: Location,
        dst: Location,
        t_ship: int,
        quantities: list[dict[str, Any]] | None = None,
        ship_sensor: Sensor | None = None,
        recv_sensor_product: Product | None = None,
        pallet: Pallet | None = None,
        lots: list[str] | None = None,
    ) -> Hop:
        lo, hi = transit_range_h(haversine_km(src.lat, src.lon, dst.lat, dst.lon))
        t_recv = t_ship + hours_ms(u.rng, lo, hi)
        trade = self._parties(src, dst)
        ship = self.ev(u, t_ship, "ObjectEvent", "shipping", src, DOCK,
                       self.obj_body(epcs, "OBSERVE", "shipping", "in_transit", src, DOCK,
                                     quantityList=quantities, **trade), ship_sensor)  # fmt: skip
        sensor = None
        if recv_sensor_product is not None:
            sensor = self.sensor(u, recv_sensor_product, t_ship, t_recv, dst)
        recv = self.ev(u, t_recv, "ObjectEvent", "receiving", dst, DOCK,
                       self.obj_body(epcs, "OBSERVE", "receiving", "in_progress", dst, DOCK,
                                     quantityList=quantities, **trade), sensor)  # fmt: skip
        hop = Hop(ship, recv, src, dst, pallet, lots or [])
        u.hops.append(hop)
        return hop

    # -- a unit ----------------------------------------------------------------------------
    def unit(self, index: int, family: Family, start: int, rng: random.Random) -> Unit:
        u = Unit(index, family, start, rng)
        site = self.world.sites[family.key]
        origins = self.world.origins[family.key]
        n_raw = rng.randint(*family.raw_lots)
        picked = (
            rng.sample(origins, n_raw) if n_raw <= len(origins) else rng.choices(origins, k=n_raw)
        )
        arrivals: list[int] = []
        last_ship = start
        for i, origin in enumerate(picked):
            t0 = start + (0 if i == 0 else hours_ms(rng, 0, 3))
            lot = self._harvest(u, family, origin, t0, i)
            u.raw_lots.append(lot)
            t_ship = t0 + hours_ms(rng, *DWELL_H[origin.kind])
            quantities = None
            if not family.raw.tagged:
                quantities = [{"epcClass": lot.urn, "quantity": float(lot.units), "uom": "LTR"}]
            hop = self.move(u, lot.cases, origin, site, t_ship, quantities,
                            recv_sensor_product=family.raw if family.outputs else None,
                            lots=[lot.urn])  # fmt: skip
            arrivals.append(hop.recv.t)
            last_ship = max(last_ship, t_ship)
        t_arr = max(arrivals)
        if family.outputs:
            t_make = t_arr + hours_ms(rng, 2, 6)
            self._transform(u, family, site, t_make)
            self._downstream(u, site, t_make, t_make, t_make)
        else:
            u.lots = list(u.raw_lots)
            self._downstream(u, site, t_arr, last_ship, t_arr)
        return u

    def _harvest(self, u: Unit, family: Family, origin: Location, t0: int, i: int) -> LotInfo:
        rng = u.rng
        product = family.raw
        gtin = self.world.gtins[product.key]
        number = f"{family.key[:2].upper()}{_date(t0).replace('-', '')[2:]}{u.index:06d}{i}"
        urn = lgtin(gtin, number)
        units = rng.randint(*family.raw_units)
        cases = self.world.sgtins[product.key].take(units) if product.tagged else []
        u.genuine_epcs += len(cases)
        day = _date(t0)
        best = _add_days(day, product.shelf_life_days)
        ilmd: dict[str, Any] = {"cbvmda:lotNumber": number}
        if family.origin_kind == "port":
            ilmd.update({"gs1:catchZone": ["61"], "gs1:harvestDateStart": _add_days(day, -2),
                         "gs1:harvestDateEnd": _add_days(day, -1)})  # fmt: skip
        else:
            ilmd.update({"cbvmda:harvestStartDate": day, "cbvmda:harvestEndDate": day})
        ilmd.update({"cbvmda:bestBeforeDate": best, "cbvmda:countryOfOrigin": "CN"})
        if product.tagged:
            quantities = [{"epcClass": urn, "quantity": float(units)}]
        else:
            quantities = [{"epcClass": urn, "quantity": float(units), "uom": "LTR"}]
        self.ev(u, t0, "ObjectEvent", "commissioning", origin, LINE,
                self.obj_body(cases, "ADD", "commissioning", "active", origin, LINE,
                              quantityList=quantities, ilmd=ilmd))  # fmt: skip
        return LotInfo(
            urn, number, gtin, product, best, best_before_ms(best), cases, [origin], units
        )

    def _transform(self, u: Unit, family: Family, site: Location, t: int) -> None:
        rng = u.rng
        origins = [lot.origins[0] for lot in u.raw_lots]
        outputs: list[tuple[Product, int]] = [
            (p, rng.randint(*family.output_lots)) for p in family.outputs
        ]
        total = sum(n for _, n in outputs)
        k = 0
        for product, n_lots in outputs:
            gtin = self.world.gtins[product.key]
            for j in range(n_lots):
                number = f"{product.key[:2].upper()}{_date(t).replace('-', '')[2:]}{u.index:06d}{k}"
                k += 1
                urn = lgtin(gtin, number)
                cases = self.world.sgtins[product.key].take(rng.randint(*family.output_cases))
                u.genuine_epcs += len(cases)
                best = _add_days(_date(t), product.shelf_life_days)
                body: dict[str, Any] = {}
                if family.raw.tagged:
                    body["inputEPCList"] = [e for lot in u.raw_lots for e in lot.cases]
                else:
                    body["inputQuantityList"] = [
                        {"epcClass": lot.urn,
                         "quantity": float(round(lot.units / total)),
                         "uom": "LTR"}
                        for lot in u.raw_lots
                    ]  # fmt: skip
                body["outputEPCList"] = cases
                body["outputQuantityList"] = [{"epcClass": urn, "quantity": float(len(cases))}]
                body.update(bizStep="commissioning", disposition="active",
                            readPoint={"id": site.read_point(LINE)}, bizLocation={"id": site.sgln},
                            ilmd={"cbvmda:lotNumber": number, "cbvmda:bestBeforeDate": best,
                                  "cbvmda:countryOfOrigin": "CN"})  # fmt: skip
                self.ev(u, t + j * 5 * MIN_MS, "TransformationEvent", "commissioning", site, LINE,
                        body)  # fmt: skip
                u.lots.append(LotInfo(urn, number, gtin, product, best, best_before_ms(best),
                                      cases, origins))  # fmt: skip

    def _downstream(
        self, u: Unit, site: Location, t_arr: int, cover_from: int, t_ready: int
    ) -> None:
        rng = u.rng
        all_cases = [e for lot in u.lots for e in lot.cases]
        product = u.lots[0].product
        t_store = t_ready + hours_ms(rng, 0.2, 1.0)
        store_ev = self.ev(u, t_store, "ObjectEvent", "storing", site, COLD,
                           self.obj_body(all_cases, "OBSERVE", "storing", "sellable_not_accessible",
                                         site, COLD),
                           self.sensor(u, product, cover_from, t_store, site))  # fmt: skip
        lo, hi = DWELL_H[site.kind]
        t_ship0 = t_arr + hours_ms(rng, lo + 1.0, hi - 2.0)
        t_ship0 = max(t_ship0, store_ev.t + 2 * HOUR_MS)
        n = 0
        for lot in u.lots:
            size = rng.randint(12, 20)
            chunks = [lot.cases[i : i + size] for i in range(0, len(lot.cases), size)]
            if len(chunks) > 1 and len(chunks[-1]) < 6:
                chunks[-2].extend(chunks.pop())
            for cases in chunks:
                t_ship = t_ship0 + n * hours_ms(rng, 0.05, 0.2)
                n += 1
                self._pallet(u, site, lot, cases, store_ev.t, t_ship)

    def _pallet(self, u: Unit, site: Location, lot: LotInfo, cases: list[str], t_store: int,
                t_ship: int) -> None:  # fmt: skip
        rng = u.rng
        world = self.world
        product = lot.product
        sscc = site.party.sscc.sscc()
        u.genuine_epcs += 1
        epcs = [sscc, *cases]
        t_pack = t_ship - hours_ms(rng, 0.5, 1.5)
        pack = self.ev(u, t_pack, "AggregationEvent", "packing", site, LINE,
                       {"parentID": sscc, "childEPCs": cases, "action": "ADD", "bizStep": "packing",
                        "disposition": "in_progress", "readPoint": {"id": site.read_point(LINE)},
                        "bizLocation": {"id": site.sgln}})  # fmt: skip
        dc = rng.choice(world.dcs)
        hop1 = self.move(u, epcs, site, dc, t_ship,
                         ship_sensor=self.sensor(u, product, t_store, t_ship, site),
                         lots=[lot.urn])  # fmt: skip
        t_dc_store = hop1.recv.t + hours_ms(rng, 0.2, 1.0)
        dc_store = self.ev(u, t_dc_store, "ObjectEvent", "storing", dc, COLD,
                           self.obj_body(epcs, "OBSERVE", "storing", "sellable_not_accessible",
                                         dc, COLD),
                           self.sensor(u, product, t_ship, t_dc_store, dc))  # fmt: skip
        store = rng.choice(world.stores)
        lane_hi = transit_range_h(haversine_km(dc.lat, dc.lon, store.lat, store.lon))[1]
        lo, hi = DWELL_H["dc"]
        latest = (
            lot.best_before_ms - 12 * HOUR_MS - int(lane_hi * HOUR_MS) - hop1.recv.t
        ) / HOUR_MS
        dwell = min(rng.uniform(lo + 0.5, hi - 1.0), max(lo + 0.2, latest))
        t_dc_ship = max(hop1.recv.t + int(dwell * HOUR_MS), dc_store.t + 10 * MIN_MS)
        hop2 = self.move(u, epcs, dc, store, t_dc_ship,
                         ship_sensor=self.sensor(u, product, t_dc_store, t_dc_ship, dc),
                         recv_sensor_product=product, lots=[lot.urn])  # fmt: skip
        t_recv = hop2.recv.t
        limit = min(self.retail_dwell_h[product.key],
                    (lot.best_before_ms - 6 * HOUR_MS - t_recv) / HOUR_MS)  # fmt: skip
        limit = max(limit, 1.2)
        sales = []
        for case in cases:
            t_sale = t_recv + hours_ms(rng, 1.0, limit)
            sales.append(self.ev(u, t_sale, "ObjectEvent", "retail_selling", store, POS,
                                 self.obj_body([case], "OBSERVE", "retail_selling", "retail_sold",
                                               store, POS)))  # fmt: skip
        pallet = Pallet(sscc, cases, lot, site, dc, store, pack, hop1.ship, hop1.recv, dc_store,
                        hop2.ship, hop2.recv, sales)  # fmt: skip
        hop1.pallet = hop2.pallet = pallet
        u.pallets.append(pallet)
