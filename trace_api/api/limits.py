"""What ``/epcis/capture`` accepts, advertised in ``GS1-EPCIS-Capture-*`` headers."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["JSON_MEDIA_TYPES", "MAX_JSON_DEPTH", "CaptureLimits"]

#: Content types a capture or event body may have.
JSON_MEDIA_TYPES = frozenset({"application/json", "application/ld+json"})
#: Deepest JSON nesting accepted (EPCIS events need about 8 levels; extensions a few more).
MAX_JSON_DEPTH = 64


@dataclass(frozen=True, slots=True)
class CaptureLimits:
    """``max_events``: events per capture call; ``max_bytes``: size of one request body."""

    max_events: int = 10_000
    max_bytes: int = 20 * 1024 * 1024
