"""Routes learned from history, for products without a contracted route: the longest step
sequence that at least 1 % of the product's items follow, dwell limits per kind of place
(99th percentile × 1.5) and the parties and countries that handle the product regularly
(≥ 1 % of its items)."""

from __future__ import annotations

from collections import Counter, defaultdict

from analytics.context import Context, Route
from analytics.detectors.base import collapse, path_events
from analytics.identifiers import gtin_of
from analytics.journeys import JourneySet

__all__ = ["learn_routes"]

_SHARE = 0.01


def _quantile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def learn_routes(journeys: JourneySet, context: Context, min_items: int = 20) -> dict[str, Route]:
    """Routes for the GTINs that have none in ``context`` and at least ``min_items`` items."""
    by_gtin: dict[str, list[str]] = defaultdict(list)
    for item in journeys.items():
        gtin = gtin_of(item)
        if gtin and gtin not in context.routes:
            by_gtin[gtin].append(item)
    learned: dict[str, Route] = {}
    for gtin, items in by_gtin.items():
        if len(items) < min_items:
            continue
        sequences: Counter[tuple[str, ...]] = Counter()
        dwell: dict[str, list[float]] = defaultdict(list)
        parties: Counter[str] = Counter()
        countries: Counter[str] = Counter()
        for item in items:
            journey = path_events(journeys.effective(item))
            sequences[tuple(e.biz_step or "" for e in collapse(journey))] += 1
            seen_parties: set[str] = set()
            seen_countries: set[str] = set()
            start = None
            for a, b in zip(journey, [*journey[1:], None], strict=True):
                place = context.places.get(a.location or "")
                if place is not None:
                    if place.party:
                        seen_parties.add(place.party)
                    if place.country:
                        seen_countries.add(place.country)
                start = a.time if start is None else start
                if b is None or b.location != a.location:
                    if place is not None and place.kind:
                        dwell[place.kind].append((a.time - start) / 3600)
                    start = None
            parties.update(seen_parties)
            countries.update(seen_countries)
        floor = max(2, int(_SHARE * len(items)))
        common: list[tuple[str, ...]] = [s for s, n in sequences.items() if n >= floor]
        ranked = sorted(common or list(sequences), key=lambda q: (len(q), sequences[q]))
        steps = list(ranked[-1])
        learned[gtin] = Route(
            steps=steps,
            dwell_hours={k: (0.0, max(1.0, _quantile(v, 0.99) * 1.5)) for k, v in dwell.items()},
            authorised_parties=frozenset(p for p, n in parties.items() if n >= floor),
            countries=frozenset(c for c, n in countries.items() if n >= floor),
            learned=True,
        )
    return learned
