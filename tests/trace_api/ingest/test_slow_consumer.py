"""A consumer that is away or slow loses nothing on the deployed broker settings — and would on
Mosquitto's defaults (``max_queued_messages 1000`` silently drops QoS 1 messages)."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine

from tests.support.mosquitto import MosquittoBroker
from tests.trace_api.ingest.support import (
    add_station,
    event_count,
    publisher,
    run_until_idle,
    sealed,
    settings,
    topic,
)
from trace_api.broker.mosquitto_conf import BrokerLayout, render_mosquitto_conf
from trace_api.storage import station_gaps, station_sequence

pytestmark = [pytest.mark.mosquitto, pytest.mark.slow]

EVENTS = 20_000
PER_MESSAGE = 5


def _deployed(setting: str) -> int:
    """A queue limit as ``foodtrace broker init`` writes it."""
    conf = render_mosquitto_conf(BrokerLayout(Path("/etc/x"), Path("/var/lib/x")))
    match = re.search(rf"^{setting} (\d+)$", conf, re.MULTILINE)
    assert match is not None, setting
    return int(match.group(1))


def _away_then_back(broker: MosquittoBroker, engine: Engine) -> int:
    """The worker subscribes, goes away, 20,000 events are published as 4,000 messages, the
    worker comes back: how many events does it store?"""
    broker.start()
    add_station(engine, "st-1")
    ingest = settings(broker, client_id="ingest-slow", batch_events=5000)
    run_until_idle(engine, ingest, idle_s=0.1)  # persistent session + subscription
    where = topic("st-1")
    messages = [
        (where, sealed("st-1", range(seq, seq + PER_MESSAGE))[1])
        for seq in range(1, EVENTS + 1, PER_MESSAGE)
    ]
    with publisher(broker) as pub:
        pub.publish_all(messages)
    stats = run_until_idle(engine, ingest, idle_s=1.5)
    assert stats.duplicates == 0 and stats.refused == 0
    return event_count(engine)


def test_deployed_limits_keep_every_event_for_an_absent_worker(
    mosquitto_factory: Callable[..., MosquittoBroker], db: Engine
) -> None:
    queued, queued_bytes = _deployed("max_queued_messages"), _deployed("max_queued_bytes")
    assert (queued, queued_bytes) == (0, 0)
    broker = mosquitto_factory(
        max_queued_messages=queued, extra_config=f"max_queued_bytes {queued_bytes}"
    )
    assert _away_then_back(broker, db) == EVENTS
    assert station_gaps(db, "st-1") == []
    state = station_sequence(db, "st-1")
    assert state is not None and state.highest_contiguous == EVENTS


def test_mosquitto_default_limit_loses_events_in_the_same_situation(
    mosquitto_factory: Callable[..., MosquittoBroker], db: Engine
) -> None:
    broker = mosquitto_factory(max_queued_messages=1000)
    stored = _away_then_back(broker, db)
    assert stored <= 1000 * PER_MESSAGE + 20 * PER_MESSAGE  # queue plus in-flight window
    # The broker kept the oldest messages and dropped the rest without telling anyone.
    state = station_sequence(db, "st-1")
    assert state is not None and state.highest_seen == stored < EVENTS
