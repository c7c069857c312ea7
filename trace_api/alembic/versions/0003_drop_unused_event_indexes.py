"""Drop two ``event`` indexes no query uses (each one slowed every event insert).

``ix_event_context_id``: events are never looked up by their ``@context`` (the context is
fetched by its own key from the event row), nearly every event shares one context, and
``epcis_context`` rows are never deleted. ``ix_event_station``: station sequence state and
gaps live in ``station_sequence`` / ``station_sequence_gap``; nothing selects events by
station and sequence number.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25 04:05:00
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0003"
down_revision: str | Sequence[str] | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.drop_index("ix_event_station", table_name="event")
    op.drop_index(op.f("ix_event_context_id"), table_name="event")


def downgrade() -> None:
    op.create_index(op.f("ix_event_context_id"), "event", ["context_id"])
    op.create_index("ix_event_station", "event", ["station_id", "station_seq"])
