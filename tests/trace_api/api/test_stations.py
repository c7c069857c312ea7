"""/api/v1/stations: regulators register stations, and the station role's capture guard obeys
what they registered."""

from __future__ import annotations

import orjson
from sqlalchemy.engine import Engine

from tests.trace_api.api import chain
from tests.trace_api.api.client import TestClient
from tests.trace_api.api.conftest import bearer
from trace_api.auth.tokens import create_token
from trace_api.storage import load_master_data

Headers = dict[str, str]
JSON = {"Content-Type": "application/json"}


def test_register_capture_redefine_remove(
    client: TestClient, regulator: Headers, db: Engine
) -> None:
    load_master_data(db, {"parties": [{"gln": "4012345000009"}]})
    definition = {"read_points": [chain.FARM_DOCK], "party": "urn:epc:id:pgln:4012345.00000"}
    created = client.put("/api/v1/stations/dock-9", json=definition, headers=regulator)
    assert created.status_code == 201, created.text
    assert created.json() == {
        "id": "dock-9",
        "read_points": [chain.FARM_DOCK],
        "biz_locations": [],
        "party": "4012345000009",
        "site": None,
    }
    dock = bearer(create_token(db, "station", station_id="dock-9"))
    packing = chain.events()[1]  # readPoint FARM_DOCK, bizLocation FARM
    refused = client.post("/epcis/events", content=orjson.dumps(packing), headers={**dock, **JSON})
    assert refused.status_code == 403  # its bizLocation is not the station's
    both = {**definition, "biz_locations": [chain.FARM]}
    replaced = client.put("/api/v1/stations/dock-9", json=both, headers=regulator)
    assert replaced.status_code == 200
    stored = client.post("/epcis/events", content=orjson.dumps(packing), headers={**dock, **JSON})
    assert stored.status_code == 201, stored.text
    listed = client.get("/api/v1/stations", headers=regulator).json()["stations"]
    assert [s["id"] for s in listed] == ["dock-9"]
    assert client.delete("/api/v1/stations/dock-9", headers=regulator).status_code == 204
    assert client.get("/api/v1/stations/dock-9", headers=regulator).status_code == 404
    assert client.delete("/api/v1/stations/dock-9", headers=regulator).status_code == 404
    again = chain.events()[0]
    gone = client.post("/epcis/events", content=orjson.dumps(again), headers={**dock, **JSON})
    assert gone.status_code == 403 and "not registered" in gone.json()["detail"]


def test_bad_definitions_are_problems(client: TestClient, regulator: Headers) -> None:
    for definition, fragment in (
        ({}, "at least one read point"),
        ({"read_points": ["dock door 3"]}, "not a GS1 location"),
        ({"read_points": [chain.FARM], "party": "4012345000009"}, "unknown party"),
        ({"read_points": [chain.FARM], "colour": "red"}, "colour"),
    ):
        response = client.put("/api/v1/stations/dock-9", json=definition, headers=regulator)
        assert response.status_code == 400, response.text
        assert response.headers["content-type"] == "application/problem+json"
        assert fragment in response.text
    bad_id = client.put(
        "/api/v1/stations/a b", json={"read_points": [chain.FARM]}, headers=regulator
    )
    assert bad_id.status_code == 400 and "station id" in bad_id.json()["detail"]


def test_only_regulators(client: TestClient, station: Headers, db: Engine) -> None:
    operator = bearer(create_token(db, "operator", party="4012345000009"))
    for headers, status in ((station, 403), (operator, 403), ({}, 401)):
        assert client.get("/api/v1/stations", headers=headers).status_code == status
        put = client.put("/api/v1/stations/x", json={"read_points": [chain.FARM]}, headers=headers)
        assert put.status_code == status
