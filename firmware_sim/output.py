"""The reader's transmit queue: frames with the time they are due on the line."""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass

__all__ = ["Emission", "OutputQueue"]


@dataclass(frozen=True, slots=True)
class Emission:
    """One frame the firmware sends at ``due`` (seconds since start); ``tag`` marks tag records
    (only those are corrupted by a ``corrupt`` fault, so the handshake stays intact)."""

    due: float
    data: bytes
    tag: bool = False


class OutputQueue:
    """Frames in due order (the firmware appends in non-decreasing time)."""

    __slots__ = ("_items", "last_due")

    def __init__(self) -> None:
        self._items: deque[Emission] = deque()
        self.last_due = 0.0

    def __len__(self) -> int:
        return len(self._items)

    def push(self, due: float, data: bytes, *, tag: bool = False) -> None:
        due = max(due, self.last_due)
        self.last_due = due
        self._items.append(Emission(due, data, tag))

    def pop_due(self, now: float, limit: int) -> list[Emission]:
        items = self._items
        out: list[Emission] = []
        while items and items[0].due <= now and len(out) < limit:
            out.append(items.popleft())
        return out

    def next_due(self) -> float | None:
        return self._items[0].due if self._items else None

    def clear(self) -> None:
        self._items.clear()
