"""Operational tables: capture jobs, dead letters, stations and their sequence numbers."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from trace_api.models.base import Base, JSONType, PrimaryKeyInt, UTCDateTime

__all__ = [
    "CAPTURE_STATUSES",
    "DEAD_LETTER_SOURCES",
    "ERROR_BEHAVIOURS",
    "CaptureJob",
    "DeadLetter",
    "Station",
    "StationSequence",
    "StationSequenceGap",
]

CAPTURE_STATUSES = ("pending", "running", "succeeded", "failed")
ERROR_BEHAVIOURS = ("rollback", "proceed")
DEAD_LETTER_SOURCES = ("mqtt", "http", "cli")


class CaptureJob(Base):
    """One capture request (EPCIS ``/capture`` job, or an MQTT message) and its outcome."""

    __tablename__ = "capture_job"
    __table_args__ = (
        sa.CheckConstraint(
            "status IN ('pending', 'running', 'succeeded', 'failed')", name="status"
        ),
        sa.CheckConstraint("error_behaviour IN ('rollback', 'proceed')", name="error_behaviour"),
    )

    id: Mapped[str] = mapped_column(sa.String(36), primary_key=True)
    status: Mapped[str] = mapped_column(sa.String(12), default="pending", index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    error_behaviour: Mapped[str] = mapped_column(sa.String(8), default="rollback")
    event_count: Mapped[int] = mapped_column(sa.Integer, default=0)
    stored_count: Mapped[int] = mapped_column(sa.Integer, default=0)
    duplicate_count: Mapped[int] = mapped_column(sa.Integer, default=0)
    error_count: Mapped[int] = mapped_column(sa.Integer, default=0)
    errors: Mapped[list[dict[str, Any]]] = mapped_column(JSONType, default=list)
    submitted_by: Mapped[str | None] = mapped_column(
        sa.Text,
        doc="who submitted it over REST (trace_api.api.access.principal_key); NULL for MQTT",
    )


class DeadLetter(Base):
    """A message that could not be captured, kept byte for byte with the precise reason."""

    __tablename__ = "dead_letter"
    __table_args__ = (sa.CheckConstraint("source IN ('mqtt', 'http', 'cli')", name="source"),)

    id: Mapped[int] = mapped_column(PrimaryKeyInt, primary_key=True)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    source: Mapped[str] = mapped_column(sa.String(8))
    source_detail: Mapped[str | None] = mapped_column(sa.Text, doc="MQTT topic, HTTP path …")
    station_id: Mapped[str | None] = mapped_column(sa.Text, index=True)
    reason_code: Mapped[str] = mapped_column(sa.String(64), index=True)
    message: Mapped[str] = mapped_column(sa.Text)
    raw: Mapped[bytes] = mapped_column(sa.LargeBinary)


class Station(Base):
    """A reader station, with the read points and business locations it may claim."""

    __tablename__ = "station"

    id: Mapped[str] = mapped_column(sa.Text, primary_key=True)
    site_location_id: Mapped[int | None] = mapped_column(sa.ForeignKey("location.id"), index=True)
    party_id: Mapped[int | None] = mapped_column(sa.ForeignKey("party.id"), index=True)
    read_points: Mapped[list[str]] = mapped_column(JSONType, default=list)
    biz_locations: Mapped[list[str]] = mapped_column(JSONType, default=list)


class StationSequence(Base):
    """Per station: the highest sequence number up to which nothing is missing, and the highest
    seen. Sequence numbers start at 1; the missing ranges are rows of ``station_sequence_gap``."""

    __tablename__ = "station_sequence"

    station_id: Mapped[str] = mapped_column(sa.Text, primary_key=True)
    highest_contiguous: Mapped[int] = mapped_column(sa.BigInteger, default=0)
    highest_seen: Mapped[int] = mapped_column(sa.BigInteger, default=0)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


class StationSequenceGap(Base):
    """A range of sequence numbers (both ends included) a station sent but we never received."""

    __tablename__ = "station_sequence_gap"

    station_id: Mapped[str] = mapped_column(
        sa.ForeignKey("station_sequence.station_id", ondelete="CASCADE"), primary_key=True
    )
    first: Mapped[int] = mapped_column(sa.BigInteger, primary_key=True)
    last: Mapped[int] = mapped_column(sa.BigInteger)
