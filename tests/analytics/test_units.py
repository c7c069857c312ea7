"""The quantities the detectors compute: distance, route kinds, degree·hours, Q10 ageing."""

from __future__ import annotations

import pytest

from analytics.context import step_kinds
from analytics.detectors.expiry import Q10, extra_ageing_hours
from analytics.detectors.temperature import degree_hours
from analytics.events import parse_event
from analytics.geo import haversine_km, in_bbox


def test_haversine_known_distances() -> None:
    # Paris – London (≈ 343.5 km great circle), and zero distance
    assert haversine_km(48.8566, 2.3522, 51.5074, -0.1278) == pytest.approx(343.5, abs=1.0)
    assert haversine_km(30.0, 120.0, 30.0, 120.0) == 0.0
    assert in_bbox(31.0, 121.0, (28.0, 115.0, 34.0, 123.0))
    assert not in_bbox(39.9, 116.4, (28.0, 115.0, 34.0, 123.0))


def test_step_kinds_from_transit_chain() -> None:
    steps = ["commissioning", "shipping", "receiving", "shipping", "receiving", "retail_selling"]
    kinds = step_kinds(steps, {"dc->retail": (1, 2), "farm->dc": (1, 2)})
    assert kinds == ["farm", "farm", "dc", "dc", "retail", "retail"]
    assert step_kinds(steps, {"farm->dc": (1, 2)}) == [None] * 6


def _sensor(mean: float, hours: float) -> dict[str, object]:
    return {
        "type": "ObjectEvent",
        "eventTime": "2026-01-01T10:00:00Z",
        "eventTimeZoneOffset": "+00:00",
        "action": "OBSERVE",
        "epcList": ["urn:epc:id:sgtin:0614141.100001.1"],
        "sensorElementList": [
            {
                "sensorMetadata": {
                    "startTime": "2026-01-01T07:00:00Z",
                    "endTime": f"2026-01-01T{7 + hours:02.0f}:00:00Z",
                },
                "sensorReport": [{"type": "gs1:Temperature", "meanValue": mean, "uom": "CEL"}],
            }
        ],
    }


def test_degree_hours_and_q10() -> None:
    warm = parse_event(_sensor(12.0, 3), 0)
    assert degree_hours(warm, 0.0, 5.0) == pytest.approx(21.0)
    cold = parse_event(_sensor(-2.0, 3), 1)
    assert degree_hours(cold, 0.0, 5.0) == pytest.approx(6.0)
    fine = parse_event(_sensor(4.0, 3), 2)
    assert degree_hours(fine, 0.0, 5.0) == 0.0
    # 3 h at 15 °C with Tmax 5 °C age like 3·Q10 h: 3 extra hours for Q10 = 2
    hot = parse_event(_sensor(15.0, 3), 3)
    assert extra_ageing_hours([hot], 5.0, hot.time) == pytest.approx(3 * (Q10 - 1))
    assert extra_ageing_hours([fine], 5.0, fine.time) == 0.0


def test_fahrenheit_reports_are_converted() -> None:
    event = _sensor(50.0, 1)
    event["sensorElementList"][0]["sensorReport"][0]["uom"] = "FAH"  # type: ignore[index]
    assert parse_event(event, 0).readings[0].mean == pytest.approx(10.0)


def test_routes_learned_from_history(world_dirs) -> None:
    from analytics.evaluate import load_scenario_dir
    from analytics.identifiers import party_canon
    from analytics.profile import learn_routes
    from tests.analytics.world import GTIN, PARTIES, ROUTE_STEPS, gln

    scenario = load_scenario_dir(world_dirs[0.9])
    scenario.context.routes.clear()
    (route,) = learn_routes(scenario.journeys, scenario.context).values()
    assert route.learned
    # the world's route, with the cold-chain report every lot gets at the DC
    assert route.steps == [*ROUTE_STEPS[:3], "sensor_reporting", *ROUTE_STEPS[3:]]
    assert route.kinds == ["farm", "farm", "dc", "dc", "dc", "retail", "retail"]
    assert {
        party_canon(gln(PARTIES[p])) for p in ("farm", "dc", "shop")
    } <= route.authorised_parties
    assert set(learn_routes(scenario.journeys, scenario.context)) == {GTIN}
    assert route.dwell_hours["dc"][1] >= 20


def test_journeys_as_a_dataframe(world_dirs) -> None:
    from analytics.evaluate import load_scenario_dir
    from analytics.identifiers import canon
    from tests.analytics.world import epc

    scenario = load_scenario_dir(world_dirs[1.0])
    item = canon(epc(1000))
    frame = scenario.journeys.to_frame(scenario.context, [item])
    assert list(frame["biz_step"]) == [
        "commissioning",
        "shipping",
        "receiving",
        "sensor_reporting",
        "shipping",
        "receiving",
        "retail_selling",
    ]
    assert list(frame["location_kind"]) == ["farm", "farm", "dc", "dc", "dc", "retail", "retail"]
    assert frame["time"].is_monotonic_increasing
    assert str(frame["time"].dt.tz) == "UTC"
    assert frame["latitude"].notna().all()
    assert frame.loc[frame["biz_step"] == "sensor_reporting", "temp_max_c"].item() == 3.0
    assert set(frame["lot"]) == {canon("urn:epc:class:lgtin:0614141.100001.L001")}
