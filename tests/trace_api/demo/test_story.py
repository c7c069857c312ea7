"""The demo's story: valid documents, both reader protocols, stations that load as configured."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

from firmware_sim.scenario import epc_bytes
from foodtrace.epcis.validate import validate_document
from foodtrace.gs1.checkdigit import has_valid_check_digit
from trace_api.demo.stations import station_config, station_scenario
from trace_api.demo.story import (
    PRODUCTS,
    STATIONS,
    back_office_document,
    master_data,
    run_lots,
    sgln,
)
from trace_api.storage.master import MasterDataFile


def test_back_office_document_is_valid_epcis_and_names_this_runs_lots() -> None:
    now = datetime(2026, 5, 4, 9, 30, tzinfo=timezone(timedelta(hours=8)))
    doc = back_office_document(run_lots(3), now)
    assert validate_document(doc) == []
    events = doc["epcisBody"]["eventList"]
    assert [e["type"] for e in events] == ["ObjectEvent", "TransformationEvent"] * 2
    packing = events[1]
    assert packing["inputQuantityList"][0]["epcClass"].endswith(".GV0003")
    assert packing["outputEPCList"][0] == PRODUCTS[0].sgtin(3001)
    assert len({e["eventID"] for e in events}) == 4
    # the same run at the same moment gives the same eventIDs (idempotent capture)
    again = back_office_document(run_lots(3), now)["epcisBody"]["eventList"]
    assert [e["eventID"] for e in again] == [e["eventID"] for e in events]


def test_runs_never_share_lots_or_packs() -> None:
    first, second = run_lots(1), run_lots(2)
    for product in PRODUCTS:
        assert first.lot(product) != second.lot(product)
        assert not set(first.packs(product)) & set(second.packs(product))


def test_master_data_loads_and_keys_are_valid() -> None:
    parsed = MasterDataFile.model_validate(master_data())
    assert len(parsed.parties) == 5 and len(parsed.locations) == 5
    assert all(has_valid_check_digit(p.gtin) for p in parsed.products)
    kinds = {loc.kind for loc in parsed.locations}
    assert kinds == {"farm", "packer", "dc", "retail"}
    owners = {loc.gln: loc.party for loc in parsed.locations}
    for station in STATIONS:  # the registry gets each station's party from LOCATION_PARTY
        assert owners[sgln(station.location_ref)] == station.party


def test_stations_use_both_protocols_and_see_the_packs_in_story_order(tmp_path: Path) -> None:
    assert {s.protocol for s in STATIONS} == {"r2000", "mercury"}
    lots = run_lots(1)
    enters = []
    for station in STATIONS:
        scenario = station_scenario(station, lots)
        expected = lots.packs_seen_by(station)
        assert [t.epc for t in scenario.tags] == [epc_bytes(e) for e in expected]
        enters.append((station.stage, min(t.enter_s for t in scenario.tags)))
        config = station_config(station, "/dev/null", 1883, "secret", tmp_path / "o.sqlite3")
        assert config.reader.protocol == station.protocol
        assert config.role.kind == station.role
        assert config.metrics.enabled is False  # five agents in one process: no fixed port
    # the farms first, then packhouse, DC and store, each strictly later than the one before
    by_stage = dict(enters)
    assert by_stage[0] < by_stage[1] < by_stage[2] < by_stage[3]
    assert len(lots.packs_seen_by(STATIONS[0])) == 6
    assert len(lots.packs_seen_by(STATIONS[-1])) == 12
    sensors = [s for s in STATIONS if s.sensor]
    assert sensors and all(
        t.temperature_c is not None and 0 <= t.temperature_c <= 5
        for t in station_scenario(sensors[0], lots).tags
    )
