"""How serious each anomaly type is, modelled on RASFF notification classes (alert /
information for follow-up / for attention) and recall levels I (health hazard, to consumer
level) / II (to retail level) / III (to wholesale level), and what to do about it."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["SEVERITIES", "Severity", "severity_of"]

SEVERITIES = ("alert", "information_follow_up", "attention")


@dataclass(frozen=True, slots=True)
class Severity:
    severity: str
    recall_level: str | None
    action: str


_TABLE: dict[str, Severity] = {
    "recalled_lot_sighted": Severity(
        "alert", "I", "Withdraw the lot from sale at once and check every holder of the recall."
    ),
    "temperature_excursion": Severity(
        "alert", "II", "Hold the lot, assess the cold-chain break and withdraw it if unsafe."
    ),
    "expired_on_sale": Severity(
        "alert", "II", "Remove the expired items from the shelves and check stock rotation."
    ),
    "never_commissioned": Severity(
        "alert", "II", "Quarantine the item: possible counterfeit; inspect the seller's supply."
    ),
    "clone": Severity(
        "alert", "III", "Quarantine both copies of the EPC and inspect the tags (counterfeit)."
    ),
    "diversion": Severity(
        "information_follow_up", "III", "Ask the brand owner whether the party was authorised."
    ),
    "tampered_attribute": Severity(
        "information_follow_up", None, "Check the station's records against the documents."
    ),
    "impossible_travel": Severity(
        "information_follow_up", None, "Check the read points' clocks and the tags' identity."
    ),
    "replayed_event": Severity(
        "information_follow_up", None, "Check the station and its credentials (replay)."
    ),
    "inserted_event": Severity(
        "information_follow_up", None, "Check who captured the event and revoke if forged."
    ),
    "skipped_step": Severity("attention", None, "Ask the operator to document the missing step."),
    "out_of_order": Severity("attention", None, "Check the stations' clocks and procedures."),
    "excessive_dwell": Severity("attention", None, "Check the stock's condition and shelf life."),
}

_DEFAULT = Severity("attention", None, "Review the evidence.")


def severity_of(anomaly_type: str) -> Severity:
    """The severity, recall level and recommended action of an anomaly type."""
    return _TABLE.get(anomaly_type, _DEFAULT)
