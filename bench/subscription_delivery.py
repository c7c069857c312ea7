"""Webhook deliveries of EPCIS query subscriptions: deliveries/s and capture → delivery latency.

What it measures, per backend (SQLite file with WAL + synchronous=NORMAL; PostgreSQL started by
this script with initdb defaults), with a real HTTP receiver in a separate process on a loopback
port (it parses each document and notes the arrival time of every eventID):

  backlog, 1 event/document    ``--events``/10 stored events, ``--subscriptions`` stream
                               subscriptions whose ``initialRecordTime`` precedes them, documents
                               of one event: the worker's passes (collect, claim, sign, POST,
                               record) timed until every delivery is acknowledged → deliveries/s
  backlog, 500 events/document the same with documents of up to 500 events → events/s delivered
  raw POST reference           the same receiver fed by httpx alone (same thread pool, same
                               body sizes of one event, no database): the HTTP ceiling
  stream latency               the worker running as in ``foodtrace api serve`` (background
                               thread, ``--poll`` seconds between idle passes) while batches of
                               ``--batch`` events are stored with ``store_events`` at ``--rate``
                               batches/s; latency = receiver arrival − return of
                               ``store_events`` (the commit), per event: p50, p95, max

The reference for latency is OpenEPCIS's streaming subscriptions, which poll every 5 s by default
(``streaming-interval: 5``, see shared/notes/standards.md §3.1).

    .venv/bin/python bench/subscription_delivery.py
    .venv/bin/python bench/subscription_delivery.py --backends sqlite --events 2000
"""

from __future__ import annotations

import argparse
import multiprocessing
import random
import statistics
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, ClassVar

import httpx
import orjson
from sqlalchemy.engine import Engine

from bench.api_query import make_events
from tests.support.postgres import new_server, remove_server
from trace_api.auth.tokens import create_token
from trace_api.core.db import create_engine
from trace_api.migrate import upgrade
from trace_api.models import metadata
from trace_api.storage import prepare_context, prepare_event, store_events
from trace_api.subscriptions import DeliveryConfig, DeliveryWorker, signature_headers
from trace_api.subscriptions.collect import CollectPolicy

CONTEXT = ["https://ref.gs1.org/standards/epcis/epcis-context.jsonld"]
TOKEN = "bench-signature-token-0123456789"
PAST = datetime(2020, 1, 1, tzinfo=UTC)


# -- the receiver (a separate process) ----------------------------------------------------------


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive: connections are reused, as by real receivers
    records: ClassVar[list[tuple[float, list[str]]]] = []
    lock: ClassVar[threading.Lock] = threading.Lock()

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        arrived = time.time()
        results = orjson.loads(body)["epcisBody"]["queryResults"]["resultsBody"]["eventList"]
        with self.lock:
            self.records.append((arrived, [e["eventID"] for e in results]))
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def do_GET(self) -> None:  # /dump: every record so far, then forget them
        with self.lock:
            body = orjson.dumps(self.records)
            self.records.clear()
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        pass


def _serve(port_out: Any) -> None:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    server.daemon_threads = True
    port_out.send(server.server_address[1])
    server.serve_forever()


class Receiver:
    def __init__(self) -> None:
        parent, child = multiprocessing.Pipe()
        self.process = multiprocessing.Process(target=_serve, args=(child,), daemon=True)
        self.process.start()
        self.url = f"http://127.0.0.1:{parent.recv()}/hook"

    def dump(self) -> list[tuple[float, list[str]]]:
        records: list[tuple[float, list[str]]] = orjson.loads(httpx.get(self.url).content)
        return records

    def close(self) -> None:
        self.process.terminate()
        self.process.join()


# -- measurements -------------------------------------------------------------------------------


def _reset(engine: Engine) -> None:
    with engine.begin() as connection:
        for name in ("delivery_event", "delivery", "subscription", "named_query", "event"):
            connection.execute(metadata.tables[name].delete())


