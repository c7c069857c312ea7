"""The ingest worker against a real Mosquitto and real databases (SQLite and PostgreSQL)."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable

import orjson
import pytest
from pydantic import SecretStr
from sqlalchemy.engine import Engine

from tests.support.mosquitto import MosquittoBroker
from tests.trace_api.ingest.support import (
    READ_POINT,
    add_station,
    dead_letters,
    event_count,
    publisher,
    run_until_idle,
    sealed,
    settings,
    topic,
    wait_for,
)
from trace_api.broker.acl import render_acl
from trace_api.ingest.config import IngestSettings
from trace_api.ingest.worker import IngestWorker, WorkerStats
from trace_api.storage import get_events_raw, station_gaps, station_sequence

pytestmark = pytest.mark.mosquitto


@pytest.fixture
def ingest(mosquitto: MosquittoBroker, unique_topic: str) -> IngestSettings:
    """Settings for this test: its own topic root, client id and share group."""
    return settings(
        mosquitto,
        client_id=f"ingest-{uuid.uuid4().hex[:8]}",
        topic_root=unique_topic,
        share_group=f"g{uuid.uuid4().hex[:8]}",
    )


def _subscribe_once(db: Engine, ingest: IngestSettings) -> None:
    """Create the worker's persistent session (and subscription) before anything is published."""
    run_until_idle(db, ingest, idle_s=0.1)


def test_published_events_are_stored_with_their_sequence_and_gaps(
    db: Engine, mosquitto: MosquittoBroker, ingest: IngestSettings
) -> None:
    add_station(db, "st-1")
    _subscribe_once(db, ingest)
    first_ids, first = sealed("st-1", [1, 2, 3])
    later_ids, later = sealed("st-1", [6, 7])
    with publisher(mosquitto) as pub:
        pub.publish_all([(topic("st-1", ingest.topic_root), p) for p in (first, later)])
    stats = run_until_idle(db, ingest)
    assert (stats.messages, stats.stored, stats.duplicates, stats.refused) == (2, 5, 0, 0)
    stored = get_events_raw(db, first_ids + later_ids)
    assert set(stored) == set(first_ids + later_ids)
    assert orjson.loads(stored[first_ids[0]].raw)["ft:seq"] == 1
    assert station_gaps(db, "st-1") == [(4, 5)]
    state = station_sequence(db, "st-1")
    assert state is not None and (state.highest_contiguous, state.highest_seen) == (3, 7)
    assert dead_letters(db) == []


def test_redelivered_and_repeated_events_are_stored_once_across_restarts(
    db: Engine, mosquitto: MosquittoBroker, ingest: IngestSettings
) -> None:
    add_station(db, "st-1")
    _subscribe_once(db, ingest)
    where = topic("st-1", ingest.topic_root)
    _, a = sealed("st-1", range(1, 11))
    _, b = sealed("st-1", range(6, 16))  # overlaps a by 5 events
    with publisher(mosquitto) as pub:
        pub.publish_all([(where, a), (where, b), (where, a)])
    one = run_until_idle(db, ingest)
    assert (one.stored, one.duplicates) == (15, 15)
    # The worker is gone; what is published meanwhile waits in its persistent session.
    _, c = sealed("st-1", range(11, 21))
    with publisher(mosquitto) as pub:
        pub.publish_all([(where, c), (where, b)])
    two = run_until_idle(db, ingest)
    assert (two.messages, two.stored, two.duplicates) == (2, 5, 15)
    assert event_count(db) == 20
    assert station_gaps(db, "st-1") == []


