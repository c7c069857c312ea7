"""Events arriving over MQTT (the ingest worker) reach a webhook subscriber."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import UTC, datetime

import pytest
from sqlalchemy.engine import Engine

from tests.support.mosquitto import MosquittoBroker
from tests.trace_api.ingest.support import (
    add_station,
    publisher,
    run_until_idle,
    sealed,
    settings,
    topic,
)
from tests.trace_api.subscriptions.conftest import TOKEN
from tests.trace_api.subscriptions.receiver import receiver
from trace_api.auth.tokens import authenticate, create_token
from trace_api.models import metadata
from trace_api.subscriptions import DeliveryWorker
from trace_api.subscriptions.destinations import DestinationPolicy
from trace_api.subscriptions.store import create_subscription

pytestmark = pytest.mark.mosquitto


def test_mqtt_ingested_events_are_delivered(
    db: Engine,
    mosquitto: MosquittoBroker,
    unique_topic: str,
    make_worker: Callable[..., DeliveryWorker],
) -> None:
    ingest = settings(
        mosquitto,
        client_id=f"ingest-{uuid.uuid4().hex[:8]}",
        topic_root=unique_topic,
        share_group=f"g{uuid.uuid4().hex[:8]}",
    )
    add_station(db, "st-1")
    run_until_idle(db, ingest, idle_s=0.1)  # the worker's session exists before publishing
    principal = authenticate(db, create_token(db, "regulator"))
    assert principal is not None
    with db.begin() as connection:
        connection.execute(
            metadata.tables["named_query"].insert(),
            {"name": "all", "query": {"eventType": "ObjectEvent"}, "created_at": datetime.now(UTC)},
        )
    worker = make_worker()
    with receiver() as hook:
        body = {"dest": hook.url, "signatureToken": TOKEN, "stream": True}
        create_subscription(db, "all", principal, body, DestinationPolicy())
        ids, payload = sealed("st-1", [1, 2, 3])
        with publisher(mosquitto) as pub:
            pub.publish_all([(topic("st-1", ingest.topic_root), payload)])
        assert run_until_idle(db, ingest).stored == 3
        worker.run_once()
        # One batch, one recordTime: stored (and delivered) in eventID order.
        assert [e for r in hook.ok() for e in r.event_ids()] == sorted(ids)
