"""The demo's fallback broker when Mosquitto is not installed: amqtt, in-process.

Bound to 127.0.0.1 on a free port, authentication on (every account, stations included, gets a
generated password, stored as an Argon2 hash in ``amqtt-passwd``; no anonymous access), and the
same rule as the production ACL: a station may publish only under its own id, the ingest may
read the stations' topics, the analytics account may publish warnings. amqtt speaks MQTT 3.1.1
only, so the ingest connects with 3.1.1 (a single worker, no shared subscription). The broker
runs on its own asyncio loop in a thread.
"""

from __future__ import annotations

import asyncio
import os
import threading
import warnings
from pathlib import Path
from typing import Any

from trace_api.broker.acl import DEFAULT_ROOT, STATION_TOPICS
from trace_api.broker.credentials import generate_password
from trace_api.demo.broker import Broker, free_port
from trace_api.exceptions import DemoError

__all__ = ["amqtt_available", "start_amqtt"]

INGEST = "foodtrace-ingest"
ANALYTICS = "foodtrace-analytics"


def amqtt_available() -> bool:
    try:
        import amqtt.broker  # noqa: F401
    except ImportError:
        return False
    return True


def _password_file(path: Path, passwords: dict[str, str]) -> None:
    from pwdlib import PasswordHash
    from pwdlib.hashers.argon2 import Argon2Hasher

    hasher = PasswordHash((Argon2Hasher(),))
    lines = [f"{user}:{hasher.hash(password)}" for user, password in passwords.items()]
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write("\n".join(lines) + "\n")


def broker_config(password_file: Path, port: int, stations: list[str]) -> dict[str, Any]:
    root = DEFAULT_ROOT
    publish = {s: [f"{root}/+/{s}/{leaf}" for leaf in STATION_TOPICS] for s in stations}
    publish[INGEST] = []
    publish[ANALYTICS] = [f"{root}/warnings/#"]
    subscribe: dict[str, list[str]] = {s: [] for s in stations}
    subscribe[INGEST] = [f"{root}/+/+/{leaf}" for leaf in STATION_TOPICS]
    subscribe[ANALYTICS] = []
    return {
        "listeners": {"default": {"type": "tcp", "bind": f"127.0.0.1:{port}"}},
        "plugins": {
            "amqtt.plugins.authentication.FileAuthPlugin": {"password_file": str(password_file)},
            "amqtt.plugins.topic_checking.TopicAccessControlListPlugin": {
                "publish_acl": publish,
                "acl": subscribe,
            },
        },
    }


def start_amqtt(directory: Path, stations: list[str]) -> Broker:
    from amqtt.broker import Broker as AmqttBroker

    directory.mkdir(parents=True, exist_ok=True)
    services = {INGEST: generate_password(), ANALYTICS: generate_password()}
    passwords = services | {s: generate_password() for s in stations}
    password_file = directory / "amqtt-passwd"
    _password_file(password_file, passwords)
    port = free_port()
    config = broker_config(password_file, port, stations)
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, name="amqtt", daemon=True)
    thread.start()

    async def start() -> AmqttBroker:
        # amqtt 0.12 reads the subscribe ACL only from its option "acl", which it also
        # announces as deprecated; without it every subscription is refused.
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", "The 'acl' option is deprecated", DeprecationWarning)
            broker = AmqttBroker(config)
            await broker.start()
        return broker

    def stop_loop() -> None:
        loop.call_soon_threadsafe(loop.stop)
        thread.join(10)
        loop.close()

    try:
        running = asyncio.run_coroutine_threadsafe(start(), loop).result(15)
    except Exception as exc:
        stop_loop()
        raise DemoError(f"the embedded MQTT broker (amqtt) did not start: {exc}") from exc

    def stop() -> None:
        try:
            asyncio.run_coroutine_threadsafe(running.shutdown(), loop).result(15)
        finally:
            stop_loop()

    return Broker("amqtt", "127.0.0.1", port, passwords, protocol="3.1.1", stopper=stop)
