"""Never commissioned: an item (EPC) seen in the chain that no commissioning event created —
a counterfeit tag. A missed commissioning read looks the same for one item, so an item whose
companions were commissioned together and whose serial lies among theirs scores low."""

from __future__ import annotations

from analytics.detectors.base import Finding, Scope, evidence, items_of
from analytics.identifiers import gtin_of

DETECTOR = ("never_commissioned", "rules.never_commissioned", "1")
THRESHOLD = 1.0
_PEERS = 24


def _serial(item: str) -> int | None:
    tail = item.rpartition("/21/")[2]
    return int(tail) if tail.isdigit() else None


def _score(scope: Scope, item: str) -> tuple[float, str]:
    js = scope.journeys
    gtin = gtin_of(item)
    if scope.context.products and gtin not in scope.context.products:
        return 1.0, f"its GTIN {gtin} is not a product of the master data"
    journey = js.journey(item)
    peers = [o for e in journey[:2] for o in items_of(e) if o != item][:_PEERS]
    made = {js.commissioned[p] for p in peers if p in js.commissioned}
    if not made:
        if peers:
            return 1.0, "neither it nor the items it travelled with were commissioned"
        return 0.9, "it was never commissioned (and travelled alone)"
    serial = _serial(item)
    siblings = [
        s
        for i in made
        for o in js.events[i].creates
        if gtin_of(o) == gtin and (s := _serial(o)) is not None
    ]
    if serial is None or not siblings:
        return 0.5, "its companions were commissioned, it was not (a missed read?)"
    low, high = min(siblings), max(siblings)
    margin = max(5, high - low + 1)  # missed reads thin the companions' range
    if low - margin <= serial <= high + margin:
        return 0.4, "its serial lies among its companions' (a missed commissioning read)"
    return 1.0, f"its serial {serial} lies outside its companions' range {low}…{high}"


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
