"""Start every part of the demo, print where to look, run until told to stop, stop cleanly.

Order: data directory and logs → database (migrate, master data, stations, this run's harvest
and packing, the recall on the first run, the regulator's password) → MQTT broker → API server
→ ingest worker → the URLs on stdout (the first lines the command prints) → simulated stations
→ progress while their events arrive. SIGINT and SIGTERM set one stop event; everything started
is stopped in reverse order by one ``ExitStack``, also when start-up fails half-way.
"""

from __future__ import annotations

import logging
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from types import FrameType
from typing import TextIO

import sqlalchemy as sa
import structlog
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn
from sqlalchemy.engine import Engine

from trace_api.capture import check_document, store_checked
from trace_api.core.db import create_engine
from trace_api.demo.broker import Broker, find_mosquitto, start_mosquitto
from trace_api.demo.embedded_broker import amqtt_available, start_amqtt
from trace_api.demo.history import load_history
from trace_api.demo.services import AnalyticsThread, ApiServer, IngestThread, bind_port
from trace_api.demo.state import DataDir, DemoState
from trace_api.demo.stations import SimulatedStation
from trace_api.demo.story import (
    PRODUCTS,
    STATIONS,
    RunLots,
    back_office_document,
    master_data,
    run_lots,
)
from trace_api.exceptions import DemoError, RecallNotFoundError
from trace_api.migrate import upgrade
from trace_api.models import metadata
from trace_api.recall.service import declare_recall, get_recall
from trace_api.storage.master import load_master_data
from trace_api.storage.station_registry import add_station

__all__ = ["DemoOptions", "run_demo"]

log = logging.getLogger("trace_api.demo")

HOST = "127.0.0.1"
RECALL_REASON = (
    "Listeria monocytogenes found in a pre-shipment sample of this lot / "
    "该批次出厂前抽检发现单核细胞增生李斯特菌"
)
_STORY_TIMEOUT_S = 120.0


@dataclass(frozen=True, slots=True)
class DemoOptions:
    port: int = 8000
    data_dir: Path | None = None
    browser_hints: bool = True
    duration: float | None = None
    broker: str = "auto"  # auto | mosquitto | amqtt


def _configure_logging(stack: ExitStack, path: Path) -> None:
    """Every part logs into ``demo.log`` (stdout carries only the URLs; stderr the progress)."""
    handle = stack.enter_context(path.open("a", encoding="utf-8"))
    handler = logging.StreamHandler(handle)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s %(message)s"))
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    stack.callback(root.removeHandler, handler)
    structlog.configure(
        processors=[
            structlog.processors.add_log_level,
            structlog.processors.TimeStamper(fmt="iso", utc=True),
            structlog.processors.format_exc_info,
            structlog.processors.JSONRenderer(),
        ],
        wrapper_class=structlog.make_filtering_bound_logger(logging.INFO),
        logger_factory=structlog.PrintLoggerFactory(handle),
        cache_logger_on_first_use=False,
    )
    stack.callback(structlog.reset_defaults)


def _timed(name: str, step: Callable[[], object]) -> Callable[[], None]:
    """``step`` as a stack callback that logs how long it took (demo.log)."""

    def run() -> None:
        started = time.perf_counter()
        try:
            step()
        finally:
            log.info("demo: stopped %s in %.2f s", name, time.perf_counter() - started)

    return run


