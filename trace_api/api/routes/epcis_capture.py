"""``/epcis/capture``: capture jobs (asynchronous capture of whole EPCIS documents)."""

from __future__ import annotations

import functools
from datetime import datetime
from typing import Annotated, Any

import orjson
import sqlalchemy as sa
from fastapi import APIRouter, BackgroundTasks, Header, Query, Request, Response
from fastapi.concurrency import run_in_threadpool
from sqlalchemy.engine import Engine

from foodtrace.epcis.document import raw_event_list
from trace_api.api.access import capture_guard, principal_key
from trace_api.api.body import read_json_body
from trace_api.api.capturing import check, problem_errors, run_capture_job
from trace_api.api.deps import CapturerDep, EngineDep, LimitsDep, QuerierDep
from trace_api.api.headers import VERSION_HEADERS, capture_headers, discovery_headers
from trace_api.api.problems import ProblemError
from trace_api.api.responses import json_body, no_content, problems
from trace_api.exceptions import AccessDeniedError, ApiError, CaptureLimitError, NotFoundError
from trace_api.models import metadata
from trace_api.storage import create_capture_job, finish_capture_job

__all__ = ["router"]

router = APIRouter(tags=["Capture"])
_JOB = metadata.tables["capture_job"]
_MAX_LIST = 1000


def _iso(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat().replace("+00:00", "Z")


def _job_json(row: Any) -> dict[str, Any]:
    return {
        "captureID": row.id,
        "createdAt": _iso(row.created_at),
        "finishedAt": _iso(row.finished_at),
        "running": row.status in ("pending", "running"),
        "success": row.status != "failed" and row.error_count == 0,
        "captureErrorBehaviour": row.error_behaviour,
        "errors": row.errors,
        "eventCount": row.event_count,
        "storedCount": row.stored_count,
        "duplicateCount": row.duplicate_count,
    }


@router.options(
    "/capture",
    status_code=204,
    summary="Capture discovery: limits and error behaviours",
    responses=no_content("GS1 headers: capture limits, error behaviours, versions"),
)
def capture_options(limits: LimitsDep) -> Response:
    """Discover the capture limits and the supported error behaviours."""
    headers = {**discovery_headers("OPTIONS, GET, POST"), **capture_headers(limits)}
    return Response(status_code=204, headers=headers)


def _behaviour(value: str | None) -> str:
    if value is None:
        return "rollback"
    if value.lower() not in ("rollback", "proceed"):
        raise ApiError(
            f"GS1-Capture-Error-Behaviour must be rollback or proceed, not {value[:40]!r}"
        )
    return value.lower()


def _refuse_whole_rollback(
    engine: Engine, behaviour: str, count: int, errors: list[Any], submitted_by: str
) -> str:
    job = create_capture_job(
        engine, error_behaviour=behaviour, event_count=count, submitted_by=submitted_by
    )
    finish_capture_job(engine, job, succeeded=False, stored=0, duplicates=0, errors=errors)
    return job


@router.post(
    "/capture",
    status_code=202,
    summary="Capture an EPCIS document (asynchronous job)",
    responses={
        **no_content("accepted: `Location` names the capture job", 202),
        **problems(400, 401, 403, 413, 415),
    },
)
async def capture(
    request: Request,
    background: BackgroundTasks,
    principal: CapturerDep,
    engine: EngineDep,
    limits: LimitsDep,
    behaviour_header: Annotated[str | None, Header(alias="GS1-Capture-Error-Behaviour")] = None,
) -> Response:
    """Capture an EPCISDocument (or EPCISQueryDocument): 202 and the job's ``Location``.

    The document is validated before the answer; under ``rollback`` an invalid document is a
    400 problem with every error (and a failed job). Storage runs in a background task right
    after the answer; ``GET /capture/{captureID}`` reports the outcome.
    """
    behaviour = _behaviour(behaviour_header)
    doc = await read_json_body(request, limits.max_bytes)
    found = raw_event_list(doc) if isinstance(doc, dict) else None
    count = len(found[1]) if found is not None else 0
    if count > limits.max_events:
        raise CaptureLimitError(
            f"the document has {count} events; the limit is {limits.max_events} per capture"
        )
    guard = await run_in_threadpool(capture_guard, engine, principal)
    checked = await run_in_threadpool(check, doc, guard)
    headers = capture_headers(limits) | VERSION_HEADERS
    if checked.refusals and (behaviour == "rollback" or checked.refused_whole):
        errors = problem_errors(checked.refusals)
        job = await run_in_threadpool(
            _refuse_whole_rollback, engine, behaviour, count, errors, principal_key(principal)
        )
        if all(r.reason_code == "forbidden" for r in checked.refusals):
            raise AccessDeniedError(checked.refusals[0].message)
        first = checked.refusals[0]
        raise ProblemError(
            f"{len(checked.refusals)} error(s); first: {first}; nothing was captured "
            f"(capture job {job})",
            errors,
        )
    job = await run_in_threadpool(
        functools.partial(
            create_capture_job,
            engine,
            error_behaviour=behaviour,
            event_count=count,
            submitted_by=principal_key(principal),
        )
    )
    background.add_task(run_capture_job, engine, job, checked)
    headers["Location"] = f"/epcis/capture/{job}"
    return Response(status_code=202, headers=headers)


@router.get(
    "/capture",
    summary="List capture jobs (regulators)",
    responses={**json_body("capture jobs, newest first"), **problems(400, 401, 403)},
)
def capture_jobs(
    principal: QuerierDep,
    engine: EngineDep,
    per_page: Annotated[int, Query(alias="perPage", ge=1, le=_MAX_LIST)] = 30,
) -> Response:
    """The most recent capture jobs, newest first (regulators only)."""
    if principal.role != "regulator":
        raise AccessDeniedError("only regulators may list capture jobs")
    with engine.connect() as connection:
        rows = connection.execute(
            sa.select(_JOB).order_by(_JOB.c.created_at.desc(), _JOB.c.id).limit(per_page)
        ).all()
    return _json([_job_json(row) for row in rows])


@router.get(
    "/capture/{capture_id}",
    summary="Read a capture job",
    responses={**json_body("the capture job"), **problems(401, 403, 404)},
)
def capture_job(capture_id: str, principal: CapturerDep, engine: EngineDep) -> Response:
    """One capture job: running, success, error behaviour and errors (event index, pointer).
    A regulator reads any job; other callers only the jobs they submitted (else 404)."""
    if "\x00" in capture_id:
        raise NotFoundError("no capture job with a NUL character in its id")
    with engine.connect() as connection:
        row = connection.execute(sa.select(_JOB).where(_JOB.c.id == capture_id[:64])).first()
    mine = principal.role == "regulator" or (
        row is not None and row.submitted_by == principal_key(principal)
    )
    if row is None or not mine:
        raise NotFoundError(f"no capture job {capture_id[:64]!r}")
    return _json(_job_json(row))


def _json(value: Any) -> Response:
    return Response(orjson.dumps(value), media_type="application/json", headers=VERSION_HEADERS)
