"""Deliveries to a real HTTP receiver: signed, retried, never duplicated, within scope."""

from __future__ import annotations

import hashlib
import hmac
import threading
import time
from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import orjson
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from foodtrace.cli import run
from tests.trace_api.api import chain
from tests.trace_api.api.client import TestClient
from tests.trace_api.subscriptions.conftest import TOKEN, Headers, capture, subscribe
from tests.trace_api.subscriptions.receiver import Received, receiver
from trace_api.models import metadata
from trace_api.storage import prepare_event, store_events
from trace_api.subscriptions import DeliveryWorker
from trace_api.subscriptions.collect import CollectPolicy, collect
from trace_api.subscriptions.outbox import claim

Factory = Callable[..., DeliveryWorker]
PAST = "2020-01-01T00:00:00Z"


def _signature_ok(request: Received) -> bool:
    """Check a delivery's signature from the documented scheme (not with the module)."""
    timestamp = request.headers["GS1-Signature-Timestamp"]
    delivery = request.headers["GS1-Delivery-ID"]
    message = f"{timestamp}.{delivery}.".encode() + request.body
    expected = "sha256=" + hmac.new(TOKEN.encode(), message, hashlib.sha256).hexdigest()
    fresh = abs(time.time() - int(timestamp)) < 60
    return fresh and hmac.compare_digest(request.headers["GS1-Signature"], expected)


def _settle(worker: DeliveryWorker, done: Callable[[], bool], timeout_s: float = 20) -> None:
    deadline = time.monotonic() + timeout_s
    while not done():
        assert time.monotonic() < deadline, "the worker did not settle"
        worker.run_once()
        time.sleep(0.02)


def test_stream_delivery_signed_and_not_repeated(
    client: TestClient, regulator: Headers, all_events: str, make_worker: Factory
) -> None:
    worker = make_worker()
    with receiver() as hook:
        view = subscribe(client, regulator, all_events, dest=hook.url, stream=True)
        capture(client, regulator, chain.events()[:4])
        result = worker.run_once()
        assert (result.collected, result.delivered, result.failed) == (1, 1, 0)
        [first] = hook.ok()
        assert first.path == "/hook" and first.headers["Content-Type"] == "application/json"
        assert _signature_ok(first)
        document = first.document()
        assert document["type"] == "EPCISQueryDocument"
        results = document["epcisBody"]["queryResults"]
        assert results["subscriptionID"] == view["subscriptionID"]
        assert results["queryName"] == "all"
        assert first.event_ids() == [chain.event_id(n) for n in (1, 2, 3, 4)]
        # Nothing new: nothing sent, however often the worker runs.
        for _ in range(3):
            assert worker.run_once().idle
        capture(client, regulator, chain.events())  # 1-4 again (duplicates), 5 and 6 new
        worker.run_once()
        assert len(hook.ok()) == 2
        assert hook.ok()[1].event_ids() == [chain.event_id(5), chain.event_id(6)]
        assert hook.ok()[1].headers["GS1-Delivery-ID"] != first.headers["GS1-Delivery-ID"]
    path = f"/epcis/queries/all/subscriptions/{view['subscriptionID']}"
    after = client.get(path, headers=regulator).json()
    assert after["deliveries"] == {"pending": 0, "delivered": 2, "dead": 0}
    assert "lastNotifiedAt" in after


def test_failing_receiver_gets_retries_then_succeeds(
    client: TestClient, regulator: Headers, all_events: str, make_worker: Factory
) -> None:
    worker = make_worker(max_attempts=5)
    with receiver(statuses=[500, 503, 200]) as hook:
        view = subscribe(client, regulator, all_events, dest=hook.url, stream=True)
        capture(client, regulator, chain.events())
        _settle(worker, lambda: len(hook.ok()) == 1)
        attempts = hook.all()
    assert [r.status for r in attempts] == [500, 503, 200]
    # One delivery: the same ID and body on every attempt, each attempt signed afresh.
    assert len({r.headers["GS1-Delivery-ID"] for r in attempts}) == 1
    assert len({r.body for r in attempts}) == 1
    assert all(_signature_ok(r) for r in attempts)
    assert attempts[1].at - attempts[0].at >= 0.04  # backoff waited
    listed = client.get(
        f"/api/v1/subscriptions/{view['subscriptionID']}/deliveries", headers=regulator
    ).json()["deliveries"]
    assert [(d["status"], d["attempts"], d["eventCount"]) for d in listed] == [("delivered", 3, 6)]


