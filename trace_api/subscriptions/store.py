"""Create, read and delete query subscriptions; their JSON view; their deliveries.

A subscription request is the EPCIS 2.0 body ``{"dest", "signatureToken", "stream": true}`` or
``{"dest", "signatureToken", "schedule": {…}, "reportIfEmpty"?}``, with an optional
``initialRecordTime`` (default: now). ``signatureToken`` is required (16 to 512 characters):
every delivery is signed with it (:mod:`trace_api.subscriptions.signing`) and it is never
returned. A subscription runs with the access scope of the token that created it; operators
see and delete only their own party's subscriptions, regulators all.
"""

from __future__ import annotations

import secrets
import uuid
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from trace_api.auth.tokens import Principal
from trace_api.exceptions import NotFoundError, SubscriptionError
from trace_api.models import metadata
from trace_api.subscriptions.collect import WEBSOCKET_DEST
from trace_api.subscriptions.destinations import DestinationPolicy, check_destination
from trace_api.subscriptions.schedule import parse_schedule

__all__ = [
    "WEBSOCKET_DEST",
    "create_subscription",
    "delete_subscription",
    "get_subscription",
    "list_deliveries",
    "list_subscriptions",
    "retry_delivery",
    "subscription_exists",
]

_SUBSCRIPTION = metadata.tables["subscription"]
_DELIVERY = metadata.tables["delivery"]
_QUERY = metadata.tables["named_query"]
_TOKEN = metadata.tables["api_token"]
_FIELDS = frozenset(
    {"dest", "signatureToken", "stream", "schedule", "reportIfEmpty", "initialRecordTime"}
)
_MIN_TOKEN, _MAX_TOKEN = 16, 512


def _time_text(value: datetime | None) -> str | None:
    if value is None:
        return None
    return value.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _parse_time(value: object) -> datetime:
    if not isinstance(value, str) or len(value) > 64:
        raise SubscriptionError("initialRecordTime: expected an RFC 3339 date-time")
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        raise SubscriptionError(f"initialRecordTime: {value!r} is not an RFC 3339 time") from None
    if parsed.tzinfo is None:
        raise SubscriptionError("initialRecordTime: the time zone offset is missing")
    return parsed.astimezone(UTC)


def _checked_request(body: Any, policy: DestinationPolicy, websocket: bool) -> dict[str, Any]:
    """The columns of a new subscription from its request body."""
    if not isinstance(body, dict):
        raise SubscriptionError("the body must be a JSON object")
    unknown = sorted(set(body) - _FIELDS)
    if unknown:
        raise SubscriptionError(f"unknown field {unknown[0][:40]!r}")
    if websocket:  # the connection is the destination; nothing is signed
        body = {**body, "dest": WEBSOCKET_DEST, "signatureToken": secrets.token_hex(16)}
    token = body.get("signatureToken")
    if not isinstance(token, str) or not _MIN_TOKEN <= len(token) <= _MAX_TOKEN:
        raise SubscriptionError(
            f"signatureToken: required, a string of {_MIN_TOKEN} to {_MAX_TOKEN} characters "
            "(the key deliveries are signed with)"
        )
    stream, schedule = body.get("stream"), body.get("schedule")
    report_if_empty = body.get("reportIfEmpty", False)
    if not isinstance(report_if_empty, bool):
        raise SubscriptionError("reportIfEmpty: expected true or false")
    if stream is not None and schedule is not None:
        raise SubscriptionError("stream and schedule are mutually exclusive")
    if schedule is None:
        if stream is not True:
            raise SubscriptionError(
                "either stream must be true or a schedule must be given "
                "(the server must know when to notify)"
            )
        if report_if_empty:
            raise SubscriptionError("reportIfEmpty applies to scheduled subscriptions only")
    else:
        parse_schedule(schedule)
    if not websocket:
        check_destination(body.get("dest"), policy)
    now = datetime.now(UTC)
    initial = _parse_time(body["initialRecordTime"]) if "initialRecordTime" in body else now
    return {
        "dest": body["dest"],
        "signature_token": token,
        "stream": schedule is None,
        "schedule": schedule,
        "report_if_empty": report_if_empty,
        "initial_record_time": initial,
        "min_record_time": initial,
        "next_run_at": None if schedule is None else parse_schedule(schedule).next_after(now),
        "created_at": now,
    }


