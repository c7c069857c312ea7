"""EPCIS query subscriptions (webhooks) and the durable outbox of their deliveries.

Revision ID: 0004
Revises: 0007 (written against 0003; re-linked into the chain at merge)
Create Date: 2026-11-25 05:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
revision: str = "0004"
down_revision: str | Sequence[str] | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "subscription",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("query_name", sa.String(length=200), nullable=False),
        sa.Column("token_id", ID, nullable=False),
        sa.Column("dest", sa.Text(), nullable=False),
        sa.Column("signature_token", sa.Text(), nullable=False),
        sa.Column("stream", sa.Boolean(), nullable=False),
        sa.Column(
            "schedule",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=True,
        ),
        sa.Column("report_if_empty", sa.Boolean(), nullable=False),
        sa.Column("initial_record_time", sa.DateTime(timezone=True), nullable=False),
        sa.Column("min_record_time", sa.DateTime(timezone=True), nullable=False),
        sa.Column("next_run_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_notified_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["query_name"],
            ["named_query.name"],
            name=op.f("subscription_query_name_fkey"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["token_id"],
            ["api_token.id"],
            name=op.f("subscription_token_id_fkey"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("subscription_pkey")),
    )
    op.create_index(
        op.f("ix_subscription_query_name"), "subscription", ["query_name"], unique=False
    )
    op.create_table(
        "delivery",
        sa.Column("id", ID, nullable=False),
        sa.Column("uid", sa.String(length=36), nullable=False),
        sa.Column("subscription_id", sa.String(length=36), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("event_count", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=9), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("first_recorded_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("lease_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("delivered_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_status", sa.Integer(), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.CheckConstraint(
            "status IN ('pending', 'delivered', 'dead')", name=op.f("delivery_status_check")
        ),
        sa.ForeignKeyConstraint(
            ["subscription_id"],
            ["subscription.id"],
            name=op.f("delivery_subscription_id_fkey"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("delivery_pkey")),
        sa.UniqueConstraint("uid", name=op.f("delivery_uid_key")),
    )
    op.create_index(
        op.f("ix_delivery_status_delivery_subscription_id_delivery_id"),
        "delivery",
        ["status", "subscription_id", "id"],
        unique=False,
    )
    op.create_table(
        "delivery_event",
        sa.Column("subscription_id", sa.String(length=36), nullable=False),
        sa.Column("event_pk", ID, nullable=False),
        sa.Column("delivery_id", ID, nullable=False),
        sa.ForeignKeyConstraint(
            ["delivery_id"],
            ["delivery.id"],
            name=op.f("delivery_event_delivery_id_fkey"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["event_pk"],
            ["event.id"],
            name=op.f("delivery_event_event_pk_fkey"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["subscription_id"],
            ["subscription.id"],
            name=op.f("delivery_event_subscription_id_fkey"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("subscription_id", "event_pk", name=op.f("delivery_event_pkey")),
    )
    op.create_index(
        op.f("ix_delivery_event_delivery_id"), "delivery_event", ["delivery_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_delivery_event_delivery_id"), table_name="delivery_event")
    op.drop_table("delivery_event")
    op.drop_index(
        op.f("ix_delivery_status_delivery_subscription_id_delivery_id"), table_name="delivery"
    )
    op.drop_table("delivery")
    op.drop_index(op.f("ix_subscription_query_name"), table_name="subscription")
    op.drop_table("subscription")
