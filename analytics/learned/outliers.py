"""Isolation forest on journey features (:mod:`analytics.learned.features`). A journey the
forest isolates (decision function below 0 at ``contamination``) becomes a finding whose type
is given by the feature furthest from the training mean."""

from __future__ import annotations

from typing import Any

import numpy as np

from analytics.context import Context
from analytics.detectors.base import Finding, Scope, evidence, path_events
from analytics.journeys import JourneySet
from analytics.learned.features import FEATURES, journey_features

__all__ = ["OutlierModel"]

_TYPE_OF_FEATURE = {
    "max_speed_kmh": "impossible_travel",
    "max_dwell_h": "excessive_dwell",
    "degree_hours": "temperature_excursion",
    "revisits": "clone",
    "places": "diversion",
    "events": "inserted_event",
    "duration_h": "excessive_dwell",
}


class OutlierModel:
    """An isolation forest over journeys (scikit-learn)."""

    name = "learned.isolation_forest"
    version = "1"

    def __init__(self, contamination: float = 0.005, seed: int = 1337) -> None:
        self.contamination = contamination
        self.seed = seed
        self.forest: Any = None
        self.mean = np.zeros(len(FEATURES))
        self.std = np.ones(len(FEATURES))

    def fit(self, journeys: JourneySet, context: Context) -> OutlierModel:
        from sklearn.ensemble import IsolationForest  # type: ignore[import-untyped]

        items = journeys.items()
        x = journey_features(journeys, context, items)
        self.mean = x.mean(axis=0) if len(x) else self.mean
        self.std = x.std(axis=0) + 1e-9 if len(x) else self.std
        self.forest = IsolationForest(
            n_estimators=100, contamination=self.contamination, random_state=self.seed
        ).fit(x if len(x) else np.zeros((1, len(FEATURES))))
        return self

    def detect(self, scope: Scope) -> list[Finding]:
        if self.forest is None or not scope.items:
            return []
        items = list(scope.items)
        x = journey_features(scope.journeys, scope.context, items)
        scores = -self.forest.decision_function(x)
        z = (x - self.mean) / self.std
        found: list[Finding] = []
        for n, item in enumerate(items):
            if scores[n] <= 0:
                continue
            feature = FEATURES[int(np.argmax(np.abs(z[n])))]
            kind = _TYPE_OF_FEATURE[feature]
            journey = path_events(scope.effective(item))
            lot = scope.journeys.lot(item)
            found.append(
                evidence(
                    (kind, self.name, self.version),
                    float(scores[n]),
                    0.0,
                    item,
                    f"{item}: its journey is an outlier among this history's "
                    f"({feature} = {x[n][FEATURES.index(feature)]:.1f}, "
                    f"{z[n][FEATURES.index(feature)]:+.1f} standard deviations)",
                    (feature, round(float(x[n][FEATURES.index(feature)]), 2), "1"),
                    journey[:1],
                    epcs=[item],
                    lots=[lot] if lot else [],
                )
            )
        return found
