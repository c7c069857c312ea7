"""structlog set-up for the agent process (the library modules only call ``get_logger``).

``console`` renders human-readable lines, ``json`` one JSON object per line (journald, Loki).
Logs go to stderr. Loss and recovery of the broker connection, outbox drop episodes and refused
packing windows are logged once per episode, not per attempt.
"""

from __future__ import annotations

import logging
import sys

import structlog

from edge_agent.config import LoggingSettings

__all__ = ["configure_logging"]


def configure_logging(settings: LoggingSettings) -> None:
    level = getattr(logging, settings.level.upper())
    renderer: structlog.typing.Processor = (
        structlog.processors.JSONRenderer()
        if settings.format == "json"
        else structlog.dev.ConsoleRenderer(colors=False)
    )
    structlog.configure(
        processors=[
            structlog.processors.add_log_level,
            structlog.processors.TimeStamper(fmt="iso", utc=True),
            structlog.processors.format_exc_info,
            renderer,
        ],
        wrapper_class=structlog.make_filtering_bound_logger(level),
        logger_factory=structlog.PrintLoggerFactory(sys.stderr),
        cache_logger_on_first_use=False,
    )
