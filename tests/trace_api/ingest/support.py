"""Helpers for the ingest tests: station documents as the edge agent publishes them, a publisher,
station rows, and a worker run until the broker has nothing more for it."""

from __future__ import annotations

import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import paho.mqtt.client as mqtt
import sqlalchemy as sa
from paho.mqtt.enums import CallbackAPIVersion
from sqlalchemy.engine import Engine

from edge_agent.document import document_bytes
from edge_agent.events import seal
from tests.support.mosquitto import MosquittoBroker
from trace_api.ingest.config import IngestSettings
from trace_api.ingest.worker import IngestWorker, WorkerStats
from trace_api.models import metadata

SITE = "site-1"
ROOT = "foodtrace/v1"
READ_POINT = "urn:epc:id:sgln:0614141.07346.1"
T0 = datetime(2026, 3, 1, tzinfo=UTC)


def topic(station: str, root: str = ROOT) -> str:
    return f"{root}/{SITE}/{station}/events"


def event(seq: int, read_point: str = READ_POINT, serial: int | None = None) -> dict[str, Any]:
    """An ObjectEvent as the edge agent builds it (before sealing)."""
    return {
        "type": "ObjectEvent",
        "eventTime": (T0 + timedelta(milliseconds=seq)).isoformat().replace("+00:00", "Z"),
        "eventTimeZoneOffset": "+00:00",
        "epcList": [f"urn:epc:id:sgtin:0614141.107346.{serial if serial is not None else seq}"],
        "action": "OBSERVE",
        "bizStep": "receiving",
        "readPoint": {"id": read_point},
    }


def sealed(station: str, seqs: Sequence[int], **kwargs: Any) -> tuple[list[str], bytes]:
    """``(eventIDs, document bytes)`` of events ``seqs`` of ``station``."""
    ids, payloads = [], []
    for seq in seqs:
        event_id, payload = seal(event(seq, **kwargs), seq, station)
        ids.append(event_id)
        payloads.append(payload)
    return ids, document_bytes(payloads, "2026-03-01T00:00:00.000Z")


def add_station(engine: Engine, station: str, read_points: Sequence[str] = (READ_POINT,)) -> None:
    with engine.begin() as connection:
        connection.execute(
            metadata.tables["station"].insert(),
            {"id": station, "read_points": list(read_points), "biz_locations": []},
        )


def event_count(engine: Engine) -> int:
    with engine.connect() as connection:
        return int(connection.execute(sa.text("SELECT count(*) FROM event")).scalar_one())


def dead_letters(engine: Engine) -> list[sa.Row[Any]]:
    table = metadata.tables["dead_letter"]
    with engine.connect() as connection:
        return list(connection.execute(sa.select(table).order_by(table.c.id)))


@dataclass
class Publisher:
    """A QoS 1 publisher that waits for every PUBACK."""

    client: mqtt.Client

    def publish(self, topic_: str, payload: bytes) -> mqtt.MQTTMessageInfo:
        info = self.client.publish(topic_, payload, qos=1)
        return info

    def publish_all(self, messages: Sequence[tuple[str, bytes]], window: int = 200) -> None:
        pending: list[mqtt.MQTTMessageInfo] = []
        for topic_, payload in messages:
            pending.append(self.publish(topic_, payload))
            if len(pending) >= window:
                for info in pending:
                    info.wait_for_publish(30)
                pending.clear()
        for info in pending:
            info.wait_for_publish(30)


@contextmanager
def publisher(broker: MosquittoBroker, user: str = "test-admin") -> Iterator[Publisher]:
    client = mqtt.Client(CallbackAPIVersion.VERSION2, client_id=f"pub-{time.monotonic_ns()}")
    client.username_pw_set(*broker.credentials(user))
    client.max_inflight_messages_set(200)
    client.max_queued_messages_set(0)
    client.connect(broker.host, broker.port)
    client.loop_start()
    try:
        yield Publisher(client)
    finally:
        client.disconnect()
        client.loop_stop()


def settings(
    broker: MosquittoBroker, client_id: str = "ingest-test", **kwargs: Any
) -> IngestSettings:
    user, password = broker.credentials()
    values: dict[str, Any] = {
        "host": broker.host,
        "port": broker.port,
        "username": user,
        "password": password,
        "client_id": client_id,
        "linger_ms": 20,
    }
    values.update(kwargs)
    return IngestSettings(**values)


def wait_for(predicate: Any, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError("condition not reached in time")
        time.sleep(0.05)


def run_until_idle(engine: Engine, ingest: IngestSettings, idle_s: float = 1.0) -> WorkerStats:
    return IngestWorker(ingest, engine).run(idle_exit_s=idle_s)
