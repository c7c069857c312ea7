"""Query schedules: parsing and the next firing time."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from trace_api.exceptions import SubscriptionError
from trace_api.subscriptions.schedule import parse_schedule

T0 = datetime(2026, 11, 25, 4, 30, 15, tzinfo=UTC)  # a Wednesday


@pytest.mark.parametrize(
    ("schedule", "expected"),
    [
        ({"hour": "1", "minute": "5"}, datetime(2026, 11, 26, 1, 5, 0, tzinfo=UTC)),
        ({"minute": "5"}, datetime(2026, 11, 25, 5, 5, 0, tzinfo=UTC)),
        ({"second": "0/30"}, datetime(2026, 11, 25, 4, 30, 30, tzinfo=UTC)),
        ({"second": "*"}, datetime(2026, 11, 25, 4, 30, 16, tzinfo=UTC)),
        ({"minute": "[31-33],50"}, datetime(2026, 11, 25, 4, 31, 0, tzinfo=UTC)),
        ({"dayOfWeek": "1"}, datetime(2026, 11, 30, 0, 0, 0, tzinfo=UTC)),  # Monday
        ({"dayOfMonth": "29", "month": "2"}, datetime(2028, 2, 29, 0, 0, 0, tzinfo=UTC)),
        (
            {"hour": "4", "minute": "30", "second": "15"},
            datetime(2026, 11, 26, 4, 30, 15, tzinfo=UTC),
        ),
    ],
)
def test_next_after(schedule: dict[str, str], expected: datetime) -> None:
    assert parse_schedule(schedule).next_after(T0) == expected


@pytest.mark.parametrize(
    ("schedule", "message"),
    [
        ({}, "at least one field"),
        ("daily", "at least one field"),
        ({"hours": "1"}, "unknown field 'hours'"),
        ({"minute": "60"}, "schedule.minute: '60' is outside 0 to 59"),
        ({"hour": "[5-2]"}, "schedule.hour"),
        ({"second": "a"}, "schedule.second: 'a' is not a number or range"),
        ({"second": "*/0"}, "a step of 0"),
        ({"dayOfWeek": "0"}, "outside 1 to 7"),
        ({"minute": ["5"]}, "expected a string"),
        ({"dayOfMonth": "30", "month": "2"}, "never fires"),
    ],
)
def test_bad_schedules(schedule: object, message: str) -> None:
    with pytest.raises(SubscriptionError, match=message.replace("[", r"\[")):
        parse_schedule(schedule)
