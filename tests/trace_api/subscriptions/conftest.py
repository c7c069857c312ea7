"""Fixtures of the subscription tests: the app, tokens, a named query and a fast worker."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import orjson
import pytest
from sqlalchemy.engine import Engine

from tests.trace_api.api import chain
from tests.trace_api.api.client import TestClient
from trace_api.auth.tokens import create_token
from trace_api.core.config import Settings
from trace_api.main import create_app
from trace_api.models import metadata
from trace_api.subscriptions import DeliveryConfig, DeliveryWorker
from trace_api.subscriptions.collect import CollectPolicy
from trace_api.subscriptions.outbox import RetryPolicy

Headers = dict[str, str]
JSON = {"Content-Type": "application/json"}
TOKEN = "a-signature-token-of-the-subscriber"
FARM_PARTY = "4012345000009"


def bearer(token: str) -> Headers:
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def client(db: Engine, db_url: str) -> Iterator[TestClient]:
    app = create_app(Settings(db=db_url), engine=db)
    with TestClient(app) as test_client:
        yield test_client


@pytest.fixture
def regulator(db: Engine) -> Headers:
    return bearer(create_token(db, "regulator"))


@pytest.fixture
def farm_operator(db: Engine) -> Headers:
    """An operator whose party owns the farm location (it sees chain events 1, 2 and 3)."""
    with db.begin() as connection:
        party = connection.execute(
            metadata.tables["party"].insert().returning(metadata.tables["party"].c.id),
            {"gln": FARM_PARTY, "canonical": f"https://id.gs1.org/417/{FARM_PARTY}"},
        ).scalar_one()
        connection.execute(
            metadata.tables["location"].insert(),
            {
                "gln": chain.FARM,
                "canonical": "https://id.gs1.org/414/4012345000016",
                "party_id": party,
            },
        )
    return bearer(create_token(db, "operator", party=FARM_PARTY))


@pytest.fixture
def all_events(client: TestClient, regulator: Headers) -> str:
    """A named query matching every event: ``all``."""
    body = {
        "name": "all",
        "query": {
            "eventType": [
                "ObjectEvent",
                "AggregationEvent",
                "TransactionEvent",
                "TransformationEvent",
                "AssociationEvent",
            ]
        },
    }
    response = client.post(
        "/epcis/queries", content=orjson.dumps(body), headers={**regulator, **JSON}
    )
    assert response.status_code == 201, response.text
    return "all"


def capture(client: TestClient, headers: Headers, events: list[dict[str, object]]) -> None:
    """Capture through the REST interface and wait for the capture job to finish."""
    response = client.post(
        "/epcis/capture", content=orjson.dumps(chain.document(events)), headers={**headers, **JSON}
    )
    assert response.status_code == 202, response.text
    job = client.get(response.headers["Location"], headers=headers).json()
    assert job["running"] is False and job["success"] is True, job


def subscribe(
    client: TestClient, headers: Headers, query: str, **body: object
) -> dict[str, object]:
    response = client.post(
        f"/epcis/queries/{query}/subscriptions",
        content=orjson.dumps({"signatureToken": TOKEN, **body}),
        headers={**headers, **JSON},
    )
    assert response.status_code == 201, response.text
    view: dict[str, object] = response.json()
    return view


@pytest.fixture
def make_worker(db: Engine) -> Iterator[Callable[..., DeliveryWorker]]:
    """Workers with short retry delays (closed after the test)."""
    made: list[DeliveryWorker] = []

    def make(max_attempts: int = 4, max_events: int = 500) -> DeliveryWorker:
        config = DeliveryConfig(
            poll_interval_s=0.05,
            timeout_s=5,
            concurrency=4,
            collect=CollectPolicy(max_events=max_events),
            retry=RetryPolicy(max_attempts=max_attempts, backoff_base_s=0.05, backoff_max_s=0.2),
        )
        worker = DeliveryWorker(db, config)
        made.append(worker)
        return worker

    yield make
    for worker in made:
        worker.close()
