"""Mosquitto run from exactly what ``foodtrace broker init`` writes (TLS, passwords, ACL).

Only the paths point at a temporary directory, the listeners at free loopback ports, and, when
the tests run as root, Mosquitto is told to stay the current user.
"""

from __future__ import annotations

import getpass
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from tests.support.mosquitto import MOSQUITTO
from tests.support.ports import free_port, wait_for_port
from trace_api.broker.mosquitto_conf import BrokerLayout
from trace_api.broker.setup import add_station, init_broker


@dataclass
class DeployedBroker:
    layout: BrokerLayout
    secrets: dict[str, str]  # username -> generated password


@contextmanager
def deployed_broker(base: Path, stations: tuple[str, ...] = ()) -> Iterator[DeployedBroker]:
    layout = BrokerLayout(
        config_dir=base / "etc",
        persistence_dir=base / "data",
        log_file=base / "mosquitto.log",
        tls_bind="127.0.0.1",
        tls_port=free_port(),
        local_port=free_port(),
        run_as=getpass.getuser(),
    )
    accounts = init_broker(layout, hostnames=["localhost", "127.0.0.1"])
    secrets = {a.username: a.secret_file.read_text().strip() for a in accounts}
    for station in stations:
        secrets[station] = add_station(layout.config_dir, station).secret_file.read_text().strip()
    proc = subprocess.Popen(
        [MOSQUITTO, "-c", str(layout.config_dir / "mosquitto.conf")],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_for_port("127.0.0.1", layout.tls_port)
        wait_for_port("127.0.0.1", layout.local_port)
        yield DeployedBroker(layout, secrets)
    finally:
        proc.terminate()
        proc.wait(10)
