"""``/api/v1/warnings``: the analytics' early warnings (contract B).

Regulators see every warning; an operator sees the warnings concerning its party (its lots'
origin or holders, or its places in the evidence) and may move those along the workflow;
stations and the public may not read warnings (403). An invalid status change is a 409
problem, an unknown warning a 404 problem.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy.engine import Engine

from trace_api.api.deps import EngineDep, PrincipalDep
from trace_api.api.responses import problems
from trace_api.auth.tokens import Principal
from trace_api.exceptions import AccessDeniedError, ConflictError, NotFoundError

__all__ = ["StatusChange", "router"]

router = APIRouter(tags=["Early warnings"])

Status = Literal["open", "acknowledged", "confirmed", "false_alarm", "closed"]
NewStatus = Literal["acknowledged", "confirmed", "false_alarm", "closed"]
Severity = Literal["alert", "information_follow_up", "attention"]


class StatusChange(BaseModel):
    """A status change of a warning, with an optional note for its history."""

    model_config = ConfigDict(extra="forbid")

    status: NewStatus
    note: Annotated[str | None, Field(max_length=2000)] = None


def get_reader(principal: PrincipalDep) -> Principal:
    if principal.role == "regulator" or (principal.role == "operator" and principal.party):
        return principal
    raise AccessDeniedError(f"role {principal.role} may not read warnings")


ReaderDep = Annotated[Principal, Depends(get_reader)]


def _parties(principal: Principal) -> list[str] | None:
    """The party links an operator's view is limited to (``None``: everything)."""
    if principal.role == "regulator":
        return None
    from analytics.identifiers import party_canon

    assert principal.party is not None
    return [party_canon(principal.party)]


def _may_see(engine: Engine, principal: Principal, warning_id: str) -> None:
    from analytics.exceptions import WarningNotFoundError
    from analytics.warnings.store import get_warning, warning_parties

    parties = _parties(principal)
    try:
        get_warning(engine, warning_id)
    except WarningNotFoundError as exc:
        raise NotFoundError(str(exc)) from exc
    if parties is not None and not set(parties) & warning_parties(engine, warning_id):
        raise AccessDeniedError(f"warning {warning_id} does not concern party {principal.party}")


def _by(principal: Principal) -> str:
    return f"{principal.role}:{principal.party or principal.token_id}"


@router.get(
    "/warnings",
    summary="List early warnings (regulators: all; operators: those concerning their party)",
    responses=problems(400, 401, 403),
)
async def get_warnings(
    engine: EngineDep,
    caller: ReaderDep,
    status: Annotated[Status | None, Query()] = None,
    severity: Annotated[Severity | None, Query()] = None,
    type: Annotated[str | None, Query(max_length=64)] = None,
    lot: Annotated[str | None, Query(max_length=500)] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> dict[str, Any]:
    """``{"warnings": [W, …]}``, newest first."""
    from analytics.warnings.store import list_warnings

    found = await run_in_threadpool(
        list_warnings, engine, status, severity, type, lot, limit, _parties(caller)
    )
    return {"warnings": found}


def _one(engine: Engine, caller: Principal, warning_id: str) -> dict[str, Any]:
    from analytics.warnings.store import get_warning

    _may_see(engine, caller, warning_id)
    return get_warning(engine, warning_id)


@router.get(
    "/warnings/{warning_id}",
    summary="Read one early warning with its status history",
    responses=problems(401, 403, 404),
)
async def get_one_warning(warning_id: str, engine: EngineDep, caller: ReaderDep) -> dict[str, Any]:
    """One warning W with its status history."""
    return await run_in_threadpool(_one, engine, caller, warning_id)


def _change(
    engine: Engine, caller: Principal, warning_id: str, change: StatusChange
) -> dict[str, Any]:
    from analytics.exceptions import WarningTransitionError
    from analytics.warnings.store import set_status

    _may_see(engine, caller, warning_id)
    try:
        return set_status(engine, warning_id, change.status, _by(caller), change.note)
    except WarningTransitionError as exc:
        raise ConflictError(str(exc)) from exc


@router.post(
    "/warnings/{warning_id}/status",
    summary="Move a warning along its workflow (acknowledge, confirm, false alarm, close)",
    responses=problems(400, 401, 403, 404, 409),
)
async def post_status(
    warning_id: str, change: StatusChange, engine: EngineDep, caller: ReaderDep
) -> dict[str, Any]:
    """Move the warning along open → acknowledged → confirmed / false_alarm → closed; the
    warning as it is now. 409 for a change the workflow does not allow."""
    return await run_in_threadpool(_change, engine, caller, warning_id, change)
