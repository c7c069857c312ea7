"""Size-and-linger batching: commit when enough events are waiting, or the oldest waited enough."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Generic, TypeVar

__all__ = ["Batcher"]

T = TypeVar("T")


class Batcher(Generic[T]):
    """Accumulate items with a weight (their event count).

    :meth:`full` once ``max_weight`` is reached; :meth:`remaining` is how long until the first
    item has lingered ``linger_s``. Not thread-safe: one consumer thread owns it.
    """

    def __init__(
        self,
        max_weight: int,
        linger_s: float,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.max_weight = max_weight
        self.linger_s = linger_s
        self._clock = clock
        self._items: list[T] = []
        self._weight = 0
        self._first_at: float | None = None

    def __len__(self) -> int:
        return len(self._items)

    @property
    def weight(self) -> int:
        return self._weight

    def add(self, item: T, weight: int) -> None:
        if self._first_at is None:
            self._first_at = self._clock()
        self._items.append(item)
        self._weight += weight

    def full(self) -> bool:
        return self._weight >= self.max_weight

    def remaining(self) -> float | None:
        """Seconds until the batch is due (0: due now), ``None`` when empty."""
        if self._first_at is None:
            return None
        return max(0.0, self._first_at + self.linger_s - self._clock())

    def due(self) -> bool:
        left = self.remaining()
        return self.full() or (left is not None and left <= 0.0)

    def take(self) -> list[T]:
        items, self._items = self._items, []
        self._weight = 0
        self._first_at = None
        return items
