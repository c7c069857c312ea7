"""Read the EPCIS 2.0 query parameters of ``GET /events`` into an :class:`EventQuery`.

The supported parameters are the standard's fixed names and patterns listed in
``docs``/module :mod:`trace_api.query.filters`; anything else, a parameter given twice, an
empty or over-long value or a value of the wrong kind is a :class:`QueryParameterError` naming
the parameter. Several values of one parameter are separated by ``|`` and OR-ed; different
parameters are AND-ed. Time values may carry their ``+hh:mm`` offset unescaped (a ``+`` read
as a space is put back).

Extension fields (``EQ_``/``GT_``/``GE_``/``LT_``/``LE_``/``EXISTS_`` followed by an optional
``INNER_``, an optional scope — ``ILMD``, ``ERROR_DECLARATION``, ``SENSORELEMENT``,
``SENSORMETADATA``, ``SENSORREPORT``, ``readPoint``, ``bizLocation`` — and a ``prefix:name``),
``EQ_persistentDisposition_set/unset`` and ``EQ_correctiveEventID`` are read from the event's
stored JSON (:mod:`trace_api.query.fields`). ``EQ_ATTR_<readPoint|bizLocation>_<attribute>``
and ``HASATTR_<readPoint|bizLocation>`` read the locations' master data
(:mod:`trace_api.query.attributes`).
"""

from __future__ import annotations

import hashlib
import math
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import orjson
import sqlalchemy as sa

from trace_api.exceptions import QueryParameterError
from trace_api.query import filters as f
from trace_api.query.attributes import Resolver, has_attribute, location_attribute
from trace_api.query.fields import SCOPES, JsonField, Predicate
from trace_api.query.vocab import measurement_type_spellings, spellings

__all__ = [
    "DEFAULT_PER_PAGE",
    "MAX_PARAMETERS",
    "MAX_PER_PAGE",
    "MAX_VALUE_LENGTH",
    "EventQuery",
    "parse_query",
    "query_pairs",
]

DEFAULT_PER_PAGE = 30
MAX_PER_PAGE = 1000
MAX_PARAMETERS = 64
MAX_VALUE_LENGTH = 2048
MAX_VALUES = 100
_PAGING = frozenset({"perPage", "nextPageToken"})
_EVENT_TYPES = (
    "ObjectEvent",
    "AggregationEvent",
    "TransactionEvent",
    "TransformationEvent",
    "AssociationEvent",
)
_CMP = "(EQ|GT|GE|LT|LE)"
_QUANTITY = re.compile(rf"{_CMP}_quantity(?:_([A-Za-z0-9]{{1,8}}))?")
_SENSOR_NUMBER = re.compile(
    rf"{_CMP}_(value|minValue|maxValue|meanValue|sDev|percValue)(?:_([A-Za-z0-9]{{1,8}}))?"
)
_PERC_RANK = re.compile(r"(GT|GE|LT|LE)_percRank")
_TRANSACTION = re.compile(r"EQ_bizTransaction_(.+)")
_PARTY = re.compile(r"EQ_(source|destination)_(.+)")
_TIME = re.compile(r"(GE|LT)_(eventTime|recordTime|errorDeclarationTime|startTime|endTime|time)")
#: extension fields: ``{EQ,GT,GE,LT,LE,EXISTS}_[INNER_][<scope>_]<prefix>:<name>``
_FIELD = re.compile(
    r"(EQ|GT|GE|LT|LE|EXISTS)_(INNER_)?"
    r"(?:(ILMD|ERROR_DECLARATION|SENSORELEMENT|SENSORMETADATA|SENSORREPORT|readPoint|bizLocation)_)?"
    r"([A-Za-z][A-Za-z0-9.-]*:[\w.-]+)"
)
_ATTRIBUTE = re.compile(r"EQ_ATTR_([A-Za-z]+)_(\w+)")
_HAS_ATTRIBUTE = re.compile(r"HASATTR_([A-Za-z]+)")
_TIME_VALUE = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d.*")


@dataclass(slots=True)
class EventQuery:
    """A parsed query: its conditions and how to order and page the result."""

    conditions: list[sa.ColumnElement[bool]] = field(default_factory=list)
    #: conditions that need the database to be written (master-data lookups), made by
    #: :func:`trace_api.query.run.run_query` in its transaction
    resolvers: list[Resolver] = field(default_factory=list)
    order_by: str = "eventTime"
    descending: bool = True
    per_page: int = DEFAULT_PER_PAGE
    event_count_limit: int | None = None
    max_event_count: int | None = None
    next_page_token: str | None = None
    fingerprint: str = ""


