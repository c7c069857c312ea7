"""Inserted event: an event in an item's journey that its process does not have — a step
that is not on the product's route, or a place that is not in the master data."""

from __future__ import annotations

from analytics.detectors.base import Finding, Scope, evidence, path_events

DETECTOR = ("inserted_event", "rules.inserted_event", "1")
THRESHOLD = 1.0
#: Steps that may occur anywhere without being part of a route.
NEUTRAL_STEPS = frozenset({"sensor_reporting", "inspecting", "cycle_counting", "storing"})


def detect(scope: Scope) -> list[Finding]:
    threshold = scope.threshold(DETECTOR[1], THRESHOLD)
    found: list[Finding] = []
    for item in scope.items:
        route = scope.route(item)
        strange = []
        for e in path_events(scope.journeys.journey(item)):
            off_route = (
                route is not None
                and e.biz_step not in route.steps
                and e.biz_step not in NEUTRAL_STEPS
            )
            unknown = (
                bool(scope.context.places)
                and e.location is not None
                and (scope.place(e.location) is None)
            )
            if off_route or unknown:
                strange.append(e)
        if not strange:
            continue
        e = strange[0]
        reason = (
            f"step {e.biz_step} is not on its route"
            if route is not None and e.biz_step not in route.steps
            else f"place {e.location} is not in the master data"
        )
        lot = scope.lot(item)
        found.append(
            evidence(
                DETECTOR,
                len(strange),
                threshold,
                item,
                f"{item} has {len(strange)} event(s) its process does not have: {reason}",
                ("unexpected_events", len(strange), "count"),
                strange,
                epcs=[item],
                lots=[lot] if lot else [],
            )
        )
    return found
