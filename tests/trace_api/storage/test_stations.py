"""Station sequence numbers: gaps open when numbers are skipped and close when they arrive."""

from __future__ import annotations

from typing import Any

from sqlalchemy.engine import Engine

from trace_api.storage import (
    FOODTRACE_NS,
    prepare_event,
    record_station_seqs,
    station_gaps,
    station_sequence,
    store_events,
)

CONTEXT = ["https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld", {"ft": FOODTRACE_NS}]


def test_in_order_sequence_has_no_gap(db: Engine) -> None:
    state = record_station_seqs(db, "farm-1", [1, 2, 3])
    assert (state.highest_contiguous, state.highest_seen, state.gaps) == (3, 3, [])
    assert station_gaps(db, "farm-1") == []


def test_skipped_numbers_open_gaps_that_late_arrivals_split_and_close(db: Engine) -> None:
    record_station_seqs(db, "pack-2", [1, 2, 3])
    state = record_station_seqs(db, "pack-2", [7, 12])
    assert state.gaps == [(4, 6), (8, 11)]
    assert (state.highest_contiguous, state.highest_seen) == (3, 12)
    state = record_station_seqs(db, "pack-2", [5, 9])
    assert state.gaps == [(4, 4), (6, 6), (8, 8), (10, 11)]
    state = record_station_seqs(db, "pack-2", [4, 6, 8, 10, 11])
    assert (state.highest_contiguous, state.highest_seen, state.gaps) == (12, 12, [])
    assert station_gaps(db, "pack-2") == []


def test_a_station_starting_late_has_a_leading_gap(db: Engine) -> None:
    state = record_station_seqs(db, "dc-3", [5])
    assert state.gaps == [(1, 4)]
    assert state.highest_contiguous == 0


def test_repeats_and_non_positive_numbers_change_nothing(db: Engine) -> None:
    record_station_seqs(db, "shop-4", [1, 3])
    state = record_station_seqs(db, "shop-4", [3, 1, 0, -5])
    assert (state.highest_contiguous, state.highest_seen, state.gaps) == (1, 3, [(2, 2)])


def test_stations_are_independent(db: Engine) -> None:
    record_station_seqs(db, "a", [1, 4])
    record_station_seqs(db, "b", [2])
    assert station_gaps(db, "a") == [(2, 3)]
    assert station_gaps(db, "b") == [(1, 1)]
    assert station_gaps(db, "unknown") == []
    assert station_sequence(db, "unknown") is None


def _event(seq: int) -> dict[str, Any]:
    return {
        "type": "ObjectEvent",
        "eventID": f"urn:uuid:00000000-0000-4000-8000-{seq:012d}",
        "eventTime": "2026-03-01T10:00:00+08:00",
        "eventTimeZoneOffset": "+08:00",
        "action": "OBSERVE",
        "epcList": [f"urn:epc:id:sgtin:0614141.107346.{seq}"],
        "ft:stationID": "pack-9",
        "ft:seq": seq,
    }


def test_store_events_records_sequence_numbers_of_new_events(db: Engine) -> None:
    store_events(db, [prepare_event(_event(seq), CONTEXT) for seq in (1, 2, 5)])
    assert station_gaps(db, "pack-9") == [(3, 4)]
    store_events(db, [prepare_event(_event(seq), CONTEXT) for seq in (5, 3, 4)])
    state = station_sequence(db, "pack-9")
    assert state is not None
    assert (state.highest_contiguous, state.highest_seen, state.gaps) == (5, 5, [])
