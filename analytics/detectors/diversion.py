"""Diversion: an item at a place of a party that is not authorised for its product, outside
the authorised countries or region (bounding box), or shipped to such a party or place."""

from __future__ import annotations

from analytics.detectors.base import Finding, Scope, evidence
from analytics.events import EventInfo
from analytics.geo import in_bbox
from analytics.identifiers import gtin_of

DETECTOR = ("diversion", "rules.diversion", "1")
THRESHOLD = 1.0


def _why(scope: Scope, item: str, e: EventInfo) -> str | None:
    route = scope.route(item)
    if route is None:
        return None
    for location in [e.location, *(v for t, v in e.destinations if t == "location")]:
        place = scope.place(location)
        if place is None:
            continue
        if route.authorised_parties and place.party not in route.authorised_parties:
            return f"{location} belongs to {place.party}, not an authorised party"
        if route.countries and place.country and place.country not in route.countries:
            return f"{location} is in {place.country}, outside {sorted(route.countries)}"
        if (
            route.bbox
            and place.latitude is not None
            and place.longitude is not None
            and not in_bbox(place.latitude, place.longitude, route.bbox)
        ):
            return f"{location} lies outside the authorised region"
    if route.authorised_parties:
        for kind, party in e.destinations:
            if kind in ("owning_party", "possessing_party") and (
                party not in route.authorised_parties
            ):
                return f"shipped to {party}, not an authorised party"
    return None


def detect(scope: Scope) -> list[Finding]:
    threshold = scope.threshold(DETECTOR[1], THRESHOLD)
    found: list[Finding] = []
    for item in scope.items:
        gtin = gtin_of(item)
        hits: list[tuple[EventInfo, str]] = []
        for e in scope.path(item):
            key = ("diversion", (gtin, e.idx))
            if key not in scope.memo:
                scope.memo[key] = _why(scope, item, e)
            why = scope.memo[key]
            if isinstance(why, str):
                hits.append((e, why))
        if not hits:
            continue
        lot = scope.lot(item)
        found.append(
            evidence(
                DETECTOR,
                float(len(hits)),
                threshold,
                item,
                f"{item}: {hits[0][1]}",
                ("events_outside", float(len(hits)), "count"),
                [e for e, _ in hits],
                epcs=[item],
                lots=[lot] if lot else [],
            )
        )
    return found
