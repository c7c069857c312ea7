"""The demo's fallback broker (amqtt in-process): passwords required, station ACL enforced."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path

import paho.mqtt.client as mqtt
import pytest
from paho.mqtt.enums import CallbackAPIVersion, MQTTErrorCode

from trace_api.demo.broker import Broker
from trace_api.demo.embedded_broker import ANALYTICS, INGEST, start_amqtt

ROOT = "foodtrace/v1"


@pytest.fixture
def broker(tmp_path: Path) -> Iterator[Broker]:
    running = start_amqtt(tmp_path / "broker", ["farm1-gate", "dc-dock"])
    yield running
    running.close()


class Client:
    def __init__(self, broker: Broker, user: str | None, password: str | None) -> None:
        self.messages: list[tuple[str, bytes]] = []
        self.connected = threading.Event()
        self.refused = threading.Event()
        self.client = mqtt.Client(CallbackAPIVersion.VERSION2, client_id=f"t-{user}-{time.time()}")
        if user is not None:
            self.client.username_pw_set(user, password)
        self.client.on_connect = self._on_connect
        self.client.on_message = lambda _c, _u, m: self.messages.append((m.topic, bytes(m.payload)))
        self.client.connect(broker.host, broker.port, keepalive=10)
        self.client.loop_start()

    def _on_connect(self, _client, _userdata, _flags, reason_code, _properties):
        (self.refused if reason_code.is_failure else self.connected).set()

    def close(self) -> None:
        self.client.disconnect()
        self.client.loop_stop()


def wait_connected(client: Client) -> bool:
    """Whether the broker accepted the login (``False``: refused, or no answer in 5 s)."""
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        if client.connected.is_set() or client.refused.is_set():
            break
        time.sleep(0.05)
    return client.connected.is_set()


def test_no_login_without_the_generated_password(broker: Broker, tmp_path: Path) -> None:
    assert set(broker.passwords) == {INGEST, ANALYTICS, "farm1-gate", "dc-dock"}
    assert len({*broker.passwords.values()}) == 4
    for user, password in ((None, None), ("farm1-gate", "wrong"), ("nobody", "x")):
        client = Client(broker, user, password)
        try:
            assert not wait_connected(client), f"{user} got in"
        finally:
            client.close()
    stored = (tmp_path / "broker" / "amqtt-passwd").read_text()
    assert (tmp_path / "broker" / "amqtt-passwd").stat().st_mode & 0o777 == 0o600
    assert stored.count("$argon2id$") == 4
    assert not [p for p in broker.passwords.values() if p in stored]


def test_a_station_publishes_only_under_its_own_id(broker: Broker) -> None:
    ingest = Client(broker, INGEST, broker.passwords[INGEST])
    station = Client(broker, "farm1-gate", broker.passwords["farm1-gate"])
    try:
        assert wait_connected(ingest) and wait_connected(station)
        result, _ = ingest.client.subscribe(f"{ROOT}/+/+/events", qos=1)
        assert result == MQTTErrorCode.MQTT_ERR_SUCCESS
        time.sleep(0.3)
        own = station.client.publish(f"{ROOT}/farm1/farm1-gate/events", b"own", qos=1)
        other = station.client.publish(f"{ROOT}/dc/dc-dock/events", b"forged", qos=1)
        own.wait_for_publish(5)
        other.wait_for_publish(5)
        deadline = time.monotonic() + 5
        while not ingest.messages and time.monotonic() < deadline:
            time.sleep(0.05)
        time.sleep(0.5)  # the forged one would arrive by now
        assert ingest.messages == [(f"{ROOT}/farm1/farm1-gate/events", b"own")]
    finally:
        ingest.close()
        station.close()
