"""Benchmark: the edge agent end to end — simulated reader → ``foodtrace edge run`` → Mosquitto.

Three processes, as on a station: the simulated reader (``foodtrace sim reader --tcp``), the
agent (``foodtrace edge run --config station.toml``, reading ``socket://``) and a real Mosquitto.
The agent's figures come from its own Prometheus endpoint (reads, events, published events)
and from ``/proc/<pid>`` (CPU time = utime + stime, RSS); nothing of the benchmark process
itself is counted.

Runs, for each protocol (R2000 0x89 rounds over a population of 200 tags on one antenna;
Mercury continuous read):

* ``max``: the simulator unpaced (baud 10^9) and its air rate at 10^6 reads/s, every read made an
  event (``presence.dedup_window_s = 0``): the agent's throughput, reads → events/s, and its CPU
  share (1.0 = one core busy);
* ``921600`` and ``115200``: the line paced at that baud rate, the air faster than the line (the
  line is the bottleneck, as with a real reader in a dense population), the station's default
  presence settings (dedup 60 s): the agent's CPU share while keeping up with a saturated line.
  (R2000 modules stop at 115,200 baud; the 921,600 run shows the parser's headroom.)

    .venv/bin/python bench/edge_agent_e2e.py              # 3 rounds, 8 s per run after 2 s warm-up
    .venv/bin/python bench/edge_agent_e2e.py --seconds 4 --rounds 1 --protocols mercury

The table shows, per configuration, the round with the median read rate.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path
from tempfile import TemporaryDirectory

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.support.mosquitto import MosquittoBroker, new_broker, remove_broker  # noqa: E402
from tests.support.ports import free_port, wait_for_port  # noqa: E402

FOODTRACE = [sys.executable, "-c", "import sys; from foodtrace.cli import run; sys.exit(run())"]
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
SGTIN_BASE = 0x30 << 88 | 3 << 85 | 5 << 82 | 614141 << 58 | 812345 << 38


@dataclass
class Result:
    protocol: str
    mode: str
    seconds: float
    reads_per_s: float
    events_per_s: float
    published_per_s: float
    cpu_share: float
    sim_cpu_share: float
    reads_per_cpu_s: float
    rss_mib: float
    line_bytes_per_s: float | None


def scenario_file(directory: Path, tags: int) -> Path:
    lines = ["rssi_noise_db = 0.5", "antennas = [1]"]
    for serial in range(1, tags + 1):
        lines += ["[[tag]]", f'epc = "{SGTIN_BASE | serial:024X}"', "distance_m = 1.5"]
    path = directory / "population.toml"
    path.write_text("\n".join(lines) + "\n")
    return path


def station_file(
    directory: Path, broker: MosquittoBroker, port: str, protocol: str, metrics: int, dedup: float
) -> Path:
    password = broker.add_user("bench-door")
    (directory / "mqtt-password").write_text(password + "\n")
    path = directory / "station.toml"
    path.write_text(
        f"""
