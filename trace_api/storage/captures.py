"""Capture jobs: one per capture request (REST ``/capture`` or one MQTT message).

A job is created ``running`` when the request is accepted and finished ``succeeded`` or
``failed`` with its counts and the precise errors, so ``GET /capture/{captureID}`` can report it.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa

from trace_api.models import metadata
from trace_api.models.ops import CAPTURE_STATUSES, ERROR_BEHAVIOURS
from trace_api.storage.connection import Target, transaction

__all__ = ["create_capture_job", "finish_capture_job"]

_JOB = metadata.tables["capture_job"]


def create_capture_job(
    target: Target,
    *,
    error_behaviour: str = "rollback",
    event_count: int = 0,
    job_id: str | None = None,
    submitted_by: str | None = None,
) -> str:
    """Record a new running capture job; return its id (a UUID unless ``job_id`` is given).
    ``submitted_by`` names the REST caller, who alone (with regulators) may read the job."""
    if error_behaviour not in ERROR_BEHAVIOURS:
        raise ValueError(f"error behaviour {error_behaviour!r} is not one of {ERROR_BEHAVIOURS}")
    new_id = job_id or str(uuid.uuid4())
    with transaction(target) as connection:
        connection.execute(
            _JOB.insert(),
            {
                "id": new_id,
                "status": "running",
                "created_at": datetime.now(UTC),
                "error_behaviour": error_behaviour,
                "event_count": event_count,
                "stored_count": 0,
                "duplicate_count": 0,
                "error_count": 0,
                "errors": [],
                "submitted_by": submitted_by,
            },
        )
    return new_id


def finish_capture_job(
    target: Target,
    job_id: str,
    *,
    succeeded: bool,
    stored: int,
    duplicates: int,
    errors: Sequence[dict[str, Any]] = (),
) -> None:
    """Mark a job finished with its outcome; ``errors`` are JSON objects (problem details)."""
    status = "succeeded" if succeeded else "failed"
    assert status in CAPTURE_STATUSES
    with transaction(target) as connection:
        updated = connection.execute(
            sa.update(_JOB)
            .where(_JOB.c.id == job_id)
            .values(
                status=status,
                finished_at=datetime.now(UTC),
                stored_count=stored,
                duplicate_count=duplicates,
                error_count=len(errors),
                errors=list(errors),
            )
        )
        if updated.rowcount != 1:
            raise LookupError(f"no capture job {job_id!r}")
