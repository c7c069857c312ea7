"""Each labelled anomaly is really in the events, as its type describes."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest

from firmware_sim.world.anomalies import ANOMALY_TYPES
from firmware_sim.world.loader import Label, Scenario
from tests.firmware_sim.world.index import ScenarioIndex, epcs_of, gln_of, when

SPEED_LIMIT_KMH = 200.0


def _labels(small: Scenario, kind: str) -> list[Label]:
    found = [label for label in small.labels if label.type == kind]
    assert len(found) >= 2, f"too few {kind} labels to test"
    return found


def _events(index: ScenarioIndex, label: Label) -> list[dict[str, Any]]:
    return [index.events[eid] for eid in label.event_ids]


def test_every_type_is_injected_and_every_label_is_well_formed(
    small: Scenario, index: ScenarioIndex
) -> None:
    counts = Counter(label.type for label in small.labels)
    assert set(counts) == set(ANOMALY_TYPES)
    ids = [label.id for label in small.labels]
    assert ids == [f"A{n:06d}" for n in range(1, len(ids) + 1)]
    for label in small.labels:
        assert label.event_ids, label
        for eid in label.event_ids:
            assert eid in index.events, f"{label.id}: event {eid} missing"
        named = {epc for event in _events(index, label) for epc in epcs_of(event)}
        assert set(label.epcs) <= named, label.id
        for lot in label.lots:
            assert lot.startswith("urn:epc:class:lgtin:")


def test_impossible_travel_is_faster_than_any_vehicle(
    small: Scenario, index: ScenarioIndex
) -> None:
    for label in _labels(small, "impossible_travel"):
        ship, recv = _events(index, label)
        assert (ship["bizStep"], recv["bizStep"]) == ("shipping", "receiving")
        speed = index.speed_kmh(ship, recv)
        assert speed > SPEED_LIMIT_KMH
        assert speed == pytest.approx(label.params["speed_kmh"], rel=0.02)


def test_a_clone_is_sold_in_two_shops(small: Scenario, index: ScenarioIndex) -> None:
    for label in _labels(small, "clone"):
        (epc,) = label.epcs
        shops = {
            index.read_gln(index.events[eid])
            for eid in index.by_epc[epc]
            if index.events[eid]["bizStep"] == "retail_selling"
        }
        clone_sale = _events(index, label)[1]
        assert clone_sale["bizStep"] == "retail_selling"
        assert index.read_gln(clone_sale) == label.params["clone_location"]
        assert label.params["genuine_location"] != label.params["clone_location"]
        assert index.locations[label.params["clone_location"]]["kind"] == "retail"
        assert epc in index.commissioned
        assert len(shops) >= 1


def test_a_skipped_step_leaves_no_receiving_at_the_dc(
    small: Scenario, index: ScenarioIndex
) -> None:
    for label in _labels(small, "skipped_step"):
        ship, store = _events(index, label)
        assert (ship["bizStep"], store["bizStep"]) == ("shipping", "storing")
        dc = gln_of(store["bizLocation"]["id"])
        assert label.params == {"skipped": "receiving", "location": dc,
                                "between": ["shipping", "storing"]}  # fmt: skip
        start, end = when(ship["eventTime"]), when(store["eventTime"])
        between = [
            index.events[eid] for eid in index.by_epc[label.epcs[0]]
            if start < when(index.events[eid]["eventTime"]) < end
        ]  # fmt: skip
        assert not [e for e in between if e["bizStep"] == "receiving"]
        assert not any(
            e["bizStep"] == "receiving" and gln_of(e["bizLocation"]["id"]) == dc
            for eid in index.by_epc[label.epcs[0]]
            for e in [index.events[eid]]
        )


def test_out_of_order_stores_before_receiving(small: Scenario, index: ScenarioIndex) -> None:
    for label in _labels(small, "out_of_order"):
        store, recv = _events(index, label)
        assert (store["bizStep"], recv["bizStep"]) == ("storing", "receiving")
        assert store["bizLocation"] == recv["bizLocation"]
        assert when(store["eventTime"]) < when(recv["eventTime"])


def test_an_inserted_event_happens_at_an_unknown_place(
    small: Scenario, index: ScenarioIndex
) -> None:
    for label in _labels(small, "inserted_event"):
        (event,) = _events(index, label)
        assert index.location(event) is None
        assert index.read_gln(event) not in index.locations
        assert event["bizStep"] == label.params["bizStep"]


def test_a_replayed_event_repeats_an_original(small: Scenario, index: ScenarioIndex) -> None:
    variants = set()
    for label in _labels(small, "replayed_event"):
        (copy,) = _events(index, label)
        original = index.events[label.params["original_event_id"]]
        variants.add(label.params["variant"])
        delay = (when(copy["eventTime"]) - when(original["eventTime"])).total_seconds() / 3600
        assert delay == pytest.approx(label.params["delay_hours"], abs=0.01)
        differ = ("eventID", "eventTime", "sensorElementList")
        same = {k: v for k, v in copy.items() if k not in differ}
        assert same == {k: v for k, v in original.items() if k not in differ}
        assert copy["eventID"] != original["eventID"]
    assert variants <= {"duplicate", "replay"}


def test_a_tampered_business_location_contradicts_the_read_point(
    small: Scenario, index: ScenarioIndex
) -> None:
    for label in _labels(small, "tampered_attribute"):
        (event,) = _events(index, label)
        assert event["bizLocation"]["id"] == label.params["tampered"]
        assert gln_of(event["bizLocation"]["id"]) != index.read_gln(event)
        assert gln_of(label.params["original"]) == index.read_gln(event)


def test_excessive_dwell_exceeds_the_route_profile(small: Scenario, index: ScenarioIndex) -> None:
    for label in _labels(small, "excessive_dwell"):
        recv, ship = _events(index, label)
        assert (recv["bizStep"], ship["bizStep"]) == ("receiving", "shipping")
        gtin = index.product_of_lot(label.lots[0])["gtin"]
        limit = small.routes["products"][gtin]["dwell_hours"]["dc"][1]
        hours = (when(ship["eventTime"]) - when(recv["eventTime"])).total_seconds() / 3600
        assert hours > limit == label.params["max_hours"]


def test_a_diversion_ends_outside_the_authorised_chain(
    small: Scenario, index: ScenarioIndex
) -> None:
    for label in _labels(small, "diversion"):
        ship, recv = _events(index, label)
        gtin = index.product_of_lot(label.lots[0])["gtin"]
        route = small.routes["products"][gtin]
        where = index.location(recv)
        assert where is not None
        assert where["party"] not in route["authorised_parties"]
        lat0, lon0, lat1, lon1 = route["authorised_region"]["bbox"]
        assert not (lat0 <= where["latitude"] <= lat1 and lon0 <= where["longitude"] <= lon1)
        destination = {d["type"]: d["destination"] for d in ship["destinationList"]}
        assert gln_of(destination["location"]) == where["gln"]


def test_a_temperature_excursion_breaks_the_limit(small: Scenario, index: ScenarioIndex) -> None:
    for label in _labels(small, "temperature_excursion"):
        (event,) = _events(index, label)
        limit = index.product_of_lot(label.lots[0])["temp_max_c"]
        report = event["sensorElementList"][0]["sensorReport"]
        assert report[0]["maxValue"] > limit == label.params["limit_c"]
        above = [r["value"] for r in report[1:] if r["value"] > limit]
        assert above and label.params["degree_hours"] > 0 and label.params["hours_above"] > 0


def test_expired_goods_are_sold_after_best_before(small: Scenario, index: ScenarioIndex) -> None:
    for label in _labels(small, "expired_on_sale"):
        (sale,) = _events(index, label)
        assert sale["bizStep"] == "retail_selling"
        (lot,) = label.lots
        assert index.lot_of_epc[label.epcs[0]] == lot
        assert sale["eventTime"][:10] > index.best_before[lot] == label.params["best_before"]


def test_a_recalled_lot_is_sighted_after_the_recall(small: Scenario, index: ScenarioIndex) -> None:
    recalls = {r["lot"]: r for r in small.recalls}
    assert len(recalls) == len(small.recalls)
    for label in _labels(small, "recalled_lot_sighted"):
        (lot,) = label.lots
        declared = when(recalls[lot]["declared"])
        assert recalls[lot]["level"] in ("I", "II", "III")
        for event in _events(index, label):
            assert when(event["eventTime"]) > declared
            assert any(index.lot_of_epc.get(epc) == lot for epc in epcs_of(event))
        later = [
            eid for epc in label.epcs if ":sgtin:" in epc for eid in index.by_epc[epc]
            if when(index.events[eid]["eventTime"]) > declared
        ]  # fmt: skip
        assert set(later) <= set(label.event_ids)


def test_a_never_commissioned_epc_has_no_commissioning(
    small: Scenario, index: ScenarioIndex
) -> None:
    for label in _labels(small, "never_commissioned"):
        (epc,) = label.epcs
        assert epc not in index.commissioned
        assert set(index.by_epc[epc]) == set(label.event_ids)
        steps = [index.events[eid]["bizStep"] for eid in label.event_ids]
        assert steps == ["receiving", "retail_selling"]