@contextmanager
def _stop_on_signals(stop: threading.Event) -> Iterator[None]:
    def handler(_signum: int, _frame: FrameType | None) -> None:
        stop.set()

    previous = {sig: signal.signal(sig, handler) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for sig, old in previous.items():
            signal.signal(sig, old)


def _register_stations(engine: Engine) -> None:
    for s in STATIONS:
        add_station(
            engine,
            s.id,
            read_points=[s.read_point],
            biz_locations=[s.biz_location],
            party=s.party,
            site=s.biz_location,
            replace=True,
        )


def _prepare_database(
    engine: Engine, data: DataDir, state: DemoState, lots: RunLots, console: Console
) -> None:
    upgrade(engine)
    load_master_data(engine, master_data(), source="demo master data")
    _register_stations(engine)
    if not state.history_loaded:
        history = load_history(engine, data.root / "scenario")
        state.history_loaded = True
        data.save_state(state)
        console.print(
            f"[green]✓[/] history: a generated scenario, {history.events:,} events, "
            f"{history.anomalies} labelled anomalies of {history.anomaly_types} types, "
            f"{history.recalls} recalls"
        )
    checked = check_document(back_office_document(lots, datetime.now().astimezone()))
    if checked.refusals:
        first = checked.refusals[0]
        raise DemoError(f"the demo's own events were refused: {first.pointer}: {first.message}")
    store_checked(engine, [checked])
    if state.recall_id is not None:
        try:
            get_recall(engine, state.recall_id)
            return
        except RecallNotFoundError:
            state.recall_id = None  # a database deleted since: declare it again
    strawberries = PRODUCTS[1]
    lot = lots.lot(strawberries)
    recall = declare_recall(engine, [strawberries.lgtin(lot)], RECALL_REASON)
    state.recall_id = recall.id
    state.recalled_lot = f"01/{strawberries.gtin}/10/{lot}"
    data.save_state(state)


def _start_broker(data: DataDir, choice: str, console: Console) -> Broker:
    stations = [s.id for s in STATIONS]
    binary = find_mosquitto() if choice in ("auto", "mosquitto") else None
    if binary is not None:
        broker = start_mosquitto(binary, data.broker, stations)
        console.print(
            f"[green]✓[/] MQTT broker (Mosquitto, passwords + ACL) on {HOST}:{broker.port}"
        )
        return broker
    if choice == "mosquitto":
        raise DemoError(
            "Mosquitto is not installed (mosquitto and mosquitto_passwd): run `./run setup` "
            "or `apt-get install mosquitto`"
        )
    if not amqtt_available():
        raise DemoError(
            "no MQTT broker: install Mosquitto (`./run setup`), or the embedded one "
            "(`pip install 'foodtrace[demo]'`)"
        )
    broker = start_amqtt(data.broker, stations)
    if choice == "auto":
        console.print("[yellow]![/] Mosquitto not found: using the embedded amqtt broker instead")
    console.print(f"[green]✓[/] MQTT broker (amqtt, passwords + ACL) on {HOST}:{broker.port}")
    return broker


def _url_lines(
    base: str, state: DemoState, lots: RunLots, login: tuple[str, str], token: str
) -> list[str]:
    spinach = PRODUCTS[0]
    sample = f"01/{spinach.gtin}/10/{lots.lot(spinach)}/21/{lots.serials()[0]}"
    return [
        f"consumer page (sample pack): {base}/{sample}",
        f"consumer page (recalled lot): {base}/{state.recalled_lot}",
        f"regulator console: {base}/console/",
        f"regulator user: {login[0]}",
        f"regulator password: {login[1]}",
        f"API docs: {base}/api/v1/docs",
        f"API token: {token}",
        f"metrics: {base}/metrics",
    ]


def _events_by_station(engine: Engine, since: datetime) -> dict[str, int]:
    event = metadata.tables["event"]
    query = (
        sa.select(event.c.station_id, sa.func.count())
        .where(event.c.station_id.in_([s.id for s in STATIONS]), event.c.record_time >= since)
        .group_by(event.c.station_id)
    )
    with engine.connect() as connection:
        return {str(k): int(v) for k, v in connection.execute(query)}


def _follow_story(
    engine: Engine,
    lots: RunLots,
    since: datetime,
    stations: list[SimulatedStation],
    ingest: IngestThread,
    stop: threading.Event,
    console: Console,
) -> None:
    expected = {s.id: len(lots.packs_seen_by(s)) for s in STATIONS}
    total = sum(expected.values())
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn())
    with Progress(*columns, console=console, transient=False) as progress:
        task = progress.add_task("station events stored", total=total)
        deadline = time.monotonic() + _STORY_TIMEOUT_S
        while not stop.is_set():
            counts = _events_by_station(engine, since)
            done = sum(min(counts.get(k, 0), v) for k, v in expected.items())
            progress.update(task, completed=done)
            if done >= total:
                break
            if ingest.failure is not None:
                raise DemoError(f"the ingest worker stopped: {ingest.failure}")
            failed = [s.station.id for s in stations if s.failure is not None]
            if failed or time.monotonic() > deadline:
                missing = {
                    k: v - counts.get(k, 0) for k, v in expected.items() if counts.get(k, 0) < v
                }
                console.print(
                    f"[yellow]![/] not every event arrived (missing per station: {missing}"
                    + (f"; stations failed: {failed}" if failed else "")
                    + "); see demo.log. The demo keeps running."
                )
                break
            stop.wait(0.25)


