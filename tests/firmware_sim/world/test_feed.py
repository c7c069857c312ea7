"""Loading a scenario into the service: the database path, and MQTT as the stations publish."""

from __future__ import annotations

import threading
from pathlib import Path

import orjson
import paho.mqtt.client as mqtt
import pytest
import sqlalchemy as sa
from paho.mqtt.enums import CallbackAPIVersion, MQTTProtocolVersion

from firmware_sim.world import generate, load_scenario
from firmware_sim.world.feed import load_into_database, publish_mqtt, station_rows
from firmware_sim.world.loader import Scenario
from tests.support.mosquitto import MosquittoBroker
from trace_api.core.db import create_engine
from trace_api.migrate import upgrade
from trace_api.models import metadata
from trace_api.recall import list_recalls
from trace_api.trace.service import trace


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> Scenario:
    out = tmp_path_factory.mktemp("feed") / "tiny"
    generate(out, seed=5, size="tiny", read_rate=0.9,
             anomalies="default,recalled_lot_sighted=0.01")  # fmt: skip
    scenario = load_scenario(out)
    assert scenario.recalls
    return scenario


def _farm_and_lot(scenario: Scenario) -> tuple[str, set[str]]:
    """A processed lot (transformation output) and the GLNs of its raw lots' origins."""
    events = list(scenario.iter_events())
    commissioned = {}
    for e in events:
        if e["type"] == "ObjectEvent" and e.get("bizStep") == "commissioning":
            for epc in e.get("epcList", []):
                commissioned[epc] = e["bizLocation"]["id"]
            commissioned[e["quantityList"][0]["epcClass"]] = e["bizLocation"]["id"]
    for e in events:
        if e["type"] == "TransformationEvent" and "inputEPCList" in e:
            origins = {commissioned[x] for x in e["inputEPCList"]}
            return e["outputQuantityList"][0]["epcClass"], origins
    raise AssertionError("no transformation")


def test_load_into_the_database_and_trace_a_lot_back_to_its_farms(
    tiny: Scenario, db_url: str
) -> None:
    engine = create_engine(db_url)
    try:
        upgrade(engine)
        seen: list[int] = []
        report = load_into_database(tiny, engine, seen.append)
        assert report.stored == tiny.meta["counts"]["events"] == sum(seen)
        assert report.refused == 0 and report.duplicates == 0
        assert report.locations == len(tiny.masterdata()["locations"])
        assert len(report.recalls) == len(tiny.recalls)
        recalled = [r.to_dict() for r in list_recalls(engine)]
        assert len(recalled) == len(tiny.recalls)
        assert sorted(r["reason"].rsplit(" (level", 1)[0] for r in recalled) == sorted(
            r["reason"] for r in tiny.recalls
        )

        lot, origins = _farm_and_lot(tiny)
        result = trace(engine, lot, "back").to_dict()
        places = {step["location"] for step in result["timeline"]}
        assert len(origins) >= 2
        for farm in origins:
            assert any(_same_place(place, farm) for place in places if place), farm
        again = load_into_database(tiny, engine)
        assert again.stored == 0 and again.duplicates == report.stored
    finally:
        engine.dispose()


def _same_place(canonical: str, sgln_urn: str) -> bool:
    """``https://id.gs1.org/414/<GLN>`` of ``urn:epc:id:sgln:P.L.0``."""
    from foodtrace.gs1.checkdigit import with_check_digit

    prefix, ref, _ = sgln_urn.rsplit(":", 1)[1].split(".")
    return canonical.endswith("/414/" + with_check_digit(prefix + ref))


def test_station_rows_cover_every_known_reader(tiny: Scenario) -> None:
    rows = station_rows(tiny)
    known = {loc["gln"] for loc in tiny.masterdata()["locations"]}
    assert rows and all(row["id"].split("-")[1] in known for row in rows)
    stations = {e["ft:stationID"] for e in tiny.iter_events()}
    unknown = {s for s in stations if s.split("-")[1] not in known}
    assert {row["id"] for row in rows} == stations - unknown


