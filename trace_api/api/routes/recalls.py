"""``/api/v1/recalls``: declare a recall of lots, list recalls, read one with its blast radius.
Regulators only (see :data:`trace_api.api.routes.trace.RegulatorDep`)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, status
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy.engine import Engine

from trace_api.api.deps import EngineDep
from trace_api.api.responses import problems
from trace_api.api.routes.trace import RegulatorDep
from trace_api.exceptions import NotFoundError, RecallNotFoundError, TraceNotFoundError
from trace_api.recall import blast_radius, declare_recall, get_recall, list_recalls

__all__ = ["RecallRequest", "router"]

router = APIRouter(tags=["Recalls"])


class RecallRequest(BaseModel):
    """A recall to declare: the lots (LGTIN URNs or Digital Links) and why."""

    model_config = ConfigDict(extra="forbid")

    lots: Annotated[list[str], Field(min_length=1, max_length=1000)]
    reason: Annotated[str, Field(min_length=1, max_length=2000)]


def _with_radius(engine: Engine, recall_id: str) -> dict[str, Any]:
    recall = get_recall(engine, recall_id)
    body = recall.to_dict()
    body["blastRadius"] = blast_radius(engine, [lot["lot"] for lot in recall.lots])
    return body


def _declare(engine: Engine, request: RecallRequest) -> dict[str, Any]:
    recall = declare_recall(engine, request.lots, request.reason)
    return _with_radius(engine, recall.id)


@router.post(
    "/recalls",
    status_code=status.HTTP_201_CREATED,
    summary="Declare a recall of lots (regulators)",
    responses=problems(400, 401, 403, 404),
)
async def post_recall(
    request: RecallRequest, engine: EngineDep, _caller: RegulatorDep
) -> dict[str, Any]:
    """Declare a recall; the recall with its blast radius (every downstream lot, item,
    location, party and current holder). 404 when no event names one of the lots."""
    try:
        return await run_in_threadpool(_declare, engine, request)
    except TraceNotFoundError as exc:
        raise NotFoundError(str(exc)) from exc


@router.get("/recalls", summary="List recalls (regulators)", responses=problems(401, 403))
async def get_recalls(engine: EngineDep, _caller: RegulatorDep) -> dict[str, Any]:
    """``{"recalls": [...]}``, newest first (without blast radius)."""
    recalls = await run_in_threadpool(list_recalls, engine)
    return {"recalls": [r.to_dict() for r in recalls]}


@router.get(
    "/recalls/{recall_id}",
    summary="Read a recall with its blast radius (regulators)",
    responses=problems(401, 403, 404),
)
async def get_one_recall(
    recall_id: str, engine: EngineDep, _caller: RegulatorDep
) -> dict[str, Any]:
    """One recall with its current blast radius; 404 for an unknown ID."""
    try:
        return await run_in_threadpool(_with_radius, engine, recall_id)
    except RecallNotFoundError as exc:
        raise NotFoundError(str(exc)) from exc
