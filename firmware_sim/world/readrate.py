"""Missed reads: each EPC an RFID reader should have seen is kept with probability ``read_rate``.

Applied after anomaly injection, to observation events only: ObjectEvents with action OBSERVE
(``epcList``) and the cases of AggregationEvents (``childEPCs``). Commissioning (tags written and
verified by an encoder) and transformations are not reads. An event whose every EPC was missed
disappears. Events that are evidence of a label (``Ev.labelled``) are never touched, so each
label's ``event_ids`` exist with the EPCs it names. Missed reads are not anomalies and are not
labelled; :class:`ReadStats` counts them.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from firmware_sim.world.events import Ev

__all__ = ["ReadStats", "apply_read_rate"]


@dataclass(slots=True)
class ReadStats:
    observations: int = 0  # EPC observations subject to missed reads
    missed: int = 0
    events_lost: int = 0

    def to_dict(self) -> dict[str, int]:
        return {
            "observations": self.observations,
            "missed": self.missed,
            "events_lost": self.events_lost,
        }


def apply_read_rate(
    events: list[Ev], read_rate: float, rng: random.Random, stats: ReadStats
) -> list[Ev]:
    """The events that survive, with their missed EPCs removed (new lists, never mutated)."""
    kept: list[Ev] = []
    for ev in events:
        if ev.labelled:
            kept.append(ev)
            continue
        if ev.kind == "ObjectEvent" and ev.body.get("action") == "OBSERVE":
            key = "epcList"
        elif ev.kind == "AggregationEvent":
            key = "childEPCs"
        else:
            kept.append(ev)
            continue
        epcs = ev.body.get(key, [])
        stats.observations += len(epcs)
        if read_rate >= 1.0:
            kept.append(ev)
            continue
        seen = [e for e in epcs if rng.random() < read_rate]
        stats.missed += len(epcs) - len(seen)
        if not seen and "quantityList" not in ev.body:
            stats.events_lost += 1
            continue
        if len(seen) != len(epcs):
            ev.body = {**ev.body, key: seen}
        kept.append(ev)
    return kept
