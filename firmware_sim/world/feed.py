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

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import orjson

from firmware_sim.world.events import CONTEXT
from firmware_sim.world.loader import Scenario

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


def load_into_database(
    scenario: Scenario, engine: Any, progress: Progress | None = None, *, events: bool = True
) -> LoadReport:
    """Master data, events (capture pipeline) and recalls into the database of ``engine``.

    ``events=False`` loads the master data and declares the recalls only (after the events
    arrived another way, e.g. published with :func:`publish_mqtt` and stored by the ingest)."""
    from trace_api.capture import capture_bytes

    report = LoadReport()
    _master(engine, scenario, report)
    for path, raw in scenario.iter_raw_documents() if events else ():
        outcome = capture_bytes(engine, raw)
        report.stored += outcome.stored
        report.duplicates += outcome.duplicates
        report.refused += outcome.refused
        report.refusals.extend(f"{path.name}: {r}" for r in outcome.refusals)
        if progress is not None:
            progress(outcome.event_count)
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
