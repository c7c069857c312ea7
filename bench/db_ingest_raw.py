"""Traceability database ingest: our prepare_event + store_events against the raw insert.

What it measures, per backend (SQLite file with WAL + synchronous=NORMAL; PostgreSQL started by
this script from ``tests/support/postgres.py`` with initdb defaults, fsync on):

  raw    rows/s of SQLAlchemy Core ``conn.execute(event.insert(), 1000 dicts)``, commit each:
         the same ``event`` rows our store writes (same table, same indexes), pre-built, no
         ON CONFLICT, no RETURNING, no child rows. The reference.
  raw+   the same, but also every child row our store writes (4 identifiers and 1 business
         transaction per event, event keys assigned up front), each table's rows of a batch
         in one executemany, one commit per 1,000 events: what the whole write costs without
         our code.
  ours   events/s of ``prepare_event`` (parsed event + its raw bytes → rows) then
         ``store_events`` per 1,000-event batch (one transaction: context upsert,
         INSERT … ON CONFLICT DO NOTHING RETURNING, 4 identifier rows + 1 business transaction
         per event, station sequence bookkeeping). ``prepare`` and ``store`` are also timed
         apart and reported as rates of their own.

Events: the first ObjectEvent of GS1's Example_9.6.1-ObjectEvent.jsonld (copied in
tests/data/trace_api), each given a random CBV hash eventID, a random bizStep and readPoint, 4
SGTIN EPCs, and the foodtrace station extension (station id + sequence number), as an edge agent
sends it; ≈ 700 B of JSON. Each round starts from an empty, freshly migrated database; cases
are interleaved round by round; the figure is the median of the rounds.

    .venv/bin/python bench/db_ingest_raw.py                      # 200,000 events, 3 rounds
    .venv/bin/python bench/db_ingest_raw.py --events 20000 --rounds 1 --backends sqlite
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import orjson
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from tests.support.postgres import PostgresServer, new_server, remove_server
from trace_api.core.db import create_engine
from trace_api.migrate import upgrade
from trace_api.models import metadata
from trace_api.storage import FOODTRACE_NS, prepare_context, prepare_event, store_events

EXAMPLE = (
    Path(__file__).resolve().parents[1] / "tests/data/trace_api/Example_9.6.1-ObjectEvent.jsonld"
)
BATCH = 1000
BIZ_STEPS = ["commissioning", "shipping", "receiving", "storing", "packing", "retail_selling"]
STATIONS = 8


def make_events(n: int, seed: int = 7) -> tuple[list[tuple[dict[str, Any], bytes]], Any]:
    """``n`` (event, raw bytes) pairs and the document @context they come with."""
    rnd = random.Random(seed)
    document = orjson.loads(EXAMPLE.read_bytes())
    template = document["epcisBody"]["eventList"][0]
    context = [*document["@context"], {"ft": FOODTRACE_NS}]
    t0 = datetime(2026, 1, 1, tzinfo=UTC)
    made = []
    for i in range(n):
        station = i % STATIONS
        event = dict(
            template,
            eventID=f"ni:///sha-256;{rnd.randbytes(32).hex()}?ver=CBV2.0",
            eventTime=(t0 + timedelta(milliseconds=37 * i)).isoformat().replace("+00:00", "Z"),
            eventTimeZoneOffset="+00:00",
            bizStep=rnd.choice(BIZ_STEPS),
            readPoint={"id": f"urn:epc:id:sgln:0614141.07346.{rnd.randint(1, 500)}"},
            epcList=[f"urn:epc:id:sgtin:0614141.107346.{4 * i + k}" for k in range(4)],
        )
        event["ft:stationID"] = f"station-{station}"
        event["ft:seq"] = i // STATIONS + 1
        made.append((event, orjson.dumps(event)))
    return made, context


def batches(items: list[Any]) -> Iterator[list[Any]]:
    for start in range(0, len(items), BATCH):
        yield items[start : start + BATCH]


@dataclass
class Round:
    seconds: float
    prepare: float = 0.0
    store: float = 0.0


def run_raw(engine: Engine, rows: list[dict[str, Any]]) -> Round:
    table = metadata.tables["event"]
    started = time.perf_counter()
    with engine.connect() as connection:
        for batch in batches(rows):
            connection.execute(table.insert(), batch)
            connection.commit()
    return Round(time.perf_counter() - started)


def run_raw_all(
    engine: Engine, rows: list[dict[str, Any]], children: list[dict[str, list[Any]]]
) -> Round:
    table = metadata.tables["event"]
    started = time.perf_counter()
    with engine.connect() as connection:
        for start in range(0, len(rows), BATCH):
            connection.execute(table.insert(), rows[start : start + BATCH])
            for name, child_rows in children[start // BATCH].items():
                connection.execute(metadata.tables[name].insert(), child_rows)
            connection.commit()
    return Round(time.perf_counter() - started)


def raw_children(
    items: list[tuple[dict[str, Any], bytes]], context: Any
) -> list[dict[str, list[Any]]]:
    """Per batch, the child rows of each table, keyed to event ids 1, 2, 3 … (raw+ inserts)."""
    shared = prepare_context(context)
    out = []
    for start in range(0, len(items), BATCH):
        tables: dict[str, list[Any]] = {"event_identifier": [], "event_biz_transaction": []}
        for offset, (event, raw) in enumerate(items[start : start + BATCH]):
            pk = start + offset + 1
            prepared = prepare_event(event, shared, raw)
            tables["event_identifier"].extend({**r, "event_pk": pk} for r in prepared.identifiers)
            tables["event_biz_transaction"].extend(
                {**r, "event_pk": pk} for r in prepared.biz_transactions
            )
        out.append(tables)
    return out


def run_ours(engine: Engine, items: list[tuple[dict[str, Any], bytes]], context: Any) -> Round:
    shared = prepare_context(context)
    prepare = store = 0.0
    started = time.perf_counter()
    with engine.connect() as connection:
        for batch in batches(items):
            t = time.perf_counter()
            prepared = [prepare_event(event, shared, raw) for event, raw in batch]
            t2 = time.perf_counter()
            result = store_events(connection, prepared)
            store += time.perf_counter() - t2
            prepare += t2 - t
            assert len(result.stored) == len(batch)
    return Round(time.perf_counter() - started, prepare, store)


def raw_rows(items: list[tuple[dict[str, Any], bytes]], context: Any) -> list[dict[str, Any]]:
    """The event-table rows of the events, built before timing (what 'raw' inserts)."""
    shared = prepare_context(context)
    recorded = datetime.now(UTC)
    return [
        {
            **prepare_event(e, shared, raw).event,
            "record_time": recorded,
            "capture_id": None,
            "context_id": None,
        }
        for e, raw in items
    ]


@dataclass
class Backend:
    name: str
    fresh: Callable[[], Engine]
    cleanup: Callable[[], None] = lambda: None
    #: The database server's main process (PostgreSQL postmaster), ``None`` for SQLite.
    server_pid: Callable[[], int | None] = lambda: None
    raw: list[Round] = field(default_factory=list)
    raw_all: list[Round] = field(default_factory=list)
    ours: list[Round] = field(default_factory=list)


def sqlite_backend(folder: Path) -> Backend:
    def fresh() -> Engine:
        engine = create_engine(f"sqlite:///{folder / f'{uuid.uuid4().hex}.db'}")
        upgrade(engine)
        return engine

    return Backend("SQLite (WAL, synchronous=NORMAL)", fresh)


def postgres_backend() -> Backend:
    server: PostgresServer = new_server()
    server.start()

    def fresh() -> Engine:
        engine = create_engine(server.create_database(f"b_{uuid.uuid4().hex[:12]}"))
        upgrade(engine)
        return engine

    def pid() -> int:
        return int((server.data_dir / "postmaster.pid").read_text().split()[0])

    return Backend(
        "PostgreSQL (initdb defaults, fsync on)", fresh, lambda: remove_server(server), pid
    )


def count(engine: Engine, table: str) -> int:
    with engine.connect() as connection:
        return int(
            connection.execute(
                sa.select(sa.func.count()).select_from(metadata.tables[table])
            ).scalar_one()
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--events", type=int, default=200_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--backends", default="sqlite,postgres")
    args = parser.parse_args()

    t = time.perf_counter()
    items, context = make_events(args.events)
    rows = raw_rows(items, context)
    children = raw_children(items, context)
    child_rows = sum(len(v) for batch in children for v in batch.values())
    mean = statistics.mean(len(raw) for _, raw in items)
    print(f"built {len(items):,} events in {time.perf_counter() - t:.1f} s; {mean:.0f} B JSON mean")

    with tempfile.TemporaryDirectory(prefix="foodtrace-bench-") as folder:
        backends = []
        wanted = args.backends.split(",")
        if "sqlite" in wanted:
            backends.append(sqlite_backend(Path(folder)))
        if "postgres" in wanted:
            backends.append(postgres_backend())
        try:
            for r in range(args.rounds):
                for backend in backends:
                    for case in ("raw", "raw+", "ours"):
                        engine = backend.fresh()
                        try:
                            if case == "raw":
                                outcome = run_raw(engine, rows)
                                assert count(engine, "event") == len(rows)
                                backend.raw.append(outcome)
                            elif case == "raw+":
                                outcome = run_raw_all(engine, rows, children)
                                assert count(engine, "event_identifier") == 4 * len(rows)
                                backend.raw_all.append(outcome)
                            else:
                                outcome = run_ours(engine, items, context)
                                assert count(engine, "event") == len(items)
                                assert count(engine, "event_identifier") == 4 * len(items)
                                backend.ours.append(outcome)
                        finally:
                            engine.dispose()
                        rate = len(items) / outcome.seconds
                        print(f"  round {r + 1} {backend.name:40} {case:4} {rate:>9,.0f} events/s")
        finally:
            for backend in backends:
                backend.cleanup()

    n = len(items)
    per_event = (n + child_rows) / n
    print()
    print(
        f"{n:,} events ({per_event:.0f} rows each with children), batches of {BATCH:,}, "
        f"median of {args.rounds} round(s):"
    )
    print(
        "| backend | raw: event rows/s | raw+: events/s (all rows) | ours: events/s (all rows) "
        "| ours / raw | ours / raw+ | prepare only, events/s | store only, events/s |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for backend in backends:
        raw = statistics.median(n / x.seconds for x in backend.raw)
        raw_all = statistics.median(n / x.seconds for x in backend.raw_all)
        ours = statistics.median(n / x.seconds for x in backend.ours)
        prep = statistics.median(n / x.prepare for x in backend.ours)
        store = statistics.median(n / x.store for x in backend.ours)
        print(
            f"| {backend.name} | {raw:,.0f} | {raw_all:,.0f} ({raw_all * per_event:,.0f}) "
            f"| {ours:,.0f} ({ours * per_event:,.0f}) | {ours / raw:.0%} | {ours / raw_all:.0%} "
            f"| {prep:,.0f} | {store:,.0f} |"
        )


if __name__ == "__main__":
    main()
