"""Publisher against a real Mosquitto: exactly once and in order, batching, outages, refusals,
status and heartbeat, drop reports."""

from __future__ import annotations

import gc
import os
import shutil
import signal
import subprocess
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import orjson
import pytest
from structlog.testing import capture_logs

from edge_agent.pipeline import Pipeline
from edge_agent.reads import TagRead
from foodtrace.epcis.hash import document_hash_ids
from foodtrace.epcis.validate import validate_document
from tests.edge_agent.conftest import (
    Subscriber,
    mqtt_section,
    sgtin_hex,
    station_config,
    wait_until,
)
from tests.support.mosquitto import MosquittoBroker
from tests.support.ports import free_port, wait_for_port

pytestmark = pytest.mark.mosquitto

BASE = "foodtrace/v1/site-a/dock-1"
SubscriberFactory = Callable[..., Subscriber]


def make_pipeline(
    tmp_path: Path, broker: MosquittoBroker, mqtt: dict[str, Any] | None = None, **sections: Any
) -> Pipeline:
    sections.setdefault("outbox", {"path": str(tmp_path / "outbox.sqlite3"), "replay_rate": 0})
    config = station_config(tmp_path, mqtt=mqtt_section(broker, **(mqtt or {})), **sections)
    return Pipeline.from_config(config)


def reads(first: int, count: int) -> list[TagRead]:
    return [TagRead(sgtin_hex(serial), 1, -45) for serial in range(first, first + count)]


def assert_exactly_once_in_order(sub: Subscriber, count: int) -> list[dict[str, Any]]:
    events = sub.events()
    assert [e["ft:seq"] for e in events] == list(range(1, count + 1))
    assert len({e["eventID"] for e in events}) == count
    for payload in sub.payloads("/events"):
        doc = orjson.loads(payload)
        assert document_hash_ids(doc) == [e["eventID"] for e in doc["epcisBody"]["eventList"]]
    return events


@pytest.mark.parametrize("protocol", ["3.1.1", "5"])
def test_every_event_arrives_exactly_once_in_order(
    tmp_path: Path,
    mosquitto: MosquittoBroker,
    subscriber_factory: SubscriberFactory,
    protocol: str,
) -> None:
    sub = subscriber_factory(mosquitto, f"{BASE}/events")
    with make_pipeline(
        tmp_path, mosquitto, {"protocol": protocol}, batch={"max_events": 40, "linger_ms": 50}
    ) as pipeline:
        pipeline.start()
        for first in range(1, 301, 30):
            assert pipeline.feed(reads(first, 30)) == 30
        assert pipeline.publisher is not None
        assert pipeline.publisher.wait_drained(20)
        wait_until(lambda: len(sub.events()) >= 300, what="300 events at the subscriber")
        assert pipeline.metrics.value("foodtrace_edge_published_events_total") == 300
        assert pipeline.metrics.value("foodtrace_edge_outbox_depth") == 0
    events = assert_exactly_once_in_order(sub, 300)
    assert [e["epcList"][0] for e in events[:2]] == [
        "urn:epc:id:sgtin:0614141.812345.1",
        "urn:epc:id:sgtin:0614141.812345.2",
    ]
    sizes = [len(orjson.loads(p)["epcisBody"]["eventList"]) for p in sub.payloads("/events")]
    assert max(sizes) <= 40 and sum(sizes) == 300
    assert validate_document(orjson.loads(sub.payloads("/events")[0])) == []


