"""Movement anomalies: impossible travel, diversion outside the authorised chain, long dwell."""

from __future__ import annotations

import random
from typing import Any

from firmware_sim.world.anomalies.base import Context, pick_pallet, round2
from firmware_sim.world.chain import MIN_MS, Unit, hours_ms
from firmware_sim.world.events import HOUR_MS, Ev, format_time
from firmware_sim.world.geo import haversine_km, transit_range_h
from firmware_sim.world.masterdata import DOCK
from firmware_sim.world.routes import DWELL_H

__all__ = ["MIN_DISTANCE_KM", "SPEED_KMH", "diversion", "excessive_dwell", "impossible_travel"]

Found = tuple[list[str], list[str], list[Ev], dict[str, Any]] | None

#: Injected speeds (straight line); genuine lorries stay below ~60 km/h straight line.
SPEED_KMH = (250.0, 900.0)
MIN_DISTANCE_KM = 20.0


def impossible_travel(unit: Unit, ctx: Context, rng: random.Random) -> Found:  # noqa: ARG001
    """A receiving read so soon after the shipping read that the goods would have flown."""
    hops = [
        h for h in unit.hops
        if h.distance_km >= MIN_DISTANCE_KM and (h.pallet is None or id(h.pallet) not in unit.used)
        and h.recv in unit.events and h.ship in unit.events and h.ship.body.get("epcList")
    ]  # fmt: skip
    if not hops:
        return None
    hop = rng.choice(hops)
    if hop.pallet is not None:
        unit.used.add(id(hop.pallet))
    distance = hop.distance_km
    speed = rng.uniform(*SPEED_KMH)
    hop.recv.t = hop.ship.t + max(MIN_MS, int(distance / speed * HOUR_MS))
    hours = (hop.recv.t - hop.ship.t) / HOUR_MS
    params = {
        "from": hop.src.gln, "to": hop.dst.gln, "distance_km": round2(distance),
        "hours": round(hours, 4), "speed_kmh": round2(distance / hours),
    }  # fmt: skip
    epcs = sorted(set(hop.ship.body.get("epcList", [])))
    return epcs, hop.lots, [hop.ship, hop.recv], params


def diversion(unit: Unit, ctx: Context, rng: random.Random) -> Found:
    """A pallet shipped from a DC to an unauthorised trader outside the authorised region."""
    pallet = pick_pallet(unit, rng)
    if pallet is None:
        return None
    rogue = rng.choice(ctx.world.rogue)
    ship, recv = pallet.dc_ship, pallet.rt_recv
    for entry in ship.body["destinationList"]:
        entry["destination"] = rogue.party.pgln if entry["type"] == "owning_party" else rogue.sgln
    ship.body["bizTransactionList"][0]["bizTransaction"] = (
        f"urn:epcglobal:cbv:bt:{rogue.party.gln}:PO-{ship.eid[-12:]}"
    )
    dc = pallet.dc
    lo, hi = transit_range_h(haversine_km(dc.lat, dc.lon, rogue.lat, rogue.lon))
    recv.t = ship.t + hours_ms(rng, lo, hi)
    recv.loc, recv.station = rogue.gln, rogue.station(DOCK)
    recv.body = dict(recv.body)
    recv.body.update(
        readPoint={"id": rogue.read_point(DOCK)},
        bizLocation={"id": rogue.sgln},
        bizTransactionList=ship.body["bizTransactionList"],
        sourceList=ship.body["sourceList"],
        destinationList=ship.body["destinationList"],
    )
    recv.sensor = None
    gone = {id(e) for e in pallet.sales}
    unit.events[:] = [e for e in unit.events if id(e) not in gone]
    pallet.sales = []
    params = {
        "location": rogue.gln, "party": rogue.party.gln, "intended_location": pallet.store.gln,
        "authorised_party": False, "in_region": rogue.authorised_region,
    }  # fmt: skip
    return pallet.epcs, [pallet.lot.urn], [ship, recv], params


def excessive_dwell(unit: Unit, ctx: Context, rng: random.Random) -> Found:  # noqa: ARG001
    """A pallet left in a DC far beyond the dwell profile (still sold before best-before)."""
    pallet = pick_pallet(unit, rng)
    if pallet is None:
        return None
    max_h = DWELL_H["dc"][1]
    recv, ship = pallet.dc_recv, pallet.dc_ship
    target = int(max_h * rng.uniform(1.3, 2.0) * HOUR_MS)
    delta = recv.t + target - ship.t
    lane = pallet.rt_recv.t - ship.t
    room = pallet.lot.best_before_ms - 8 * HOUR_MS - (ship.t + delta + lane)
    if delta <= 0 or room < 2 * HOUR_MS:
        unit.used.discard(id(pallet))
        return None
    keep_from = ship.sensor.start if ship.sensor is not None else 0
    for e in (ship, pallet.rt_recv, *pallet.sales):
        e.shift(delta)
    if ship.sensor is not None:
        ship.sensor.start = keep_from
    if pallet.rt_recv.sensor is not None:
        pallet.rt_recv.sensor.start = ship.t
    arrive = pallet.rt_recv.t
    for sale in pallet.sales:
        if sale.t > arrive + room:
            sale.t = arrive + HOUR_MS + int(rng.random() * max(0, room - HOUR_MS))
    dwell_h = (ship.t - recv.t) / HOUR_MS
    params = {
        "location": pallet.dc.gln, "kind": "dc", "dwell_hours": round2(dwell_h),
        "max_hours": max_h, "arrived": format_time(recv.t), "left": format_time(ship.t),
    }  # fmt: skip
    return pallet.epcs, [pallet.lot.urn], [recv, ship], params
