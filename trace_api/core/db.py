"""The database engine: SQLite (WAL) or PostgreSQL (psycopg 3), from a URL as users write it.

Accepted URLs, and what they become:

* ``sqlite:///relative/or/absolute/path.db``, ``sqlite:////abs/path.db``, a bare file path
  → ``sqlite+pysqlite:///…``; the parent directory is created. Every connection gets
  ``journal_mode=WAL``, ``synchronous=NORMAL``, ``foreign_keys=ON`` and a busy timeout.
* ``postgresql://…``, ``postgres://…``, ``postgresql+psycopg://…`` → ``postgresql+psycopg://…``.

Anything else (other drivers, other databases) is a :class:`DatabaseURLError`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson
import sqlalchemy as sa
from sqlalchemy.engine import URL, Engine, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError

from trace_api.exceptions import DatabaseUnavailableError, DatabaseURLError

__all__ = ["check_connection", "create_engine", "normalise_url", "redacted"]

_POSTGRES_SCHEMES = {"postgresql", "postgres", "postgresql+psycopg"}
_SQLITE_SCHEMES = {"sqlite", "sqlite+pysqlite"}
CONNECT_TIMEOUT_S = 10


def normalise_url(value: str | URL) -> URL:
    """The SQLAlchemy URL for a user-given database URL or SQLite file path."""
    if isinstance(value, str):
        text = value.strip()
        if not text:
            raise DatabaseURLError("empty database URL")
        if "://" not in text:
            text = f"sqlite:///{text}"
        try:
            url = make_url(text)
        except (ArgumentError, ValueError) as exc:
            raise DatabaseURLError(f"not a database URL: {value!r}") from exc
    else:
        url = value
    scheme = url.drivername
    if scheme in _POSTGRES_SCHEMES:
        if not url.database:
            raise DatabaseURLError(f"no database name in {redacted(url)}")
        return url.set(drivername="postgresql+psycopg")
    if scheme in _SQLITE_SCHEMES:
        return url.set(drivername="sqlite+pysqlite")
    raise DatabaseURLError(
        f"unsupported database URL scheme {scheme!r} (use sqlite:///path or postgresql://…)"
    )


def redacted(url: str | URL) -> str:
    """The URL with its password hidden, for messages and logs."""
    try:
        parsed = url if isinstance(url, URL) else make_url(url)
    except ArgumentError:
        return "<unparsable URL>"
    return parsed.render_as_string(hide_password=True)


def _sqlite_file(url: URL) -> Path | None:
    database = url.database
    if not database or database == ":memory:" or database.startswith("file:"):
        return None
    return Path(database)


def _json_dumps(value: Any) -> str:
    return orjson.dumps(value).decode()


def create_engine(url: str | URL, *, echo: bool = False, busy_timeout_ms: int = 5000) -> Engine:
    """An engine for ``url`` with the project's connection settings. Dispose it when done."""
    target = normalise_url(url)
    if target.get_backend_name() == "sqlite":
        path = _sqlite_file(target)
        if path is not None:
            path.expanduser().parent.mkdir(parents=True, exist_ok=True)
        engine = sa.create_engine(target, echo=echo, json_serializer=_json_dumps)
        _install_sqlite_pragmas(engine, busy_timeout_ms)
        return engine
    connect_args: dict[str, Any] = {}
    if "connect_timeout" not in target.query:
        connect_args["connect_timeout"] = CONNECT_TIMEOUT_S
    return sa.create_engine(
        target,
        echo=echo,
        json_serializer=_json_dumps,
        connect_args=connect_args,
        pool_pre_ping=True,
    )


def _install_sqlite_pragmas(engine: Engine, busy_timeout_ms: int) -> None:
    @sa.event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
        finally:
            cursor.close()


def check_connection(engine: Engine) -> None:
    """Open one connection, or raise :class:`DatabaseUnavailableError` saying why not."""
    try:
        with engine.connect() as connection:
            connection.execute(sa.text("SELECT 1"))
    except DBAPIError as exc:
        reason = " ".join(str(exc.orig).split()) if exc.orig is not None else str(exc)
        raise DatabaseUnavailableError(
            f"cannot connect to {redacted(engine.url)}: {reason}"
        ) from exc
