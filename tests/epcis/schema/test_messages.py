"""Schema problems read as sentences naming the field, the value and what was expected."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import pytest

from foodtrace.epcis.validate import schema_problems
from tests.epcis.epcis_data import EXAMPLES, load

BASE = load(next(p for p in EXAMPLES if p.name == "Example_9.6.1-ObjectEvent.jsonld"))
TRANSFORMATION = load(
    next(p for p in EXAMPLES if p.name == "Example_9.6.4-TransformationEvent.jsonld")
)
AGGREGATION = load(next(p for p in EXAMPLES if p.name == "Example_9.6.3-AggregationEvent.jsonld"))
SENSOR = load(next(p for p in EXAMPLES if p.name == "SensorDataExample2.jsonld"))
Change = Callable[[dict[str, Any]], None]


def second(change: Callable[[dict[str, Any]], None]) -> Change:
    """Apply ``change`` to event 1 of the document."""
    return lambda doc: change(doc["epcisBody"]["eventList"][1])


def first(change: Callable[[dict[str, Any]], None]) -> Change:
    return lambda doc: change(doc["epcisBody"]["eventList"][0])


CASES: list[tuple[dict[str, Any], Change, str, str]] = [
    (
        BASE,
        second(lambda e: e.update(bizStep="receiving_test")),
        "/epcisBody/eventList/1/bizStep",
        "bizStep 'receiving_test' is neither a CBV 2.0 business step nor a URI",
    ),
    (
        BASE,
        second(lambda e: e.update(disposition="urn:epcglobal:cbv:disp:in_transit")),
        "/epcisBody/eventList/1/disposition",
        "disposition 'urn:epcglobal:cbv:disp:in_transit' is a standard vocabulary URI, which "
        "EPCIS 2.0 "
        "JSON does not accept: write the bare name (for example 'in_transit')",
    ),
    (
        BASE,
        second(lambda e: e.update(bizStep=3)),
        "/epcisBody/eventList/1/bizStep",
        "bizStep must be a string (a CBV 2.0 business step or a URI), got number 3",
    ),
    (
        BASE,
        second(lambda e: e["bizTransactionList"][1].update(type="invoice")),
        "/epcisBody/eventList/1/bizTransactionList/1/type",
        "bizTransactionList type 'invoice' is neither a CBV 2.0 business transaction type "
        "nor a URI",
    ),
    (
        BASE,
        second(lambda e: e.update(ilmd={"example:lot": "L1"})),
        "/epcisBody/eventList/1/ilmd",
        "ilmd is only allowed when action is ADD (action is 'OBSERVE')",
    ),
    (
        BASE,
        second(lambda e: e.update(action="ADD", ilmd={"lot": "L1"})),
        "/epcisBody/eventList/1/ilmd/lot",
        "ILMD field 'lot' has no namespace: ILMD fields are extensions, written prefix:name "
        "with the "
        "prefix declared in @context",
    ),
    (
        BASE,
        second(lambda e: e.update(myField=1)),
        "/epcisBody/eventList/1/myField",
        "ObjectEvent has unknown field 'myField': not an EPCIS field and not a namespaced "
        "extension "
        "(prefix:name)",
    ),
    (
        BASE,
        second(lambda e: e.update(childEPCs=["urn:x:y"])),
        "/epcisBody/eventList/1/childEPCs",
        "field 'childEPCs' is not allowed in an ObjectEvent",
    ),
    (
        BASE,
        second(lambda e: e.update(eventTimeZoneOffset="+14:30")),
        "/epcisBody/eventList/1/eventTimeZoneOffset",
        "eventTimeZoneOffset '+14:30' is not a time-zone offset ±hh:mm between -14:00 and +14:00",
    ),
    (
        BASE,
        second(lambda e: e.update(eventTime="2005-04-04T20:33:31")),
        "/epcisBody/eventList/1/eventTime",
        "eventTime '2005-04-04T20:33:31' is not an RFC 3339 date-time with a time-zone offset "
        "(for example 2026-07-22T06:45:00.000+02:00)",
    ),
    (
        BASE,
        second(lambda e: e.update(epcList=["urn:x:y", "urn:x:y"])),
        "/epcisBody/eventList/1/epcList",
        "epcList must not repeat an item ('urn:x:y' appears more than once)",
    ),
    (
        BASE,
        second(lambda e: e.update(epcList=["urn:x:y", "no uri"])),
        "/epcisBody/eventList/1/epcList/1",
        "epcList[1] 'no uri' is not a URI",
    ),
    (
        BASE,
        second(lambda e: e.pop("action")),
        "/epcisBody/eventList/1",
        "ObjectEvent is missing required field 'action'",
    ),
    (
        BASE,
        second(lambda e: e.pop("epcList")),
        "/epcisBody/eventList/1",
        "ObjectEvent needs an epcList, a non-empty quantityList, or a non-empty sensorElementList "
        "together with a readPoint",
    ),
    (
        BASE,
        second(lambda e: e.update(type="MyEvent")),
        "/epcisBody/eventList/1/type",
        "event type 'MyEvent' is not one of ObjectEvent, AggregationEvent, TransactionEvent, "
        "TransformationEvent, AssociationEvent and not a URI naming an extension event type",
    ),
    (
        BASE,
        second(lambda e: e.update(readPoint={})),
        "/epcisBody/eventList/1/readPoint",
        "readPoint is missing required field 'id'",
    ),
    (
        BASE,
        second(lambda e: e.update(certificationInfo=["https://cert.example/1", "ABC 1"])),
        "/epcisBody/eventList/1/certificationInfo",
        "certificationInfo must be a URI or a list of URIs; 'ABC 1' is not a URI",
    ),
    (
        BASE,
        second(lambda e: e.update(persistentDisposition={})),
        "/epcisBody/eventList/1/persistentDisposition",
        "persistentDisposition needs 'set' or 'unset'",
    ),
    (
        BASE,
        second(
            lambda e: e.update(quantityList=[{"epcClass": "urn:x:y", "quantity": 1, "uom": "kg"}])
        ),
        "/epcisBody/eventList/1/quantityList/0/uom",
        "uom 'kg' is not a UN/CEFACT Rec 20 unit code (2 or 3 upper-case letters or digits)",
    ),
    (
        BASE,
        second(lambda e: e.update(quantityList=[{"epcClass": "urn:x:y", "quantity": "2"}])),
        "/epcisBody/eventList/1/quantityList/0/quantity",
        "quantity must be a number, got string '2'",
    ),
    (
        BASE,
        lambda d: d.update(schemaVersion="two"),
        "/schemaVersion",
        "schemaVersion 'two' is not a version number such as '2.0'",
    ),
    (BASE, lambda d: d.update(sender=5), "/sender", "sender must be a string, got number 5"),
    (
        BASE,
        lambda d: d.update(note="x"),
        "/note",
        "EPCISDocument has unknown field 'note': not a standard field and not a namespaced "
        "extension "
        "(prefix:name)",
    ),
    (
        BASE,
        lambda d: d.update({"@context": 5}),
        "/@context",
        "@context must be a URI, a context object, or a list of distinct URIs and context objects",
    ),
    (
        BASE,
        lambda d: d["epcisBody"].update(eventList={}),
        "/epcisBody/eventList",
        "eventList must be an array, got object {}",
    ),
    (
        TRANSFORMATION,
        first(lambda e: e.pop("outputEPCList")),
        "/epcisBody/eventList/0",
        "TransformationEvent needs at least one input (inputEPCList or inputQuantityList) and one "
        "output (outputEPCList or outputQuantityList), or a transformationID with at least "
        "one input "
        "or output",
    ),
    (
        AGGREGATION,
        first(lambda e: e.update(childEPCs=[], childQuantityList=[])),
        "/epcisBody/eventList/0",
        "AggregationEvent needs a non-empty childEPCs or childQuantityList (both may be left "
        "out only "
        "when action is DELETE)",
    ),
    (
        SENSOR,
        first(lambda e: e["sensorElementList"][0].update(sensorReport=[])),
        "/epcisBody/eventList/0/sensorElementList/0/sensorReport",
        "sensorReport must not be empty",
    ),
    (
        SENSOR,
        first(lambda e: e["sensorElementList"][0]["sensorReport"][0].update(type="Temp")),
        "/epcisBody/eventList/0/sensorElementList/0/sensorReport/0/type",
        "sensorReport type 'Temp' is neither a GS1 measurement type nor a URI",
    ),
    (
        SENSOR,
        first(lambda e: e["sensorElementList"][0]["sensorReport"][0].update(hexBinaryValue="0x1F")),
        "/epcisBody/eventList/0/sensorElementList/0/sensorReport/0/hexBinaryValue",
        "hexBinaryValue '0x1F' is not hexadecimal (digits 0-9, letters A-F)",
    ),
    (
        BASE,
        second(lambda e: e["bizTransactionList"][0].update(id="x")),
        "/epcisBody/eventList/1/bizTransactionList/0/id",
        "bizTransactionList[0] has unexpected field 'id' (allowed: type, bizTransaction)",
    ),
]


@pytest.mark.parametrize(("base", "change", "pointer", "message"), CASES)
def test_message(base: dict[str, Any], change: Change, pointer: str, message: str) -> None:
    doc = copy.deepcopy(base)
    change(doc)
    problems = schema_problems(doc)
    assert (pointer, message) in [(p.pointer, p.message) for p in problems], problems
    assert all(p.rule == "schema" for p in problems)


def test_a_bad_action_is_reported_once() -> None:
    doc = copy.deepcopy(BASE)
    doc["epcisBody"]["eventList"][0]["action"] = "CREATE"
    assert [(p.pointer, p.message) for p in schema_problems(doc)] == [
        ("/epcisBody/eventList/0/action", "action 'CREATE' is not one of OBSERVE, ADD, DELETE")
    ]


def test_the_same_problem_is_not_repeated() -> None:
    problems = schema_problems([1, 2])
    assert [(p.pointer, p.message) for p in problems] == [
        ("", "an EPCIS document must be a JSON object, got array")
    ]
