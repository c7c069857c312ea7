"""EPCIS 2.0 event emission: the simulator's in-memory event and its JSON-LD bytes.

An :class:`Ev` keeps its time as epoch milliseconds and its cold-chain report as data
(:class:`Sensor`), so injectors can move events in time; :meth:`Ev.render` writes the event's
JSON (``eventTime`` in China Standard Time, ``+08:00``; ``eventID`` a ``urn:uuid:``; the station
that read it in ``ft:stationID``). Field order is fixed, so output is byte-identical for a seed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any

import orjson

__all__ = [
    "CONTEXT",
    "FT_NS",
    "HOUR_MS",
    "OBSERVED_LISTS",
    "TZ",
    "TZ_OFFSET",
    "Ev",
    "Sensor",
    "format_time",
]

FT_NS = "https://foodtrace.dev/ns/edge/v1#"
CONTEXT: list[Any] = [
    "https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld",
    {"ft": FT_NS},
]
TZ_OFFSET = "+08:00"
HOUR_MS = 3_600_000
TZ = timezone(timedelta(hours=8))
#: The EPC lists a reader observes (missed reads remove entries from them).
OBSERVED_LISTS = ("epcList", "childEPCs")


_DAY_MS = 86_400_000
_LOCAL_MS = 8 * HOUR_MS
_DATES: dict[int, str] = {}


def format_time(ms: int) -> str:
    """RFC 3339 in UTC+08:00 with milliseconds."""
    day, rest = divmod(ms + _LOCAL_MS, _DAY_MS)
    date = _DATES.get(day)
    if date is None:
        date = _DATES[day] = datetime.fromtimestamp(ms // 1000, TZ).strftime("%Y-%m-%d")
    seconds, milli = divmod(rest, 1000)
    minutes, second = divmod(seconds, 60)
    hour, minute = divmod(minutes, 60)
    return f"{date}T{hour:02d}:{minute:02d}:{second:02d}.{milli:03d}{TZ_OFFSET}"


@dataclass(slots=True)
class Sensor:
    """A temperature logger's report over ``[start, event time]``: evenly spaced readings."""

    start: int
    values: list[float]
    device: str

    def element(self, end: int) -> dict[str, Any]:
        n = len(self.values)
        span = max(1, end - self.start)
        reports: list[dict[str, Any]] = [
            {
                "type": "Temperature",
                "minValue": min(self.values),
                "maxValue": max(self.values),
                "meanValue": round(sum(self.values) / n, 2),
                "uom": "CEL",
            }
        ]
        for i, value in enumerate(self.values, 1):
            at = self.start + span * i // n
            reports.append(
                {"type": "Temperature", "time": format_time(at), "value": value, "uom": "CEL"}
            )
        return {
            "sensorMetadata": {
                "deviceID": self.device,
                "startTime": format_time(self.start),
                "endTime": format_time(end),
            },
            "sensorReport": reports,
        }


@dataclass(slots=True, eq=False)
class Ev:
    """One simulated event.

    ``body`` holds every field after ``eventID`` except ``sensorElementList``; ``step`` is the
    bizStep (bare), ``loc`` the GLN of the business location, ``station`` the reading station.
    ``labelled`` events are exempt from missed reads (their evidence survives).
    """

    t: int
    kind: str
    eid: str
    step: str
    loc: str
    station: str
    body: dict[str, Any]
    sensor: Sensor | None = None
    labelled: bool = False
    extra: dict[str, Any] = field(default_factory=dict)

    def shift(self, delta_ms: int) -> None:
        self.t += delta_ms
        if self.sensor is not None:
            self.sensor.start += delta_ms

    def epcs(self) -> list[str]:
        """Every EPC the event names (observed lists, parent, inputs, outputs)."""
        found: list[str] = []
        for key in ("epcList", "childEPCs", "inputEPCList", "outputEPCList"):
            found.extend(self.body.get(key, ()))
        parent = self.body.get("parentID")
        if parent is not None:
            found.append(parent)
        return found

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "type": self.kind,
            "eventTime": format_time(self.t),
            "eventTimeZoneOffset": TZ_OFFSET,
            "eventID": self.eid,
        }
        out.update(self.body)
        if self.sensor is not None:
            start = min(self.sensor.start, self.t - 60_000)
            self.sensor.start = start
            out["sensorElementList"] = [self.sensor.element(self.t)]
        out["ft:stationID"] = self.station
        return out

    def render(self) -> bytes:
        return orjson.dumps(self.to_dict())
