"""Excessive dwell: an item stayed at one place longer than its route allows for that kind of
place (``dwell_hours``; learned from history when there is no route), before moving on (the
last place, where it is sold, is the shelf-life detector's business). Measured from the first
to the last sighting there, so a missed read can only shorten it."""

from __future__ import annotations

from analytics.detectors.base import Finding, Scope, evidence
from analytics.events import EventInfo

DETECTOR = ("excessive_dwell", "rules.excessive_dwell", "1")
THRESHOLD = 1.0  # dwell / allowed maximum


def detect(scope: Scope) -> list[Finding]:
    threshold = scope.threshold(DETECTOR[1], THRESHOLD)
    found: list[Finding] = []
    for item in scope.items:
        route = scope.route(item)
        if route is None or not route.dwell_hours:
            continue
        journey = scope.path(item)
        visits: list[list[EventInfo]] = []
        for e in journey:
            if e.location is None:
                continue
            if visits and visits[-1][0].location == e.location:
                visits[-1].append(e)
            else:
                visits.append([e])
        best: tuple[float, float, float, list[EventInfo], str] | None = None
        for visit in visits[:-1]:  # a stay counts once the item has moved on
            place = scope.place(visit[0].location)
            limits = route.dwell_hours.get(place.kind or "") if place else None
            if not limits or limits[1] <= 0:
                continue
            hours = (visit[-1].time - visit[0].time) / 3600
            ratio = hours / limits[1]
            if ratio >= threshold / 2 and (best is None or ratio > best[0]):
                best = (ratio, hours, limits[1], visit, place.kind or "") if place else best
        if best is None:
            continue
        ratio, hours, limit, visit, kind = best
        lot = scope.lot(item)
        found.append(
            evidence(
                DETECTOR,
                ratio,
                threshold,
                item,
                f"{item} stayed {hours:.1f} h at {visit[0].location} ({kind}); "
                f"the route allows at most {limit:g} h",
                ("dwell", round(hours, 2), "h"),
                [visit[0], visit[-1]],
                epcs=[item],
                lots=[lot] if lot else [],
            )
        )
    return found
