"""The central parts of the demo as threads: the REST interface and the MQTT ingest worker."""

from __future__ import annotations

import errno
import logging
import socket
import threading
import time
from typing import Any

import uvicorn
from pydantic import SecretStr
from sqlalchemy.engine import Engine

from trace_api.core.config import load_settings
from trace_api.demo.broker import Broker
from trace_api.exceptions import DemoError
from trace_api.ingest.config import IngestSettings
from trace_api.ingest.worker import IngestWorker
from trace_api.main import create_app

__all__ = ["AnalyticsThread", "ApiServer", "IngestThread", "bind_port"]

log = logging.getLogger("trace_api.demo")


def bind_port(host: str, port: int) -> socket.socket:
    """A listening socket on ``host:port``, or :class:`DemoError` naming the problem."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
        sock.listen(128)
    except OSError as exc:
        sock.close()
        if exc.errno == errno.EADDRINUSE:
            raise DemoError(f"port {port} on {host} is in use: pick another with --port") from exc
        raise DemoError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from exc
    return sock


class ApiServer:
    """uvicorn serving ``create_app`` on an already bound socket, in a thread."""

    def __init__(self, db_url: str, sock: socket.socket) -> None:
        app = create_app(load_settings(db=db_url))
        config = uvicorn.Config(
            app,
            log_level="warning",
            access_log=False,
            server_header=False,
            lifespan="on",
        )
        self._server = uvicorn.Server(config)
        self._sock = sock
        self._thread = threading.Thread(
            target=self._server.run, kwargs={"sockets": [sock]}, name="api", daemon=True
        )

    def start(self, timeout: float = 20.0) -> None:
        self._thread.start()
        deadline = time.monotonic() + timeout
        while not self._server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                raise DemoError("the API server did not start (see the demo log)")
            time.sleep(0.05)

    def close(self) -> None:
        self._server.should_exit = True
        if self._thread.is_alive():
            self._thread.join(15)
        self._sock.close()


class IngestThread:
    """One ingest worker on the demo broker (persistent session, so a restart loses nothing)."""

    def __init__(self, engine: Engine, broker: Broker) -> None:
        settings = IngestSettings(
            host=broker.host,
            port=broker.port,
            username="foodtrace-ingest",
            password=SecretStr(broker.passwords["foodtrace-ingest"]),
            protocol="3.1.1" if broker.protocol == "3.1.1" else "5",
            client_id="foodtrace-demo-ingest",
            linger_ms=50,
            station_refresh_s=5.0,
        )
        self.worker = IngestWorker(settings, engine)
        self._stop = threading.Event()
        self.failure: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="ingest", daemon=True)

    def _run(self) -> None:
        try:
            self.worker.run(self._stop)
        except Exception as exc:
            log.exception("demo: the ingest worker stopped")
            self.failure = exc

    def start(self) -> None:
        self._thread.start()

    def close(self) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(30)


class AnalyticsThread:
    """The streaming early-warning scorer (``foodtrace analytics stream``) in a thread.

    It is built inside the thread (importing the detectors and reading the history takes
    seconds), so the demo does not wait for it. New warnings are published on
    ``foodtrace/v1/warnings/{severity}`` through Mosquitto as the ``foodtrace-analytics`` account;
    with the embedded broker (MQTT 3.1.1 only; the publisher speaks 5) they are stored, not
    published."""

    def __init__(self, engine: Engine, broker: Broker) -> None:
        self._engine = engine
        self._broker = broker
        self._stop = threading.Event()
        self.failure: BaseException | None = None
        self.ready = threading.Event()
        self._thread = threading.Thread(target=self._run, name="analytics", daemon=True)

    def _run(self) -> None:
        from analytics.run import StreamScorer

        publisher: Any = None
        try:
            if self._broker.protocol == "5":
                from analytics.warnings.publish import WarningPublisher
                from analytics.warnings.settings import PublishSettings

                publisher = WarningPublisher(
                    PublishSettings(
                        host=self._broker.host,
                        port=self._broker.port,
                        username="foodtrace-analytics",
                        password=SecretStr(self._broker.passwords["foodtrace-analytics"]),
                    )
                )
            scorer = StreamScorer(
                self._engine, publish=None if publisher is None else publisher.publish
            )
            self.ready.set()
            scorer.run(0.2, self._stop.is_set)
        except Exception as exc:
            log.exception("demo: the analytics scorer stopped")
            self.failure = exc
        finally:
            if publisher is not None:
                publisher.close()

    def start(self) -> None:
        self._thread.start()

    def close(self) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(60)
