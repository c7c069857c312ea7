"""MQTT ingest throughput: ``IngestWorker`` draining a backlog, against its two ceilings.

What it measures, for 1 and 50 events per MQTT message:

  paho    messages/s (and events/s) a bare paho MQTT v5 subscriber (persistent session, QoS 1,
          automatic PUBACK, no work) receives from the same broker backlog: the broker + client
          ceiling.
  ingest  events/s of one ``IngestWorker`` (the code ``foodtrace ingest run`` runs): receive,
          parse, validate (jsonschema-rs + rules), station ownership checks, prepare, store in
          batches (idempotent insert, child rows, station sequences), PUBACK after commit. The
          time spent in commit transactions is reported apart.
  (the ingest line also gives the rate of the worker's CPU side alone, ``decode_message`` on
  every message without MQTT or database: parse, validate, station checks, prepare)
  raw     event rows/s of ``bench/db_ingest_raw.py``'s raw insert of the same events' ``event``
          rows (pre-built, 1,000 per commit, no ON CONFLICT, no child rows).
  raw+    the same plus the child rows our store writes (``run_raw_all``).

Both database backends: a SQLite file (WAL, synchronous=NORMAL) and a PostgreSQL the script
starts with ``tests/support/postgres.py`` ``new_server()`` (initdb defaults, fsync on). The
broker is ``tests/support/mosquitto.py``'s (deployed queue settings: ``max_queued_messages 0``).
Each case starts from a fresh migrated database. The backlog is published while the worker is
away (its persistent session queues it), then the worker is started and timed until the last
message is acknowledged. The worker prepares the next batch while its committer thread stores
the previous one, so "committer busy" near 100 % means the store is the bottleneck.

    .venv/bin/python bench/ingest.py                           # 50,000 events per case
    .venv/bin/python bench/ingest.py --events 10000 --backends sqlite --profile
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import tempfile
import threading
import time
import uuid
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson
import paho.mqtt.client as mqtt
import sqlalchemy as sa
from paho.mqtt.enums import CallbackAPIVersion, MQTTProtocolVersion
from paho.mqtt.packettypes import PacketTypes
from paho.mqtt.properties import Properties
from pydantic import SecretStr
from sqlalchemy.engine import Engine

from bench.cpu import CpuMeter
from bench.db_ingest_raw import (
    Backend,
    make_events,
    postgres_backend,
    raw_children,
    raw_rows,
    run_raw,
    run_raw_all,
    sqlite_backend,
)
from tests.support.mosquitto import MosquittoBroker, new_broker, remove_broker
from trace_api.ingest.acceptance import StationDirectory
from trace_api.ingest.config import IngestSettings
from trace_api.ingest.decode import decode_message
from trace_api.ingest.worker import IngestWorker
from trace_api.models import metadata

ROOT = "foodtrace/v1"


def event_count(engine: Engine) -> int:
    with engine.connect() as connection:
        return int(connection.execute(sa.text("SELECT count(*) FROM event")).scalar_one())


def publish_all(broker: MosquittoBroker, messages: list[tuple[str, bytes]]) -> None:
    """QoS 1, waiting for every PUBACK (500 in flight)."""
    client = mqtt.Client(CallbackAPIVersion.VERSION2, client_id=f"pub-{uuid.uuid4().hex[:8]}")
    client.username_pw_set(*broker.credentials())
    client.max_inflight_messages_set(500)
    client.max_queued_messages_set(0)
    client.connect(broker.host, broker.port)
    client.loop_start()
    try:
        pending: list[mqtt.MQTTMessageInfo] = []
        for topic, payload in messages:
            pending.append(client.publish(topic, payload, qos=1))
            if len(pending) >= 500:
                for info in pending:
                    info.wait_for_publish(60)
                pending.clear()
        for info in pending:
            info.wait_for_publish(60)
    finally:
        client.disconnect()
        client.loop_stop()


def messages_of(
    items: list[tuple[dict[str, Any], bytes]], context: Any, per_message: int
) -> list[tuple[str, bytes]]:
    """EPCIS documents of ``per_message`` events of one station each, in ``ft:seq`` order."""
    by_station: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for event, _raw in items:
        by_station[event["ft:stationID"]].append(event)
    out = []
    for station, events in sorted(by_station.items()):
        for start in range(0, len(events), per_message):
            doc = {
                "@context": context,
                "type": "EPCISDocument",
                "schemaVersion": "2.0",
                "creationDate": "2026-03-01T00:00:00Z",
                "epcisBody": {"eventList": events[start : start + per_message]},
            }
            out.append((f"{ROOT}/site/{station}/events", orjson.dumps(doc)))
    return out


def add_stations(engine: Engine, items: list[tuple[dict[str, Any], bytes]]) -> None:
    read_points: dict[str, set[str]] = defaultdict(set)
    for event, _raw in items:
        read_points[event["ft:stationID"]].add(event["readPoint"]["id"])
    with engine.begin() as connection:
        connection.execute(
            metadata.tables["station"].insert(),
            [
                {"id": s, "read_points": sorted(points), "biz_locations": []}
                for s, points in read_points.items()
            ],
        )


def ingest_settings(
    broker: MosquittoBroker, client_id: str, commit_connections: int
) -> IngestSettings:
    user, password = broker.credentials()
    return IngestSettings(
        host=broker.host,
        port=broker.port,
        username=user,
        password=SecretStr(password),
        client_id=client_id,
        share_group=client_id,
        commit_connections=commit_connections,
    )


@dataclass
class IngestRun:
    seconds: float  # wall clock to drain the backlog
    commit: float  # seconds spent in commit transactions, summed over the committer threads
    worker_cpu: float  # CPU seconds of this process (the worker's threads) meanwhile
    database_cpu: float | None  # CPU seconds of the PostgreSQL server (all its processes)
    broker_cpu: float | None  # CPU seconds of Mosquitto


def run_ingest(
    broker: MosquittoBroker,
    backend: Backend,
    engine: Engine,
    messages: list[tuple[str, bytes]],
    events: int,
    profile: bool,
    commit_connections: int,
) -> IngestRun:
    """Drain the backlog with one worker; wall clock, commit time and CPU of each part."""
    ingest = ingest_settings(broker, f"bench-{uuid.uuid4().hex[:8]}", commit_connections)
    IngestWorker(ingest, engine).run(idle_exit_s=0.05)  # the persistent session
    publish_all(broker, messages)
    worker = IngestWorker(ingest, engine)
    stop = threading.Event()
    profiler = cProfile.Profile(time.thread_time) if profile else None  # consumer thread, its CPU
    committer = cProfile.Profile(time.thread_time) if profile else None  # committers, CPU
    if committer is not None:
        commit = worker._commit

        def profiled_commit(*args: Any) -> None:
            committer.enable()
            try:
                commit(*args)
            finally:
                committer.disable()

        worker._commit = profiled_commit  # type: ignore[method-assign,assignment]

    def target() -> None:
        if profiler is not None:
            profiler.enable()
        worker.run(stop)
        if profiler is not None:
            profiler.disable()

    thread = threading.Thread(target=target)
    server_pid = backend.server_pid()
    database = CpuMeter(tree_of=server_pid) if server_pid is not None else None
    mosquitto = CpuMeter([broker._proc.pid]) if broker._proc is not None else None
    for meter in (database, mosquitto):
        if meter is not None:
            meter.start()
    cpu = time.process_time()
    started = time.perf_counter()
    thread.start()
    while worker.stats.messages < len(messages):
        time.sleep(0.002)
    elapsed = time.perf_counter() - started
    worker_cpu = time.process_time() - cpu
    database_cpu = database.stop() if database is not None else None
    broker_cpu = mosquitto.stop() if mosquitto is not None else None
    stop.set()
    thread.join()
    assert worker.stats.stored == events and event_count(engine) == events, worker.stats
    busy = worker.metrics.registry.get_sample_value("foodtrace_ingest_commit_seconds_sum")
    for name, which in (("consumer", profiler), ("committer", committer)):
        if which is not None:
            print(f"--- {name} thread")
            pstats.Stats(which).sort_stats("tottime").print_stats(20)
    return IngestRun(elapsed, busy or 0.0, worker_cpu, database_cpu, broker_cpu)


def run_decode(engine: Engine, messages: list[tuple[str, bytes]], events: int) -> float:
    """CPU seconds of the worker's CPU side alone (one thread, nothing else running in this
    process): parse, validate, station checks, prepare. CPU time, not wall time: on a shared
    machine the wall clock mostly measures the other processes."""
    stations = StationDirectory(engine)
    started = time.process_time()
    accepted = sum(len(decode_message(t, p, stations).checked.accepted) for t, p in messages)
    elapsed = time.process_time() - started
    assert accepted == events
    return elapsed


def run_paho(broker: MosquittoBroker, messages: list[tuple[str, bytes]]) -> float:
    """Seconds a bare subscriber takes to receive the backlog."""
    client_id = f"paho-{uuid.uuid4().hex[:8]}"
    received = 0
    done = threading.Event()

    def on_message(_c: mqtt.Client, _u: Any, _m: mqtt.MQTTMessage) -> None:
        nonlocal received
        received += 1
        if received >= len(messages):
            done.set()

    def connect(client: mqtt.Client) -> None:
        properties = Properties(PacketTypes.CONNECT)  # type: ignore[no-untyped-call]
        properties.SessionExpiryInterval = 3600
        properties.ReceiveMaximum = 1000
        client.username_pw_set(*broker.credentials())
        client.on_message = on_message
        client.connect(broker.host, broker.port, clean_start=False, properties=properties)

    def make() -> mqtt.Client:
        return mqtt.Client(
            CallbackAPIVersion.VERSION2, client_id=client_id, protocol=MQTTProtocolVersion.MQTTv5
        )

    first = make()
    connect(first)
    first.subscribe(f"$share/{client_id}/{ROOT}/+/+/events", qos=1)
    first.loop_start()
    time.sleep(0.3)
    first.disconnect()
    first.loop_stop()
    publish_all(broker, messages)
    second = make()
    started = time.perf_counter()
    connect(second)
    second.loop_start()
    done.wait(600)
    elapsed = time.perf_counter() - started
    second.disconnect()
    second.loop_stop()
    assert received >= len(messages)
    return elapsed


def cpu_line(run: IngestRun, events: int) -> str:
    parts = [("worker", run.worker_cpu), ("PostgreSQL", run.database_cpu)]
    parts.append(("Mosquitto", run.broker_cpu))
    return ", ".join(f"{name} {cpu * 1e6 / events:.0f}" for name, cpu in parts if cpu is not None)


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--events", type=int, default=50_000)
    parser.add_argument("--per-message", default="1,50")
    parser.add_argument("--backends", default="sqlite,postgres")
    parser.add_argument("--profile", action="store_true", help="cProfile the ingest worker")
    parser.add_argument(
        "--commit-connections",
        default="2",
        help="comma-separated values of the worker's commit_connections to run (PostgreSQL; "
        "SQLite always commits on 1)",
    )
    args = parser.parse_args()
    connection_counts = [int(c) for c in args.commit_connections.split(",")]

    items, context = make_events(args.events)
    n = len(items)
    rows = raw_rows(items, context)
    children = raw_children(items, context)
    results: list[tuple[str, str, str]] = []
    broker = new_broker()
    broker.start()
    with tempfile.TemporaryDirectory(prefix="foodtrace-bench-") as folder:
        backends = []
        if "sqlite" in args.backends:
            backends.append(sqlite_backend(Path(folder)))
        if "postgres" in args.backends:
            backends.append(postgres_backend())
        try:
            for per in (int(p) for p in args.per_message.split(",")):
                messages = messages_of(items, context, per)
                seconds = run_paho(broker, messages)
                line = f"{len(messages) / seconds:,.0f} msg/s = {n / seconds:,.0f} events/s"
                print(f"paho, {per} events/message: {line}", flush=True)
                results.append(("broker → bare paho subscriber", f"{per}", line))
                cases = [
                    (backend, connections)
                    for backend in backends
                    for connections in (
                        [1] if backend.name.startswith("SQLite") else connection_counts
                    )
                ]
                for backend, connections in cases:
                    engine = backend.fresh()
                    try:
                        add_stations(engine, items)
                        decode = run_decode(engine, messages, n)
                        run = run_ingest(
                            broker, backend, engine, messages, n, args.profile, connections
                        )
                    finally:
                        engine.dispose()
                    seconds, commit = run.seconds, run.commit
                    line = (
                        f"{n / seconds:,.0f} events/s (commit transactions "
                        f"{commit / seconds:.0%} of the time, summed over connections; "
                        f"their own rate {n / max(commit, 1e-9):,.0f} events/s; "
                        f"parse+validate+check+prepare alone {decode * 1e6 / n:.0f} µs CPU/event; "
                        f"CPU µs/event: {cpu_line(run, n)})"
                    )
                    case = f"ingest → {backend.name}, {connections} commit connection(s)"
                    print(f"{case}, {per} events/message: {line}", flush=True)
                    results.append((case, f"{per}", line))
            for backend in backends:
                for label in ("raw", "raw+"):
                    engine = backend.fresh()
                    try:
                        outcome = (
                            run_raw(engine, rows)
                            if label == "raw"
                            else run_raw_all(engine, rows, children)
                        )
                    finally:
                        engine.dispose()
                    line = f"{n / outcome.seconds:,.0f} events/s"
                    print(f"{label} → {backend.name}: {line}", flush=True)
                    results.append((f"{label} insert → {backend.name}", "–", line))
        finally:
            for backend in backends:
                backend.cleanup()
            remove_broker(broker)
    print(f"\n{n:,} events per case\n")
    print("| case | events/message | rate |")
    print("|---|---:|---|")
    for case, per_message, line in results:
        print(f"| {case} | {per_message} | {line} |")


if __name__ == "__main__":
    main()
