"""The early-warnings inbox of the console (``/console/warnings``), over the analytics'
warning store (contract B: :mod:`analytics.warnings.store`).

Regulators see every warning; an operator sees those concerning its party. Both may move a
warning they see along open → acknowledged → confirmed / false_alarm → closed; every change is
recorded with who made it (``console:<user>``) and the note given. The analytics package is
imported inside the handlers, so the service runs without it until a warning is asked for.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import RedirectResponse, Response

from foodtrace.exceptions import FoodtraceError
from trace_api.web.console.i18n import choose, words
from trace_api.web.console.pages import engine_of, error_page, render, require
from trace_api.web.console.session import csrf_ok

__all__ = ["router"]

router = APIRouter(prefix="/console", include_in_schema=False)
_STATUSES = ("open", "acknowledged", "confirmed", "false_alarm", "closed")
_SEVERITIES = ("alert", "information_follow_up", "attention")


def _parties(session: Any) -> list[str] | None:
    if session.account.role == "regulator":
        return None
    from analytics.identifiers import party_canon

    return [party_canon(session.account.party)]


def _visible(request: Request, session: Any, warning_id: str) -> dict[str, Any] | Response:
    from analytics.exceptions import WarningNotFoundError
    from analytics.warnings.store import get_warning, warning_parties

    engine = engine_of(request)
    try:
        warning = get_warning(engine, warning_id)
    except WarningNotFoundError as exc:
        return error_page(request, 404, str(exc))
    parties = _parties(session)
    if parties is not None and not set(parties) & warning_parties(engine, warning_id):
        return error_page(request, 403, words(choose(request))["forbidden"])
    return warning


@router.get("/warnings")
def inbox(
    request: Request,
    status: Annotated[str | None, Query(max_length=20)] = "open",
    severity: Annotated[str | None, Query(max_length=30)] = None,
) -> Response:
    session = require(request)
    if isinstance(session, Response):
        return session
    from analytics.warnings.store import list_warnings

    chosen = status if status in _STATUSES else None
    level = severity if severity in _SEVERITIES else None
    found = list_warnings(engine_of(request), chosen, level, None, None, 200, _parties(session))
    context = {
        "session": session,
        "warnings": found,
        "status": chosen or "",
        "severity": level or "",
        "statuses": _STATUSES,
        "severities": _SEVERITIES,
    }
    return render(request, "warnings.html", context)


@router.get("/warnings/{warning_id}")
def warning_page(request: Request, warning_id: str) -> Response:
    session = require(request)
    if isinstance(session, Response):
        return session
    warning = _visible(request, session, warning_id)
    if isinstance(warning, Response):
        return warning
    return _show(request, session, warning)


def _show(
    request: Request, session: Any, warning: dict[str, Any], error: str | None = None
) -> Response:
    from analytics.warnings.workflow import TRANSITIONS

    context = {
        "session": session,
        "w": warning,
        "moves": sorted(TRANSITIONS.get(warning["status"], ())),
        "error": error,
    }
    return render(request, "warning.html", context, 409 if error else 200)


@router.post("/warnings/{warning_id}/status")
def change_status(
    request: Request,
    warning_id: str,
    status: Annotated[str, Form(max_length=20)] = "",
    note: Annotated[str, Form(max_length=2000)] = "",
    csrf: Annotated[str, Form(max_length=100)] = "",
) -> Response:
    session = require(request)
    if isinstance(session, Response):
        return session
    if not csrf_ok(session.csrf, csrf):
        return error_page(request, 400, words(choose(request))["bad_csrf"])
    warning = _visible(request, session, warning_id)
    if isinstance(warning, Response):
        return warning
    from analytics.warnings.store import set_status

    by = f"console:{session.account.username}"
    try:
        set_status(engine_of(request), warning_id, status, by, note.strip() or None)
    except FoodtraceError as exc:
        return _show(request, session, warning, str(exc))
    return RedirectResponse(f"/console/warnings/{warning_id}", status_code=303)
