"""The cold-chain summary of a journey: the temperature readings recorded on its events,
against the product's allowed range from master data."""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from trace_api.models import metadata

if TYPE_CHECKING:
    from trace_api.web.consumer.facts import ProductFacts

__all__ = ["ColdChain", "cold_chain"]

_EVENT = metadata.tables["event"]
_SENSOR = metadata.tables["sensor_report"]


def _celsius(value: float) -> float:
    return value


def _fahrenheit(value: float) -> float:
    return (value - 32.0) * 5.0 / 9.0


def _kelvin(value: float) -> float:
    return value - 273.15


_TO_CELSIUS: dict[str, Callable[[float], float]] = {
    "CEL": _celsius,
    "FAH": _fahrenheit,
    "KEL": _kelvin,
}
_CHUNK = 500


@dataclass(frozen=True, slots=True)
class ColdChain:
    """``status``: ``ok`` (every reading in range), ``excursion``, ``recorded`` (readings but
    no range to judge them by) or ``none`` (no readings)."""

    status: str
    readings: int
    outside: int
    lowest_c: float | None
    highest_c: float | None
    range_c: tuple[float, float] | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "readings": self.readings,
            "outside": self.outside,
            "lowestC": self.lowest_c,
            "highestC": self.highest_c,
            "rangeC": list(self.range_c) if self.range_c else None,
        }


def _is_temperature(kind: str | None, uom: str | None) -> bool:
    return uom in _TO_CELSIUS and (kind is None or kind.endswith("Temperature"))


def cold_chain(
    connection: sa.Connection, event_ids: Collection[str], product: ProductFacts | None
) -> ColdChain:
    """Summarise the temperature sensor reports of the events ``event_ids``."""
    values: list[tuple[float, float]] = []  # (lowest, highest) of each reading, in °C
    ids = sorted(set(event_ids))
    for start in range(0, len(ids), _CHUNK):
        query = (
            sa.select(
                _SENSOR.c.type,
                _SENSOR.c.uom,
                _SENSOR.c.value,
                _SENSOR.c.min_value,
                _SENSOR.c.max_value,
                _SENSOR.c.mean_value,
            )
            .select_from(_SENSOR.join(_EVENT, _EVENT.c.id == _SENSOR.c.event_pk))
            .where(
                _EVENT.c.event_id.in_(ids[start : start + _CHUNK]),
                _EVENT.c.error_declared.is_(False),
            )
        )
        for kind, uom, value, low, high, mean in connection.execute(query):
            if not _is_temperature(kind, uom):
                continue
            convert = _TO_CELSIUS[uom]
            points = [v for v in (value, low, high, mean) if v is not None]
            if points:
                values.append((convert(min(points)), convert(max(points))))
    limits = None
    if product is not None and product.temp_min_c is not None and product.temp_max_c is not None:
        limits = (product.temp_min_c, product.temp_max_c)
    if not values:
        return ColdChain("none", 0, 0, None, None, limits)
    lowest = round(min(v[0] for v in values), 1)
    highest = round(max(v[1] for v in values), 1)
    if limits is None:
        return ColdChain("recorded", len(values), 0, lowest, highest, None)
    outside = sum(1 for lo, hi in values if lo < limits[0] or hi > limits[1])
    status = "excursion" if outside else "ok"
    return ColdChain(status, len(values), outside, lowest, highest, limits)