def _values(name: str, raw: str) -> list[str]:
    values = raw.split("|")
    if len(values) > MAX_VALUES:
        raise QueryParameterError(f"{name}: more than {MAX_VALUES} values")
    if any(not v for v in values):
        raise QueryParameterError(f"{name}: empty value")
    return values


def _time(name: str, raw: str) -> datetime:
    text = raw.replace(" ", "+")
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        raise QueryParameterError(f"{name}: not an ISO 8601 date-time: {raw!r}") from None
    if value.tzinfo is None:
        raise QueryParameterError(f"{name}: date-time without a time zone: {raw!r}")
    return value


def _number(name: str, raw: str) -> float:
    try:
        value = float(raw)
    except ValueError:
        raise QueryParameterError(f"{name}: not a number: {raw!r}") from None
    if not math.isfinite(value):
        raise QueryParameterError(f"{name}: not a finite number: {raw!r}")
    return value


def _numbers(name: str, raw: str, comparator: str) -> list[float]:
    """One number, or for ``EQ_`` several separated by ``|`` (any of them matches)."""
    if comparator != "EQ":
        return [_number(name, raw)]
    return [_number(name, value) for value in _values(name, raw)]


def _count(name: str, raw: str, *, maximum: int | None = None) -> int:
    if not raw.isascii() or not raw.isdigit() or len(raw) > 9 or int(raw) < 1:
        raise QueryParameterError(f"{name}: expected a positive integer, got {raw!r}")
    value = int(raw)
    if maximum is not None and value > maximum:
        raise QueryParameterError(f"{name}: at most {maximum}, got {value}")
    return value


def _boolean(name: str, raw: str) -> bool:
    if raw.lower() in ("true", ""):
        return True
    if raw.lower() == "false":
        return False
    raise QueryParameterError(f"{name}: expected true or false, got {raw!r}")


Handler = Callable[[str, str, EventQuery], None]


def _add(query: EventQuery, condition: sa.ColumnElement[bool]) -> None:
    query.conditions.append(condition)


def _event_type(name: str, raw: str, query: EventQuery) -> None:
    values = _values(name, raw)
    unknown = [v for v in values if v not in _EVENT_TYPES]
    if unknown:
        raise QueryParameterError(f"{name}: not an EPCIS event type: {unknown[0]!r}")
    _add(query, f.event_column_in("event_type", values))


def _action(name: str, raw: str, query: EventQuery) -> None:
    values = _values(name, raw)
    bad = [v for v in values if v not in ("ADD", "OBSERVE", "DELETE")]
    if bad:
        raise QueryParameterError(f"{name}: action must be ADD, OBSERVE or DELETE, got {bad[0]!r}")
    _add(query, f.event_column_in("action", values))


def _order_by(name: str, raw: str, query: EventQuery) -> None:
    if raw not in ("eventTime", "recordTime"):
        raise QueryParameterError(f"{name}: supported orders are eventTime and recordTime")
    query.order_by = raw


def _order_direction(name: str, raw: str, query: EventQuery) -> None:
    if raw not in ("ASC", "DESC"):
        raise QueryParameterError(f"{name}: expected ASC or DESC, got {raw!r}")
    query.descending = raw == "DESC"


def _page_token(_name: str, raw: str, query: EventQuery) -> None:
    query.next_page_token = raw


def _identifiers(name: str, raw: str, query: EventQuery) -> None:
    _add(query, f.identifiers(name, _values(name, raw)))


def _sensor_text(name: str, raw: str, query: EventQuery) -> None:
    _add(query, f.sensor_text(name.removeprefix("EQ_"), _values(name, raw)))


def _measurement_type(name: str, raw: str, query: EventQuery) -> None:
    forms = [form for value in _values(name, raw) for form in measurement_type_spellings(value)]
    _add(query, f.sensor_text("type", list(dict.fromkeys(forms))))


def _json_list(scope: tuple[str, ...], vocabulary: str | None) -> Handler:
    """EQ_ parameters whose values are elements of a JSON list of the event."""

    def handler(name: str, raw: str, query: EventQuery) -> None:
        values = _values(name, raw)
        if vocabulary is not None:
            values = [form for value in values for form in spellings(vocabulary, value)]
        predicate = Predicate(strings=tuple(dict.fromkeys(values)))
        _add(query, JsonField(scope, None, predicate))

    return handler


