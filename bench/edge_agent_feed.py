"""Benchmark: the edge agent's pipeline in one process — tag reads → events → outbox → Mosquitto.

The part of ``bench/edge_agent_e2e.py`` that is the agent's own work, without the serial line and
the simulator: ``TagRead`` values as the R2000 parser makes them (200 SGTIN-96 tags on one
antenna, read in turn), stamped 25 µs apart, go through a real :class:`edge_agent.pipeline.Pipeline`
(receiving role, every read an event: ``presence.dedup_window_s = 0``) in ``feed`` calls of
``--batch`` reads, with its SQLite outbox (WAL, ``synchronous=FULL``) and its publisher sending
to a real Mosquitto (``tests/support/mosquitto.py``, batches of 200 events).

Reported: reads per CPU-second of the feeding thread and of the whole process (until the broker
acknowledged every event), and each thread's CPU time. ``--profile`` prints the feeding thread's
cProfile (slower while it runs).

    .venv/bin/python bench/edge_agent_feed.py
    .venv/bin/python bench/edge_agent_feed.py --reads 30000 --profile
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import sys
import threading
import time
from pathlib import Path
from tempfile import TemporaryDirectory

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from edge_agent.config import load_config  # noqa: E402
from edge_agent.pipeline import Pipeline  # noqa: E402
from edge_agent.reads import StampedRead, TagRead  # noqa: E402
from tests.support.mosquitto import MosquittoBroker, new_broker, remove_broker  # noqa: E402

SGTIN_BASE = 0x30 << 88 | 3 << 85 | 5 << 82 | 614141 << 58 | 812345 << 38
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
WARMUP_FEEDS = 20


def station_file(directory: Path, broker: MosquittoBroker) -> Path:
    (directory / "mqtt-password").write_text(broker.add_user("bench-door") + "\n")
    path = directory / "station.toml"
    path.write_text(
        f"""
[station]
id = "bench-door"
site = "bench"
read_point = "urn:epc:id:sgln:4012345.00001.0"
[reader]
port = "socket://127.0.0.1:1"
protocol = "r2000"
antennas = [1]
region = "etsi"
[role]
kind = "receiving"
[presence]
dedup_window_s = 0
max_tags = 100000
[batch]
max_events = 200
linger_ms = 50
[mqtt]
host = "{broker.host}"
port = {broker.port}
username = "bench-door"
password_file = "mqtt-password"
heartbeat_s = 0
max_unacked = 1000
[outbox]
path = "outbox.sqlite3"
replay_rate = 0
[metrics]
enabled = false
[logging]
level = "warning"
"""
    )
    return path


def thread_cpu_s(native_id: int | None) -> float:
    stat = Path(f"/proc/self/task/{native_id}/stat").read_text()
    fields = stat.rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


def run(reads: int, batch: int, profile: bool) -> None:
    broker = new_broker()
    broker.start()
    try:
        with TemporaryDirectory(prefix="foodtrace-bench-feed-") as tmp:
            pipeline = Pipeline.from_config(load_config(station_file(Path(tmp), broker)))
            pipeline.start()
            try:
                start_ns = time.time_ns()
                tags = [
                    TagRead(f"{SGTIN_BASE | (i % 200 + 1):024X}", 1, -50 - i % 20, 0x3000, 865700)
                    for i in range(reads)
                ]
                stamped = [StampedRead(t, start_ns + i * 25_000) for i, t in enumerate(tags)]
                feeds = [stamped[k : k + batch] for k in range(0, reads, batch)]
                for chunk in feeds[:WARMUP_FEEDS]:
                    pipeline.feed(chunk)
                measured = reads - sum(len(c) for c in feeds[:WARMUP_FEEDS])
                profiler = cProfile.Profile() if profile else None
                thread0, process0, wall0 = (
                    time.thread_time(),
                    time.process_time(),
                    time.perf_counter(),
                )
                if profiler is not None:
                    profiler.enable()
                for chunk in feeds[WARMUP_FEEDS:]:
                    pipeline.feed(chunk)
                if profiler is not None:
                    profiler.disable()
                thread1, wall1 = time.thread_time(), time.perf_counter()
                deadline = time.monotonic() + 60
                while pipeline.outbox.depth and time.monotonic() < deadline:
                    time.sleep(0.01)
                process1 = time.process_time()
                print(
                    f"{measured:,} reads in feeds of {batch}: "
                    f"{measured / (thread1 - thread0):,.0f} reads per feeding-thread CPU-second, "
                    f"{measured / (process1 - process0):,.0f} per process CPU-second "
                    f"(until all were acknowledged), {measured / (wall1 - wall0):,.0f}/s wall; "
                    f"outbox depth at the end {pipeline.outbox.depth}"
                )
                for thread in threading.enumerate():
                    print(f"  {thread.name}: {thread_cpu_s(thread.native_id):.2f} s CPU")
            finally:
                pipeline.close()
            if profiler is not None:
                pstats.Stats(profiler).sort_stats("tottime").print_stats(30)
    finally:
        remove_broker(broker)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--reads", type=int, default=100_000)
    parser.add_argument("--batch", type=int, default=40, help="reads per feed call")
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()
    run(args.reads, args.batch, args.profile)


if __name__ == "__main__":
    main()
