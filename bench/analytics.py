"""Anomaly analytics: batch journeys scored per second, streaming scan-to-warning latency,
memory.

Batch: a contract-A scenario directory (``--scenario DIR``, e.g. written by ``foodtrace
scenario generate``) or, without one, the labelled test world of ``tests/analytics/world.py``
scaled to ``--lots`` lots of 10 items (each lot: commissioning, two shipments, two receipts, a
cold-chain sensor report, the sale; one of each anomaly type injected per 50 lots). Measured:
reading and parsing the events into journeys, then scoring every journey with every rule
detector (single process); journeys/s = items scored / scoring seconds. Memory: peak RSS of the
process (``ru_maxrss``) after scoring.

Streaming: a SQLite database (WAL) with the master data; the events of ``--stream-lots`` lots
are captured through ``trace_api.capture.capture_document`` in documents of
``--stream-batch`` events (as the ingest commits them), each followed at once by one poll of
the :class:`analytics.run.StreamScorer`. Latency per new warning = the time it is recorded
minus the commit time (``record_time``) of the newest event of the batch that raised it
(so it includes the poll, parse, scoring, trace enrichment and the warning transaction, but
not the poll interval — add ``--poll``/2 on average for a polling deployment).

    .venv/bin/python bench/analytics.py                      # 2,000 lots (20,000 journeys)
    .venv/bin/python bench/analytics.py --scenario DIR --read-rate 0.9
"""

from __future__ import annotations

import argparse
import resource
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

# Run as a script, this file's folder is first on sys.path, and this very file would shadow
# the ``analytics`` package it measures.
_HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _HERE]


def _world(lots: int, read_rate: float, seed: int) -> Any:
    from tests.analytics.world import START, World

    world = World(read_rate=read_rate, seed=seed)
    rounds = max(1, lots // 50)
    for r in range(rounds):
        for n in range(50 - 13):
            world.lot(START + timedelta(days=r * 60 + n))
        anomalous = World(read_rate=read_rate, seed=seed + r)
        anomalous.serial, anomalous.lots = world.serial, world.lots
        anomalous.build(clean_lots=0)
        world.events += anomalous.events
        world.labels += anomalous.labels
        world.recalls += anomalous.recalls
        world.serial, world.lots = anomalous.serial + 100, anomalous.lots
    return world


def batch(directory: Path) -> dict[str, Any]:
    from analytics.evaluate import load_scenario_dir, metrics
    from analytics.pipeline import score
    from trace_api.storage.prepare import canonical

    canonical("urn:epc:id:sgtin:0614141.100001.1")  # imports outside the timing
    started = time.perf_counter()
    scenario = load_scenario_dir(directory)
    loaded = time.perf_counter()
    findings = score(scenario.journeys, scenario.context)
    scored = time.perf_counter()
    items = len(scenario.journeys.items())
    labelled = {e for lb in scenario.labels for e in lb.epcs}
    report = metrics(findings, scenario.labels, items - len(labelled))
    return {
        "events": len(scenario.journeys.events),
        "journeys": items,
        "load_s": loaded - started,
        "score_s": scored - loaded,
        "journeys_per_s": items / (scored - loaded),
        "events_per_s_load": len(scenario.journeys.events) / (loaded - started),
        "peak_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "overall": report["overall"],
        "false_alarms_per_10k": report["false_alarms_per_10k_genuine_epcs"],
    }


def stream(lots: int, per_batch: int, routes: Path) -> dict[str, Any]:
    from analytics.run import StreamScorer
    from tests.analytics.world import master_data
    from trace_api.capture import capture_document
    from trace_api.core.db import create_engine
    from trace_api.migrate import upgrade
    from trace_api.storage import load_master_data

    world = _world(lots, 1.0, 5)
    events = sorted(world.events, key=lambda e: e["eventTime"])
    with tempfile.TemporaryDirectory() as tmp:
        engine = create_engine(f"sqlite:///{tmp}/stream.db")
        upgrade(engine)
        load_master_data(engine, master_data())
        scorer = StreamScorer(engine, routes)
        step_s = []
        for n in range(0, len(events), per_batch):
            capture_document(engine, world.document(events[n : n + per_batch]))
            t = time.perf_counter()
            scorer.step()
            step_s.append(time.perf_counter() - t)
        engine.dispose()
    lat = sorted(scorer.stats.latencies_s)
    steps = sorted(step_s)
    return {
        "events": len(events),
        "batches": len(step_s),
        "warnings": scorer.stats.warnings,
        "latency_p50_ms": 1000 * statistics.median(lat) if lat else None,
        "latency_p95_ms": 1000 * lat[int(0.95 * (len(lat) - 1))] if lat else None,
        "latency_max_ms": 1000 * lat[-1] if lat else None,
        "step_p50_ms": 1000 * statistics.median(steps),
        "step_p95_ms": 1000 * steps[int(0.95 * (len(steps) - 1))],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scenario", type=Path, help="contract-A scenario directory")
    parser.add_argument("--lots", type=int, default=2000, help="lots of the built-in world")
    parser.add_argument("--read-rate", type=float, default=0.9)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--stream-lots", type=int, default=100)
    parser.add_argument("--stream-batch", type=int, default=50, help="events per commit")
    parser.add_argument("--no-stream", action="store_true")
    args = parser.parse_args()
    import orjson

    from tests.analytics.world import routes

    with tempfile.TemporaryDirectory() as tmp:
        directory = args.scenario
        if directory is None:
            directory = Path(tmp) / "world"
            _world(args.lots, args.read_rate, args.seed).write(directory)
        result = batch(directory)
        print(
            f"batch: {result['events']:,} events, {result['journeys']:,} journeys; "
            f"load {result['load_s']:.2f} s ({result['events_per_s_load']:,.0f} events/s), "
            f"score {result['score_s']:.2f} s = {result['journeys_per_s']:,.0f} journeys/s; "
            f"peak RSS {result['peak_rss_mib']:.0f} MiB"
        )
        o = result["overall"]
        print(
            f"batch: overall P {o['precision']:.3f} R {o['recall']:.3f} F1 {o['f1']:.3f}, "
            f"{result['false_alarms_per_10k']} false alarms per 10,000 genuine EPCs"
        )
        if not args.no_stream:
            routes_path = Path(tmp) / "routes.json"
            routes_path.write_bytes(orjson.dumps(routes()))
            s = stream(args.stream_lots, args.stream_batch, routes_path)
            print(
                f"stream: {s['events']:,} events in {s['batches']} commits of "
                f"{args.stream_batch}; {s['warnings']} warnings; commit→warning p50 "
                f"{s['latency_p50_ms']:.0f} ms, p95 {s['latency_p95_ms']:.0f} ms, max "
                f"{s['latency_max_ms']:.0f} ms; poll+score step p50 {s['step_p50_ms']:.0f} ms, "
                f"p95 {s['step_p95_ms']:.0f} ms"
            )


if __name__ == "__main__":
    main()