def _dead_letter_cases(root: str) -> list[tuple[str, bytes, str, str]]:
    """(topic, payload, reason code, expected message) of each refusal kind."""
    own = topic("st-1", root)
    _, other_station = sealed("st-2", [1])
    _, foreign_place = sealed("st-1", [1], read_point="urn:epc:id:sgln:0614141.07346.99")
    _, unknown = sealed("st-9", [1])
    invalid = orjson.loads(sealed("st-1", [2])[1])
    invalid["epcisBody"]["eventList"][0]["action"] = "MAYBE"
    return [
        (own, b"\xc3\x28 not utf-8", "not_utf8", "document at /: not UTF-8: invalid "),
        (own, b'{"type": "EPCISDocument"', "not_json", "document at /: not JSON: "),
        (
            own,
            orjson.dumps(invalid),
            "schema_invalid",
            "event 0 at /epcisBody/eventList/0/action: ",
        ),
        (
            own,
            other_station,
            "station_mismatch",
            "event 0 at /epcisBody/eventList/0: event has ft:stationID 'st-2' but was "
            "published on the topic of station 'st-1'",
        ),
        (
            own,
            foreign_place,
            "location_not_owned",
            "event 0 at /epcisBody/eventList/0/readPoint/id: station 'st-1' does not own "
            "readPoint 'urn:epc:id:sgln:0614141.07346.99'",
        ),
        (
            topic("st-9", root),
            unknown,
            "unknown_station",
            "event 0 at /epcisBody/eventList/0: station 'st-9' is not in the station table",
        ),
    ]


def test_every_refusal_is_a_dead_letter_with_raw_bytes_and_acknowledged(
    db: Engine, mosquitto: MosquittoBroker, ingest: IngestSettings
) -> None:
    add_station(db, "st-1", [READ_POINT])
    _subscribe_once(db, ingest)
    cases = _dead_letter_cases(ingest.topic_root)
    good_ids, good = sealed("st-1", [3, 4])
    with publisher(mosquitto) as pub:
        pub.publish_all(
            [(t, p) for t, p, _, _ in cases] + [(topic("st-1", ingest.topic_root), good)]
        )
    stats = run_until_idle(db, ingest)
    assert (stats.messages, stats.stored, stats.dead_letters) == (len(cases) + 1, 2, len(cases))
    assert set(get_events_raw(db, good_ids)) == set(good_ids)
    letters = dead_letters(db)
    assert len(letters) == len(cases)
    for letter, (where, payload, code, message) in zip(letters, cases, strict=True):
        assert (letter.source, letter.source_detail, letter.reason_code) == ("mqtt", where, code)
        assert bytes(letter.raw) == payload
        assert letter.message.startswith(message), letter.message
    # Acknowledged after the dead letters were committed: nothing comes back.
    again = run_until_idle(db, ingest, idle_s=0.5)
    assert again.messages == 0 and len(dead_letters(db)) == len(cases)


def test_valid_events_of_a_partly_refused_document_are_stored(
    db: Engine, mosquitto: MosquittoBroker, ingest: IngestSettings
) -> None:
    add_station(db, "st-1")
    _subscribe_once(db, ingest)
    ids, payload = sealed("st-1", [1, 2, 3])
    doc = orjson.loads(payload)
    doc["epcisBody"]["eventList"][1]["readPoint"]["id"] = "urn:epc:id:sgln:0614141.07346.77"
    mixed = orjson.dumps(doc)
    with publisher(mosquitto) as pub:
        pub.publish_all([(topic("st-1", ingest.topic_root), mixed)])
    stats = run_until_idle(db, ingest)
    assert (stats.stored, stats.refused, stats.dead_letters) == (2, 1, 1)
    assert set(get_events_raw(db, ids)) == {ids[0], ids[2]}
    [letter] = dead_letters(db)
    assert letter.reason_code == "location_not_owned" and bytes(letter.raw) == mixed
    assert letter.message.startswith("event 1 at /epcisBody/eventList/1/readPoint/id: ")
    assert station_gaps(db, "st-1") == [(2, 2)]


