"""Tampered attribute: an event whose attributes contradict the rest of the record — a
business location at another site than the read point that read it, a receipt at another
(authorised) place than the one the goods were shipped to, or a lot number other than the one
the item was commissioned with.

A missed read can make an item's previous event an older shipment, so a receipt counts as
contradicting only when most of the items it names were last shipped elsewhere."""

from __future__ import annotations

from itertools import pairwise

from analytics.detectors.base import Finding, Scope, evidence, items_of, site
from analytics.events import EventInfo
from analytics.identifiers import gtin_of

DETECTOR = ("tampered_attribute", "rules.tampered_attribute", "2")
THRESHOLD = 1.0


def _destinations(e: EventInfo) -> set[str]:
    return {v for t, v in e.destinations if t == "location"}


def _authorised(scope: Scope, item: str, location: str | None) -> bool:
    route = scope.route(item)
    place = scope.place(location)
    if route is None or not route.authorised_parties or place is None:
        return True
    return place.party in route.authorised_parties


def _previous(scope: Scope, item: str, event: EventInfo) -> EventInfo | None:
    before = None
    for e in scope.path(item):
        if e.idx == event.idx:
            return before
        before = e
    return None


def _misdirected(scope: Scope, receipt: EventInfo, cache: dict[int, float]) -> float:
    """Share of the receipt's items whose previous event shipped them elsewhere."""
    share = cache.get(receipt.idx)
    if share is None:
        items = items_of(receipt) or list(receipt.objects)
        votes = 0
        for item in items[:24]:
            a = _previous(scope, item, receipt)
            targets = _destinations(a) if a is not None and a.biz_step == "shipping" else set()
            if targets and receipt.location not in targets and receipt.location != a.location:  # type: ignore[union-attr]
                votes += 1
        share = cache[receipt.idx] = votes / max(1, min(len(items), 24))
    return share


def detect(scope: Scope) -> list[Finding]:
    threshold = scope.threshold(DETECTOR[1], THRESHOLD)
    js = scope.journeys
    cache: dict[int, float] = {}
    found: list[Finding] = []
    for item in scope.items:
        journey = scope.path(item)
        bad: list[tuple[str, EventInfo, EventInfo | None]] = []
        for e in journey:
            read_at = site(e.read_point)
            if read_at and e.location and site(e.location) != read_at:
                bad.append((f"read at {e.read_point} but recorded at {e.location}", e, None))
        for a, b in pairwise(journey):
            targets = _destinations(a)
            if (
                a.biz_step == "shipping"
                and b.biz_step == "receiving"
                and targets
                and b.location not in targets
                and b.location != a.location
                and scope.place(b.location) is not None
                and _authorised(scope, item, b.location)
                and _misdirected(scope, b, cache) >= 0.5
            ):
                bad.append((f"received at {b.location}, shipped to {min(targets)}", b, a))
        lot = js.lot(item)
        gtin = gtin_of(item)
        if lot is not None:
            for e in journey:
                other = e.lot if e.lot and e.lot != lot else None
                other = other or next(
                    (c for c in e.classes if gtin_of(c) == gtin and c != lot), None
                )
                if other and e.idx != js.commissioned.get(item):
                    bad.append((f"lot {other} on an event of an item of lot {lot}", e, None))
        if not bad:
            continue
        reason = bad[0][0]
        found.append(
            evidence(
                DETECTOR,
                len(bad),
                threshold,
                item,
                f"{item}: {reason}; {len(bad)} contradicting attribute(s)",
                ("contradictions", float(len(bad)), "count"),
                [x for _, e, b in bad for x in (e, b) if x is not None],
                epcs=[item],
                lots=[lot] if lot else [],
            )
        )
    return found
