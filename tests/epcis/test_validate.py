"""validate_document / validate_event: verdicts, event indexes, pointers, rules after the schema."""

from __future__ import annotations

import copy
from pathlib import Path
from types import MappingProxyType
from typing import Any

import pytest

from foodtrace.epcis.validate import (
    check_document,
    check_event,
    schema_problems,
    validate_document,
    validate_event,
)
from foodtrace.exceptions import EPCISValidationError, ValidationProblem
from tests.epcis.epcis_data import ALL_FIELDS, EXAMPLES, FSMA204, INVALID, events_of, load

BASE = load(next(p for p in EXAMPLES if p.name == "Example_9.6.1-ObjectEvent.jsonld"))
QUERY = load(next(p for p in EXAMPLES if p.name == "EPCISQueryDocument.jsonld"))


def _where(problems: list[ValidationProblem]) -> list[tuple[int | None, str, str]]:
    return [(p.event_index, p.pointer, p.rule) for p in problems]


@pytest.mark.parametrize(
    "path", [p for p in EXAMPLES if p not in ALL_FIELDS] + FSMA204, ids=lambda p: p.name
)
def test_valid_documents(path: Path) -> None:
    doc = load(path)
    assert validate_document(doc) == []
    for index, event in enumerate(events_of(doc)):
        assert validate_event(event, index, doc["@context"]) == []


# What the five field-coverage fixtures break, beside their valid schema (see epcis_data.py).
COVERAGE_RULES = {
    "epcis:sensor-min-max",  # meanValue 13.2 with minValue 26
    "epcis:sensor-substance",  # both chemicalSubstance and microorganism
    "epcis:sensor-field-twice",  # time, deviceID, ... in sensorMetadata and sensorReport
}
SENSOR_TIME_RULES = {
    "epcis:sensor-time-after-event",
    "epcis:sensor-start-time",
    "epcis:sensor-end-time",
}


@pytest.mark.parametrize("path", ALL_FIELDS, ids=lambda p: p.name)
def test_field_coverage_fixtures_are_valid_with_warnings(path: Path) -> None:
    doc = load(path)
    assert schema_problems(doc) == []
    assert validate_document(doc) == []  # GS1's own examples must be accepted
    problems = validate_document(doc, warnings=True)
    assert all(p.severity == "warning" for p in problems)
    rules = {p.rule for p in problems}
    # sensor readings dated 2019 in events of 2005-2013; the association event is dated 2019-11
    expected = COVERAGE_RULES | (
        set() if path.name.startswith("association") else SENSOR_TIME_RULES
    )
    assert rules == expected
    assert {p.event_index for p in problems} == {0}


INVALID_WHERE = {
    "Combination_of_events_with_missing_mandatory_fields.json": [
        (0, "/epcisBody/eventList/0"),
        (1, "/epcisBody/eventList/1"),
        (1, "/epcisBody/eventList/1"),
    ],
    "Combination_of_multiple_invalid_fields.json": [
        (0, "/epcisBody/eventList/0/bizStep"),
        (1, "/epcisBody/eventList/1/disposition"),
        (2, "/epcisBody/eventList/2/sourceList/0/type"),
        (3, "/epcisBody/eventList/3/ilmd/materialType"),
        (4, "/epcisBody/eventList/4/eventTime"),
        (4, "/epcisBody/eventList/4/action"),
    ],
    "Combination_of_non_standard_bizStep_and_disposition.json": [
        (0, "/epcisBody/eventList/0/bizStep"),
        (1, "/epcisBody/eventList/1/disposition"),
    ],
    "EPCISDocument_without_context.json": [(None, "")],
    "ObjectEvent_with_ilmd_field_without_namespace.json": [
        (0, "/epcisBody/eventList/0/ilmd/materialType")
    ],
    "ObjectEvent_with_invalid_action.json": [(0, "/epcisBody/eventList/0/action")],
    "ObjectEvent_with_invalid_certificationInfo.json": [
        (0, "/epcisBody/eventList/0/certificationInfo")
    ],
    "ObjectEvent_with_invalid_eventTime_format.json": [(0, "/epcisBody/eventList/0/eventTime")],
    "ObjectEvent_with_non_standard_bizStep.json": [(0, "/epcisBody/eventList/0/bizStep")],
    "ObjectEvent_with_non_standard_bizStep_in_second_event.json": [
        (1, "/epcisBody/eventList/1/bizStep")
    ],
    "ObjectEvent_with_non_standard_disposition.json": [(0, "/epcisBody/eventList/0/disposition")],
    "ObjectEvent_with_quantity_as_text.json": [
        (0, "/epcisBody/eventList/0/quantityList/0/quantity")
    ],
    "ObjectEvent_with_unknown_field_in_quantityList.json": [
        (0, "/epcisBody/eventList/0/quantityList/0/weight")
    ],
    "ObjectEvent_without_action_and_eventTime.json": [(0, "/epcisBody/eventList/0")] * 3,
    "ObjectEvent_without_identifier_list.json": [(0, "/epcisBody/eventList/0")],
}


@pytest.mark.parametrize("path", INVALID, ids=lambda p: p.name)
def test_invalid_documents(path: Path) -> None:
    problems = validate_document(load(path))
    assert [(p.event_index, p.pointer) for p in problems] == INVALID_WHERE[path.name]
    assert all(p.rule == "schema" for p in problems)


def test_query_document_events_are_indexed_in_results_body() -> None:
    doc = copy.deepcopy(QUERY)
    doc["epcisBody"]["queryResults"]["resultsBody"]["eventList"][1]["bizStep"] = "nope"
    assert _where(validate_document(doc)) == [
        (1, "/epcisBody/queryResults/resultsBody/eventList/1/bizStep", "schema")
    ]


