"""``/api/v1/trace/{id}``: genealogy graph, journey timeline and current holders of an EPC,
SSCC, lot (LGTIN or Digital Link) or GTIN. Regulators only.

Errors: a malformed identifier is a 400 problem naming the bad field; an identifier no event
names is a 404 problem.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query
from fastapi.concurrency import run_in_threadpool

from trace_api.api.deps import EngineDep, PrincipalDep
from trace_api.api.responses import problems
from trace_api.auth.tokens import Principal
from trace_api.exceptions import AccessDeniedError, NotFoundError, TraceNotFoundError
from trace_api.trace import trace

__all__ = ["RegulatorDep", "router"]

router = APIRouter(tags=["Trace"])


def get_regulator(principal: PrincipalDep) -> Principal:
    if principal.role != "regulator":
        raise AccessDeniedError(f"role {principal.role} may not trace or recall")
    return principal


RegulatorDep = Annotated[Principal, Depends(get_regulator)]


@router.get(
    "/trace/{identifier:path}",
    summary="Trace an EPC, SSCC, lot or GTIN back and forward (regulators)",
    responses=problems(400, 401, 403, 404),
)
async def get_trace(
    identifier: str,
    engine: EngineDep,
    _caller: RegulatorDep,
    direction: Annotated[Literal["back", "forward", "both"], Query()] = "both",
) -> dict[str, Any]:
    """``{"id", "canonical", "kind", "direction", "nodes", "edges", "timeline", "holders"}``."""
    try:
        result = await run_in_threadpool(trace, engine, identifier, direction)
    except TraceNotFoundError as exc:
        raise NotFoundError(str(exc)) from exc
    return result.to_dict()