def test_dead_after_the_cap_visible_and_retried_on_request(
    client: TestClient, regulator: Headers, all_events: str, make_worker: Factory
) -> None:
    worker = make_worker(max_attempts=2)
    with receiver(statuses=[500, 500, 500, 500]) as hook:
        view = subscribe(client, regulator, all_events, dest=hook.url, stream=True)
        capture(client, regulator, chain.events()[:2])
        base = f"/api/v1/subscriptions/{view['subscriptionID']}/deliveries"

        def dead() -> list[dict[str, object]]:
            found: list[dict[str, object]] = client.get(
                base, params={"status": "dead"}, headers=regulator
            ).json()["deliveries"]
            return found

        _settle(worker, lambda: bool(dead()))
        [record] = dead()
        assert record["attempts"] == 2 and record["lastStatus"] == 500
        assert record["lastError"] == "HTTP 500 from the receiver"
        for _ in range(3):
            worker.run_once()
        assert len(hook.all()) == 2  # dead: never sent again by itself
        # A later document is not held back by the dead one.
        capture(client, regulator, chain.events()[2:3])
        _settle(worker, lambda: len(hook.all()) >= 4)
        assert len(dead()) == 2
        retried = client.post(f"{base}/{record['deliveryID']}/retry", headers=regulator)
        assert retried.status_code == 204
        _settle(worker, lambda: len(hook.ok()) == 1)
        assert hook.ok()[0].headers["GS1-Delivery-ID"] == record["deliveryID"]
        again = client.post(f"{base}/{record['deliveryID']}/retry", headers=regulator)
        assert again.status_code == 404
        assert client.get(base, params={"status": "lost"}, headers=regulator).status_code == 400


def test_operator_subscription_gets_only_its_scope(
    client: TestClient,
    regulator: Headers,
    farm_operator: Headers,
    all_events: str,
    make_worker: Factory,
) -> None:
    worker = make_worker()
    with receiver() as everything, receiver() as farm:
        subscribe(client, regulator, all_events, dest=everything.url, stream=True)
        subscribe(client, farm_operator, all_events, dest=farm.url, stream=True)
        capture(client, regulator, chain.events())
        worker.run_once()
        assert everything.ok()[0].event_ids() == [chain.event_id(n) for n in range(1, 7)]
        assert farm.ok()[0].event_ids() == [chain.event_id(n) for n in (1, 2, 3)]


def test_initial_record_time_and_document_size(
    client: TestClient, regulator: Headers, all_events: str, make_worker: Factory
) -> None:
    capture(client, regulator, chain.events())  # before anyone subscribed
    worker = make_worker(max_events=4)
    with receiver() as late, receiver() as backfill:
        subscribe(client, regulator, all_events, dest=late.url, stream=True)
        subscribe(
            client, regulator, all_events, dest=backfill.url, stream=True, initialRecordTime=PAST
        )
        worker.run_once()
        assert late.all() == []  # default initialRecordTime: now
        sizes = [len(r.event_ids()) for r in backfill.ok()]
        assert sizes == [4, 2]  # at most max_events per document, in order
        assert [e for r in backfill.ok() for e in r.event_ids()] == [
            chain.event_id(n) for n in range(1, 7)
        ]


def test_scheduled_subscription_reports_if_empty(
    client: TestClient, regulator: Headers, all_events: str, make_worker: Factory
) -> None:
    worker = make_worker()
    with receiver() as empty, receiver() as silent:
        subscribe(
            client,
            regulator,
            all_events,
            dest=empty.url,
            schedule={"second": "*"},
            reportIfEmpty=True,
        )
        subscribe(client, regulator, all_events, dest=silent.url, schedule={"second": "*"})
        later = (datetime.now(UTC).hour + 12) % 24
        subscribe(
            client,
            regulator,
            all_events,
            dest=silent.url,
            schedule={"hour": str(later)},
            reportIfEmpty=True,
        )  # not due for hours: never collected here
        time.sleep(1.1)
        worker.run_once()
        [report] = empty.ok()
        assert report.event_ids() == []
        assert silent.all() == []
        capture(client, regulator, chain.events()[:1])
        time.sleep(1.1)
        worker.run_once()
        assert [r.event_ids() for r in silent.ok()] == [[chain.event_id(1)]]


