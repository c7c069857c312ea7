"""What a protocol session offers the reader driver (:mod:`edge_agent.reader`).

A session handshakes on a fresh :class:`~edge_agent.reader_link.Link`, starts the inventory,
turns frames into tag reads, keeps the inventory going (``on_frame``, ``idle``) and stops it.
"""

from __future__ import annotations

from typing import Any, Protocol

from edge_agent.reader_link import Link
from foodtrace.reader import TagRead

__all__ = ["Session", "SessionRead"]

#: A tag read and the temperature a sensor tag reported with it (°C), if any.
SessionRead = tuple[TagRead, float | None]


class Session(Protocol):
    def handshake(self, link: Link) -> dict[str, str]:
        """Identify and configure the reader; returns facts worth logging (firmware…)."""
        ...

    def start(self, link: Link) -> None:
        """Start the inventory."""
        ...

    def reads(self, frame: Any) -> list[SessionRead]:
        """The tag reads ``frame`` carries."""
        ...

    def on_frame(self, frame: Any, link: Link) -> None:
        """React to a non-tag frame (re-issue an inventory round, report a warning…)."""
        ...

    def idle(self, link: Link, quiet_s: float) -> None:
        """The line has been quiet for ``quiet_s``: nudge the reader or raise ReaderError."""
        ...

    def stop(self, link: Link) -> None:
        """Stop the inventory (best effort, at shutdown)."""
        ...
