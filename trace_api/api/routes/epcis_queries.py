"""``/epcis/queries``: named queries (stored query definitions) and their events.

``POST /queries`` takes ``{"name": …, "query": {parameter: value or [values]}}``; the query is
checked like the parameters of ``GET /events`` (400 when it would fail) and stored in
``named_query``. Webhook subscriptions to a named query: :mod:`.epcis_subscriptions`.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote

import orjson
import sqlalchemy as sa
from fastapi import APIRouter, Request, Response
from fastapi.concurrency import run_in_threadpool
from sqlalchemy.exc import IntegrityError

from trace_api.api.body import read_json_body
from trace_api.api.deps import EngineDep, PageSecretDep, QuerierDep
from trace_api.api.headers import VERSION_HEADERS, discovery_headers
from trace_api.api.querying import answer_query
from trace_api.api.responses import json_body, no_content, problems, query_document
from trace_api.exceptions import ApiError, ConflictError, NotFoundError, QueryParameterError
from trace_api.models import metadata
from trace_api.query import parse_query, query_pairs

__all__ = ["router"]

router = APIRouter(tags=["Queries"])
_QUERY = metadata.tables["named_query"]
_MAX_QUERY_BYTES = 64 * 1024
_MAX_NAME = 200


def _definition(body: Any) -> tuple[str, dict[str, Any]]:
    if not isinstance(body, dict) or set(body) - {"name", "query"}:
        raise ApiError('the body must be {"name": …, "query": {…}}')
    name, query = body.get("name"), body.get("query")
    if not isinstance(name, str) or not 0 < len(name) <= _MAX_NAME or "/" in name:
        raise ApiError(f"name: 1 to {_MAX_NAME} characters without '/'")
    if not isinstance(query, dict):
        raise ApiError("query: expected an object of query parameters")
    pairs = query_pairs(query)
    if any(n in ("nextPageToken",) for n, _ in pairs):
        raise QueryParameterError("a named query cannot hold a nextPageToken")
    parse_query(pairs)
    return name, query


@router.options(
    "/queries",
    status_code=204,
    summary="Named queries discovery",
    responses=no_content("allowed methods and versions"),
)
def queries_options() -> Response:
    return Response(status_code=204, headers=discovery_headers("OPTIONS, GET, POST"))


@router.post(
    "/queries",
    status_code=201,
    summary="Create a named query",
    responses={**no_content("created: `Location` names it", 201), **problems(400, 401, 403, 409)},
)
async def create_query(request: Request, _principal: QuerierDep, engine: EngineDep) -> Response:
    """Store a named query; 201 with its ``Location``, 409 if the name is taken."""
    name, query = _definition(await read_json_body(request, _MAX_QUERY_BYTES))

    def insert() -> None:
        try:
            with engine.begin() as connection:
                connection.execute(
                    _QUERY.insert(),
                    {"name": name, "query": query, "created_at": datetime.now(UTC)},
                )
        except IntegrityError:
            raise ConflictError(f"a query named {name!r} already exists") from None

    await run_in_threadpool(insert)
    headers = {"Location": f"/epcis/queries/{quote(name, safe='')}", **VERSION_HEADERS}
    return Response(status_code=201, headers=headers)


def _checked_name(name: str) -> str:
    if "\x00" in name:
        raise NotFoundError("no named query with a NUL character in its name")
    return name[:_MAX_NAME]


def _load(engine: Any, name: str) -> dict[str, Any]:
    name = _checked_name(name)
    with engine.connect() as connection:
        query = connection.execute(
            sa.select(_QUERY.c.query).where(_QUERY.c.name == name[:_MAX_NAME])
        ).scalar_one_or_none()
    if query is None:
        raise NotFoundError(f"no named query {name[:_MAX_NAME]!r}")
    loaded: dict[str, Any] = query
    return loaded


@router.get(
    "/queries",
    summary="List named queries",
    responses={**json_body("[{name, query}]"), **problems(401, 403)},
)
def list_queries(_principal: QuerierDep, engine: EngineDep) -> Response:
    """Every named query: ``[{"name", "query"}]``."""
    with engine.connect() as connection:
        rows = connection.execute(sa.select(_QUERY.c.name, _QUERY.c.query).order_by(_QUERY.c.name))
        body = [{"name": name, "query": query} for name, query in rows]
    return Response(orjson.dumps(body), media_type="application/json", headers=VERSION_HEADERS)


@router.get(
    "/queries/{name}",
    summary="Read a named query",
    responses={**json_body("{name, query}"), **problems(401, 403, 404)},
)
def get_query(name: str, _principal: QuerierDep, engine: EngineDep) -> Response:
    body = {"name": name, "query": _load(engine, name)}
    return Response(orjson.dumps(body), media_type="application/json", headers=VERSION_HEADERS)


@router.delete(
    "/queries/{name}",
    status_code=204,
    summary="Delete a named query",
    responses={**no_content("deleted"), **problems(401, 403, 404)},
)
def delete_query(name: str, _principal: QuerierDep, engine: EngineDep) -> Response:
    name = _checked_name(name)
    with engine.begin() as connection:
        deleted = connection.execute(sa.delete(_QUERY).where(_QUERY.c.name == name[:_MAX_NAME]))
    if deleted.rowcount == 0:
        raise NotFoundError(f"no named query {name[:_MAX_NAME]!r}")
    return Response(status_code=204)


@router.get(
    "/queries/{name}/events",
    summary="Events of a named query",
    responses={**query_document("the page of events"), **problems(400, 401, 403, 404, 413)},
)
def named_query_events(
    name: str,
    request: Request,
    principal: QuerierDep,
    engine: EngineDep,
    secret: PageSecretDep,
) -> Response:
    """The events of a named query (``perPage`` and ``nextPageToken`` may be added)."""
    pairs = query_pairs(_load(engine, name))
    extra = [
        (n, v) for n, v in request.query_params.multi_items() if n in ("perPage", "nextPageToken")
    ]
    return answer_query(request, engine, principal, secret, [*pairs, *extra], query_name=name)
