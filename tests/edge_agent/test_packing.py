"""Packing windows: idle close, maximum length, and the parent/child decision."""

from __future__ import annotations

from edge_agent.packing import PackingWindow

S = 1_000_000_000
SSCC = "urn:epc:id:sscc:0614141.1234567890"
CASES = [f"urn:epc:id:sgtin:0614141.812345.{i}" for i in range(3)]


def test_window_closes_when_idle_and_yields_parent_and_children() -> None:
    w = PackingWindow(idle_close_s=2, max_window_s=60)
    assert w.add(CASES[0], 1, 0) is None
    assert w.add(SSCC, 2, 1 * S) is None
    assert w.add(CASES[1], 1, 2 * S) is None
    assert w.add(CASES[1], 1, 2 * S) is None  # repeated: counted once
    assert w.poll(3 * S) is None
    closed = w.poll(4 * S)
    assert closed is not None
    assert closed.parent == SSCC and closed.rejection is None
    assert closed.others == (CASES[0], CASES[1])
    assert closed.antenna == 2  # the antenna that read the SSCC
    assert (closed.opened_ns, closed.last_ns) == (0, 2 * S)
    assert not w.is_open


def test_window_closes_at_its_maximum_length() -> None:
    w = PackingWindow(idle_close_s=2, max_window_s=5)
    for second in range(5):
        assert w.add(f"urn:epc:id:sgtin:0614141.812345.{second}", 1, second * S) is None
    closed = w.add(SSCC, 1, 5 * S)  # the window was full: it closes, the SSCC opens the next
    assert closed is not None and closed.rejection == "no_sscc"
    assert w.is_open


def test_rejections() -> None:
    w = PackingWindow(idle_close_s=1, max_window_s=10)
    w.add(SSCC, 1, 0)
    w.add("urn:epc:id:sscc:0614141.0000000001", 1, 0)
    w.add(CASES[0], 1, 0)
    closed = w.poll(1 * S)
    assert closed is not None and closed.rejection == "several_ssccs" and closed.parent is None
    w.add(SSCC, 1, 2 * S)
    closed = w.close()
    assert closed is not None and closed.rejection == "no_children"
    assert w.close() is None
