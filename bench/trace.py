"""Trace back+forward latency on a database of ≥ 1,000,000 events, SQLite and PostgreSQL.

The database holds many copies of the multi-tier chain of ``tests/trace_api/trace/chain.py``
(farm harvest lots → packer cases → pallets → shipping → DC receiving → unpacking →
transformations into product lots → shipping to two shops → receiving → retail sale): 23
events per chain, ≈ 2 identifier rows per event. Consecutive chains are cross-linked (the
DC's first transformation takes one case of this chain and one of the previous chain), so
genealogies are not islands. Rows are generated directly (event, event_identifier,
event_source_destination) and written with ``trace_api.storage.bulk.insert_rows`` in batches,
event keys assigned up front; generation time is reported.

Latency: ``trace_api.trace.trace(engine, id, "both")`` (the whole answer: graph, timeline,
holders, master-data names) for random harvest lots, cases, pallets (SSCC) and product lots,
measured after 10 % of the chains are stored and again with all of them, to show how it scales.

    .venv/bin/python bench/trace.py                         # 44,000 chains ≈ 1.01 M events
    .venv/bin/python bench/trace.py --chains 2000 --queries 50 --backends sqlite
"""

from __future__ import annotations

import argparse
import random
import shutil
import statistics
import tempfile
import time
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from foodtrace.gs1.digital_link import canonical_identifier
from tests.support.postgres import PostgresServer, new_server, remove_server
from trace_api.core.db import create_engine
from trace_api.migrate import upgrade
from trace_api.models import metadata
from trace_api.storage.bulk import insert_rows
from trace_api.trace import trace

EVENTS_PER_CHAIN = 23
BATCH_CHAINS = 500
_EVENT = metadata.tables["event"]
_IDENT = metadata.tables["event_identifier"]
_SD = metadata.tables["event_source_destination"]
_T0 = datetime(2026, 1, 1, tzinfo=UTC)

Row = dict[str, Any]


def _lgtin_base(item: str) -> str:
    return canonical_identifier(f"urn:epc:class:lgtin:4012345.{item}.X")[:-1]


def _sgtin_base(item: str) -> str:
    return canonical_identifier(f"urn:epc:id:sgtin:4012345.{item}.0")[:-1]


HARVEST = ("urn:epc:class:lgtin:4012345.011111.", _lgtin_base("011111"))
PRODUCT = ("urn:epc:class:lgtin:4012345.033333.", _lgtin_base("033333"))
CASE = ("urn:epc:id:sgtin:4012345.022222.", _sgtin_base("022222"))
PLACES = [f"urn:epc:id:sgln:4012345.{ref:05d}.0" for ref in range(1, 41)]


def sscc(n: int) -> tuple[str, str]:
    urn = f"urn:epc:id:sscc:4012345.{n:010d}"
    return urn, canonical_identifier(urn)


