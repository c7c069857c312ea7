"""One EPCIS event reduced to what the detectors look at (:class:`EventInfo`), parsed from
the event's JSON as captured (the ``event.raw`` column, or a scenario document)."""

from __future__ import annotations

import contextlib
import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import orjson

from analytics.identifiers import canon, gtin_of, lot_id
from analytics.vocab import short

__all__ = ["EventInfo", "Reading", "parse_event", "parse_time"]

#: Keys that differ between two deliveries of the same content (a replay keeps the rest).
_DELIVERY_KEYS = frozenset({"eventID", "recordTime"})
#: …and a replay sent later also has another time.
_TIME_KEYS = frozenset({"eventID", "recordTime", "eventTime", "eventTimeZoneOffset"})
_TEMPERATURE = frozenset({"Temperature", "temperature"})
_LOT_KEYS = ("lotNumber",)
_EXPIRY_KEYS = ("itemExpirationDate", "sellByDate", "bestBeforeDate", "expirationDate")


@dataclass(frozen=True, slots=True)
class Reading:
    """A temperature report: interval in epoch seconds, values in °C."""

    start: float
    end: float
    mean: float | None
    maximum: float | None
    minimum: float | None


@dataclass(slots=True)
class EventInfo:
    """The parts of one event the detectors use. Times are epoch seconds (UTC)."""

    idx: int
    pk: int | None
    event_id: str
    type: str
    action: str | None
    time: float
    record_time: float | None
    biz_step: str | None
    disposition: str | None
    location: str | None
    read_point: str | None
    epcs: tuple[str, ...]
    parent: str | None
    children: tuple[str, ...]
    inputs: tuple[str, ...]
    outputs: tuple[str, ...]
    classes: tuple[str, ...]
    sources: tuple[tuple[str, str], ...]
    destinations: tuple[tuple[str, str], ...]
    readings: tuple[Reading, ...]
    lot: str | None
    expiry: float | None
    content_key: bytes
    shape_key: bytes
    replay_of: int | None = None

    @property
    def objects(self) -> tuple[str, ...]:
        """Every identifier the event names, each once."""
        parent = (self.parent,) if self.parent else ()
        return tuple(
            dict.fromkeys(
                (*self.epcs, *parent, *self.children, *self.inputs, *self.outputs, *self.classes)
            )
        )

    @property
    def creates(self) -> tuple[str, ...]:
        """The identifiers this event brings into existence (commissioning)."""
        if self.type == "TransformationEvent":
            return self.outputs
        if self.type == "AggregationEvent" and self.action == "ADD" and self.parent:
            return (self.parent,)
        if self.type == "ObjectEvent" and (
            self.action == "ADD" or self.biz_step == "commissioning"
        ):
            return self.epcs
        return ()


def parse_time(value: str) -> float:
    """RFC 3339 → epoch seconds."""
    return datetime.fromisoformat(value.replace("Z", "+00:00")).timestamp()


def _ids(values: Any) -> tuple[str, ...]:
    if not isinstance(values, list):
        return ()
    return tuple(canon(v) for v in values if isinstance(v, str))


def _classes(event: Mapping[str, Any]) -> tuple[str, ...]:
    found: list[str] = []
    for key in ("quantityList", "childQuantityList", "inputQuantityList", "outputQuantityList"):
        items = event.get(key)
        if isinstance(items, list):
            found += [
                canon(q["epcClass"])
                for q in items
                if isinstance(q, Mapping) and isinstance(q.get("epcClass"), str)
            ]
    return tuple(dict.fromkeys(found))


def _place(event: Mapping[str, Any], key: str) -> str | None:
    value = event.get(key)
    if isinstance(value, Mapping) and isinstance(value.get("id"), str):
        return canon(value["id"])
    return None


def _parties(event: Mapping[str, Any], key: str, inner: str) -> tuple[tuple[str, str], ...]:
    items = event.get(key)
    if not isinstance(items, list):
        return ()
    return tuple(
        (short(str(item.get("type"))) or "", canon(item[inner]))
        for item in items
        if isinstance(item, Mapping) and isinstance(item.get(inner), str)
    )


def _local(key: str) -> str:
    return key.rpartition(":")[2]


def _ilmd(event: Mapping[str, Any], epcs: tuple[str, ...]) -> tuple[str | None, float | None]:
    """The lot and the end of the expiry date (a date ends at midnight where the event was)."""
    offset = event.get("eventTimeZoneOffset")
    offset = offset if isinstance(offset, str) and len(offset) == 6 else "+00:00"
    ilmd = event.get("ilmd")
    if not isinstance(ilmd, Mapping):
        return None, None
    values = {_local(k): v for k, v in ilmd.items()}
    lot = next((values[k] for k in _LOT_KEYS if isinstance(values.get(k), str)), None)
    expiry: float | None = None
    for key in _EXPIRY_KEYS:
        raw = values.get(key)
        if isinstance(raw, str):
            try:
                expiry = parse_time(raw if "T" in raw else f"{raw}T23:59:59.999{offset}")
            except ValueError:
                continue
            break
    lot_link = None
    if lot is not None:
        gtin = next((g for e in epcs if (g := gtin_of(e))), None)
        lot_link = lot_id(gtin, lot) if gtin else None
    return lot_link, expiry


