"""The six anomaly types of the BINet/BPAD protocol, each with the protocol's caps.

* **Skip** — a sequence of at most 2 events is removed.
* **Insert** — at most 2 events of random activities (with normal attribute values) are inserted at
  random positions.
* **Rework** — a sequence of at most 3 events is repeated, the copy inserted at most 5 events
  after the original.
* **Early** / **Late** — a sequence of at most 2 events is moved at most 5 positions earlier /
  later.
* **Attribute** — at most 3 events get, for at most 2 of their attributes, a value the event's
  activity never takes.

A control-flow anomaly whose result is still a trace of the model (skipping an optional step,
say) is no anomaly; such draws are discarded and redrawn, so every label is a real deviation.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from analytics.bpad.attributes import AttributeModel

__all__ = ["ANOMALY_TYPES", "Case", "inject"]

ANOMALY_TYPES = ("skip", "insert", "rework", "early", "late", "attribute")
_ATTEMPTS = 50


@dataclass(frozen=True)
class Case:
    """One trace: activities, attribute values per event, and its label."""

    activities: tuple[str, ...]
    attributes: tuple[tuple[str, ...], ...]
    anomaly: str | None = None
    detail: dict[str, Any] = field(default_factory=dict, compare=False)


@dataclass(frozen=True)
class _Context:
    activities: tuple[str, ...]
    language: frozenset[tuple[str, ...]]
    attributes: AttributeModel


def _skip(case: Case, rng: np.random.Generator, _ctx: _Context) -> Case | None:
    n = len(case.activities)
    size = int(rng.integers(1, 3))
    if n <= size:
        return None
    start = int(rng.integers(0, n - size + 1))
    return Case(
        case.activities[:start] + case.activities[start + size :],
        case.attributes[:start] + case.attributes[start + size :],
        "skip",
        {"start": start, "size": size},
    )


def _insert(case: Case, rng: np.random.Generator, ctx: _Context) -> Case | None:
    activities = list(case.activities)
    attributes = list(case.attributes)
    positions = []
    for _ in range(int(rng.integers(1, 3))):
        activity = ctx.activities[int(rng.integers(len(ctx.activities)))]
        at = int(rng.integers(0, len(activities) + 1))
        previous = attributes[at - 1] if at > 0 else None
        activities.insert(at, activity)
        attributes.insert(at, ctx.attributes.draw(activity, previous, rng))
        positions.append(at)
    return Case(tuple(activities), tuple(attributes), "insert", {"positions": positions})


def _rework(case: Case, rng: np.random.Generator, _ctx: _Context) -> Case | None:
    n = len(case.activities)
    size = int(rng.integers(1, min(3, n) + 1))
    start = int(rng.integers(0, n - size + 1))
    end = start + size
    at = min(end + int(rng.integers(0, 6)), n)
    activities = case.activities[:at] + case.activities[start:end] + case.activities[at:]
    attributes = case.attributes[:at] + case.attributes[start:end] + case.attributes[at:]
    return Case(activities, attributes, "rework", {"start": start, "size": size, "at": at})


def _move(case: Case, rng: np.random.Generator, earlier: bool) -> Case | None:
    n = len(case.activities)
    size = int(rng.integers(1, 3))
    if n <= size:
        return None
    start = int(rng.integers(0, n - size + 1))
    room = start if earlier else n - (start + size)
    if room == 0:
        return None
    shift = int(rng.integers(1, min(5, room) + 1))
    acts = list(case.activities)
    attrs = list(case.attributes)
    moved_a, moved_v = acts[start : start + size], attrs[start : start + size]
    del acts[start : start + size], attrs[start : start + size]
    at = start - shift if earlier else start + shift
    acts[at:at] = moved_a
    attrs[at:at] = moved_v
    kind = "early" if earlier else "late"
    return Case(tuple(acts), tuple(attrs), kind, {"start": start, "size": size, "shift": shift})


def _early(case: Case, rng: np.random.Generator, _ctx: _Context) -> Case | None:
    return _move(case, rng, earlier=True)


def _late(case: Case, rng: np.random.Generator, _ctx: _Context) -> Case | None:
    return _move(case, rng, earlier=False)


def _attribute(case: Case, rng: np.random.Generator, ctx: _Context) -> Case | None:
    n = len(case.activities)
    count = len(ctx.attributes.names)
    if count == 0:
        return None
    events = rng.choice(n, size=min(int(rng.integers(1, 4)), n), replace=False)
    attributes = [list(values) for values in case.attributes]
    changed = []
    for e in sorted(int(i) for i in events):
        for j in rng.choice(count, size=min(int(rng.integers(1, 3)), count), replace=False):
            wrong = ctx.attributes.outside_support(case.activities[e], int(j))
            if wrong:
                attributes[e][int(j)] = wrong[int(rng.integers(len(wrong)))]
                changed.append((e, int(j)))
    if not changed:
        return None
    return Case(
        case.activities,
        tuple(tuple(v) for v in attributes),
        "attribute",
        {"changed": changed},
    )


_INJECTORS: dict[str, Callable[[Case, np.random.Generator, _Context], Case | None]] = {
    "skip": _skip,
    "insert": _insert,
    "rework": _rework,
    "early": _early,
    "late": _late,
    "attribute": _attribute,
}


def inject(
    case: Case,
    kind: str,
    rng: np.random.Generator,
    *,
    activities: tuple[str, ...],
    language: frozenset[tuple[str, ...]],
    attributes: AttributeModel,
) -> Case | None:
    """``case`` with one anomaly of ``kind``, or ``None`` when no draw left the model's language."""
    ctx = _Context(activities, language, attributes)
    injector = _INJECTORS[kind]
    for _ in range(_ATTEMPTS):
        made = injector(case, rng, ctx)
        if made is None:
            continue
        if kind == "attribute" or made.activities not in language:
            return made
    return None
