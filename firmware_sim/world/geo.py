"""Geography of the simulated world: distances and the road transit model.

Locations sit around Hangzhou, Zhejiang (farms in Jiande, Tonglu, Jinhua, Anji; the fishing port
of Shenjiamen on Zhoushan; distribution centres and shops in the city). Distances are great-circle
(haversine) kilometres; a lorry covers ``ROAD_FACTOR`` times that distance at 40–60 km/h plus
loading and unloading, which gives each lane its transit-time range.
"""

from __future__ import annotations

import math

__all__ = [
    "AUTHORISED_BBOX",
    "EARTH_RADIUS_KM",
    "HANDLING_H",
    "ROAD_FACTOR",
    "SPEED_KMH",
    "haversine_km",
    "in_bbox",
    "transit_range_h",
]

EARTH_RADIUS_KM = 6371.0088
ROAD_FACTOR = 1.3
SPEED_KMH = (40.0, 60.0)
HANDLING_H = (0.25, 1.5)
#: The region the city's food may be distributed in: Zhejiang province (minLat, minLon, maxLat,
#: maxLon). Shanghai, Suzhou and Guangzhou lie outside.
AUTHORISED_BBOX = (27.0, 118.0, 31.1, 123.0)


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in kilometres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


def transit_range_h(distance_km: float) -> tuple[float, float]:
    """Shortest and longest road transit (hours) over a lane of that straight-line distance."""
    road = distance_km * ROAD_FACTOR
    return road / SPEED_KMH[1] + HANDLING_H[0], road / SPEED_KMH[0] + HANDLING_H[1]


def in_bbox(lat: float, lon: float, bbox: tuple[float, float, float, float]) -> bool:
    """Whether a point lies in ``(minLat, minLon, maxLat, maxLon)``."""
    return bbox[0] <= lat <= bbox[2] and bbox[1] <= lon <= bbox[3]