def _equal_to_any(name: str, raw: str) -> Predicate:
    """EQ_ on an extension field: each value as a string, and as what else it reads as."""
    values = _values(name, raw)
    numbers: list[float] = []
    times: list[datetime] = []
    booleans: list[bool] = []
    for value in values:
        try:
            number = float(value)
        except ValueError:
            pass
        else:
            if math.isfinite(number):
                numbers.append(number)
        if _TIME_VALUE.fullmatch(value):
            times.append(_time(name, value))
        if value in ("true", "false"):
            booleans.append(value == "true")
    return Predicate(
        strings=tuple(values), numbers=tuple(numbers), times=tuple(times), booleans=tuple(booleans)
    )


def _compared_to(name: str, comparator: str, raw: str) -> Predicate:
    """GT_/GE_/LT_/LE_ on an extension field: a number or a date-time."""
    if _TIME_VALUE.fullmatch(raw):
        return Predicate(comparator=comparator, time=_time(name, raw))
    try:
        number = float(raw)
    except ValueError:
        raise QueryParameterError(
            f"{name}: expected a number or a date-time with a time zone, got {raw!r}"
        ) from None
    if not math.isfinite(number):
        raise QueryParameterError(f"{name}: not a finite number: {raw!r}")
    return Predicate(comparator=comparator, number=number)


def _extension_field(name: str, raw: str, query: EventQuery, match: re.Match[str]) -> None:
    comparator, inner, scope, field_name = match.groups()
    if comparator == "EXISTS":
        condition = JsonField(
            SCOPES[scope or ""], field_name, Predicate(exists=True), inner=bool(inner)
        )
        _add(query, condition if _boolean(name, raw) else ~condition)
        return
    predicate = (
        _equal_to_any(name, raw) if comparator == "EQ" else _compared_to(name, comparator, raw)
    )
    _add(query, JsonField(SCOPES[scope or ""], field_name, predicate, inner=bool(inner)))


def _fixed() -> dict[str, Handler]:
    handlers: dict[str, Handler] = {
        "eventType": _event_type,
        "EQ_action": _action,
        "EQ_bizStep": lambda n, r, q: _add(q, f.vocabulary("biz_step", "bizStep", _values(n, r))),
        "EQ_disposition": lambda n, r, q: _add(
            q, f.vocabulary("disposition", "disposition", _values(n, r))
        ),
        "EQ_transformationID": lambda n, r, q: _add(
            q, f.event_column_in("transformation_id", _values(n, r))
        ),
        "EQ_eventID": lambda n, r, q: _add(q, f.event_column_in("event_id", _values(n, r))),
        "EQ_readPoint": lambda n, r, q: _add(
            q, f.location("read_point", _values(n, r), descendants=False)
        ),
        "WD_readPoint": lambda n, r, q: _add(
            q, f.location("read_point", _values(n, r), descendants=True)
        ),
        "EQ_bizLocation": lambda n, r, q: _add(
            q, f.location("biz_location", _values(n, r), descendants=False)
        ),
        "WD_bizLocation": lambda n, r, q: _add(
            q, f.location("biz_location", _values(n, r), descendants=True)
        ),
        "EXISTS_errorDeclaration": lambda n, r, q: _add(
            q, f.EVENT.c.error_declared.is_(_boolean(n, r))
        ),
        "EQ_errorReason": lambda n, r, q: _add(q, f.error_declaration(reasons=_values(n, r))),
        "EQ_correctiveEventID": _json_list(("errorDeclaration", "correctiveEventIDs"), None),
        "EQ_persistentDisposition_set": _json_list(("persistentDisposition", "set"), "disposition"),
        "EQ_persistentDisposition_unset": _json_list(
            ("persistentDisposition", "unset"), "disposition"
        ),
        "EXISTS_sensorElementList": lambda n, r, q: _add(
            q, f.sensor_exists() if _boolean(n, r) else ~f.sensor_exists()
        ),
        "orderBy": _order_by,
        "orderDirection": _order_direction,
        "eventCountLimit": lambda n, r, q: setattr(q, "event_count_limit", _count(n, r)),
        "maxEventCount": lambda n, r, q: setattr(q, "max_event_count", _count(n, r)),
        "perPage": lambda n, r, q: setattr(q, "per_page", _count(n, r, maximum=MAX_PER_PAGE)),
        "nextPageToken": _page_token,
    }
    for parameter in f.IDENTIFIER_PARAMETERS:
        handlers[parameter] = _identifiers
    for text_field in f.SENSOR_TEXTS:
        handlers[f"EQ_{text_field}"] = _sensor_text
    handlers["EQ_type"] = _measurement_type
    handlers["EQ_booleanValue"] = lambda n, r, q: _add(q, f.sensor_boolean(_boolean(n, r)))
    return handlers


