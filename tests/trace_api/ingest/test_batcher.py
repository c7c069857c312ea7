"""Size-and-linger batching with a controlled clock."""

from __future__ import annotations

from trace_api.ingest.batcher import Batcher


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_due_when_full_or_when_the_first_item_lingered() -> None:
    clock = Clock()
    batcher: Batcher[str] = Batcher(10, 0.05, clock)
    assert batcher.remaining() is None and not batcher.due()
    batcher.add("a", 4)
    clock.now += 0.03
    left = batcher.remaining()
    assert left is not None and abs(left - 0.02) < 1e-9
    assert not batcher.due()
    batcher.add("b", 6)
    assert batcher.full() and batcher.due() and batcher.weight == 10
    assert batcher.take() == ["a", "b"] and len(batcher) == 0 and batcher.weight == 0
    batcher.add("c", 1)
    clock.now += 0.049
    assert not batcher.due()
    clock.now += 0.002
    assert batcher.due() and batcher.remaining() == 0.0
