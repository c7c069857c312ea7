"""Rule detectors, one module per anomaly type of the scenario labels (contract A).

Each module has ``DETECTOR`` (type, name, version), a default threshold and
``detect(scope) -> list[Finding]``. :data:`RULES` lists them in a stable order.
"""

from __future__ import annotations

from collections.abc import Callable
from types import ModuleType

from analytics.detectors import (
    clone,
    commissioning,
    diversion,
    dwell,
    expiry,
    inserted,
    order,
    recalled,
    replay,
    skipped,
    tampered,
    temperature,
    travel,
)
from analytics.detectors.base import Finding, Scope

__all__ = ["RULES", "Detect", "Finding", "Scope"]

Detect = Callable[[Scope], list[Finding]]

RULES: tuple[ModuleType, ...] = (
    clone,
    travel,
    skipped,
    order,
    inserted,
    replay,
    tampered,
    dwell,
    diversion,
    temperature,
    expiry,
    recalled,
    commissioning,
)
