"""``foodtrace demo`` end to end: start-up, read-to-stored latency, shutdown — per broker.

Each round runs ``foodtrace demo`` as a user would (a subprocess on a fresh data folder, then a
second run on the same folder), with Mosquitto and with the embedded amqtt broker, interleaved.
Measured per run:

* ``urls_s``: process start → the ``NAME: URL`` lines on stdout (database migrated, broker,
  API and ingest up);
* ``story_s``: process start → every station event of the run stored (the story's fixed timeline
  is 6 s + 3 stages × 4 s, so about 19 s of it is scripted waiting);
* read-to-stored latency of each station event: ``record_time − eventTime`` (the read is stamped
  by the edge agent; the path is pty → reader driver → outbox → MQTT → ingest → commit);
* ``stop_s``: SIGINT → exit code 0.

    .venv/bin/python bench/demo.py [--rounds 2]
"""

from __future__ import annotations

import argparse
import os
import select
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from trace_api.core.db import create_engine
from trace_api.demo.story import STATIONS, run_lots
from trace_api.models import metadata

ROOT = Path(__file__).parents[1]
FOODTRACE = [sys.executable, "-c", "import sys; from foodtrace.cli import run; sys.exit(run())"]
URL_LINES = 8


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def expected(run: int) -> int:
    return sum(len(run_lots(run).packs_seen_by(s)) for s in STATIONS)


def station_events(db: Path, since_pk: int) -> list[tuple[float, float]]:
    """(eventTime, record_time) in epoch seconds of station events with pk > ``since_pk``."""
    event = metadata.tables["event"]
    engine = create_engine(f"sqlite:///{db}")
    try:
        with engine.connect() as connection:
            rows = connection.execute(
                sa.select(event.c.event_time, event.c.record_time).where(
                    event.c.station_id.in_([s.id for s in STATIONS]), event.c.id > since_pk
                )
            ).all()
    finally:
        engine.dispose()
    return [(a.timestamp(), b.timestamp()) for a, b in rows]


def max_pk(db: Path) -> int:
    if not db.exists():
        return 0
    event = metadata.tables["event"]
    engine = create_engine(f"sqlite:///{db}")
    try:
        with engine.connect() as connection:
            return int(connection.execute(sa.select(sa.func.max(event.c.id))).scalar() or 0)
    except sa.exc.OperationalError:
        return 0
    finally:
        engine.dispose()


def one_run(data_dir: Path, broker: str, run: int) -> dict[str, Any]:
    db = data_dir / "foodtrace.db"
    before = max_pk(db)
    port = free_port()
    started = time.perf_counter()
    proc = subprocess.Popen(
        [
            *FOODTRACE,
            "demo",
            "--port",
            str(port),
            "--data-dir",
            str(data_dir),
            "--broker",
            broker,
            "--no-browser-hints",
        ],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert proc.stdout is not None
    try:
        buffer = b""
        while buffer.count(b"\n") < URL_LINES:
            if proc.poll() is not None:
                raise SystemExit(f"the demo exited ({proc.returncode}) before its URLs")
            ready, _, _ = select.select([proc.stdout], [], [], 0.05)
            if ready:
                buffer += os.read(proc.stdout.fileno(), 4096)
        urls_s = time.perf_counter() - started
        want = expected(run)
        rows: list[tuple[float, float]] = []
        deadline = time.monotonic() + 180
        while len(rows) < want:
            if time.monotonic() > deadline:
                raise SystemExit(f"only {len(rows)} of {want} events stored")
            time.sleep(0.1)
            rows = station_events(db, before)
        story_s = time.perf_counter() - started
        stopping = time.perf_counter()
        proc.send_signal(signal.SIGINT)
        code = proc.wait(60)
        stop_s = time.perf_counter() - stopping
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        proc.stdout.close()
    if code != 0:
        raise SystemExit(f"the demo exited with {code}")
    latencies = sorted((stored - read) * 1000 for read, stored in rows)
    return {
        "urls_s": urls_s,
        "story_s": story_s,
        "stop_s": stop_s,
        "latencies_ms": latencies,
    }


def percentile(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=2, help="rounds per broker (default 2)")
    args = parser.parse_args()
    results: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for round_ in range(args.rounds):
        for broker in ("mosquitto", "amqtt"):
            base = Path(tempfile.mkdtemp(prefix="foodtrace-bench-demo-"))
            try:
                for run, label in ((1, "first run"), (2, "second run")):
                    outcome = one_run(base / "demo", broker, run)
                    results.setdefault((broker, label), []).append(outcome)
                    print(
                        f"round {round_ + 1} {broker:9} {label}: URLs {outcome['urls_s']:.2f} s, "
                        f"story {outcome['story_s']:.1f} s, stop {outcome['stop_s']:.2f} s",
                        flush=True,
                    )
            finally:
                shutil.rmtree(base, ignore_errors=True)
    print()
    print(
        "| broker | run | URLs (s) | all events stored (s) | read→stored p50 (ms) "
        "| p95 (ms) | max (ms) | stop (s) |"
    )
    print("|---|---|---:|---:|---:|---:|---:|---:|")
    for (broker, label), runs in results.items():
        latencies = sorted(v for r in runs for v in r["latencies_ms"])
        print(
            f"| {broker} | {label} | {statistics.median(r['urls_s'] for r in runs):.2f} "
            f"| {statistics.median(r['story_s'] for r in runs):.1f} "
            f"| {percentile(latencies, 50):.0f} | {percentile(latencies, 95):.0f} "
            f"| {latencies[-1]:.0f} | {statistics.median(r['stop_s'] for r in runs):.2f} |"
        )


if __name__ == "__main__":
    main()
