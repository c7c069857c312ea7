"""Batches committed concurrently are acknowledged in the order they were formed."""

from __future__ import annotations

import random
import threading
import time

from trace_api.ingest.worker import _AckTurns


def test_batches_finishing_in_any_order_acknowledge_in_batch_order() -> None:
    turns = _AckTurns()
    acked: list[int] = []
    rnd = random.Random(4)
    delays = [rnd.uniform(0, 0.02) for _ in range(40)]

    def commit(number: int) -> None:
        time.sleep(delays[number])  # the "commit" of this batch takes its own time
        assert turns.wait(number)
        acked.append(number)
        turns.done(number)

    threads = [threading.Thread(target=commit, args=(n,)) for n in reversed(range(40))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    assert acked == list(range(40))


def test_abort_releases_every_waiting_batch_without_its_turn() -> None:
    turns = _AckTurns()
    results: list[bool] = []
    waiting = [threading.Thread(target=lambda n=n: results.append(turns.wait(n))) for n in (1, 2)]
    for thread in waiting:
        thread.start()
    time.sleep(0.05)
    assert results == []  # batch 0 has not acknowledged yet
    turns.abort()
    for thread in waiting:
        thread.join(10)
    assert results == [False, False]
    assert not turns.wait(0)
