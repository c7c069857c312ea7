"""EPCIS 2.0 query schedules (``{"second", "minute", "hour", "dayOfMonth", "month",
"dayOfWeek"}``) and the next time one fires, in UTC.

Each field is a comma-separated list of elements; an element is a number, a range ``[a-b]``
(the standard's form; ``a-b`` is accepted too), or a step ``a/n`` or ``*/n`` (every ``n`` from
``a``, as in the binding's example ``"0/30"``). ``dayOfWeek`` runs 1 (Monday) to 7 (Sunday).

An omitted field finer than the finest given one is its minimum, an omitted coarser field
(and an omitted ``dayOfWeek``) matches every value: ``{"hour": "1", "minute": "5"}`` fires
daily at 01:05:00 (not 60 times that minute), ``{"minute": "5"}`` hourly at hh:05:00,
``{"second": "0/30"}`` twice a minute.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from trace_api.exceptions import SubscriptionError

__all__ = ["FIELDS", "Schedule", "parse_schedule"]

#: Field name → (lowest, highest), finest first.
FIELDS: dict[str, tuple[int, int]] = {
    "second": (0, 59),
    "minute": (0, 59),
    "hour": (0, 23),
    "dayOfMonth": (1, 31),
    "month": (1, 12),
    "dayOfWeek": (1, 7),
}
#: How fine each field is; an omitted field finer than every given one is its minimum (an
#: omitted ``dayOfWeek`` always matches every day).
_LEVEL = {"second": 0, "minute": 1, "hour": 2, "dayOfMonth": 3, "dayOfWeek": 3, "month": 4}
_NUMBER = r"\d{1,2}"
_ELEMENT = re.compile(
    rf"(?P<single>{_NUMBER})|\[?(?P<low>{_NUMBER})-(?P<high>{_NUMBER})\]?"
    rf"|(?P<start>{_NUMBER}|\*)/(?P<step>{_NUMBER})|(?P<any>\*)"
)
_HORIZON_DAYS = 366 * 8  # long enough for 29 February on a given weekday


@dataclass(frozen=True, slots=True)
class Schedule:
    """The values each field matches."""

    second: frozenset[int]
    minute: frozenset[int]
    hour: frozenset[int]
    day_of_month: frozenset[int]
    month: frozenset[int]
    day_of_week: frozenset[int]

    def next_after(self, after: datetime) -> datetime:
        """The first firing time strictly after ``after`` (UTC)."""
        start = after.astimezone(UTC).replace(microsecond=0) + timedelta(seconds=1)
        day = start.replace(hour=0, minute=0, second=0)
        for _ in range(_HORIZON_DAYS):
            if (
                day.month in self.month
                and day.day in self.day_of_month
                and day.isoweekday() in self.day_of_week
            ):
                for hour in sorted(self.hour):
                    for minute in sorted(self.minute):
                        for second in sorted(self.second):
                            candidate = day.replace(hour=hour, minute=minute, second=second)
                            if candidate >= start:
                                return candidate
            day += timedelta(days=1)
        raise SubscriptionError("the schedule never fires")


def _values(name: str, text: str) -> frozenset[int]:
    low, high = FIELDS[name]
    found: set[int] = set()
    for element in text.replace(" ", "").split(","):
        match = _ELEMENT.fullmatch(element)
        if match is None:
            raise SubscriptionError(f"schedule.{name}: {element[:20]!r} is not a number or range")
        if match["any"]:
            found.update(range(low, high + 1))
            continue
        if match["single"]:
            first = last = int(match["single"])
            step = 1
        elif match["low"]:
            first, last, step = int(match["low"]), int(match["high"]), 1
        else:
            first = low if match["start"] == "*" else int(match["start"])
            last, step = high, int(match["step"])
            if step == 0:
                raise SubscriptionError(f"schedule.{name}: a step of 0")
        if not low <= first <= last <= high:
            raise SubscriptionError(f"schedule.{name}: {element!r} is outside {low} to {high}")
        found.update(range(first, last + 1, step))
    return frozenset(found)


def parse_schedule(schedule: object) -> Schedule:
    """Check a ``schedule`` object of a subscription request; a :class:`SubscriptionError`
    names the field at fault."""
    if not isinstance(schedule, dict) or not schedule:
        raise SubscriptionError("schedule: expected an object with at least one field")
    unknown = set(schedule) - set(FIELDS)
    if unknown:
        raise SubscriptionError(f"schedule: unknown field {sorted(unknown)[0][:40]!r}")
    finest = min(_LEVEL[name] for name in schedule)
    values: dict[str, frozenset[int]] = {}
    for name, (low, high) in FIELDS.items():
        raw = schedule.get(name)
        if raw is None:
            at_minimum = _LEVEL[name] < finest and name != "dayOfWeek"
            values[name] = frozenset({low} if at_minimum else range(low, high + 1))
            continue
        if isinstance(raw, bool) or not isinstance(raw, str | int) or len(str(raw)) > 200:
            raise SubscriptionError(f"schedule.{name}: expected a string such as '5' or '[1-5]'")
        values[name] = _values(name, str(raw))
    parsed = Schedule(
        values["second"],
        values["minute"],
        values["hour"],
        values["dayOfMonth"],
        values["month"],
        values["dayOfWeek"],
    )
    parsed.next_after(datetime(2000, 1, 1, tzinfo=UTC))  # never-firing schedules are refused
    return parsed
