"""Product certifications (organic, GAP …) shown on the consumer page.

``product.certifications``: a JSON list of ``{"scheme", "name": {"en", "zh"}, "number",
"valid_until"}`` from the master-data file; NULL when the file names none.

Revision ID: 0008
Revises: 0004 (written against 0003; re-linked into the chain at merge)
Create Date: 2026-11-25 05:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0008"
down_revision: str | Sequence[str] | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        "product",
        sa.Column(
            "certifications",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=True,
        ),
    )


def downgrade() -> None:
    op.drop_column("product", "certifications")
