"""WebSocket subscriptions: ``/epcis/queries/{name}/events`` upgraded to a WebSocket."""

from __future__ import annotations

import time
from collections.abc import Callable

import orjson
import pytest
from sqlalchemy.engine import Engine
from starlette.websockets import WebSocketDisconnect

from tests.trace_api.api import chain
from tests.trace_api.api.client import TestClient
from tests.trace_api.subscriptions.conftest import Headers, bearer, capture
from trace_api.auth.tokens import create_token
from trace_api.core.config import Settings
from trace_api.main import create_app
from trace_api.subscriptions import DeliveryWorker


@pytest.fixture
def fast_client(db: Engine, db_url: str) -> TestClient:
    app = create_app(Settings(db=db_url, webhook_poll_interval_s=0.05), engine=db)
    return TestClient(app)


def _ids(text: str) -> list[str]:
    document = orjson.loads(text)
    assert document["type"] == "EPCISQueryDocument"
    results = document["epcisBody"]["queryResults"]
    return [e["eventID"] for e in results["resultsBody"]["eventList"]]


def test_stream_over_websocket(
    fast_client: TestClient,
    regulator: Headers,
    farm_operator: Headers,
    make_worker: Callable[..., DeliveryWorker],
) -> None:
    with fast_client as client:
        query = {"name": "all", "query": {"eventType": ["ObjectEvent", "AggregationEvent"]}}
        assert client.post("/epcis/queries", json=query, headers=regulator).status_code == 201
        path = "/epcis/queries/all/events?stream=true"
        with (
            client.websocket_connect(path, headers=regulator) as everything,
            client.websocket_connect(path, headers=farm_operator) as farm,
        ):
            listed = client.get("/epcis/queries/all/subscriptions", headers=regulator).json()
            assert [s["dest"] for s in listed] == ["websocket:", "websocket:"]
            capture(client, regulator, chain.events()[:3])
            # The webhook worker leaves WebSocket subscriptions to their connections.
            assert make_worker().run_once().idle
            assert _ids(everything.receive_text()) == [chain.event_id(n) for n in (1, 2, 3)]
            assert _ids(farm.receive_text()) == [chain.event_id(n) for n in (1, 2, 3)]
            capture(client, regulator, chain.events()[4:6])
            assert _ids(everything.receive_text()) == [chain.event_id(5), chain.event_id(6)]
        # Gone with the connection.
        deadline = time.monotonic() + 10
        while client.get("/epcis/queries/all/subscriptions", headers=regulator).json():
            assert time.monotonic() < deadline, "the subscriptions outlived their connections"
            time.sleep(0.05)


@pytest.mark.parametrize(
    ("path", "code", "reason"),
    [
        ("/epcis/queries/all/events?stream=true", 1008, "bearer token is required"),
        ("/epcis/queries/all/events", 1003, "either stream must be true or a schedule"),
        ("/epcis/queries/all/events?stream=true&hour=1", 1003, "mutually exclusive"),
        ("/epcis/queries/all/events?minute=99", 1003, "schedule.minute"),
        ("/epcis/queries/nope/events?stream=true", 1003, "no named query 'nope'"),
    ],
)
def test_refused_handshakes(
    fast_client: TestClient, db: Engine, regulator: Headers, path: str, code: int, reason: str
) -> None:
    with fast_client as client:
        query = {"name": "all", "query": {"eventType": "ObjectEvent"}}
        assert client.post("/epcis/queries", json=query, headers=regulator).status_code == 201
        headers = {} if code == 1008 else regulator
        with (
            pytest.raises(WebSocketDisconnect) as refused,
            client.websocket_connect(path, headers=headers),
        ):
            pass
        assert refused.value.code == code
        assert reason in refused.value.reason
        station = bearer(create_token(db, "public"))
        with (
            pytest.raises(WebSocketDisconnect) as forbidden,
            client.websocket_connect("/epcis/queries/all/events?stream=true", headers=station),
        ):
            pass
        assert forbidden.value.code == 1008


def test_deleting_the_query_closes_the_websocket(
    fast_client: TestClient, regulator: Headers
) -> None:
    with fast_client as client:
        query = {"name": "all", "query": {"eventType": "ObjectEvent"}}
        assert client.post("/epcis/queries", json=query, headers=regulator).status_code == 201
        path = "/epcis/queries/all/events?stream=true"
        with client.websocket_connect(path, headers=regulator) as websocket:
            assert client.delete("/epcis/queries/all", headers=regulator).status_code == 204
            with pytest.raises(WebSocketDisconnect) as closed:
                websocket.receive_text()
        assert (closed.value.code, closed.value.reason) == (1000, "unsubscribed")
