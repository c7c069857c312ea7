"""The P2P process model: 13 activities, finite language, every simulated case in it."""

from __future__ import annotations

import numpy as np

from analytics.bpad.model import P2P_ACTIVITIES, p2p_model


def test_thirteen_activities_all_reachable() -> None:
    model = p2p_model(np.random.default_rng(1337))
    assert len(P2P_ACTIVITIES) == 13
    language = model.language()
    seen = {activity for trace in language for activity in trace}
    assert seen == set(P2P_ACTIVITIES)


def test_every_simulated_case_is_in_the_language() -> None:
    model = p2p_model(np.random.default_rng(1337))
    language = model.language()
    rng = np.random.default_rng(1)
    traces = [tuple(model.simulate(rng)) for _ in range(2000)]
    assert all(trace in language for trace in traces)
    # Choices, the parallel block and the loop all vary: many variants, not one.
    assert len(set(traces)) > 30


def test_same_seed_same_model_and_cases() -> None:
    a = p2p_model(np.random.default_rng(5))
    b = p2p_model(np.random.default_rng(5))
    ra, rb = np.random.default_rng(9), np.random.default_rng(9)
    assert [a.simulate(ra) for _ in range(50)] == [b.simulate(rb) for _ in range(50)]


def test_parallel_block_interleaves_both_ways() -> None:
    model = p2p_model(np.random.default_rng(1337))
    rng = np.random.default_rng(3)
    orders = set()
    for _ in range(500):
        trace = model.simulate(rng)
        orders.add(trace.index("Receive Goods") < trace.index("Receive Invoice"))
    assert orders == {True, False}