def _subscribe(engine: Engine, count: int, dest: str, initial: datetime) -> None:
    token_id = _token_id(engine)
    with engine.begin() as connection:
        connection.execute(
            metadata.tables["named_query"].insert(),
            {"name": "all", "query": {"eventType": "ObjectEvent"}, "created_at": initial},
        )
        connection.execute(
            metadata.tables["subscription"].insert(),
            [
                {
                    "id": f"00000000-0000-4000-8000-{n:012d}",
                    "query_name": "all",
                    "token_id": token_id,
                    "dest": dest,
                    "signature_token": TOKEN,
                    "stream": True,
                    "schedule": None,
                    "report_if_empty": False,
                    "initial_record_time": initial,
                    "min_record_time": initial,
                    "next_run_at": None,
                    "created_at": initial,
                }
                for n in range(count)
            ],
        )


def _token_id(engine: Engine) -> int:
    create_token(engine, "regulator")
    with engine.connect() as connection:
        table = metadata.tables["api_token"]
        return int(connection.execute(table.select().order_by(table.c.id.desc())).first().id)  # type: ignore[union-attr]


def _store(engine: Engine, events: list[dict[str, Any]], batch: int = 1000) -> None:
    context = prepare_context(CONTEXT)
    for start in range(0, len(events), batch):
        chunk = events[start : start + batch]
        store_events(engine, [prepare_event(e, context=context) for e in chunk])


def _config(args: Any, max_events: int, poll: float) -> DeliveryConfig:
    return DeliveryConfig(
        poll_interval_s=poll,
        timeout_s=10,
        concurrency=args.concurrency,
        collect=CollectPolicy(max_events=max_events, max_documents=200),
    )


def backlog(
    engine: Engine, receiver: Receiver, events: list[dict[str, Any]], args: Any, max_events: int
) -> tuple[float, int, int]:
    """(seconds, deliveries, events delivered) for a backlog of stored events."""
    _reset(engine)
    _subscribe(engine, args.subscriptions, receiver.url, PAST)
    _store(engine, events)
    receiver.dump()
    worker = DeliveryWorker(engine, _config(args, max_events, args.poll))
    expected = len(events) * args.subscriptions
    delivered_events = deliveries = 0
    started = time.perf_counter()
    while delivered_events < expected:
        result = worker.run_once()
        deliveries += result.delivered
        delivered_events += sum(len(ids) for _, ids in receiver.dump())
        if result.idle:
            time.sleep(0.01)
    elapsed = time.perf_counter() - started
    worker.close()
    return elapsed, deliveries, delivered_events


def raw_posts(receiver: Receiver, events: list[dict[str, Any]], args: Any) -> float:
    """POSTs/s of signed one-event documents by httpx alone (the HTTP ceiling)."""
    bodies = [
        orjson.dumps(
            {
                "type": "EPCISQueryDocument",
                "epcisBody": {
                    "queryResults": {"queryName": "all", "resultsBody": {"eventList": [e]}}
                },
            }
        )
        for e in events
    ]
    client = httpx.Client(
        timeout=10, trust_env=False, limits=httpx.Limits(max_connections=args.concurrency * 2)
    )

    def post(body: bytes) -> None:
        headers = {"Content-Type": "application/json", **signature_headers(TOKEN, "d", body)}
        client.post(receiver.url, content=body, headers=headers).raise_for_status()

    started = time.perf_counter()
    with ThreadPoolExecutor(args.concurrency) as pool:
        list(pool.map(post, bodies))
    elapsed = time.perf_counter() - started
    client.close()
    receiver.dump()
    return len(bodies) / elapsed


