"""The status workflow of a warning: open → acknowledged → confirmed / false_alarm → closed
(a warning can also be closed at once, e.g. a duplicate). Closed is final."""

from __future__ import annotations

from analytics.exceptions import WarningTransitionError

__all__ = ["STATUSES", "TRANSITIONS", "check_transition"]

STATUSES = ("open", "acknowledged", "confirmed", "false_alarm", "closed")

TRANSITIONS: dict[str, frozenset[str]] = {
    "open": frozenset({"acknowledged", "confirmed", "false_alarm", "closed"}),
    "acknowledged": frozenset({"confirmed", "false_alarm", "closed"}),
    "confirmed": frozenset({"closed"}),
    "false_alarm": frozenset({"closed"}),
    "closed": frozenset(),
}


def check_transition(current: str, new: str) -> None:
    """Raise :class:`WarningTransitionError` unless ``current`` → ``new`` is allowed."""
    if new not in STATUSES:
        raise WarningTransitionError(f"unknown status {new!r} (one of {', '.join(STATUSES)})")
    if new not in TRANSITIONS.get(current, frozenset()):
        allowed = ", ".join(sorted(TRANSITIONS.get(current, ()))) or "none (final)"
        raise WarningTransitionError(
            f"a warning that is {current} cannot become {new} (allowed: {allowed})"
        )
