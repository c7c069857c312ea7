"""The REST side of capture, over the shared pipeline :mod:`trace_api.capture`.

``POST /capture`` validates the document while the request is open (so an invalid document
under ``rollback`` is answered with a 400 problem listing every error), then stores the accepted
events in a background task that runs right after the 202 response, and records the outcome in
the ``capture_job`` row. ``rollback``: any refused event refuses the whole document (nothing is
stored). ``proceed``: the accepted events are stored and the refused ones listed in the job.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from sqlalchemy.engine import Engine

from trace_api.api.access import EventGuard
from trace_api.capture import CheckedDocument, Refusal, check_document, store_checked
from trace_api.storage import finish_capture_job

__all__ = ["check", "problem_errors", "run_capture_job"]

_log = logging.getLogger(__name__)


def problem_errors(refusals: list[Refusal], *, strip: str = "") -> list[dict[str, Any]]:
    """Refusals as problem ``errors`` entries: ``{eventIndex, pointer, message, rule}``."""
    return [
        {
            "eventIndex": r.event_index,
            "pointer": r.pointer.removeprefix(strip) if strip else r.pointer,
            "message": r.message,
            "rule": r.reason_code,
        }
        for r in refusals
    ]


def check(doc: Any, guard: EventGuard | None) -> CheckedDocument:
    """Validate and prepare ``doc``; events ``guard`` refuses are refused as ``forbidden``."""
    if guard is None:
        return check_document(doc)

    def accept(
        index: int, event: Mapping[str, Any], pointer: str, _namespaces: Mapping[str, str]
    ) -> list[Refusal]:
        reason = guard(event)
        return [] if reason is None else [Refusal(index, pointer, reason, "forbidden")]

    return check_document(doc, accept=accept)


def run_capture_job(engine: Engine, job_id: str, checked: CheckedDocument) -> None:
    """Store the accepted events of a checked document and finish its job."""
    errors = problem_errors(checked.refusals)
    try:
        outcome = store_checked(engine, [checked], capture_id=job_id)[0]
    except Exception as exc:  # the job must end with a status, whatever happened
        _log.exception("capture job %s failed", job_id)
        errors.append(
            {"eventIndex": None, "pointer": "", "message": f"storage failed: {exc}", "rule": "db"}
        )
        finish_capture_job(engine, job_id, succeeded=False, stored=0, duplicates=0, errors=errors)
        return
    finish_capture_job(
        engine,
        job_id,
        succeeded=not errors,
        stored=outcome.stored,
        duplicates=outcome.duplicates,
        errors=errors,
    )