def test_batches_by_size_bytes_and_linger(
    tmp_path: Path, mosquitto: MosquittoBroker, subscriber_factory: SubscriberFactory
) -> None:
    sub = subscriber_factory(mosquitto, f"{BASE}/events")
    with make_pipeline(
        tmp_path, mosquitto, batch={"max_events": 10, "linger_ms": 400, "max_bytes": 4096}
    ) as pipeline:
        started = time.monotonic()
        pipeline.feed(reads(1, 25))  # before start: all waiting in the outbox
        pipeline.start()
        wait_until(lambda: len(sub.events()) >= 25, what="25 events")
        elapsed = time.monotonic() - started
    sizes = [len(orjson.loads(p)["epcisBody"]["eventList"]) for p in sub.payloads("/events")]
    per_event = len(orjson.dumps(sub.events()[0])) + 1
    per_message = min(10, 4096 // per_event)
    assert per_message < 10  # the byte bound is the tighter one here
    assert sizes[:-1] == [per_message] * (len(sizes) - 1) and sum(sizes) == 25
    assert elapsed >= 0.4  # the last, partial batch waited for the linger time


def test_replay_after_an_outage_is_throttled(
    tmp_path: Path, mosquitto: MosquittoBroker, subscriber_factory: SubscriberFactory
) -> None:
    sub = subscriber_factory(mosquitto, f"{BASE}/events")
    outbox = {"path": str(tmp_path / "o.sqlite3"), "replay_rate": 200}
    with make_pipeline(
        tmp_path, mosquitto, batch={"max_events": 20, "linger_ms": 0}, outbox=outbox
    ) as pipeline:
        pipeline.feed(reads(1, 120))  # a backlog, as after an outage
        started = time.monotonic()
        pipeline.start()
        wait_until(lambda: len(sub.events()) >= 120, what="120 events")
        elapsed = time.monotonic() - started
    assert_exactly_once_in_order(sub, 120)
    assert elapsed >= (120 - 20) / 200 * 0.95  # one batch of burst, then 200 events/s


def test_broker_outage_fills_the_outbox_then_drains_in_order(
    tmp_path: Path,
    mosquitto_factory: Callable[..., MosquittoBroker],
    subscriber_factory: SubscriberFactory,
) -> None:
    broker = mosquitto_factory()
    broker.start()
    # The centre's subscriber has a persistent session: it gets what was published while away.
    sub = subscriber_factory(broker, f"{BASE}/events", client_id="centre", persistent=True)
    with capture_logs() as logs:
        pipeline = make_pipeline(tmp_path, broker, batch={"max_events": 7, "linger_ms": 20})
        with pipeline:
            pipeline.start()
            assert pipeline.publisher is not None
            pipeline.feed(reads(1, 20))
            assert pipeline.publisher.wait_drained(10)
            wait_until(lambda: len(sub.events()) == 20, what="first 20")
            # let the subscriber's PUBACKs reach the broker before it goes away; otherwise the
            # broker rightly redelivers to the subscriber (QoS 1), which is not what is tested
            time.sleep(0.3)

            broker.stop()
            wait_until(lambda: not pipeline.publisher.connected, what="disconnect")  # type: ignore[union-attr]
            for first in range(21, 61, 10):
                pipeline.feed(reads(first, 10))
            time.sleep(2.5)  # several reconnect attempts while the broker is away
            assert pipeline.outbox.depth == 40
            assert pipeline.metrics.value("foodtrace_edge_mqtt_connected") == 0

            broker.start()
            assert pipeline.publisher.wait_drained(20)
            wait_until(lambda: len(sub.events()) >= 60, timeout=15, what="all 60")
            assert pipeline.metrics.value("foodtrace_edge_mqtt_reconnects_total") == 1
            assert pipeline.metrics.value("foodtrace_edge_mqtt_connect_failures_total") >= 1
    assert_exactly_once_in_order(sub, 60)
    messages = [entry["event"] for entry in logs]
    assert messages.count("mqtt connection lost") == 1
    assert messages.count("mqtt connection recovered") == 1
    recovered = next(e for e in logs if e["event"] == "mqtt connection recovered")
    assert recovered["session_present"] is True  # persistent session kept by the broker
    assert recovered["outbox_depth"] == 40


def _freeze(broker: MosquittoBroker) -> Callable[[], None]:
    """SIGSTOP the broker: the TCP connection stays up but no PUBACK comes back."""
    assert broker._proc is not None
    pid = broker._proc.pid
    os.kill(pid, signal.SIGSTOP)
    return lambda: os.kill(pid, signal.SIGCONT)


def test_unacknowledged_messages_are_bounded(
    tmp_path: Path,
    mosquitto_factory: Callable[..., MosquittoBroker],
    subscriber_factory: SubscriberFactory,
) -> None:
    broker = mosquitto_factory()
    broker.start()
    sub = subscriber_factory(broker, f"{BASE}/events")
    pipeline = make_pipeline(
        tmp_path, broker, {"max_unacked": 4}, batch={"max_events": 5, "linger_ms": 0}
    )
    with pipeline:
        pipeline.start()
        assert pipeline.publisher is not None
        wait_until(lambda: pipeline.publisher.connected, what="connected")  # type: ignore[union-attr]
        thaw = _freeze(broker)
        try:
            pipeline.feed(reads(1, 100))
            seen = []
            for _ in range(50):
                seen.append(pipeline.publisher.inflight_count)
                time.sleep(0.01)
            assert max(seen) == 4
            assert pipeline.metrics.value("foodtrace_edge_mqtt_inflight_messages") == 4
            assert pipeline.outbox.depth == 100  # nothing acknowledged, nothing deleted
        finally:
            thaw()
        assert pipeline.publisher.wait_drained(20)
        wait_until(lambda: len(sub.events()) >= 100, what="100 events")
    assert_exactly_once_in_order(sub, 100)


def test_refused_publish_rc_keeps_events_and_retries(
    tmp_path: Path,
    mosquitto_factory: Callable[..., MosquittoBroker],
    subscriber_factory: SubscriberFactory,
) -> None:
    broker = mosquitto_factory()
    broker.start()
    sub = subscriber_factory(broker, f"{BASE}/events")
    pipeline = make_pipeline(
        tmp_path, broker, {"max_unacked": 50}, batch={"max_events": 5, "linger_ms": 0}
    )
    with pipeline, capture_logs() as logs:
        assert pipeline.publisher is not None
        # paho refuses (rc MQTT_ERR_QUEUE_SIZE, no exception) once 2 messages are queued
        pipeline.publisher.client.max_queued_messages_set(2)
        pipeline.start()
        wait_until(lambda: pipeline.publisher.connected, what="connected")  # type: ignore[union-attr]
        wait_until(lambda: not pipeline.publisher.client._out_messages, what="status acked")  # type: ignore[union-attr]
        thaw = _freeze(broker)
        try:
            pipeline.feed(reads(1, 40))
            wait_until(
                lambda: (
                    pipeline.metrics.value(
                        "foodtrace_edge_publish_refused_total", {"reason": "queue_size"}
                    )
                    >= 3
                ),
                what="refusals",
            )
            assert pipeline.publisher.inflight_count == 2
        finally:
            thaw()
        assert pipeline.publisher.wait_drained(20)
        wait_until(lambda: len(sub.events()) >= 40, what="40 events")
    assert_exactly_once_in_order(sub, 40)
    refusals = [e for e in logs if e["event"].startswith("paho refused a publish")]
    assert len(refusals) == 1  # logged once, counted every time


def test_status_is_retained_online_then_offline_on_shutdown(
    tmp_path: Path, mosquitto: MosquittoBroker, subscriber_factory: SubscriberFactory
) -> None:
    pipeline = make_pipeline(tmp_path, mosquitto)
    with pipeline:
        pipeline.start()
        assert pipeline.publisher is not None
        wait_until(lambda: pipeline.publisher.connected, what="connected")  # type: ignore[union-attr]
        time.sleep(0.2)
        late = subscriber_factory(mosquitto, f"{BASE}/status")  # subscribes after the fact
        wait_until(lambda: bool(late.messages), what="retained status")
        topic, payload, retained = late.messages[0]
        status = orjson.loads(payload)
        assert retained and topic == f"{BASE}/status"
        assert status["state"] == "online" and status["station"] == "dock-1"
        assert status["site"] == "site-a" and status["agent"].startswith("foodtrace-edge ")
    wait_until(lambda: len(late.messages) >= 2, what="offline status")
    offline = orjson.loads(late.messages[-1][1])
    assert (offline["state"], offline["reason"]) == ("offline", "shutdown")
    again = subscriber_factory(mosquitto, f"{BASE}/status")
    wait_until(lambda: bool(again.messages), what="retained offline")
    assert orjson.loads(again.messages[0][1])["state"] == "offline"


def test_heartbeat_carries_the_counters(
    tmp_path: Path, mosquitto: MosquittoBroker, subscriber_factory: SubscriberFactory
) -> None:
    sub = subscriber_factory(mosquitto, f"{BASE}/heartbeat")
    with make_pipeline(tmp_path, mosquitto, {"heartbeat_s": 0.2}) as pipeline:
        pipeline.start()
        pipeline.feed([*reads(1, 5), TagRead("E2801160600002054CC2096F", 1, -40)])
        pipeline.add_frame_errors(3)
        assert pipeline.publisher is not None and pipeline.publisher.wait_drained(10)

        def settled() -> bool:
            beats = [orjson.loads(p) for p in sub.payloads()]
            return any(b["published"] == 5 for b in beats)

        wait_until(settled, what="a heartbeat after publishing")
    beat = next(b for b in map(orjson.loads, sub.payloads()) if b["published"] == 5)
    assert beat["station"] == "dock-1" and beat["site"] == "site-a"
    assert (beat["reads"], beat["readsFiltered"], beat["events"]) == (6, 1, 5)
    assert (beat["frameErrors"], beat["outboxDepth"], beat["lastSeq"]) == (3, 0, 5)
    assert (beat["reconnects"], beat["dropped"]) == (0, 0)
    assert beat["uptimeS"] >= 0 and beat["time"].endswith("Z")


def test_dropped_ranges_are_reported_to_the_centre(
    tmp_path: Path, mosquitto: MosquittoBroker, subscriber_factory: SubscriberFactory
) -> None:
    sub = subscriber_factory(mosquitto, f"{BASE}/#")
    outbox = {"path": str(tmp_path / "o.sqlite3"), "max_events": 5, "replay_rate": 0}
    with capture_logs() as logs, make_pipeline(tmp_path, mosquitto, outbox=outbox) as pipeline:
        for first in (1, 4, 7):
            pipeline.feed(reads(first, 3))  # 9 events into room for 5: 4 dropped
        assert pipeline.outbox.depth == 5
        pipeline.start()
        assert pipeline.publisher is not None and pipeline.publisher.wait_drained(10)
        wait_until(lambda: bool(sub.payloads("/dropped")), what="drop report")
        wait_until(lambda: not pipeline.outbox.unreported_drops(), what="drop report acked")
        pipeline.tick()
        assert (
            pipeline.metrics.value("foodtrace_edge_dropped_events_total", {"reason": "max_events"})
            == 4
        )
    report = orjson.loads(sub.payloads("/dropped")[0])
    ranges = [(r["firstSeq"], r["lastSeq"], r["count"], r["reason"]) for r in report["ranges"]]
    assert ranges == [(1, 1, 1, "max_events"), (2, 4, 3, "max_events")]
    assert [e["ft:seq"] for e in sub.events()] == [5, 6, 7, 8, 9]
    messages = [e["event"] for e in logs]
    assert sum(m.startswith("outbox bound reached") for m in messages) == 1
    assert messages.count("outbox has room again; dropping stopped") == 1


def test_a_lingering_batch_takes_new_events_and_forgets_dropped_ones(
    tmp_path: Path, mosquitto: MosquittoBroker, subscriber_factory: SubscriberFactory
) -> None:
    """While a partial batch lingers the publisher reads only the rows after it; rows it holds
    that the outbox dropped meanwhile are not published."""
    sub = subscriber_factory(mosquitto, f"{BASE}/events")
    outbox = {"path": str(tmp_path / "o.sqlite3"), "max_events": 8, "replay_rate": 0}
    batch = {"max_events": 6, "linger_ms": 2000}
    with make_pipeline(tmp_path, mosquitto, batch=batch, outbox=outbox) as pipeline:
        pipeline.start()
        assert pipeline.publisher is not None
        wait_until(lambda: pipeline.publisher is not None and pipeline.publisher.connected)
        for serial in (1, 2, 3):  # a partial batch: it lingers, read once and then held
            pipeline.feed(reads(serial, 1))
            time.sleep(0.05)
        pipeline.feed(reads(4, 7))  # 10 events in room for 8: seqs 1-2 dropped
        assert pipeline.publisher.wait_drained(10)
        wait_until(lambda: len(sub.events()) >= 8, what="8 events")
    assert [e["ft:seq"] for e in sub.events()] == list(range(3, 11))
    sizes = [len(orjson.loads(p)["epcisBody"]["eventList"]) for p in sub.payloads("/events")]
    assert sizes == [6, 2]


def test_wrong_password_is_logged_once_and_nothing_is_lost(
    tmp_path: Path, mosquitto: MosquittoBroker
) -> None:
    section = mqtt_section(mosquitto)
    section["password"] = "wrong"
    config = station_config(tmp_path, mqtt=section, outbox={"path": str(tmp_path / "o.db")})
    with capture_logs() as logs, Pipeline.from_config(config) as pipeline:
        pipeline.start()
        pipeline.feed(reads(1, 3))
        wait_until(
            lambda: pipeline.metrics.value("foodtrace_edge_mqtt_connect_failures_total") >= 2,
            what="two refused connections",
        )
        assert pipeline.outbox.depth == 3
    refused = [e for e in logs if e["event"] == "broker refused the connection"]
    assert len(refused) == 1 and refused[0]["log_level"] == "error"


def _openssl(*args: str, cwd: Path) -> None:
    subprocess.run(["openssl", *args], cwd=cwd, check=True, capture_output=True)


def make_ca_and_server_cert(directory: Path, name: str) -> tuple[Path, Path, Path]:
    """A throwaway CA and a server certificate for 127.0.0.1 signed by it (openssl CLI)."""
    directory.mkdir(parents=True)
    ec = ("-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes")
    _openssl("req", "-x509", *ec, "-keyout", "ca.key", "-out", "ca.crt", "-days", "2",
             "-subj", f"/CN={name} test CA", cwd=directory)  # fmt: skip
    _openssl("req", *ec, "-keyout", "server.key", "-out", "server.csr",
             "-subj", "/CN=127.0.0.1", cwd=directory)  # fmt: skip
    (directory / "san.ext").write_text("subjectAltName=IP:127.0.0.1\n")
    _openssl("x509", "-req", "-in", "server.csr", "-CA", "ca.crt", "-CAkey", "ca.key",
             "-CAcreateserial", "-out", "server.crt", "-days", "2", "-extfile", "san.ext",
             cwd=directory)  # fmt: skip
    return directory / "ca.crt", directory / "server.crt", directory / "server.key"


@pytest.mark.skipif(shutil.which("openssl") is None, reason="needs the openssl command")
# paho-mqtt 2.2.0 does not close the socket when the TLS handshake fails (Client._ssl_wrap_socket
# raises before returning it); the garbage collector closes it and Python reports that. Only
# that one report is tolerated here.
@pytest.mark.filterwarnings(
    r"ignore:Exception ignored in. <ssl.SSLSocket:pytest.PytestUnraisableExceptionWarning"
)
def test_tls_with_password_and_server_verification(
    tmp_path: Path,
    mosquitto_factory: Callable[..., MosquittoBroker],
    subscriber_factory: SubscriberFactory,
) -> None:
    ca, cert, key = make_ca_and_server_cert(tmp_path / "pki", "good")
    other_ca, _, _ = make_ca_and_server_cert(tmp_path / "other", "other")
    tls_port = free_port()
    broker = mosquitto_factory(
        extra_config=f"listener {tls_port} 127.0.0.1\ncafile {ca}\ncertfile {cert}\nkeyfile {key}"
    )
    broker.start()
    wait_for_port("127.0.0.1", tls_port)
    sub = subscriber_factory(broker, f"{BASE}/events")  # on the plain listener

    untrusted = tmp_path / "untrusted"
    untrusted.mkdir()
    section = {"port": tls_port, "tls": {"ca_file": str(other_ca)}}
    with make_pipeline(untrusted, broker, section) as pipeline:
        pipeline.start()
        pipeline.feed(reads(1, 1))
        wait_until(
            lambda: pipeline.metrics.value("foodtrace_edge_mqtt_connect_failures_total") >= 1,
            what="a failed TLS handshake",
        )
        assert pipeline.publisher is not None and not pipeline.publisher.connected
        assert pipeline.outbox.depth == 1
    gc.collect()  # the leaked handshake sockets are reported now, inside this test

    with make_pipeline(
        tmp_path, broker, {"port": tls_port, "tls": {"ca_file": str(ca)}}
    ) as pipeline:
        pipeline.start()
        pipeline.feed(reads(1, 3))
        assert pipeline.publisher is not None and pipeline.publisher.wait_drained(10)
    wait_until(lambda: len(sub.events()) == 3, what="3 events over TLS")
    assert_exactly_once_in_order(sub, 3)


def test_mqtt5_puback_refusal_keeps_events_and_retries(
    tmp_path: Path,
    mosquitto_factory: Callable[..., MosquittoBroker],
    subscriber_factory: SubscriberFactory,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import edge_agent.publisher as publisher_module

    monkeypatch.setattr(publisher_module, "_RETRY_AFTER_S", 0.3)
    broker = mosquitto_factory()
    broker.start()
    section = mqtt_section(broker, protocol="5")
    station = section["username"]
    admin = "user test-admin\ntopic readwrite #\n"
    broker.set_acl(f"{admin}user {station}\ntopic write {BASE}/status\n")  # events denied
    sub = subscriber_factory(broker, f"{BASE}/events")
    config = station_config(
        tmp_path, mqtt=section, outbox={"path": str(tmp_path / "o.db"), "replay_rate": 0}
    )
    with capture_logs() as logs, Pipeline.from_config(config) as pipeline:
        pipeline.start()
        pipeline.feed(reads(1, 5))
        wait_until(
            lambda: (
                pipeline.metrics.value(
                    "foodtrace_edge_publish_refused_total", {"reason": "puback_failure"}
                )
                >= 2
            ),
            what="refused twice (first try and a retry)",
        )
        assert pipeline.outbox.depth == 5 and sub.events() == []
        broker.set_acl(f"{admin}user {station}\ntopic write {BASE}/#\n")  # now allowed
        assert pipeline.publisher is not None and pipeline.publisher.wait_drained(10)
        wait_until(lambda: len(sub.events()) == 5, what="5 events after the ACL change")
    assert_exactly_once_in_order(sub, 5)
    # Mosquitto 2.0 also drops the connection after refusing; each retry reconnects. The refusal
    # is logged once, until a message gets through.
    refusals = [e for e in logs if e["event"].startswith("broker refused a message")]
    assert len(refusals) == 1 and refusals[0]["reason"] == "Not authorized"
