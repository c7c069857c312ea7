"""Early warnings raised by the analytics (contract B), their status history and the
identifiers, parties and places they concern (for the ``lot`` filter and operator access)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from trace_api.models.base import Base, JSONType, PrimaryKeyInt, UTCDateTime

__all__ = [
    "WARNING_SEVERITIES",
    "WARNING_STATUSES",
    "EarlyWarning",
    "WarningHistory",
    "WarningSubject",
]

WARNING_STATUSES = ("open", "acknowledged", "confirmed", "false_alarm", "closed")
WARNING_SEVERITIES = ("alert", "information_follow_up", "attention")
SUBJECT_KINDS = ("lot", "epc", "party", "location")


class EarlyWarning(Base):
    """One incident: what was found, on what evidence, how serious, and where it stands."""

    __tablename__ = "warning"
    __table_args__ = (
        sa.CheckConstraint(
            "status IN ('open', 'acknowledged', 'confirmed', 'false_alarm', 'closed')",
            name="status",
        ),
        sa.CheckConstraint(
            "severity IN ('alert', 'information_follow_up', 'attention')", name="severity"
        ),
    )

    id: Mapped[str] = mapped_column(sa.String(36), primary_key=True)
    created: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    updated: Mapped[datetime] = mapped_column(UTCDateTime)
    dedup_key: Mapped[str] = mapped_column(sa.Text, index=True, doc="type|lot or EPC")
    last_evidence: Mapped[datetime | None] = mapped_column(
        UTCDateTime, doc="latest event time of the evidence (the grouping window's end)"
    )
    detector: Mapped[str] = mapped_column(sa.Text)
    detector_version: Mapped[str] = mapped_column(sa.String(32))
    type: Mapped[str] = mapped_column(sa.String(32), index=True)
    severity: Mapped[str] = mapped_column(sa.String(24), index=True)
    recall_level: Mapped[str | None] = mapped_column(sa.String(3))
    score: Mapped[float] = mapped_column(sa.Float)
    threshold: Mapped[float] = mapped_column(sa.Float)
    gtin: Mapped[str | None] = mapped_column(sa.String(14), index=True)
    lots: Mapped[list[str]] = mapped_column(JSONType, default=list)
    epcs: Mapped[list[str]] = mapped_column(JSONType, default=list)
    evidence: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)
    explanation: Mapped[str] = mapped_column(sa.Text)
    origin: Mapped[list[dict[str, Any]]] = mapped_column(JSONType, default=list)
    holders: Mapped[list[dict[str, Any]]] = mapped_column(JSONType, default=list)
    recommended_action: Mapped[str] = mapped_column(sa.Text)
    status: Mapped[str] = mapped_column(sa.String(16), index=True, default="open")


class WarningHistory(Base):
    """One status change of a warning (the first is its creation, ``open``)."""

    __tablename__ = "warning_history"

    id: Mapped[int] = mapped_column(PrimaryKeyInt, primary_key=True)
    warning_id: Mapped[str] = mapped_column(
        sa.ForeignKey("warning.id", ondelete="CASCADE"), index=True
    )
    time: Mapped[datetime] = mapped_column(UTCDateTime)
    status: Mapped[str] = mapped_column(sa.String(16))
    by: Mapped[str | None] = mapped_column(sa.Text)
    note: Mapped[str | None] = mapped_column(sa.Text)


class WarningSubject(Base):
    """An identifier (canonical link) a warning concerns: a lot, an EPC, a party, a place."""

    __tablename__ = "warning_subject"
    __table_args__ = (
        sa.CheckConstraint("kind IN ('lot', 'epc', 'party', 'location')", name="kind"),
    )

    warning_id: Mapped[str] = mapped_column(
        sa.ForeignKey("warning.id", ondelete="CASCADE"), primary_key=True
    )
    kind: Mapped[str] = mapped_column(sa.String(8), primary_key=True)
    value: Mapped[str] = mapped_column(sa.Text, primary_key=True, index=True)
