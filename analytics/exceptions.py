"""Errors raised by the analytics package (``analytics``).

Every error here is a :class:`foodtrace.exceptions.FoodtraceError`, so the ``foodtrace`` CLI
prints it as one line and exits 1; the REST routes map the API ones to problem+json.

Our exception hierarchy::

    FoodtraceError                      (foodtrace.exceptions)
    └── AnalyticsError
        ├── ScenarioError .............. a scenario directory that is missing a file or breaks
        │                                the scenario format (contract A)
        ├── RoutesError ................ a routes file that does not parse or breaks the format
        ├── ModelError ................. a persisted model that is missing, of another format
        │                                version, or whose checksum does not match
        ├── PublishError ............... the broker for warnings cannot be reached or refuses us
        └── WarningError
            ├── WarningNotFoundError ... no warning with that id
            └── WarningTransitionError . a status change the workflow does not allow
"""

from __future__ import annotations

from foodtrace.exceptions import FoodtraceError

__all__ = [
    "AnalyticsError",
    "ModelError",
    "PublishError",
    "RoutesError",
    "ScenarioError",
    "WarningError",
    "WarningNotFoundError",
    "WarningTransitionError",
]


class AnalyticsError(FoodtraceError):
    """Base of every error the analytics raise."""


class ScenarioError(AnalyticsError):
    """A scenario directory lacking a file, or a file breaking the scenario format."""


class RoutesError(AnalyticsError):
    """A routes file (expected process per product) that does not parse or breaks the format."""


class ModelError(AnalyticsError):
    """A persisted model that is missing, of another format version, or corrupted."""


class PublishError(AnalyticsError):
    """The MQTT broker that warnings are published to cannot be reached, or refuses the login."""


class WarningError(AnalyticsError):
    """An early warning that cannot be read or changed."""


class WarningNotFoundError(WarningError):
    """No warning has that id."""


class WarningTransitionError(WarningError):
    """A status change the workflow does not allow (e.g. ``closed`` → ``open``)."""
