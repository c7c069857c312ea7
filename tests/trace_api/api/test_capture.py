"""POST /epcis/capture and /epcis/events: error behaviours, duplicates, problems, limits."""

from __future__ import annotations

import copy
from typing import Any

import orjson

from tests.trace_api.api import chain
from tests.trace_api.api.client import TestClient

Headers = dict[str, str]
JSON = {"Content-Type": "application/json"}


def _broken() -> dict[str, Any]:
    """The chain with event 2 (index 1) lacking its eventTime and event 5 (index 4) with a bad
    action."""
    doc = chain.document()
    events = doc["epcisBody"]["eventList"]
    del events[1]["eventTime"]
    events[4]["action"] = "UPSERT"
    return doc


def _all_ids(client: TestClient, headers: Headers) -> set[str]:
    response = client.get("/epcis/events", params={"perPage": "100"}, headers=headers)
    assert response.status_code == 200
    found = response.json()["epcisBody"]["queryResults"]["resultsBody"]["eventList"]
    return {e["eventID"] for e in found}


def test_options_advertise_limits(client: TestClient) -> None:
    response = client.options("/epcis/capture")
    assert response.status_code == 204
    assert response.headers["GS1-EPCIS-Capture-Limit"] == "500"
    assert response.headers["GS1-EPCIS-Capture-File-Size-Limit"] == "2000000"
    assert "proceed" in response.headers["GS1-Capture-Error-Behaviour"]
    assert response.headers["GS1-EPCIS-Version"] == "2.0.0"


def test_rollback_stores_nothing(client: TestClient, regulator: Headers) -> None:
    response = client.post(
        "/epcis/capture", content=orjson.dumps(_broken()), headers={**regulator, **JSON}
    )
    assert response.status_code == 400
    assert response.headers["content-type"] == "application/problem+json"
    problem = response.json()
    assert problem["type"] == "epcisException:ValidationException"
    assert problem["instance"] == "/epcis/capture"
    indexes = {e["eventIndex"] for e in problem["errors"]}
    assert indexes == {1, 4}
    pointers = {e["pointer"] for e in problem["errors"]}
    assert "/epcisBody/eventList/4/action" in pointers
    assert all(e["message"] and e["rule"] for e in problem["errors"])
    assert _all_ids(client, regulator) == set()
    jobs = client.get("/epcis/capture", headers=regulator).json()
    assert len(jobs) == 1
    assert jobs[0]["running"] is False and jobs[0]["success"] is False
    assert jobs[0]["captureErrorBehaviour"] == "rollback"


def test_proceed_stores_the_valid_events(client: TestClient, regulator: Headers) -> None:
    response = client.post(
        "/epcis/capture",
        content=orjson.dumps(_broken()),
        headers={**regulator, **JSON, "GS1-Capture-Error-Behaviour": "proceed"},
    )
    assert response.status_code == 202, response.text
    job = client.get(response.headers["Location"], headers=regulator).json()
    assert job["running"] is False
    assert job["success"] is False
    assert job["captureErrorBehaviour"] == "proceed"
    assert job["storedCount"] == 4
    assert {e["eventIndex"] for e in job["errors"]} == {1, 4}
    assert _all_ids(client, regulator) == {chain.event_id(n) for n in (1, 3, 4, 6)}


def test_bad_error_behaviour(client: TestClient, regulator: Headers) -> None:
    response = client.post(
        "/epcis/capture",
        content=orjson.dumps(chain.document()),
        headers={**regulator, **JSON, "GS1-Capture-Error-Behaviour": "ignore"},
    )
    assert response.status_code == 400
    assert "rollback or proceed" in response.json()["detail"]


def test_unknown_capture_job(client: TestClient, regulator: Headers) -> None:
    response = client.get("/epcis/capture/nope", headers=regulator)
    assert response.status_code == 404
    assert response.json()["type"] == "epcisException:NoSuchResourceException"


def test_post_event_then_duplicate(client: TestClient, regulator: Headers) -> None:
    event = chain.events()[0]
    response = client.post(
        "/epcis/events", content=orjson.dumps(event), headers={**regulator, **JSON}
    )
    assert response.status_code == 201, response.text
    assert response.headers["Location"] == "/epcis/events/" + chain.event_id(1).replace(":", "%3A")
    again = client.post("/epcis/events", content=orjson.dumps(event), headers={**regulator, **JSON})
    assert again.status_code == 409
    assert chain.event_id(1) in again.json()["detail"]


def test_post_event_without_id_uses_the_hash(client: TestClient, regulator: Headers) -> None:
    event = chain.events()[2]
    del event["eventID"]
    first = client.post("/epcis/events", content=orjson.dumps(event), headers={**regulator, **JSON})
    assert first.status_code == 201
    assert first.headers["Location"].startswith("/epcis/events/ni%3A%2F%2F%2Fsha-256")
    reordered = copy.deepcopy(event)
    reordered["epcList"] = list(reversed(reordered["epcList"]))
    reordered = dict(reversed(list(reordered.items())))
    second = client.post(
        "/epcis/events", content=orjson.dumps(reordered), headers={**regulator, **JSON}
    )
    assert second.status_code == 409


def test_post_invalid_event(client: TestClient, regulator: Headers) -> None:
    event = chain.events()[0]
    event["action"] = "UPSERT"
    response = client.post(
        "/epcis/events", content=orjson.dumps(event), headers={**regulator, **JSON}
    )
    assert response.status_code == 400
    problem = response.json()
    assert problem["errors"][0]["pointer"] == "/action"
    assert problem["errors"][0]["eventIndex"] == 0
    assert "/action" in problem["detail"]


def test_capture_limit_events(client: TestClient, regulator: Headers) -> None:
    events = []
    for n in range(501):
        event = chain.events()[0]
        event["eventID"] = f"urn:uuid:00000000-0000-4000-8000-{n:012d}"
        events.append(event)
    response = client.post(
        "/epcis/capture",
        content=orjson.dumps(chain.document(events)),
        headers={**regulator, **JSON},
    )
    assert response.status_code == 413
    assert response.json()["type"] == "epcisException:CaptureLimitExceededException"
    assert "limit is 500" in response.json()["detail"]
