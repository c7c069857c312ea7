"""FSMA 204 export speed on a database of ≥ 100,000 events (SQLite, and PostgreSQL on request).

The database is the one ``bench/trace.py`` generates (copies of the multi-tier test chain, 23
events per chain, cross-linked). Measured:

* a lot's full FSMA 204 set: ``collect`` (the lot's journey, its containers, master data) then
  the CSV and the XLSX workbook, for random product lots and harvest lots — latency p50/p95/max;
* a product over a date range (``--gtin`` with ``--from``/``--to``): rows per second of the
  whole export (selection, journeys, rows, CSV), for a range of ``--hours`` hours.

The rule allows 24 hours to hand the spreadsheet over; the aim is seconds.

    .venv/bin/python bench/export.py                      # 4,400 chains ≈ 101,200 events
    .venv/bin/python bench/export.py --chains 44000 --backends sqlite postgres
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from datetime import timedelta

from sqlalchemy.engine import Engine

from bench.trace import _T0, _servers, count, generate
from tests.support.postgres import remove_server
from trace_api.export import collect, make_selection
from trace_api.export.fsma204 import fsma204_csv, fsma204_xlsx
from trace_api.migrate import upgrade

PRODUCT_GTIN = "04012345333336"


def _stats(values: list[float]) -> str:
    values = sorted(values)
    p95 = values[int(0.95 * (len(values) - 1))]
    return f"p50 {statistics.median(values):.1f} ms, p95 {p95:.1f} ms, max {values[-1]:.1f} ms"


def lot_exports(engine: Engine, lots: list[str]) -> None:
    csv_ms: list[float] = []
    xlsx_ms: list[float] = []
    rows = 0
    collect(engine, make_selection([lots[0]]))  # warm the pool and caches
    for lot in lots:
        started = time.perf_counter()
        collected = collect(engine, make_selection([lot]))
        collected_at = time.perf_counter()
        fsma204_csv(collected)
        csv_done = time.perf_counter()
        fsma204_xlsx(collected)
        xlsx_done = time.perf_counter()
        csv_ms.append((csv_done - started) * 1000)
        xlsx_ms.append((collected_at - started + xlsx_done - csv_done) * 1000)
        rows += len(collected.rows)
    print(f"  one lot as CSV  ({rows / len(lots):.1f} rows a lot): {_stats(csv_ms)}")
    print(f"  one lot as XLSX (collect + workbook):    {_stats(xlsx_ms)}")


def range_export(engine: Engine, hours: float) -> None:
    start = _T0 + timedelta(days=1)
    selection = make_selection(gtin=PRODUCT_GTIN, start=start, end=start + timedelta(hours=hours))
    started = time.perf_counter()
    collected = collect(engine, selection)
    content = fsma204_csv(collected)
    elapsed = time.perf_counter() - started
    rows = len(collected.rows)
    print(
        f"  product {PRODUCT_GTIN}, {hours:g} h of events: {rows:,} rows from "
        f"{len(collected.lots):,} lots in {elapsed:.2f} s ({rows / elapsed:,.0f} rows/s, "
        f"CSV {len(content) / 1e6:.1f} MB)"
    )
    started = time.perf_counter()
    fsma204_xlsx(collected)
    print(f"  same rows as XLSX: {time.perf_counter() - started:.2f} s more")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--chains", type=int, default=4_400)
    parser.add_argument("--lots", type=int, default=100, help="lots exported one by one")
    parser.add_argument("--hours", type=float, default=24.0, help="date range of the GTIN export")
    parser.add_argument("--backends", nargs="+", default=["sqlite"])
    args = parser.parse_args()
    rng = random.Random(7)
    for name, engine, server in _servers(args.backends):
        try:
            upgrade(engine)
            started = time.perf_counter()
            samples = generate(engine, 0, args.chains, rng)
            events, idents = count(engine)
            print(
                f"{name}: {events:,} events, {idents:,} identifier rows "
                f"(generated in {time.perf_counter() - started:.1f} s)"
            )
            lots = [s for s in samples if s.startswith("urn:epc:class:lgtin:")]
            lot_exports(engine, rng.sample(lots, min(args.lots, len(lots))))
            range_export(engine, args.hours)
        finally:
            engine.dispose()
            if server is not None:
                remove_server(server)


if __name__ == "__main__":
    main()
