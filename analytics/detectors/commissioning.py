"""Never commissioned: an item (EPC) seen in the chain that no commissioning event (ObjectEvent
ADD, or a transformation's output) created — a counterfeit tag. Commissioning is the tag's
encoding, not a read, so it is not subject to missed reads."""

from __future__ import annotations

from analytics.detectors.base import Finding, Scope, evidence, peers
from analytics.identifiers import gtin_of

DETECTOR = ("never_commissioned", "rules.never_commissioned", "1")
THRESHOLD = 1.0


def _score(scope: Scope, item: str) -> tuple[float, str]:
    gtin = gtin_of(item)
    if scope.context.products and gtin not in scope.context.products:
        return 1.0, f"its GTIN {gtin} is not a product of the master data"
    journey = scope.journeys.journey(item)
    companions = [p for e in journey[:2] for p in peers(e, item)]
    made = sum(1 for p in companions if p in scope.journeys.commissioned)
    if made:
        return 1.0, f"{made} item(s) it travelled with were commissioned, it was not"
    return 1.0, "no commissioning or transformation created it"


def detect(scope: Scope) -> list[Finding]:
    threshold = scope.threshold(DETECTOR[1], THRESHOLD)
    js = scope.journeys
    found: list[Finding] = []
    for item in scope.items:
        if item in js.commissioned:
            continue
        score, why = _score(scope, item)
        journey = js.journey(item)
        found.append(
            evidence(
                DETECTOR,
                score,
                threshold,
                item,
                f"{item} was never commissioned: {why}",
                ("commissioning_events", 0.0, "count"),
                journey[:1],
                epcs=[item],
                lots=[lot] if (lot := js.lot(item)) else [],
            )
        )
    return found
