"""Clone: the same EPC on two concurrent paths. A genuine item visits each place once and
does each step of its route at one place of the expected kind; a cloned tag shows up again
at a place it already left (A → B → A), or does one step at a kind of place at more places
than its route has (received by two shops)."""

from __future__ import annotations

from collections import Counter, defaultdict

from analytics.detectors.base import (
    ANYTIME_STEPS,
    Finding,
    Scope,
    collapse,
    evidence,
    tokens,
    where,
)

DETECTOR = ("clone", "rules.clone", "2")
THRESHOLD = 1.0


def detect(scope: Scope) -> list[Finding]:
    threshold = scope.threshold(DETECTOR[1], THRESHOLD)
    found: list[Finding] = []
    for item in scope.items:
        journey = [e for e in collapse(scope.path(item)) if e.biz_step not in ANYTIME_STEPS]
        if len(journey) < 2:
            continue
        route = scope.route(item)
        allowed = route.authorised_parties if route else frozenset()
        visited: set[str] = set()
        revisits = []
        previous: str | None = None
        for e in journey:
            here = where(e)
            place = scope.place(here)
            if here is None or place is None:
                continue  # an unknown place is an inserted event, not a second path
            if allowed and place.party not in allowed:
                continue
            if here != previous and here in visited:
                revisits.append(e)
            visited.add(here)
            previous = here
        places: dict[tuple[str | None, str | None], set[str]] = defaultdict(set)
        for token, e in zip(tokens(scope, journey), journey, strict=True):
            place = scope.place(e.location)
            if place is None or token[1] is None:
                continue
            if allowed and place.party not in allowed:
                continue  # an unauthorised place is a diversion, not a second tag
            places[token].add(place.id)
        expected = Counter(zip(route.steps, route.kinds, strict=True)) if route else Counter()
        extra = 0
        for (step, kind), seen in places.items():
            times = expected.get((step or "", kind), 0) or expected.get((step or "", None), 0)
            extra += max(0, len(seen) - max(1, times))
        score = len(revisits) + extra
        if score < 1:
            continue
        lot = scope.lot(item)
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
