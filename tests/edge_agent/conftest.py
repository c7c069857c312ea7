"""Helpers for the edge-agent tests: station configurations and a real MQTT subscriber."""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import orjson
import paho.mqtt.client as mqtt
import pytest
from paho.mqtt.enums import CallbackAPIVersion

from edge_agent.config import StationConfig, load_config
from tests.support.mosquitto import MosquittoBroker

READ_POINT = "urn:epc:id:sgln:4012345.00001.0"
BIZ_LOCATION = "urn:epc:id:sgln:4012345.00002.0"

# SGTIN-96 (TDS E.3) and SSCC-96 test EPCs with their pure-identity URNs.
SGTIN_HEX = "3074257BF7194E4000001A85"
SGTIN_URI = "urn:epc:id:sgtin:0614141.812345.6789"


def sgtin_hex(serial: int, company: str = "0614141", item: str = "812345") -> str:
    """SGTIN-96, filter 3, partition 5 (7-digit company prefix) with the given serial."""
    value = (0x30 << 88) | (3 << 85) | (5 << 82) | (int(company) << 58) | (int(item) << 38)
    return f"{value | serial:024X}"


def sgtin_uri(serial: int, company: str = "0614141", item: str = "812345") -> str:
    return f"urn:epc:id:sgtin:{company}.{item}.{serial}"


def sscc_hex(serial_ref: int, company: str = "0614141") -> str:
    """SSCC-96, filter 2, partition 5 (7-digit company prefix, 10-digit serial reference)."""
    value = (0x31 << 88) | (2 << 85) | (5 << 82) | (int(company) << 58) | (serial_ref << 24)
    return f"{value:024X}"


def sscc_uri(serial_ref: int, company: str = "0614141") -> str:
    return f"urn:epc:id:sscc:{company}.{serial_ref:010d}"


def station_config(tmp_path: Path, **sections: Any) -> StationConfig:
    """A valid receiving-station configuration; keyword arguments replace whole sections."""
    base: dict[str, Any] = {
        "station": {
            "id": "dock-1",
            "site": "site-a",
            "read_point": READ_POINT,
            "biz_location": BIZ_LOCATION,
            "timezone": "+01:00",
        },
        "reader": {"port": "loop://", "region": "etsi", "antennas": [1, 2]},
        "role": {"kind": "receiving"},
        "mqtt": {"host": "127.0.0.1"},
        "outbox": {"path": str(tmp_path / "outbox.sqlite3")},
        "metrics": {"enabled": False},
    }
    base.update(sections)
    return load_config(None, **base)


def mqtt_section(broker: MosquittoBroker, **extra: Any) -> dict[str, Any]:
    """The ``mqtt`` section for an agent on ``broker``, as a user of its own."""
    user = f"station-{uuid.uuid4().hex[:8]}"
    password = broker.add_user(user)
    section: dict[str, Any] = {
        "host": broker.host,
        "port": broker.port,
        "username": user,
        "password": password,
        "heartbeat_s": 0,
        "reconnect_min_s": 1,
        "reconnect_max_s": 2,
    }
    section.update(extra)
    return section


def wait_until(predicate: Callable[[], bool], timeout: float = 10.0, what: str = "") -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for {what or predicate}")
        time.sleep(0.02)


class Subscriber:
    """A real paho subscriber that records every message it gets (topic, payload, retain)."""

    def __init__(
        self,
        broker: MosquittoBroker,
        topic: str,
        *,
        client_id: str | None = None,
        persistent: bool = False,
    ) -> None:
        self.topic = topic
        self.messages: list[tuple[str, bytes, bool]] = []
        self._lock = threading.Lock()
        self._subscribed = threading.Event()
        self.client = mqtt.Client(
            CallbackAPIVersion.VERSION2,
            client_id=client_id or f"sub-{uuid.uuid4().hex[:12]}",
            clean_session=not persistent,
        )
        self.client.username_pw_set(*broker.credentials())
        self.client.reconnect_delay_set(1, 1)
        self.client.on_connect = self._on_connect
        self.client.on_subscribe = self._on_subscribe
        self.client.on_message = self._on_message
        self.client.connect(broker.host, broker.port, keepalive=30)
        self.client.loop_start()
        if not self._subscribed.wait(10):
            self.close()
            raise AssertionError("subscriber did not get SUBACK")

    def _on_connect(self, client, userdata, flags, reason_code, properties):
        client.subscribe(self.topic, qos=1)

    def _on_subscribe(self, client, userdata, mid, reason_codes, properties):
        self._subscribed.set()

    def _on_message(self, client, userdata, message):
        with self._lock:
            self.messages.append((message.topic, bytes(message.payload), bool(message.retain)))

    def payloads(self, suffix: str = "") -> list[bytes]:
        with self._lock:
            return [p for t, p, _ in self.messages if t.endswith(suffix)]

    def events(self) -> list[dict[str, Any]]:
        """Every event of every EPCISDocument received on an ``…/events`` topic, in order."""
        out: list[dict[str, Any]] = []
        for payload in self.payloads("/events"):
            out.extend(orjson.loads(payload)["epcisBody"]["eventList"])
        return out

    def close(self) -> None:
        self.client.disconnect()
        self.client.loop_stop()
        self.client._reset_sockets()  # paho closes its socket pair only in __del__


@pytest.fixture
def subscriber_factory() -> Iterator[Callable[..., Subscriber]]:
    made: list[Subscriber] = []

    def make(broker: MosquittoBroker, topic: str, **kwargs: Any) -> Subscriber:
        sub = Subscriber(broker, topic, **kwargs)
        made.append(sub)
        return sub

    yield make
    for sub in made:
        sub.close()
