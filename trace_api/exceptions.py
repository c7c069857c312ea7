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
        ├── ConsoleUserError ........... a console account that cannot be created
        ├── ExportError ................ an export that cannot be made (bad selection, format)
        │   └── ExportNotFoundError .... a selected lot no stored event names
        ├── MasterDataError ............ a master-data file that does not parse or breaks the
        │                                format (``trace_api/examples/master-data.json``)
        ├── BrokerConfigError .......... the broker configuration or an account cannot be written
        ├── StationError ............... a station definition that cannot be stored (no read
        │   │                            point, not a location id, unknown party or site)
        │   ├── StationExistsError ..... ``station add`` of an id already registered
        │   └── StationNotFoundError ... no station with that id
        ├── PayloadError ............... captured bytes that are not a JSON document (not UTF-8,
        │                                not JSON); carries the dead-letter ``reason_code``
        ├── IngestError ................ the MQTT ingest cannot run (broker unreachable, login
        │                                refused, unusable connection settings)
        ├── DemoError .................. ``foodtrace demo`` cannot start (port in use, no broker,
        │                                a part that does not come up)
        └── ApiError ................... a REST request refused (``status`` is its HTTP status)
            ├── QueryParameterError .... an unknown, repeated or malformed query parameter (400)
            │   └── PageTokenError ..... a nextPageToken that was altered, expired or reused
            │                            with other parameters (400)
            ├── QueryTooLargeError ..... more events than maxEventCount allows (413)
            ├── CaptureLimitError ...... a capture body over the advertised limits (413)
            ├── NotFoundError .......... no such event, capture job or named query (404)
            ├── DuplicateEventError .... POST /events with an eventID already stored (409)
            ├── ConflictError .......... a named query that already exists (409)
            ├── SubscriptionError ...... a subscription request that cannot be honoured: no
            │   │                        stream nor schedule, bad schedule, bad token (400)
            │   └── DestinationError ... a webhook ``dest`` that is not http(s) or points at
            │                            a refused address (link-local, metadata …) (400)
            ├── AuthenticationError .... no bearer token, or an unknown one (401)
            └── AccessDeniedError ...... the token's role may not do this (403)
"""

from __future__ import annotations

from foodtrace.exceptions import FoodtraceError

__all__ = [
    "AccessDeniedError",
    "ApiError",
    "AuthenticationError",
    "BrokerConfigError",
    "CaptureLimitError",
    "ConfigError",
    "ConflictError",
    "ConsoleUserError",
    "DatabaseError",
    "DatabaseURLError",
    "DatabaseUnavailableError",
    "DemoError",
    "DestinationError",
    "DuplicateEventError",
    "EventShapeError",
    "ExportError",
    "ExportNotFoundError",
    "IngestError",
    "MasterDataError",
    "MigrationError",
    "NotFoundError",
    "PageTokenError",
    "PayloadError",
    "QueryParameterError",
    "QueryTooLargeError",
    "RecallError",
    "RecallNotFoundError",
    "StationError",
    "StationExistsError",
    "StationNotFoundError",
    "SubscriptionError",
    "TraceApiError",
    "TraceError",
    "TraceIdError",
    "TraceNotFoundError",
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


class StationError(TraceApiError):
    """A station definition that cannot be stored: no read point or business location, an id
    that is no GS1 location, or a party or site the master data does not hold."""


class StationExistsError(StationError):
    """A station id that is already registered (``station add`` does not replace)."""


class StationNotFoundError(StationError):
    """No station is registered under that id."""


class PayloadError(TraceApiError):
    """Captured bytes that are not a JSON document; ``reason_code`` is ``not_utf8`` or
    ``not_json`` (the dead-letter code), ``message`` the precise reason."""

    def __init__(self, reason_code: str, message: str) -> None:
        super().__init__(message)
        self.reason_code = reason_code
        self.message = message


class IngestError(TraceApiError):
    """The MQTT ingest cannot run: broker unreachable, login refused, unusable settings."""


class ApiError(TraceApiError):
    """A REST request the service refuses; ``status`` is the HTTP status, ``exception`` the
    EPCIS 2.0 exception name used in the problem ``type``."""

    status = 400
    exception = "ValidationException"


class QueryParameterError(ApiError):
    """An unknown, repeated or malformed query parameter (``QueryParameterException``)."""

    exception = "QueryParameterException"


class PageTokenError(QueryParameterError):
    """A ``nextPageToken`` that was altered, has expired or belongs to other parameters."""


class QueryTooLargeError(ApiError):
    """The query matches more events than its ``maxEventCount`` (``QueryTooLargeException``)."""

    status = 413
    exception = "QueryTooLargeException"


class CaptureLimitError(ApiError):
    """A capture body over the advertised event-count or size limit."""

    status = 413
    exception = "CaptureLimitExceededException"


class NotFoundError(ApiError):
    """No such event, capture job, named query or resource (``NoSuchResourceException``)."""

    status = 404
    exception = "NoSuchResourceException"


class DuplicateEventError(ApiError):
    """``POST /events`` with an event whose eventID (or CBV hash) is already stored."""

    status = 409
    exception = "ValidationException"


class ConflictError(ApiError):
    """A resource that already exists, such as a named query of the same name."""

    status = 409
    exception = "ValidationException"


class SubscriptionError(ApiError):
    """A query subscription request that cannot be honoured
    (``SubscriptionControlsException``, 400)."""

    exception = "SubscriptionControlsException"


class DestinationError(SubscriptionError):
    """A webhook destination that is not an http(s) URL, or resolves to a refused address
    (link-local, cloud metadata, multicast, unspecified; private ones when so configured)."""


class AuthenticationError(ApiError):
    """No bearer token, or one the service does not know (``SecurityException``, 401)."""

    status = 401
    exception = "SecurityException"


class AccessDeniedError(ApiError):
    """The token's role does not allow this request (``SecurityException``, 403)."""

    status = 403
    exception = "SecurityException"


class TraceError(TraceApiError):
    """A trace (genealogy query) that cannot be answered."""


class TraceIdError(TraceError, ValueError):
    """A traced identifier that is none of the accepted forms."""


class TraceNotFoundError(TraceError):
    """An identifier that no stored event names."""


class RecallError(TraceApiError):
    """A recall that cannot be declared or read."""


class RecallNotFoundError(RecallError):
    """A recall ID that was never declared."""


class DemoError(TraceApiError):
    """``foodtrace demo`` cannot start or run one of its parts."""


class ExportError(TraceApiError):
    """An export that cannot be made: a selection naming neither lots nor a product, a bad
    date range, an unknown format."""


class ExportNotFoundError(ExportError):
    """A selected lot that no stored event (visible to the caller) names."""


class ConsoleUserError(TraceApiError):
    """A console account that cannot be created: bad user name or role, name taken, an
    operator without a party."""
