"""EPCIS events as captured: the event row, its document context and its child rows.

The event row keeps the indexed query dimensions as columns and the exact JSON text of the
event as received (``raw``), so queries can re-emit it byte for byte; ``context_id`` points at
the document ``@context`` needed to interpret its prefixes. Child tables hold the repeating
parts a query filters on: identifiers (EPCs, classes, parent, inputs, outputs), business
transactions, sources and destinations, sensor reports and the error declaration.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from trace_api.models.base import Base, JSONType, PrimaryKeyInt, UTCDateTime

__all__ = [
    "IDENTIFIER_KINDS",
    "IDENTIFIER_ROLES",
    "PARTY_DIRECTIONS",
    "EpcisContext",
    "ErrorDeclaration",
    "Event",
    "EventBizTransaction",
    "EventIdentifier",
    "EventSourceDestination",
    "SensorReport",
    "pattern_index",
]

IDENTIFIER_ROLES = ("epc", "parent", "child", "input", "output")
IDENTIFIER_KINDS = ("instance", "class")
PARTY_DIRECTIONS = ("source", "destination")


def _event_fk() -> sa.ForeignKey:
    return sa.ForeignKey("event.id", ondelete="CASCADE")


class EpcisContext(Base):
    """A document ``@context``, stored once and shared by every event captured with it."""

    __tablename__ = "epcis_context"

    id: Mapped[int] = mapped_column(PrimaryKeyInt, primary_key=True)
    hash: Mapped[str] = mapped_column(sa.String(64), unique=True, doc="sha-256 hex of body")
    body: Mapped[str] = mapped_column(sa.Text, doc="the @context as compact JSON text")


def pattern_index(table: str, column: str) -> sa.Index:
    """The index of an identifier column that prefix patterns search (``WD_readPoint``,
    ``MATCH_epc`` with ``urn:epc:idpat:…``: ``LIKE 'prefix%'``). On PostgreSQL it uses the
    ``text_pattern_ops`` operator class, which serves equality and ``LIKE`` prefixes whatever
    the database collation (a default-opclass index serves ``LIKE`` only under the ``C``
    collation); on SQLite it is a plain index (prefixes are rewritten into ranges there, see
    :mod:`trace_api.query.identifiers`). Migration 0005."""
    return sa.Index(f"ix_{table}_{column}", column, postgresql_ops={column: "text_pattern_ops"})


class Event(Base):
    """One EPCIS event (any of the five types)."""

    __tablename__ = "event"
    __table_args__ = (pattern_index("event", "read_point"), pattern_index("event", "biz_location"))

    id: Mapped[int] = mapped_column(PrimaryKeyInt, primary_key=True)
    event_id: Mapped[str] = mapped_column(sa.Text, unique=True, doc="EPCIS eventID or CBV hash")
    event_type: Mapped[str] = mapped_column(sa.String(32), index=True)
    event_time: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    event_time_zone_offset: Mapped[str] = mapped_column(sa.String(6))
    record_time: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    action: Mapped[str | None] = mapped_column(sa.String(8), index=True)
    biz_step: Mapped[str | None] = mapped_column(sa.Text, index=True)
    disposition: Mapped[str | None] = mapped_column(sa.Text, index=True)
    read_point: Mapped[str | None] = mapped_column(sa.Text)
    biz_location: Mapped[str | None] = mapped_column(sa.Text)
    transformation_id: Mapped[str | None] = mapped_column(sa.Text, index=True)
    station_id: Mapped[str | None] = mapped_column(sa.Text)
    station_seq: Mapped[int | None] = mapped_column(sa.BigInteger)
    capture_id: Mapped[str | None] = mapped_column(
        sa.ForeignKey("capture_job.id", ondelete="SET NULL"), index=True
    )
    # No index on context_id, nor on (station_id, station_seq): no query selects events by
    # them, and every index slows each insert (dropped by migration 0003).
    context_id: Mapped[int | None] = mapped_column(sa.ForeignKey("epcis_context.id"))
    error_declared: Mapped[bool] = mapped_column(sa.Boolean, default=False)
    raw: Mapped[str] = mapped_column(sa.Text, doc="the event's JSON text exactly as received")

    context: Mapped[EpcisContext | None] = relationship(lazy="raise")
    identifiers: Mapped[list[EventIdentifier]] = relationship(
        back_populates="event", lazy="raise", passive_deletes=True
    )
    biz_transactions: Mapped[list[EventBizTransaction]] = relationship(
        lazy="raise", passive_deletes=True
    )
    sources_destinations: Mapped[list[EventSourceDestination]] = relationship(
        lazy="raise", passive_deletes=True
    )
    sensor_reports: Mapped[list[SensorReport]] = relationship(lazy="raise", passive_deletes=True)
    error_declaration: Mapped[ErrorDeclaration | None] = relationship(
        lazy="raise", passive_deletes=True
    )


class EventIdentifier(Base):
    """An EPC or EPC class an event names, in one role (epc, parent, child, input, output)."""

    __tablename__ = "event_identifier"
    __table_args__ = (
        sa.Index("ix_event_identifier_event_role", "event_pk", "role"),
        pattern_index("event_identifier", "value"),
        pattern_index("event_identifier", "canonical"),
        sa.CheckConstraint("role IN ('epc', 'parent', 'child', 'input', 'output')", name="role"),
        sa.CheckConstraint("kind IN ('instance', 'class')", name="kind"),
    )

    id: Mapped[int] = mapped_column(PrimaryKeyInt, primary_key=True)
    event_pk: Mapped[int] = mapped_column(_event_fk())
    role: Mapped[str] = mapped_column(sa.String(8))
    kind: Mapped[str] = mapped_column(sa.String(8))
    value: Mapped[str] = mapped_column(sa.Text, doc="as given in the event")
    canonical: Mapped[str] = mapped_column(
        sa.Text, doc="canonical GS1 Digital Link, or the value if not GS1"
    )
    quantity: Mapped[float | None] = mapped_column(sa.Float)
    uom: Mapped[str | None] = mapped_column(sa.String(8))

    event: Mapped[Event] = relationship(back_populates="identifiers", lazy="raise")


class EventBizTransaction(Base):
    """A business transaction (purchase order, despatch advice …) an event refers to."""

    __tablename__ = "event_biz_transaction"

    id: Mapped[int] = mapped_column(PrimaryKeyInt, primary_key=True)
    event_pk: Mapped[int] = mapped_column(_event_fk(), index=True)
    type: Mapped[str | None] = mapped_column(sa.Text)
    value: Mapped[str] = mapped_column(sa.Text, index=True)


class EventSourceDestination(Base):
    """A source or destination (owning party, possessing party, location) of an event."""

    __tablename__ = "event_source_destination"
    __table_args__ = (
        sa.CheckConstraint("direction IN ('source', 'destination')", name="direction"),
    )

    id: Mapped[int] = mapped_column(PrimaryKeyInt, primary_key=True)
    event_pk: Mapped[int] = mapped_column(_event_fk(), index=True)
    direction: Mapped[str] = mapped_column(sa.String(12))
    type: Mapped[str] = mapped_column(sa.Text)
    value: Mapped[str] = mapped_column(sa.Text, index=True)


class SensorReport(Base):
    """One ``sensorReport`` of one ``sensorElement``, with that element's metadata."""

    __tablename__ = "sensor_report"
    __table_args__ = (
        sa.Index("ix_sensor_report_type_uom_value", "type", "uom", "value"),
        sa.Index("ix_sensor_report_uom_min_value", "uom", "min_value"),
        sa.Index("ix_sensor_report_uom_max_value", "uom", "max_value"),
        sa.Index("ix_sensor_report_uom_mean_value", "uom", "mean_value"),
    )

    id: Mapped[int] = mapped_column(PrimaryKeyInt, primary_key=True)
    event_pk: Mapped[int] = mapped_column(_event_fk(), index=True)
    element_index: Mapped[int] = mapped_column(sa.Integer)
    report_index: Mapped[int] = mapped_column(sa.Integer)
    type: Mapped[str | None] = mapped_column(sa.Text)
    device_id: Mapped[str | None] = mapped_column(sa.Text, index=True)
    time: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    start_time: Mapped[datetime | None] = mapped_column(UTCDateTime)
    end_time: Mapped[datetime | None] = mapped_column(UTCDateTime)
    value: Mapped[float | None] = mapped_column(sa.Float)
    min_value: Mapped[float | None] = mapped_column(sa.Float)
    max_value: Mapped[float | None] = mapped_column(sa.Float)
    mean_value: Mapped[float | None] = mapped_column(sa.Float)
    s_dev: Mapped[float | None] = mapped_column(sa.Float)
    perc_rank: Mapped[float | None] = mapped_column(sa.Float)
    perc_value: Mapped[float | None] = mapped_column(sa.Float)
    uom: Mapped[str | None] = mapped_column(sa.String(8))
    component: Mapped[str | None] = mapped_column(sa.Text)
    exception: Mapped[str | None] = mapped_column(sa.String(32))
    boolean_value: Mapped[bool | None] = mapped_column(sa.Boolean)
    string_value: Mapped[str | None] = mapped_column(sa.Text)
    uri_value: Mapped[str | None] = mapped_column(sa.Text)
    hex_binary_value: Mapped[str | None] = mapped_column(sa.Text)
    microorganism: Mapped[str | None] = mapped_column(sa.Text)
    chemical_substance: Mapped[str | None] = mapped_column(sa.Text)
    data_processing_method: Mapped[str | None] = mapped_column(sa.Text)
    biz_rules: Mapped[str | None] = mapped_column(sa.Text)


class ErrorDeclaration(Base):
    """The ``errorDeclaration`` of an event that declares an earlier capture erroneous."""

    __tablename__ = "error_declaration"

    event_pk: Mapped[int] = mapped_column(_event_fk(), primary_key=True)
    declaration_time: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    reason: Mapped[str | None] = mapped_column(sa.Text, index=True)
    corrective_event_ids: Mapped[list[str]] = mapped_column(JSONType, default=list)
    extensions: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)
