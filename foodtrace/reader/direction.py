"""Which way a frame travels on the serial line."""

from __future__ import annotations

from enum import StrEnum

__all__ = ["Direction"]


class Direction(StrEnum):
    """Direction of a frame: host → reader (a command) or reader → host (a response/report)."""

    HOST_TO_READER = "host->reader"
    READER_TO_HOST = "reader->host"
