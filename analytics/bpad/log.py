"""Labelled event logs of the BPAD protocol: 5,000 cases, anomaly share p, 1–4 attributes.

:func:`generate_log` draws the P2P model from ``seed`` (so every log of one seed shares its
process model, as in the benchmark), the attribute model from ``(seed, num_attr)``, simulates
``size`` cases, and turns ``round(anomaly_p · size)`` randomly chosen cases into anomalies of
uniformly drawn types. :func:`protocol_logs` lists the 36 (anomaly_p, num_attr) pairs of the
protocol: p ∈ {0.05, 0.10, …, 0.45} × num_attr ∈ {1, 2, 3, 4}.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import numpy as np

from analytics.bpad.anomalies import ANOMALY_TYPES, Case, inject
from analytics.bpad.attributes import AttributeModel, attribute_model
from analytics.bpad.model import ProcessModel, p2p_model

__all__ = ["PROTOCOL_P", "EventLog", "generate_log", "protocol_logs"]

PROTOCOL_P = (0.05, 0.10, 0.15, 0.20, 0.25, 0.30, 0.35, 0.40, 0.45)
SEED = 1337


@dataclass(frozen=True)
class EventLog:
    """A generated log and what made it."""

    name: str
    cases: tuple[Case, ...]
    model: ProcessModel
    attributes: AttributeModel
    anomaly_p: float
    num_attr: int
    seed: int

    @property
    def labels(self) -> np.ndarray:
        """1 for an anomalous case, 0 for a normal one (trace level)."""
        return np.array([case.anomaly is not None for case in self.cases], dtype=np.int8)

    def anomaly_counts(self) -> dict[str, int]:
        counts = Counter(case.anomaly for case in self.cases if case.anomaly is not None)
        return {kind: counts.get(kind, 0) for kind in ANOMALY_TYPES}


def generate_log(
    *,
    anomaly_p: float,
    num_attr: int,
    size: int = 5000,
    seed: int = SEED,
) -> EventLog:
    """One labelled log of the protocol."""
    if not 0.0 <= anomaly_p < 1.0:
        raise ValueError(f"anomaly_p {anomaly_p} is not in [0, 1)")
    if not 0 <= num_attr <= 8:
        raise ValueError(f"num_attr {num_attr} is not in 0…8")
    model = p2p_model(np.random.default_rng(seed))
    language = model.language()
    attributes = attribute_model(
        model.activities, num_attr, np.random.default_rng([seed, num_attr])
    )
    rng = np.random.default_rng([seed, num_attr, round(anomaly_p * 1000), size])
    cases: list[Case] = []
    for _ in range(size):
        activities = model.simulate(rng)
        values: list[tuple[str, ...]] = []
        for activity in activities:
            values.append(attributes.draw(activity, values[-1] if values else None, rng))
        cases.append(Case(tuple(activities), tuple(values)))
    chosen = rng.choice(size, size=round(anomaly_p * size), replace=False)
    for index in chosen:
        kinds = list(rng.permutation(ANOMALY_TYPES))
        for kind in kinds:
            made = inject(
                cases[int(index)],
                str(kind),
                rng,
                activities=model.activities,
                language=language,
                attributes=attributes,
            )
            if made is not None:
                cases[int(index)] = made
                break
        else:  # pragma: no cover - every P2P case admits some anomaly
            raise RuntimeError("no anomaly could be injected")
    name = f"p2p-{anomaly_p:.2f}-{num_attr}"
    return EventLog(name, tuple(cases), model, attributes, anomaly_p, num_attr, seed)


def protocol_logs() -> list[tuple[float, int]]:
    """The 36 (anomaly_p, num_attr) pairs of the protocol, in order."""
    return [(p, n) for n in (1, 2, 3, 4) for p in PROTOCOL_P]
