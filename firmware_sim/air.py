"""The air interface: which tags answer an inventory slot, and with what RSSI.

:class:`Air` draws from one seeded :class:`random.Random`, so a scenario with a given seed and a
given sequence of inventory requests produces the same reads every run.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from firmware_sim.scenario import Scenario, TagSpec

__all__ = ["Air", "Reply"]

_RSSI_FLOOR = -99
_RSSI_CEILING = -25


@dataclass(frozen=True, slots=True)
class Reply:
    """One tag that answered: its spec, the RSSI measured and the antenna it answered on."""

    tag: TagSpec
    rssi_dbm: int
    antenna: int


class Air:
    """Tag replies for a scenario: misses (per-tag probability) and RSSI (path loss + noise)."""

    __slots__ = ("rng", "scenario")

    def __init__(self, scenario: Scenario) -> None:
        self.scenario = scenario
        self.rng = random.Random(scenario.seed)  # noqa: S311 (a simulation, not secrets)

    def in_field(self, antenna: int, t: float) -> list[TagSpec]:
        return self.scenario.tags_on(antenna, t)

    def reply(self, tag: TagSpec) -> Reply | None:
        """``None`` when the tag misses this slot; else its reply."""
        scenario = self.scenario
        miss = scenario.miss(tag)
        if miss and self.rng.random() < miss:
            return None
        rssi = scenario.rssi_dbm(tag)
        if scenario.rssi_noise_db:
            rssi += self.rng.gauss(0.0, scenario.rssi_noise_db)
        value = min(_RSSI_CEILING, max(_RSSI_FLOOR, round(rssi)))
        return Reply(tag, value, tag.antenna)

    def round(self, antenna: int, t: float) -> list[Reply]:
        """One inventory round on ``antenna`` at ``t``: each tag in the field answers once
        (unless it misses), in a shuffled order as Gen2 slot counting gives."""
        replies = [r for tag in self.in_field(antenna, t) if (r := self.reply(tag)) is not None]
        self.rng.shuffle(replies)
        return replies
