"""GS1 Digital Link resolver and consumer page: requests/s and latency over real HTTP.

The database holds ``--lots`` lots of the consumer story (``tests/trace_api/web/consumer/
story.py``: farm harvest → packhouse → cold store → shop, 8 events per lot with sensor readings,
ILMD and a serialised pack; 12,500 lots = 100,000 events), captured through the real capture
pipeline (``trace_api.capture.capture_document``: validation, hashing, idempotent store) in
documents of 5,000 events, with one lot in ``--recall-every`` recalled through
``declare_recall``. The service runs as ``foodtrace api serve`` (uvicorn, one process) in a
subprocess; ``--concurrency`` client threads (httpx, keep-alive) send ``--requests`` requests
per scenario for random lots after ``--warmup`` unmeasured ones:

  page          GET /01/{gtin}/10/{lot}, Accept: text/html — the consumer page (trace back,
                places, cold chain, ILMD expiry, recalls, Jinja2 rendering)
  linkset       GET …?linkType=all — the RFC 9264 linkset (same lookups, JSON)
  recallStatus  GET …?linkType=gs1:recallStatus
  invalid       GET /01/{gtin with a wrong check digit} — a 400 problem (no database)
  static        GET /static/consumer/consumer.css — the web stack's ceiling on this machine

    .venv/bin/python bench/resolver.py                           # 100,000 events, SQLite
    .venv/bin/python bench/resolver.py --backends sqlite postgres
    .venv/bin/python bench/resolver.py --lots 1000 --requests 200
"""

from __future__ import annotations

import argparse
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy.engine import Engine

from tests.support.ports import free_port
from tests.support.postgres import new_server, remove_server
from tests.trace_api.web.consumer.story import (
    CONTEXT,
    GTIN,
    MASTER,
    OTHER_SHOP,
    SHOP,
    lgtin,
    lot_events,
)
from trace_api.capture import capture_document
from trace_api.core.db import create_engine
from trace_api.migrate import upgrade
from trace_api.recall import declare_recall
from trace_api.storage import load_master_data

EVENTS_PER_LOT = 8
DOCUMENT_EVENTS = 5000
_START = datetime(2025, 1, 1, tzinfo=timezone(timedelta(hours=8)))


def lot_name(i: int) -> str:
    return f"L{i:06d}"


def _documents(lots: int, rng: random.Random) -> Iterator[dict[str, Any]]:
    batch: list[dict[str, Any]] = []
    for i in range(lots):
        day = _START + timedelta(hours=i)  # lots overlap in time, as in a real packhouse
        temps = [round(rng.uniform(0.5, 4.5), 1) for _ in range(3)]
        if rng.random() < 0.05:
            temps[1] = round(rng.uniform(6.0, 11.0), 1)  # a cold-chain excursion
        shop = SHOP if i % 2 else OTHER_SHOP
        batch += lot_events(lot_name(i), f"H{i:06d}", day, shop, temps)
        if len(batch) >= DOCUMENT_EVENTS:
            yield _document(batch)
            batch = []
    if batch:
        yield _document(batch)


def _document(events: list[dict[str, Any]]) -> dict[str, Any]:
    events.sort(key=lambda e: e["eventTime"])
    return {
        "@context": CONTEXT,
        "type": "EPCISDocument",
        "schemaVersion": "2.0",
        "creationDate": "2026-11-25T00:00:00Z",
        "epcisBody": {"eventList": events},
    }


def build(engine: Engine, lots: int, recall_every: int) -> None:
    upgrade(engine)
    load_master_data(engine, MASTER)
    rng = random.Random(7)
    started = time.perf_counter()
    stored = 0
    for doc in _documents(lots, rng):
        outcome = capture_document(engine, doc)
        if outcome.refused:
            raise SystemExit(f"refused: {outcome.refusals[:3]}")
        stored += outcome.stored
    took = time.perf_counter() - started
    recalled = [lgtin(GTIN, lot_name(i)) for i in range(0, lots, recall_every)]
    for start in range(0, len(recalled), 50):
        declare_recall(engine, recalled[start : start + 50], "benchmark recall")
    print(
        f"  database: {stored:,} events of {lots:,} lots captured in {took:.1f} s "
        f"({stored / took:,.0f} events/s through the capture pipeline); "
        f"{len(recalled)} lots recalled",
        flush=True,
    )


