"""All 22 official EPCIS examples: captured through /epcis/capture and queried back verbatim."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson
import pytest

from foodtrace.epcis.hash import event_hash_id
from foodtrace.epcis.jsonld import context_namespaces
from tests.epcis.epcis_data import EXAMPLES, events_of, load
from tests.trace_api.api.client import TestClient

CAPTURE_DOCUMENT = "application/ld+json"


def _event_ids(doc: dict[str, Any]) -> list[str]:
    namespaces = context_namespaces(doc.get("@context"))
    return [e.get("eventID") or event_hash_id(e, namespaces) for e in events_of(doc)]


def _capture(client: TestClient, token: dict[str, str], body: bytes) -> dict[str, Any]:
    response = client.post(
        "/epcis/capture",
        content=body,
        headers={**token, "Content-Type": CAPTURE_DOCUMENT},
    )
    assert response.status_code == 202, response.text
    job = client.get(response.headers["Location"], headers=token)
    assert job.status_code == 200
    result: dict[str, Any] = job.json()
    return result


def test_twenty_two_examples(tmp_path: Path) -> None:
    assert len(EXAMPLES) == 22


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_example_round_trip(client: TestClient, regulator: dict[str, str], path: Path) -> None:
    doc = load(path)
    job = _capture(client, regulator, orjson.dumps(doc))
    assert job["running"] is False
    assert job["success"] is True, job["errors"]
    assert job["errors"] == []
    events = events_of(doc)
    ids = _event_ids(doc)
    assert job["storedCount"] + job["duplicateCount"] == len(events)
    for event, event_id in zip(events, ids, strict=True):
        response = client.get("/epcis/events", params={"EQ_eventID": event_id}, headers=regulator)
        assert response.status_code == 200, response.text
        body = response.json()
        assert body["type"] == "EPCISQueryDocument"
        found = body["epcisBody"]["queryResults"]["resultsBody"]["eventList"]
        assert found == [event]
        # The document's own prefixes are bound in the answer's @context.
        for entry in doc["@context"] if isinstance(doc["@context"], list) else [doc["@context"]]:
            assert entry in body["@context"]
    again = _capture(client, regulator, orjson.dumps(doc))
    assert again["storedCount"] == 0
    assert again["duplicateCount"] == len(events)