def _report_warnings(
    engine: Engine, analytics: AnalyticsThread, stop: threading.Event, console: Console
) -> None:
    """One line on the early warnings once the story is in (after a last scoring round)."""
    deadline = time.monotonic() + 30
    while not analytics.ready.is_set() and analytics.failure is None and not stop.is_set():
        if time.monotonic() > deadline:
            return
        stop.wait(0.2)
    if analytics.failure is not None:
        console.print(f"[yellow]![/] analytics stopped: {analytics.failure} (see demo.log)")
        return
    stop.wait(1.0)
    warning = metadata.tables["warning"]
    query = sa.select(warning.c.severity, sa.func.count()).group_by(warning.c.severity)
    with engine.connect() as connection:
        counts = {str(k): int(v) for k, v in connection.execute(query)}
    described = ", ".join(f"{n} {severity}" for severity, n in sorted(counts.items()))
    console.print(f"[green]✓[/] early warnings (analytics streaming): {described or 'none'}")


def run_demo(options: DemoOptions, out: TextIO | None = None) -> None:
    """Run the demo until SIGINT/SIGTERM (or ``options.duration`` seconds)."""
    from trace_api.demo.state import default_data_dir

    stdout = out if out is not None else sys.stdout
    console = Console(stderr=True, highlight=False)
    data = DataDir((options.data_dir or default_data_dir()).resolve())
    data.create()
    stop = threading.Event()
    with _stop_on_signals(stop), ExitStack() as stack:
        stack.enter_context(data.locked())
        sock = bind_port(HOST, options.port)
        stack.callback(sock.close)
        _configure_logging(stack, data.log_file)
        state = data.load_state()
        state.runs += 1
        data.save_state(state)
        lots = run_lots(state.runs)
        console.print(f"[bold]foodtrace demo[/] — run {state.runs}, data in {data.root}")
        engine = create_engine(data.db_url)
        stack.callback(engine.dispose)
        _prepare_database(engine, data, state, lots, console)
        token = data.regulator_password(engine)
        login = data.console_login(engine)
        console.print("[green]✓[/] database ready (SQLite), master data, harvest and packing")
        broker = _start_broker(data, options.broker, console)
        stack.callback(_timed("the broker", broker.close))
        if stop.is_set():
            return
        api = ApiServer(data.db_url, sock)
        api.start()
        stack.callback(_timed("the API", api.close))
        console.print(f"[green]✓[/] API on http://{HOST}:{options.port}")
        ingest = IngestThread(engine, broker)
        ingest.start()
        stack.callback(_timed("the ingest", ingest.close))
        analytics = AnalyticsThread(engine, broker)
        analytics.start()
        stack.callback(_timed("the analytics", analytics.close))
        base = f"http://{HOST}:{options.port}"
        stdout.write("\n".join(_url_lines(base, state, lots, login, token)) + "\n")
        stdout.flush()
        since = datetime.now(UTC)
        stations: list[SimulatedStation] = []
        for spec in STATIONS:
            if stop.is_set():
                return
            station = SimulatedStation(spec, lots)
            stack.callback(_timed(f"station {spec.id}", station.close))
            station.start(broker.port, broker.passwords[spec.id], data.station(spec.id))
            stations.append(station)
        protocols = ", ".join(f"{s.id} ({s.protocol})" for s in STATIONS)
        console.print(f"[green]✓[/] reader stations: {protocols}")
        _follow_story(engine, lots, since, stations, ingest, stop, console)
        _report_warnings(engine, analytics, stop, console)
        if options.browser_hints and not stop.is_set():
            console.print(
                "Open the URLs above in a browser (the console with the regulator's user and "
                "password; the API docs take the API token: Authorize). Stop with Ctrl-C."
            )
        started = time.monotonic()
        while not stop.wait(0.2):
            if options.duration is not None and time.monotonic() - started >= options.duration:
                break
        console.print("stopping …")
    console.print("[green]✓[/] demo stopped")