class Server:
    """``foodtrace api serve`` in a subprocess on a free loopback port."""

    def __init__(self, db_url: str) -> None:
        self.port = free_port("127.0.0.1")
        self.url = f"http://127.0.0.1:{self.port}"
        command = [
            str(Path(sys.executable).with_name("foodtrace")),
            "api",
            "serve",
            "--db",
            db_url,
            "--port",
            str(self.port),
            "--log-level",
            "warning",
        ]
        self.process = subprocess.Popen(command)
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{self.url}/api/v1/health", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise SystemExit("the API server did not start")
            time.sleep(0.2)

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)


def _paths(scenario: str, lots: int, rng: random.Random) -> tuple[str, dict[str, str]]:
    lot = lot_name(rng.randrange(lots))
    page = f"/01/{GTIN}/10/{lot}"
    if scenario == "page":
        return page, {"Accept": "text/html", "Accept-Language": rng.choice(["en", "zh-CN"])}
    if scenario == "linkset":
        return f"{page}?linkType=all", {}
    if scenario == "recallStatus":
        return f"{page}?linkType=gs1:recallStatus", {}
    if scenario == "invalid":
        return f"/01/{GTIN[:-1]}{(int(GTIN[-1]) + 1) % 10}/10/{lot}", {"Accept": "application/json"}
    return "/static/consumer/consumer.css", {}


def measure(
    base: str, scenario: str, lots: int, requests: int, warmup: int, concurrency: int
) -> tuple[float, list[float]]:
    """Requests/s and every request's latency (s)."""
    local = threading.local()
    expected = 400 if scenario == "invalid" else 200

    def one(seed: int) -> float:
        client = getattr(local, "client", None)
        if client is None:
            client = local.client = httpx.Client(base_url=base, timeout=60)
        path, headers = _paths(scenario, lots, random.Random(seed))
        started = time.perf_counter()
        response = client.get(path, headers=headers)
        took = time.perf_counter() - started
        if response.status_code != expected:
            raise SystemExit(f"{scenario} {path}: {response.status_code} {response.text[:200]}")
        return took

    with ThreadPoolExecutor(concurrency) as pool:
        list(pool.map(one, range(warmup)))
        started = time.perf_counter()
        latencies = list(pool.map(one, range(warmup, warmup + requests)))
        wall = time.perf_counter() - started
    return requests / wall, latencies


def _pct(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100)[int(q) - 1] * 1000


def run(name: str, engine: Engine, url: str, args: argparse.Namespace) -> None:
    print(f"{name}:", flush=True)
    build(engine, args.lots, args.recall_every)
    engine.dispose()
    server = Server(url)
    try:
        print(
            f"  {'scenario':<13} {'requests/s':>10} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8}"
            f"   ({args.requests} requests, {args.concurrency} client threads)"
        )
        for scenario in ("page", "linkset", "recallStatus", "invalid", "static"):
            rate, latencies = measure(
                server.url, scenario, args.lots, args.requests, args.warmup, args.concurrency
            )
            print(
                f"  {scenario:<13} {rate:>10,.0f} {_pct(latencies, 50):>8.1f} "
                f"{_pct(latencies, 95):>8.1f} {_pct(latencies, 99):>8.1f}",
                flush=True,
            )
    finally:
        server.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--lots", type=int, default=12_500, help="8 events each")
    parser.add_argument("--recall-every", type=int, default=50)
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--warmup", type=int, default=100)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--backends", nargs="+", default=["sqlite"])
    args = parser.parse_args()
    for backend in args.backends:
        if backend == "sqlite":
            folder = Path(tempfile.mkdtemp(prefix="foodtrace-resolver-bench-"))
            url = f"sqlite:///{folder / 'resolver.db'}"
            try:
                run("SQLite", create_engine(url), url, args)
            finally:
                shutil.rmtree(folder, ignore_errors=True)
        else:
            server = new_server()
            server.start()
            try:
                url = server.create_database("resolver")
                run("PostgreSQL", create_engine(url), url, args)
            finally:
                remove_server(server)


if __name__ == "__main__":
    main()