def test_every_storage_path_is_delivered(
    client: TestClient,
    db: Engine,
    db_url: str,
    regulator: Headers,
    all_events: str,
    make_worker: Factory,
    tmp_path: Path,
) -> None:
    """Events stored by ``foodtrace capture`` and by the storage API the MQTT ingest uses."""
    worker = make_worker()
    with receiver() as hook:
        subscribe(client, regulator, all_events, dest=hook.url, stream=True)
        path = tmp_path / "doc.json"
        path.write_bytes(orjson.dumps(chain.document(chain.events()[:3])))
        assert run(["capture", str(path), "--db", db_url]) == 0
        prepared = [prepare_event(e) for e in chain.events()[3:]]
        store_events(db, prepared)
        worker.run_once()
        delivered = [e for r in hook.ok() for e in r.event_ids()]
        assert sorted(delivered) == [chain.event_id(n) for n in range(1, 7)]


def test_parallel_workers_never_duplicate(
    client: TestClient, db: Engine, regulator: Headers, all_events: str, make_worker: Factory
) -> None:
    """Two workers collecting and sending at once while events keep arriving."""
    workers = [make_worker(max_events=7), make_worker(max_events=7)]
    stop = threading.Event()
    errors: list[BaseException] = []

    def loop(worker: DeliveryWorker) -> None:
        try:
            while not stop.is_set():
                worker.run_once()
        except BaseException as exc:
            errors.append(exc)

    events = []
    for n in range(120):
        event = chain.events()[0]
        event["eventID"] = f"urn:uuid:11111111-0000-4000-8000-{n:012d}"
        events.append(event)
    with receiver() as hook:
        subscribe(client, regulator, all_events, dest=hook.url, stream=True)
        threads = [threading.Thread(target=loop, args=(w,)) for w in workers]
        for thread in threads:
            thread.start()
        try:
            for start in range(0, len(events), 10):
                store_events(db, [prepare_event(e) for e in events[start : start + 10]])
            deadline = time.monotonic() + 30
            while sum(len(r.event_ids()) for r in hook.ok()) < len(events):
                assert time.monotonic() < deadline, "not everything was delivered"
                time.sleep(0.05)
            time.sleep(0.3)
        finally:
            stop.set()
            for thread in threads:
                thread.join()
    assert errors == []
    counts = Counter(e for r in hook.ok() for e in r.event_ids())
    assert set(counts) == {e["eventID"] for e in events}
    assert max(counts.values()) == 1
    assert len(hook.all()) == len(hook.ok())  # every request answered once, none resent


def test_unsubscribed_deliveries_are_dropped(
    client: TestClient, db: Engine, regulator: Headers, all_events: str, make_worker: Factory
) -> None:
    worker = make_worker()
    with receiver(statuses=[500]) as hook:
        view = subscribe(client, regulator, all_events, dest=hook.url, stream=True)
        capture(client, regulator, chain.events()[:1])
        worker.run_once()
        path = f"/epcis/queries/all/subscriptions/{view['subscriptionID']}"
        assert client.delete(path, headers=regulator).status_code == 204
        with db.connect() as connection:
            left = connection.execute(
                sa.select(sa.func.count()).select_from(metadata.tables["delivery"])
            ).scalar_one()
        assert left == 0
        time.sleep(0.3)
        worker.run_once()
        assert len(hook.all()) == 1


def test_pending_deliveries_survive_a_restart(
    client: TestClient, regulator: Headers, all_events: str, make_worker: Factory, db: Engine
) -> None:
    """Collected but unsent (the worker died): a new worker sends it once the lease expires."""
    with receiver() as hook:
        subscribe(client, regulator, all_events, dest=hook.url, stream=True)
        capture(client, regulator, chain.events()[:2])
        assert collect(db, CollectPolicy()) == 1
        assert len(claim(db, 10, lease_s=0.5)) == 1  # claimed, then the worker "crashed"
        fresh = make_worker()
        assert fresh.run_once().delivered == 0  # the lease still holds it
        time.sleep(0.6)
        assert fresh.run_once().delivered == 1
        assert hook.ok()[0].event_ids() == [chain.event_id(1), chain.event_id(2)]