[station]
id = "bench-door"
site = "bench"
read_point = "urn:epc:id:sgln:4012345.00001.0"
[reader]
port = "{port}"
protocol = "{protocol}"
antennas = [1]
region = "etsi"
[role]
kind = "receiving"
[presence]
dedup_window_s = {dedup}
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
path = "outbox-{protocol}-{time.monotonic_ns()}.sqlite3"
replay_rate = 0
[metrics]
enabled = true
port = {metrics}
[logging]
level = "warning"
format = "json"
"""
    )
    return path


@contextmanager
def process(args: list[str], **kwargs: object) -> Iterator[subprocess.Popen[str]]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen(args, env=env, cwd=ROOT, text=True, **kwargs)  # type: ignore[call-overload]
    try:
        yield proc
    finally:
        if proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        if proc.stdout is not None:
            proc.stdout.close()


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


def rss_mib(pid: int) -> float:
    match = re.search(r"VmRSS:\s+(\d+) kB", Path(f"/proc/{pid}/status").read_text())
    return int(match.group(1)) / 1024 if match else float("nan")


def scrape(port: int) -> dict[str, float]:
    text = urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=5).read().decode()
    totals: dict[str, float] = {}
    for line in text.splitlines():
        if line.startswith("#"):
            continue
        name, _, value = line.rpartition(" ")
        base = name.split("{", 1)[0]
        if base in (
            "foodtrace_edge_reads_total",
            "foodtrace_edge_events_total",
            "foodtrace_edge_published_events_total",
        ):
            totals[base] = totals.get(base, 0.0) + float(value)
    return totals


def run_one(
    broker: MosquittoBroker,
    directory: Path,
    protocol: str,
    mode: str,
    seconds: float,
    warmup: float,
) -> Result:
    baud = 1_000_000_000 if mode == "max" else int(mode)
    dedup = 0.0 if mode == "max" else 60.0
    population = scenario_file(directory, 200)
    sim_port = free_port()
    metrics = free_port()
    sim_args = [
        *FOODTRACE, "sim", "reader", "--protocol", protocol, "--tcp", f"127.0.0.1:{sim_port}",
        "--baud", str(baud), "--read-rate", "1000000", "--scenario", str(population),
    ]  # fmt: skip
    with process(sim_args, stdout=subprocess.PIPE) as sim:
        assert sim.stdout is not None
        url = sim.stdout.readline().strip()
        config = station_file(directory, broker, url, protocol, metrics, dedup)
        with process([*FOODTRACE, "edge", "run", "--config", str(config)]) as agent:
            wait_for_port("127.0.0.1", metrics, 30)
            deadline = time.monotonic() + 30
            while scrape(metrics).get("foodtrace_edge_reads_total", 0) == 0:
                if time.monotonic() > deadline:
                    raise RuntimeError("the agent read nothing")
                time.sleep(0.2)
            time.sleep(warmup)
            sim0 = cpu_seconds(sim.pid)
            before, cpu0, t0 = scrape(metrics), cpu_seconds(agent.pid), time.monotonic()
            time.sleep(seconds)
            after, cpu1, t1 = scrape(metrics), cpu_seconds(agent.pid), time.monotonic()
            sim1 = cpu_seconds(sim.pid)
            rss = rss_mib(agent.pid)
    wall = t1 - t0

    def rate(name: str) -> float:
        return (after.get(name, 0) - before.get(name, 0)) / wall

    reads = rate("foodtrace_edge_reads_total")
    cpu = (cpu1 - cpu0) / wall
    frame = 21 if protocol == "r2000" else 47
    return Result(
        protocol=protocol,
        mode=mode,
        seconds=round(wall, 2),
        reads_per_s=round(reads),
        events_per_s=round(rate("foodtrace_edge_events_total")),
        published_per_s=round(rate("foodtrace_edge_published_events_total")),
        cpu_share=round(cpu, 3),
        sim_cpu_share=round((sim1 - sim0) / wall, 3),
        reads_per_cpu_s=round(reads / cpu) if cpu else float("nan"),
        rss_mib=round(rss, 1),
        line_bytes_per_s=None if mode == "max" else round(reads * frame),
    )


def median_result(found: list[Result]) -> Result:
    """The run with the median read rate (its other figures come from the same run)."""
    ordered = sorted(found, key=lambda r: r.reads_per_s)
    return ordered[len(ordered) // 2]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=8.0)
    parser.add_argument("--warmup", type=float, default=2.0)
    parser.add_argument("--protocols", nargs="+", default=["r2000", "mercury"])
    parser.add_argument("--modes", nargs="+", default=["max", "921600", "115200"])
    parser.add_argument("--rounds", type=int, default=3, help="median over this many rounds")
    args = parser.parse_args()
    runs: dict[tuple[str, str], list[Result]] = {}
    broker = new_broker()
    broker.start()
    try:
        with TemporaryDirectory(prefix="foodtrace-bench-edge-") as tmp:
            for _ in range(args.rounds):  # configurations interleaved, round by round
                for protocol in args.protocols:
                    for mode in args.modes:
                        one = run_one(broker, Path(tmp), protocol, mode, args.seconds, args.warmup)
                        runs.setdefault((protocol, mode), []).append(one)
                        print(json.dumps(asdict(one)), flush=True)
    finally:
        remove_broker(broker)
    results = [median_result(found) for found in runs.values()]
    print(f"\npython {platform.python_version()}, {os.cpu_count()} CPUs, {args.rounds} rounds")
    print(
        "| protocol | line | reads/s | events/s | published/s | agent CPU | reads/CPU-s "
        "| agent RSS MiB | simulator CPU |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    for r in results:
        line = "unpaced" if r.mode == "max" else f"{int(r.mode):,} baud"
        print(
            f"| {r.protocol} | {line} | {r.reads_per_s:,.0f} | {r.events_per_s:,.0f} | "
            f"{r.published_per_s:,.0f} | {r.cpu_share:.0%} | {r.reads_per_cpu_s:,.0f} | "
            f"{r.rss_mib:.0f} | {r.sim_cpu_share:.0%} |"
        )


if __name__ == "__main__":
    main()
