"""Temperature excursion: degree·hours outside the product's temperature range, summed over
the temperature reports an item was exposed to (its own, and those of the case or pallet it
was in). One finding per lot and set of excursion reports."""

from __future__ import annotations

from collections import defaultdict

from analytics.detectors.base import Finding, Scope, evidence
from analytics.events import EventInfo
from analytics.identifiers import gtin_of

DETECTOR = ("temperature_excursion", "rules.temperature_excursion", "1")
THRESHOLD = 2.0  # °C·h
_POINT_HOURS = 0.25  # a reading without an interval stands for a quarter of an hour


def degree_hours(e: EventInfo, low: float | None, high: float | None) -> float:
    """°C·h outside [low, high] in one event's temperature reports."""
    total = 0.0
    for r in e.readings:
        hours = (r.end - r.start) / 3600 or _POINT_HOURS
        hot = r.mean if r.mean is not None else r.maximum
        cold = r.mean if r.mean is not None else r.minimum
        if high is not None and hot is not None and hot > high:
            total += (hot - high) * hours
        if low is not None and cold is not None and cold < low:
            total += (low - cold) * hours
    return total


def detect(scope: Scope) -> list[Finding]:
    threshold = scope.threshold(DETECTOR[1], THRESHOLD)
    groups: dict[tuple[str, frozenset[int]], list[str]] = defaultdict(list)
    sums: dict[tuple[str, frozenset[int]], tuple[float, list[EventInfo]]] = {}
    for item in scope.items:
        product = scope.context.products.get(gtin_of(item) or "")
        if product is None or (product.temp_max_c is None and product.temp_min_c is None):
            continue
        total = 0.0
        hits: list[EventInfo] = []
        for e in scope.effective(item):
            if not e.readings:
                continue
            dh = degree_hours(e, product.temp_min_c, product.temp_max_c)
            if dh > 0:
                total += dh
                hits.append(e)
        if total <= threshold / 4:
            continue
        key = (scope.lot(item) or item, frozenset(e.idx for e in hits))
        groups[key].append(item)
        sums[key] = (total, hits)
    found: list[Finding] = []
    for key, items in groups.items():
        total, hits = sums[key]
        subject = key[0]
        product = scope.context.products[gtin_of(items[0]) or ""]
        found.append(
            evidence(
                DETECTOR,
                total,
                threshold,
                subject,
                f"{len(items)} item(s) of {subject} spent {total:.1f} °C·h outside "
                f"{product.temp_min_c}…{product.temp_max_c} °C (limit {threshold:g} °C·h)",
                ("degree_hours", round(total, 2), "Cel.h"),
                hits,
                epcs=items,
                lots=[subject] if "/10/" in subject else [],
            )
        )
    return found
