"""REST interface tables: bearer tokens, named queries, service secrets.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25 03:20:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
revision: str = "0002"
down_revision: str | Sequence[str] | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "api_token",
        sa.Column("id", ID, nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("role", sa.String(length=12), nullable=False),
        sa.Column("party", sa.Text(), nullable=True),
        sa.Column("station_id", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "role IN ('regulator', 'operator', 'station', 'public')",
            name=op.f("api_token_role_check"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("api_token_pkey")),
        sa.UniqueConstraint("token_hash", name=op.f("api_token_token_hash_key")),
    )
    op.create_table(
        "named_query",
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column(
            "query",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("named_query_pkey")),
    )
    op.create_table(
        "service_secret",
        sa.Column("name", sa.String(length=32), nullable=False),
        sa.Column("value", sa.String(length=128), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("service_secret_pkey")),
    )


def downgrade() -> None:
    op.drop_table("service_secret")
    op.drop_table("named_query")
    op.drop_table("api_token")
