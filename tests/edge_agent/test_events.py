"""Event builders: time and offset, EPC URNs, sealing with seq and the CBV 2.0 hash ID."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import orjson
import pytest

from edge_agent.document import (
    EPCIS_CONTEXT_URL,
    FT_NAMESPACE,
    NAMESPACES,
    creation_date,
    document,
)
from edge_agent.document import document_bytes as doc_bytes
from edge_agent.events import (
    StationHasher,
    _event_time,
    epc_uri,
    event_time,
    object_event,
    seal,
)
from edge_agent.exceptions import NonGS1EPCError
from foodtrace.epcis.hash import document_hash_ids, event_hash_id
from foodtrace.epcis.validate import validate_document
from tests.edge_agent.conftest import READ_POINT, SGTIN_HEX, SGTIN_URI

FACTORY_EPC = "E2801160600002054CC2096F"  # a TID-style factory code, header 0xE2


def ns(moment: datetime) -> int:
    return int(moment.timestamp()) * 1_000_000_000 + moment.microsecond * 1000


def test_event_time_keeps_milliseconds_and_offset() -> None:
    moment = datetime(2026, 3, 1, 10, 15, 30, 123999, tzinfo=UTC)
    assert event_time(ns(moment), UTC) == ("2026-03-01T10:15:30.123+00:00", "+00:00")
    tz = timezone(timedelta(hours=-5, minutes=-30))
    assert event_time(ns(moment), tz) == ("2026-03-01T04:45:30.123-05:30", "-05:30")


def test_event_time_follows_daylight_saving_of_an_iana_zone() -> None:
    berlin = ZoneInfo("Europe/Berlin")
    winter = datetime(2026, 3, 29, 0, 59, 59, 999000, tzinfo=UTC)  # 01:59:59.999 CET
    summer = winter + timedelta(milliseconds=1)  # 03:00:00.000 CEST
    assert event_time(ns(winter), berlin) == ("2026-03-29T01:59:59.999+01:00", "+01:00")
    assert event_time(ns(summer), berlin) == ("2026-03-29T03:00:00.000+02:00", "+02:00")


def test_event_time_in_the_repeated_hour_when_summer_time_ends() -> None:
    berlin = ZoneInfo("Europe/Berlin")
    first = datetime(2026, 10, 25, 0, 30, 0, 123000, tzinfo=UTC)  # 02:30:00.123 CEST
    second = first + timedelta(hours=1)  # 02:30:00.123 again, now CET
    assert event_time(ns(first), berlin) == ("2026-10-25T02:30:00.123+02:00", "+02:00")
    assert event_time(ns(second), berlin) == ("2026-10-25T02:30:00.123+01:00", "+01:00")


def test_memoised_event_time_equals_the_direct_computation() -> None:
    berlin = ZoneInfo("Europe/Berlin")
    fold = int(datetime(2026, 10, 25, 0, 30, tzinfo=UTC).timestamp())  # 02:30 CEST, then CET
    for tz in (UTC, timezone(timedelta(hours=5, minutes=45)), berlin):
        for second in (fold - 3600, fold - 1, fold, fold + 3599, fold + 3600, 0, 1_780_000_000):
            for ms in (0, 1, 5, 99, 500, 999):
                time_ns = (second * 1000 + ms) * 1_000_000 + 123_456
                assert event_time(time_ns, tz) == _event_time(second, ms, tz)


def test_station_hasher_equals_event_hash_id() -> None:
    hasher = StationHasher()
    base = object_event(
        time_ns=1_780_000_000_123_000_000,
        tz=UTC,
        epcs=[SGTIN_URI],
        action="OBSERVE",
        read_point=READ_POINT,
        biz_step="receiving",
        disposition="in_progress",
        biz_location=READ_POINT,
    )
    variants: list[dict[str, object]] = [
        base,
        {**base, "epcList": [SGTIN_URI, "urn:epc:id:sgtin:0614141.812345.7"]},
        {**base, "readPoint": {"id": "urn:epc:id:sgln:0614141.00777.0"}},
        {**base, "ft:x": 1},
        {**base, "ft:x": True},  # 1 == True in Python, not in the hash
        {**base, "ft:x": 1.5},
        {**base, "ft:x": 0, "ft:y": -7, "ft:z": 2**60 + 1},  # beyond 2**53: as the reference
        {**base, "action": 3, "rdfs:comment": 4},
        {**base, "ft:x": {"a": "b", "c": ["d", "e"]}},
        {**base, "ft:x": {"c": ["e", "d"], "a": "b"}},
        {**base, "ilmd": {"cbvmda:lotNumber": "L1"}, "action": "ADD"},
        {
            **base,
            "sourceList": [{"type": "owning_party", "source": "urn:epc:id:pgln:0614141.00001"}],
        },
        {**base, "@context": [{"ft": "https://example.com/other#"}], "ft:x": "y"},
    ]
    for _ in range(2):  # the second time from the memo
        for seq, event in enumerate(variants, 1):
            body = {**event, "ft:stationID": "door-7", "ft:seq": seq}
            assert hasher(body, NAMESPACES) == event_hash_id(body, NAMESPACES)
            assert seal(event, seq, "door-7", hasher) == seal(event, seq, "door-7")


def test_epc_uri_gs1_raw_and_refused() -> None:
    assert epc_uri(SGTIN_HEX) == SGTIN_URI
    assert epc_uri(FACTORY_EPC, "raw") == f"urn:epc:raw:96.x{FACTORY_EPC}"
    with pytest.raises(NonGS1EPCError, match="not a GS1 EPC"):
        epc_uri(FACTORY_EPC)


def test_ilmd_needs_action_add() -> None:
    with pytest.raises(ValueError, match="ADD"):
        object_event(
            time_ns=0,
            tz=UTC,
            epcs=[SGTIN_URI],
            action="OBSERVE",
            read_point=READ_POINT,
            ilmd={"cbvmda:lotNumber": "L1"},
        )


def _event() -> dict[str, object]:
    return object_event(
        time_ns=1_767_225_600_123_000_000,
        tz=UTC,
        epcs=[SGTIN_URI],
        action="OBSERVE",
        read_point=READ_POINT,
        biz_step="receiving",
        disposition="in_progress",
    )


def test_seal_adds_station_seq_and_the_hash_of_everything_else() -> None:
    event_id, payload = seal(_event(), 42, "dock-1")
    sealed = orjson.loads(payload)
    assert list(sealed)[:2] == ["type", "eventID"]
    assert sealed["eventID"] == event_id
    assert sealed["ft:stationID"] == "dock-1"
    assert sealed["ft:seq"] == 42
    unsealed = {k: v for k, v in sealed.items() if k != "eventID"}
    assert event_hash_id(unsealed, NAMESPACES) == event_id
    assert NAMESPACES["ft"] == FT_NAMESPACE and NAMESPACES["cbvmda"] == "urn:epcglobal:cbv:mda:"
    # The centre recomputes the same ID from the published document alone.
    doc = document([sealed], creation_date(0))
    assert document_hash_ids(doc) == [event_id]
    assert validate_document(doc) == []


def test_seq_is_part_of_the_identity() -> None:
    first, _ = seal(_event(), 1, "dock-1")
    second, _ = seal(_event(), 2, "dock-1")
    other_station, _ = seal(_event(), 1, "dock-2")
    assert len({first, second, other_station}) == 3
    assert seal(_event(), 1, "dock-1")[0] == first  # deterministic


def test_document_bytes_equals_the_dict_envelope() -> None:
    payloads = [seal(_event(), seq, "dock-1")[1] for seq in (1, 2)]
    created = creation_date(1_767_225_600.5)
    assert created == "2026-01-01T00:00:00.500Z"
    raw = orjson.loads(doc_bytes(payloads, created))
    assert raw == document([orjson.loads(p) for p in payloads], created)
    assert raw["@context"] == [EPCIS_CONTEXT_URL, {"ft": FT_NAMESPACE}]
    assert raw["schemaVersion"] == "2.0"
    assert validate_document(raw) == []