def test_rules_run_on_events_without_schema_problems_only() -> None:
    doc = copy.deepcopy(BASE)
    events = doc["epcisBody"]["eventList"]
    events[0]["bizStep"] = "nope"
    events[0]["quantityList"] = [{"epcClass": "urn:x:y", "uom": "KGM"}]  # a rule violation too
    events[1]["quantityList"] = [{"epcClass": "urn:x:y", "uom": "KGM"}]
    assert _where(validate_document(doc)) == [
        (0, "/epcisBody/eventList/0/bizStep", "schema"),
        (1, "/epcisBody/eventList/1/quantityList/0", "epcis:uom-without-quantity"),
    ]


def test_problems_come_in_event_order() -> None:
    doc = copy.deepcopy(BASE)
    doc["epcisBody"]["eventList"][1]["bizStep"] = "nope"
    doc["epcisBody"]["eventList"][0]["disposition"] = "nope"
    doc["note"] = 1
    assert [p.event_index for p in validate_document(doc)] == [None, 0, 1]


def test_duplicate_event_ids_in_a_document() -> None:
    doc = copy.deepcopy(BASE)
    events = doc["epcisBody"]["eventList"]
    events[1]["eventID"] = events[0]["eventID"]
    assert _where(validate_document(doc)) == [
        (1, "/epcisBody/eventList/1/eventID", "epcis:eventID-unique")
    ]


def test_a_standalone_event_document_needs_context() -> None:
    event = copy.deepcopy(events_of(BASE)[0])
    assert _where(validate_document(event)) == [(0, "", "schema")]
    event["@context"] = BASE["@context"]
    assert validate_document(event) == []
    event["quantityList"] = [{"epcClass": "urn:x:y", "uom": "KGM"}]
    assert _where(validate_document(event)) == [
        (0, "/quantityList/0", "epcis:uom-without-quantity")
    ]


@pytest.mark.parametrize(
    ("doc", "pointer", "message"),
    [
        ({"schemaVersion": "2.0"}, "", "missing required field 'type'"),
        ({"type": "Foo"}, "/type", "type 'Foo' is not EPCISDocument"),
        ({"type": ["EPCISDocument"]}, "/type", 'type ["EPCISDocument"] is not EPCISDocument'),
        ("text", "", "an EPCIS document must be a JSON object, got string"),
    ],
)
def test_not_an_epcis_document(doc: Any, pointer: str, message: str) -> None:
    problems = validate_document(doc)
    assert len(problems) == 1
    assert problems[0].pointer == pointer and problems[0].message.startswith(message)


@pytest.mark.parametrize(
    ("change", "pointer", "message"),
    [
        (lambda d: d.update(note="\ud800"), "/note", "lone surrogate"),
        (
            lambda d: d["epcisBody"]["eventList"][0].update(readPoint=MappingProxyType({})),
            "/epcisBody/eventList/0/readPoint",
            "a mappingproxy is not JSON data",
        ),
        (
            lambda d: d["epcisBody"]["eventList"][0].update({3: 1}),
            "/epcisBody/eventList/0",
            "object key 3 is not a string",
        ),
    ],
)
def test_input_that_is_not_json_data(change: Any, pointer: str, message: str) -> None:
    doc = copy.deepcopy(BASE)
    change(doc)
    problems = validate_document(doc)
    assert [(p.pointer, p.rule) for p in problems] == [(pointer, "json")]
    assert message in problems[0].message


def test_nan_is_not_a_number() -> None:
    doc = copy.deepcopy(BASE)
    doc["epcisBody"]["eventList"][0]["quantityList"] = [
        {"epcClass": "urn:x:y", "quantity": float("nan")}
    ]
    problems = validate_document(doc)
    assert [(p.pointer, p.message) for p in problems] == [
        ("/epcisBody/eventList/0/quantityList/0/quantity", "quantity nan is not a JSON number")
    ]


def test_validate_event_pointers_are_relative_to_the_event() -> None:
    event = copy.deepcopy(events_of(BASE)[1])
    event["bizStep"] = "nope"
    assert _where(validate_event(event, 12)) == [(12, "/bizStep", "schema")]
    event["bizStep"] = "receiving"
    assert validate_event(event, 12) == []


def test_validate_event_checks_the_given_context() -> None:
    event = events_of(BASE)[0]
    assert validate_event(event, 0, BASE["@context"]) == []
    assert _where(validate_event(event, 0, [5])) == [(0, "/@context", "schema")]


def test_validate_event_with_its_own_context() -> None:
    event = {**events_of(BASE)[0], "@context": BASE["@context"]}
    assert validate_event(event) == []
    assert _where(validate_event({**event, "@context": 5})) == [(0, "/@context", "schema")]


def test_check_functions_raise_with_all_problems() -> None:
    doc = copy.deepcopy(BASE)
    doc["epcisBody"]["eventList"][0]["bizStep"] = "nope"
    doc["epcisBody"]["eventList"][1]["bizStep"] = "nope"
    with pytest.raises(EPCISValidationError) as caught:
        check_document(doc)
    assert len(caught.value.problems) == 2
    assert "event 0 at /epcisBody/eventList/0/bizStep" in str(caught.value)
    assert "(+1 more)" in str(caught.value)
    check_document(BASE)
    with pytest.raises(EPCISValidationError):
        check_event(doc["epcisBody"]["eventList"][0])
    check_event(events_of(BASE)[0])
