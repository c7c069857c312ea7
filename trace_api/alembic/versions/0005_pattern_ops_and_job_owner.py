"""PostgreSQL: identifier indexes with ``text_pattern_ops``, so prefix patterns are indexed;
``capture_job.submitted_by``, so a capture job is read only by who submitted it.

``WD_readPoint`` / ``WD_bizLocation`` and ``MATCH_…`` with ``urn:epc:idpat:`` patterns search
``LIKE 'prefix%'`` on ``event.read_point``, ``event.biz_location``, ``event_identifier.value``
and ``event_identifier.canonical``. A default-opclass btree serves that only under the ``C``
collation; these four indexes are rebuilt with ``text_pattern_ops``, which serves both the
equality lookups they were made for and the prefixes, under any collation. Same names, so no
extra index slows inserts. SQLite: the indexes stay (prefixes become ranges there).

``capture_job.submitted_by`` (nullable text): the REST caller that submitted the job
(``role:party-or-station``); MQTT jobs leave it NULL.

Revision ID: 0005
Revises: 0003
Create Date: 2026-11-25 05:15:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | Sequence[str] | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_INDEXES = (
    ("event", "read_point"),
    ("event", "biz_location"),
    ("event_identifier", "value"),
    ("event_identifier", "canonical"),
)


def _rebuild(pattern_ops: bool) -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for table, column in _INDEXES:
        name = f"ix_{table}_{column}"
        op.drop_index(name, table_name=table)
        if pattern_ops:
            op.create_index(name, table, [column], postgresql_ops={column: "text_pattern_ops"})
        else:
            op.create_index(name, table, [column])


def upgrade() -> None:
    _rebuild(pattern_ops=True)
    op.add_column("capture_job", sa.Column("submitted_by", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("capture_job") as batch:
        batch.drop_column("submitted_by")
    _rebuild(pattern_ops=False)