def _visible(principal: Principal) -> sa.ColumnElement[bool] | None:
    """Which subscriptions ``principal`` may see: all for a regulator, else its party's."""
    if principal.role == "regulator":
        return None
    same_party = sa.select(_TOKEN.c.id).where(
        _TOKEN.c.role == principal.role, _TOKEN.c.party == principal.party
    )
    return _SUBSCRIPTION.c.token_id.in_(same_party)


def _counts(connection: Connection, ids: list[str]) -> dict[str, dict[str, int]]:
    counts: dict[str, dict[str, int]] = {i: {"pending": 0, "delivered": 0, "dead": 0} for i in ids}
    if ids:
        rows = connection.execute(
            sa.select(_DELIVERY.c.subscription_id, _DELIVERY.c.status, sa.func.count())
            .where(_DELIVERY.c.subscription_id.in_(ids))
            .group_by(_DELIVERY.c.subscription_id, _DELIVERY.c.status)
        )
        for subscription_id, status, count in rows:
            counts[subscription_id][status] = int(count)
    return counts


def _view(row: Any, counts: Mapping[str, int]) -> dict[str, Any]:
    view: dict[str, Any] = {
        "subscriptionID": row.id,
        "queryName": row.query_name,
        "dest": row.dest,
        "createdAt": _time_text(row.created_at),
        "initialRecordTime": _time_text(row.initial_record_time),
        "minRecordTime": _time_text(row.min_record_time),
    }
    if row.last_notified_at is not None:
        view["lastNotifiedAt"] = _time_text(row.last_notified_at)
    if row.stream:
        view["stream"] = True
    else:
        view["schedule"] = row.schedule
        view["reportIfEmpty"] = row.report_if_empty
        view["nextRunAt"] = _time_text(row.next_run_at)
    view["deliveries"] = dict(counts)
    return view


def _require_query(connection: Connection, query_name: str) -> None:
    found = connection.execute(
        sa.select(_QUERY.c.name).where(_QUERY.c.name == query_name[:200])
    ).first()
    if found is None:
        raise NotFoundError(f"no named query {query_name[:200]!r}")


def create_subscription(
    engine: Engine,
    query_name: str,
    principal: Principal,
    body: Any,
    policy: DestinationPolicy,
    *,
    websocket: bool = False,
) -> dict[str, Any]:
    """Store a subscription to the named query; its view (without the token). A
    ``websocket`` subscription is served by its connection, not by the delivery worker."""
    columns = _checked_request(body, policy, websocket)
    subscription_id = str(uuid.uuid4())
    with engine.begin() as connection:
        _require_query(connection, query_name)
        connection.execute(
            _SUBSCRIPTION.insert(),
            {
                **columns,
                "id": subscription_id,
                "query_name": query_name,
                "token_id": principal.token_id,
            },
        )
    return get_subscription(engine, query_name, subscription_id, principal)


def list_subscriptions(
    engine: Engine, query_name: str, principal: Principal
) -> list[dict[str, Any]]:
    """The subscriptions to a named query that ``principal`` may see, oldest first."""
    query = sa.select(_SUBSCRIPTION).where(_SUBSCRIPTION.c.query_name == query_name[:200])
    visible = _visible(principal)
    if visible is not None:
        query = query.where(visible)
    with engine.connect() as connection:
        _require_query(connection, query_name)
        rows = connection.execute(query.order_by(_SUBSCRIPTION.c.created_at)).all()
        counts = _counts(connection, [row.id for row in rows])
    return [_view(row, counts[row.id]) for row in rows]


