"""The EPCIS/CBV rules beyond the schema: each one fires on its violation, and only then."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from foodtrace.epcis.rules import RULES, WARNING_RULES, document_problems, event_problems
from foodtrace.epcis.validate import validate_event
from tests.epcis.epcis_data import ALL_FIELDS, EXAMPLES, FSMA204, events_of, load

OBJECT: dict[str, Any] = {
    "type": "ObjectEvent",
    "eventTime": "2026-04-17T15:00:00.000+01:00",
    "eventTimeZoneOffset": "+01:00",
    "action": "OBSERVE",
    "epcList": ["urn:epc:id:sgtin:0614141.107346.2017"],
    "readPoint": {"id": "urn:epc:id:sgln:0614141.07346.1234"},
    "sensorElementList": [
        {
            "sensorMetadata": {
                "time": "2026-04-17T14:00:00.000+01:00",
                "startTime": "2026-04-17T13:00:00.000+01:00",
                "endTime": "2026-04-17T14:30:00.000+01:00",
                "deviceID": "urn:epc:id:giai:4000001.111",
            },
            "sensorReport": [
                {
                    "type": "Temperature",
                    "minValue": 2.5,
                    "meanValue": 4.0,
                    "maxValue": 7.5,
                    "uom": "CEL",
                },
                {"type": "Temperature", "value": 4.5, "uom": "CEL", "component": "x"},
                {
                    "type": "MassConcentration",
                    "chemicalSubstance": "https://identifiers.org/inchikey:X",
                },
                {
                    "type": "Temperature",
                    "meanValue": 4.0,
                    "sDev": 0.5,
                    "percRank": 50,
                    "percValue": 4.1,
                    "uom": "CEL",
                },
            ],
        }
    ],
    "quantityList": [
        {"epcClass": "urn:epc:class:lgtin:4012345.012345.998877", "quantity": 2, "uom": "KGM"}
    ],
}

AGGREGATION: dict[str, Any] = {
    "type": "AggregationEvent",
    "eventTime": "2026-04-17T15:00:00Z",
    "eventTimeZoneOffset": "+00:00",
    "action": "ADD",
    "parentID": "urn:epc:id:sscc:0614141.1234567890",
    "childEPCs": ["urn:epc:id:sgtin:0614141.107346.2017"],
}

REPORT = "/sensorElementList/0/sensorReport"
METADATA = "/sensorElementList/0/sensorMetadata"


def _set(path: str, value: Any) -> Callable[[dict[str, Any]], None]:
    def change(event: dict[str, Any]) -> None:
        *parents, last = path.strip("/").split("/")
        node: Any = event
        for part in parents:
            node = node[int(part)] if isinstance(node, list) else node[part]
        if isinstance(node, list):
            node[int(last)] = value
        elif value is _DROP:
            del node[last]
        else:
            node[last] = value

    return change


_DROP = object()


def _both(*changes: Callable[[dict[str, Any]], None]) -> Callable[[dict[str, Any]], None]:
    def change(event: dict[str, Any]) -> None:
        for one in changes:
            one(event)

    return change


CASES: list[tuple[str, dict[str, Any], Callable[[dict[str, Any]], None], str]] = [
    ("epcis:parentID-required", AGGREGATION, _set("/parentID", _DROP), ""),
    ("epcis:parentID-required", {**AGGREGATION, "action": "DELETE"}, _set("/parentID", _DROP), ""),
    (
        "epcis:parentID-pure-identity",
        AGGREGATION,
        _set("/parentID", "urn:epc:tag:sscc-96:0.0614141.1234567890"),
        "/parentID",
    ),
    (
        "epcis:uom-without-quantity",
        OBJECT,
        _set("/quantityList/0/quantity", _DROP),
        "/quantityList/0",
    ),
    (
        "epcis:sensor-time-after-event",
        OBJECT,
        _set(f"{METADATA}/time", "2026-04-17T14:00:00.001Z"),
        f"{METADATA}/time",
    ),
    (
        "epcis:sensor-time-after-event",
        OBJECT,
        _both(
            _set(f"{METADATA}/time", _DROP), _set(f"{REPORT}/1/time", "2026-04-18T00:00:00+01:00")
        ),
        f"{REPORT}/1/time",
    ),
    (
        "epcis:sensor-start-time",
        OBJECT,
        _set(f"{METADATA}/startTime", "2026-04-17T14:30:00.000+01:00"),
        f"{METADATA}/startTime",
    ),
    (
        "epcis:sensor-end-time",
        OBJECT,
        _set(f"{METADATA}/endTime", "2026-04-17T15:00:00.5+01:00"),
        f"{METADATA}/endTime",
    ),
    ("epcis:sensor-min-max", OBJECT, _set(f"{REPORT}/0/minValue", 4.5), f"{REPORT}/0"),
    ("epcis:sensor-min-max", OBJECT, _set(f"{REPORT}/0/maxValue", 3), f"{REPORT}/0"),
    ("epcis:sensor-sdev-without-mean", OBJECT, _set(f"{REPORT}/3/meanValue", _DROP), f"{REPORT}/3"),
    ("epcis:sensor-percentile-pair", OBJECT, _set(f"{REPORT}/3/percValue", _DROP), f"{REPORT}/3"),
    ("epcis:sensor-percentile-pair", OBJECT, _set(f"{REPORT}/3/percRank", _DROP), f"{REPORT}/3"),
    ("epcis:sensor-uom-without-value", OBJECT, _set(f"{REPORT}/2/uom", "KGM"), f"{REPORT}/2"),
    ("epcis:sensor-uom-code", OBJECT, _set(f"{REPORT}/1/uom", "degC"), f"{REPORT}/1/uom"),
    ("epcis:sensor-component", OBJECT, _set(f"{REPORT}/1/uom", _DROP), f"{REPORT}/1"),
    (
        "epcis:sensor-substance",
        OBJECT,
        _set(f"{REPORT}/2/microorganism", "https://www.ncbi.nlm.nih.gov/taxonomy/1496"),
        f"{REPORT}/2",
    ),
    (
        "epcis:sensor-field-twice",
        OBJECT,
        _set(f"{REPORT}/0/deviceID", "urn:epc:id:giai:4000001.111"),
        f"{REPORT}/0",
    ),
    (
        "cbv:did-not-occur-with-corrective-events",
        OBJECT,
        _set(
            "/errorDeclaration",
            {
                "declarationTime": "2026-04-18T00:00:00Z",
                "reason": "did_not_occur",
                "correctiveEventIDs": ["urn:uuid:404d95fc-9457-4a51-bd6a-0bba133845a8"],
            },
        ),
        "/errorDeclaration",
    ),
]


def test_the_base_events_break_no_rule() -> None:
    assert validate_event(OBJECT) == []
    assert validate_event(AGGREGATION) == []


@pytest.mark.parametrize(("rule", "base", "change", "where"), CASES, ids=[c[0] for c in CASES])
def test_rule_fires(
    rule: str, base: dict[str, Any], change: Callable[[dict[str, Any]], None], where: str
) -> None:
    event = copy.deepcopy(base)
    change(event)
    problems = validate_event(event, index=4, warnings=True)
    assert [(p.rule, p.pointer, p.event_index) for p in problems] == [(rule, where, 4)]
    assert problems[0].message
    expected = "warning" if rule in WARNING_RULES else "error"
    assert problems[0].severity == expected
    # Warnings never refuse an event; errors always do.
    assert validate_event(event, index=4) == ([] if rule in WARNING_RULES else problems)


def test_every_event_rule_has_a_case() -> None:
    assert {case[0] for case in CASES} == set(RULES) - {"epcis:eventID-unique"}


@pytest.mark.parametrize(
    "change",
    [
        _set("/action", "OBSERVE"),  # OBSERVE: parentID optional
        _set("/parentID", "https://id.gs1.org/00/106141412345678908"),  # Digital Link
    ],
)
def test_parent_rules_allow(change: Callable[[dict[str, Any]], None]) -> None:
    event = copy.deepcopy(AGGREGATION)
    change(event)
    if event["action"] == "OBSERVE":
        del event["parentID"]
    assert event_problems(event) == []


def test_did_not_occur_without_corrective_events_is_fine() -> None:
    event = copy.deepcopy(OBJECT)
    event["errorDeclaration"] = {
        "declarationTime": "2026-04-18T00:00:00Z",
        "reason": "did_not_occur",
    }
    assert event_problems(event) == []


def test_event_ids_unique_but_for_error_declarations() -> None:
    first = {**OBJECT, "eventID": "urn:uuid:1"}
    declaration = {**first, "errorDeclaration": {"declarationTime": "2026-04-18T00:00:00Z"}}
    assert document_problems([(0, first), (1, declaration)], "/epcisBody/eventList") == []
    problems = document_problems([(0, first), (1, declaration), (2, first)], "/epcisBody/eventList")
    assert [(p.rule, p.pointer, p.event_index) for p in problems] == [
        ("epcis:eventID-unique", "/epcisBody/eventList/2/eventID", 2)
    ]
    assert "event 0" in problems[0].message


def test_examples_keep_the_rules_except_the_field_coverage_fixtures() -> None:
    for path in EXAMPLES + FSMA204:
        problems = [p for e in events_of(load(path)) for p in event_problems(e)]
        assert (problems != []) == (path in ALL_FIELDS), (path.name, problems)


def test_rules_are_defensive_about_types() -> None:
    # Called without the schema first, rules skip values of unexpected types.
    event: dict[str, Any] = {
        "type": "ObjectEvent",
        "eventTime": 5,
        "sensorElementList": [None, {"sensorMetadata": [], "sensorReport": {"x": 1}}],
        "quantityList": "nope",
        "errorDeclaration": [],
        "parentID": 7,
    }
    assert event_problems(event) == []


@settings(max_examples=200, deadline=None)
@given(
    low=st.floats(-50, 50, allow_nan=False),
    high=st.floats(-50, 50, allow_nan=False),
    mean=st.floats(-50, 50, allow_nan=False),
)
def test_min_mean_max(low: float, high: float, mean: float) -> None:
    event = copy.deepcopy(OBJECT)
    event["sensorElementList"][0]["sensorReport"][0].update(
        {"minValue": low, "maxValue": high, "meanValue": mean}
    )
    fired = any(p.rule == "epcis:sensor-min-max" for p in event_problems(event))
    assert fired == (not low <= mean <= high)
