"""``/api/v1/subscriptions/{id}/deliveries``: the delivery outbox of a subscription.

``GET …/deliveries?status=pending|delivered|dead&limit=`` lists deliveries newest first with
their attempts, last HTTP status and last error (dead ones are kept here, never sent again);
``POST …/deliveries/{deliveryID}/retry`` sends a dead one again from attempt one.
"""

from __future__ import annotations

from typing import Annotated

import orjson
from fastapi import APIRouter, Query, Response

from trace_api.api.deps import EngineDep, QuerierDep
from trace_api.api.responses import json_body, no_content, problems
from trace_api.subscriptions.store import list_deliveries, retry_delivery

__all__ = ["router"]

router = APIRouter(tags=["Subscriptions"])


@router.get(
    "/subscriptions/{subscription_id}/deliveries",
    summary="A subscription's deliveries",
    responses={
        **json_body("{deliveries: [{deliveryID, status, attempts, lastStatus, lastError …}]}"),
        **problems(400, 401, 403, 404),
    },
)
def deliveries(
    subscription_id: str,
    principal: QuerierDep,
    engine: EngineDep,
    status: Annotated[str | None, Query(max_length=16)] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> Response:
    found = list_deliveries(engine, subscription_id, principal, status=status, limit=limit)
    return Response(orjson.dumps({"deliveries": found}), media_type="application/json")


@router.post(
    "/subscriptions/{subscription_id}/deliveries/{delivery_id}/retry",
    status_code=204,
    summary="Send a dead delivery again",
    responses={**no_content("pending again, due now"), **problems(401, 403, 404)},
)
def retry(
    subscription_id: str, delivery_id: str, principal: QuerierDep, engine: EngineDep
) -> Response:
    retry_delivery(engine, subscription_id, delivery_id, principal)
    return Response(status_code=204)
