"""Errors raised by the traceability service (``trace_api``).

Every error here is a :class:`foodtrace.exceptions.FoodtraceError`, so the ``foodtrace`` CLI
prints it as one line and exits 1, and the service maps it once to problem+json.

Our exception hierarchy::

    FoodtraceError                      (foodtrace.exceptions)
    └── TraceApiError
        ├── ConfigError ................ a setting that cannot be used (bad TOML, bad value)
        ├── DatabaseError
        │   ├── DatabaseURLError ....... a database URL we cannot use (scheme, driver, path)
        │   ├── DatabaseUnavailableError the server cannot be reached or refuses the login
        │   └── MigrationError ......... a schema migration failed or the revision is unknown
        ├── EventShapeError (also a ValueError)
        │                                an EPCIS event that lacks what storage needs (type,
        │                                eventTime, a list that is not a list …)
        ├── MasterDataError ............ a master-data file that does not parse or breaks the
        │                                format (``trace_api/examples/master-data.json``)
        └── BrokerConfigError .......... the broker configuration or an account cannot be written
"""

from __future__ import annotations

from foodtrace.exceptions import FoodtraceError

__all__ = [
    "BrokerConfigError",
    "ConfigError",
    "DatabaseError",
    "DatabaseURLError",
    "DatabaseUnavailableError",
    "EventShapeError",
    "MasterDataError",
    "MigrationError",
    "TraceApiError",
]


class TraceApiError(FoodtraceError):
    """Base of every error the traceability service raises."""


class ConfigError(TraceApiError):
    """A setting that cannot be used: unreadable TOML file, or a value of the wrong kind."""


class DatabaseError(TraceApiError):
    """The traceability database cannot be used."""


class DatabaseURLError(DatabaseError):
    """A database URL with an unsupported scheme or driver, or an unusable SQLite path."""


class DatabaseUnavailableError(DatabaseError):
    """The database server cannot be reached, or it refuses the connection."""


class MigrationError(DatabaseError):
    """A schema migration failed, or the database is at a revision this code does not know."""


class EventShapeError(TraceApiError, ValueError):
    """An EPCIS event lacking what storage needs, or holding a field of the wrong JSON type."""


class MasterDataError(TraceApiError):
    """A master-data file that does not parse, or an entry that breaks the documented format."""


class BrokerConfigError(TraceApiError):
    """The broker configuration, TLS files or an MQTT account cannot be written."""
