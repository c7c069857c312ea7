"""The service fixtures start real servers: prove it once per server."""

from __future__ import annotations

import threading

import paho.mqtt.client as mqtt
import pytest
from paho.mqtt.enums import CallbackAPIVersion
from playwright.sync_api import Page

from tests.conftest import LiveApp
from tests.support.mosquitto import MosquittoBroker


def _client(broker: MosquittoBroker, client_id: str, password: str | None = None) -> mqtt.Client:
    client = mqtt.Client(CallbackAPIVersion.VERSION2, client_id=client_id)
    user, pw = broker.credentials()
    client.username_pw_set(user, password if password is not None else pw)
    return client


@pytest.mark.mosquitto
def test_mosquitto_roundtrip_qos1(mosquitto: MosquittoBroker, unique_topic: str) -> None:
    got: list[bytes] = []
    subscribed = threading.Event()
    received = threading.Event()

    sub = _client(mosquitto, "smoke-sub")
    sub.on_subscribe = lambda *_args: subscribed.set()

    def on_message(_c: mqtt.Client, _u: object, msg: mqtt.MQTTMessage) -> None:
        got.append(bytes(msg.payload))
        received.set()

    sub.on_message = on_message
    sub.connect(mosquitto.host, mosquitto.port)
    sub.subscribe(unique_topic, qos=1)
    sub.loop_start()
    try:
        assert subscribed.wait(5)
        pub = _client(mosquitto, "smoke-pub")
        pub.connect(mosquitto.host, mosquitto.port)
        pub.loop_start()
        info = pub.publish(unique_topic, b"hello", qos=1)
        info.wait_for_publish(5)
        assert info.is_published()
        assert received.wait(5)
        pub.loop_stop()
        pub.disconnect()
    finally:
        sub.loop_stop()
        sub.disconnect()
    assert got == [b"hello"]


@pytest.mark.mosquitto
def test_mosquitto_refuses_wrong_password(mosquitto: MosquittoBroker) -> None:
    client = _client(mosquitto, "smoke-bad", password="not-the-password")
    result: list[object] = []
    done = threading.Event()

    def on_connect(_c: mqtt.Client, _u: object, _f: object, rc: object, _p: object) -> None:
        result.append(rc)
        done.set()

    client.on_connect = on_connect
    client.connect(mosquitto.host, mosquitto.port)
    client.loop_start()
    try:
        assert done.wait(5)
    finally:
        client.loop_stop()
        client.disconnect()
    assert getattr(result[0], "is_failure", True)
    assert "Not authorized" in str(result[0]) or "Bad user name or password" in str(result[0])


@pytest.mark.mosquitto
def test_mosquitto_listens_on_loopback_only(mosquitto: MosquittoBroker) -> None:
    conf = mosquitto.conf_path.read_text()
    assert f"listener {mosquitto.port} 127.0.0.1" in conf
    assert "allow_anonymous false" in conf


@pytest.mark.postgres
def test_postgres_roundtrip(postgres_url: str) -> None:
    import sqlalchemy as sa

    engine = sa.create_engine(postgres_url)
    with engine.begin() as conn:
        conn.execute(sa.text("CREATE TABLE smoke (id serial PRIMARY KEY, body jsonb NOT NULL)"))
        conn.execute(sa.text("INSERT INTO smoke (body) VALUES (:b)"), {"b": '{"epc": "x"}'})
        row = conn.execute(
            sa.text("SELECT body->>'epc', inet_server_addr()::text FROM smoke")
        ).one()
        version = conn.execute(sa.text("SHOW server_version")).scalar_one()
    engine.dispose()
    assert row[0] == "x"
    assert row[1].startswith("127.0.0.1")
    assert int(version.split(".")[0]) >= 13


@pytest.mark.browser
def test_chromium_renders_the_live_service(live_app: LiveApp, page: Page) -> None:
    """The system Chromium fetches from the real uvicorn server and runs the page's script."""
    response = page.goto(f"{live_app.url}/api/v1/health")
    assert response is not None and response.status == 200
    body = page.evaluate("() => JSON.parse(document.body.innerText)")
    assert body["status"] == "ok"
    missing = page.goto(f"{live_app.url}/no/such/page")
    assert missing is not None and missing.status == 404
    assert missing.headers["content-type"].startswith("application/problem+json")
