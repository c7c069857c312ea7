"""Token bucket used for the replay rate."""

from __future__ import annotations

import pytest

from edge_agent.throttle import TokenBucket


def test_burst_then_rate() -> None:
    bucket = TokenBucket(rate=100, capacity=10, now=0.0)
    assert bucket.take(10, 0.0) == 0.0  # a full burst
    assert bucket.take(5, 0.0) == pytest.approx(0.05)  # 5 tokens at 100/s
    assert bucket.take(5, 0.05) == 0.0
    assert bucket.take(10, 1000.0) == 0.0  # refill is capped at the capacity
    assert bucket.take(1, 1000.0) == pytest.approx(0.01)


def test_unlimited_and_oversized_requests() -> None:
    assert TokenBucket(rate=0, capacity=1, now=0).take(10**6, 0) == 0.0
    bucket = TokenBucket(rate=10, capacity=5, now=0.0)
    assert bucket.take(50, 0.0) == 0.0  # larger than a burst: treated as one full burst
    assert bucket.take(5, 0.0) == pytest.approx(0.5)


def test_refund() -> None:
    bucket = TokenBucket(rate=1, capacity=4, now=0.0)
    bucket.take(4, 0.0)
    bucket.refund(4)
    assert bucket.take(4, 0.0) == 0.0
