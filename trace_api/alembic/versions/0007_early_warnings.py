"""Early warnings of the analytics: warning, warning_history, warning_subject.

Revision ID: 0007
Revises: 0005
Create Date: 2026-11-25 05:05:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")
revision: str = "0007"
down_revision: str | Sequence[str] | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "warning",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("created", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated", sa.DateTime(timezone=True), nullable=False),
        sa.Column("dedup_key", sa.Text(), nullable=False),
        sa.Column("last_evidence", sa.DateTime(timezone=True), nullable=True),
        sa.Column("detector", sa.Text(), nullable=False),
        sa.Column("detector_version", sa.String(length=32), nullable=False),
        sa.Column("type", sa.String(length=32), nullable=False),
        sa.Column("severity", sa.String(length=24), nullable=False),
        sa.Column("recall_level", sa.String(length=3), nullable=True),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("threshold", sa.Float(), nullable=False),
        sa.Column("gtin", sa.String(length=14), nullable=True),
        sa.Column("lots", JSON, nullable=False),
        sa.Column("epcs", JSON, nullable=False),
        sa.Column("evidence", JSON, nullable=False),
        sa.Column("explanation", sa.Text(), nullable=False),
        sa.Column("origin", JSON, nullable=False),
        sa.Column("holders", JSON, nullable=False),
        sa.Column("recommended_action", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.CheckConstraint(
            "status IN ('open', 'acknowledged', 'confirmed', 'false_alarm', 'closed')",
            name=op.f("warning_status_check"),
        ),
        sa.CheckConstraint(
            "severity IN ('alert', 'information_follow_up', 'attention')",
            name=op.f("warning_severity_check"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("warning_pkey")),
    )
    op.create_index(op.f("ix_warning_created"), "warning", ["created"])
    op.create_index(op.f("ix_warning_dedup_key"), "warning", ["dedup_key"])
    op.create_index(op.f("ix_warning_type"), "warning", ["type"])
    op.create_index(op.f("ix_warning_severity"), "warning", ["severity"])
    op.create_index(op.f("ix_warning_gtin"), "warning", ["gtin"])
    op.create_index(op.f("ix_warning_status"), "warning", ["status"])
    op.create_table(
        "warning_history",
        sa.Column("id", ID, nullable=False),
        sa.Column("warning_id", sa.String(length=36), nullable=False),
        sa.Column("time", sa.DateTime(timezone=True), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("by", sa.Text(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["warning_id"],
            ["warning.id"],
            name=op.f("warning_history_warning_id_fkey"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("warning_history_pkey")),
    )
    op.create_index(op.f("ix_warning_history_warning_id"), "warning_history", ["warning_id"])
    op.create_table(
        "warning_subject",
        sa.Column("warning_id", sa.String(length=36), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.CheckConstraint(
            "kind IN ('lot', 'epc', 'party', 'location')", name=op.f("warning_subject_kind_check")
        ),
        sa.ForeignKeyConstraint(
            ["warning_id"],
            ["warning.id"],
            name=op.f("warning_subject_warning_id_fkey"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("warning_id", "kind", "value", name=op.f("warning_subject_pkey")),
    )
    op.create_index(op.f("ix_warning_subject_value"), "warning_subject", ["value"])


def downgrade() -> None:
    op.drop_table("warning_subject")
    op.drop_table("warning_history")
    op.drop_table("warning")
