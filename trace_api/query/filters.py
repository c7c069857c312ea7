"""One SQL condition per EPCIS query parameter, over the ``event`` table and its child tables.

Each function takes the parameter's values (``|``-separated in the query string, OR-ed) and
returns a condition on ``event`` rows; repeating parts (identifiers, transactions, sources and
destinations, sensor reports) are tested with ``event.id IN (SELECT event_pk …)`` semi-joins,
which use the child tables' indexes. Each sensor parameter is its own subquery: two sensor
parameters may be satisfied by different reports of the same event.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from trace_api.models import metadata
from trace_api.query.identifiers import identifier_match, location_match
from trace_api.query.vocab import spellings

__all__ = [
    "COMPARATORS",
    "EVENT",
    "IDENTIFIER_PARAMETERS",
    "SENSOR_NUMBERS",
    "SENSOR_TEXTS",
    "compare",
    "error_declaration",
    "event_column_in",
    "identifiers",
    "location",
    "party",
    "quantity",
    "sensor_boolean",
    "sensor_exists",
    "sensor_number",
    "sensor_text",
    "sensor_time",
    "time_range",
    "transaction",
    "vocabulary",
]

EVENT = metadata.tables["event"]
_IDENTIFIER = metadata.tables["event_identifier"]
_TRANSACTION = metadata.tables["event_biz_transaction"]
_PARTY = metadata.tables["event_source_destination"]
_SENSOR = metadata.tables["sensor_report"]
_ERROR = metadata.tables["error_declaration"]

COMPARATORS = ("EQ", "GT", "GE", "LT", "LE")

#: MATCH_ parameter → (roles, kind)
IDENTIFIER_PARAMETERS: dict[str, tuple[tuple[str, ...], str]] = {
    "MATCH_epc": (("epc", "child"), "instance"),
    "MATCH_parentID": (("parent",), "instance"),
    "MATCH_inputEPC": (("input",), "instance"),
    "MATCH_outputEPC": (("output",), "instance"),
    "MATCH_anyEPC": (("epc", "child", "parent", "input", "output"), "instance"),
    "MATCH_epcClass": (("epc", "child"), "class"),
    "MATCH_inputEPCClass": (("input",), "class"),
    "MATCH_outputEPCClass": (("output",), "class"),
    "MATCH_anyEPCClass": (("epc", "child", "input", "output"), "class"),
}
#: sensor parameter field → sensor_report column
SENSOR_NUMBERS = {
    "value": "value",
    "minValue": "min_value",
    "maxValue": "max_value",
    "meanValue": "mean_value",
    "sDev": "s_dev",
    "percValue": "perc_value",
    "percRank": "perc_rank",
}
SENSOR_TEXTS = {
    "type": "type",
    "deviceID": "device_id",
    "dataProcessingMethod": "data_processing_method",
    "microorganism": "microorganism",
    "chemicalSubstance": "chemical_substance",
    "bizRules": "biz_rules",
    "stringValue": "string_value",
    "hexBinaryValue": "hex_binary_value",
    "uriValue": "uri_value",
}


def compare(column: Any, comparator: str, value: Any) -> sa.ColumnElement[bool]:
    """``column <op> value`` for an EPCIS comparator prefix."""
    operations = {
        "EQ": column.__eq__,
        "GT": column.__gt__,
        "GE": column.__ge__,
        "LT": column.__lt__,
        "LE": column.__le__,
    }
    return operations[comparator](value)  # type: ignore[no-any-return]


def _exists(table: sa.Table, *conditions: Any) -> sa.ColumnElement[bool]:
    """``event.id IN (SELECT event_pk FROM table WHERE …)``: an uncorrelated semi-join, so
    both planners start from the child table's index for a selective filter (a correlated
    ``EXISTS`` made SQLite walk the events in time order and probe each)."""
    return EVENT.c.id.in_(sa.select(table.c.event_pk).where(*conditions))


def event_column_in(column: str, values: Sequence[str]) -> sa.ColumnElement[bool]:
    return EVENT.c[column].in_(list(values))


def vocabulary(column: str, vocabulary_name: str, values: Sequence[str]) -> sa.ColumnElement[bool]:
    forms = [form for value in values for form in spellings(vocabulary_name, value)]
    return EVENT.c[column].in_(list(dict.fromkeys(forms)))


def time_range(column: Any, comparator: str, value: datetime) -> sa.ColumnElement[bool]:
    return compare(column, comparator, value)


def location(column: str, values: Sequence[str], *, descendants: bool) -> sa.ColumnElement[bool]:
    return sa.or_(*(location_match(EVENT.c[column], v, descendants=descendants) for v in values))


def identifiers(parameter: str, values: Sequence[str]) -> sa.ColumnElement[bool]:
    roles, kind = IDENTIFIER_PARAMETERS[parameter]
    matches = [identifier_match(_IDENTIFIER.c.value, _IDENTIFIER.c.canonical, v) for v in values]
    role = _IDENTIFIER.c.role == roles[0] if len(roles) == 1 else _IDENTIFIER.c.role.in_(roles)
    return _exists(_IDENTIFIER, role, _IDENTIFIER.c.kind == kind, sa.or_(*matches))


def quantity(comparator: str, value: float, uom: str | None) -> sa.ColumnElement[bool]:
    conditions = [
        _IDENTIFIER.c.kind == "class",
        _IDENTIFIER.c.role.in_(("epc", "child")),
        compare(_IDENTIFIER.c.quantity, comparator, value),
    ]
    if uom is not None:
        conditions.append(_IDENTIFIER.c.uom == uom)
    return _exists(_IDENTIFIER, *conditions)


def transaction(kind: str, values: Sequence[str]) -> sa.ColumnElement[bool]:
    return _exists(
        _TRANSACTION,
        _TRANSACTION.c.type.in_(spellings("btt", kind)),
        _TRANSACTION.c.value.in_(list(values)),
    )


def party(direction: str, kind: str, values: Sequence[str]) -> sa.ColumnElement[bool]:
    return _exists(
        _PARTY,
        _PARTY.c.direction == direction,
        _PARTY.c.type.in_(spellings("sdt", kind)),
        _PARTY.c.value.in_(list(values)),
    )


def sensor_number(
    field: str, comparator: str, value: float, uom: str | None
) -> sa.ColumnElement[bool]:
    conditions = [compare(_SENSOR.c[SENSOR_NUMBERS[field]], comparator, value)]
    if uom is not None:
        conditions.append(_SENSOR.c.uom == uom)
    return _exists(_SENSOR, *conditions)


def sensor_text(field: str, values: Sequence[str]) -> sa.ColumnElement[bool]:
    return _exists(_SENSOR, _SENSOR.c[SENSOR_TEXTS[field]].in_(list(values)))


def sensor_time(column: str, comparator: str, value: datetime) -> sa.ColumnElement[bool]:
    return _exists(_SENSOR, compare(_SENSOR.c[column], comparator, value))


def sensor_exists() -> sa.ColumnElement[bool]:
    return _exists(_SENSOR)


def error_declaration(
    *, reasons: Sequence[str] = (), comparator: str | None = None, time: datetime | None = None
) -> sa.ColumnElement[bool]:
    conditions: list[Any] = []
    if reasons:
        forms = [form for reason in reasons for form in spellings("er", reason)]
        conditions.append(_ERROR.c.reason.in_(forms))
    if comparator is not None:
        conditions.append(compare(_ERROR.c.declaration_time, comparator, time))
    return _exists(_ERROR, *conditions)


def sensor_boolean(value: bool) -> sa.ColumnElement[bool]:
    return _exists(_SENSOR, _SENSOR.c.boolean_value.is_(value))
