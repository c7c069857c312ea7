"""Generated logs: determinism, anomaly share, and each anomaly type within the protocol's caps."""

from __future__ import annotations

from collections import Counter

import pytest

from analytics.bpad.anomalies import ANOMALY_TYPES, Case
from analytics.bpad.log import EventLog, generate_log, protocol_logs


@pytest.fixture(scope="module")
def log() -> EventLog:
    return generate_log(anomaly_p=0.45, num_attr=3, size=1200)


def _normal_twin(log: EventLog, case: Case) -> None:
    assert len(case.attributes) == len(case.activities)
    assert all(len(values) == log.num_attr for values in case.attributes)


def test_protocol_has_36_logs() -> None:
    pairs = protocol_logs()
    assert len(pairs) == 36
    assert {p for p, _ in pairs} == {0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45}
    assert {n for _, n in pairs} == {1, 2, 3, 4}


def test_deterministic() -> None:
    a = generate_log(anomaly_p=0.2, num_attr=2, size=300)
    b = generate_log(anomaly_p=0.2, num_attr=2, size=300)
    assert a.cases == b.cases
    c = generate_log(anomaly_p=0.2, num_attr=2, size=300, seed=7)
    assert a.cases != c.cases


def test_anomaly_share_and_types(log: EventLog) -> None:
    assert int(log.labels.sum()) == round(0.45 * 1200)
    counts = log.anomaly_counts()
    assert set(counts) == set(ANOMALY_TYPES)
    # Types are drawn uniformly: each of the six near 1/6 of 540.
    assert all(55 <= n <= 130 for n in counts.values()), counts


def test_normal_cases_follow_the_model(log: EventLog) -> None:
    language = log.model.language()
    for case in log.cases:
        _normal_twin(log, case)
        if case.anomaly is None:
            assert case.activities in language
            for activity, values in zip(case.activities, case.attributes, strict=True):
                for j, value in enumerate(values):
                    assert value in log.attributes.support[(activity, j)]


def test_control_flow_anomalies_leave_the_language(log: EventLog) -> None:
    language = log.model.language()
    for case in log.cases:
        if case.anomaly not in (None, "attribute"):
            assert case.activities not in language, case


def test_caps(log: EventLog) -> None:
    for case in log.cases:
        d = case.detail
        if case.anomaly == "skip":
            assert 1 <= d["size"] <= 2
        elif case.anomaly == "insert":
            assert 1 <= len(d["positions"]) <= 2
        elif case.anomaly == "rework":
            assert 1 <= d["size"] <= 3
            assert 0 <= d["at"] - (d["start"] + d["size"]) <= 5
            # The copy really repeats the original sequence.
            seq = case.activities[d["start"] : d["start"] + d["size"]]
            assert case.activities[d["at"] : d["at"] + d["size"]] == seq
        elif case.anomaly in ("early", "late"):
            assert 1 <= d["size"] <= 2
            assert 1 <= d["shift"] <= 5
        elif case.anomaly == "attribute":
            events = Counter(e for e, _ in d["changed"])
            assert 1 <= len(events) <= 3
            assert all(n <= 2 for n in events.values())
            for e, j in d["changed"]:
                assert case.attributes[e][j] not in log.attributes.support[(case.activities[e], j)]


def test_bad_parameters_refused() -> None:
    with pytest.raises(ValueError, match="anomaly_p"):
        generate_log(anomaly_p=1.5, num_attr=1, size=10)
    with pytest.raises(ValueError, match="num_attr"):
        generate_log(anomaly_p=0.1, num_attr=-1, size=10)
