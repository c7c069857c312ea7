"""EPCIS 2.0 and CBV 2.0 rules that the JSON Schema cannot express.

Each rule reports :class:`~foodtrace.exceptions.ValidationProblem` objects whose ``rule`` names it.
The rules run on events that passed the schema (the caller makes sure of that), so they can rely
on its types; they stay defensive and skip a value of an unexpected type. Sources are GS1
artefacts in gs1/EPCIS at commit 2b888befbc071e1c2d388e027b30149b3f51dcef: the ontology
``Ontology/EPCIS.ttl`` and ``Ontology/CBV.ttl``, whose ``rdfs:comment`` texts carry the field
definitions of the EPCIS 2.0 and CBV 2.0 standards, the XML schema ``XSD/EPCglobal-epcis-2_0.xsd``,
and the conformance test requirement
``Conformance Requirements/2 Test Case Requirements/TCR53_SensorElement.md``.

Rules implemented
=================

``epcis:parentID-required``
    An AggregationEvent with action ADD or DELETE needs ``parentID``: "(Optional when action is
    OBSERVE, required otherwise)" (EPCIS.ttl, ``epcis:parentID``, the AggregationEvent field table
    of the standard). The schema requires it of every AssociationEvent already.
``epcis:parentID-pure-identity``
    "When the parent identifier is an EPC, this field SHALL contain the 'pure identity' URI for
    the EPC" (EPCIS.ttl, ``epcis:parentID``): an ``urn:epc:`` parentID must be ``urn:epc:id:…``.
``epcis:uom-without-quantity``
    A quantityElement with ``uom`` must have ``quantity``: in the XML binding ``uom`` may only
    follow ``quantity`` (``QuantityElementType``: ``<sequence minOccurs="0"> quantity, uom?``).
``epcis:sensor-time-after-event``
    sensorMetadata / sensorReport ``time`` "SHALL be less (earlier) than or equal to the
    eventTime value" (EPCIS.ttl ``epcis:time``; conformance requirement M122).
``epcis:sensor-start-time``
    ``startTime`` "SHALL be less (earlier) than the eventTime value and the endTime value"
    (EPCIS.ttl ``epcis:startTime``).
``epcis:sensor-end-time``
    ``endTime`` "SHALL be less (earlier) than or equal to the eventTime value" (``epcis:endTime``).
``epcis:sensor-min-max``
    ``minValue`` ≤ ``meanValue`` ≤ ``maxValue`` for those present: they are the minimum, the
    arithmetic mean and the maximum of the same observations (``epcis:minValue``,
    ``epcis:meanValue``, ``epcis:maxValue``).
``epcis:sensor-sdev-without-mean``
    "sDev SHALL only be used in conjunction with the field meanValue" (``epcis:sDev``).
``epcis:sensor-percentile-pair``
    "percRank SHALL only be used in conjunction with the field percValue", and the converse
    (``epcis:percRank``, ``epcis:percValue``).
``epcis:sensor-uom-without-value``
    "If there is no value, minValue, maxValue, averageValue [meanValue] or percValue field
    present, uom SHALL be omitted" (``epcis:uom``).
``epcis:sensor-uom-code``
    "When a uom field is present, its value SHALL be the 2- or 3-character code for a physical
    unit specified in the 'Common Code' column of UN/CEFACT Recommendation 20" (``epcis:uom``).
    The schema checks this for quantityElement only; here it is the same form (``[A-Z0-9]{2,3}``)
    for sensorReport.
``epcis:sensor-component``
    A sensorReport with ``component`` "MUST also include the value and uom fields"
    (``epcis:component``).
``epcis:sensor-substance``
    "If chemicalSubstance is present, a sensorReport element SHALL NOT include microorganism"
    (``epcis:chemicalSubstance``, ``epcis:microorganism``).
``epcis:sensor-field-twice``
    ``time``, ``deviceID``, ``deviceMetadata``, ``rawData`` and ``dataProcessingMethod`` appear
    either in a sensorElement's sensorMetadata or in its sensorReports, not in both: "The capture
    interface does not accept the EPCIS document" (TCR-53, step 29, which notes that the schema
    cannot check it).
``epcis:eventID-unique``
    An eventID appears once per document, except that an error declaration repeats the eventID
    of the event it declares erroneous: "This is the sole case where the same non-null eventID
    may appear in two events" (EPCIS.ttl, ``epcis:ErrorDeclaration``).
``cbv:did-not-occur-with-corrective-events``
    The error reason ``did_not_occur`` "SHALL NOT be used in an error declaration that contains
    one or more corrective event IDs" (CBV.ttl, ``cbv:ER-did_not_occur``).

Errors and warnings
===================

The sensor-consistency rules in ``WARNING_RULES`` are reported with ``severity="warning"``: the
five ``*_all_possible_fields`` documents of GS1's own EPCIS 2.0 example set break them (sensor
times after the eventTime, minValue above meanValue, chemicalSubstance with microorganism, fields
repeated in sensorMetadata and sensorReport), so conforming partners send such data and a
repository must accept it. We keep the data and say what is implausible; the cold-chain analytics
treat such reports with care. Every other rule is an error that refuses the event.

Rules the schema already enforces (so not repeated here; their schema messages say it plainly)
================================================================================================

ilmd only in an ObjectEvent with action ADD (a TransformationEvent may always carry it);
eventTimeZoneOffset of the form ±hh:mm within -14:00…+14:00; eventTime, recordTime and every other
timestamp an RFC 3339 date-time with a time-zone offset; a TransformationEvent with at least one
input and one output, or a transformationID with at least one of them; quantity a number and uom
a 2–3 character code in a quantityElement; a non-standard vocabulary value written as a URI.

Considered and left out: checks that are not stated as requirements (an extension prefix
declared in @context is a SHOULD; source/destination identifier kinds are not checked because the
official examples use SGLNs for parties).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any, Final

from foodtrace.epcis.schema.formats import date_time_key
from foodtrace.exceptions import ValidationProblem

__all__ = ["RULES", "WARNING_RULES", "document_problems", "event_problems"]

RULES: Final = (
    "epcis:parentID-required",
    "epcis:parentID-pure-identity",
    "epcis:uom-without-quantity",
    "epcis:sensor-time-after-event",
    "epcis:sensor-start-time",
    "epcis:sensor-end-time",
    "epcis:sensor-min-max",
    "epcis:sensor-sdev-without-mean",
    "epcis:sensor-percentile-pair",
    "epcis:sensor-uom-without-value",
    "epcis:sensor-uom-code",
    "epcis:sensor-component",
    "epcis:sensor-substance",
    "epcis:sensor-field-twice",
    "epcis:eventID-unique",
    "cbv:did-not-occur-with-corrective-events",
)
"""The names of all rules, as they appear in ``ValidationProblem.rule``."""

WARNING_RULES: Final = frozenset(
    {
        "epcis:sensor-time-after-event",
        "epcis:sensor-start-time",
        "epcis:sensor-end-time",
        "epcis:sensor-min-max",
        "epcis:sensor-substance",
        "epcis:sensor-field-twice",
    }
)
"""Rules reported as warnings: GS1's own example documents break them (see the module doc)."""

