"""Turn newly stored events into deliveries: the producer side of the outbox.

Events reach the database by REST capture, ``foodtrace capture`` and MQTT ingest, all through
:func:`trace_api.storage.store_events`; collection reads them back from the ``event`` table, so
every path is covered and the capture path pays nothing. For each due subscription (every
stream subscription, a scheduled one once its ``next_run_at`` has come), in one transaction
holding the subscription row (``FOR UPDATE SKIP LOCKED`` on PostgreSQL, so parallel workers
never collect the same subscription twice):

1. the named query's conditions, the creator's access scope (:func:`query_scope`) and
   ``recordTime ≥ minRecordTime − grace`` select the events not yet placed in a delivery of this
   subscription (``delivery_event``; its primary key makes a second placement impossible);
2. they become ``EPCISQueryDocument`` bodies of at most ``max_events`` events each, stored as
   pending deliveries with their ``delivery_event`` rows;
3. ``minRecordTime`` moves to the collection time (the standard's "most recent execution").

The grace period re-reads the last seconds before the watermark: a transaction that took its
``recordTime`` before the previous collection but committed after it is still found.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import IntegrityError

from foodtrace.exceptions import FoodtraceError
from trace_api.api.access import query_scope
from trace_api.auth.tokens import Principal
from trace_api.models import metadata
from trace_api.query import StoredEvent, parse_query, query_document, query_pairs
from trace_api.subscriptions.schedule import parse_schedule

__all__ = ["WEBSOCKET_DEST", "CollectPolicy", "collect", "collect_subscription"]

#: The ``dest`` of a WebSocket subscription: its connection collects it, not the worker.
WEBSOCKET_DEST = "websocket:"

log = logging.getLogger(__name__)

_SUBSCRIPTION = metadata.tables["subscription"]
_DELIVERY = metadata.tables["delivery"]
_DELIVERY_EVENT = metadata.tables["delivery_event"]
_QUERY = metadata.tables["named_query"]
_TOKEN = metadata.tables["api_token"]
_EVENT = metadata.tables["event"]
_CONTEXT = metadata.tables["epcis_context"]


@dataclass(frozen=True, slots=True)
class CollectPolicy:
    """``max_events`` per document, ``max_documents`` per subscription and run, ``grace_s``."""

    max_events: int = 500
    max_documents: int = 20
    grace_s: float = 10.0


def collect(engine: Engine, policy: CollectPolicy, now: datetime | None = None) -> int:
    """Collect every due subscription; the number of deliveries created."""
    at = now or datetime.now(UTC)
    with engine.connect() as connection:
        due = connection.scalars(
            sa.select(_SUBSCRIPTION.c.id)
            .where(
                sa.or_(_SUBSCRIPTION.c.stream.is_(True), _SUBSCRIPTION.c.next_run_at <= at),
                ~_SUBSCRIPTION.c.dest.startswith(WEBSOCKET_DEST, autoescape=True),
            )
            .order_by(_SUBSCRIPTION.c.created_at)
        ).all()
    created = 0
    for subscription_id in due:
        try:
            created += _collect_one(engine, subscription_id, policy, at)
        except IntegrityError:  # another worker placed these events first (SQLite: no row lock)
            log.debug("subscriptions: %s collected concurrently", subscription_id)
        except FoodtraceError as exc:  # a query or schedule that no longer works: say so, go on
            log.warning("subscriptions: cannot collect %s: %s", subscription_id, exc)
    return created


def _locked(connection: Connection, subscription_id: str, at: datetime) -> Any:
    return connection.execute(
        sa.select(
            _SUBSCRIPTION,
            _QUERY.c.query,
            _TOKEN.c.role,
            _TOKEN.c.party,
            _TOKEN.c.station_id,
        )
        .join(_QUERY, _QUERY.c.name == _SUBSCRIPTION.c.query_name)
        .join(_TOKEN, _TOKEN.c.id == _SUBSCRIPTION.c.token_id)
        .where(
            _SUBSCRIPTION.c.id == subscription_id,
            sa.or_(_SUBSCRIPTION.c.stream.is_(True), _SUBSCRIPTION.c.next_run_at <= at),
        )
        .with_for_update(skip_locked=True, of=_SUBSCRIPTION)
    ).first()


def collect_subscription(
    engine: Engine, subscription_id: str, policy: CollectPolicy, now: datetime | None = None
) -> int:
    """Collect one subscription if it is due; the number of deliveries created."""
    try:
        return _collect_one(engine, subscription_id, policy, now or datetime.now(UTC))
    except IntegrityError:
        return 0


def _collect_one(engine: Engine, subscription_id: str, policy: CollectPolicy, at: datetime) -> int:
    with engine.begin() as connection:
        row = _locked(connection, subscription_id, at)
        if row is None:  # gone, not due any more, or another worker holds it
            return 0
        principal = Principal(row.token_id, row.role, row.party, row.station_id)
        conditions = list(parse_query(query_pairs(row.query)).conditions)
        scope = query_scope(principal)
        if scope is not None:
            conditions.append(scope)
        lower = max(
            row.initial_record_time, row.min_record_time - timedelta(seconds=policy.grace_s)
        )
        placed = sa.exists().where(
            _DELIVERY_EVENT.c.subscription_id == row.id,
            _DELIVERY_EVENT.c.event_pk == _EVENT.c.id,
        )
        cap = policy.max_events * policy.max_documents
        events = connection.execute(
            sa.select(
                _EVENT.c.id,
                _EVENT.c.event_id,
                _EVENT.c.raw,
                _EVENT.c.context_id,
                _EVENT.c.record_time,
            )
            .where(*conditions, _EVENT.c.record_time >= lower, ~placed)
            .order_by(_EVENT.c.record_time, _EVENT.c.id)
            .limit(cap + 1)
        ).all()
        more = len(events) > cap
        events = events[:cap]
        # With more left, stop the watermark at the last one taken; they are read next run.
        watermark = events[-1].record_time if more else at
        created = _write_deliveries(connection, row, events, policy.max_events, at)
        if not events and not row.stream and row.report_if_empty:
            created += _write_deliveries(connection, row, [], policy.max_events, at, empty=True)
        values: dict[str, Any] = {"min_record_time": max(watermark, row.min_record_time)}
        if not row.stream:
            values["next_run_at"] = parse_schedule(row.schedule).next_after(at)
        connection.execute(
            _SUBSCRIPTION.update().where(_SUBSCRIPTION.c.id == row.id).values(**values)
        )
    return created


def _contexts(connection: Connection, events: Sequence[Any]) -> dict[int, str]:
    ids = sorted({e.context_id for e in events if e.context_id is not None})
    if not ids:
        return {}
    rows = connection.execute(
        sa.select(_CONTEXT.c.id, _CONTEXT.c.body).where(_CONTEXT.c.id.in_(ids))
    )
    return {int(i): body for i, body in rows}


def _write_deliveries(
    connection: Connection,
    subscription: Any,
    events: Sequence[Any],
    max_events: int,
    at: datetime,
    *,
    empty: bool = False,
) -> int:
    contexts = _contexts(connection, events)
    chunks = [events[i : i + max_events] for i in range(0, len(events), max_events)]
    if empty:
        chunks = [[]]
    for chunk in chunks:
        stored = [StoredEvent(e.event_id, e.raw, contexts.get(e.context_id)) for e in chunk]
        body = query_document(
            stored, query_name=subscription.query_name, subscription_id=subscription.id
        )
        delivery_pk = connection.execute(
            _DELIVERY.insert().returning(_DELIVERY.c.id),
            {
                "uid": str(uuid.uuid4()),
                "subscription_id": subscription.id,
                "body": body.decode(),
                "event_count": len(chunk),
                "status": "pending",
                "attempts": 0,
                "created_at": at,
                "first_recorded_at": min((e.record_time for e in chunk), default=None),
                "next_attempt_at": at,
            },
        ).scalar_one()
        if chunk:
            connection.execute(
                _DELIVERY_EVENT.insert(),
                [
                    {
                        "subscription_id": subscription.id,
                        "event_pk": e.id,
                        "delivery_id": delivery_pk,
                    }
                    for e in chunk
                ],
            )
    return len(chunks)
