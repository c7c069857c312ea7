"""Top-level resources (/bizSteps …) and named queries (/queries)."""

from __future__ import annotations

from urllib.parse import quote

import orjson
import pytest

from tests.trace_api.api import chain
from tests.trace_api.api.client import TestClient

Headers = dict[str, str]
JSON = {"Content-Type": "application/json"}


@pytest.fixture
def captured(client: TestClient, regulator: Headers) -> TestClient:
    response = client.post(
        "/epcis/capture", content=orjson.dumps(chain.document()), headers={**regulator, **JSON}
    )
    assert response.status_code == 202
    return client


def _ids(response: object) -> set[int]:
    from httpx import Response

    assert isinstance(response, Response)
    assert response.status_code == 200, response.text
    found = response.json()["epcisBody"]["queryResults"]["resultsBody"]["eventList"]
    return {int(e["eventID"][-1]) for e in found}


def test_collections(captured: TestClient, regulator: Headers) -> None:
    types = captured.get("/epcis/eventTypes", headers=regulator).json()
    assert types["type"] == "Collection"
    assert "TransformationEvent" in types["member"]
    steps = captured.get("/epcis/bizSteps", headers=regulator).json()["member"]
    assert set(steps) == {
        "commissioning",
        "packing",
        "https://ref.gs1.org/cbv/BizStep-shipping",
        "repackaging",
        "receiving",
        "inspecting",
    }
    points = captured.get("/epcis/readPoints", params={"perPage": "2"}, headers=regulator)
    assert len(points.json()["member"]) == 2
    epcs = captured.get("/epcis/epcs", params={"perPage": "1000"}, headers=regulator).json()
    assert chain.ITEM1 in epcs["member"] and chain.LOT1 not in epcs["member"]


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/epcis/eventTypes/AggregationEvent/events", {2}),
        (f"/epcis/epcs/{chain.ITEM1}/events", {1, 2, 4}),
        ("/epcis/bizSteps/shipping/events", {3}),
        (f"/epcis/bizLocations/{chain.FARM}/events", {1, 2}),
        (f"/epcis/readPoints/{quote(chain.SHOP, safe='')}/events", {5, 6}),
        ("/epcis/dispositions/in_transit/events", {3}),
        (f"/epcis/readPoints/{chain.SHOP}/events?EQ_action=OBSERVE", {6}),
    ],
)
def test_resource_events(
    captured: TestClient, regulator: Headers, path: str, expected: set[int]
) -> None:
    assert _ids(captured.get(path, headers=regulator)) == expected


def test_named_query_lifecycle(captured: TestClient, regulator: Headers) -> None:
    definition = {"name": "cold", "query": {"EQ_bizStep": ["shipping", "receiving"]}}
    created = captured.post(
        "/epcis/queries", content=orjson.dumps(definition), headers={**regulator, **JSON}
    )
    assert created.status_code == 201
    assert created.headers["Location"] == "/epcis/queries/cold"
    again = captured.post(
        "/epcis/queries", content=orjson.dumps(definition), headers={**regulator, **JSON}
    )
    assert again.status_code == 409
    assert captured.get("/epcis/queries", headers=regulator).json() == [definition]
    assert captured.get("/epcis/queries/cold", headers=regulator).json() == definition
    events = captured.get("/epcis/queries/cold/events", headers=regulator)
    assert _ids(events) == {3, 5}
    assert events.json()["epcisBody"]["queryResults"]["queryName"] == "cold"
    paged = captured.get("/epcis/queries/cold/events?perPage=1", headers=regulator)
    assert len(_ids(paged)) == 1 and "Link" in paged.headers
    assert captured.delete("/epcis/queries/cold", headers=regulator).status_code == 204
    assert captured.get("/epcis/queries/cold/events", headers=regulator).status_code == 404


@pytest.mark.parametrize(
    "definition",
    [
        {"name": "x", "query": {"EQ_colour": "red"}},
        {"name": "", "query": {}},
        {"name": "a/b", "query": {}},
        {"name": "x", "query": {"EQ_bizStep": [{"nested": 1}]}},
        {"name": "x"},
        ["not", "an", "object"],
    ],
)
def test_bad_named_queries(captured: TestClient, regulator: Headers, definition: object) -> None:
    response = captured.post(
        "/epcis/queries", content=orjson.dumps(definition), headers={**regulator, **JSON}
    )
    assert response.status_code == 400
    assert response.headers["content-type"] == "application/problem+json"
