"""Skipped step: a step of the product's route that an item's journey passes over (between
two steps it did do). A missed read looks the same for one item, so the step counts as
skipped only when the items that travelled with it (named by the same event after the gap)
lack it as well; the score is how many of them lack it."""

from __future__ import annotations

from itertools import pairwise

from analytics.detectors.base import (
    Finding,
    Scope,
    align,
    collapse,
    evidence,
    peers,
    route_tokens,
    tokens,
)
from analytics.events import EventInfo

DETECTOR = ("skipped_step", "rules.skipped_step", "1")
THRESHOLD = 5.0  # items lacking the step: at read rate 0.66, 4 companions all missing a read ≈ 1 %
_PEERS = 24


def _has_step(scope: Scope, item: str, step: str, start: float, end: float) -> bool:
    return any(e.biz_step == step and start <= e.time <= end for e in scope.effective(item))


def detect(scope: Scope) -> list[Finding]:
    threshold = scope.threshold(DETECTOR[1], THRESHOLD)
    found: list[Finding] = []
    for item in scope.items:
        route = scope.route(item)
        if route is None or len(route.steps) < 3:
            continue
        journey = collapse(scope.path(item))
        positions, _ = align(route_tokens(route), tokens(scope, journey))
        placed = [(p, e) for p, e in zip(positions, journey, strict=True) if p >= 0]
        best: tuple[int, str, EventInfo, EventInfo] | None = None
        for (p1, e1), (p2, e2) in pairwise(placed):
            for missing in route.steps[p1 + 1 : p2]:
                if missing in (e1.biz_step, e2.biz_step):
                    continue
                others = list(dict.fromkeys(peers(e1, item) + peers(e2, item)))[:_PEERS]
                if any(_has_step(scope, p, missing, e1.time, e2.time) for p in others):
                    continue  # the others did it: this item's read was missed
                score = 1 + len(others)
                if best is None or score > best[0]:
                    best = (score, missing, e1, e2)
        if best is None:
            continue
        score, missing, e1, e2 = best
        lot = scope.lot(item)
        found.append(
            evidence(
                DETECTOR,
                score,
                threshold,
                item,
                f"{item} went from {e1.biz_step} to {e2.biz_step} without {missing}, which its "
                f"route requires; {score - 1} item(s) travelling with it lack it too",
                ("items_without_step", score, "count"),
                [e1, e2],
                epcs=[item],
                lots=[lot] if lot else [],
            )
        )
    return found
