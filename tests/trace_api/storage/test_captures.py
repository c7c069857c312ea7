"""Capture jobs are created running and finished with their counts and errors."""

from __future__ import annotations

import pytest
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from tests.trace_api.support import events
from trace_api.models import CaptureJob, Event
from trace_api.storage import (
    create_capture_job,
    finish_capture_job,
    prepare_event,
    store_events,
)


def test_job_lifecycle_with_its_events(db: Engine) -> None:
    event_list, context = events("Example_9.6.1-ObjectEvent.jsonld")
    job = create_capture_job(db, error_behaviour="proceed", event_count=len(event_list))
    result = store_events(db, [prepare_event(e, context) for e in event_list], capture_id=job)
    problem = {"type": "urn:x:bad", "title": "bad event", "detail": "event 3 at /eventTime"}
    finish_capture_job(
        db, job, succeeded=False, stored=len(result.stored), duplicates=0, errors=[problem]
    )
    with Session(db) as session:
        row = session.get(CaptureJob, job)
        assert row is not None
        assert (row.status, row.error_behaviour) == ("failed", "proceed")
        assert (row.event_count, row.stored_count, row.error_count) == (2, 2, 1)
        assert row.errors == [problem]
        assert row.finished_at is not None and row.finished_at >= row.created_at
        linked = session.query(Event).filter(Event.capture_id == job).count()
        assert linked == 2


def test_unknown_job_and_bad_behaviour_are_refused(db: Engine) -> None:
    with pytest.raises(LookupError):
        finish_capture_job(db, "nope", succeeded=True, stored=0, duplicates=0)
    with pytest.raises(ValueError, match="error behaviour"):
        create_capture_job(db, error_behaviour="ignore")
