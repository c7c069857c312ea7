"""Identity anomalies: a cloned EPC on a second path, an EPC that was never commissioned."""

from __future__ import annotations

import random
from typing import Any

from firmware_sim.world.anomalies.base import Context, pick_pallet
from firmware_sim.world.chain import MIN_MS, Unit, hours_ms
from firmware_sim.world.events import Ev
from firmware_sim.world.masterdata import DOCK, POS, Location

__all__ = ["clone", "never_commissioned"]

Found = tuple[list[str], list[str], list[Ev], dict[str, Any]] | None


def _appear(
    ctx: Context, unit: Unit, epc: str, store: Location, t: int, rng: random.Random
) -> list[Ev]:
    """A tag read at a shop's door, then sold there."""
    chain = ctx.chain
    recv = chain.ev(
        unit,
        max(unit.start, t),
        "ObjectEvent",
        "receiving",
        store,
        DOCK,
        chain.obj_body([epc], "OBSERVE", "receiving", "in_progress", store, DOCK),
    )
    sale_t = recv.t + hours_ms(rng, 1.0, 12.0)
    sale = chain.ev(
        unit,
        sale_t,
        "ObjectEvent",
        "retail_selling",
        store,
        POS,
        chain.obj_body([epc], "OBSERVE", "retail_selling", "retail_sold", store, POS),
    )
    return [recv, sale]  # fmt: skip


def clone(unit: Unit, ctx: Context, rng: random.Random) -> Found:
    """A genuine case EPC also read at another shop while the genuine case is on its path."""
    pallet = pick_pallet(unit, rng)
    if pallet is None:
        return None
    others = [s for s in ctx.world.stores if s is not pallet.store]
    epc = rng.choice(pallet.cases)
    where = rng.choice(others)
    t = pallet.rt_recv.t + hours_ms(rng, -12.0, 12.0)
    events = _appear(ctx, unit, epc, where, t, rng)
    params = {"genuine_location": pallet.store.gln, "clone_location": where.gln}
    return [epc], [pallet.lot.urn], events, params


def never_commissioned(unit: Unit, ctx: Context, rng: random.Random) -> Found:
    """A counterfeit case (a serial no commissioning event created) slipped into a shop."""
    pallet = pick_pallet(unit, rng)
    if pallet is None:
        return None
    family = ctx.world.sgtins[pallet.lot.product.key]
    epc = family.uri(ctx.fake_serial)
    ctx.fake_serial += 1
    ctx.fake_epcs += 1
    t = pallet.rt_recv.t + hours_ms(rng, 0.1, 6.0) + MIN_MS
    events = _appear(ctx, unit, epc, pallet.store, t, rng)
    params = {"location": pallet.store.gln, "gtin": pallet.lot.gtin}
    return [epc], [], events, params
