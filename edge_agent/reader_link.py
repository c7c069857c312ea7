"""The reader driver's view of an open serial port: frames in, commands out, request/reply.

:class:`Link` wraps any pyserial port (``serial.serial_for_url``): it waits for bytes with
``select`` on the port's file descriptor when it has one (device paths, ``socket://``) and reads
everything available at once; ports without one (``rfc2217://``) are read with the port's own
timeout. Bytes go through the protocol's resynchronising response parser; the parser's stats
give the frame-error count.
"""

from __future__ import annotations

import select
import time
from collections.abc import Callable
from typing import Any, Final

from edge_agent.exceptions import ReaderError
from foodtrace.reader import ParserStats, StreamParser

__all__ = ["Link"]

_READ_SIZE: Final = 65536
_POLL_TIMEOUT_S: Final = 0.05


class Link:
    """One open port and its response parser."""

    def __init__(self, port: Any, parser: StreamParser[Any]) -> None:
        self.port = port
        self.parser = parser
        self.last_rx = time.monotonic()
        self.arrival_ns = time.time_ns()
        self.reported_errors = 0  # frame errors already passed on by the driver
        self.reported_dropped = 0
        try:
            self._fd: int | None = int(port.fileno())
        except (AttributeError, OSError, ValueError, TypeError):
            self._fd = None
        if self._fd is not None:
            port.timeout = 0
        else:
            port.timeout = _POLL_TIMEOUT_S

    @property
    def stats(self) -> ParserStats:
        return self.parser.stats

    @property
    def frame_errors(self) -> int:
        """Candidate frames the parser rejected (bad checksum/CRC or impossible length)."""
        stats = self.parser.stats
        return stats.checksum_errors + stats.length_errors

    def send(self, data: bytes) -> None:
        self.port.write(data)

    def read_frames(self, timeout: float) -> list[Any]:
        """Frames completed by the bytes that arrive within ``timeout`` (may be none).
        ``arrival_ns`` is the host time the bytes arrived. Serial errors propagate."""
        if self._fd is not None:
            readable, _, _ = select.select([self._fd], [], [], timeout)
            if not readable:
                return []
            data = self.port.read(_READ_SIZE)
        else:
            data = self.port.read(max(1, self.port.in_waiting))
        if not data:
            return []
        self.arrival_ns = time.time_ns()
        self.last_rx = time.monotonic()
        return self.parser.feed(data)

    def transact(
        self,
        command: bytes,
        matches: Callable[[Any], bool],
        *,
        what: str,
        timeout: float = 0.6,
        attempts: int = 3,
    ) -> Any:
        """Send ``command`` and return the first frame ``matches`` accepts; frames before it
        (a tag record still in flight, say) are skipped. :class:`ReaderError` after
        ``attempts`` unanswered tries."""
        for _ in range(attempts):
            self.send(command)
            deadline = time.monotonic() + timeout
            while (left := deadline - time.monotonic()) > 0:
                for frame in self.read_frames(min(left, _POLL_TIMEOUT_S)):
                    if matches(frame):
                        return frame
        raise ReaderError(f"the reader did not answer {what} ({attempts} tries)")

    def drain(self, quiet_s: float, limit_s: float) -> None:
        """Read and discard until the line is quiet for ``quiet_s`` (at most ``limit_s``)."""
        end = time.monotonic() + limit_s
        quiet_until = time.monotonic() + quiet_s
        while (now := time.monotonic()) < end and now < quiet_until:
            if self.read_frames(min(quiet_until - now, _POLL_TIMEOUT_S)):
                quiet_until = time.monotonic() + quiet_s
