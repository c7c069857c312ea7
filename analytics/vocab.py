"""CBV vocabulary in its short form: ``urn:epcglobal:cbv:bizstep:shipping``,
``https://ref.gs1.org/cbv/BizStep-shipping``, ``cbv:BizStep-shipping`` and ``shipping`` all
become ``shipping``; likewise dispositions and sensor types."""

from __future__ import annotations

__all__ = ["ANOMALY_TYPES", "short"]

#: The anomaly types of the scenario labels (contract A), in a stable order.
ANOMALY_TYPES = (
    "clone",
    "impossible_travel",
    "skipped_step",
    "out_of_order",
    "inserted_event",
    "replayed_event",
    "tampered_attribute",
    "excessive_dwell",
    "diversion",
    "temperature_excursion",
    "expired_on_sale",
    "recalled_lot_sighted",
    "never_commissioned",
)

_PREFIXES = (
    "urn:epcglobal:cbv:bizstep:",
    "urn:epcglobal:cbv:disp:",
    "https://ref.gs1.org/cbv/BizStep-",
    "https://ref.gs1.org/cbv/Disp-",
    "https://gs1.org/voc/",
    "cbv:BizStep-",
    "cbv:Disp-",
    "gs1:",
)


def short(value: str | None) -> str | None:
    """The short name of a CBV value (unchanged when it is a user vocabulary URI)."""
    if value is None:
        return None
    for prefix in _PREFIXES:
        if value.startswith(prefix):
            return value[len(prefix) :]
    return value
