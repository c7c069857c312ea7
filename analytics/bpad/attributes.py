"""Event attributes of the benchmark logs: categorical values that depend on the activity.

Each of the ``num_attr`` attributes has a domain of 10–30 values. Every activity uses a small
support (2–5 values) of each attribute's domain, with weights 1…5. With probability
``attribute_dependency_p`` the value also depends on the previous event's value of the same
attribute (one support value is favoured ten-fold per previous value), the "attribute dependency"
of the PLG2/BINet generators. A value outside an activity's support is what the Attribute anomaly
injects.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = ["AttributeModel", "attribute_model"]


@dataclass
class AttributeModel:
    """Supports, weights and dependencies of every (activity, attribute)."""

    names: tuple[str, ...]
    domains: tuple[tuple[str, ...], ...]
    support: dict[tuple[str, int], tuple[str, ...]]
    weights: dict[tuple[str, int], np.ndarray]
    #: (activity, attribute) → previous value → weights over the support
    dependent: dict[tuple[str, int], dict[str, np.ndarray]]

    def draw(
        self, activity: str, previous: tuple[str, ...] | None, rng: np.random.Generator
    ) -> tuple[str, ...]:
        """The attribute values of one event of ``activity`` after an event with ``previous``."""
        values = []
        for j in range(len(self.names)):
            key = (activity, j)
            weights = self.weights[key]
            table = self.dependent.get(key)
            if table is not None and previous is not None:
                weights = table.get(previous[j], weights)
            support = self.support[key]
            values.append(support[int(rng.choice(len(support), p=weights / weights.sum()))])
        return tuple(values)

    def outside_support(self, activity: str, attribute: int) -> tuple[str, ...]:
        """Values of ``attribute`` that ``activity`` never takes."""
        allowed = set(self.support[(activity, attribute)])
        return tuple(v for v in self.domains[attribute] if v not in allowed)


def attribute_model(
    activities: tuple[str, ...],
    num_attr: int,
    rng: np.random.Generator,
    *,
    attribute_dependency_p: float = 0.75,
) -> AttributeModel:
    """Draw the attribute model of ``num_attr`` attributes over ``activities``."""
    names = tuple(f"attr{j + 1}" for j in range(num_attr))
    domains = tuple(
        tuple(f"{name}_v{k:02d}" for k in range(int(rng.integers(10, 31)))) for name in names
    )
    support: dict[tuple[str, int], tuple[str, ...]] = {}
    weights: dict[tuple[str, int], np.ndarray] = {}
    dependent: dict[tuple[str, int], dict[str, np.ndarray]] = {}
    for activity in activities:
        for j, domain in enumerate(domains):
            size = int(rng.integers(2, 6))
            chosen = rng.choice(len(domain), size=size, replace=False)
            key = (activity, j)
            support[key] = tuple(domain[int(i)] for i in sorted(chosen))
            weights[key] = rng.integers(1, 6, size=size).astype(float)
            if rng.random() < attribute_dependency_p:
                table = {}
                for value in domain:
                    boosted = weights[key].copy()
                    boosted[int(rng.integers(size))] *= 10.0
                    table[value] = boosted
                dependent[key] = table
    return AttributeModel(names, domains, support, weights, dependent)
