"""The demo's MQTT broker: Mosquitto from the production generator, on a free loopback port.

The configuration is what ``foodtrace broker init`` writes (:mod:`trace_api.broker`): passwords
required (generated for every account, stations included), the per-station ACL, persistence,
no queue limit. Only the stations' TLS listener is left out: everything runs on 127.0.0.1 and
the plain listener is bound to loopback. The configuration is written anew on each run (the
port changes; passwords are generated again); the persistence directory is kept, so the ingest's
persistent session and its queued messages survive a restart of the demo.

Mosquitto is started with a parent-death signal, so it cannot outlive the demo even if the demo
itself is killed.
"""

from __future__ import annotations

import ctypes
import getpass
import os
import shutil
import signal
import socket
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from trace_api.broker.mosquitto_conf import BrokerLayout
from trace_api.broker.setup import add_station, init_broker
from trace_api.exceptions import DemoError

__all__ = ["Broker", "find_mosquitto", "free_port", "start_mosquitto", "wait_for_port"]

_PR_SET_PDEATHSIG = 1


def free_port() -> int:
    """A TCP port free on 127.0.0.1 right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for_port(host: str, port: int, timeout: float, alive: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if alive.poll() is not None:
            raise DemoError(f"the MQTT broker exited at start (code {alive.returncode})")
        try:
            with socket.create_connection((host, port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.05)
    raise DemoError(f"the MQTT broker did not listen on {host}:{port} within {timeout:g} s")


def find_mosquitto() -> str | None:
    """The mosquitto binary (PATH, then /usr/sbin), with mosquitto_passwd beside it."""
    found = shutil.which("mosquitto") or "/usr/sbin/mosquitto"
    if not os.access(found, os.X_OK):
        return None
    if shutil.which("mosquitto_passwd") is None and not os.access(
        "/usr/bin/mosquitto_passwd", os.X_OK
    ):
        return None
    return found


def _die_with_parent() -> None:  # pragma: no cover - runs in the child between fork and exec
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)
    except (OSError, AttributeError):
        pass


@dataclass(slots=True)
class Broker:
    """A running broker: where it listens, the generated passwords, how to stop it.

    ``protocol`` is the MQTT version the ingest speaks to it ("5", or "3.1.1" for a broker
    without MQTT 5)."""

    kind: str
    host: str
    port: int
    passwords: dict[str, str] = field(default_factory=dict)
    protocol: str = "5"
    stopper: Callable[[], None] | None = None

    def close(self) -> None:
        stopper, self.stopper = self.stopper, None
        if stopper is not None:
            stopper()


def _stop_process(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(5)


def start_mosquitto(binary: str, directory: Path, stations: list[str]) -> Broker:
    """Write the configuration under ``directory`` and start Mosquitto on a free port."""
    layout = BrokerLayout(
        config_dir=directory,
        persistence_dir=directory / "data",
        log_file=directory / "mosquitto.log",
        tls_bind=None,
        local_port=free_port(),
        run_as=getpass.getuser(),
    )
    accounts = init_broker(layout, force=True)
    passwords = {a.username: a.secret_file.read_text().strip() for a in accounts}
    for station in stations:
        account = add_station(directory, station)
        passwords[station] = account.secret_file.read_text().strip()
    proc = subprocess.Popen(
        [binary, "-c", str(directory / "mosquitto.conf")],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        preexec_fn=_die_with_parent,
    )
    broker = Broker(
        "mosquitto", "127.0.0.1", layout.local_port, passwords, stopper=lambda: _stop_process(proc)
    )
    try:
        wait_for_port("127.0.0.1", layout.local_port, 10.0, proc)
    except BaseException:
        broker.close()
        raise
    return broker
