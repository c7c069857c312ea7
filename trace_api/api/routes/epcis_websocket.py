"""WebSocket subscriptions: ``GET /epcis/queries/{queryName}/events`` with ``Upgrade: websocket``.

The EPCIS 2.0 binding's second way to subscribe to a named query. The query string holds either
``stream=true`` or schedule fields (``second``, ``minute``, ``hour``, ``dayOfMonth``, ``month``,
``dayOfWeek``, see :mod:`trace_api.subscriptions.schedule`), optionally ``reportIfEmpty`` and
``initialRecordTime``; the handshake carries ``Authorization: Bearer <token>`` (regulator or
operator; the subscription has that token's scope). The server then sends each new
``EPCISQueryDocument`` as one text message, collected like a webhook subscription's (same
outbox, same scope, no event twice). The subscription lives as long as the connection: it is
listed under ``…/subscriptions`` meanwhile and removed when the client goes away; deleting it
(or its named query) closes the connection (code 1000, reason ``unsubscribed``).

A refused handshake is closed with code 1008 (policy violation: missing or unknown token,
role) or 1003 (unsupported data: bad parameters), with the reason in the close frame.
"""

from __future__ import annotations

import asyncio
import contextlib

import anyio
from fastapi import APIRouter, WebSocket, WebSocketDisconnect
from fastapi.concurrency import run_in_threadpool
from sqlalchemy.engine import Engine

from foodtrace.exceptions import FoodtraceError
from trace_api.auth.tokens import Principal, authenticate
from trace_api.core.config import Settings
from trace_api.exceptions import AccessDeniedError, AuthenticationError
from trace_api.subscriptions.collect import CollectPolicy, collect_subscription
from trace_api.subscriptions.destinations import DestinationPolicy
from trace_api.subscriptions.outbox import mark_delivered, pending_documents
from trace_api.subscriptions.schedule import FIELDS
from trace_api.subscriptions.store import (
    create_subscription,
    delete_subscription,
    subscription_exists,
)

__all__ = ["router"]

router = APIRouter()
_NORMAL = 1000
_POLICY_VIOLATION = 1008
_UNSUPPORTED_DATA = 1003


def _principal(engine: Engine, websocket: WebSocket) -> Principal:
    scheme, _, token = websocket.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise AuthenticationError("a bearer token is required (Authorization: Bearer …)")
    principal = authenticate(engine, token.strip())
    if principal is None:
        raise AuthenticationError("unknown bearer token")
    if principal.role not in ("regulator", "operator"):
        raise AccessDeniedError(f"role {principal.role} may not query events")
    return principal


def _body(websocket: WebSocket) -> dict[str, object]:
    params = websocket.query_params
    body: dict[str, object] = {}
    if "stream" in params:
        body["stream"] = params["stream"].lower() == "true"
    schedule = {name: params[name] for name in FIELDS if name in params}
    if schedule:
        body["schedule"] = schedule
    if "reportIfEmpty" in params:
        body["reportIfEmpty"] = params["reportIfEmpty"].lower() == "true"
    if "initialRecordTime" in params:
        body["initialRecordTime"] = params["initialRecordTime"]
    return body


@router.websocket("/queries/{name}/events")
async def subscribe_websocket(websocket: WebSocket, name: str) -> None:
    engine: Engine = websocket.app.state.engine
    settings: Settings = websocket.app.state.settings
    try:
        principal = await run_in_threadpool(_principal, engine, websocket)
    except FoodtraceError as exc:
        await websocket.close(code=_POLICY_VIOLATION, reason=str(exc)[:120])
        return
    try:
        view = await run_in_threadpool(
            create_subscription,
            engine,
            name,
            principal,
            _body(websocket),
            DestinationPolicy(),
            websocket=True,
        )
    except FoodtraceError as exc:
        await websocket.close(code=_UNSUPPORTED_DATA, reason=str(exc)[:120])
        return
    subscription_id = str(view["subscriptionID"])
    policy = CollectPolicy(max_events=settings.webhook_max_events, grace_s=settings.webhook_grace_s)
    await websocket.accept()
    try:
        while True:
            if not await run_in_threadpool(subscription_exists, engine, subscription_id):
                # unsubscribed meanwhile (DELETE of it or of its named query)
                await websocket.close(code=_NORMAL, reason="unsubscribed")
                break
            await run_in_threadpool(collect_subscription, engine, subscription_id, policy)
            documents = await run_in_threadpool(pending_documents, engine, subscription_id)
            for _, body in documents:
                await websocket.send_text(body)
            await run_in_threadpool(
                mark_delivered, engine, subscription_id, [pk for pk, _ in documents]
            )
            with contextlib.suppress(TimeoutError):
                message = await asyncio.wait_for(
                    websocket.receive(), timeout=settings.webhook_poll_interval_s
                )
                if message["type"] == "websocket.disconnect":
                    break
    except WebSocketDisconnect:
        pass
    finally:  # shielded: also when the server cancels the handler at the client's close
        with anyio.CancelScope(shield=True), contextlib.suppress(FoodtraceError):
            await run_in_threadpool(delete_subscription, engine, name, subscription_id, principal)
