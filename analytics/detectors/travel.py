"""Impossible travel: two consecutive sightings of an item at places further apart than any
vehicle could go in the time between them (haversine distance / elapsed time, km/h)."""

from __future__ import annotations

from itertools import pairwise

from analytics.detectors.base import Finding, Scope, evidence
from analytics.events import EventInfo
from analytics.geo import haversine_km

DETECTOR = ("impossible_travel", "rules.impossible_travel", "1")
THRESHOLD_KMH = 150.0
_MIN_KM = 5.0
_MIN_HOURS = 1 / 60


def _distance(scope: Scope, a: EventInfo, b: EventInfo) -> float | None:
    pa, pb = scope.place(a.location), scope.place(b.location)
    if pa is None or pb is None:
        return None
    if pa.latitude is None or pa.longitude is None or pb.latitude is None or pb.longitude is None:
        return None
    return haversine_km(pa.latitude, pa.longitude, pb.latitude, pb.longitude)


def detect(scope: Scope) -> list[Finding]:
    threshold = scope.threshold(DETECTOR[1], THRESHOLD_KMH)
    found: list[Finding] = []
    for item in scope.items:
        journey = scope.path(item)
        best: tuple[float, float, EventInfo, EventInfo] | None = None
        for a, b in pairwise(journey):
            if a.location == b.location:
                continue
            km = _distance(scope, a, b)
            if km is None or km < _MIN_KM:
                continue
            speed = km / max((b.time - a.time) / 3600, _MIN_HOURS)
            if speed >= threshold / 2 and (best is None or speed > best[0]):
                best = (speed, km, a, b)
        if best is None:
            continue
        speed, km, a, b = best
        minutes = (b.time - a.time) / 60
        lot = scope.lot(item)
        found.append(
            evidence(
                DETECTOR,
                speed,
                threshold,
                item,
                f"{item} was seen at two places {km:.0f} km apart {minutes:.0f} min apart "
                f"({speed:.0f} km/h; limit {threshold:.0f} km/h)",
                ("speed", round(speed, 1), "km/h"),
                [a, b],
                epcs=[item],
                lots=[lot] if lot else [],
            )
        )
    return found
