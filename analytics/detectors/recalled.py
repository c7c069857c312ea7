"""Recalled lot sighted: an item of a recalled lot (or the lot itself) seen at a shop or
sold after the recall was declared."""

from __future__ import annotations

from collections import defaultdict

from analytics.detectors.base import Finding, Scope, evidence
from analytics.events import EventInfo

DETECTOR = ("recalled_lot_sighted", "rules.recalled_lot_sighted", "1")
THRESHOLD = 1.0
_SALE_STEPS = frozenset({"retail_selling", "stocking", "receiving"})
_GONE = frozenset({"recalled", "destroyed", "disposed", "returned", "recalled_goods"})


def detect(scope: Scope) -> list[Finding]:
    threshold = scope.threshold(DETECTOR[1], THRESHOLD)
    recalls = scope.context.recalls
    if not recalls:
        return []
    js = scope.journeys
    hits: dict[str, tuple[list[str], list[EventInfo]]] = defaultdict(lambda: ([], []))
    for obj in [*scope.items, *scope.lots]:
        lot = js.lot(obj)
        declared = recalls.get(lot or "")
        if lot is None or declared is None:
            continue
        sighted = []
        for e in scope.effective(obj):
            if e.time < declared or e.disposition in _GONE:
                continue
            place = scope.place(e.location)
            retail = place is not None and place.kind == "retail"
            if retail or e.biz_step == "retail_selling":
                sighted.append(e)
        if sighted:
            items, events = hits[lot]
            if obj != lot:
                items.append(obj)
            events += sighted
    return [
        evidence(
            DETECTOR,
            1.0,
            threshold,
            lot,
            f"{lot} was recalled but {len(items) or 'the lot'} item(s) were seen at retail "
            f"afterwards ({len(events)} sighting(s))",
            ("sightings_after_recall", float(len(events)), "count"),
            events,
            epcs=items,
            lots=[lot],
        )
        for lot, (items, events) in hits.items()
    ]
