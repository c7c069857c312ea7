"""Run an :class:`EventQuery`: one page of events, in order, with keyset pagination.

Rows are ordered by the chosen time (``eventTime`` or ``recordTime``) then by the event row id,
so the order is total and a page starts strictly after the last row of the previous one
(``WHERE (t, id) > (t0, id0)``, written out as ``t > t0 OR (t = t0 AND id > id0)``): no
``OFFSET``, no duplicates or gaps between pages when rows are added meanwhile.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from trace_api.exceptions import QueryTooLargeError
from trace_api.models import metadata
from trace_api.query.pages import TOKEN_LIFETIME_S, PagePosition, sign_position, verify_token
from trace_api.query.params import EventQuery
from trace_api.storage.connection import Target, transaction

__all__ = ["Page", "StoredEvent", "run_query"]

_EVENT = metadata.tables["event"]
_CONTEXT = metadata.tables["epcis_context"]


@dataclass(frozen=True, slots=True)
class StoredEvent:
    """An event as stored: its JSON text verbatim and its document ``@context`` text."""

    event_id: str
    raw: str
    context: str | None


@dataclass(frozen=True, slots=True)
class Page:
    events: list[StoredEvent]
    next_token: str | None
    expires: int | None


def _after(column: Any, position: PagePosition, descending: bool) -> sa.ColumnElement[bool]:
    if descending:
        return sa.or_(
            column < position.key,
            sa.and_(column == position.key, _EVENT.c.id < position.row_id),
        )
    return sa.or_(
        column > position.key,
        sa.and_(column == position.key, _EVENT.c.id > position.row_id),
    )


def run_query(
    target: Target,
    query: EventQuery,
    *,
    secret: bytes,
    scope: sa.ColumnElement[bool] | None = None,
) -> Page:
    """One page of ``query``'s events; ``scope`` restricts them to what the caller may see."""
    column = _EVENT.c.event_time if query.order_by == "eventTime" else _EVENT.c.record_time
    conditions = list(query.conditions)
    if scope is not None:
        conditions.append(scope)
    served = 0
    position: PagePosition | None = None
    if query.next_page_token is not None:
        position = verify_token(secret, query.next_page_token, query.fingerprint)
        served = position.served
    limit = query.per_page
    if query.event_count_limit is not None:
        limit = min(limit, query.event_count_limit - served)
    with transaction(target) as connection:
        conditions += [resolve(connection) for resolve in query.resolvers]
        if query.max_event_count is not None and position is None:
            counted = connection.execute(
                sa.select(sa.func.count()).select_from(
                    sa.select(_EVENT.c.id)
                    .where(*conditions)
                    .limit(query.max_event_count + 1)
                    .subquery()
                )
            ).scalar_one()
            if counted > query.max_event_count:
                raise QueryTooLargeError(
                    f"the query matches more than maxEventCount={query.max_event_count} events"
                )
        page_conditions = list(conditions)
        if position is not None:
            page_conditions.append(_after(column, position, query.descending))
        order = (column.desc(), _EVENT.c.id.desc()) if query.descending else (column, _EVENT.c.id)
        rows = list(
            connection.execute(
                sa.select(_EVENT.c.id, _EVENT.c.event_id, _EVENT.c.raw, _EVENT.c.context_id, column)
                .where(*page_conditions)
                .order_by(*order)
                .limit(max(limit, 0) + 1)
            )
        )
        more = len(rows) > limit
        rows = rows[: max(limit, 0)]
        context_ids = {row.context_id for row in rows if row.context_id is not None}
        contexts: dict[int, str] = {}
        if context_ids:
            contexts = {
                int(i): body
                for i, body in connection.execute(
                    sa.select(_CONTEXT.c.id, _CONTEXT.c.body).where(
                        _CONTEXT.c.id.in_(sorted(context_ids))
                    )
                )
            }
    events = [StoredEvent(row.event_id, row.raw, contexts.get(row.context_id)) for row in rows]
    reached = query.event_count_limit is not None and served + len(rows) >= query.event_count_limit
    if not more or not rows or reached:
        return Page(events, None, None)
    last = rows[-1]
    key: datetime = last[4]
    expires = int(time.time()) + TOKEN_LIFETIME_S
    token = sign_position(
        secret, PagePosition(query.fingerprint, key, int(last.id), served + len(rows), expires)
    )
    return Page(events, token, expires)
