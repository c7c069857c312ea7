"""prepare_event reads the indexed columns and child rows of each EPCIS event type."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import orjson
import pytest
from hypothesis import given
from hypothesis import strategies as st

from foodtrace.epcis.hash import event_hash_id, namespaces_from_context
from foodtrace.gs1.digital_link import canonical_identifier
from tests.trace_api.support import events
from trace_api.exceptions import EventShapeError
from trace_api.storage import FOODTRACE_NS, prepare_context, prepare_event
from trace_api.storage.prepare import PreparedEvent, canonical


def _only(name: str) -> PreparedEvent:
    (event,), context = events(name)
    return prepare_event(event, context)


def _ids(prepared: PreparedEvent) -> list[tuple[str, str, str, float | None, str | None]]:
    return [
        (r["role"], r["kind"], r["value"], r["quantity"], r["uom"]) for r in prepared.identifiers
    ]


def test_object_event_columns() -> None:
    prepared = _only("object_event_all_possible_fields.jsonld")
    row = prepared.event
    assert prepared.event_id == "urn:uuid:374d95fc-9457-4a51-bd6a-0bba133845a8"
    assert row["event_type"] == "ObjectEvent"
    assert row["event_time"] == datetime(2005, 4, 5, 2, 33, 31, 116000, tzinfo=UTC)
    assert row["event_time_zone_offset"] == "-06:00"
    assert (row["action"], row["biz_step"], row["disposition"]) == (
        "ADD",
        "receiving",
        "in_progress",
    )
    assert row["read_point"] == "urn:epc:id:sgln:0012345.11111.400"
    assert row["biz_location"] == "urn:epc:id:sgln:0012345.11111.0"
    assert row["error_declared"] is True
    assert (row["station_id"], row["station_seq"]) == (None, None)
    assert _ids(prepared) == [
        ("epc", "instance", "urn:epc:id:sgtin:0614141.107346.2018", None, None),
        ("epc", "class", "urn:epc:class:lgtin:4012345.012345.998877", 200.0, "KGM"),
    ]


def test_identifiers_get_their_canonical_digital_link() -> None:
    prepared = _only("object_event_all_possible_fields.jsonld")
    canonical = [r["canonical"] for r in prepared.identifiers]
    assert canonical == [
        "https://id.gs1.org/01/10614141073464/21/2018",
        "https://id.gs1.org/01/04012345123456/10/998877",
    ]


def test_non_gs1_identifier_keeps_its_value_as_canonical() -> None:
    event = {
        "type": "ObjectEvent",
        "eventID": "urn:uuid:00000000-0000-4000-8000-000000000001",
        "eventTime": "2026-01-01T00:00:00Z",
        "eventTimeZoneOffset": "+08:00",
        "action": "OBSERVE",
        "epcList": ["urn:epc:id:gid:95100000.12345.400", "https://example.org/thing/1"],
    }
    prepared = prepare_event(event)
    assert [r["canonical"] for r in prepared.identifiers] == event["epcList"]


def test_aggregation_event_parent_and_children() -> None:
    prepared = _only("aggregation_event_all_possible_fields.jsonld")
    assert _ids(prepared) == [
        ("parent", "instance", "urn:epc:id:sscc:0614141.1234567890", None, None),
        ("child", "instance", "urn:epc:id:sgtin:0614141.107346.2017", None, None),
        ("child", "instance", "urn:epc:id:sgtin:0614141.107346.2018", None, None),
        ("child", "class", "urn:epc:idpat:sgtin:4012345.098765.*", 10.0, None),
        ("child", "class", "urn:epc:class:lgtin:4012345.012345.998877", 200.5, "KGM"),
    ]


def test_association_event_parent_and_children() -> None:
    prepared = _only("association_event_all_possible_fields.jsonld")
    assert prepared.event["event_type"] == "AssociationEvent"
    assert [(r["role"], r["value"]) for r in prepared.identifiers][:3] == [
        ("parent", "urn:epc:id:grai:4012345.55555.987"),
        ("child", "urn:epc:id:giai:4000001.12345"),
        ("child", "urn:epc:id:giai:4000001.12346"),
    ]


def test_transformation_event_inputs_outputs_and_id() -> None:
    prepared = _only("transformation_event_all_possible_fields.jsonld")
    assert prepared.event["action"] is None
    assert prepared.event["transformation_id"] == "urn:epc:id:gdti:0614141.12345.400"
    roles = [(r["role"], r["kind"]) for r in prepared.identifiers]
    assert roles.count(("input", "instance")) == 2
    assert roles.count(("input", "class")) == 3
    assert roles.count(("output", "instance")) == 4
    assert roles.count(("output", "class")) == 3


def test_transaction_event_business_transactions_sources_destinations() -> None:
    prepared = _only("transaction_event_all_possible_fields.jsonld")
    assert prepared.biz_transactions == [
        {"type": "po", "value": "urn:epc:id:gdti:0614141.00001.1618034"},
        {"type": "pedigree", "value": "urn:epc:id:gsrn:0614141.0000010253"},
    ]
    assert prepared.sources_destinations[0] == {
        "direction": "source",
        "type": "location",
        "value": "urn:epc:id:sgln:4012345.00225.0",
    }
    assert [r["direction"] for r in prepared.sources_destinations] == ["source"] * 3 + [
        "destination"
    ] * 3


def test_sensor_report_fields_and_inherited_metadata() -> None:
    prepared = _only("object_event_all_possible_fields.jsonld")
    (report,) = prepared.sensor_reports
    assert report["type"] == "Temperature"
    assert (report["value"], report["min_value"], report["max_value"]) == (26.0, 26.0, 26.2)
    assert (report["mean_value"], report["s_dev"], report["uom"]) == (13.2, 0.1, "CEL")
    assert (report["perc_rank"], report["perc_value"]) == (50.0, 12.7)
    assert report["boolean_value"] is True
    assert report["string_value"] == "SomeString"
    assert report["hex_binary_value"] == "f0f0f0"
    assert report["time"] == datetime(2019, 7, 19, 13, 0, tzinfo=UTC)
    assert report["start_time"] == datetime(2019, 4, 2, 12, 55, 1, tzinfo=UTC)
    assert report["biz_rules"] == "https://example.com/253/4012345000054987"  # from metadata


def test_sensor_reports_of_interval_statistics() -> None:
    prepared = _only("SensorDataExample2.jsonld")
    assert [(r["element_index"], r["report_index"]) for r in prepared.sensor_reports] == [
        (0, 0),
        (0, 1),
        (0, 2),
        (0, 3),
    ]
    start = datetime(2019, 4, 2, 12, 55, 1, tzinfo=UTC)
    assert {(r["start_time"], r["time"]) for r in prepared.sensor_reports} == {(start, None)}
    assert {r["device_id"] for r in prepared.sensor_reports} == {"urn:epc:id:giai:4000001.111"}
    assert [(r["uom"], r["max_value"]) for r in prepared.sensor_reports] == [
        ("CEL", 26.2),
        ("A93", 12.2),
        ("KMH", 162.0),
        ("LUX", 802.0),
    ]


def test_error_declaration_keeps_extensions() -> None:
    first, _ = events("ErrorDeclarationAndCorrectiveEvent.jsonld")[0]
    prepared = prepare_event(first)
    assert prepared.error_declaration == {
        "declaration_time": datetime(2020, 1, 15, tzinfo=timezone(timedelta(hours=1))),
        "reason": "incorrect_data",
        "corrective_event_ids": ["urn:uuid:404d95fc-9457-4a51-bd6a-0bba133845a8"],
        "extensions": {"example:vendorExtension": "Test1"},
    }


def test_raw_bytes_are_kept_verbatim() -> None:
    raw = (
        b'{ "type" : "ObjectEvent", "eventID": "urn:uuid:1",\n "eventTime":'
        b' "2026-01-01T08:00:00+08:00", "eventTimeZoneOffset": "+08:00",'
        b' "action": "OBSERVE", "epcList": [] }'
    )
    prepared = prepare_event(orjson.loads(raw), None, raw)
    assert prepared.event["raw"].encode() == raw
    assert prepared.event["event_time"] == datetime(2026, 1, 1, tzinfo=UTC)


def test_without_raw_the_event_is_serialised() -> None:
    (event,), context = events("association_event_all_possible_fields.jsonld")
    prepared = prepare_event(event, context)
    assert orjson.loads(prepared.event["raw"]) == event


def _station_event(**extra: Any) -> dict[str, Any]:
    return {
        "type": "ObjectEvent",
        "eventID": "urn:uuid:00000000-0000-4000-8000-000000000002",
        "eventTime": "2026-03-01T10:00:00+08:00",
        "eventTimeZoneOffset": "+08:00",
        "action": "OBSERVE",
        "epcList": ["urn:epc:id:sgtin:0614141.107346.1"],
        **extra,
    }


def test_station_fields_under_the_prefix_the_context_binds() -> None:
    context = [
        "https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld",
        {"st": FOODTRACE_NS},
    ]
    prepared = prepare_event(_station_event(**{"st:stationID": "pack-01", "st:seq": 42}), context)
    assert prepared.station == ("pack-01", 42)


def test_station_fields_under_an_unbound_prefix_are_ignored() -> None:
    prepared = prepare_event(_station_event(**{"st:stationID": "pack-01", "st:seq": 42}))
    assert prepared.station is None


def test_station_fields_under_the_full_iri() -> None:
    fields = {FOODTRACE_NS + "stationID": "dc-7", FOODTRACE_NS + "seq": 1}
    assert prepare_event(_station_event(**fields)).station == ("dc-7", 1)


def test_context_is_prepared_once_and_shared() -> None:
    context = [
        "https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld",
        {"ft": FOODTRACE_NS},
    ]
    shared = prepare_context(context)
    assert shared is not None
    assert shared.namespaces["ft"] == FOODTRACE_NS
    assert prepare_context(list(context)) == shared
    assert prepare_event(_station_event(), shared).context is shared


@pytest.mark.parametrize(
    ("change", "pointer"),
    [
        ({"type": "ThingEvent"}, "/type"),
        ({"eventTime": "yesterday"}, "/eventTime"),
        ({"eventTime": "2026-03-01T10:00:00"}, "/eventTime"),
        ({"epcList": "urn:epc:id:sgtin:0614141.107346.1"}, "/epcList"),
        ({"epcList": [7]}, "/epcList/0"),
        ({"quantityList": [{"quantity": 3}]}, "/quantityList/0/epcClass"),
        ({"readPoint": "urn:epc:id:sgln:0614141.00777.0"}, "/readPoint"),
        (
            {"sensorElementList": [{"sensorReport": [{"type": "Temperature", "value": "hot"}]}]},
            "/sensorElementList/0/sensorReport/0/value",
        ),
        ({"errorDeclaration": {"reason": "did_not_occur"}}, "/errorDeclaration/declarationTime"),
    ],
)
def test_shape_errors_name_the_field(change: dict[str, Any], pointer: str) -> None:
    with pytest.raises(EventShapeError, match=f"at {pointer}:"):
        prepare_event(_station_event(**change))


def test_raw_bytes_must_be_utf8() -> None:
    with pytest.raises(EventShapeError, match="not UTF-8"):
        prepare_event(_station_event(), None, b'{"type": "ObjectEvent\xff"}')


def test_a_non_object_is_refused() -> None:
    with pytest.raises(EventShapeError):
        prepare_event(["ObjectEvent"])  # type: ignore[arg-type]


def test_namespace_is_the_one_the_edge_agent_writes() -> None:
    from edge_agent.document import FT_NAMESPACE

    assert FOODTRACE_NS == FT_NAMESPACE


_SERIAL_CHARS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"


@given(
    cp_length=st.integers(min_value=6, max_value=12),
    digits=st.text("0123456789", min_size=13, max_size=13),
    serial=st.text(_SERIAL_CHARS, min_size=1, max_size=21),
)
def test_sgtin_shortcut_agrees_with_canonical_identifier(
    cp_length: int, digits: str, serial: str
) -> None:
    uri = f"urn:epc:id:sgtin:{digits[:cp_length]}.{digits[cp_length:]}.{serial}"
    assert canonical(uri) == canonical_identifier(uri)


@pytest.mark.parametrize(
    "uri",
    [
        "urn:epc:id:sgtin:0614141.107346.20%2F18",
        "urn:epc:id:sgtin:0614141.107346.",
        "urn:epc:id:sgtin:0614141.2018",
        "urn:epc:id:sgtin:06141411.07346.2018",
        "urn:epc:id:sscc:0614141.1234567890",
        "urn:epc:class:lgtin:4012345.012345.998877",
    ],
)
def test_identifiers_outside_the_shortcut_agree_too(uri: str) -> None:
    assert canonical(uri) == canonical_identifier(uri)


def test_missing_event_id_becomes_the_cbv_hash() -> None:
    event_list, context = events("SensorDataExample2.jsonld")
    given = event_list[0]
    without = {k: v for k, v in given.items() if k != "eventID"}
    prepared = prepare_event(without, context)
    assert prepared.event_id == event_hash_id(without, namespaces_from_context(context))
    assert prepared.event_id.startswith("ni:///sha-256;")
    assert prepared.event["event_id"] == prepared.event_id
    assert prepare_event(without).event_id == event_hash_id(without)