_QUANTITY_LISTS: Final = (
    "quantityList",
    "childQuantityList",
    "inputQuantityList",
    "outputQuantityList",
)
_UOM_CODE: Final = re.compile(r"[A-Z0-9]{2,3}")
_VALUE_FIELDS: Final = ("value", "minValue", "maxValue", "meanValue", "percValue")
_STATISTICS: Final = ("minValue", "meanValue", "maxValue")
_SHARED_SENSOR_FIELDS: Final = (
    "time",
    "deviceID",
    "deviceMetadata",
    "rawData",
    "dataProcessingMethod",
)

Instant = tuple[int, Decimal]


class _Collector:
    """Problems of one event: ``add`` takes the path below the event and the rule."""

    __slots__ = ("index", "pointer", "problems")

    def __init__(self, pointer: str, index: int | None) -> None:
        self.pointer = pointer
        self.index = index
        self.problems: list[ValidationProblem] = []

    def add(self, path: str, rule: str, message: str) -> None:
        severity = "warning" if rule in WARNING_RULES else "error"
        self.problems.append(
            ValidationProblem(self.pointer + path, message, self.index, rule, severity)
        )


def _number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _instant(value: Any) -> Instant | None:
    return date_time_key(value) if isinstance(value, str) else None


def _check_parent(event: Mapping[str, Any], out: _Collector) -> None:
    action = event.get("action")
    aggregation = event.get("type") == "AggregationEvent"
    if aggregation and action in ("ADD", "DELETE") and "parentID" not in event:
        out.add(
            "",
            "epcis:parentID-required",
            f"AggregationEvent with action {action} needs a parentID "
            "(it may be left out only when action is OBSERVE)",
        )
    parent = event.get("parentID")
    if (
        isinstance(parent, str)
        and parent.startswith("urn:epc:")
        and not parent.startswith("urn:epc:id:")
    ):
        out.add(
            "/parentID",
            "epcis:parentID-pure-identity",
            f"parentID {parent!r} is an EPC URI but not a pure-identity URI (urn:epc:id:…)",
        )


