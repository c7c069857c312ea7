"""Errors raised by the edge agent.

Lower-layer errors are mapped once, where they enter: ``sqlite3.Error`` in :mod:`edge_agent.outbox`,
``OSError``/``ssl.SSLError``/paho refusals in :mod:`edge_agent.publisher`, ``tomllib`` and pydantic
errors in :mod:`edge_agent.config`. Everything above those modules sees only these classes. A
failure to publish is never an exception for the caller: events stay in the outbox and the
publisher retries; only misconfiguration and a broken outbox file raise.

``EdgeError`` is a :class:`foodtrace.exceptions.FoodtraceError`, so ``foodtrace edge run`` turns it
into one line on stderr and a non-zero exit.

Our exception hierarchy::

    FoodtraceError
    └── EdgeError
        ├── ConfigError (also a ValueError) ... station.toml / environment refused: unknown key,
        │                                       wrong type, bad SGLN, password in the file, ...
        ├── OutboxError ....................... the outbox database cannot be opened or written
        │   └── OutboxMismatchError ........... the outbox file belongs to another station
        ├── EventBuildError (also a ValueError) a tag read that cannot become an EPCIS event
        │   └── NonGS1EPCError ................ the EPC is not a GS1 EPC and the config refuses
        │                                       raw EPCs (``filters.non_gs1 = "refuse"``)
        ├── PublisherError .................... the MQTT client cannot be set up (TLS files,
        │                                       client certificate, unusable client options)
        └── ReaderError ....................... the reader does not answer as its protocol
                                                says (handshake timeout, silent line); the
                                                driver reconnects
"""

from __future__ import annotations

from foodtrace.exceptions import FoodtraceError

__all__ = [
    "ConfigError",
    "EdgeError",
    "EventBuildError",
    "NonGS1EPCError",
    "OutboxError",
    "OutboxMismatchError",
    "PublisherError",
    "ReaderError",
]


class EdgeError(FoodtraceError):
    """Base of every error the edge agent raises."""


class ConfigError(EdgeError, ValueError):
    """The station configuration is refused; the message names every offending key."""


class OutboxError(EdgeError):
    """The durable outbox (SQLite) cannot be opened, read or written."""


class OutboxMismatchError(OutboxError):
    """The outbox file was created for another station id; sequence numbers would mix."""


class EventBuildError(EdgeError, ValueError):
    """A tag read that cannot be turned into an EPCIS event."""


class NonGS1EPCError(EventBuildError):
    """The EPC does not decode as a GS1 EPC and raw EPCs are refused by the configuration."""


class PublisherError(EdgeError):
    """The MQTT client cannot be configured (TLS material, options)."""


class ReaderError(EdgeError):
    """The reader on the serial line does not answer as its protocol says; the driver treats it
    like a lost port (close, back off, reopen, handshake again)."""
