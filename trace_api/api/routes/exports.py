"""``/api/v1/exports/{fsma204,art18,epcis}``: the exports of lots or of a product and date range
as file downloads. Regulators see everything; an operator's export holds only the events its
party may see (:func:`trace_api.api.access.query_scope`).

Query: ``lot`` (repeatable) or ``gtin`` with optional ``from``/``to``; ``format``. A bad
selection is a 400 problem, a lot no visible event names a 404.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response
from sqlalchemy.engine import Engine

from trace_api.api.access import query_scope
from trace_api.api.deps import EngineDep, QuerierDep
from trace_api.api.responses import problems
from trace_api.auth.tokens import Principal
from trace_api.exceptions import ExportNotFoundError, NotFoundError
from trace_api.export.selection import make_selection
from trace_api.export.service import Exported, export

__all__ = ["make_export", "router"]

router = APIRouter(tags=["Exports"])

LotQuery = Annotated[list[str] | None, Query(description="LGTIN URN or Digital Link (repeat).")]
GtinQuery = Annotated[str | None, Query(description="A GTIN: every lot of the product.")]
FromQuery = Annotated[str | None, Query(alias="from", description="RFC 3339 time or date.")]
ToQuery = Annotated[str | None, Query(alias="to", description="RFC 3339 time or date.")]


def make_export(
    engine: Engine,
    principal: Principal,
    kind: str,
    fmt: str,
    lots: list[str] | None,
    gtin: str | None,
    start: str | None,
    end: str | None,
) -> Exported:
    """Make an export for ``principal`` (the console calls this too); 404 for unknown lots."""
    selection = make_selection(lots or [], gtin, start, end)
    try:
        return export(engine, kind, fmt, selection, scope=query_scope(principal))
    except ExportNotFoundError as exc:
        raise NotFoundError(str(exc)) from exc


def _download(made: Exported) -> Response:
    return Response(
        made.content,
        media_type=made.media_type,
        headers={
            "Content-Disposition": f'attachment; filename="{made.filename}"',
            "X-Export-Rows": str(made.rows),
        },
    )


_CSV = "text/csv"
_XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _file(description: str, *media: str) -> dict[int | str, dict[str, Any]]:
    return {
        200: {"description": description, "content": {m: {"schema": {}} for m in media}},
        **problems(400, 401, 403, 404),
    }


@router.get(
    "/exports/fsma204",
    summary="FSMA 204 sortable spreadsheet of lots or of a product and date range",
    response_class=Response,
    responses=_file("the spreadsheet as a download", _CSV, _XLSX),
)
async def get_fsma204(
    engine: EngineDep,
    caller: QuerierDep,
    lot: LotQuery = None,
    gtin: GtinQuery = None,
    start: FromQuery = None,
    end: ToQuery = None,
    fmt: Annotated[str, Query(alias="format", pattern="^(csv|xlsx)$")] = "csv",
) -> Response:
    """The FSMA 204 sortable spreadsheet (CSV or XLSX)."""
    made = await run_in_threadpool(
        make_export, engine, caller, "fsma204", fmt, lot, gtin, start, end
    )
    return _download(made)


@router.get(
    "/exports/art18",
    summary="EU 178/2002 Art. 18 one-step-back / one-step-forward report of lots",
    response_class=Response,
    responses=_file("the report as a download", "application/json", _CSV, _XLSX),
)
async def get_art18(
    engine: EngineDep,
    caller: QuerierDep,
    lot: LotQuery = None,
    gtin: GtinQuery = None,
    start: FromQuery = None,
    end: ToQuery = None,
    fmt: Annotated[str, Query(alias="format", pattern="^(csv|xlsx|json)$")] = "json",
) -> Response:
    """The EU 178/2002 Art. 18 one-step-back/one-step-forward report."""
    made = await run_in_threadpool(make_export, engine, caller, "art18", fmt, lot, gtin, start, end)
    return _download(made)


@router.get(
    "/exports/epcis",
    summary="EPCIS 2.0 document of every event of the selected lots",
    response_class=Response,
    responses=_file("the document as a download", "application/ld+json"),
)
async def get_epcis(
    engine: EngineDep,
    caller: QuerierDep,
    lot: LotQuery = None,
    gtin: GtinQuery = None,
    start: FromQuery = None,
    end: ToQuery = None,
) -> Response:
    """An EPCIS 2.0 document of every event of the selection."""
    made = await run_in_threadpool(
        make_export, engine, caller, "epcis", "json", lot, gtin, start, end
    )
    return _download(made)
