"""Turn one EPCIS 2.0 event (a JSON object) into the rows the database stores.

:func:`prepare_event` is pure and runs on the ingest hot path: it reads the indexed columns
and the child rows (identifiers, business transactions, sources and destinations, sensor
reports, error declaration) and keeps the event's JSON text verbatim. It checks only what
storage needs (type, eventTime, the JSON type of each list it reads); schema and CBV
validation happen before, in :mod:`foodtrace.epcis.validate`.

Station extension: the edge agent (``edge_agent.events.seal``) adds ``stationID`` (string) and
``seq`` (integer, 1, 2, 3 … per station) in the namespace :data:`FOODTRACE_NS`, under any prefix
the document's ``@context`` binds to it (the edge agent uses ``ft``), or under the full IRI.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import orjson

from foodtrace.epcis.hash import event_hash_id
from foodtrace.gs1.digital_link import canonical_identifier
from trace_api.exceptions import EventShapeError
from trace_api.storage.context import FOODTRACE_NS, PreparedContext, prepare_context, station_keys

__all__ = [
    "EVENT_TYPES",
    "FOODTRACE_NS",
    "PreparedEvent",
    "Row",
    "prepare_event",
]

EVENT_TYPES = frozenset(
    {
        "ObjectEvent",
        "AggregationEvent",
        "TransactionEvent",
        "TransformationEvent",
        "AssociationEvent",
    }
)
_NO_CONTEXT_ID_KEYS = station_keys({}, "stationID")
_NO_CONTEXT_SEQ_KEYS = station_keys({}, "seq")

Row = dict[str, Any]

# (JSON list, role, kind) in the order rows are written.
_IDENTIFIER_LISTS = (
    ("epcList", "epc", "instance"),
    ("quantityList", "epc", "class"),
    ("childEPCs", "child", "instance"),
    ("childQuantityList", "child", "class"),
    ("inputEPCList", "input", "instance"),
    ("inputQuantityList", "input", "class"),
    ("outputEPCList", "output", "instance"),
    ("outputQuantityList", "output", "class"),
)
# sensorReport JSON key → sensor_report column.
_REPORT_FIELDS = {
    "type": "type",
    "deviceID": "device_id",
    "component": "component",
    "exception": "exception",
    "stringValue": "string_value",
    "uriValue": "uri_value",
    "hexBinaryValue": "hex_binary_value",
    "microorganism": "microorganism",
    "chemicalSubstance": "chemical_substance",
    "dataProcessingMethod": "data_processing_method",
    "bizRules": "biz_rules",
    "uom": "uom",
}
_REPORT_NUMBERS = {
    "value": "value",
    "minValue": "min_value",
    "maxValue": "max_value",
    "meanValue": "mean_value",
    "sDev": "s_dev",
    "percRank": "perc_rank",
    "percValue": "perc_value",
}
# sensorMetadata fields a report inherits when it does not give its own.
_INHERITED = {
    "deviceID": "device_id",
    "dataProcessingMethod": "data_processing_method",
    "bizRules": "biz_rules",
}
_ERROR_KNOWN = frozenset({"declarationTime", "reason", "correctiveEventIDs"})


@dataclass(slots=True)
class PreparedEvent:
    """One event ready for :func:`trace_api.storage.events.store_events`.

    ``event`` holds the ``event`` table's columns except ``id``, ``record_time``,
    ``capture_id`` and ``context_id`` (the store fills those); the child row lists hold their
    tables' columns except ``id`` and ``event_pk``.
    """

    event_id: str
    event: Row
    context: PreparedContext | None
    identifiers: list[Row] = field(default_factory=list)
    biz_transactions: list[Row] = field(default_factory=list)
    sources_destinations: list[Row] = field(default_factory=list)
    sensor_reports: list[Row] = field(default_factory=list)
    error_declaration: Row | None = None

    @property
    def station(self) -> tuple[str, int] | None:
        """``(station id, sequence number)`` when the edge agent stamped the event."""
        station_id, seq = self.event["station_id"], self.event["station_seq"]
        if station_id is None or seq is None:
            return None
        return station_id, seq


def _bad(event_id: object, pointer: str, message: str) -> EventShapeError:
    who = f"event {event_id}" if isinstance(event_id, str) else "event"
    return EventShapeError(f"{who} at {pointer}: {message}")


def _time(value: object, eid: object, pointer: str) -> datetime:
    if not isinstance(value, str):
        raise _bad(eid, pointer, "expected a date-time string")
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise _bad(eid, pointer, f"not an ISO 8601 date-time: {value!r}") from None
    if parsed.tzinfo is None:
        raise _bad(eid, pointer, f"date-time without a time zone: {value!r}")
    return parsed


def _optional_time(value: object, eid: object, pointer: str) -> datetime | None:
    return None if value is None else _time(value, eid, pointer)


def _list(event: Mapping[str, Any], key: str, eid: object) -> list[Any]:
    value = event.get(key)
    if value is None:
        return []
    if not isinstance(value, list):
        raise _bad(eid, f"/{key}", "expected a list")
    return value


def _text(value: object, eid: object, pointer: str) -> str:
    if not isinstance(value, str):
        raise _bad(eid, pointer, "expected a string")
    return value


def _number(value: object, eid: object, pointer: str) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise _bad(eid, pointer, "expected a number")
    return float(value)


def _id_of(value: object, eid: object, pointer: str) -> str | None:
    """``readPoint`` / ``bizLocation``: ``{"id": …}``."""
    if value is None:
        return None
    if not isinstance(value, Mapping):
        raise _bad(eid, pointer, "expected an object with an id")
    return _text(value.get("id"), eid, pointer + "/id")


def _identifiers(event: Mapping[str, Any], eid: object) -> list[Row]:
    rows: list[Row] = []
    parent = event.get("parentID")
    if parent is not None:
        value = _text(parent, eid, "/parentID")
        rows.append(_identifier("parent", "instance", value, None, None))
    for key, role, kind in _IDENTIFIER_LISTS:
        items = event.get(key)
        if not items:  # absent or empty, the usual case for most lists
            if items is None or isinstance(items, list):
                continue
            raise _bad(eid, f"/{key}", "expected a list")
        if not isinstance(items, list):
            raise _bad(eid, f"/{key}", "expected a list")
        if kind == "instance":  # the hot loop: EPCs, no helper calls
            for i, item in enumerate(items):
                if not isinstance(item, str):
                    raise _bad(eid, f"/{key}/{i}", "expected a string")
                rows.append(
                    {
                        "role": role,
                        "kind": kind,
                        "value": item,
                        "canonical": canonical(item),
                        "quantity": None,
                        "uom": None,
                    }
                )
            continue
        for i, item in enumerate(items):
            if not isinstance(item, Mapping):
                raise _bad(eid, f"/{key}/{i}", "expected a quantity element object")
            value = _text(item.get("epcClass"), eid, f"/{key}/{i}/epcClass")
            quantity = _number(item.get("quantity"), eid, f"/{key}/{i}/quantity")
            uom = item.get("uom")
            if uom is not None:
                uom = _text(uom, eid, f"/{key}/{i}/uom")
            rows.append(_identifier(role, kind, value, quantity, uom))
    return rows


_SGTIN = "urn:epc:id:sgtin:"
_SGTIN_BASES: dict[str, str] = {}
_SGTIN_BASES_LIMIT = 65_536
_MAX_SERIAL = 20  # AI (21) is X..20


def canonical(value: str) -> str:
    """:func:`canonical_identifier`, with a shortcut for the commonest identifier: an SGTIN
    whose serial is plain ASCII letters and digits (no escaping in either form). Its Digital
    Link is the canonical link of the same GTIN (memoised per company prefix and item
    reference) followed by the serial, so only the first SGTIN of each GTIN pays for the full
    conversion."""
    if value.startswith(_SGTIN):
        head, dot, serial = value.rpartition(".")
        if dot and len(serial) <= _MAX_SERIAL and serial.isascii() and serial.isalnum():
            base = _SGTIN_BASES.get(head)
            if base is None:
                probe = canonical_identifier(head + ".0")
                base = probe[:-1] if probe.endswith("/21/0") else ""
                if len(_SGTIN_BASES) >= _SGTIN_BASES_LIMIT:
                    _SGTIN_BASES.clear()
                _SGTIN_BASES[head] = base
            if base:
                return base + serial
    return canonical_identifier(value)


def _identifier(role: str, kind: str, value: str, quantity: float | None, uom: str | None) -> Row:
    return {
        "role": role,
        "kind": kind,
        "value": value,
        "canonical": canonical(value),
        "quantity": quantity,
        "uom": uom,
    }


def _biz_transactions(event: Mapping[str, Any], eid: object) -> list[Row]:
    rows: list[Row] = []
    for i, item in enumerate(_list(event, "bizTransactionList", eid)):
        if not isinstance(item, Mapping):
            raise _bad(eid, f"/bizTransactionList/{i}", "expected an object")
        kind = item.get("type")
        rows.append(
            {
                "type": None if kind is None else _text(kind, eid, f"/bizTransactionList/{i}/type"),
                "value": _text(
                    item.get("bizTransaction"), eid, f"/bizTransactionList/{i}/bizTransaction"
                ),
            }
        )
    return rows


def _sources_destinations(event: Mapping[str, Any], eid: object) -> list[Row]:
    rows: list[Row] = []
    for direction, key in (("source", "sourceList"), ("destination", "destinationList")):
        for i, item in enumerate(_list(event, key, eid)):
            if not isinstance(item, Mapping):
                raise _bad(eid, f"/{key}/{i}", "expected an object")
            rows.append(
                {
                    "direction": direction,
                    "type": _text(item.get("type"), eid, f"/{key}/{i}/type"),
                    "value": _text(item.get(direction), eid, f"/{key}/{i}/{direction}"),
                }
            )
    return rows


def _sensor_reports(event: Mapping[str, Any], eid: object) -> list[Row]:
    rows: list[Row] = []
    for e, element in enumerate(_list(event, "sensorElementList", eid)):
        where = f"/sensorElementList/{e}"
        if not isinstance(element, Mapping):
            raise _bad(eid, where, "expected a sensor element object")
        meta = element.get("sensorMetadata") or {}
        if not isinstance(meta, Mapping):
            raise _bad(eid, where + "/sensorMetadata", "expected an object")
        meta_time = _optional_time(meta.get("time"), eid, where + "/sensorMetadata/time")
        start = _optional_time(meta.get("startTime"), eid, where + "/sensorMetadata/startTime")
        end = _optional_time(meta.get("endTime"), eid, where + "/sensorMetadata/endTime")
        for r, report in enumerate(_list(element, "sensorReport", eid)):
            at = f"{where}/sensorReport/{r}"
            if not isinstance(report, Mapping):
                raise _bad(eid, at, "expected a sensor report object")
            row: Row = {"element_index": e, "report_index": r}
            for key, column in _REPORT_FIELDS.items():
                value = report.get(key)
                if value is None and key in _INHERITED:
                    value = meta.get(key)
                row[column] = None if value is None else _text(value, eid, f"{at}/{key}")
            for key, column in _REPORT_NUMBERS.items():
                row[column] = _number(report.get(key), eid, f"{at}/{key}")
            boolean = report.get("booleanValue")
            if boolean is not None and not isinstance(boolean, bool):
                raise _bad(eid, f"{at}/booleanValue", "expected true or false")
            row["boolean_value"] = boolean
            own_time = _optional_time(report.get("time"), eid, f"{at}/time")
            row["time"] = own_time if own_time is not None else meta_time
            row["start_time"] = start
            row["end_time"] = end
            rows.append(row)
    return rows


def _error_declaration(event: Mapping[str, Any], eid: object) -> Row | None:
    declaration = event.get("errorDeclaration")
    if declaration is None:
        return None
    if not isinstance(declaration, Mapping):
        raise _bad(eid, "/errorDeclaration", "expected an object")
    reason = declaration.get("reason")
    corrective = declaration.get("correctiveEventIDs") or []
    if not isinstance(corrective, list):
        raise _bad(eid, "/errorDeclaration/correctiveEventIDs", "expected a list")
    return {
        "declaration_time": _time(
            declaration.get("declarationTime"), eid, "/errorDeclaration/declarationTime"
        ),
        "reason": None if reason is None else _text(reason, eid, "/errorDeclaration/reason"),
        "corrective_event_ids": [
            _text(item, eid, f"/errorDeclaration/correctiveEventIDs/{i}")
            for i, item in enumerate(corrective)
        ],
        "extensions": {k: v for k, v in declaration.items() if k not in _ERROR_KNOWN},
    }


def _station(
    event: Mapping[str, Any], context: PreparedContext | None, eid: object
) -> tuple[str | None, int | None]:
    station_id: str | None = None
    seq: int | None = None
    id_keys, seq_keys = (
        (_NO_CONTEXT_ID_KEYS, _NO_CONTEXT_SEQ_KEYS)
        if context is None
        else (context.station_id_keys, context.station_seq_keys)
    )
    for key in id_keys:
        if key in event:
            station_id = _text(event[key], eid, f"/{key}")
    for key in seq_keys:
        if key in event:
            value = event[key]
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise _bad(eid, f"/{key}", "expected a non-negative integer")
            seq = value
    return station_id, seq


def prepare_event(
    event: Mapping[str, Any], context: Any = None, raw: bytes | str | None = None
) -> PreparedEvent:
    """Extract what the database stores from one EPCIS 2.0 event.

    ``context`` is the document's ``@context`` (or a :class:`PreparedContext` made once per
    document); ``raw`` is the event's JSON text exactly as received, stored verbatim (when
    ``None``, the event is serialised compactly). Without an ``eventID`` the event gets its
    CBV 2.0 hash ID. Raises :class:`EventShapeError` naming the event and JSON pointer.
    """
    if not isinstance(event, Mapping):
        raise EventShapeError("event: expected a JSON object")
    given_id = event.get("eventID")
    event_type = event.get("type")
    if event_type not in EVENT_TYPES:
        raise _bad(given_id, "/type", f"not an EPCIS event type: {event_type!r}")
    event_time = _time(event.get("eventTime"), given_id, "/eventTime")
    offset = _text(event.get("eventTimeZoneOffset"), given_id, "/eventTimeZoneOffset")
    prepared_context = prepare_context(context)
    namespaces = prepared_context.namespaces if prepared_context is not None else {}
    if given_id is None:
        event_id = event_hash_id(event, namespaces if prepared_context is not None else None)
    else:
        event_id = _text(given_id, given_id, "/eventID")
    station_id, station_seq = _station(event, prepared_context, event_id)
    action = event.get("action")
    text = raw if isinstance(raw, str) or raw is None else _utf8(raw, event_id)
    row: Row = {
        "event_id": event_id,
        "event_type": event_type,
        "event_time": event_time,
        "event_time_zone_offset": offset,
        "action": None if action is None else _text(action, event_id, "/action"),
        "biz_step": _optional_text(event, "bizStep", event_id),
        "disposition": _optional_text(event, "disposition", event_id),
        "read_point": _id_of(event.get("readPoint"), event_id, "/readPoint"),
        "biz_location": _id_of(event.get("bizLocation"), event_id, "/bizLocation"),
        "transformation_id": _optional_text(event, "transformationID", event_id),
        "station_id": station_id,
        "station_seq": station_seq,
        "error_declared": "errorDeclaration" in event,
        "raw": text if text is not None else orjson.dumps(event).decode(),
    }
    return PreparedEvent(
        event_id=event_id,
        event=row,
        context=prepared_context,
        identifiers=_identifiers(event, event_id),
        biz_transactions=_biz_transactions(event, event_id),
        sources_destinations=_sources_destinations(event, event_id),
        sensor_reports=_sensor_reports(event, event_id),
        error_declaration=_error_declaration(event, event_id),
    )


def _utf8(raw: bytes, eid: object) -> str:
    try:
        return raw.decode()
    except UnicodeDecodeError as exc:
        raise _bad(eid, "", f"raw bytes are not UTF-8 ({exc.reason} at byte {exc.start})") from None


def _optional_text(event: Mapping[str, Any], key: str, eid: object) -> str | None:
    value = event.get(key)
    return None if value is None else _text(value, eid, f"/{key}")
