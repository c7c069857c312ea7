"""A simple journey map drawn as server-side SVG from the places' coordinates.

No tile server, no script: the places are projected equirectangularly (longitude scaled by the
cosine of the mean latitude, so distances look right at that latitude), fitted into a fixed
view box with a margin, numbered in journey order and joined by a line. The template draws it.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from trace_api.web.consumer.facts import Stop

__all__ = ["MapPoint", "MapView", "map_view"]

WIDTH, HEIGHT, MARGIN = 360.0, 240.0, 28.0


@dataclass(frozen=True, slots=True)
class MapPoint:
    number: int
    x: float
    y: float
    name_en: str | None
    name_zh: str | None
    kind: str | None


@dataclass(frozen=True, slots=True)
class MapView:
    width: float
    height: float
    points: list[MapPoint]

    @property
    def line(self) -> str:
        """The ``points`` attribute of the polyline joining the places in order."""
        return " ".join(f"{p.x:.1f},{p.y:.1f}" for p in self.points)


def map_view(stops: Sequence[Stop]) -> MapView | None:
    """The map of the stops that have coordinates; ``None`` when fewer than one has."""
    located = [
        s.place
        for s in stops
        if s.place is not None and s.place.latitude is not None and s.place.longitude is not None
    ]
    if not located:
        return None
    lats = [p.latitude for p in located if p.latitude is not None]
    lons = [p.longitude for p in located if p.longitude is not None]
    scale_x = math.cos(math.radians(sum(lats) / len(lats)))
    xs = [lon * scale_x for lon in lons]
    span_x = max(xs) - min(xs)
    span_y = max(lats) - min(lats)
    inner_w, inner_h = WIDTH - 2 * MARGIN, HEIGHT - 2 * MARGIN
    span = max(span_x / inner_w, span_y / inner_h) or 1.0
    offset_x = MARGIN + (inner_w - span_x / span) / 2
    offset_y = MARGIN + (inner_h - span_y / span) / 2
    points: list[MapPoint] = []
    previous: tuple[float, float] | None = None
    for place, x_raw, lat in zip(located, xs, lats, strict=True):
        x = offset_x + (x_raw - min(xs)) / span
        y = offset_y + (max(lats) - lat) / span
        if previous == (round(x, 1), round(y, 1)):
            continue  # the same place again right after: one marker
        previous = (round(x, 1), round(y, 1))
        points.append(MapPoint(len(points) + 1, x, y, place.name_en, place.name_zh, place.kind))
    return MapView(WIDTH, HEIGHT, points)