def _find(
    connection: Connection, query_name: str | None, subscription_id: str, principal: Principal
) -> Any:
    query = sa.select(_SUBSCRIPTION).where(_SUBSCRIPTION.c.id == subscription_id[:36])
    if query_name is not None:
        query = query.where(_SUBSCRIPTION.c.query_name == query_name[:200])
    visible = _visible(principal)
    if visible is not None:
        query = query.where(visible)
    row = connection.execute(query).first()
    if row is None:
        where = "" if query_name is None else f" to the query {query_name[:200]!r}"
        raise NotFoundError(f"no subscription {subscription_id[:36]!r}{where}")
    return row


def get_subscription(
    engine: Engine, query_name: str, subscription_id: str, principal: Principal
) -> dict[str, Any]:
    """One subscription's view, with its delivery counts."""
    with engine.connect() as connection:
        row = _find(connection, query_name, subscription_id, principal)
        counts = _counts(connection, [row.id])
    return _view(row, counts[row.id])


def delete_subscription(
    engine: Engine, query_name: str, subscription_id: str, principal: Principal
) -> None:
    """Unsubscribe: the subscription and its undelivered documents are removed."""
    with engine.begin() as connection:
        row = _find(connection, query_name, subscription_id, principal)
        connection.execute(sa.delete(_SUBSCRIPTION).where(_SUBSCRIPTION.c.id == row.id))


def list_deliveries(
    engine: Engine,
    subscription_id: str,
    principal: Principal,
    *,
    status: str | None = None,
    limit: int = 100,
) -> list[dict[str, Any]]:
    """A subscription's deliveries, newest first (``status``: pending, delivered or dead)."""
    if status is not None and status not in ("pending", "delivered", "dead"):
        raise SubscriptionError("status: expected pending, delivered or dead")
    with engine.connect() as connection:
        row = _find(connection, None, subscription_id, principal)
        query = sa.select(
            _DELIVERY.c.uid,
            _DELIVERY.c.status,
            _DELIVERY.c.event_count,
            _DELIVERY.c.attempts,
            _DELIVERY.c.created_at,
            _DELIVERY.c.next_attempt_at,
            _DELIVERY.c.delivered_at,
            _DELIVERY.c.last_status,
            _DELIVERY.c.last_error,
        ).where(_DELIVERY.c.subscription_id == row.id)
        if status is not None:
            query = query.where(_DELIVERY.c.status == status)
        rows = connection.execute(query.order_by(_DELIVERY.c.id.desc()).limit(limit)).all()
    return [
        {
            "deliveryID": r.uid,
            "status": r.status,
            "eventCount": r.event_count,
            "attempts": r.attempts,
            "createdAt": _time_text(r.created_at),
            "nextAttemptAt": _time_text(r.next_attempt_at) if r.status == "pending" else None,
            "deliveredAt": _time_text(r.delivered_at),
            "lastStatus": r.last_status,
            "lastError": r.last_error,
        }
        for r in rows
    ]


def retry_delivery(
    engine: Engine, subscription_id: str, delivery_id: str, principal: Principal
) -> None:
    """Send a dead delivery again: pending, attempts from zero, due now."""
    with engine.begin() as connection:
        row = _find(connection, None, subscription_id, principal)
        changed = connection.execute(
            _DELIVERY.update()
            .where(
                _DELIVERY.c.subscription_id == row.id,
                _DELIVERY.c.uid == delivery_id[:36],
                _DELIVERY.c.status == "dead",
            )
            .values(status="pending", attempts=0, next_attempt_at=datetime.now(UTC))
        )
    if changed.rowcount == 0:
        raise NotFoundError(f"no dead delivery {delivery_id[:36]!r} of this subscription")


def subscription_exists(engine: Engine, subscription_id: str) -> bool:
    """Whether the subscription is still there (not unsubscribed, its query not deleted)."""
    with engine.connect() as connection:
        found = connection.execute(
            sa.select(_SUBSCRIPTION.c.id).where(_SUBSCRIPTION.c.id == subscription_id[:36])
        ).first()
    return found is not None
