"""Clone: the same EPC on two concurrent paths. A genuine item visits each place once and
does each step of its route at one place of the expected kind; a cloned tag shows up again
at a place it already left (A → B → A), or does one step at a kind of place at more places
than its route has (received by two shops)."""

from __future__ import annotations

from collections import Counter, defaultdict

from analytics.detectors.base import Finding, Scope, collapse, evidence, path_events, tokens
from analytics.detectors.inserted import NEUTRAL_STEPS

DETECTOR = ("clone", "rules.clone", "2")
THRESHOLD = 1.0


def detect(scope: Scope) -> list[Finding]:
    threshold = scope.threshold(DETECTOR[1], THRESHOLD)
    found: list[Finding] = []
    for item in scope.items:
        journey = [
            e
            for e in collapse(path_events(scope.effective(item)))
            if e.biz_step not in NEUTRAL_STEPS
        ]
        if len(journey) < 2:
            continue
        visited: set[str] = set()
        revisits = []
        previous: str | None = None
        for e in journey:
            if e.location is None:
                continue
            if e.location != previous and e.location in visited:
                revisits.append(e)
            visited.add(e.location)
            previous = e.location
        places: dict[tuple[str | None, str | None], set[str]] = defaultdict(set)
        for token, e in zip(tokens(scope, journey), journey, strict=True):
            if e.location and token[1] is not None:
                places[token].add(e.location)
        route = scope.route(item)
        expected = Counter(zip(route.steps, route.kinds, strict=True)) if route else Counter()
        extra = 0
        for (step, kind), seen in places.items():
            allowed = expected.get((step or "", kind), 0) or expected.get((step or "", None), 0)
            extra += max(0, len(seen) - max(1, allowed))
        score = len(revisits) + extra
        if score < 1:
            continue
        lot = scope.journeys.lot(item)
        found.append(
            evidence(
                DETECTOR,
                score,
                threshold,
                item,
                f"{item} returned {len(revisits)} time(s) to a place it had left and did "
                f"{extra} step(s) at more places than its route has: two tags, one EPC",
                ("duplicated_sightings", float(score), "count"),
                revisits or journey,
                epcs=[item],
                lots=[lot] if lot else [],
            )
        )
    return found