def _number(value: Any) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def _celsius(value: float | None, uom: str | None) -> float | None:
    if value is None:
        return None
    if uom == "FAH":
        return (value - 32.0) * 5.0 / 9.0
    if uom == "KEL":
        return value - 273.15
    return value


def _pick(
    report: Mapping[str, Any], key: str, value: float | None, uom: str | None
) -> float | None:
    found = _number(report.get(key))
    return _celsius(value if found is None else found, uom)


def _readings(event: Mapping[str, Any], time: float) -> tuple[Reading, ...]:
    elements = event.get("sensorElementList")
    if not isinstance(elements, list):
        return ()
    found: list[Reading] = []
    for element in elements:
        if not isinstance(element, Mapping):
            continue
        meta = element.get("sensorMetadata")
        meta = meta if isinstance(meta, Mapping) else {}
        for report in element.get("sensorReport") or ():
            if not isinstance(report, Mapping) or short(report.get("type")) not in _TEMPERATURE:
                continue
            start = report.get("startTime") or meta.get("startTime") or report.get("time")
            end = report.get("endTime") or meta.get("endTime") or report.get("time")
            begin = parse_time(start) if isinstance(start, str) else time
            finish = parse_time(end) if isinstance(end, str) else time
            uom = report.get("uom") if isinstance(report.get("uom"), str) else None
            value = _number(report.get("value"))

            found.append(
                Reading(
                    begin,
                    max(begin, finish),
                    _pick(report, "meanValue", value, uom),
                    _pick(report, "maxValue", value, uom),
                    _pick(report, "minValue", value, uom),
                )
            )
    return tuple(found)


_SENSOR_TIMES = ("time", "startTime", "endTime")


def _relative(part: Any, origin: float) -> Any:
    """A sensor metadata or report with its times as seconds after the event time."""
    if not isinstance(part, Mapping):
        return part
    out = dict(part)
    for key in _SENSOR_TIMES:
        value = out.get(key)
        if isinstance(value, str):
            with contextlib.suppress(ValueError):
                out[key] = round(parse_time(value) - origin, 3)
    return out


def _shape(event: Mapping[str, Any], time: float) -> dict[str, Any]:
    """The event with every time relative to its eventTime (a replay sent later keeps it)."""
    elements = event.get("sensorElementList")
    if not isinstance(elements, list):
        return dict(event)
    moved = []
    for element in elements:
        if isinstance(element, Mapping):
            element = dict(element)
            element["sensorMetadata"] = _relative(element.get("sensorMetadata"), time)
            reports = element.get("sensorReport")
            if isinstance(reports, list):
                element["sensorReport"] = [_relative(r, time) for r in reports]
        moved.append(element)
    return {**event, "sensorElementList": moved}


def _content_key(event: Mapping[str, Any], ignored: frozenset[str]) -> bytes:
    kept = {
        k: v for k, v in event.items() if k not in ignored and not k.endswith(("seq", "stationID"))
    }
    return hashlib.blake2b(orjson.dumps(kept, option=orjson.OPT_SORT_KEYS), digest_size=16).digest()


def parse_event(
    event: Mapping[str, Any], idx: int, pk: int | None = None, record_time: float | None = None
) -> EventInfo:
    """Reduce one EPCIS 2.0 JSON event (a mapping) to an :class:`EventInfo`."""
    time = parse_time(str(event["eventTime"]))
    epcs = _ids(event.get("epcList"))
    parent = event.get("parentID")
    outputs = _ids(event.get("outputEPCList"))
    lot, expiry = _ilmd(event, epcs or outputs)
    location = _place(event, "bizLocation")
    read_point = _place(event, "readPoint")
    recorded = event.get("recordTime")
    if record_time is None and isinstance(recorded, str):
        record_time = parse_time(recorded)
    return EventInfo(
        idx=idx,
        pk=pk,
        event_id=str(event.get("eventID") or f"event-{idx}"),
        type=str(event.get("type")),
        action=event.get("action") if isinstance(event.get("action"), str) else None,
        time=time,
        record_time=record_time,
        biz_step=short(event.get("bizStep")),
        disposition=short(event.get("disposition")),
        location=location or read_point,
        read_point=read_point,
        epcs=epcs,
        parent=canon(parent) if isinstance(parent, str) else None,
        children=_ids(event.get("childEPCs")),
        inputs=_ids(event.get("inputEPCList")),
        outputs=outputs,
        classes=_classes(event),
        sources=_parties(event, "sourceList", "source"),
        destinations=_parties(event, "destinationList", "destination"),
        readings=_readings(event, time),
        lot=lot,
        expiry=expiry,
        content_key=_content_key(event, _DELIVERY_KEYS),
        shape_key=_content_key(_shape(event, time), _TIME_KEYS),
    )
