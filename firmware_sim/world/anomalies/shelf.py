"""Shelf anomalies: a case sold after its best-before date, a recalled lot still being sighted."""

from __future__ import annotations

import random
from typing import Any

from firmware_sim.world.anomalies.base import Context, pick_pallet, round2
from firmware_sim.world.chain import Unit, hours_ms
from firmware_sim.world.events import HOUR_MS, Ev, format_time

__all__ = ["RECALL_REASONS", "expired_on_sale", "recalled_lot_sighted"]

Found = tuple[list[str], list[str], list[Ev], dict[str, Any]] | None
RECALL_REASONS = (
    ("Listeria monocytogenes found in a retained sample", "I"),
    ("Salmonella found in an official control sample", "I"),
    ("Pesticide residue above the maximum residue limit", "II"),
    ("Undeclared allergen on the label", "II"),
    ("Foreign matter (plastic fragments) reported by a consumer", "III"),
)


def expired_on_sale(unit: Unit, ctx: Context, rng: random.Random) -> Found:  # noqa: ARG001
    """A case sold 2–72 hours after the end of its best-before date."""
    pallet = pick_pallet(unit, rng)
    if pallet is None or not pallet.sales:
        return None
    sale = rng.choice(pallet.sales)
    sale.t = pallet.lot.best_before_ms + hours_ms(rng, 2.0, 72.0)
    params = {
        "best_before": pallet.lot.best_before,
        "sold": format_time(sale.t),
        "hours_past": round2((sale.t - pallet.lot.best_before_ms) / HOUR_MS),
        "location": pallet.store.gln,
    }
    return sale.body["epcList"], [pallet.lot.urn], [sale], params


def recalled_lot_sighted(unit: Unit, ctx: Context, rng: random.Random) -> Found:
    """A lot is recalled while in the DCs, and its cases are still read and sold afterwards."""
    lots = [lot for lot in unit.lots if any(p.lot is lot for p in unit.pallets)]
    if not lots:
        return None
    lot = rng.choice(lots)
    pallets = [p for p in unit.pallets if p.lot is lot]
    if any(id(p) in unit.used for p in pallets):
        return None
    for p in pallets:
        unit.used.add(id(p))
    first_store = min(p.dc_recv.t for p in pallets)
    last_ship = max(p.dc_ship.t for p in pallets)
    declared = first_store + int(rng.random() * max(1, last_ship - first_store))
    lot_epcs = {e for p in pallets for e in p.epcs}
    sighted = [e for e in unit.events if e.t > declared and any(x in lot_epcs for x in e.epcs())]
    if not sighted:
        return None
    sighted.sort(key=lambda e: e.t)
    reason, level = rng.choice(RECALL_REASONS)
    ctx.recalls.append(
        {"lot": lot.urn, "declared": format_time(declared), "reason": reason, "level": level}
    )
    epcs = sorted({x for e in sighted for x in e.epcs() if x in lot_epcs})
    params = {"declared": format_time(declared), "level": level, "reason": reason}
    return epcs, [lot.urn], sighted, params