def _check_quantities(event: Mapping[str, Any], out: _Collector) -> None:
    for key in _QUANTITY_LISTS:
        elements = event.get(key)
        if not isinstance(elements, list):
            continue
        for i, element in enumerate(elements):
            if isinstance(element, Mapping) and "uom" in element and "quantity" not in element:
                out.add(
                    f"/{key}/{i}",
                    "epcis:uom-without-quantity",
                    f"{key}[{i}] has uom {element['uom']!r} but no quantity",
                )


def _check_times(
    metadata: Mapping[str, Any],
    reports: Sequence[Any],
    event_time: Instant,
    path: str,
    out: _Collector,
) -> None:
    times = [("sensorMetadata/time", metadata.get("time"))]
    times += [
        (f"sensorReport/{i}/time", report.get("time"))
        for i, report in enumerate(reports)
        if isinstance(report, Mapping)
    ]
    for where, value in times:
        instant = _instant(value)
        if instant is not None and instant > event_time:
            out.add(
                f"{path}/{where}",
                "epcis:sensor-time-after-event",
                f"sensor time {value!r} is after the eventTime",
            )
    start, end = _instant(metadata.get("startTime")), _instant(metadata.get("endTime"))
    if start is not None and (start >= event_time or (end is not None and start >= end)):
        out.add(
            f"{path}/sensorMetadata/startTime",
            "epcis:sensor-start-time",
            f"startTime {metadata['startTime']!r} is not earlier than both the eventTime and "
            "the endTime",
        )
    if end is not None and end > event_time:
        out.add(
            f"{path}/sensorMetadata/endTime",
            "epcis:sensor-end-time",
            f"endTime {metadata['endTime']!r} is after the eventTime",
        )


def _check_statistics(report: Mapping[str, Any], path: str, out: _Collector) -> None:
    present = [(name, report[name]) for name in _STATISTICS if _number(report.get(name))]
    for (lower_name, lower), (upper_name, upper) in itertools.pairwise(present):
        if lower > upper:
            out.add(
                path,
                "epcis:sensor-min-max",
                f"{lower_name} {lower} is greater than {upper_name} {upper}",
            )
    if "sDev" in report and "meanValue" not in report:
        out.add(path, "epcis:sensor-sdev-without-mean", "sDev is given without meanValue")
    for given, missing in (("percRank", "percValue"), ("percValue", "percRank")):
        if given in report and missing not in report:
            out.add(path, "epcis:sensor-percentile-pair", f"{given} is given without {missing}")


