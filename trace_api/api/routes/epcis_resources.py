"""Top-level EPCIS resources: ``/eventTypes``, ``/epcs``, ``/bizSteps``, ``/bizLocations``,
``/readPoints``, ``/dispositions``, each a ``Collection`` of the values in the repository and
with ``/{id}/events`` (the same as ``/events`` with the matching parameter: ``eventType``,
``MATCH_anyEPC``, ``EQ_bizStep``, ``EQ_bizLocation``, ``EQ_readPoint``, ``EQ_disposition``;
further query parameters may be added). Collections list at most ``perPage`` values (default 30,
up to 1000) in ascending order, without page tokens. An operator's collections list only the
values of the events it may see (:func:`trace_api.api.access.query_scope`)."""

from __future__ import annotations

from typing import Annotated, Any

import orjson
import sqlalchemy as sa
from fastapi import APIRouter, Query, Request, Response

from trace_api.api.access import query_scope
from trace_api.api.deps import EngineDep, PageSecretDep, QuerierDep
from trace_api.api.headers import VERSION_HEADERS, discovery_headers
from trace_api.api.querying import answer_query
from trace_api.api.responses import json_body, no_content, problems, query_document
from trace_api.models import metadata
from trace_api.query.document import EPCIS_CONTEXT

__all__ = ["RESOURCES", "router"]

router = APIRouter(tags=["Top-level"])
_EVENT = metadata.tables["event"]
_IDENTIFIER = metadata.tables["event_identifier"]

#: resource → (query parameter of its /{id}/events, column listing its values)
RESOURCES: dict[str, tuple[str, Any]] = {
    "eventTypes": ("eventType", _EVENT.c.event_type),
    "epcs": ("MATCH_anyEPC", _IDENTIFIER.c.value),
    "bizSteps": ("EQ_bizStep", _EVENT.c.biz_step),
    "bizLocations": ("EQ_bizLocation", _EVENT.c.biz_location),
    "readPoints": ("EQ_readPoint", _EVENT.c.read_point),
    "dispositions": ("EQ_disposition", _EVENT.c.disposition),
}
_STANDARD_TYPES = [
    "AggregationEvent",
    "AssociationEvent",
    "ObjectEvent",
    "TransactionEvent",
    "TransformationEvent",
]


def _collection(members: list[str]) -> Response:
    body = {"@context": [EPCIS_CONTEXT], "type": "Collection", "member": members}
    return Response(orjson.dumps(body), media_type="application/json", headers=VERSION_HEADERS)


def _add_routes(resource: str, parameter: str, column: Any) -> None:
    async def options() -> Response:
        return Response(status_code=204, headers=discovery_headers("OPTIONS, GET"))

    def members(
        principal: QuerierDep,
        engine: EngineDep,
        per_page: Annotated[int, Query(alias="perPage", ge=1, le=1000)] = 30,
    ) -> Response:
        if resource == "eventTypes":
            return _collection(_STANDARD_TYPES)
        query = sa.select(column).where(column.is_not(None)).distinct().order_by(column)
        if resource == "epcs":
            query = query.where(_IDENTIFIER.c.kind == "instance")
        scope = query_scope(principal)
        if scope is not None and resource == "epcs":
            query = query.where(_IDENTIFIER.c.event_pk.in_(sa.select(_EVENT.c.id).where(scope)))
        elif scope is not None:
            query = query.where(scope)
        with engine.connect() as connection:
            values = list(connection.execute(query.limit(per_page)).scalars())
        return _collection(values)

    def events(
        value: str,
        request: Request,
        principal: QuerierDep,
        engine: EngineDep,
        secret: PageSecretDep,
    ) -> Response:
        parameters = [(parameter, value), *request.query_params.multi_items()]
        return answer_query(request, engine, principal, secret, parameters)

    router.add_api_route(
        f"/{resource}",
        options,
        methods=["OPTIONS"],
        status_code=204,
        summary=f"{resource} discovery",
        responses=no_content("allowed methods and versions"),
    )
    router.add_api_route(
        f"/{resource}",
        members,
        methods=["GET"],
        summary=f"The {resource} in the repository.",
        responses={**json_body("a Collection of values"), **problems(400, 401, 403)},
    )
    router.add_api_route(
        f"/{resource}/{{value:path}}/events",
        events,
        methods=["GET"],
        summary=f"Events with the given {resource[:-1]} ({parameter}).",
        responses={**query_document("the page of events"), **problems(400, 401, 403, 413)},
    )


for _resource, (_parameter, _column) in RESOURCES.items():
    _add_routes(_resource, _parameter, _column)
