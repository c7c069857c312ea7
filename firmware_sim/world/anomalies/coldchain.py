"""Cold-chain anomaly: a temperature excursion above the product's limit in a logger report."""

from __future__ import annotations

import random
from typing import Any

from firmware_sim.world.anomalies.base import Context, round2
from firmware_sim.world.chain import Unit
from firmware_sim.world.events import HOUR_MS, Ev

__all__ = ["temperature_excursion"]

Found = tuple[list[str], list[str], list[Ev], dict[str, Any]] | None
MIN_SPAN_MS = 2 * HOUR_MS


def temperature_excursion(unit: Unit, ctx: Context, rng: random.Random) -> Found:  # noqa: ARG001
    """Readings of one logger report rise 3–10 °C above the limit for half its span or more."""
    candidates = [
        (pallet, e)
        for pallet in unit.free_pallets()
        for e in (pallet.site_ship, pallet.dc_store, pallet.dc_ship, pallet.rt_recv)
        if e.sensor is not None and e.t - e.sensor.start >= MIN_SPAN_MS and e in unit.events
    ]
    if not candidates:
        return None
    pallet, ev = rng.choice(candidates)
    unit.used.add(id(pallet))
    sensor = ev.sensor
    assert sensor is not None
    limit = pallet.lot.product.temp_max_c
    assert limit is not None
    n = len(sensor.values)
    k = max(1, (n + 1) // 2 + rng.randrange(0, n // 2 + 1))
    k = min(k, n)
    first = rng.randrange(0, n - k + 1)
    values = list(sensor.values)
    for i in range(first, first + k):
        values[i] = round(limit + rng.uniform(3.0, 10.0), 1)
    sensor.values = values
    step_h = (ev.t - sensor.start) / n / HOUR_MS
    above = [v - limit for v in values if v > limit]
    params = {
        "location": ev.loc, "limit_c": limit, "max_c": max(values),
        "hours_above": round2(len(above) * step_h),
        "degree_hours": round2(sum(above) * step_h),
    }  # fmt: skip
    return pallet.epcs, [pallet.lot.urn], [ev], params
