"""Packing windows: the tags that arrive together at a packing station.

A window opens with the first arriving tag and collects every tag that arrives while it is
open. It closes when no new tag has arrived for ``idle_close_s``, or ``max_window_s`` after it
opened. A closed window is a pallet (or a case) if it holds exactly one SSCC, the parent, and at
least one other EPC, the children; anything else is rejected with a reason, because guessing the
parent would put goods on the wrong pallet in the trace.
"""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["ClosedWindow", "PackingWindow"]

_NS = 1_000_000_000
SSCC_PREFIX = "urn:epc:id:sscc:"


@dataclass(frozen=True, slots=True)
class ClosedWindow:
    """What a window saw. ``parent`` is set when the window is a valid aggregation."""

    ssccs: tuple[str, ...]
    others: tuple[str, ...]
    antenna: int
    opened_ns: int
    last_ns: int

    @property
    def parent(self) -> str | None:
        return self.ssccs[0] if len(self.ssccs) == 1 and self.others else None

    @property
    def rejection(self) -> str | None:
        """``None`` if valid, else ``no_sscc``, ``several_ssccs`` or ``no_children``."""
        if not self.ssccs:
            return "no_sscc"
        if len(self.ssccs) > 1:
            return "several_ssccs"
        if not self.others:
            return "no_children"
        return None


@dataclass(slots=True)
class _Open:
    opened_ns: int
    last_ns: int
    antenna: int
    epcs: dict[str, None] = field(default_factory=dict)  # insertion-ordered set


class PackingWindow:
    def __init__(self, idle_close_s: float, max_window_s: float) -> None:
        self._idle_ns = int(idle_close_s * _NS)
        self._max_ns = int(max_window_s * _NS)
        self._open: _Open | None = None

    @property
    def is_open(self) -> bool:
        return self._open is not None

    def add(self, epc: str, antenna: int, time_ns: int) -> ClosedWindow | None:
        """Add an arriving tag. If the current window had already expired at ``time_ns`` it is
        closed first and returned; the tag then opens a new window."""
        closed = self.poll(time_ns)
        if self._open is None:
            self._open = _Open(time_ns, time_ns, antenna)
        if epc not in self._open.epcs:
            self._open.epcs[epc] = None
            self._open.last_ns = max(self._open.last_ns, time_ns)
            if epc.startswith(SSCC_PREFIX):
                self._open.antenna = antenna
        return closed

    def poll(self, now_ns: int) -> ClosedWindow | None:
        """Close and return the window if it has been idle or open too long at ``now_ns``."""
        current = self._open
        if current is None:
            return None
        if now_ns - current.last_ns >= self._idle_ns or now_ns - current.opened_ns >= self._max_ns:
            return self.close()
        return None

    def close(self) -> ClosedWindow | None:
        """Close the current window now (shutdown)."""
        current, self._open = self._open, None
        if current is None:
            return None
        ssccs = tuple(e for e in current.epcs if e.startswith(SSCC_PREFIX))
        others = tuple(e for e in current.epcs if not e.startswith(SSCC_PREFIX))
        return ClosedWindow(ssccs, others, current.antenna, current.opened_ns, current.last_ns)