def stream_latency(
    engine: Engine, receiver: Receiver, events: list[dict[str, Any]], args: Any, poll: float
) -> list[float]:
    """Per-event seconds from the commit of its batch to its arrival at the receiver."""
    _reset(engine)
    _subscribe(engine, 1, receiver.url, datetime.now(UTC))
    receiver.dump()
    worker = DeliveryWorker(engine, _config(args, 500, poll))
    worker.start()
    context = prepare_context(CONTEXT)
    committed: dict[str, float] = {}
    period = 1 / args.rate
    next_at = time.perf_counter()
    for start in range(0, len(events), args.batch):
        chunk = events[start : start + args.batch]
        store_events(engine, [prepare_event(e, context=context) for e in chunk])
        done = time.time()
        committed.update((e["eventID"], done) for e in chunk)
        next_at += period
        time.sleep(max(0.0, next_at - time.perf_counter()))
    arrived: dict[str, float] = {}
    deadline = time.monotonic() + 60
    while len(arrived) < len(committed) and time.monotonic() < deadline:
        for at, ids in receiver.dump():
            arrived.update((i, at) for i in ids)
        time.sleep(0.05)
    worker.stop()
    if len(arrived) != len(committed):
        raise SystemExit(f"only {len(arrived)} of {len(committed)} events arrived")
    return [arrived[i] - committed[i] for i in committed]


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def run_backend(name: str, url: str, args: Any) -> None:
    engine = create_engine(url)
    upgrade(engine)
    rng = random.Random(7)
    receiver = Receiver()
    try:
        print(f"\n{name}")
        one = make_events(args.events // 10, rng)
        seconds, deliveries, delivered = backlog(engine, receiver, one, args, 1)
        print(
            f"  backlog, 1 event/document:   {deliveries:>7,} deliveries in {seconds:6.2f} s "
            f"= {deliveries / seconds:8,.0f} deliveries/s ({args.subscriptions} subscriptions)"
        )
        many = make_events(args.events, rng)
        seconds, deliveries, delivered = backlog(engine, receiver, many, args, 500)
        print(
            f"  backlog, 500 events/document:{deliveries:>7,} deliveries in {seconds:6.2f} s "
            f"= {delivered / seconds:8,.0f} events/s delivered"
        )
        rate = raw_posts(receiver, one, args)
        print(f"  raw POST reference (httpx, {args.concurrency} threads): {rate:8,.0f} POSTs/s")
        for poll in (args.poll, 0.5):
            stream = make_events(int(args.rate * args.batch * args.seconds), rng)
            latencies = stream_latency(engine, receiver, stream, args, poll)
            p50, p95 = _pct(latencies, 0.5) * 1000, _pct(latencies, 0.95) * 1000
            worst, mean = max(latencies) * 1000, statistics.fmean(latencies) * 1000
            print(
                f"  stream latency, poll {poll} s, {args.rate} batches/s of {args.batch}: "
                f"p50 {p50:6.0f} ms  p95 {p95:6.0f} ms  max {worst:6.0f} ms  mean {mean:6.0f} ms"
                f"  ({len(latencies)} events)"
            )
    finally:
        receiver.close()
        engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--events", type=int, default=20_000)
    parser.add_argument("--subscriptions", type=int, default=8)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--poll", type=float, default=0.1)
    parser.add_argument("--rate", type=float, default=10, help="batches/s in the stream phase")
    parser.add_argument("--batch", type=int, default=20, help="events per stored batch")
    parser.add_argument("--seconds", type=float, default=20, help="length of the stream phase")
    parser.add_argument("--backends", default="sqlite,postgres")
    args = parser.parse_args()
    wanted = args.backends.split(",")
    with tempfile.TemporaryDirectory(prefix="foodtrace-bench-") as folder:
        if "sqlite" in wanted:
            url = f"sqlite:///{Path(folder) / 'subs.db'}"
            run_backend("SQLite (WAL, synchronous=NORMAL)", url, args)
        if "postgres" in wanted:
            server = new_server()
            server.start()
            try:
                url = server.create_database("bench_subs")
                run_backend("PostgreSQL (initdb defaults)", url, args)
            finally:
                remove_server(server)


if __name__ == "__main__":
    main()
