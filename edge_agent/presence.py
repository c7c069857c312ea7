"""Arrive / report / depart state per (EPC, antenna): the dedup window.

A tag *arrives* on its first read. While it stays, repeated reads are suppressed for
``dedup_window_s`` and then it is *reported* again (like Impinj's ``reportingIntervalSeconds`` and
Zebra's ``reportFilter``); with ``report_once`` it is reported only on arrival. It *departs* when it
has not been read for ``depart_after_s`` (EdgeX's arrived/departed). A read that comes after the
departure deadline, before :meth:`PresenceTracker.expire` ran, yields the departure and a new
arrival, so the outcome does not depend on how often the clock ticks.

The tracker is pure: times come from the reads and from the caller's clock, in nanoseconds.
State is kept in least-recently-seen order, so expiry costs only the tags that expire. When
``max_tags`` would be exceeded, the least recently seen tag is made to depart early.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass
from enum import StrEnum

from edge_agent.config import PresenceSettings

__all__ = ["Observation", "ObservationKind", "PresenceTracker"]

_NS = 1_000_000_000


class ObservationKind(StrEnum):
    ARRIVE = "arrive"
    REPORT = "report"
    DEPART = "depart"


@dataclass(frozen=True, slots=True)
class Observation:
    """What the tracker tells the event builder. ``time_ns`` is the read's time (for a
    departure: the last time the tag was seen)."""

    kind: ObservationKind
    epc: str
    antenna: int
    time_ns: int
    read_count: int
    rssi_dbm: float | None = None
    temperature_c: float | None = None


@dataclass(slots=True)
class _State:
    antenna: int
    first_ns: int
    last_ns: int
    reported_ns: int
    read_count: int
    rssi_dbm: float | None


class PresenceTracker:
    """Dedup window and arrive/depart state machine."""

    def __init__(self, settings: PresenceSettings) -> None:
        self._window_ns = int(settings.dedup_window_s * _NS)
        self._report_once = settings.report_once
        self._depart_ns = int(settings.depart_after_s * _NS)
        self._per_antenna = settings.per_antenna
        self._max_tags = settings.max_tags
        self._states: OrderedDict[tuple[str, int], _State] = OrderedDict()
        self.evicted = 0

    def __len__(self) -> int:
        return len(self._states)

    def observe(
        self,
        epc: str,
        antenna: int,
        time_ns: int,
        rssi_dbm: float | None = None,
        temperature_c: float | None = None,
    ) -> list[Observation]:
        """Record one read; return what it means (often nothing)."""
        key = (epc, antenna if self._per_antenna else 0)
        state = self._states.get(key)
        out: list[Observation] = []
        if state is not None and time_ns - state.last_ns >= self._depart_ns:
            del self._states[key]
            out.append(self._departure(key[0], state))
            state = None
        if state is None:
            out.extend(self._evict_for_one_more())
            self._states[key] = _State(antenna, time_ns, time_ns, time_ns, 1, rssi_dbm)
            out.append(
                Observation(
                    ObservationKind.ARRIVE, epc, antenna, time_ns, 1, rssi_dbm, temperature_c
                )
            )
            return out
        state.read_count += 1
        state.antenna = antenna
        if time_ns > state.last_ns:
            state.last_ns = time_ns
        if rssi_dbm is not None and (state.rssi_dbm is None or rssi_dbm > state.rssi_dbm):
            state.rssi_dbm = rssi_dbm
        self._states.move_to_end(key)
        if not self._report_once and time_ns - state.reported_ns >= self._window_ns:
            state.reported_ns = time_ns
            out.append(
                Observation(
                    ObservationKind.REPORT,
                    epc,
                    antenna,
                    time_ns,
                    state.read_count,
                    rssi_dbm,
                    temperature_c,
                )
            )
        return out

    def expire(self, now_ns: int) -> list[Observation]:
        """Departures of every tag unseen for ``depart_after_s`` at ``now_ns``."""
        out: list[Observation] = []
        while self._states:
            key, state = next(iter(self._states.items()))
            if now_ns - state.last_ns < self._depart_ns:
                break
            del self._states[key]
            out.append(self._departure(key[0], state))
        return out

    def _evict_for_one_more(self) -> list[Observation]:
        out: list[Observation] = []
        while len(self._states) >= self._max_tags:
            key, state = self._states.popitem(last=False)
            self.evicted += 1
            out.append(self._departure(key[0], state))
        return out

    @staticmethod
    def _departure(epc: str, state: _State) -> Observation:
        return Observation(
            ObservationKind.DEPART,
            epc,
            state.antenna,
            state.last_ns,
            state.read_count,
            state.rssi_dbm,
        )