class Chain:
    """The rows of one chain ``i``, event keys from ``first_pk``."""

    def __init__(self, i: int, first_pk: int, rng: random.Random) -> None:
        self.i = i
        self.pk = first_pk
        self.events: list[Row] = []
        self.idents: list[Row] = []
        self.sds: list[Row] = []
        self.time = _T0 + timedelta(minutes=7 * i)
        farm_a, farm_b, packer, dc, r1, r2 = rng.sample(PLACES, 6)
        h = [self._obj(HARVEST, f"H{i}x{k}") for k in range(3)]
        c = [self._obj(CASE, f"C{i}x{k}") for k in range(6)]
        prev_case = self._obj(CASE, f"C{i - 1}x2") if i > 0 else c[2]
        lots = [self._obj(PRODUCT, f"L{i}x{k}") for k in range(3)]
        p1, p2 = sscc(2 * i + 1), sscc(2 * i + 2)
        self._ev("ObjectEvent", "ADD", "commissioning", farm_a, epc_class=[h[0]])
        self._ev("ObjectEvent", "ADD", "commissioning", farm_a, epc_class=[h[1]])
        self._ev("ObjectEvent", "ADD", "commissioning", farm_b, epc_class=[h[2]])
        self._ev("ObjectEvent", "OBSERVE", "inspecting", packer, epc=[p1])
        for k in range(3):
            self._ev(
                "TransformationEvent",
                None,
                "commissioning",
                packer,
                inputs=[(h[k], "class")],
                outputs=[(c[2 * k], "instance"), (c[2 * k + 1], "instance")],
            )
        self._ev("AggregationEvent", "ADD", "packing", packer, parent=p1, children=c[0:3])
        self._ev("AggregationEvent", "ADD", "packing", packer, parent=p2, children=c[3:6])
        self._ev("ObjectEvent", "OBSERVE", "shipping", packer, epc=[p1, p2], to=dc)
        self._ev("ObjectEvent", "OBSERVE", "receiving", dc, epc=[p1, p2])
        self._ev("AggregationEvent", "DELETE", "unpacking", dc, parent=p1, children=c[0:3])
        self._ev("AggregationEvent", "DELETE", "unpacking", dc, parent=p2, children=[])
        self._ev("ObjectEvent", "OBSERVE", "shipping", dc, epc=[p1], to=packer)
        self._ev(
            "TransformationEvent",
            None,
            "repackaging",
            dc,
            inputs=[(c[0], "instance"), (prev_case, "instance")],
            outputs=[(lots[0], "class")],
        )
        self._ev(
            "TransformationEvent",
            None,
            "repackaging",
            dc,
            inputs=[(c[4], "instance"), (c[5], "instance")],
            outputs=[(lots[1], "class"), (lots[2], "class")],
        )
        self._ev("ObjectEvent", "OBSERVE", "destroying", dc, epc=[c[3]])
        self._ev("ObjectEvent", "OBSERVE", "shipping", dc, epc_class=[lots[0]], to=r1)
        self._ev("ObjectEvent", "OBSERVE", "shipping", dc, epc_class=[lots[0], lots[2]], to=r2)
        self._ev("ObjectEvent", "OBSERVE", "shipping", dc, epc_class=[lots[1]], to=r1)
        self._ev("ObjectEvent", "OBSERVE", "receiving", r1, epc_class=[lots[0], lots[1]])
        self._ev("ObjectEvent", "OBSERVE", "receiving", r2, epc_class=[lots[0]])
        self._ev("ObjectEvent", "OBSERVE", "retail_selling", r1, epc_class=[lots[0]])
        self.samples = [h[0][0], c[0][0], p1[0], lots[0][0]]

    @staticmethod
    def _obj(kind: tuple[str, str], serial: str) -> tuple[str, str]:
        return kind[0] + serial, kind[1] + serial

    def _ident(self, role: str, kind: str, obj: tuple[str, str]) -> None:
        quantity = 10.0 if kind == "class" else None
        self.idents.append(
            {
                "event_pk": self.pk,
                "role": role,
                "kind": kind,
                "value": obj[0],
                "canonical": obj[1],
                "quantity": quantity,
                "uom": "KGM" if quantity else None,
            }
        )

    def _ev(
        self,
        kind: str,
        action: str | None,
        step: str,
        place: str,
        *,
        epc: Sequence[tuple[str, str]] = (),
        epc_class: Sequence[tuple[str, str]] = (),
        inputs: Sequence[tuple[tuple[str, str], str]] = (),
        outputs: Sequence[tuple[tuple[str, str], str]] = (),
        parent: tuple[str, str] | None = None,
        children: Sequence[tuple[str, str]] = (),
        to: str | None = None,
    ) -> None:
        self.pk += 1
        self.time += timedelta(minutes=1)
        event_id = f"urn:uuid:bench-{self.pk}"
        shipping = step == "shipping"
        self.events.append(
            {
                "id": self.pk,
                "event_id": event_id,
                "event_type": kind,
                "event_time": self.time,
                "event_time_zone_offset": "+00:00",
                "record_time": self.time,
                "action": action,
                "biz_step": step,
                "disposition": "in_transit" if shipping else None,
                "read_point": place,
                "biz_location": None if shipping else place,
                "transformation_id": None,
                "station_id": None,
                "station_seq": None,
                "capture_id": None,
                "context_id": None,
                "error_declared": False,
                "raw": f'{{"eventID":"{event_id}","type":"{kind}"}}',
            }
        )
        for obj in epc:
            self._ident("epc", "instance", obj)
        for obj in epc_class:
            self._ident("epc", "class", obj)
        if parent is not None:
            self._ident("parent", "instance", parent)
        for obj in children:
            self._ident("child", "instance", obj)
        for obj, kind_ in inputs:
            self._ident("input", kind_, obj)
        for obj, kind_ in outputs:
            self._ident("output", kind_, obj)
        if to is not None:
            self.sds.append(
                {"event_pk": self.pk, "direction": "source", "type": "location", "value": place}
            )
            self.sds.append(
                {"event_pk": self.pk, "direction": "destination", "type": "location", "value": to}
            )


