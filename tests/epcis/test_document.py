"""Documents: every official example and FSMA 204 CTE document reads and writes back unchanged."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import orjson
import pytest

from foodtrace.epcis.document import (
    EPCISDocument,
    EPCISQueryDocument,
    iter_events,
    parse_document,
    raw_event_list,
)
from foodtrace.epcis.events import AggregationEvent, ObjectEvent, TransformationEvent
from foodtrace.exceptions import EPCISParseError
from tests.epcis.epcis_data import EXAMPLES, FSMA204, events_of, load


def _canonical(value: Any) -> bytes:
    """Same keys and values, including int against float: sorted-key orjson text."""
    return orjson.dumps(value, option=orjson.OPT_SORT_KEYS)


@pytest.mark.parametrize("path", EXAMPLES + FSMA204, ids=lambda p: p.name)
def test_round_trip(path: Path) -> None:
    raw = load(path)
    document = parse_document(path.read_bytes() if path in EXAMPLES else raw)
    assert _canonical(document.to_json_dict()) == _canonical(raw)
    assert _canonical(orjson.loads(document.to_json_bytes())) == _canonical(raw)
    assert len(list(iter_events(document))) == len(events_of(raw))
    assert [event.type for event in iter_events(document)] == [e["type"] for e in events_of(raw)]


def test_all_22_examples_and_7_fsma_documents_are_there() -> None:
    assert len(EXAMPLES) == 22
    assert len(FSMA204) == 7
    assert sum(p.name.endswith("_all_possible_fields.jsonld") for p in EXAMPLES) == 5


def test_extensions_and_context_are_kept_verbatim() -> None:
    raw = load(next(p for p in EXAMPLES if p.name == "Example_9.6.1-ObjectEvent.jsonld"))
    document = parse_document(raw)
    assert isinstance(document, EPCISDocument)
    assert document.context == raw["@context"]
    first, second = document.events
    assert isinstance(second, ObjectEvent)
    assert first.extensions == {}
    assert second.extensions == {"example:myField": "Example of a vendor/user extension"}
    assert document.namespaces()["example"] == "http://ns.example.com/epcis/"


def test_typed_access_to_the_parts() -> None:
    raw = load(next(p for p in EXAMPLES if p.name == "Example_9.6.4-TransformationEvent.jsonld"))
    event = parse_document(raw).events[0]
    assert isinstance(event, TransformationEvent)
    assert event.input_quantity_list is not None
    assert event.input_quantity_list[0].epc_class.startswith("urn:epc:class:")
    assert event.ilmd is not None and event.ilmd == raw["epcisBody"]["eventList"][0]["ilmd"]
    raw = load(next(p for p in EXAMPLES if p.name == "Example_9.6.3-AggregationEvent.jsonld"))
    aggregation = parse_document(raw).events[0]
    assert isinstance(aggregation, AggregationEvent)
    assert aggregation.parent_id == raw["epcisBody"]["eventList"][0]["parentID"]


def test_query_document() -> None:
    raw = load(next(p for p in EXAMPLES if p.name == "EPCISQueryDocument.jsonld"))
    document = parse_document(raw)
    assert isinstance(document, EPCISQueryDocument)
    results = document.epcis_body.query_results
    assert results.query_name == raw["epcisBody"]["queryResults"]["queryName"]
    assert list(iter_events(document)) == list(results.results_body.event_list)


def test_all_sensor_fields_read_typed() -> None:
    raw = load(next(p for p in EXAMPLES if p.name == "object_event_all_possible_fields.jsonld"))
    event = parse_document(raw).events[0]
    assert isinstance(event, ObjectEvent) and event.sensor_element_list is not None
    element = event.sensor_element_list[0]
    report = element.sensor_report[0]
    source = raw["epcisBody"]["eventList"][0]["sensorElementList"][0]
    assert element.sensor_metadata is not None
    assert element.sensor_metadata.start_time == source["sensorMetadata"]["startTime"]
    assert report.s_dev == source["sensorReport"][0]["sDev"]
    assert report.perc_rank == source["sensorReport"][0]["percRank"]
    assert report.hex_binary_value == source["sensorReport"][0]["hexBinaryValue"]
    assert event.persistent_disposition is not None
    assert event.error_declaration is not None
    assert event.certification_info == source.get("certificationInfo", event.certification_info)


def test_building_a_document_in_python_writes_its_type() -> None:
    event = ObjectEvent(
        eventTime="2026-04-17T09:26:42-04:00",
        eventTimeZoneOffset="-04:00",
        action="OBSERVE",
        epcList=("urn:epc:id:sgtin:0614141.107346.2017",),
    )
    document = EPCISDocument.model_validate(
        {
            "@context": ["https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"],
            "schemaVersion": "2.0",
            "creationDate": "2026-04-17T09:30:00Z",
            "epcisBody": {"eventList": [event]},
        }
    )
    out = document.to_json_dict()
    assert out["type"] == "EPCISDocument"
    assert out["epcisBody"]["eventList"][0] == {
        "type": "ObjectEvent",
        "eventTime": "2026-04-17T09:26:42-04:00",
        "eventTimeZoneOffset": "-04:00",
        "action": "OBSERVE",
        "epcList": ["urn:epc:id:sgtin:0614141.107346.2017"],
    }


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"{not json", "not JSON"),
        (b"[1, 2]", "must be a JSON object, got list"),
        ('{"type": "ObjectEvent"}', "not an EPCIS document: type is 'ObjectEvent'"),
        ({"no": "type"}, "type is None"),
    ],
)
def test_not_a_document(data: Any, expected: str) -> None:
    with pytest.raises(EPCISParseError, match=expected):
        parse_document(data)


def test_shape_error_names_the_pointer() -> None:
    raw = load(next(p for p in EXAMPLES if p.name == "Example_9.6.1-ObjectEvent.jsonld"))
    broken = copy.deepcopy(raw)
    broken["epcisBody"]["eventList"][1]["action"] = "CREATE"
    del broken["epcisBody"]["eventList"][0]["eventTime"]
    with pytest.raises(EPCISParseError) as caught:
        parse_document(broken)
    message = str(caught.value)
    assert "/epcisBody/eventList/0/eventTime: Field required" in message
    assert "/epcisBody/eventList/1/action" in message


def test_raw_event_list() -> None:
    capture = load(next(p for p in EXAMPLES if p.name == "Example_9.6.1-ObjectEvent.jsonld"))
    query = load(next(p for p in EXAMPLES if p.name == "EPCISQueryDocument.jsonld"))
    assert raw_event_list(capture) == ("/epcisBody/eventList", events_of(capture))
    assert raw_event_list(query) == (
        "/epcisBody/queryResults/resultsBody/eventList",
        events_of(query),
    )
    assert raw_event_list({"type": "EPCISDocument", "epcisBody": {"eventList": {}}}) is None
    assert raw_event_list({"type": "EPCISDocument"}) is None
