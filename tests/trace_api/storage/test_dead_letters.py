"""Dead letters keep the message byte for byte with the reason."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from trace_api.models import DeadLetter
from trace_api.storage import record_dead_letter


def test_dead_letter_keeps_raw_bytes_and_reason(db: Engine) -> None:
    raw = b'\xef\xbb\xbf{"type": "ObjectEvent", \x00\xff broken'
    at = datetime(2026, 11, 25, 2, 0, tzinfo=UTC)
    pk = record_dead_letter(
        db,
        source="mqtt",
        source_detail="foodtrace/v1/stations/pack-1/events",
        raw=raw,
        reason_code="not_json",
        message="unexpected character at byte 3",
        station_id="pack-1",
        received_at=at,
    )
    second = record_dead_letter(db, source="http", raw=b"", reason_code="empty", message="empty")
    assert second != pk
    with Session(db) as session:
        letter = session.get(DeadLetter, pk)
        assert letter is not None
        assert letter.raw == raw
        assert (letter.source, letter.reason_code, letter.station_id) == (
            "mqtt",
            "not_json",
            "pack-1",
        )
        assert letter.source_detail == "foodtrace/v1/stations/pack-1/events"
        assert letter.message == "unexpected character at byte 3"
        assert letter.received_at == at
        empty = session.get(DeadLetter, second)
        assert empty is not None
        assert empty.raw == b""
        assert empty.received_at.tzinfo is UTC
