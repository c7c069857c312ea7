"""The serial line's throughput limit: 8N1 sends one byte per 10 bit times (baud / 10 bytes/s).

A pty has no baud rate, so the runners pace their writes with :class:`LinePacer`, a token bucket
whose burst is a few milliseconds of line time.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Final

__all__ = ["BITS_PER_BYTE", "LinePacer"]

BITS_PER_BYTE: Final = 10  # start bit, 8 data bits, stop bit
_BURST_S: Final = 0.004
_MIN_BURST: Final = 64


class LinePacer:
    """How many bytes may go on the line now; ``baudrate`` may change on the fly."""

    __slots__ = ("_allowance", "_clock", "_last", "baudrate")

    def __init__(self, baudrate: int, clock: Callable[[], float] = time.monotonic) -> None:
        self.baudrate = baudrate
        self._clock = clock
        self._last = clock()
        self._allowance = 0.0

    @property
    def bytes_per_second(self) -> float:
        return self.baudrate / BITS_PER_BYTE

    def _burst(self) -> float:
        return max(_MIN_BURST, self.bytes_per_second * _BURST_S)

    def available(self) -> int:
        """Bytes that may be written now."""
        now = self._clock()
        self._allowance = min(
            self._burst(), self._allowance + (now - self._last) * self.bytes_per_second
        )
        self._last = now
        return int(self._allowance)

    def spend(self, count: int) -> None:
        self._allowance -= count

    def delay(self, count: int) -> float:
        """Seconds until ``count`` bytes (at most a burst) may be written."""
        need = min(count, int(self._burst())) - self._allowance
        return max(0.0, need / self.bytes_per_second)
