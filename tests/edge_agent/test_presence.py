"""Dedup window and arrive/report/depart timing, with times injected."""

from __future__ import annotations

from edge_agent.config import PresenceSettings
from edge_agent.presence import Observation, ObservationKind, PresenceTracker

S = 1_000_000_000
A, R, D = ObservationKind.ARRIVE, ObservationKind.REPORT, ObservationKind.DEPART
EPC = "urn:epc:id:sgtin:0614141.812345.6789"
OTHER = "urn:epc:id:sgtin:0614141.812345.1"


def tracker(**kwargs: object) -> PresenceTracker:
    settings = {"dedup_window_s": 10.0, "depart_after_s": 5.0, **kwargs}
    return PresenceTracker(PresenceSettings.model_validate(settings))


def kinds(observations: list[Observation]) -> list[ObservationKind]:
    return [o.kind for o in observations]


def test_arrive_then_suppress_then_report_after_window() -> None:
    t = tracker(depart_after_s=60.0)
    assert kinds(t.observe(EPC, 1, 0)) == [A]
    for second in range(1, 10):  # reads every second inside the window
        assert t.observe(EPC, 1, second * S) == []
    report = t.observe(EPC, 1, 10 * S)
    assert kinds(report) == [R]
    assert report[0].read_count == 11
    assert t.observe(EPC, 1, 15 * S) == []
    assert kinds(t.observe(EPC, 1, 20 * S)) == [R]


def test_zero_window_reports_every_read_and_report_once_reports_none() -> None:
    every = tracker(dedup_window_s=0)
    assert kinds(every.observe(EPC, 1, 0)) == [A]
    assert kinds(every.observe(EPC, 1, 1)) == [R]
    once = tracker(dedup_window_s=1, report_once=True, depart_after_s=600)
    assert kinds(once.observe(EPC, 1, 0)) == [A]
    assert once.observe(EPC, 1, 100 * S) == []


def test_depart_after_unseen_interval() -> None:
    t = tracker()
    t.observe(EPC, 1, 0)
    t.observe(EPC, 1, 2 * S)
    assert t.expire(6 * S) == []  # last seen at 2 s: 4 s unseen
    departed = t.expire(7 * S)
    assert kinds(departed) == [D]
    assert departed[0].time_ns == 2 * S  # a departure carries the last time seen
    assert departed[0].read_count == 2
    assert len(t) == 0
    assert kinds(t.observe(EPC, 1, 8 * S)) == [A]  # comes back: arrives again


def test_late_read_gives_departure_and_new_arrival_without_tick() -> None:
    t = tracker()
    t.observe(EPC, 1, 0)
    assert kinds(t.observe(EPC, 1, 5 * S)) == [D, A]


def test_state_is_per_antenna_or_radio_wide() -> None:
    per = tracker()
    assert kinds(per.observe(EPC, 1, 0)) == [A]
    assert kinds(per.observe(EPC, 2, 1)) == [A]
    wide = tracker(per_antenna=False)
    assert kinds(wide.observe(EPC, 1, 0)) == [A]
    assert wide.observe(EPC, 2, 1) == []


def test_expiry_only_touches_expired_tags_in_last_seen_order() -> None:
    t = tracker()
    t.observe(EPC, 1, 0)
    t.observe(OTHER, 1, 1 * S)
    t.observe(EPC, 1, 3 * S)  # EPC seen again: now the most recent
    departed = t.expire(6 * S)
    assert [o.epc for o in departed] == [OTHER]
    assert [o.epc for o in t.expire(8 * S)] == [EPC]


def test_max_tags_evicts_least_recently_seen_as_departure() -> None:
    t = tracker(max_tags=2)
    t.observe("urn:a", 1, 0)
    t.observe("urn:b", 1, 1)
    t.observe("urn:a", 1, 2)
    out = t.observe("urn:c", 1, 3)
    assert [(o.kind, o.epc) for o in out] == [(D, "urn:b"), (A, "urn:c")]
    assert t.evicted == 1 and len(t) == 2


def test_peak_rssi_and_temperature_travel_with_observations() -> None:
    t = tracker(dedup_window_s=0)
    arrive = t.observe(EPC, 1, 0, rssi_dbm=-60, temperature_c=3.5)[0]
    assert (arrive.rssi_dbm, arrive.temperature_c) == (-60, 3.5)
    t.observe(EPC, 1, 1, rssi_dbm=-40)
    t.observe(EPC, 1, 2, rssi_dbm=-70)
    assert t.expire(10 * S)[0].rssi_dbm == -40
