"""``/api/v1/health``: liveness and database reachability (no token needed)."""

from __future__ import annotations

import orjson
import sqlalchemy as sa
from fastapi import APIRouter, Response
from sqlalchemy.exc import DBAPIError

from trace_api.api.deps import EngineDep
from trace_api.api.responses import json_body

__all__ = ["router"]

router = APIRouter(tags=["Health"])


@router.get(
    "/health",
    summary="Liveness and database reachability (no token)",
    responses={
        **json_body('{"status": "ok", "database": "ok"}'),
        503: {"description": "the database does not answer"},
    },
)
def health(engine: EngineDep) -> Response:
    """200 ``{"status": "ok"}`` when the database answers, 503 otherwise."""
    try:
        with engine.connect() as connection:
            connection.execute(sa.text("SELECT 1"))
    except DBAPIError:
        body = {"status": "unavailable", "database": "unreachable"}
        return Response(orjson.dumps(body), 503, media_type="application/json")
    body = {"status": "ok", "database": "ok"}
    return Response(orjson.dumps(body), media_type="application/json")