def generate(engine: Engine, start: int, stop: int, rng: random.Random) -> list[str]:
    """Store chains ``start … stop-1``; some identifiers of each, to trace."""
    samples: list[str] = []
    pk = start * EVENTS_PER_CHAIN
    for batch_start in range(start, stop, BATCH_CHAINS):
        events: list[Row] = []
        idents: list[Row] = []
        sds: list[Row] = []
        for i in range(batch_start, min(stop, batch_start + BATCH_CHAINS)):
            chain = Chain(i, pk, rng)
            pk = chain.pk
            events += chain.events
            idents += chain.idents
            sds += chain.sds
            samples += chain.samples
        with engine.begin() as connection:
            insert_rows(connection, _EVENT, events)
            insert_rows(connection, _IDENT, idents)
            insert_rows(connection, _SD, sds)
    return samples


def measure(
    engine: Engine, samples: list[str], queries: int, rng: random.Random
) -> dict[str, float]:
    picks = [rng.choice(samples) for _ in range(queries)]
    trace(engine, picks[0], "both")  # warm the pool and caches
    times: list[float] = []
    for identifier in picks:
        started = time.perf_counter()
        trace(engine, identifier, "both")
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    return {
        "p50": statistics.median(times),
        "p95": times[int(0.95 * (len(times) - 1))],
        "max": times[-1],
    }


def count(engine: Engine) -> tuple[int, int]:
    with engine.connect() as connection:
        events = connection.execute(sa.select(sa.func.count()).select_from(_EVENT)).scalar_one()
        idents = connection.execute(sa.select(sa.func.count()).select_from(_IDENT)).scalar_one()
    return int(events), int(idents)


def run(name: str, engine: Engine, chains: int, queries: int) -> None:
    rng = random.Random(11)
    upgrade(engine)
    stage = max(1, chains // 10)
    started = time.perf_counter()
    samples = generate(engine, 0, stage, rng)
    first = time.perf_counter() - started
    events, idents = count(engine)
    small = measure(engine, samples, queries, rng)
    print(
        f"{name}: {events:,} events, {idents:,} identifiers (generated in {first:.1f} s): "
        f"p50 {small['p50']:.1f} ms, p95 {small['p95']:.1f} ms, max {small['max']:.1f} ms",
        flush=True,
    )
    started = time.perf_counter()
    samples += generate(engine, stage, chains, rng)
    rest = time.perf_counter() - started
    if engine.dialect.name == "postgresql":
        with engine.connect() as connection:
            connection.execution_options(isolation_level="AUTOCOMMIT").execute(sa.text("ANALYZE"))
    else:
        with engine.begin() as connection:
            connection.execute(sa.text("ANALYZE"))
    events, idents = count(engine)
    large = measure(engine, samples, queries, rng)
    print(
        f"{name}: {events:,} events, {idents:,} identifiers (generated in {first + rest:.1f} s, "
        f"{events / (first + rest):,.0f} events/s): p50 {large['p50']:.1f} ms, "
        f"p95 {large['p95']:.1f} ms, max {large['max']:.1f} ms",
        flush=True,
    )


def _servers(backends: list[str]) -> Iterator[tuple[str, Engine, PostgresServer | None]]:
    for backend in backends:
        if backend == "sqlite":
            folder = Path(tempfile.mkdtemp(prefix="foodtrace-trace-bench-"))
            try:
                yield "SQLite", create_engine(f"sqlite:///{folder / 'trace.db'}"), None
            finally:
                shutil.rmtree(folder, ignore_errors=True)
        else:
            server = new_server()
            server.start()
            yield "PostgreSQL", create_engine(server.create_database("trace")), server


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--chains", type=int, default=44_000)
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--backends", nargs="+", default=["sqlite", "postgres"])
    args = parser.parse_args()
    for name, engine, server in _servers(args.backends):
        try:
            run(name, engine, args.chains, args.queries)
        finally:
            engine.dispose()
            if server is not None:
                remove_server(server)


if __name__ == "__main__":
    main()
