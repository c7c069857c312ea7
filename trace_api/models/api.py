"""Tables of the REST interface: bearer tokens, named queries and the service's own secrets."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from trace_api.models.base import Base, JSONType, PrimaryKeyInt, UTCDateTime

__all__ = ["API_ROLES", "ApiToken", "NamedQuery", "ServiceSecret"]

API_ROLES = ("regulator", "operator", "station", "public")


class ApiToken(Base):
    """A bearer token: only the sha-256 of the secret is stored, with the holder's role."""

    __tablename__ = "api_token"
    __table_args__ = (
        sa.CheckConstraint("role IN ('regulator', 'operator', 'station', 'public')", name="role"),
    )

    id: Mapped[int] = mapped_column(PrimaryKeyInt, primary_key=True)
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    role: Mapped[str] = mapped_column(sa.String(12))
    party: Mapped[str | None] = mapped_column(sa.Text, doc="GLN of an operator's party")
    station_id: Mapped[str | None] = mapped_column(sa.Text, doc="station of a station token")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class NamedQuery(Base):
    """A stored query definition (``POST /queries``): a name and its query parameters."""

    __tablename__ = "named_query"

    name: Mapped[str] = mapped_column(sa.String(200), primary_key=True)
    query: Mapped[dict[str, Any]] = mapped_column(JSONType)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class ServiceSecret(Base):
    """A secret the service generates once and shares between its workers (page tokens)."""

    __tablename__ = "service_secret"

    name: Mapped[str] = mapped_column(sa.String(32), primary_key=True)
    value: Mapped[str] = mapped_column(sa.String(128))
