"""What every anomaly injector shares: the label record, the injection context, helpers."""

from __future__ import annotations

import math
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from firmware_sim.world.chain import ChainBuilder, Pallet, Unit
from firmware_sim.world.events import Ev
from firmware_sim.world.masterdata import World

__all__ = ["Context", "Injector", "Label", "label_events", "poisson"]


@dataclass(slots=True)
class Label:
    """One injected anomaly (a line of ``labels.jsonl``)."""

    id: str
    type: str
    epcs: list[str]
    lots: list[str]
    event_ids: list[str]
    params: dict[str, Any]

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "type": self.type,
            "epcs": self.epcs,
            "lots": self.lots,
            "event_ids": self.event_ids,
            "params": self.params,
        }


@dataclass(slots=True)
class Context:
    """Shared across units: the world, the chain builder (event IDs), recalls declared."""

    world: World
    chain: ChainBuilder
    recalls: list[dict[str, Any]] = field(default_factory=list)
    fake_serial: int = 200_000_000_000  # never allocated to a genuine tag
    fake_epcs: int = 0


#: ``injector(unit, context, rng) → label fields (type, epcs, lots, events, params) or None``
#: when the unit offers no place for it.
Injector = Callable[
    [Unit, Context, random.Random], "tuple[list[str], list[str], list[Ev], dict[str, Any]] | None"
]


def label_events(events: list[Ev]) -> list[str]:
    """Mark events as evidence (exempt from missed reads) and return their IDs."""
    for e in events:
        e.labelled = True
    return [e.eid for e in events]


def poisson(rng: random.Random, lam: float) -> int:
    """A Poisson draw (Knuth; fine for the small means used here)."""
    if lam <= 0:
        return 0
    limit, k, p = math.exp(-lam), 0, 1.0
    while True:
        p *= rng.random()
        if p <= limit:
            return k
        k += 1


def pick_pallet(unit: Unit, rng: random.Random) -> Pallet | None:
    """A pallet no other injector has touched, marked as used."""
    free = unit.free_pallets()
    if not free:
        return None
    pallet = rng.choice(free)
    unit.used.add(id(pallet))
    return pallet


def round2(value: float) -> float:
    return round(value, 2)
