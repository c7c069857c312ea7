"""The reader driver: serial port → protocol session → tag reads → :class:`Pipeline`.

``run_reader(config, pipeline, stop)`` is what ``foodtrace edge run`` starts in a thread. It opens
``reader.port`` with ``serial.serial_for_url`` (a device path or any pyserial URL: ``socket://``,
``rfc2217://``), handshakes (:mod:`.reader_r2000`, :mod:`.reader_mercury`), starts the inventory
and feeds every chunk's tag reads to ``pipeline.feed`` stamped with the host time they arrived;
frames the parser rejects (bad checksum/CRC, impossible length) go to
``pipeline.add_frame_errors`` (the ``reader_frame_errors`` metric and the heartbeat).

When the port disappears or the reader stops answering, the driver closes it, waits (exponential
backoff from ``backoff_min_s`` to ``backoff_max_s``), reopens and handshakes again; it logs the
loss once and the recovery once, however many attempts it takes.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, Final, Protocol

import serial
import structlog

from edge_agent.config import ReaderSettings, StationConfig
from edge_agent.exceptions import ReaderError
from edge_agent.reader_link import Link
from edge_agent.reader_mercury import MercurySession
from edge_agent.reader_r2000 import R2000Session
from edge_agent.reader_session import Session
from edge_agent.reads import StampedRead
from foodtrace.reader import get_codec

__all__ = ["DriverStats", "ReadSink", "ReaderDriver", "run_reader"]

log = structlog.get_logger("edge_agent.reader")

_OPEN_TIMEOUT_S: Final = 0.05
_READ_WAIT_S: Final = 0.1


class ReadSink(Protocol):
    """Where the driver delivers reads (the :class:`~edge_agent.pipeline.Pipeline`)."""

    def feed(self, reads: Iterable[StampedRead]) -> int: ...

    def add_frame_errors(self, count: int = 1) -> None: ...


@dataclass(slots=True)
class DriverStats:
    """Counters over the driver's life (all connections)."""

    connections: int = 0
    losses: int = 0
    frames: int = 0
    reads: int = 0
    frame_errors: int = 0
    bytes_dropped: int = 0


def _session(settings: ReaderSettings) -> Session:
    if settings.protocol == "mercury":
        return MercurySession(settings)
    return R2000Session(settings)


class ReaderDriver:
    """Drive one reader until stopped (see the module docstring)."""

    def __init__(
        self,
        settings: ReaderSettings,
        sink: ReadSink,
        *,
        open_port: Callable[[str, int], Any] | None = None,
        backoff_min_s: float = 0.2,
        backoff_max_s: float = 5.0,
    ) -> None:
        self.settings = settings
        self.sink = sink
        self._open_port = open_port or _open_serial
        self.backoff_min_s = backoff_min_s
        self.backoff_max_s = backoff_max_s
        self.stats = DriverStats()
        self.connected = threading.Event()
        self._log = log.bind(port=settings.port, protocol=settings.protocol)

    def run(self, stop: threading.Event) -> None:
        backoff = self.backoff_min_s
        down = False
        while not stop.is_set():
            try:
                self._connection(stop, recovered=down)
                down = False
                backoff = self.backoff_min_s
            except (serial.SerialException, OSError, ReaderError) as exc:
                self.connected.clear()
                if not down:
                    down = True
                    self.stats.losses += 1
                    self._log.warning("reader port lost", error=str(exc) or type(exc).__name__)
                stop.wait(backoff)
                backoff = min(backoff * 2, self.backoff_max_s)

    def _connection(self, stop: threading.Event, *, recovered: bool) -> None:
        port = self._open_port(self.settings.port, self.settings.baudrate)
        link = Link(port, get_codec(self.settings.protocol).response_parser())
        try:
            port.reset_input_buffer()
            session = _session(self.settings)
            facts = session.handshake(link)
            session.start(link)
            self.stats.connections += 1
            self.connected.set()
            if recovered:
                self._log.info("reader port recovered", **facts)
            else:
                self._log.info("reader connected", **facts)
            self._stream(link, session, stop)
            session.stop(link)
        finally:
            self._account(link)
            port.close()

    def _stream(self, link: Link, session: Session, stop: threading.Event) -> None:
        sink = self.sink
        stats = self.stats
        while not stop.is_set():
            frames = link.read_frames(_READ_WAIT_S)
            if not frames:
                session.idle(link, time.monotonic() - link.last_rx)
                self._account(link)
                continue
            stats.frames += len(frames)
            batch: list[StampedRead] = []
            arrival = link.arrival_ns
            for frame in frames:
                found = session.reads(frame)
                if found:
                    batch.extend(StampedRead(tag, arrival, temp) for tag, temp in found)
                else:
                    session.on_frame(frame, link)
            if batch:
                stats.reads += len(batch)
                sink.feed(batch)
            self._account(link)

    def _account(self, link: Link) -> None:
        """Pass new frame errors to the sink (once per parser)."""
        errors = link.frame_errors
        if errors > link.reported_errors:
            self.sink.add_frame_errors(errors - link.reported_errors)
            self.stats.frame_errors += errors - link.reported_errors
            link.reported_errors = errors
        dropped = link.stats.bytes_dropped
        self.stats.bytes_dropped += dropped - link.reported_dropped
        link.reported_dropped = dropped


def _open_serial(url: str, baudrate: int) -> Any:
    # pyserial's socket:// open() connects, then drains the input; when the peer resets the
    # connection in between (a reader vanishing), open() raises with the socket still open and
    # the half-made port is lost. Open explicitly and close what a failed open left behind.
    port = serial.serial_for_url(url, baudrate=baudrate, timeout=_OPEN_TIMEOUT_S, do_not_open=True)
    try:
        port.open()
    except BaseException:
        port.close()
        raise
    return port


def run_reader(config: StationConfig, pipeline: ReadSink, stop: threading.Event) -> None:
    """Drive ``config.reader`` into ``pipeline`` until ``stop`` is set (the ``foodtrace edge
    run`` entry point)."""
    ReaderDriver(config.reader, pipeline).run(stop)
