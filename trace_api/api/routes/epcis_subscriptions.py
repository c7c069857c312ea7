"""``/epcis/queries/{queryName}/subscriptions``: webhook subscriptions to a named query.

The EPCIS 2.0 REST binding's subscription resource: ``POST`` subscribes (201, ``Location`` of
the new subscription; the body is ``{"dest", "signatureToken", "stream": true}`` or
``{"dest", "signatureToken", "schedule": {…}, "reportIfEmpty"?}``, optional
``initialRecordTime``), ``GET`` lists, ``GET``/``DELETE`` ``…/{subscriptionID}`` reads or
unsubscribes. A refused request is a 400 ``SubscriptionControlsException`` problem. Deleting
the named query unsubscribes everyone. Deliveries: :mod:`trace_api.subscriptions`.
"""

from __future__ import annotations

from urllib.parse import quote

import orjson
from fastapi import APIRouter, Request, Response
from fastapi.concurrency import run_in_threadpool

from trace_api.api.body import read_json_body
from trace_api.api.deps import EngineDep, QuerierDep, SettingsDep
from trace_api.api.headers import VERSION_HEADERS, discovery_headers
from trace_api.api.responses import json_body, no_content, problems
from trace_api.subscriptions.destinations import DestinationPolicy
from trace_api.subscriptions.schedule import FIELDS
from trace_api.subscriptions.store import (
    create_subscription,
    delete_subscription,
    get_subscription,
    list_subscriptions,
)

__all__ = ["router"]

router = APIRouter(tags=["Subscriptions"])
_MAX_BODY = 16 * 1024


def _json(body: object, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    return Response(
        orjson.dumps(body),
        status_code=status,
        media_type="application/json",
        headers={**VERSION_HEADERS, **(headers or {})},
    )


@router.options(
    "/queries/{name}/subscriptions",
    status_code=204,
    summary="Subscriptions discovery",
    responses=no_content("allowed methods and versions"),
)
def subscriptions_options(name: str) -> Response:  # noqa: ARG001
    return Response(status_code=204, headers=discovery_headers("OPTIONS, GET, POST"))


_SCHEDULE_FIELD = {"type": "string", "examples": ["5", "[1-5]", "0/30"]}
_REQUEST = {
    "required": True,
    "content": {
        "application/json": {
            "schema": {
                "type": "object",
                "required": ["dest", "signatureToken"],
                "properties": {
                    "dest": {"type": "string", "format": "uri"},
                    "signatureToken": {"type": "string", "minLength": 16, "maxLength": 512},
                    "stream": {"type": "boolean", "enum": [True]},
                    "schedule": {
                        "type": "object",
                        "properties": dict.fromkeys(FIELDS, _SCHEDULE_FIELD),
                    },
                    "reportIfEmpty": {"type": "boolean"},
                    "initialRecordTime": {"type": "string", "format": "date-time"},
                },
            },
            "example": {
                "dest": "https://client.example.com/queryCallback",
                "signatureToken": "13df38d8275b13f05704629e5f1cf3d45d6132d5",
                "stream": True,
            },
        }
    },
}


@router.post(
    "/queries/{name}/subscriptions",
    status_code=201,
    summary="Subscribe to a named query (webhook)",
    openapi_extra={"requestBody": _REQUEST},
    responses={
        201: {
            "description": "subscribed: `Location` names the subscription; the body is its view",
            "content": {"application/json": {"schema": {}}},
        },
        **problems(400, 401, 403, 404, 415),
    },
)
async def subscribe(
    name: str,
    request: Request,
    principal: QuerierDep,
    engine: EngineDep,
    settings: SettingsDep,
) -> Response:
    """Subscribe ``dest`` to the named query; deliveries are signed with ``signatureToken``."""
    body = await read_json_body(request, _MAX_BODY)
    policy = DestinationPolicy(
        allow_link_local=settings.webhook_allow_link_local,
        block_private=settings.webhook_block_private,
    )
    view = await run_in_threadpool(create_subscription, engine, name, principal, body, policy)
    location = f"/epcis/queries/{quote(name, safe='')}/subscriptions/{view['subscriptionID']}"
    return _json(view, 201, {"Location": location})


@router.get(
    "/queries/{name}/subscriptions",
    summary="List subscriptions to a named query",
    responses={**json_body("[subscription]"), **problems(401, 403, 404)},
)
def subscriptions(name: str, principal: QuerierDep, engine: EngineDep) -> Response:
    """The subscriptions to the named query the caller may see."""
    return _json(list_subscriptions(engine, name, principal))


@router.options(
    "/queries/{name}/subscriptions/{subscription_id}",
    status_code=204,
    summary="Subscription discovery",
    responses=no_content("allowed methods and versions"),
)
def subscription_options(name: str, subscription_id: str) -> Response:  # noqa: ARG001
    return Response(status_code=204, headers=discovery_headers("OPTIONS, DELETE, GET"))


@router.get(
    "/queries/{name}/subscriptions/{subscription_id}",
    summary="Read a subscription",
    responses={**json_body("the subscription and its delivery counts"), **problems(401, 403, 404)},
)
def subscription(
    name: str, subscription_id: str, principal: QuerierDep, engine: EngineDep
) -> Response:
    """One subscription: its definition, ``lastNotifiedAt`` and delivery counts."""
    return _json(get_subscription(engine, name, subscription_id, principal))


@router.delete(
    "/queries/{name}/subscriptions/{subscription_id}",
    status_code=204,
    summary="Unsubscribe",
    responses={**no_content("unsubscribed"), **problems(401, 403, 404)},
)
def unsubscribe(
    name: str, subscription_id: str, principal: QuerierDep, engine: EngineDep
) -> Response:
    """Unsubscribe; undelivered documents are dropped."""
    delete_subscription(engine, name, subscription_id, principal)
    return Response(status_code=204)
