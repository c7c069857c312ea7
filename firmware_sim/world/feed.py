"""Feed a scenario into the traceability service, directly or as the stations would.

* :func:`load_into_database`: master data (``load_master_data``), every document through the
  capture pipeline of ``foodtrace capture`` (validation, idempotent on eventID), then the
  scenario's recalls through :func:`trace_api.recall.declare_recall` at their declared time.
* :func:`register_stations`: one ``station`` row per reader station the events name (its read
  point and its site's location), so that ``foodtrace ingest run`` accepts their messages.
* :func:`publish_mqtt`: every event on its station's topic ``{root}/{site GLN}/{station}/events``
  (QoS 1), in EPCIS documents of at most 50 events of one station, as an edge agent publishes.

Events that claim a place their station does not own (a tampered ``bizLocation``, a read point
no master data knows) are refused by the ingest's station check and land in its dead letters:
over MQTT those anomalies are caught at the door, and never reach the database.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import orjson

from firmware_sim.world.events import CONTEXT
from firmware_sim.world.loader import Scenario

if TYPE_CHECKING:
    from trace_api.capture import CheckedDocument

__all__ = [
    "LoadReport",
    "load_into_database",
    "publish_mqtt",
    "register_stations",
    "station_rows",
]

Progress = Callable[[int], None]


@dataclass(slots=True)
class LoadReport:
    parties: int = 0
    locations: int = 0
    products: int = 0
    stored: int = 0
    duplicates: int = 0
    refused: int = 0
    published: int = 0
    messages: int = 0
    stations: int = 0
    recalls: list[str] = field(default_factory=list)
    refusals: list[str] = field(default_factory=list)


def _master(engine: Any, scenario: Scenario, report: LoadReport) -> None:
    from trace_api.storage.master import load_master_data

    counts = load_master_data(engine, scenario.masterdata(), source=str(scenario.masterdata_path))
    report.parties, report.locations, report.products = (
        counts.parties,
        counts.locations,
        counts.products,
    )


def declare_recalls(engine: Any, scenario: Scenario, report: LoadReport) -> None:
    """Declare the scenario's recalls (each at its declared time)."""
    from trace_api.recall import declare_recall

    for recall in scenario.recalls:
        when = datetime.fromisoformat(recall["declared"])
        reason = f"{recall['reason']} (level {recall['level']})"
        report.recalls.append(declare_recall(engine, [recall["lot"]], reason, when=when).id)


#: Events stored per transaction: documents are grouped until they hold at least this many.
BATCH_EVENTS = 10_000
#: Documents checked ahead of the one being stored (bounds the memory of the pipeline).
PREFETCH = 2
#: SQLite page cache of the loading connection, in KiB (the default is 2 MiB): the indexes of
#: a city scenario's millions of identifier rows otherwise fall out of cache on every insert.
SQLITE_LOAD_CACHE_KIB = 256 * 1024


def _checked(path: Path) -> CheckedDocument:
    """Read, parse and validate one document file; pure, no database (runs in a thread)."""
    from trace_api.capture import CheckedDocument, Refusal, check_document, decode_payload
    from trace_api.exceptions import PayloadError

    try:
        doc = decode_payload(path.read_bytes())
    except PayloadError as exc:
        return CheckedDocument(0, refusals=[Refusal(None, "", exc.message, exc.reason_code)])
    return check_document(doc)


def _checked_documents(paths: list[Path]) -> Iterator[tuple[Path, CheckedDocument]]:
    """Each document checked, in order, by a worker thread that keeps ``PREFETCH`` documents
    ahead: parsing, validation and preparation (hashing) of the next documents overlap the
    store of the current one (sqlite3 and psycopg release the GIL while the database works)."""
    from concurrent.futures import Future, ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="scenario-check") as pool:
        pending: deque[tuple[Path, Future[CheckedDocument]]] = deque()
        ahead = iter(paths)
        try:
            for path in ahead:
                pending.append((path, pool.submit(_checked, path)))
                if len(pending) > PREFETCH:
                    done, future = pending.popleft()
                    yield done, future.result()
            while pending:
                done, future = pending.popleft()
                yield done, future.result()
        finally:
            for _, future in pending:
                future.cancel()


@contextmanager
def _loading_connection(engine: Any) -> Iterator[Any]:
    """One connection for the whole load; on SQLite with a large page cache while loading
    (restored before the connection goes back to the pool). Journal mode and durability stay
    the engine's (WAL, ``synchronous=NORMAL``): each batch is one committed transaction."""
    with engine.connect() as connection:
        sqlite = connection.dialect.name == "sqlite"
        if sqlite:
            before = connection.exec_driver_sql("PRAGMA cache_size").scalar()
            connection.exec_driver_sql(f"PRAGMA cache_size = -{int(SQLITE_LOAD_CACHE_KIB)}")
            connection.commit()
        try:
            yield connection
        finally:
            if sqlite:
                connection.rollback()
                connection.exec_driver_sql(f"PRAGMA cache_size = {int(before)}")
                connection.commit()


def _store_events(
    scenario: Scenario, engine: Any, report: LoadReport, progress: Progress | None
) -> None:
    from trace_api.capture import store_checked

    batch: list[tuple[Path, CheckedDocument]] = []

    def flush(connection: Any) -> None:
        with connection.begin():
            outcomes = store_checked(connection, [checked for _, checked in batch])
        for (path, _), outcome in zip(batch, outcomes, strict=True):
            report.stored += outcome.stored
            report.duplicates += outcome.duplicates
            report.refused += outcome.refused
            report.refusals.extend(f"{path.name}: {r}" for r in outcome.refusals)
            if progress is not None:
                progress(outcome.event_count)
        batch.clear()

    with _loading_connection(engine) as connection:
        for path, checked in _checked_documents(scenario.event_files):
            batch.append((path, checked))
            if sum(len(c.accepted) for _, c in batch) >= BATCH_EVENTS:
                flush(connection)
        if batch:
            flush(connection)