def test_two_workers_share_the_load_and_store_each_event_once(
    db: Engine, mosquitto: MosquittoBroker, ingest: IngestSettings
) -> None:
    add_station(db, "st-1")
    workers = [
        IngestWorker(ingest.model_copy(update={"client_id": f"{ingest.client_id}-{n}"}), db)
        for n in (1, 2)
    ]
    stop = threading.Event()
    results: list[WorkerStats] = []
    threads = [threading.Thread(target=lambda w=w: results.append(w.run(stop))) for w in workers]
    for thread in threads:
        thread.start()
    wait_for(lambda: all(w._connected.is_set() for w in workers), 10)
    where = topic("st-1", ingest.topic_root)
    messages = [(where, sealed("st-1", range(i, i + 5))[1]) for i in range(1, 1001, 5)]
    try:
        with publisher(mosquitto) as pub:
            pub.publish_all(messages)
        wait_for(lambda: sum(w.stats.messages for w in workers) >= len(messages))
    finally:
        stop.set()
        for thread in threads:
            thread.join(30)
    assert len(results) == 2
    assert all(r.messages > 0 for r in results), results
    assert sum(r.messages for r in results) == len(messages)
    assert sum(r.stored for r in results) == 1000 and event_count(db) == 1000
    assert station_gaps(db, "st-1") == []


def test_deployed_acl_lets_the_ingest_account_use_its_shared_subscription(
    mosquitto_factory: Callable[..., MosquittoBroker], db: Engine
) -> None:
    broker = mosquitto_factory()
    password = broker.add_user("foodtrace-ingest")
    broker.add_user("st-1")
    broker.set_acl(render_acl())
    broker.start()
    add_station(db, "st-1")
    ingest = settings(broker).model_copy(
        update={"username": "foodtrace-ingest", "password": SecretStr(password)}
    )
    _subscribe_once(db, ingest)
    ids, payload = sealed("st-1", [1, 2])
    with publisher(broker, user="st-1") as pub:
        pub.publish_all([(topic("st-1"), payload)])
    stats = run_until_idle(db, ingest)
    assert stats.stored == 2 and set(get_events_raw(db, ids)) == set(ids)


def test_metrics_count_messages_events_dead_letters_and_time_commits(
    db: Engine, mosquitto: MosquittoBroker, ingest: IngestSettings
) -> None:
    add_station(db, "st-1")
    _subscribe_once(db, ingest)
    where = topic("st-1", ingest.topic_root)
    _, payload = sealed("st-1", [1, 2, 3])
    with publisher(mosquitto) as pub:
        pub.publish_all([(where, payload), (where, payload), (where, b"nope")])
    worker = IngestWorker(ingest, db)
    worker.run(idle_exit_s=1.0)
    value = worker.metrics.registry.get_sample_value
    assert value("foodtrace_ingest_messages_total", {"outcome": "ok"}) == 2
    assert value("foodtrace_ingest_messages_total", {"outcome": "refused"}) == 1
    assert value("foodtrace_ingest_events_total", {"outcome": "stored"}) == 3
    assert value("foodtrace_ingest_events_total", {"outcome": "duplicate"}) == 3
    assert value("foodtrace_ingest_dead_letters_total", {"reason": "not_json"}) == 1
    commits = value("foodtrace_ingest_commit_seconds_count")
    assert commits is not None and commits >= 1
    assert value("foodtrace_ingest_batch_seconds_count") == commits
    lag = value("foodtrace_ingest_lag_seconds")
    assert lag is not None and lag > 0
    assert value("foodtrace_ingest_queue_messages") == 0


def test_mqtt_3_1_1_keeps_the_session_and_subscribes_without_a_share_group(
    db: Engine, mosquitto: MosquittoBroker, unique_topic: str
) -> None:
    # For brokers without MQTT 5 (the demo's embedded fallback): one worker, plain subscription,
    # persistent session (clean_session=False), so what is published while it is away arrives.
    ingest = settings(
        mosquitto,
        client_id=f"ingest-{uuid.uuid4().hex[:8]}",
        topic_root=unique_topic,
        protocol="3.1.1",
    )
    assert ingest.subscription == f"{unique_topic}/+/+/events"
    add_station(db, "st-1")
    _subscribe_once(db, ingest)
    ids, payload = sealed("st-1", [1, 2, 3])
    with publisher(mosquitto) as pub:
        pub.publish_all([(topic("st-1", ingest.topic_root), payload)])
    stats = run_until_idle(db, ingest)
    assert (stats.messages, stats.stored, stats.refused) == (1, 3, 0)
    assert set(get_events_raw(db, ids)) == set(ids)
    again = run_until_idle(db, ingest, idle_s=0.3)  # acknowledged: nothing comes twice
    assert again.messages == 0
