"""Scenario generation speed and memory: ``firmware_sim.world.generate`` at a given size.

Runs the generator in this process and prints events/s (wall clock and CPU), the peak resident
set size of the process (``getrusage``, which includes the interpreter and the imports: see
``--baseline``), the largest day held in memory and the bytes written. Optionally validates
every document afterwards (``--validate``, not timed).

    .venv/bin/python bench/scenario_generate.py --size city            # ≈ 1 M events
    .venv/bin/python bench/scenario_generate.py --size large           # ≈ 10 M events
    .venv/bin/python bench/scenario_generate.py --size small --validate --load
"""

from __future__ import annotations

import argparse
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path


def _rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _load(out: Path, scratch: Path) -> None:
    """``scenario load`` into a fresh SQLite database: master data, capture, recalls."""
    from firmware_sim.world.feed import load_into_database
    from firmware_sim.world.loader import load_scenario
    from trace_api.core.db import create_engine
    from trace_api.migrate import upgrade

    engine = create_engine(f"sqlite:///{scratch / 'load.db'}")
    try:
        upgrade(engine)
        t0 = time.perf_counter()
        report = load_into_database(load_scenario(out), engine)
        wall = time.perf_counter() - t0
    finally:
        engine.dispose()
    print(f"load (SQLite)     {wall:>14.1f} s   {report.stored / wall:>10,.0f} events/s stored "
          f"({report.stored:,} stored, {report.refused} refused, "
          f"{len(report.recalls)} recalls)")  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", default="city", choices=["tiny", "small", "city", "large"])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--read-rate", type=float, default=0.9)
    parser.add_argument("--anomalies", default="default")
    parser.add_argument("--days", type=int, default=None, help="override the size's days")
    parser.add_argument("--out", type=Path, default=None, help="keep the scenario here")
    parser.add_argument("--validate", action="store_true", help="validate every document")
    parser.add_argument(
        "--load", action="store_true", help="then load it into a new SQLite database (timed)"
    )
    args = parser.parse_args(argv)

    from firmware_sim.world import generate

    baseline = _rss_mib()
    scratch = Path(tempfile.mkdtemp(prefix="scenario-bench-"))
    out = args.out if args.out is not None else scratch / "scenario"
    try:
        wall0, cpu0 = time.perf_counter(), time.process_time()
        result = generate(out, seed=args.seed, size=args.size, read_rate=args.read_rate,
                          anomalies=args.anomalies, days=args.days, force=True)  # fmt: skip
        wall, cpu = time.perf_counter() - wall0, time.process_time() - cpu0
        written = sum(p.stat().st_size for p in out.rglob("*") if p.is_file())
        counts = result.meta["counts"]
        print(f"size {args.size}, seed {args.seed}, read rate {args.read_rate}, "
              f"anomalies {args.anomalies}")  # fmt: skip
        print(f"events            {result.events:>14,}  in {result.files} documents")
        print(f"EPCs / lots       {counts['epcs']:>14,}  / {counts['lots']:,}")
        print(f"labels            {result.labels:>14,}")
        print(f"wall time         {wall:>14.1f} s   {result.events / wall:>10,.0f} events/s")
        print(f"CPU time          {cpu:>14.1f} s   {result.events / cpu:>10,.0f} events/s (CPU)")
        print(f"peak RSS          {_rss_mib():>14.0f} MiB  (after imports: {baseline:.0f} MiB)")
        print(f"largest day       {result.peak_day:>14,} events held in memory at once")
        print(f"written           {written / 2**20:>14.0f} MiB  "
              f"({written / max(1, result.events):.0f} bytes/event)")  # fmt: skip
        if args.validate:
            from firmware_sim.world.loader import load_scenario
            from foodtrace.epcis.validate import validate_document

            t0 = time.perf_counter()
            bad = sum(len(validate_document(d)) for d in load_scenario(out).iter_documents())
            print(f"validation        {bad:>14} problems ({time.perf_counter() - t0:.1f} s)")
        if args.load:
            _load(out, scratch)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
