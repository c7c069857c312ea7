"""Each station role turns reads into exactly the expected EPCIS 2.0 events (schema-valid).

Reads go through the whole offline pipeline (filters, presence, role, seal, outbox); the events
are read back from the outbox and validated as one EPCISDocument.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import orjson
import pytest

from edge_agent.document import creation_date, document
from edge_agent.pipeline import Pipeline
from edge_agent.reads import StampedRead, TagRead
from foodtrace.epcis.hash import document_hash_ids
from foodtrace.epcis.validate import validate_document
from tests.edge_agent.conftest import (
    BIZ_LOCATION,
    READ_POINT,
    sgtin_hex,
    sgtin_uri,
    sscc_hex,
    sscc_uri,
    station_config,
)

S = 1_000_000_000
T0 = 1_780_000_000 * S  # 2026-05-28T20:26:40Z
T0_LOCAL = "2026-05-28T21:26:40.000+01:00"  # the test station is at +01:00
OTHER_RP = "urn:epc:id:sgln:4012345.00001.9"


def read(epc_hex: str, at_s: float, antenna: int = 1, **kwargs: Any) -> StampedRead:
    return StampedRead(TagRead(epc_hex, antenna, -50), T0 + int(at_s * S), **kwargs)


def run(
    tmp_path: Path,
    role: dict[str, Any],
    reads: Sequence[StampedRead],
    tick_at: Sequence[float] = (),
    close: bool = False,
    **sections: Any,
) -> tuple[list[dict[str, Any]], Pipeline]:
    config = station_config(tmp_path, role=role, **sections)
    pipeline = Pipeline.from_config(config, publish=False)
    try:
        for item in reads:
            pipeline.feed([item])
        for at in tick_at:
            pipeline.tick((T0 + int(at * S)) / S)
        if close:
            with pipeline._lock:
                pipeline._write(pipeline._factory.flush())
        rows, _ = pipeline.outbox.peek(0, 1000)
    finally:
        pipeline.close()
    events = [orjson.loads(row.payload) for row in rows]
    doc = document(events, creation_date(T0 / S))
    assert validate_document(doc) == [], validate_document(doc)
    assert document_hash_ids(doc) == [e["eventID"] for e in events]
    assert [e["ft:seq"] for e in events] == list(range(1, len(events) + 1))
    assert {e["ft:stationID"] for e in events} <= {"dock-1"}
    return events, pipeline


def business(event: dict[str, Any]) -> dict[str, Any]:
    """The event without the fields every event has (eventID, time, station, seq)."""
    drop = {"eventID", "eventTime", "eventTimeZoneOffset", "ft:seq", "ft:stationID"}
    return {k: v for k, v in event.items() if k not in drop}


def test_receiving(tmp_path: Path) -> None:
    events, _ = run(tmp_path, {"kind": "receiving"}, [read(sgtin_hex(1), 0)])
    assert len(events) == 1
    assert events[0]["eventTime"] == T0_LOCAL
    assert events[0]["eventTimeZoneOffset"] == "+01:00"
    assert business(events[0]) == {
        "type": "ObjectEvent",
        "epcList": [sgtin_uri(1)],
        "action": "OBSERVE",
        "bizStep": "receiving",
        "disposition": "in_progress",
        "readPoint": {"id": READ_POINT},
        "bizLocation": {"id": BIZ_LOCATION},
    }


def test_shipping_with_destination_and_transaction_and_no_biz_location(tmp_path: Path) -> None:
    role = {
        "kind": "shipping",
        "destinations": [
            {"type": "owning_party", "id": "urn:epc:id:pgln:4098765.00000"},
            {"type": "location", "id": "urn:epc:id:sgln:4098765.00010.0"},
        ],
        "biz_transactions": [{"type": "desadv", "id": "urn:epcglobal:cbv:bt:4012345000009:A1"}],
    }
    events, _ = run(tmp_path, role, [read(sgtin_hex(2), 0)])
    assert business(events[0]) == {
        "type": "ObjectEvent",
        "epcList": [sgtin_uri(2)],
        "action": "OBSERVE",
        "bizStep": "shipping",
        "disposition": "in_transit",
        "readPoint": {"id": READ_POINT},
        "bizTransactionList": [
            {"type": "desadv", "bizTransaction": "urn:epcglobal:cbv:bt:4012345000009:A1"}
        ],
        "destinationList": [
            {"type": "owning_party", "destination": "urn:epc:id:pgln:4098765.00000"},
            {"type": "location", "destination": "urn:epc:id:sgln:4098765.00010.0"},
        ],
    }


def test_commissioning_adds_ilmd_once_per_presence(tmp_path: Path) -> None:
    role = {
        "kind": "commissioning",
        "ilmd": {
            "lot": "L2026-06-11A",
            "harvest_date": "2026-06-10",
            "pack_date": "2026-06-11",
            "expiry_date": "2026-06-28",
            "country_of_origin": "DE",
            "extra": {"cbvmda:netWeight": "12.5"},
        },
    }
    # read again after the dedup window: commissioning never re-reports (no second ADD)
    reads = [read(sgtin_hex(3), 0), read(sgtin_hex(3), 61)]
    events, pipeline = run(tmp_path, role, reads, presence={"depart_after_s": 600})
    assert len(events) == 1
    assert business(events[0]) == {
        "type": "ObjectEvent",
        "epcList": [sgtin_uri(3)],
        "action": "ADD",
        "bizStep": "commissioning",
        "disposition": "active",
        "readPoint": {"id": READ_POINT},
        "bizLocation": {"id": BIZ_LOCATION},
        "ilmd": {
            "cbvmda:lotNumber": "L2026-06-11A",
            "cbvmda:harvestStartDate": "2026-06-10",
            "cbvmda:productionDate": "2026-06-11",
            "cbvmda:itemExpirationDate": "2026-06-28",
            "cbvmda:countryOfOrigin": "DE",
            "cbvmda:netWeight": "12.5",
        },
    }
    assert pipeline.metrics.value("foodtrace_edge_observations_total", {"kind": "report"}) == 1


def test_packing_aggregates_sscc_with_cases_read_in_one_window(tmp_path: Path) -> None:
    reads = [
        read(sgtin_hex(10), 0.0),
        read(sscc_hex(1234567890), 0.5, antenna=2),
        read(sgtin_hex(11), 1.0),
        read(sgtin_hex(10), 1.5),  # seen again: no duplicate child
        read(sgtin_hex(12), 2.0),
    ]
    role = {"kind": "packing", "idle_close_s": 3}
    events, _ = run(tmp_path, role, reads, tick_at=[4.9, 5.0])
    assert len(events) == 1
    assert events[0]["eventTime"] == "2026-05-28T21:26:42.000+01:00"  # the last new tag
    assert business(events[0]) == {
        "type": "AggregationEvent",
        "parentID": sscc_uri(1234567890),
        "childEPCs": [sgtin_uri(10), sgtin_uri(11), sgtin_uri(12)],
        "action": "ADD",
        "bizStep": "packing",
        "disposition": "in_progress",
        "readPoint": {"id": READ_POINT},
        "bizLocation": {"id": BIZ_LOCATION},
    }


def test_packing_refuses_ambiguous_windows_with_a_reason(tmp_path: Path) -> None:
    reads = [
        read(sscc_hex(1), 0.0),
        read(sscc_hex(2), 0.1),
        read(sgtin_hex(20), 0.2),
        read(sgtin_hex(21), 10.0),  # next window: cases only, closed at shutdown
    ]
    events, pipeline = run(tmp_path, {"kind": "packing"}, reads, tick_at=[5.0], close=True)
    assert events == []
    skipped = pipeline.metrics.value
    assert skipped("foodtrace_edge_skipped_total", {"reason": "packing_several_ssccs"}) == 1
    assert skipped("foodtrace_edge_skipped_total", {"reason": "packing_no_sscc"}) == 1


def test_retail_selling(tmp_path: Path) -> None:
    events, _ = run(
        tmp_path,
        {"kind": "retail_selling"},
        [read(sgtin_hex(4), 0), read(sgtin_hex(4), 61)],
        presence={"depart_after_s": 600},
    )
    assert len(events) == 1  # a sale is not repeated by a re-read
    assert business(events[0]) == {
        "type": "ObjectEvent",
        "epcList": [sgtin_uri(4)],
        "action": "OBSERVE",
        "bizStep": "retail_selling",
        "disposition": "retail_sold",
        "readPoint": {"id": READ_POINT},
        "bizLocation": {"id": BIZ_LOCATION},
    }


def test_sensor_reporting_writes_temperature_in_celsius(tmp_path: Path) -> None:
    reads = [
        read(sgtin_hex(5), 0, temperature_c=4.25),
        read(sgtin_hex(5), 30, temperature_c=4.5),  # inside the window: suppressed
        read(sgtin_hex(5), 60, temperature_c=7.125),
        read(sgtin_hex(6), 61),  # no reading: no event
    ]
    events, pipeline = run(
        tmp_path, {"kind": "sensor_reporting"}, reads, presence={"depart_after_s": 600}
    )
    assert [business(e)["sensorElementList"] for e in events] == [
        [
            {
                "sensorMetadata": {"time": T0_LOCAL, "deviceID": sgtin_uri(5)},
                "sensorReport": [{"type": "gs1:Temperature", "value": 4.25, "uom": "CEL"}],
            }
        ],
        [
            {
                "sensorMetadata": {
                    "time": "2026-05-28T21:27:40.000+01:00",
                    "deviceID": sgtin_uri(5),
                },
                "sensorReport": [{"type": "gs1:Temperature", "value": 7.125, "uom": "CEL"}],
            }
        ],
    ]
    first = business(events[0])
    assert (first["action"], first["bizStep"], "disposition" in first) == (
        "OBSERVE",
        "sensor_reporting",
        False,
    )
    assert pipeline.metrics.value("foodtrace_edge_skipped_total", {"reason": "no_temperature"}) == 1


def test_role_and_antenna_overrides(tmp_path: Path) -> None:
    role = {
        "kind": "receiving",
        "disposition": "sellable_not_accessible",
        "antennas": {"2": {"biz_step": "arriving", "read_point": OTHER_RP}},
    }
    events, _ = run(tmp_path, role, [read(sgtin_hex(7), 0, 1), read(sgtin_hex(8), 0, 2)])
    one, two = (business(e) for e in events)
    assert (one["bizStep"], one["disposition"], one["readPoint"]) == (
        "receiving",
        "sellable_not_accessible",
        {"id": READ_POINT},
    )
    assert (two["bizStep"], two["disposition"], two["readPoint"]) == (
        "arriving",
        "sellable_not_accessible",
        {"id": OTHER_RP},
    )


def test_reports_and_departure_events(tmp_path: Path) -> None:
    role = {"kind": "receiving", "depart_biz_step": "departing"}
    reads = [read(sgtin_hex(9), 0), read(sgtin_hex(9), 10), read(sgtin_hex(9), 20)]
    events, _ = run(
        tmp_path,
        role,
        reads,
        tick_at=[34.9, 35.0],
        presence={"dedup_window_s": 10, "depart_after_s": 15},
    )
    steps = [(business(e)["bizStep"], e["eventTime"][11:19]) for e in events]
    assert steps == [
        ("receiving", "21:26:40"),  # arrival
        ("receiving", "21:26:50"),  # report after the 10 s window
        ("receiving", "21:27:00"),
        ("departing", "21:27:00"),  # unseen for 15 s at t=35: departure at last-seen time
    ]
    assert "disposition" not in business(events[-1])


def test_filters_and_non_gs1_choice(tmp_path: Path) -> None:
    factory = "E2801160600002054CC2096F"
    reads = [read(factory, 0), read(sgtin_hex(30), 0), read(sgtin_hex(31, "4012345"), 0)]
    events, pipeline = run(
        tmp_path,
        {"kind": "receiving"},
        reads,
        filters={"company_prefixes": ["0614141"]},
    )
    assert [e["epcList"] for e in events] == [[sgtin_uri(30)]]
    value = pipeline.metrics.value
    assert value("foodtrace_edge_reads_filtered_total", {"reason": "non_gs1"}) == 1
    assert value("foodtrace_edge_reads_filtered_total", {"reason": "company_prefix"}) == 1

    raw_events, _ = run(
        tmp_path / "raw", {"kind": "receiving"}, [read(factory, 0)], filters={"non_gs1": "raw"}
    )
    assert raw_events[0]["epcList"] == [f"urn:epc:raw:96.x{factory}"]


@pytest.mark.parametrize("zone", ["Europe/Berlin", "UTC", "-04:00"])
def test_timezone_of_the_station(tmp_path: Path, zone: str) -> None:
    station = {"id": "dock-1", "site": "site-a", "read_point": READ_POINT, "timezone": zone}
    events, _ = run(tmp_path, {"kind": "receiving"}, [read(sgtin_hex(40), 0)], station=station)
    expected = {
        "Europe/Berlin": ("2026-05-28T22:26:40.000+02:00", "+02:00"),
        "UTC": ("2026-05-28T20:26:40.000+00:00", "+00:00"),
        "-04:00": ("2026-05-28T16:26:40.000-04:00", "-04:00"),
    }[zone]
    assert (events[0]["eventTime"], events[0]["eventTimeZoneOffset"]) == expected
    assert "bizLocation" not in events[0]
