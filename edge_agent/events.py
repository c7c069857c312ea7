"""Pure functions from tag reads to EPCIS 2.0 JSON events (dicts ready to serialise).

* EPC hex → pure-identity URN with the shared EPC codec (:func:`foodtrace.gs1.epc.decode_hex`).
  An EPC that is not a GS1 EPC (a factory code such as ``E280…``, an unknown header) is refused
  (:class:`NonGS1EPCError`) unless the station sets ``filters.non_gs1 = "raw"``; then it is written
  as the TDS raw URI ``urn:epc:raw:<bits>.x<HEX>``. Refusing is the default because the trace keys
  on GS1 identifiers; raw URIs are for pilots with unencoded tags.
* ``eventTime`` is the edge clock at the read, in milliseconds, written in the station's offset;
  ``eventTimeZoneOffset`` is that offset (for an IANA zone: the offset in force at that instant).
* :func:`seal` adds ``ft:stationID`` and ``ft:seq`` and then ``eventID``, the CBV 2.0 event hash
  ID computed over everything else (``foodtrace.epcis.hash.event_hash_id``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import datetime, timedelta, tzinfo
from typing import Any, Literal

import orjson

from edge_agent.config import BizTransaction, PartyOrLocation
from edge_agent.document import FT_PREFIX, NAMESPACES
from edge_agent.exceptions import NonGS1EPCError
from foodtrace.epcis.hash import event_hash_id, hash_id_of_prehash
from foodtrace.epcis.prehash import memo_builder
from foodtrace.exceptions import EPCError
from foodtrace.gs1.epc import decode_hex
from foodtrace.gs1.epc.raw import raw_uri

__all__ = [
    "Action",
    "Hasher",
    "StationHasher",
    "aggregation_event",
    "epc_uri",
    "event_time",
    "object_event",
    "seal",
    "temperature_element",
]

Action = Literal["ADD", "OBSERVE", "DELETE"]
Hasher = Callable[[Mapping[str, Any], Mapping[str, str] | None], str]
Event = dict[str, Any]


def epc_uri(epc_hex: str, non_gs1: Literal["refuse", "raw"] = "refuse") -> str:
    """Pure-identity URN of a GS1 EPC; non-GS1 EPCs are refused or written as raw URIs."""
    try:
        return decode_hex(epc_hex).uri
    except EPCError as exc:
        if non_gs1 == "raw":
            return raw_uri(epc_hex)
        raise NonGS1EPCError(f"EPC {epc_hex} is not a GS1 EPC: {exc}") from exc


def event_time(time_ns: int, tz: tzinfo) -> tuple[str, str]:
    """``(eventTime, eventTimeZoneOffset)`` for a Unix time in ns, at millisecond precision.

    The text of a whole second is memoised per time zone (reads come many per second) and the
    milliseconds are written into it: they change only the fraction, never the offset, so the
    result equals :func:`_event_time`'s."""
    seconds, ms = divmod(time_ns // 1_000_000, 1000)
    key = (seconds, tz)
    found = _SECOND_CACHE.get(key)
    if found is None:
        whole, offset = _event_time(seconds, 0, tz)
        # whole is "…:SS.000±HH:MM" (or "…Z"-less isoformat): split around the milliseconds
        dot = whole.index(".", 19)
        found = (whole[: dot + 1], whole[dot + 4 :], offset)
        if len(_SECOND_CACHE) >= _SECOND_CACHE_LIMIT:
            _SECOND_CACHE.clear()
        _SECOND_CACHE[key] = found
    head, tail, offset = found
    return f"{head}{ms:03d}{tail}", offset


_SECOND_CACHE: dict[tuple[int, tzinfo], tuple[str, str, str]] = {}
_SECOND_CACHE_LIMIT = 256


def _event_time(seconds: int, ms: int, tz: tzinfo) -> tuple[str, str]:
    # replace() keeps ``fold`` (the second pass through a repeated hour when summer time ends);
    # adding a timedelta would reset it and write the summer offset an hour off.
    moment = datetime.fromtimestamp(seconds, tz).replace(microsecond=ms * 1000)
    offset = moment.utcoffset() or timedelta(0)
    total = int(offset.total_seconds()) // 60
    sign = "-" if total < 0 else "+"
    hours, minutes = divmod(abs(total), 60)
    return moment.isoformat(timespec="milliseconds"), f"{sign}{hours:02d}:{minutes:02d}"


def _why_and_where(
    event: Event,
    *,
    biz_step: str | None,
    disposition: str | None,
    read_point: str,
    biz_location: str | None,
    biz_transactions: Sequence[BizTransaction],
    sources: Sequence[PartyOrLocation],
    destinations: Sequence[PartyOrLocation],
) -> None:
    if biz_step is not None:
        event["bizStep"] = biz_step
    if disposition is not None:
        event["disposition"] = disposition
    event["readPoint"] = {"id": read_point}
    if biz_location is not None:
        event["bizLocation"] = {"id": biz_location}
    if biz_transactions:
        event["bizTransactionList"] = [
            {"type": t.type, "bizTransaction": t.id} if t.type else {"bizTransaction": t.id}
            for t in biz_transactions
        ]
    if sources:
        event["sourceList"] = [{"type": s.type, "source": s.id} for s in sources]
    if destinations:
        event["destinationList"] = [{"type": d.type, "destination": d.id} for d in destinations]


def object_event(
    *,
    time_ns: int,
    tz: tzinfo,
    epcs: Sequence[str],
    action: Action,
    read_point: str,
    biz_step: str | None = None,
    disposition: str | None = None,
    biz_location: str | None = None,
    biz_transactions: Sequence[BizTransaction] = (),
    sources: Sequence[PartyOrLocation] = (),
    destinations: Sequence[PartyOrLocation] = (),
    ilmd: Mapping[str, Any] | None = None,
    sensor_elements: Sequence[Mapping[str, Any]] = (),
) -> Event:
    """An ObjectEvent. ``ilmd`` only with ``action="ADD"`` (EPCIS rule)."""
    if ilmd and action != "ADD":
        raise ValueError("ilmd is only allowed on ObjectEvents with action ADD")
    when, offset = event_time(time_ns, tz)
    event: Event = {
        "type": "ObjectEvent",
        "eventTime": when,
        "eventTimeZoneOffset": offset,
        "epcList": list(epcs),
        "action": action,
    }
    _why_and_where(
        event,
        biz_step=biz_step,
        disposition=disposition,
        read_point=read_point,
        biz_location=biz_location,
        biz_transactions=biz_transactions,
        sources=sources,
        destinations=destinations,
    )
    if sensor_elements:
        event["sensorElementList"] = [dict(e) for e in sensor_elements]
    if ilmd:
        event["ilmd"] = dict(ilmd)
    return event


def aggregation_event(
    *,
    time_ns: int,
    tz: tzinfo,
    parent: str,
    children: Sequence[str],
    action: Action,
    read_point: str,
    biz_step: str | None = None,
    disposition: str | None = None,
    biz_location: str | None = None,
    biz_transactions: Sequence[BizTransaction] = (),
    sources: Sequence[PartyOrLocation] = (),
    destinations: Sequence[PartyOrLocation] = (),
) -> Event:
    """An AggregationEvent: ``parentID`` (e.g. an SSCC) with ``childEPCs``."""
    when, offset = event_time(time_ns, tz)
    event: Event = {
        "type": "AggregationEvent",
        "eventTime": when,
        "eventTimeZoneOffset": offset,
        "parentID": parent,
        "childEPCs": list(children),
        "action": action,
    }
    _why_and_where(
        event,
        biz_step=biz_step,
        disposition=disposition,
        read_point=read_point,
        biz_location=biz_location,
        biz_transactions=biz_transactions,
        sources=sources,
        destinations=destinations,
    )
    return event


def temperature_element(time: str, celsius: float, device_id: str | None = None) -> Event:
    """One ``sensorElement`` with a ``gs1:Temperature`` report in degrees Celsius (``CEL``)."""
    metadata: Event = {"time": time}
    if device_id is not None:
        metadata["deviceID"] = device_id
    return {
        "sensorMetadata": metadata,
        "sensorReport": [{"type": "gs1:Temperature", "value": round(celsius, 3), "uom": "CEL"}],
    }


class StationHasher:
    """:func:`~foodtrace.epcis.hash.event_hash_id` for one station's events, with one pre-hash
    builder kept between events (its memos of field names and values survive), so the read
    point, the vocabulary, the station id and repeated EPCs are canonicalised once.

    The hash ID is the same as ``event_hash_id(event, namespaces)``: other namespaces than the
    station's, and events with an ``@context`` of their own, go through ``event_hash_id``.
    Not thread-safe on its own (the pipeline seals under its lock)."""

    __slots__ = ("_builder", "_namespaces")

    def __init__(self, namespaces: Mapping[str, str] = NAMESPACES) -> None:
        self._namespaces = namespaces
        self._builder = memo_builder(namespaces)

    def __call__(self, event: Mapping[str, Any], namespaces: Mapping[str, str] | None) -> str:
        if namespaces is not self._namespaces or not isinstance(event, dict) or "@context" in event:
            return event_hash_id(event, namespaces)
        return hash_id_of_prehash(self._builder.event(event))


def seal(
    event: Mapping[str, Any],
    seq: int,
    station_id: str,
    hasher: Hasher = event_hash_id,
) -> tuple[str, bytes]:
    """Finish an event for the outbox: add ``ft:stationID``, ``ft:seq`` and the hash ``eventID``.

    Returns ``(eventID, compact JSON bytes)``. ``eventID`` is computed over the event with its
    extension fields and without ``eventID``, as CBV 2.0 prescribes, so the centre can recompute it.
    """
    body = dict(event)
    body.pop("eventID", None)
    body[_STATION_KEY] = station_id
    body[_SEQ_KEY] = seq
    event_id = hasher(body, NAMESPACES)
    sealed = {"type": body.pop("type"), "eventID": event_id, **body}
    return event_id, orjson.dumps(sealed)


_STATION_KEY = f"{FT_PREFIX}:stationID"
_SEQ_KEY = f"{FT_PREFIX}:seq"
