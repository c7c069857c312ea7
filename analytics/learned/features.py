"""Journey features for the outlier model: one row per item."""

from __future__ import annotations

from collections.abc import Sequence
from itertools import pairwise

import numpy as np

from analytics.context import Context
from analytics.detectors.base import collapse, path_events
from analytics.detectors.temperature import degree_hours
from analytics.geo import haversine_km
from analytics.identifiers import gtin_of
from analytics.journeys import JourneySet

__all__ = ["FEATURES", "journey_features"]

FEATURES = (
    "max_speed_kmh",
    "max_dwell_h",
    "degree_hours",
    "revisits",
    "places",
    "events",
    "duration_h",
)


def journey_features(journeys: JourneySet, context: Context, items: Sequence[str]) -> np.ndarray:
    """A float matrix, one row per item, columns :data:`FEATURES`."""
    rows = np.zeros((len(items), len(FEATURES)), dtype=float)
    for n, item in enumerate(items):
        journey = path_events(journeys.effective(item))
        if not journey:
            continue
        product = context.products.get(gtin_of(item) or "")
        speed = dwell = dh = 0.0
        since = journey[0].time
        for a, b in pairwise(journey):
            if a.location != b.location:
                dwell = max(dwell, (a.time - since) / 3600)
                since = b.time
                pa, pb = context.places.get(a.location or ""), context.places.get(b.location or "")
                if pa and pb and None not in (pa.latitude, pa.longitude, pb.latitude, pb.longitude):
                    km = haversine_km(pa.latitude, pa.longitude, pb.latitude, pb.longitude)  # type: ignore[arg-type]
                    speed = max(speed, km / max((b.time - a.time) / 3600, 1 / 60))
        dwell = max(dwell, (journey[-1].time - since) / 3600)
        if product is not None:
            dh = sum(degree_hours(e, product.temp_min_c, product.temp_max_c) for e in journey)
        places = [e.location for e in collapse(journey) if e.location]
        revisits = sum(1 for i, p in enumerate(places) if p in places[: max(0, i - 1)])
        rows[n] = (
            speed,
            dwell,
            dh,
            revisits,
            len(set(places)),
            len(journey),
            (journey[-1].time - journey[0].time) / 3600,
        )
    return rows
