"""Runners: move a :class:`~firmware_sim.device.SimulatedReader`'s bytes over a pty or TCP.

``serve_pty(reader, stop)`` / ``serve_tcp(reader, stop, host, port)`` run until ``stop`` is set
(call them in a thread, or in the main thread as ``foodtrace sim reader`` does). ``on_ready`` gets
the device path / ``socket://`` URL each time the port (re)appears. Writes are paced at the
reader's baud rate (bytes/s = baud / 10). A ``vanish`` fault closes the port (pty: master and
slave; TCP: listener and connection), power-cycles the reader, waits the fault's duration and
opens the port again (TCP: same port; pty: a new pty — keep ``link`` to have a stable path).

:func:`serving` is the context manager tests use: it starts a runner thread and yields the URL.
"""

from __future__ import annotations

import select
import threading
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Final

from firmware_sim.device import SimulatedReader
from firmware_sim.pacing import LinePacer
from firmware_sim.scenario import Fault
from firmware_sim.transport import PtyTransport, TcpTransport, Transport

__all__ = ["SPLIT_PAUSE_S", "serve_pty", "serve_tcp", "serving"]

SPLIT_PAUSE_S: Final = 0.004
_MAX_WAIT_S: Final = 0.05

ReadyCallback = Callable[[str], None]


def _pump(reader: SimulatedReader, transport: Transport, stop: threading.Event) -> Fault | None:
    """Exchange bytes until ``stop`` is set or a vanish fault is due (returned)."""
    pacer = LinePacer(reader.baudrate)
    pending: deque[tuple[bytes, float]] = deque()  # (bytes, pause after them)
    pause_until = 0.0
    fds = transport.read_fds()
    while not stop.is_set():
        vanish = reader.take_vanish()
        if vanish is not None:
            return vanish
        pacer.baudrate = reader.baudrate
        now = reader.elapsed()
        if not pending:
            split = reader.split_active()
            for chunk in reader.read():
                if split and len(chunk) > 2:
                    cut = len(chunk) // 2
                    pending.append((chunk[:cut], SPLIT_PAUSE_S))
                    pending.append((chunk[cut:], 0.0))
                else:
                    pending.append((chunk, 0.0))
        if pending and now >= pause_until:
            allowed = pacer.available()
            if allowed:
                data, pause = pending[0]
                sent = transport.send(data[:allowed])
                pacer.spend(sent)
                if sent >= len(data):
                    pending.popleft()
                    if pause:
                        pause_until = now + pause
                elif sent:
                    pending[0] = (data[sent:], pause)
        if pending:
            wait = max(pause_until - now, pacer.delay(len(pending[0][0])))
        else:
            due = reader.next_due()
            wait = _MAX_WAIT_S if due is None else due - reader.elapsed()
        wait = min(max(wait, 0.0), _MAX_WAIT_S)
        fds = transport.read_fds()
        readable, _, _ = select.select(fds, [], [], wait)
        for fd in readable:
            data = transport.receive(fd)
            if data:
                reader.write(data)
    return None


def _serve(
    reader: SimulatedReader,
    stop: threading.Event,
    open_transport: Callable[[], Transport],
    on_ready: ReadyCallback | None,
) -> None:
    while not stop.is_set():
        transport = open_transport()
        try:
            if on_ready is not None:
                on_ready(transport.url)
            vanish = _pump(reader, transport, stop)
        finally:
            transport.close()
        if vanish is None:
            return
        reader.power_cycle()
        stop.wait(vanish.duration_s)


def serve_pty(
    reader: SimulatedReader,
    stop: threading.Event,
    *,
    link: Path | None = None,
    on_ready: ReadyCallback | None = None,
) -> None:
    """Serve ``reader`` on a new pty until ``stop`` is set (see the module docstring)."""
    _serve(reader, stop, lambda: PtyTransport(link), on_ready)


def serve_tcp(
    reader: SimulatedReader,
    stop: threading.Event,
    host: str = "127.0.0.1",
    port: int = 0,
    *,
    on_ready: ReadyCallback | None = None,
) -> None:
    """Serve ``reader`` on a TCP port until ``stop`` is set; port 0 picks a free port once and
    keeps it across vanish faults."""
    chosen = [port]

    def open_transport() -> Transport:
        transport = TcpTransport(host, chosen[0])
        chosen[0] = transport.port
        return transport

    _serve(reader, stop, open_transport, on_ready)


@contextmanager
def serving(
    reader: SimulatedReader,
    *,
    tcp: tuple[str, int] | None = None,
    link: Path | None = None,
    ready_timeout: float = 5.0,
) -> Iterator[str]:
    """Run a runner thread for ``reader``; yield the first URL (pty path, or ``link`` if given,
    or ``socket://…``); stop and join on exit."""
    stop = threading.Event()
    ready = threading.Event()
    urls: list[str] = []

    def on_ready(url: str) -> None:
        urls.append(url)
        ready.set()

    if tcp is not None:
        host, port = tcp
        target: Callable[[], None] = lambda: serve_tcp(reader, stop, host, port, on_ready=on_ready)  # noqa: E731
    else:
        target = lambda: serve_pty(reader, stop, link=link, on_ready=on_ready)  # noqa: E731
    thread = threading.Thread(target=target, name="firmware-sim", daemon=True)
    thread.start()
    try:
        if not ready.wait(ready_timeout):
            raise RuntimeError("the simulated reader's port did not open")
        yield str(link) if link is not None and tcp is None else urls[0]
    finally:
        stop.set()
        thread.join(timeout=5)
