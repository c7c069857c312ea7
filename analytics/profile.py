"""Routes learned from history, for products without a contracted route: the longest of the
frequent step sequences (followed by ≥ 1 % of the product's items and ≥ 20 % as many as the
commonest one), with the usual kind of place of each step; dwell limits per kind of place
(99th percentile × 1.5); and the parties and countries that handle the product regularly
(≥ 3 % of its items: a diverted pallet or two stay below that, a partner does not)."""

from __future__ import annotations

from collections import Counter, defaultdict

from analytics.context import Context, Route
from analytics.detectors.base import collapse, path_events
from analytics.identifiers import gtin_of
from analytics.journeys import JourneySet

__all__ = ["learn_routes"]

_SHARE = 0.01
#: A sequence is frequent when at least this share of the commonest one's items follow it.
_FREQUENT = 0.2
#: A party (or country) handling at least this share of a product's items is a partner.
_PARTNER_SHARE = 0.03


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
        kinds: dict[tuple[str, ...], list[Counter[str]]] = {}
        dwell: dict[str, list[float]] = defaultdict(list)
        parties: Counter[str] = Counter()
        countries: Counter[str] = Counter()
        for item in items:
            journey = path_events(journeys.effective(item), item)
            visits = collapse(journey)
            sequence = tuple(e.biz_step or "" for e in visits)
            sequences[sequence] += 1
            per_step = kinds.setdefault(sequence, [Counter() for _ in sequence])
            for counter, e in zip(per_step, visits, strict=True):
                place = context.places.get(e.location or "")
                if place is not None and place.kind:
                    counter[place.kind] += 1
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
        regular = max(2, int(_PARTNER_SHARE * len(items)))
        # the longest of the frequent sequences: missed reads shorten journeys, an anomaly on
        # one pallet lengthens a few of them
        top = max(sequences.values())
        common: list[tuple[str, ...]] = [
            s for s, n in sequences.items() if n >= max(floor, _FREQUENT * top)
        ]
        ranked = sorted(common or list(sequences), key=lambda q: (len(q), sequences[q]))
        steps = list(ranked[-1])
        learned[gtin] = Route(
            steps=steps,
            kinds=[c.most_common(1)[0][0] if c else None for c in kinds[ranked[-1]]],
            dwell_hours={k: (0.0, max(1.0, _quantile(v, 0.99) * 1.5)) for k, v in dwell.items()},
            authorised_parties=frozenset(p for p, n in parties.items() if n >= regular),
            countries=frozenset(c for c, n in countries.items() if n >= regular),
            learned=True,
        )
    return learned
