"""The broker configuration we ship, run in a real Mosquitto: TLS, passwords and per-station ACL.

The broker is started from exactly what ``init_broker`` writes (the same renderer produced
``deploy/mosquitto/``); the test only points the paths at a temporary directory and, when the
tests run as root, keeps Mosquitto from switching to the ``mosquitto`` user.
"""

from __future__ import annotations

import shutil
import ssl
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import paho.mqtt.client as mqtt
import pytest
from paho.mqtt.enums import CallbackAPIVersion
from paho.mqtt.properties import Properties
from paho.mqtt.reasoncodes import ReasonCode

from tests.support.deployed_broker import DeployedBroker, deployed_broker
from tests.support.mosquitto import mosquitto_available
from trace_api.broker.acl import render_acl
from trace_api.broker.mosquitto_conf import BrokerLayout, render_mosquitto_conf

pytestmark = pytest.mark.mosquitto

ROOT = "foodtrace/v1"


RunningBroker = DeployedBroker


@pytest.fixture
def broker(tmp_path: Path) -> Iterator[DeployedBroker]:
    if not mosquitto_available():
        pytest.skip("mosquitto is not installed")
    with deployed_broker(tmp_path, stations=("station-a", "station-b")) as running:
        yield running


def _connect(
    broker: RunningBroker, user: str, *, tls: bool = True, password: str | None = None
) -> tuple[mqtt.Client, ReasonCode]:
    client = mqtt.Client(
        CallbackAPIVersion.VERSION2, client_id=f"{user}-{time.monotonic_ns()}", protocol=mqtt.MQTTv5
    )
    client.username_pw_set(user, broker.secrets.get(user, "") if password is None else password)
    if tls:
        client.tls_set(ca_certs=str(broker.layout.ca_file), tls_version=ssl.PROTOCOL_TLS_CLIENT)
    done = threading.Event()
    result: list[ReasonCode] = []

    def on_connect(_c: mqtt.Client, _u: object, _f: object, rc: ReasonCode, _p: object) -> None:
        result.append(rc)
        done.set()

    client.on_connect = on_connect
    port = broker.layout.tls_port if tls else broker.layout.local_port
    client.connect("127.0.0.1", port)
    client.loop_start()
    assert done.wait(10), "no CONNACK"
    return client, result[0]


def _close(client: mqtt.Client) -> None:
    client.disconnect()
    client.loop_stop()


def _publish_rc(client: mqtt.Client, topic: str) -> ReasonCode:
    acked = threading.Event()
    codes: list[ReasonCode] = []

    def on_publish(_c: mqtt.Client, _u: object, _mid: int, rc: ReasonCode, _p: Properties) -> None:
        codes.append(rc)
        acked.set()

    client.on_publish = on_publish
    info = client.publish(topic, b'{"type":"EPCISDocument"}', qos=1)
    assert info.rc == mqtt.MQTT_ERR_SUCCESS
    assert acked.wait(10), "no PUBACK"
    return codes[0]


def test_station_cannot_publish_as_another(broker: RunningBroker) -> None:
    received: list[str] = []
    subscribed = threading.Event()
    ingest, rc = _connect(broker, "foodtrace-ingest", tls=False)
    assert not rc.is_failure
    ingest.on_message = lambda _c, _u, msg: received.append(msg.topic)
    ingest.on_subscribe = lambda *_a: subscribed.set()
    ingest.subscribe(f"$share/ingest/{ROOT}/+/+/events", qos=1)
    assert subscribed.wait(10)

    def attempt(topic: str) -> ReasonCode:
        # Mosquitto answers a refused PUBLISH (v5: PUBACK "Not authorized") and then drops the
        # offending connection, so each attempt uses a connection of its own.
        station_a, rc = _connect(broker, "station-a")
        assert not rc.is_failure
        try:
            return _publish_rc(station_a, topic)
        finally:
            _close(station_a)

    own = attempt(f"{ROOT}/farm-1/station-a/events")
    spoofed = attempt(f"{ROOT}/farm-1/station-b/events")
    elsewhere = attempt(f"{ROOT}/warnings/fake")
    deadline = time.monotonic() + 5
    while not received and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(0.3)  # a spoofed message, if the ACL let it through, would arrive by now
    _close(ingest)

    assert not own.is_failure
    assert spoofed.is_failure and spoofed.getName() == "Not authorized"
    assert elsewhere.is_failure
    assert received == [f"{ROOT}/farm-1/station-a/events"]


def test_stations_need_tls_and_the_right_password(broker: RunningBroker) -> None:
    _client, rc = _connect(broker, "station-a", password="wrong")
    _close(_client)
    assert rc.is_failure
    _client, rc = _connect(broker, "nobody-here", password="x")
    _close(_client)
    assert rc.is_failure
    # The station listener speaks TLS only: a plain MQTT client gets no CONNACK from it.
    plain = mqtt.Client(CallbackAPIVersion.VERSION2, client_id="plain", protocol=mqtt.MQTTv5)
    plain.username_pw_set("station-a", broker.secrets["station-a"])
    connected = threading.Event()
    plain.on_connect = lambda *_a: connected.set()
    try:
        plain.connect("127.0.0.1", broker.layout.tls_port)
        plain.loop_start()
        assert not connected.wait(2)
    except OSError:
        pass
    finally:
        plain.loop_stop()


def test_stations_cannot_read_other_stations(broker: RunningBroker) -> None:
    station_b, rc = _connect(broker, "station-b")
    assert not rc.is_failure
    received: list[str] = []
    subscribed = threading.Event()
    station_b.on_message = lambda _c, _u, msg: received.append(msg.topic)
    station_b.on_subscribe = lambda *_a: subscribed.set()
    station_b.subscribe(f"{ROOT}/+/station-a/events", qos=1)
    assert subscribed.wait(10)

    station_a, rc = _connect(broker, "station-a")
    assert not rc.is_failure
    own = _publish_rc(station_a, f"{ROOT}/farm-1/station-a/events")
    _close(station_a)
    time.sleep(0.5)
    _close(station_b)
    assert not own.is_failure
    assert received == []  # the ACL gives stations no read access at all


def test_shipped_files_are_renderings_of_the_generator() -> None:
    deploy = Path(__file__).resolve().parents[3] / "deploy" / "mosquitto"
    layout = BrokerLayout(
        config_dir=Path("/etc/mosquitto/foodtrace"),
        persistence_dir=Path("/var/lib/mosquitto/foodtrace"),
    )
    assert (deploy / "foodtrace.conf").read_text() == render_mosquitto_conf(layout)
    assert (deploy / "acl").read_text() == render_acl()


def test_no_limit_can_drop_queued_events(tmp_path: Path) -> None:
    conf = render_mosquitto_conf(BrokerLayout(config_dir=tmp_path, persistence_dir=tmp_path))
    assert "max_queued_messages 0" in conf
    assert "max_queued_bytes 0" in conf
    assert "allow_anonymous false" in conf
    assert "persistent_client_expiration" not in conf
    assert shutil.which("openssl")