@pytest.mark.mosquitto
def test_publish_on_each_station_topic(tiny: Scenario, mosquitto: MosquittoBroker) -> None:
    user, password = next(iter(mosquitto.users.items()))
    root = "test/scenario"
    received: dict[str, int] = {}
    mismatched: list[str] = []
    done = threading.Event()
    total = tiny.meta["counts"]["events"]

    def on_message(client: mqtt.Client, userdata: object, msg: mqtt.MQTTMessage) -> None:
        station = msg.topic.split("/")[-2]
        doc = orjson.loads(msg.payload)
        events = doc["epcisBody"]["eventList"]
        assert 1 <= len(events) <= 50
        for event in events:
            received[event["eventID"]] = 1
            if (
                event["ft:stationID"] != station
                or msg.topic.split("/")[-3] != station.split("-")[1]
            ):
                mismatched.append(event["eventID"])
        if len(received) >= total:
            done.set()

    sub = mqtt.Client(CallbackAPIVersion.VERSION2, protocol=MQTTProtocolVersion.MQTTv5)
    sub.username_pw_set(user, password)
    sub.on_message = on_message
    subscribed = threading.Event()
    sub.on_subscribe = lambda *args: subscribed.set()
    sub.connect(mosquitto.host, mosquitto.port)
    sub.loop_start()
    try:
        sub.subscribe(f"{root}/+/+/events", qos=1)
        assert subscribed.wait(10)
        report = publish_mqtt(tiny, mosquitto.host, mosquitto.port, username=user,
                              password=password, root=root)  # fmt: skip
        assert report.published == total
        assert done.wait(30)
    finally:
        sub.loop_stop()
        sub.disconnect()
    assert len(received) == total and not mismatched


def test_registered_stations_are_stored(tiny: Scenario, tmp_path: Path) -> None:
    from firmware_sim.world.feed import LoadReport, _master, register_stations

    engine = create_engine(f"sqlite:///{tmp_path / 'db.sqlite'}")
    try:
        upgrade(engine)
        _master(engine, tiny, LoadReport())  # stations name their party and site
        count = register_stations(engine, tiny)
        assert register_stations(engine, tiny) == count  # upsert
        with engine.connect() as connection:
            stored = connection.execute(
                sa.select(sa.func.count()).select_from(metadata.tables["station"])
            ).scalar()
        assert stored == count == len(station_rows(tiny))
    finally:
        engine.dispose()


@pytest.mark.mosquitto
def test_the_ingest_stores_what_the_stations_publish(
    tmp_path: Path, mosquitto: MosquittoBroker
) -> None:
    """End to end: scenario → MQTT per station topic → ``foodtrace ingest`` worker → database.
    The ingest's station check refuses exactly the events that claim a place their station
    does not own (tampered bizLocation, unregistered read point)."""
    import uuid

    from firmware_sim.world.feed import LoadReport, _master, register_stations
    from tests.trace_api.ingest.support import event_count, run_until_idle, settings

    generate(tmp_path / "s", seed=8, size="tiny", days=2,
             anomalies="tampered_attribute=0.02,inserted_event=0.02,clone=0.01,"
                       "recalled_lot_sighted=0.02")  # fmt: skip
    scenario = load_scenario(tmp_path / "s")
    refused = {
        eid for label in scenario.labels
        if label.type in ("tampered_attribute", "inserted_event") for eid in label.event_ids
    }  # fmt: skip
    assert refused
    engine = create_engine(f"sqlite:///{tmp_path / 'db.sqlite'}")
    root = f"test/{uuid.uuid4().hex}"
    ingest = settings(mosquitto, client_id=f"ingest-{uuid.uuid4().hex[:8]}", topic_root=root)
    try:
        upgrade(engine)
        _master(engine, scenario, LoadReport())
        register_stations(engine, scenario)
        run_until_idle(engine, ingest, idle_s=0.3)  # the worker's persistent session
        user, password = next(iter(mosquitto.users.items()))
        publish_mqtt(scenario, mosquitto.host, mosquitto.port, username=user,
                     password=password, root=root)  # fmt: skip
        run_until_idle(engine, ingest, idle_s=1.5)
        total = scenario.meta["counts"]["events"]
        assert event_count(engine) == total - len(refused)
        with engine.connect() as connection:
            stored = set(connection.execute(sa.text("SELECT event_id FROM event")).scalars())
        assert not stored & refused
        assert scenario.recalls
        after = load_into_database(scenario, engine, events=False)  # `load --skip-events`
        assert after.stored == 0 and len(after.recalls) == len(scenario.recalls)
    finally:
        engine.dispose()
