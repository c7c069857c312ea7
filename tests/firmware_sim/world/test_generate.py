"""The scenario directory: contract A's files, valid EPCIS, time order, determinism."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import orjson
import pytest

from firmware_sim.exceptions import ScenarioError
from firmware_sim.world import generate, load_scenario
from firmware_sim.world.anomalies import ANOMALY_TYPES, parse_spec
from firmware_sim.world.loader import Scenario
from foodtrace.epcis.validate import validate_document
from tests.firmware_sim.world.index import ScenarioIndex, when


def _files(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()
    }


def test_same_seed_and_options_give_byte_identical_output(tmp_path: Path) -> None:
    options = {"size": "tiny", "read_rate": 0.8, "anomalies": "default", "per_document": 500}
    generate(tmp_path / "a", seed=3, **options)  # type: ignore[arg-type]
    generate(tmp_path / "b", seed=3, **options)  # type: ignore[arg-type]
    generate(tmp_path / "c", seed=4, **options)  # type: ignore[arg-type]
    a, b, c = _files(tmp_path / "a"), _files(tmp_path / "b"), _files(tmp_path / "c")
    assert len(a) > 6 and a == b
    assert a["events/00000.json"] != c["events/00000.json"]


def test_memory_follows_one_day_not_the_scenario(tmp_path: Path) -> None:
    result = generate(tmp_path / "s", seed=1, size="tiny", days=12)
    assert result.events > 3_000
    # About one day of events is held at once (tiny: ~6 journeys a day, ~60 events each).
    assert 0 < result.peak_day < result.events / 6
    assert not (tmp_path / "s" / ".spool").exists()


def test_every_document_is_valid_epcis_2_0(small: Scenario) -> None:
    assert len(small.event_files) >= 4  # 2,000 events per document
    for doc in small.iter_documents():
        assert len(doc["epcisBody"]["eventList"]) <= 2000
        assert validate_document(doc) == []


def test_events_are_in_global_time_order_and_have_unique_ids(index: ScenarioIndex) -> None:
    times = [when(index.events[eid]["eventTime"]) for eid in index.order]
    assert times == sorted(times)
    assert len(index.order) == len(set(index.order)) == index.scenario.meta["counts"]["events"]


def test_scenario_json_follows_the_contract(small: Scenario, index: ScenarioIndex) -> None:
    meta = small.meta
    assert meta["format"] == "foodtrace-scenario/1"
    assert (meta["seed"], meta["size"], meta["read_rate"]) == (7, "small", 0.9)
    assert meta["start"] == index.events[index.order[0]]["eventTime"]
    assert meta["end"] == index.events[index.order[-1]]["eventTime"]
    counts = meta["counts"]
    assert set(counts["anomalies"]) == set(ANOMALY_TYPES)
    by_type = {t: sum(1 for lab in small.labels if lab.type == t) for t in ANOMALY_TYPES}
    assert counts["anomalies"] == by_type
    assert 5_000 <= counts["events"] <= 20_000
    seen = set(index.by_epc)
    assert counts["epcs"] >= meta["genuine_epcs"] > 0.9 * len(seen) * 0.9
    assert counts["lots"] == len(index.best_before)


def test_masterdata_loads_with_the_service_format(small: Scenario) -> None:
    from trace_api.storage.master import MasterDataFile

    parsed = MasterDataFile.model_validate(small.masterdata())
    kinds = {loc.kind for loc in parsed.locations}
    assert {"farm", "port", "packer", "processor", "dc", "retail"} <= kinds
    assert all(loc.latitude is not None and loc.longitude is not None for loc in parsed.locations)
    for product in parsed.products:
        assert product.name.zh and product.name.en and product.shelf_life_days
        assert product.ingredients


def test_routes_name_every_sold_product_with_profiles(
    small: Scenario, index: ScenarioIndex
) -> None:
    products = small.routes["products"]
    sold = {
        index.product_of_lot(index.lot_of_epc[e["epcList"][0]])["gtin"]
        for e in index.events.values()
        if e.get("bizStep") == "retail_selling" and e["epcList"][0] in index.lot_of_epc
    }
    assert len(sold) == 6
    for gtin in sold:
        assert products[gtin]["steps"][-1] == "retail_selling"
        assert "dc" in products[gtin]["dwell_hours"]
    for gtin, route in products.items():
        assert gtin in index.products
        assert route["steps"][0] == "commissioning"
        assert len(route["ctes"]) == len(route["steps"])
        assert route["authorised_region"]["countries"] == ["CN"]
        for lo, hi in route["transit_hours"].values():
            assert 0 < lo < hi
    ctes = {c for route in products.values() for c in route["ctes"]}
    assert {"harvesting", "cooling", "initial_packing", "first_land_based_receiving",
            "shipping", "receiving", "transformation"} <= ctes  # fmt: skip


def test_the_chain_has_the_expected_event_kinds(index: ScenarioIndex) -> None:
    kinds = {(e["type"], e.get("bizStep")) for e in index.events.values()}
    for expected in [
        ("ObjectEvent", "commissioning"),
        ("ObjectEvent", "shipping"),
        ("ObjectEvent", "receiving"),
        ("ObjectEvent", "storing"),
        ("AggregationEvent", "packing"),
        ("TransformationEvent", "commissioning"),
        ("ObjectEvent", "retail_selling"),
    ]:
        assert expected in kinds
    shipping = next(e for e in index.events.values() if e.get("bizStep") == "shipping")
    assert {s["type"] for s in shipping["sourceList"]} == {"owning_party", "location"}
    assert {b["type"] for b in shipping["bizTransactionList"]} == {"po", "desadv"}
    many = [
        e for e in index.events.values()
        if e["type"] == "TransformationEvent"
        and len({index.lot_of_epc.get(x) for x in e.get("inputEPCList", [])}) >= 2
    ]  # fmt: skip
    assert many, "no transformation of several raw lots"


def test_genuine_transit_stays_below_road_speed(index: ScenarioIndex) -> None:
    labelled = index.labelled_ids()
    ships: dict[str, dict[str, Any]] = {}
    checked = 0
    for eid in index.order:
        e = index.events[eid]
        if e.get("bizStep") not in ("shipping", "receiving") or eid in labelled:
            continue
        desadv = next(b["bizTransaction"] for b in e["bizTransactionList"] if b["type"] == "desadv")
        if e["bizStep"] == "shipping":
            ships[desadv] = e
        elif desadv in ships:
            assert index.speed_kmh(ships[desadv], e) < 80
            checked += 1
    assert checked > 500


def test_genuine_temperatures_stay_within_the_product_limits(index: ScenarioIndex) -> None:
    labelled = index.labelled_ids()
    checked = 0
    for eid, e in index.events.items():
        if "sensorElementList" not in e or eid in labelled:
            continue
        if "epcList" in e:
            epc = next(x for x in e["epcList"] if ":sgtin:" in x)
            product = index.product_of_lot(index.lot_of_epc[epc])
        else:  # raw milk, by quantity
            product = index.product_of_lot(e["quantityList"][0]["epcClass"])
        report = e["sensorElementList"][0]["sensorReport"][0]
        assert (
            product["temp_min_c"]
            <= report["minValue"]
            <= report["maxValue"]
            <= product["temp_max_c"]
        )
        checked += 1
    assert checked > 300


def test_nothing_is_sold_after_best_before_unless_labelled(index: ScenarioIndex) -> None:
    labelled = index.labelled_ids()
    for eid, e in index.events.items():
        if e.get("bizStep") != "retail_selling" or eid in labelled:
            continue
        lot = index.lot_of_epc.get(e["epcList"][0])
        assert lot is not None
        assert e["eventTime"][:10] <= index.best_before[lot]


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        ("none", dict.fromkeys(ANOMALY_TYPES, 0.0)),
        ("clone=0.5", {**dict.fromkeys(ANOMALY_TYPES, 0.0), "clone": 0.5}),
        ("default,clone=0", {**dict.fromkeys(ANOMALY_TYPES, 0.001), "clone": 0.0}),
    ],
)
def test_anomaly_spec(spec: str, expected: dict[str, float]) -> None:
    assert parse_spec(spec) == expected


@pytest.mark.parametrize("spec", ["cloning=0.1", "clone", "clone=x", "clone=2"])
def test_bad_anomaly_spec_is_refused(spec: str) -> None:
    with pytest.raises(ScenarioError, match="--anomalies"):
        parse_spec(spec)


def test_refuses_a_directory_that_holds_other_files(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("mine")
    with pytest.raises(ScenarioError, match="not empty"):
        generate(tmp_path, seed=1, size="tiny")
    with pytest.raises(ScenarioError, match="not a scenario"):
        generate(tmp_path, seed=1, size="tiny", force=True)
    assert (tmp_path / "notes.txt").read_text() == "mine"


def test_no_anomalies_means_no_labels(tmp_path: Path) -> None:
    generate(tmp_path / "s", seed=2, size="tiny", anomalies="none")
    scenario = load_scenario(tmp_path / "s")
    assert scenario.labels == [] and scenario.recalls == []
    assert json.loads((tmp_path / "s" / "recalls.json").read_text()) == {"recalls": []}
    first = orjson.loads(scenario.event_files[0].read_bytes())
    assert first["epcisBody"]["eventList"]
