"""Out-of-order step: an item's steps, in event-time order, contradict the order a place
works in (commissioning, then receiving, then shipping or selling: a receipt after the
shipment from the same place) or go back along the product's route. Missed reads only
remove steps, they never reorder them, so one inversion is enough."""

from __future__ import annotations

from analytics.detectors.base import ANYTIME_STEPS, Finding, Scope, align, collapse, evidence
from analytics.events import EventInfo

DETECTOR = ("out_of_order", "rules.out_of_order", "1")
THRESHOLD = 1.0
#: The order of steps within one visit to a place.
_RANK = {"commissioning": 0, "receiving": 1, "shipping": 3, "retail_selling": 3}


def _local_inversions(journey: list[EventInfo]) -> list[tuple[EventInfo, EventInfo]]:
    last: dict[str, EventInfo] = {}
    found = []
    for e in journey:
        if e.location is None or e.biz_step in ANYTIME_STEPS:
            continue
        rank = _RANK.get(e.biz_step or "", 2)
        before = last.get(e.location)
        if before is not None and rank < _RANK.get(before.biz_step or "", 2):
            found.append((before, e))
        if before is None or rank >= _RANK.get(before.biz_step or "", 2):
            last[e.location] = e
    return found


def detect(scope: Scope) -> list[Finding]:
    threshold = scope.threshold(DETECTOR[1], THRESHOLD)
    found: list[Finding] = []
    for item in scope.items:
        journey = collapse(scope.path(item))
        pairs = _local_inversions(journey)
        route = scope.route(item)
        if route is not None:
            once = {s for s in route.steps if route.steps.count(s) == 1}
            observed = [e for e in journey if e.biz_step in once]
            _, inversions = align(
                [(s, None) for s in route.steps if s in once],
                [(e.biz_step, None) for e in observed],
            )
            pairs += [(observed[i - 1] if i else observed[i], observed[i]) for i in inversions]
        if not pairs:
            continue
        before, first = pairs[0]
        lot = scope.lot(item)
        found.append(
            evidence(
                DETECTOR,
                len(pairs),
                threshold,
                item,
                f"{item}: {first.biz_step} at {first.location} came after {before.biz_step} at "
                f"{before.location}, which must follow it; {len(pairs)} step(s) out of order",
                ("steps_out_of_order", float(len(pairs)), "count"),
                [e for pair in pairs for e in pair],
                epcs=[item],
                lots=[lot] if lot else [],
            )
        )
    return found