def _check_report(report: Mapping[str, Any], path: str, out: _Collector) -> None:
    _check_statistics(report, path, out)
    uom = report.get("uom")
    if uom is not None:
        if not any(field in report for field in _VALUE_FIELDS):
            out.add(
                path,
                "epcis:sensor-uom-without-value",
                f"uom {uom!r} is given without value, minValue, maxValue, meanValue or percValue",
            )
        if not (isinstance(uom, str) and _UOM_CODE.fullmatch(uom)):
            out.add(
                f"{path}/uom",
                "epcis:sensor-uom-code",
                f"uom {uom!r} is not a UN/CEFACT Rec 20 unit code "
                "(2 or 3 upper-case letters or digits)",
            )
    if "component" in report and not ("value" in report and "uom" in report):
        out.add(path, "epcis:sensor-component", "a sensorReport with component needs value and uom")
    if "chemicalSubstance" in report and "microorganism" in report:
        out.add(
            path,
            "epcis:sensor-substance",
            "a sensorReport names either a chemicalSubstance or a microorganism, not both",
        )


def _check_sensors(event: Mapping[str, Any], out: _Collector) -> None:
    elements = event.get("sensorElementList")
    if not isinstance(elements, list):
        return
    event_time = _instant(event.get("eventTime"))
    for i, element in enumerate(elements):
        if not isinstance(element, Mapping):
            continue
        path = f"/sensorElementList/{i}"
        metadata = element.get("sensorMetadata")
        metadata = metadata if isinstance(metadata, Mapping) else {}
        reports = element.get("sensorReport")
        reports = reports if isinstance(reports, list) else []
        if event_time is not None:
            _check_times(metadata, reports, event_time, path, out)
        for j, report in enumerate(reports):
            if not isinstance(report, Mapping):
                continue
            _check_report(report, f"{path}/sensorReport/{j}", out)
            twice = [
                field for field in _SHARED_SENSOR_FIELDS if field in report and field in metadata
            ]
            if twice:
                out.add(
                    f"{path}/sensorReport/{j}",
                    "epcis:sensor-field-twice",
                    f"{', '.join(twice)} given both in sensorMetadata and in this sensorReport",
                )


def _check_error_declaration(event: Mapping[str, Any], out: _Collector) -> None:
    declaration = event.get("errorDeclaration")
    if not isinstance(declaration, Mapping):
        return
    if declaration.get("reason") == "did_not_occur" and declaration.get("correctiveEventIDs"):
        out.add(
            "/errorDeclaration",
            "cbv:did-not-occur-with-corrective-events",
            "error reason did_not_occur cannot come with correctiveEventIDs (use incorrect_data)",
        )


def event_problems(
    event: Mapping[str, Any], pointer: str = "", index: int | None = 0
) -> list[ValidationProblem]:
    """The rule violations of one event; ``pointer`` locates the event in its document."""
    out = _Collector(pointer, index)
    _check_parent(event, out)
    _check_quantities(event, out)
    if "sensorElementList" in event:
        _check_sensors(event, out)
    if "errorDeclaration" in event:
        _check_error_declaration(event, out)
    return out.problems


def document_problems(
    events: Iterable[tuple[int, Mapping[str, Any]]], list_pointer: str
) -> list[ValidationProblem]:
    """Rules across the events of one document (``(index, event)`` pairs, in order)."""
    problems: list[ValidationProblem] = []
    first_plain: dict[str, int] = {}
    for index, event in events:
        event_id = event.get("eventID")
        if not isinstance(event_id, str) or "errorDeclaration" in event:
            continue
        if event_id in first_plain:
            problems.append(
                ValidationProblem(
                    f"{list_pointer}/{index}/eventID",
                    f"eventID {event_id!r} is already the eventID of event {first_plain[event_id]} "
                    "(only an error declaration may repeat an eventID)",
                    index,
                    "epcis:eventID-unique",
                )
            )
        else:
            first_plain[event_id] = index
    return problems
