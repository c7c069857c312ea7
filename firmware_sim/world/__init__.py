"""The supply-chain world simulator: ``foodtrace scenario generate`` and ``load`` (issue #5).

A seeded, realistic food chain around Hangzhou written as EPCIS 2.0 documents, master data,
expected routes, recalls and anomaly labels (the scenario directory of contract A).

Modules: ``geo`` (distances, transit model), ``ids`` (GS1 identifiers), ``products`` (product
lines and recipes), ``masterdata`` (parties, locations), ``routes`` (expected processes,
``routes.json``), ``events`` (event emission), ``chain`` (one harvest-to-shop journey),
``anomalies`` (injectors, one module per family), ``readrate`` (missed reads), ``writer``
(ordered streaming output), ``generator``, ``loader`` (:func:`load_scenario`), ``feed`` (into the
service: database or MQTT), ``cli``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from firmware_sim.world.generator import generate
    from firmware_sim.world.loader import Label, Scenario, load_scenario

__all__ = ["Label", "Scenario", "generate", "load_scenario"]


def __getattr__(name: str) -> Any:
    # Lazy, so that ``foodtrace --help`` (which imports the cli module) stays cheap.
    if name == "generate":
        from firmware_sim.world.generator import generate

        return generate
    if name in ("Label", "Scenario", "load_scenario"):
        from firmware_sim.world import loader

        return getattr(loader, name)
    raise AttributeError(name)
