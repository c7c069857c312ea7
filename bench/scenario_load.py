"""Scenario load speed: ``foodtrace scenario load DIR --db URL`` (master data, events, recalls).

Loads a generated scenario directory into a database (a new SQLite file by default, or any
``--db`` URL, which must be empty and is migrated first) through
:func:`firmware_sim.world.feed.load_into_database`, and prints events/s (wall clock and CPU
of this process).

    .venv/bin/python bench/scenario_generate.py --size city --out /tmp/city
    .venv/bin/python bench/scenario_load.py /tmp/city
    .venv/bin/python bench/scenario_load.py /tmp/city --db postgresql://user:pw@127.0.0.1/db
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("scenario", type=Path, help="a directory from `scenario generate`")
    parser.add_argument("--db", default=None, help="database URL (default: a new SQLite file)")
    args = parser.parse_args(argv)

    from firmware_sim.world.feed import load_into_database
    from firmware_sim.world.loader import load_scenario
    from trace_api.core.db import create_engine, redacted
    from trace_api.migrate import upgrade

    scratch = Path(tempfile.mkdtemp(prefix="scenario-load-"))
    url = args.db or f"sqlite:///{scratch / 'load.db'}"
    engine = create_engine(url)
    seen = 0
    try:
        upgrade(engine)
        scenario = load_scenario(args.scenario)

        def progress(events: int) -> None:
            nonlocal seen
            seen += events

        wall0, cpu0 = time.perf_counter(), time.process_time()
        report = load_into_database(scenario, engine, progress)
        wall, cpu = time.perf_counter() - wall0, time.process_time() - cpu0
    finally:
        engine.dispose()
        shutil.rmtree(scratch, ignore_errors=True)
    print(f"database          {redacted(url) if args.db else 'SQLite (new file)'}")
    print(f"documents         {len(scenario.event_files):>14,}")
    print(f"events            {seen:>14,}  ({report.stored:,} stored, "
          f"{report.duplicates:,} duplicates, {report.refused:,} refused)")  # fmt: skip
    print(f"recalls           {len(report.recalls):>14,}")
    print(f"wall time         {wall:>14.1f} s   {report.stored / wall:>10,.0f} events/s")
    print(f"CPU time (main)   {cpu:>14.1f} s   {report.stored / cpu:>10,.0f} events/s (CPU)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
