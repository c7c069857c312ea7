"""Expired on sale: an item sold or on a shop's shelf after the end of its shelf life — the
lot's expiry date (ILMD best-before, use-by …) or commissioning + the product's shelf life.
Score: the share of the shelf life used at the sighting (≥ 1: expired).

The explanation also gives the remaining shelf life by temperature history: every hour above
the product's maximum temperature ages it Q10^((T − Tmax)/10) hours (Q10 = 2), which the
date on the pack does not show (a cold-chain break is the temperature detector's warning)."""

from __future__ import annotations

from datetime import UTC, datetime

from analytics.detectors.base import Finding, Scope, evidence
from analytics.events import EventInfo
from analytics.identifiers import gtin_of

DETECTOR = ("expired_on_sale", "rules.expired_on_sale", "1")
THRESHOLD = 1.0
Q10 = 2.0
_RETAIL_STEPS = frozenset({"retail_selling", "stocking"})


def extra_ageing_hours(readings: list[EventInfo], high: float | None, until: float) -> float:
    """Hours of shelf life lost, beyond the hours elapsed, to storage above ``high``."""
    if high is None:
        return 0.0
    lost = 0.0
    for e in readings:
        for r in e.readings:
            if r.start > until or r.mean is None or r.mean <= high:
                continue
            hours = (min(r.end, until) - r.start) / 3600 or 0.25
            lost += hours * (Q10 ** ((r.mean - high) / 10) - 1)
    return lost


def detect(scope: Scope) -> list[Finding]:
    threshold = scope.threshold(DETECTOR[1], THRESHOLD)
    js = scope.journeys
    best: dict[str, tuple[float, float, list[str], list[EventInfo], float]] = {}
    for item in scope.items:
        product = scope.context.products.get(gtin_of(item) or "")
        journey = scope.effective(item)
        if not journey:
            continue
        made = js.commissioned.get(item)
        start_event = js.events[made] if made is not None else journey[0]
        start = start_event.time
        expiry = start_event.expiry
        if expiry is None and product is not None and product.shelf_life_days:
            expiry = start + product.shelf_life_days * 86400
        if expiry is None or expiry <= start:
            continue
        readings = [e for e in journey if e.readings]
        high = product.temp_max_c if product else None
        score = 0.0
        q10_used = 0.0
        at: EventInfo | None = None
        life_h = (expiry - start) / 3600
        for e in journey:
            place = scope.place(e.location)
            if e.biz_step not in _RETAIL_STEPS and (place is None or place.kind != "retail"):
                continue
            used = (e.time - start) / 3600 / life_h
            if used > score:
                score, at = used, e
                q10_used = used + extra_ageing_hours(readings, high, e.time) / life_h
        if at is None or score < threshold * 0.9:
            continue
        subject = scope.lot(item) or item
        prev = best.get(subject)
        if prev is None or score > prev[0]:
            items = [*(prev[2] if prev else []), item]
            best[subject] = (score, q10_used, items, [at], expiry)
        else:
            prev[2].append(item)
    found: list[Finding] = []
    for subject, (score, q10_used, items, events, expiry) in best.items():
        ends = datetime.fromtimestamp(expiry, UTC).isoformat(timespec="minutes")
        found.append(
            evidence(
                DETECTOR,
                score,
                threshold,
                subject,
                f"{len(items)} item(s) of {subject} on sale at {events[0].location} "
                f"{(events[0].time - expiry) / 3600:+.0f} h after the end of their shelf life "
                f"({ends}); {score:.0%} of it used by date, {q10_used:.0%} by temperature "
                f"history (Q10 = {Q10:g})",
                ("shelf_life_used", round(score, 3), "1"),
                events,
                epcs=items,
                lots=[subject] if "/10/" in subject else [],
            )
        )
    return found
