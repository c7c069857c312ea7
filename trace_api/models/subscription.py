"""EPCIS query subscriptions (webhooks) and their durable outbox of deliveries.

A :class:`Subscription` belongs to a named query and to the token that created it (its access
scope). Each collection run turns new matching events into one :class:`Delivery` (an
``EPCISQueryDocument``, stored with the delivery so every retry sends the same bytes) and one
:class:`DeliveryEvent` row per event; the primary key ``(subscription_id, event_pk)`` of the
latter is what guarantees an event goes into at most one delivery per subscription.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from trace_api.models.base import Base, JSONType, PrimaryKeyInt, UTCDateTime

__all__ = ["DELIVERY_STATUSES", "Delivery", "DeliveryEvent", "Subscription"]

DELIVERY_STATUSES = ("pending", "delivered", "dead")


class Subscription(Base):
    """A webhook subscription to a named query: streamed (``stream``) or on a ``schedule``."""

    __tablename__ = "subscription"

    id: Mapped[str] = mapped_column(sa.String(36), primary_key=True, doc="subscriptionID")
    query_name: Mapped[str] = mapped_column(
        sa.ForeignKey("named_query.name", ondelete="CASCADE"), index=True
    )
    token_id: Mapped[int] = mapped_column(
        sa.ForeignKey("api_token.id", ondelete="CASCADE"), doc="creator: its access scope"
    )
    dest: Mapped[str] = mapped_column(sa.Text)
    signature_token: Mapped[str] = mapped_column(sa.Text, doc="HMAC key, never returned")
    stream: Mapped[bool] = mapped_column(sa.Boolean)
    schedule: Mapped[dict[str, Any] | None] = mapped_column(JSONType)
    report_if_empty: Mapped[bool] = mapped_column(sa.Boolean)
    initial_record_time: Mapped[datetime] = mapped_column(UTCDateTime)
    min_record_time: Mapped[datetime] = mapped_column(
        UTCDateTime, doc="collection watermark: events recorded from here on are looked at"
    )
    next_run_at: Mapped[datetime | None] = mapped_column(UTCDateTime, doc="schedule only")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    last_notified_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class Delivery(Base):
    """One document to POST to a subscription's ``dest``: pending → delivered, or dead."""

    __tablename__ = "delivery"
    __table_args__ = (
        sa.CheckConstraint("status IN ('pending', 'delivered', 'dead')", name="status"),
        sa.Index(None, "status", "subscription_id", "id"),
    )

    id: Mapped[int] = mapped_column(PrimaryKeyInt, primary_key=True)
    uid: Mapped[str] = mapped_column(sa.String(36), unique=True, doc="GS1-Delivery-ID header")
    subscription_id: Mapped[str] = mapped_column(
        sa.ForeignKey("subscription.id", ondelete="CASCADE")
    )
    body: Mapped[str] = mapped_column(sa.Text, doc="the EPCISQueryDocument, sent verbatim")
    event_count: Mapped[int] = mapped_column(sa.Integer)
    status: Mapped[str] = mapped_column(sa.String(9))
    attempts: Mapped[int] = mapped_column(sa.Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    first_recorded_at: Mapped[datetime | None] = mapped_column(
        UTCDateTime, doc="recordTime of its earliest event (capture → delivery latency)"
    )
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime)
    lease_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    delivered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_status: Mapped[int | None] = mapped_column(sa.Integer, doc="last HTTP status")
    last_error: Mapped[str | None] = mapped_column(sa.Text)


class DeliveryEvent(Base):
    """An event placed in a delivery; at most once per subscription (the primary key)."""

    __tablename__ = "delivery_event"

    subscription_id: Mapped[str] = mapped_column(
        sa.ForeignKey("subscription.id", ondelete="CASCADE"), primary_key=True
    )
    event_pk: Mapped[int] = mapped_column(
        sa.ForeignKey("event.id", ondelete="CASCADE"), primary_key=True
    )
    delivery_id: Mapped[int] = mapped_column(
        sa.ForeignKey("delivery.id", ondelete="CASCADE"), index=True
    )
