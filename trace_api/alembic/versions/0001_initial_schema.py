"""Initial schema: events and their child rows, master data, operational tables.

Revision ID: 0001
Revises:
Create Date: 2026-11-25 02:41:31.657156
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

#: BIGINT on PostgreSQL; INTEGER on SQLite, where only INTEGER PRIMARY KEY is the rowid.
ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
revision: str = "0001"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "capture_job",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("error_behaviour", sa.String(length=8), nullable=False),
        sa.Column("event_count", sa.Integer(), nullable=False),
        sa.Column("stored_count", sa.Integer(), nullable=False),
        sa.Column("duplicate_count", sa.Integer(), nullable=False),
        sa.Column("error_count", sa.Integer(), nullable=False),
        sa.Column(
            "errors",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.CheckConstraint(
            "error_behaviour IN ('rollback', 'proceed')",
            name=op.f("capture_job_error_behaviour_check"),
        ),
        sa.CheckConstraint(
            "status IN ('pending', 'running', 'succeeded', 'failed')",
            name=op.f("capture_job_status_check"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("capture_job_pkey")),
    )
    op.create_index(op.f("ix_capture_job_created_at"), "capture_job", ["created_at"])
    op.create_index(op.f("ix_capture_job_status"), "capture_job", ["status"])

    op.create_table(
        "dead_letter",
        sa.Column("id", ID, nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("source", sa.String(length=8), nullable=False),
        sa.Column("source_detail", sa.Text(), nullable=True),
        sa.Column("station_id", sa.Text(), nullable=True),
        sa.Column("reason_code", sa.String(length=64), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("raw", sa.LargeBinary(), nullable=False),
        sa.CheckConstraint(
            "source IN ('mqtt', 'http', 'cli')", name=op.f("dead_letter_source_check")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("dead_letter_pkey")),
    )
    op.create_index(op.f("ix_dead_letter_reason_code"), "dead_letter", ["reason_code"])
    op.create_index(op.f("ix_dead_letter_received_at"), "dead_letter", ["received_at"])
    op.create_index(op.f("ix_dead_letter_station_id"), "dead_letter", ["station_id"])

    op.create_table(
        "epcis_context",
        sa.Column("id", ID, nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("epcis_context_pkey")),
        sa.UniqueConstraint("hash", name=op.f("epcis_context_hash_key")),
    )
    op.create_table(
        "party",
        sa.Column("id", ID, nullable=False),
        sa.Column("gln", sa.Text(), nullable=False),
        sa.Column("canonical", sa.Text(), nullable=False),
        sa.Column("name_en", sa.Text(), nullable=True),
        sa.Column("name_zh", sa.Text(), nullable=True),
        sa.Column("licence_number", sa.Text(), nullable=True),
        sa.Column("role", sa.String(length=16), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("party_pkey")),
        sa.UniqueConstraint("gln", name=op.f("party_gln_key")),
    )
    op.create_index(op.f("ix_party_canonical"), "party", ["canonical"])

    op.create_table(
        "station_sequence",
        sa.Column("station_id", sa.Text(), nullable=False),
        sa.Column("highest_contiguous", sa.BigInteger(), nullable=False),
        sa.Column("highest_seen", sa.BigInteger(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("station_id", name=op.f("station_sequence_pkey")),
    )
    op.create_table(
        "event",
        sa.Column("id", ID, nullable=False),
        sa.Column("event_id", sa.Text(), nullable=False),
        sa.Column("event_type", sa.String(length=32), nullable=False),
        sa.Column("event_time", sa.DateTime(timezone=True), nullable=False),
        sa.Column("event_time_zone_offset", sa.String(length=6), nullable=False),
        sa.Column("record_time", sa.DateTime(timezone=True), nullable=False),
        sa.Column("action", sa.String(length=8), nullable=True),
        sa.Column("biz_step", sa.Text(), nullable=True),
        sa.Column("disposition", sa.Text(), nullable=True),
        sa.Column("read_point", sa.Text(), nullable=True),
        sa.Column("biz_location", sa.Text(), nullable=True),
        sa.Column("transformation_id", sa.Text(), nullable=True),
        sa.Column("station_id", sa.Text(), nullable=True),
        sa.Column("station_seq", sa.BigInteger(), nullable=True),
        sa.Column("capture_id", sa.String(length=36), nullable=True),
        sa.Column("context_id", ID, nullable=True),
        sa.Column("error_declared", sa.Boolean(), nullable=False),
        sa.Column("raw", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["capture_id"],
            ["capture_job.id"],
            name=op.f("event_capture_id_fkey"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["context_id"], ["epcis_context.id"], name=op.f("event_context_id_fkey")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("event_pkey")),
        sa.UniqueConstraint("event_id", name=op.f("event_event_id_key")),
    )
    op.create_index(op.f("ix_event_action"), "event", ["action"])
    op.create_index(op.f("ix_event_biz_location"), "event", ["biz_location"])
    op.create_index(op.f("ix_event_biz_step"), "event", ["biz_step"])
    op.create_index(op.f("ix_event_capture_id"), "event", ["capture_id"])
    op.create_index(op.f("ix_event_context_id"), "event", ["context_id"])
    op.create_index(op.f("ix_event_disposition"), "event", ["disposition"])
    op.create_index(op.f("ix_event_event_time"), "event", ["event_time"])
    op.create_index(op.f("ix_event_event_type"), "event", ["event_type"])
    op.create_index(op.f("ix_event_read_point"), "event", ["read_point"])
    op.create_index(op.f("ix_event_record_time"), "event", ["record_time"])
    op.create_index("ix_event_station", "event", ["station_id", "station_seq"])
    op.create_index(op.f("ix_event_transformation_id"), "event", ["transformation_id"])

    op.create_table(
        "location",
        sa.Column("id", ID, nullable=False),
        sa.Column("gln", sa.Text(), nullable=False),
        sa.Column("canonical", sa.Text(), nullable=False),
        sa.Column("name_en", sa.Text(), nullable=True),
        sa.Column("name_zh", sa.Text(), nullable=True),
        sa.Column("address", sa.Text(), nullable=True),
        sa.Column("country", sa.String(length=2), nullable=True),
        sa.Column("latitude", sa.Float(), nullable=True),
        sa.Column("longitude", sa.Float(), nullable=True),
        sa.Column("kind", sa.String(length=16), nullable=True),
        sa.Column("party_id", ID, nullable=True),
        sa.ForeignKeyConstraint(["party_id"], ["party.id"], name=op.f("location_party_id_fkey")),
        sa.PrimaryKeyConstraint("id", name=op.f("location_pkey")),
        sa.UniqueConstraint("gln", name=op.f("location_gln_key")),
    )
    op.create_index(op.f("ix_location_canonical"), "location", ["canonical"])
    op.create_index(op.f("ix_location_party_id"), "location", ["party_id"])

    op.create_table(
        "product",
        sa.Column("id", ID, nullable=False),
        sa.Column("gtin", sa.String(length=14), nullable=False),
        sa.Column("canonical", sa.Text(), nullable=False),
        sa.Column("name_en", sa.Text(), nullable=True),
        sa.Column("name_zh", sa.Text(), nullable=True),
        sa.Column(
            "ingredients",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("shelf_life_days", sa.Integer(), nullable=True),
        sa.Column("temp_min_c", sa.Float(), nullable=True),
        sa.Column("temp_max_c", sa.Float(), nullable=True),
        sa.Column("brand_owner_id", ID, nullable=True),
        sa.ForeignKeyConstraint(
            ["brand_owner_id"], ["party.id"], name=op.f("product_brand_owner_id_fkey")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("product_pkey")),
        sa.UniqueConstraint("gtin", name=op.f("product_gtin_key")),
    )
    op.create_index(op.f("ix_product_brand_owner_id"), "product", ["brand_owner_id"])
    op.create_index(op.f("ix_product_canonical"), "product", ["canonical"])

    op.create_table(
        "station_sequence_gap",
        sa.Column("station_id", sa.Text(), nullable=False),
        sa.Column("first", sa.BigInteger(), nullable=False),
        sa.Column("last", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["station_id"],
            ["station_sequence.station_id"],
            name=op.f("station_sequence_gap_station_id_fkey"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("station_id", "first", name=op.f("station_sequence_gap_pkey")),
    )
    op.create_table(
        "error_declaration",
        sa.Column("event_pk", ID, nullable=False),
        sa.Column("declaration_time", sa.DateTime(timezone=True), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column(
            "corrective_event_ids",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column(
            "extensions",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["event_pk"],
            ["event.id"],
            name=op.f("error_declaration_event_pk_fkey"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("event_pk", name=op.f("error_declaration_pkey")),
    )
    op.create_index(
        op.f("ix_error_declaration_declaration_time"), "error_declaration", ["declaration_time"]
    )
    op.create_index(op.f("ix_error_declaration_reason"), "error_declaration", ["reason"])

    op.create_table(
        "event_biz_transaction",
        sa.Column("id", ID, nullable=False),
        sa.Column("event_pk", ID, nullable=False),
        sa.Column("type", sa.Text(), nullable=True),
        sa.Column("value", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["event_pk"],
            ["event.id"],
            name=op.f("event_biz_transaction_event_pk_fkey"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("event_biz_transaction_pkey")),
    )
    op.create_index(
        op.f("ix_event_biz_transaction_event_pk"), "event_biz_transaction", ["event_pk"]
    )
    op.create_index(op.f("ix_event_biz_transaction_value"), "event_biz_transaction", ["value"])

    op.create_table(
        "event_identifier",
        sa.Column("id", ID, nullable=False),
        sa.Column("event_pk", ID, nullable=False),
        sa.Column("role", sa.String(length=8), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.Column("canonical", sa.Text(), nullable=False),
        sa.Column("quantity", sa.Float(), nullable=True),
        sa.Column("uom", sa.String(length=8), nullable=True),
        sa.CheckConstraint(
            "kind IN ('instance', 'class')", name=op.f("event_identifier_kind_check")
        ),
        sa.CheckConstraint(
            "role IN ('epc', 'parent', 'child', 'input', 'output')",
            name=op.f("event_identifier_role_check"),
        ),
        sa.ForeignKeyConstraint(
            ["event_pk"],
            ["event.id"],
            name=op.f("event_identifier_event_pk_fkey"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("event_identifier_pkey")),
    )
    op.create_index(op.f("ix_event_identifier_canonical"), "event_identifier", ["canonical"])
    op.create_index("ix_event_identifier_event_role", "event_identifier", ["event_pk", "role"])
    op.create_index(op.f("ix_event_identifier_value"), "event_identifier", ["value"])

    op.create_table(
        "event_source_destination",
        sa.Column("id", ID, nullable=False),
        sa.Column("event_pk", ID, nullable=False),
        sa.Column("direction", sa.String(length=12), nullable=False),
        sa.Column("type", sa.Text(), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.CheckConstraint(
            "direction IN ('source', 'destination')",
            name=op.f("event_source_destination_direction_check"),
        ),
        sa.ForeignKeyConstraint(
            ["event_pk"],
            ["event.id"],
            name=op.f("event_source_destination_event_pk_fkey"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("event_source_destination_pkey")),
    )
    op.create_index(
        op.f("ix_event_source_destination_event_pk"), "event_source_destination", ["event_pk"]
    )
    op.create_index(
        op.f("ix_event_source_destination_value"), "event_source_destination", ["value"]
    )

    op.create_table(
        "sensor_report",
        sa.Column("id", ID, nullable=False),
        sa.Column("event_pk", ID, nullable=False),
        sa.Column("element_index", sa.Integer(), nullable=False),
        sa.Column("report_index", sa.Integer(), nullable=False),
        sa.Column("type", sa.Text(), nullable=True),
        sa.Column("device_id", sa.Text(), nullable=True),
        sa.Column("time", sa.DateTime(timezone=True), nullable=True),
        sa.Column("start_time", sa.DateTime(timezone=True), nullable=True),
        sa.Column("end_time", sa.DateTime(timezone=True), nullable=True),
        sa.Column("value", sa.Float(), nullable=True),
        sa.Column("min_value", sa.Float(), nullable=True),
        sa.Column("max_value", sa.Float(), nullable=True),
        sa.Column("mean_value", sa.Float(), nullable=True),
        sa.Column("s_dev", sa.Float(), nullable=True),
        sa.Column("perc_rank", sa.Float(), nullable=True),
        sa.Column("perc_value", sa.Float(), nullable=True),
        sa.Column("uom", sa.String(length=8), nullable=True),
        sa.Column("component", sa.Text(), nullable=True),
        sa.Column("exception", sa.String(length=32), nullable=True),
        sa.Column("boolean_value", sa.Boolean(), nullable=True),
        sa.Column("string_value", sa.Text(), nullable=True),
        sa.Column("uri_value", sa.Text(), nullable=True),
        sa.Column("hex_binary_value", sa.Text(), nullable=True),
        sa.Column("microorganism", sa.Text(), nullable=True),
        sa.Column("chemical_substance", sa.Text(), nullable=True),
        sa.Column("data_processing_method", sa.Text(), nullable=True),
        sa.Column("biz_rules", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["event_pk"], ["event.id"], name=op.f("sensor_report_event_pk_fkey"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("sensor_report_pkey")),
    )
    op.create_index(op.f("ix_sensor_report_device_id"), "sensor_report", ["device_id"])
    op.create_index(op.f("ix_sensor_report_event_pk"), "sensor_report", ["event_pk"])
    op.create_index(op.f("ix_sensor_report_time"), "sensor_report", ["time"])
    op.create_index("ix_sensor_report_type_uom_value", "sensor_report", ["type", "uom", "value"])
    op.create_index("ix_sensor_report_uom_max_value", "sensor_report", ["uom", "max_value"])
    op.create_index("ix_sensor_report_uom_mean_value", "sensor_report", ["uom", "mean_value"])
    op.create_index("ix_sensor_report_uom_min_value", "sensor_report", ["uom", "min_value"])

    op.create_table(
        "station",
        sa.Column("id", sa.Text(), nullable=False),
        sa.Column("site_location_id", ID, nullable=True),
        sa.Column("party_id", ID, nullable=True),
        sa.Column(
            "read_points",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column(
            "biz_locations",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(["party_id"], ["party.id"], name=op.f("station_party_id_fkey")),
        sa.ForeignKeyConstraint(
            ["site_location_id"], ["location.id"], name=op.f("station_site_location_id_fkey")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("station_pkey")),
    )
    op.create_index(op.f("ix_station_party_id"), "station", ["party_id"])
    op.create_index(op.f("ix_station_site_location_id"), "station", ["site_location_id"])


def downgrade() -> None:
    # Dropping a table drops its indexes; children go before the tables they reference.
    for table in (
        "station_sequence_gap",
        "station",
        "sensor_report",
        "event_source_destination",
        "event_identifier",
        "event_biz_transaction",
        "error_declaration",
        "event",
        "product",
        "location",
        "station_sequence",
        "party",
        "epcis_context",
        "dead_letter",
        "capture_job",
    ):
        op.drop_table(table)
