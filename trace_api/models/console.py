"""Regulator console accounts and their sessions."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from trace_api.models.base import Base, PrimaryKeyInt, UTCDateTime

__all__ = ["CONSOLE_ROLES", "ConsoleSession", "ConsoleUser"]

CONSOLE_ROLES = ("regulator", "operator")


class ConsoleUser(Base):
    """A console account; the password is stored only as a salted scrypt hash."""

    __tablename__ = "console_user"
    __table_args__ = (sa.CheckConstraint("role IN ('regulator', 'operator')", name="role"),)

    id: Mapped[int] = mapped_column(PrimaryKeyInt, primary_key=True)
    username: Mapped[str] = mapped_column(sa.String(64), unique=True)
    password_hash: Mapped[str] = mapped_column(sa.Text, doc="scrypt$n$r$p$salt$hash (base64)")
    role: Mapped[str] = mapped_column(sa.String(12))
    party: Mapped[str | None] = mapped_column(sa.Text, doc="GLN of an operator's party")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class ConsoleSession(Base):
    """A signed-in browser: the sha-256 of its cookie secret, its CSRF token and expiry."""

    __tablename__ = "console_session"

    token_hash: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("console_user.id", ondelete="CASCADE"), index=True
    )
    csrf: Mapped[str] = mapped_column(sa.String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
