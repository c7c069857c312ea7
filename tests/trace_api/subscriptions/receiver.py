"""A real webhook receiver for the tests: an HTTP server on a free loopback port.

It records every request (headers, body, arrival time) and answers with the scripted status
codes, one per request (then 200 for ever), so a test can make the first attempts fail.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import orjson

__all__ = ["Received", "Receiver", "receiver"]


@dataclass(frozen=True, slots=True)
class Received:
    path: str
    headers: dict[str, str]
    body: bytes
    status: int
    at: float

    def document(self) -> dict[str, Any]:
        parsed: dict[str, Any] = orjson.loads(self.body)
        return parsed

    def event_ids(self) -> list[str]:
        results = self.document()["epcisBody"]["queryResults"]
        return [e["eventID"] for e in results["resultsBody"]["eventList"]]


@dataclass
class Receiver:
    url: str
    statuses: list[int] = field(default_factory=list)
    delay_s: float = 0.0
    received: list[Received] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def ok(self) -> list[Received]:
        """The requests answered 2xx."""
        with self.lock:
            return [r for r in self.received if 200 <= r.status < 300]

    def all(self) -> list[Received]:
        with self.lock:
            return list(self.received)

    def wait_for(self, count: int, timeout_s: float = 20.0) -> list[Received]:
        """Wait until ``count`` requests were answered 2xx."""
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            found = self.ok()
            if len(found) >= count:
                return found
            time.sleep(0.02)
        raise AssertionError(f"{len(self.ok())} deliveries arrived, expected {count}")


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    state: Receiver


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def do_POST(self) -> None:
        state = self.server.state
        length = int(self.headers.get("Content-Length", "0"))
        body = self.rfile.read(length)
        if state.delay_s:
            time.sleep(state.delay_s)
        with state.lock:
            status = state.statuses.pop(0) if state.statuses else 200
            state.received.append(
                Received(self.path, dict(self.headers.items()), body, status, time.monotonic())
            )
        self.send_response(status)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextmanager
def receiver(statuses: list[int] | None = None, delay_s: float = 0.0) -> Iterator[Receiver]:
    """A running receiver; its ``url`` ends in ``/hook``."""
    server = _Server(("127.0.0.1", 0), _Handler)
    port = server.server_address[1]
    state = Receiver(f"http://127.0.0.1:{port}/hook", list(statuses or []), delay_s)
    server.state = state
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
