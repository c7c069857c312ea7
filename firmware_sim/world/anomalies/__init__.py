"""Anomaly injectors, one module per family, and the ``--anomalies`` specification.

Every type of contract A has an injector ``(unit, context, rng) → (epcs, lots, events, params)``
that changes the unit's events and returns what constitutes the anomaly; :func:`inject` turns
that into a :class:`Label` and marks the events as evidence (exempt from missed reads, so every
label's events exist in the output).

A rate is the expected number of anomalies of that type **per genuine case EPC** (the number per
unit is Poisson distributed; an injector that finds no free place in a unit skips it, so the
realised count is in ``scenario.json``). ``--anomalies default`` is :data:`DEFAULT_RATES`;
``none`` or an empty string injects nothing; ``clone=0.002,impossible_travel=0.001`` sets those
types and leaves the others at zero; ``default,clone=0.01`` starts from the defaults.
"""

from __future__ import annotations

import random
from collections.abc import Iterator, Mapping

from firmware_sim.exceptions import ScenarioError
from firmware_sim.world.anomalies import coldchain, identity, movement, process, shelf
from firmware_sim.world.anomalies.base import Context, Injector, Label, label_events, poisson
from firmware_sim.world.chain import Unit

__all__ = [
    "ANOMALY_TYPES",
    "DEFAULT_RATES",
    "Context",
    "Label",
    "LabelCounter",
    "inject",
    "parse_spec",
]

#: Injection order: the recall first (it claims whole lots), then pallet-level changes.
INJECTORS: dict[str, Injector] = {
    "recalled_lot_sighted": shelf.recalled_lot_sighted,
    "clone": identity.clone,
    "never_commissioned": identity.never_commissioned,
    "impossible_travel": movement.impossible_travel,
    "diversion": movement.diversion,
    "excessive_dwell": movement.excessive_dwell,
    "skipped_step": process.skipped_step,
    "out_of_order": process.out_of_order,
    "inserted_event": process.inserted_event,
    "replayed_event": process.replayed_event,
    "tampered_attribute": process.tampered_attribute,
    "temperature_excursion": coldchain.temperature_excursion,
    "expired_on_sale": shelf.expired_on_sale,
}
ANOMALY_TYPES: tuple[str, ...] = (
    "clone", "impossible_travel", "skipped_step", "out_of_order", "inserted_event",
    "replayed_event", "tampered_attribute", "excessive_dwell", "diversion",
    "temperature_excursion", "expired_on_sale", "recalled_lot_sighted", "never_commissioned",
)  # fmt: skip
DEFAULT_RATES: Mapping[str, float] = dict.fromkeys(ANOMALY_TYPES, 0.001)


def parse_spec(spec: str) -> dict[str, float]:
    """``--anomalies`` → a rate for every type (see the module docstring)."""
    rates = dict.fromkeys(ANOMALY_TYPES, 0.0)
    for part in (p.strip() for p in spec.split(",")):
        if not part or part == "none":
            continue
        if part == "default":
            rates.update(DEFAULT_RATES)
            continue
        name, sep, value = part.partition("=")
        name = name.strip()
        if not sep or name not in rates:
            known = ", ".join(ANOMALY_TYPES)
            raise ScenarioError(f"--anomalies: {part!r} is not TYPE=RATE (types: {known})")
        try:
            rate = float(value)
        except ValueError:
            raise ScenarioError(f"--anomalies: rate of {name} is not a number: {value!r}") from None
        if not 0.0 <= rate <= 1.0:
            raise ScenarioError(f"--anomalies: rate of {name} must be within 0..1, got {rate}")
        rates[name] = rate
    return rates


class LabelCounter:
    """Sequential label IDs ``A000001`` …"""

    def __init__(self) -> None:
        self.n = 0

    def next(self) -> str:
        self.n += 1
        return f"A{self.n:06d}"


def inject(
    unit: Unit,
    ctx: Context,
    rates: Mapping[str, float],
    counter: LabelCounter,
    rng: random.Random,
) -> Iterator[Label]:
    """Inject anomalies into one unit; yields their labels."""
    cases = unit.case_count
    for name, injector in INJECTORS.items():
        rate = rates.get(name, 0.0)
        if rate <= 0.0:
            continue
        for _ in range(min(3, poisson(rng, rate * cases))):
            found = injector(unit, ctx, rng)
            if found is None:
                break
            epcs, lots, events, params = found
            yield Label(counter.next(), name, list(epcs), list(lots), label_events(events), params)
