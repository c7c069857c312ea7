"""EPCIS query latency through the REST interface, on ≥ 100,000 stored events.

What it measures, per backend (SQLite file with WAL + synchronous=NORMAL; PostgreSQL started by
this script from ``tests/support/postgres.py`` with initdb defaults): the wall-clock time of
``GET /epcis/events?…`` answered in-process by the FastAPI app (Starlette TestClient: routing,
token lookup, parameter parsing, SQL, the EPCISQueryDocument with events verbatim), first page
of ``perPage=30`` events, for the common queries below. Each query runs ``--repeats`` times with
a different value each time (random EPC, GTIN, week …); p50 and p95 are over those runs, after
``--warmup`` unmeasured runs.

  MATCH_epc                one SGTIN (≈ 2 events carry each)
  MATCH_epc idpat          every serial of one GTIN (urn:epc:idpat:sgtin:CP.IR.*)
  bizStep + week           EQ_bizStep=shipping, GE_/LT_eventTime one week
  MATCH_epcClass           one GTIN's LGTIN lots in quantityList (idpat pattern)
  GT_maxValue_CEL=8        cold-chain excursions (sensor reports)
  ext + bizStep + week     GT_ex:lineTempC=10 (an extension field, read from each event's JSON)
                           with EQ_bizStep=shipping and one week of eventTime (indexed)
  ext alone                GT_ex:lineTempC=10 with nothing indexed beside it: every event's
                           JSON is read until the page is full (the worst case)
  next page                the page after the first of an unfiltered query (keyset token)

Events: ObjectEvents with 4 SGTINs of 1,000 GTINs (serials drawn so each EPC is in ≈ 2
events), bizStep among 6, readPoint among 50 SGLNs, eventTime spread over 2025; 10 % carry a
temperature sensor report (maxValue 0-12 °C), 10 % a quantityList of one LGTIN, 10 % the
extension field ``ex:lineTempC`` (0-12, a number). Stored with
``prepare_event`` + ``store_events`` in 1,000-event batches.

    .venv/bin/python bench/api_query.py                    # 100,000 events, both backends
    .venv/bin/python bench/api_query.py --events 20000 --backends sqlite --repeats 50
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
import uuid
import warnings
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy.engine import Engine
from starlette.exceptions import StarletteDeprecationWarning

from tests.support.postgres import new_server, remove_server
from trace_api.auth.tokens import create_token
from trace_api.core.config import Settings
from trace_api.core.db import create_engine
from trace_api.main import create_app
from trace_api.migrate import upgrade
from trace_api.storage import prepare_context, prepare_event, store_events

with warnings.catch_warnings():
    warnings.simplefilter("ignore", StarletteDeprecationWarning)
    from starlette.testclient import TestClient

CONTEXT: list[Any] = [
    "https://ref.gs1.org/standards/epcis/epcis-context.jsonld",
    {"ex": "https://example.org/ns/line#"},
]
STEPS = ["commissioning", "packing", "shipping", "receiving", "storing", "inspecting"]
GTINS = 1000
START = datetime(2025, 1, 1, tzinfo=UTC)
YEAR_S = 365 * 24 * 3600


def _item(gtin: int) -> str:
    return f"4012345.{100000 + gtin:06d}"


def make_events(count: int, rng: random.Random) -> list[dict[str, Any]]:
    serials = max(1, count * 4 // (2 * GTINS))
    events = []
    for n in range(count):
        when = START + timedelta(seconds=rng.randrange(YEAR_S))
        event: dict[str, Any] = {
            "type": "ObjectEvent",
            "eventID": f"urn:uuid:{uuid.UUID(int=rng.getrandbits(128), version=4)}",
            "eventTime": when.isoformat().replace("+00:00", "Z"),
            "eventTimeZoneOffset": "+00:00",
            "epcList": [
                f"urn:epc:id:sgtin:{_item(rng.randrange(GTINS))}.{rng.randrange(serials)}"
                for _ in range(4)
            ],
            "action": "OBSERVE",
            "bizStep": rng.choice(STEPS),
            "readPoint": {"id": f"urn:epc:id:sgln:4012345.{rng.randrange(50):05d}.0"},
        }
        if n % 10 == 3:
            event["sensorElementList"] = [
                {
                    "sensorMetadata": {"time": event["eventTime"]},
                    "sensorReport": [
                        {
                            "type": "gs1:Temperature",
                            "uom": "CEL",
                            "maxValue": round(rng.uniform(0, 12), 1),
                        }
                    ],
                }
            ]
        if n % 10 == 5:
            event["ex:lineTempC"] = round(rng.uniform(0, 12), 1)
        if n % 10 == 7:
            lot = f"urn:epc:class:lgtin:{_item(rng.randrange(GTINS))}.L{rng.randrange(20)}"
            event["quantityList"] = [{"epcClass": lot, "quantity": 5, "uom": "KGM"}]
        events.append(event)
    return events


def fill(engine: Engine, events: list[dict[str, Any]]) -> float:
    context = prepare_context(CONTEXT)
    started = time.perf_counter()
    for start in range(0, len(events), 1000):
        batch = [prepare_event(e, context) for e in events[start : start + 1000]]
        store_events(engine, batch)
    return time.perf_counter() - started


def cases(events: list[dict[str, Any]], rng: random.Random) -> dict[str, Callable[[], str]]:
    def week() -> str:
        start = START + timedelta(days=rng.randrange(358))
        end = start + timedelta(days=7)
        return (
            f"EQ_bizStep=shipping&GE_eventTime={start.isoformat().replace('+00:00', 'Z')}"
            f"&LT_eventTime={end.isoformat().replace('+00:00', 'Z')}"
        )

    def extension_week() -> str:
        return f"GT_ex:lineTempC={rng.randrange(6, 11)}&{week()}"

    return {
        "MATCH_epc": lambda: f"MATCH_epc={rng.choice(rng.choice(events)['epcList'])}",
        "MATCH_epc idpat": lambda: f"MATCH_epc=urn:epc:idpat:sgtin:{_item(rng.randrange(GTINS))}.*",
        "bizStep + week": week,
        "MATCH_epcClass": lambda: (
            f"MATCH_epcClass=urn:epc:idpat:sgtin:{_item(rng.randrange(GTINS))}.*"
        ),
        "GT_maxValue_CEL=8": lambda: "GT_maxValue_CEL=8",
        "ext + bizStep + week": extension_week,
        "ext alone": lambda: f"GT_ex:lineTempC={rng.randrange(6, 11)}",
    }


def measure(client: TestClient, headers: dict[str, str], url: str) -> tuple[float, int]:
    started = time.perf_counter()
    response = client.get(url, headers=headers)
    elapsed = time.perf_counter() - started
    assert response.status_code == 200, response.text
    found = response.json()["epcisBody"]["queryResults"]["resultsBody"]["eventList"]
    return elapsed, len(found)


def run_backend(name: str, url: str, events: list[dict[str, Any]], args: Any) -> None:
    engine = create_engine(url)
    try:
        upgrade(engine)
        seconds = fill(engine, events)
        print(f"{name}: stored {len(events):,} events in {seconds:.1f} s")
        token = {"Authorization": f"Bearer {create_token(engine, 'regulator')}"}
        app = create_app(Settings(db=url), engine=engine)
        rng = random.Random(7)
        with TestClient(app) as client:
            first = client.get("/epcis/events", headers=token)
            link = first.headers["Link"]
            next_url = link[1 : link.index(">")]
            all_cases = cases(events, rng)
            all_cases["next page"] = lambda: next_url.split("?", 1)[1]
            for label, make in all_cases.items():
                for _ in range(args.warmup):
                    measure(client, token, f"/epcis/events?{make()}")
                times, sizes = [], []
                for _ in range(args.repeats):
                    elapsed, size = measure(client, token, f"/epcis/events?{make()}")
                    times.append(elapsed * 1000)
                    sizes.append(size)
                quantiles = statistics.quantiles(times, n=20)
                print(
                    f"  {label:20} p50 {statistics.median(times):7.1f} ms  "
                    f"p95 {quantiles[18]:7.1f} ms  events/answer "
                    f"{statistics.mean(sizes):5.1f}"
                )
    finally:
        engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--repeats", type=int, default=200)
    parser.add_argument("--warmup", type=int, default=10)
    parser.add_argument("--backends", default="sqlite,postgres")
    args = parser.parse_args()
    events = make_events(args.events, random.Random(1))
    wanted = args.backends.split(",")
    with tempfile.TemporaryDirectory(prefix="foodtrace-bench-") as folder:
        if "sqlite" in wanted:
            url = f"sqlite:///{Path(folder) / 'api.db'}"
            run_backend("SQLite (WAL, synchronous=NORMAL)", url, events, args)
        if "postgres" in wanted:
            server = new_server()
            server.start()
            try:
                url = server.create_database("bench_api")
                run_backend("PostgreSQL (initdb defaults)", url, events, args)
            finally:
                remove_server(server)


if __name__ == "__main__":
    main()
