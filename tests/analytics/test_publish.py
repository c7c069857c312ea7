"""New warnings are published on ``foodtrace/v1/warnings/{severity}`` (QoS 1) to a real
Mosquitto broker; a refused login is a precise error."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import orjson
import paho.mqtt.client as mqtt
import pytest
from paho.mqtt.enums import CallbackAPIVersion, MQTTProtocolVersion
from pydantic import SecretStr
from sqlalchemy.engine import Engine

from analytics.exceptions import PublishError
from analytics.run import run_batch
from analytics.warnings.publish import WarningPublisher
from analytics.warnings.settings import PublishSettings
from tests.analytics.support import store_world
from tests.analytics.world import World, routes
from tests.support.mosquitto import MosquittoBroker

pytestmark = pytest.mark.mosquitto


def _subscriber(
    broker: MosquittoBroker, got: list[tuple[str, dict[str, Any]]], ready: threading.Event
):
    user, password = broker.credentials()
    client = mqtt.Client(CallbackAPIVersion.VERSION2, protocol=MQTTProtocolVersion.MQTTv5)
    client.username_pw_set(user, password)
    client.on_connect = lambda c, *_: c.subscribe("foodtrace/v1/warnings/#", qos=1)
    client.on_subscribe = lambda *_: ready.set()
    client.on_message = lambda _c, _u, m: got.append((m.topic, orjson.loads(m.payload)))
    client.connect(broker.host, broker.port)
    client.loop_start()
    return client


def test_new_warnings_are_published(mosquitto: MosquittoBroker, db: Engine, tmp_path: Path) -> None:
    store_world(db, World(read_rate=1.0, seed=7).build())
    path = tmp_path / "routes.json"
    path.write_bytes(orjson.dumps(routes()))
    password = mosquitto.add_user("foodtrace-analytics")
    settings = PublishSettings(
        host=mosquitto.host, port=mosquitto.port, password=SecretStr(password)
    )
    got: list[tuple[str, dict[str, Any]]] = []
    ready = threading.Event()
    subscriber = _subscriber(mosquitto, got, ready)
    try:
        assert ready.wait(10)
        with WarningPublisher(settings) as publisher:
            recorded = run_batch(db, path, publish=publisher.publish)
            assert len(recorded) == 13
            again = run_batch(db, path, publish=publisher.publish)  # nothing new: nothing sent
            assert not any(r.new for r in again)
        for _ in range(100):
            if len(got) >= 13:
                break
            threading.Event().wait(0.05)
        threading.Event().wait(0.3)
    finally:
        subscriber.loop_stop()
        subscriber.disconnect()
    assert len(got) == 13
    assert {body["id"] for _, body in got} == {r.warning["id"] for r in recorded}
    for topic, body in got:
        assert topic == f"foodtrace/v1/warnings/{body['severity']}"
        assert body["evidence"]["event_ids"]


def test_refused_login_is_a_precise_error(mosquitto: MosquittoBroker) -> None:
    settings = PublishSettings(
        host=mosquitto.host, port=mosquitto.port, username="nobody", password=SecretStr("wrong")
    )
    with pytest.raises(PublishError, match="refused the connection"):
        WarningPublisher(settings, timeout_s=5)


def test_no_password_no_connection() -> None:
    from trace_api.exceptions import ConfigError

    with pytest.raises(ConfigError, match="no MQTT password"):
        WarningPublisher(PublishSettings(port=1))
