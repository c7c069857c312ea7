"""The consumer side of the delivery outbox: claim due deliveries, record each attempt.

A delivery is *due* when it is pending, its ``next_attempt_at`` has come, no live lease holds
it, and it is the oldest pending delivery of its subscription (one subscription's documents
arrive in order; a failing receiver holds back only its own queue). Claiming sets a lease and
counts the attempt in one transaction (``FOR UPDATE SKIP LOCKED`` on PostgreSQL, so several
workers share the work); a worker that dies mid-request leaves a lease that expires, and the
delivery is sent again with the same ``GS1-Delivery-ID``.

After a failure the next attempt waits ``base · 2^(attempt−1)`` seconds (capped at ``max``,
with up to 25 % random jitter); after ``max_attempts`` failures the delivery is ``dead``: kept,
listed by the API, never sent again.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from trace_api.models import metadata
from trace_api.subscriptions.collect import WEBSOCKET_DEST

__all__ = [
    "Attempt",
    "Claimed",
    "RetryPolicy",
    "claim",
    "mark_delivered",
    "pending_documents",
    "record_attempts",
]

_SUBSCRIPTION = metadata.tables["subscription"]
_DELIVERY = metadata.tables["delivery"]
_MAX_ERROR = 500


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    max_attempts: int = 12
    backoff_base_s: float = 2.0
    backoff_max_s: float = 3600.0

    def delay(self, attempts: int) -> float:
        """Seconds to wait after the ``attempts``-th failed attempt."""
        base: float = min(self.backoff_base_s * 2.0 ** min(attempts - 1, 60), self.backoff_max_s)
        return base * (1 + random.random() / 4)  # noqa: S311 (jitter, not cryptography)


@dataclass(frozen=True, slots=True)
class Claimed:
    """A delivery this worker now holds: what to send and where."""

    pk: int
    uid: str
    subscription_id: str
    dest: str
    signature_token: str
    body: bytes
    attempts: int
    first_recorded_at: datetime | None


def claim(engine: Engine, limit: int, lease_s: float, now: datetime | None = None) -> list[Claimed]:
    """Take up to ``limit`` due deliveries under a lease of ``lease_s`` seconds."""
    at = now or datetime.now(UTC)
    # The oldest pending delivery of each subscription: one index seek per subscription on
    # (status, subscription_id, id), however long the queues are.
    head, owner = _DELIVERY.alias("head"), _SUBSCRIPTION.alias("owner")
    heads = sa.select(
        sa.select(sa.func.min(head.c.id))
        .where(head.c.status == "pending", head.c.subscription_id == owner.c.id)
        .scalar_subquery()
    ).select_from(owner)
    query = (
        sa.select(
            _DELIVERY.c.id,
            _DELIVERY.c.uid,
            _DELIVERY.c.subscription_id,
            _DELIVERY.c.body,
            _DELIVERY.c.attempts,
            _DELIVERY.c.first_recorded_at,
            _SUBSCRIPTION.c.dest,
            _SUBSCRIPTION.c.signature_token,
        )
        .join(_SUBSCRIPTION, _SUBSCRIPTION.c.id == _DELIVERY.c.subscription_id)
        .where(
            _DELIVERY.c.id.in_(heads),
            ~_SUBSCRIPTION.c.dest.startswith(WEBSOCKET_DEST, autoescape=True),
            _DELIVERY.c.status == "pending",
            _DELIVERY.c.next_attempt_at <= at,
            sa.or_(_DELIVERY.c.lease_until.is_(None), _DELIVERY.c.lease_until < at),
        )
        .order_by(_DELIVERY.c.id)
        .limit(limit)
        .with_for_update(skip_locked=True, of=_DELIVERY)
    )
    with engine.begin() as connection:
        rows = {r.id: r for r in connection.execute(query)}
        if not rows:
            return []
        # The update re-checks the lease: where the select could not lock (SQLite), a
        # delivery another worker claimed meanwhile is not taken twice.
        taken = connection.execute(
            _DELIVERY.update()
            .where(
                _DELIVERY.c.id.in_(list(rows)),
                _DELIVERY.c.status == "pending",
                sa.or_(_DELIVERY.c.lease_until.is_(None), _DELIVERY.c.lease_until < at),
            )
            .values(lease_until=at + timedelta(seconds=lease_s), attempts=_DELIVERY.c.attempts + 1)
            .returning(_DELIVERY.c.id, _DELIVERY.c.attempts)
        ).all()
    return [
        Claimed(
            pk,
            rows[pk].uid,
            rows[pk].subscription_id,
            rows[pk].dest,
            rows[pk].signature_token,
            rows[pk].body.encode(),
            attempts,
            rows[pk].first_recorded_at,
        )
        for pk, attempts in sorted(taken)
    ]


@dataclass(frozen=True, slots=True)
class Attempt:
    """The outcome of sending a claimed delivery once: ``status`` is the HTTP status (if any
    answer came), ``error`` why it failed (``None`` when it was delivered)."""

    claimed: Claimed
    status: int | None
    error: str | None


def record_attempts(
    engine: Engine, attempts: list[Attempt], policy: RetryPolicy, now: datetime | None = None
) -> list[Attempt]:
    """Record a round of attempts in one transaction: delivered ones are done, failed ones wait
    for their next attempt or are dead. Returns the attempts that made their delivery dead."""
    at = now or datetime.now(UTC)
    dead: list[Attempt] = []
    with engine.begin() as connection:
        for attempt in attempts:
            claimed = attempt.claimed
            values: dict[str, object] = {
                "last_status": attempt.status,
                "last_error": None if attempt.error is None else attempt.error[:_MAX_ERROR],
                "lease_until": None,
            }
            if attempt.error is None:
                values.update(status="delivered", delivered_at=at)
            elif claimed.attempts >= policy.max_attempts:
                values["status"] = "dead"
                dead.append(attempt)
            else:
                values["next_attempt_at"] = at + timedelta(seconds=policy.delay(claimed.attempts))
            connection.execute(
                _DELIVERY.update().where(_DELIVERY.c.id == claimed.pk).values(**values)
            )
        notified = sorted({a.claimed.subscription_id for a in attempts if a.error is None})
        if notified:
            connection.execute(
                _SUBSCRIPTION.update()
                .where(_SUBSCRIPTION.c.id.in_(notified))
                .values(last_notified_at=at)
            )
    return dead


def pending_documents(
    engine: Engine, subscription_id: str, limit: int = 100
) -> list[tuple[int, str]]:
    """``(delivery pk, body)`` of a subscription's pending deliveries, oldest first (the
    WebSocket connection of that subscription sends them itself)."""
    with engine.connect() as connection:
        rows = connection.execute(
            sa.select(_DELIVERY.c.id, _DELIVERY.c.body)
            .where(_DELIVERY.c.subscription_id == subscription_id, _DELIVERY.c.status == "pending")
            .order_by(_DELIVERY.c.id)
            .limit(limit)
        ).all()
    return [(int(pk), str(body)) for pk, body in rows]


def mark_delivered(engine: Engine, subscription_id: str, pks: list[int]) -> None:
    """Deliveries sent over a WebSocket: done."""
    if not pks:
        return
    at = datetime.now(UTC)
    with engine.begin() as connection:
        connection.execute(
            _DELIVERY.update()
            .where(_DELIVERY.c.id.in_(pks))
            .values(status="delivered", delivered_at=at, attempts=_DELIVERY.c.attempts + 1)
        )
        connection.execute(
            _SUBSCRIPTION.update()
            .where(_SUBSCRIPTION.c.id == subscription_id)
            .values(last_notified_at=at)
        )