def load_into_database(
    scenario: Scenario, engine: Any, progress: Progress | None = None, *, events: bool = True
) -> LoadReport:
    """Master data, events (capture pipeline) and recalls into the database of ``engine``.

    Every document goes through the capture pipeline of ``foodtrace capture``
    (``check_document``: validation, preparation, CBV hash of events without an eventID;
    ``store_checked``: idempotent on eventID), read and checked ahead by a worker thread while
    the previous ones are stored, small documents grouped into one transaction of at least
    :data:`BATCH_EVENTS` events. ``progress`` is called with each document's event count once
    it is stored.

    ``events=False`` loads the master data and declares the recalls only (after the events
    arrived another way, e.g. published with :func:`publish_mqtt` and stored by the ingest)."""
    report = LoadReport()
    _master(engine, scenario, report)
    if events:
        _store_events(scenario, engine, report, progress)
    declare_recalls(engine, scenario, report)
    return report


def station_rows(scenario: Scenario) -> list[dict[str, Any]]:
    """The stations the events name: ``st-{GLN}-{n}`` reads at ``urn:epc:id:sgln:…{n}`` for
    the location ``urn:epc:id:sgln:…0`` of that GLN, owned by the location's party. Readers at
    places no master data knows (``inserted_event``) are left out."""
    from firmware_sim.world.ids import sgln

    parties = {loc["gln"]: loc["party"] for loc in scenario.masterdata()["locations"]}
    stations: dict[str, dict[str, Any]] = {}
    for event in scenario.iter_events():
        station = event.get("ft:stationID")
        if not isinstance(station, str) or station in stations:
            continue
        _, gln, ext = station.split("-")
        if gln not in parties:
            continue
        stations[station] = {
            "id": station,
            "read_points": [sgln(gln, ext)],
            "biz_locations": [sgln(gln)],
            "party": parties[gln],
            "site": gln,
        }
    return [stations[k] for k in sorted(stations)]


def register_stations(engine: Any, scenario: Scenario) -> int:
    """Register (or redefine) the scenario's stations with
    :func:`trace_api.storage.station_registry.add_station`; returns how many. The master data
    must be loaded first (a station names its party and site)."""
    from trace_api.storage.station_registry import add_station

    rows = station_rows(scenario)
    for row in rows:
        add_station(engine, row["id"], read_points=row["read_points"],
                    biz_locations=row["biz_locations"], party=row["party"], site=row["site"],
                    replace=True)  # fmt: skip
    return len(rows)


def station_messages(
    scenario: Scenario, root: str = "foodtrace/v1", batch: int = 50
) -> Iterator[tuple[str, bytes, int]]:
    """``(topic, payload, events)`` per message: a station's consecutive events, ≤ ``batch``."""
    pending: dict[str, list[dict[str, Any]]] = {}

    def message(station: str, events: list[dict[str, Any]]) -> tuple[str, bytes, int]:
        site = station.split("-")[1]
        doc = {
            "@context": CONTEXT,
            "type": "EPCISDocument",
            "schemaVersion": "2.0",
            "creationDate": events[-1]["eventTime"],
            "epcisBody": {"eventList": events},
        }
        return f"{root}/{site}/{station}/events", orjson.dumps(doc), len(events)

    for event in scenario.iter_events():
        station = str(event.get("ft:stationID", "st-unknown-0"))
        events = pending.setdefault(station, [])
        events.append(event)
        if len(events) >= batch:
            yield message(station, events)
            del pending[station]
    for station in sorted(pending):
        yield message(station, pending[station])


def publish_mqtt(
    scenario: Scenario,
    host: str,
    port: int,
    *,
    username: str | None = None,
    password: str | None = None,
    root: str = "foodtrace/v1",
    progress: Progress | None = None,
    timeout_s: float = 30.0,
) -> LoadReport:
    """Publish every event on its station's topic (QoS 1); waits for every PUBACK."""
    import paho.mqtt.client as mqtt
    from paho.mqtt.enums import CallbackAPIVersion, MQTTProtocolVersion

    report = LoadReport()
    client = mqtt.Client(
        CallbackAPIVersion.VERSION2,
        client_id=f"foodtrace-scenario-{scenario.seed}",
        protocol=MQTTProtocolVersion.MQTTv5,
    )
    client.max_inflight_messages_set(200)
    client.max_queued_messages_set(0)
    if username is not None:
        client.username_pw_set(username, password)
    client.connect(host, port)
    client.loop_start()
    try:
        waiting = []
        for topic, payload, count in station_messages(scenario, root):
            waiting.append(client.publish(topic, payload, qos=1))
            report.messages += 1
            report.published += count
            if progress is not None:
                progress(count)
            if len(waiting) >= 1000:
                for info in waiting:
                    info.wait_for_publish(timeout_s)
                waiting.clear()
        for info in waiting:
            info.wait_for_publish(timeout_s)
            if not info.is_published():
                raise TimeoutError(f"no PUBACK within {timeout_s} s from {host}:{port}")
    finally:
        client.disconnect()
        client.loop_stop()
    return report
