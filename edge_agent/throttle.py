"""A token bucket: at most ``rate`` events per second, in bursts of at most ``capacity``."""

from __future__ import annotations

__all__ = ["TokenBucket"]


class TokenBucket:
    """``rate`` ≤ 0 means unlimited. Times are seconds from the caller's clock."""

    def __init__(self, rate: float, capacity: float, now: float) -> None:
        self.rate = rate
        self.capacity = max(capacity, 1.0)
        self._tokens = self.capacity
        self._stamp = now

    def _refill(self, now: float) -> None:
        if now > self._stamp:
            self._tokens = min(self.capacity, self._tokens + (now - self._stamp) * self.rate)
            self._stamp = now

    def take(self, amount: float, now: float) -> float:
        """Take ``amount`` tokens and return 0, or return the seconds to wait (taking nothing).

        ``amount`` above ``capacity`` is treated as ``capacity`` (a batch is never refused
        forever)."""
        if self.rate <= 0:
            return 0.0
        amount = min(amount, self.capacity)
        self._refill(now)
        if self._tokens >= amount:
            self._tokens -= amount
            return 0.0
        return (amount - self._tokens) / self.rate

    def refund(self, amount: float) -> None:
        """Give back tokens taken for something that was not sent after all."""
        self._tokens = min(self.capacity, self._tokens + amount)
