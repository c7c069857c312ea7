"""Schema migrations, run programmatically so they work from an installed package.

The Alembic scripts live in ``trace_api/alembic/``; no ``alembic.ini`` is needed. Use
:func:`upgrade` (what ``foodtrace db upgrade`` does), :func:`downgrade` and
:func:`current_revision`; :func:`alembic_config` gives a config for the ``alembic`` API itself
(e.g. ``alembic.command.revision(cfg, autogenerate=True)`` when the models change).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.util.exc import CommandError
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import DBAPIError

from trace_api.core.db import redacted
from trace_api.exceptions import DatabaseUnavailableError, MigrationError

__all__ = [
    "MigrationOutcome",
    "alembic_config",
    "current_revision",
    "downgrade",
    "head",
    "require_head",
    "upgrade",
]

SCRIPT_LOCATION = Path(__file__).with_name("alembic")


@dataclass(frozen=True, slots=True)
class MigrationOutcome:
    """Revisions before and after a migration (``None``: no schema at all)."""

    before: str | None
    after: str | None

    @property
    def changed(self) -> bool:
        return self.before != self.after


def alembic_config(connection: Connection | None = None) -> Config:
    """An Alembic config pointing at our scripts, optionally bound to an open connection."""
    config = Config()
    config.set_main_option("script_location", str(SCRIPT_LOCATION))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def head() -> str:
    """The newest revision the code knows."""
    revision = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert revision is not None
    return revision


def current_revision(connection: Connection) -> str | None:
    """The revision the database is at, ``None`` when it has never been migrated."""
    return MigrationContext.configure(connection).get_current_revision()


def _migrate(engine: Engine, target: str, up: bool) -> MigrationOutcome:
    try:
        with engine.begin() as connection:
            before = current_revision(connection)
            config = alembic_config(connection)
            if up:
                command.upgrade(config, target)
            else:
                command.downgrade(config, target)
            after = current_revision(connection)
    except CommandError as exc:
        raise MigrationError(f"{redacted(engine.url)}: {exc}") from exc
    except DBAPIError as exc:
        reason = " ".join(str(exc.orig).split()) if exc.orig is not None else str(exc)
        if exc.connection_invalidated or isinstance(exc.orig, OSError) or _while_connecting(exc):
            raise DatabaseUnavailableError(
                f"cannot connect to {redacted(engine.url)}: {reason}"
            ) from exc
        raise MigrationError(f"migration of {redacted(engine.url)} failed: {reason}") from exc
    return MigrationOutcome(before, after)


def _while_connecting(exc: DBAPIError) -> bool:
    """Whether the error happened while connecting (no statement was running)."""
    return exc.statement is None or exc.statement == ""


def upgrade(engine: Engine, revision: str = "head") -> MigrationOutcome:
    """Create or migrate the schema up to ``revision``, in one transaction."""
    return _migrate(engine, revision, up=True)


def downgrade(engine: Engine, revision: str = "base") -> MigrationOutcome:
    """Migrate the schema down to ``revision`` (``base`` drops every table)."""
    return _migrate(engine, revision, up=False)


def require_head(engine: Engine) -> None:
    """Raise :class:`MigrationError` unless the database is at the newest revision."""
    try:
        with engine.connect() as connection:
            revision = current_revision(connection)
    except DBAPIError as exc:
        reason = " ".join(str(exc.orig).split()) if exc.orig is not None else str(exc)
        raise DatabaseUnavailableError(
            f"cannot connect to {redacted(engine.url)}: {reason}"
        ) from exc
    if revision != head():
        state = "has no schema" if revision is None else f"is at revision {revision}"
        raise MigrationError(
            f"{redacted(engine.url)} {state}, not {head()}: run 'foodtrace db upgrade' first"
        )