_FIXED = _fixed()


def _time_parameter(name: str, raw: str, query: EventQuery, match: re.Match[str]) -> None:
    comparator, which = match.groups()
    value = _time(name, raw)
    if which == "eventTime":
        _add(query, f.compare(f.EVENT.c.event_time, comparator, value))
    elif which == "recordTime":
        _add(query, f.compare(f.EVENT.c.record_time, comparator, value))
    elif which == "errorDeclarationTime":
        _add(query, f.error_declaration(comparator=comparator, time=value))
    else:
        column = {"startTime": "start_time", "endTime": "end_time", "time": "time"}[which]
        _add(query, f.sensor_time(column, comparator, value))


def _pattern(name: str, raw: str, query: EventQuery) -> bool:
    if match := _TIME.fullmatch(name):
        _time_parameter(name, raw, query, match)
    elif match := _QUANTITY.fullmatch(name):
        numbers = _numbers(name, raw, match[1])
        _add(query, sa.or_(*(f.quantity(match[1], n, match[2]) for n in numbers)))
    elif match := _SENSOR_NUMBER.fullmatch(name):
        numbers = _numbers(name, raw, match[1])
        _add(query, sa.or_(*(f.sensor_number(match[2], match[1], n, match[3]) for n in numbers)))
    elif match := _PERC_RANK.fullmatch(name):
        _add(query, f.sensor_number("percRank", match[1], _number(name, raw), None))
    elif match := _TRANSACTION.fullmatch(name):
        _add(query, f.transaction(match[1], _values(name, raw)))
    elif match := _PARTY.fullmatch(name):
        _add(query, f.party(match[1], match[2], _values(name, raw)))
    elif match := _ATTRIBUTE.fullmatch(name):
        query.resolvers.append(location_attribute(match[1], match[2], _values(name, raw)))
    elif match := _HAS_ATTRIBUTE.fullmatch(name):
        query.resolvers.append(has_attribute(match[1], _values(name, raw)))
    elif match := _FIELD.fullmatch(name):
        _extension_field(name, raw, query, match)
    else:
        return False
    return True


def parse_query(parameters: Iterable[tuple[str, str]]) -> EventQuery:
    """The :class:`EventQuery` of a query string's ``(name, value)`` pairs."""
    query = EventQuery()
    seen: set[str] = set()
    filters: list[tuple[str, str]] = []
    for name, raw in parameters:
        if len(seen) >= MAX_PARAMETERS:
            raise QueryParameterError(f"more than {MAX_PARAMETERS} query parameters")
        shown = name if len(name) <= 80 else name[:80] + "…"
        if name in seen:
            raise QueryParameterError(f"{shown}: given more than once (use | between values)")
        seen.add(name)
        if "\x00" in raw or "\x00" in name:
            raise QueryParameterError(f"{shown!r}: contains a NUL character")
        if len(raw) > MAX_VALUE_LENGTH or len(name) > 200:
            raise QueryParameterError(f"{shown}: longer than {MAX_VALUE_LENGTH} characters")
        if not raw and not name.startswith("EXISTS_"):
            raise QueryParameterError(f"{shown}: empty value")
        handler = _FIXED.get(name)
        if handler is not None:
            handler(name, raw, query)
        elif not _pattern(name, raw, query):
            raise QueryParameterError(f"unknown query parameter {shown!r}")
        if name not in _PAGING:
            filters.append((name, raw))
    if query.event_count_limit is not None and query.max_event_count is not None:
        raise QueryParameterError("eventCountLimit and maxEventCount exclude each other")
    query.fingerprint = hashlib.sha256(orjson.dumps(sorted(filters))).hexdigest()[:32]
    return query


def query_pairs(query: dict[str, Any]) -> list[tuple[str, str]]:
    """A stored query (``{parameter: value or [values]}``, as named queries keep them) as the
    ``(name, value)`` pairs :func:`parse_query` reads; several values are joined by ``|``."""
    pairs: list[tuple[str, str]] = []
    for name, value in query.items():
        if value is None:  # EXISTS_…: null, as the query schema allows
            pairs.append((name, ""))
            continue
        values = value if isinstance(value, list) else [value]
        if not values or not all(isinstance(v, str | int | float | bool) for v in values):
            raise QueryParameterError(f"{name[:80]}: expected a string, number or list of them")
        texts = [str(v).lower() if isinstance(v, bool) else str(v) for v in values]
        pairs.append((name, "|".join(texts)))
    return pairs
