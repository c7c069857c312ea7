"""Process anomalies: a skipped step, steps out of order, an inserted unknown event, a replayed
(or duplicated) event, a tampered attribute (wrong business location)."""

from __future__ import annotations

import random
from typing import Any

from firmware_sim.world.anomalies.base import Context, pick_pallet, round2
from firmware_sim.world.chain import Unit, hours_ms
from firmware_sim.world.events import HOUR_MS, Ev, Sensor
from firmware_sim.world.ids import gln13, sgln

__all__ = ["inserted_event", "out_of_order", "replayed_event", "skipped_step", "tampered_attribute"]

Found = tuple[list[str], list[str], list[Ev], dict[str, Any]] | None
INSERTED_STEPS = ("receiving", "storing", "shipping", "inspecting")


def skipped_step(unit: Unit, ctx: Context, rng: random.Random) -> Found:  # noqa: ARG001
    """The DC's receiving event of a pallet never happened: shipped, then stored at the DC."""
    pallet = pick_pallet(unit, rng)
    if pallet is None:
        return None
    unit.events.remove(pallet.dc_recv)
    params = {"skipped": "receiving", "location": pallet.dc.gln, "between": ["shipping", "storing"]}
    return pallet.epcs, [pallet.lot.urn], [pallet.site_ship, pallet.dc_store], params


def out_of_order(unit: Unit, ctx: Context, rng: random.Random) -> Found:  # noqa: ARG001
    """At the DC the pallet is stored before it is received."""
    pallet = pick_pallet(unit, rng)
    if pallet is None:
        return None
    recv, store = pallet.dc_recv, pallet.dc_store
    recv.t, store.t = store.t, recv.t
    params = {
        "location": pallet.dc.gln,
        "expected": ["receiving", "storing"],
        "observed": ["storing", "receiving"],
    }
    return pallet.epcs, [pallet.lot.urn], [store, recv], params


def inserted_event(unit: Unit, ctx: Context, rng: random.Random) -> Found:
    """An event at a read point no master data knows, in the middle of a pallet's DC stay."""
    pallet = pick_pallet(unit, rng)
    if pallet is None:
        return None
    gln = gln13(ctx.world.unknown_prefix, rng.randrange(1, 100_000))
    step = rng.choice(INSERTED_STEPS)
    lo, hi = pallet.dc_store.t, pallet.dc_ship.t
    t = lo + int(rng.random() * max(1, hi - lo))
    body = {
        "epcList": pallet.epcs,
        "action": "OBSERVE",
        "bizStep": step,
        "disposition": "in_progress",
        "readPoint": {"id": sgln(gln, "1")},
        "bizLocation": {"id": sgln(gln)},
    }
    chain = ctx.chain
    ev = Ev(t, "ObjectEvent", chain.ids.next(), step, gln, f"st-{gln}-1", body)
    unit.events.append(ev)
    params = {"location": gln, "read_point": sgln(gln, "1"), "bizStep": step, "known": False}
    return pallet.epcs, [pallet.lot.urn], [ev], params


def replayed_event(unit: Unit, ctx: Context, rng: random.Random) -> Found:
    """A copy of a genuine event with a new eventID: the same moment (a duplicate) or later."""
    pallet = pick_pallet(unit, rng)
    if pallet is None:
        return None
    original = rng.choice([pallet.site_ship, pallet.dc_recv, pallet.dc_store, pallet.rt_recv])
    variant = rng.choice(("duplicate", "replay"))
    delay = 0 if variant == "duplicate" else hours_ms(rng, 1.0, 72.0)
    sensor = None
    if original.sensor is not None:
        s = original.sensor
        sensor = Sensor(s.start + delay, list(s.values), s.device)
    copy = Ev(original.t + delay, original.kind, ctx.chain.ids.next(), original.step,
              original.loc, original.station, dict(original.body), sensor)  # fmt: skip
    original.labelled = True  # keep the original whole so the copy stays identical to it
    unit.events.append(copy)
    params = {
        "original_event_id": original.eid,
        "variant": variant,
        "delay_hours": round2(delay / HOUR_MS),
    }
    return pallet.epcs, [pallet.lot.urn], [copy], params


def tampered_attribute(unit: Unit, ctx: Context, rng: random.Random) -> Found:
    """A DC's storing event claims another DC as its business location (read point unchanged)."""
    pallet = pick_pallet(unit, rng)
    if pallet is None:
        return None
    others = [d for d in ctx.world.dcs if d is not pallet.dc]
    if not others:
        return None
    ev = pallet.dc_store
    other = rng.choice(others)
    ev.body = dict(ev.body)
    ev.body["bizLocation"] = {"id": other.sgln}
    params = {
        "attribute": "bizLocation",
        "original": pallet.dc.sgln,
        "tampered": other.sgln,
        "read_point": ev.body["readPoint"]["id"],
    }
    return pallet.epcs, [pallet.lot.urn], [ev], params
