"""Hostile requests get precise 4xx problems, never a 500."""

from __future__ import annotations

from collections.abc import Iterator

import orjson
import pytest

from tests.trace_api.api import chain
from tests.trace_api.api.client import TestClient

Headers = dict[str, str]


def _problem(response: object, status: int) -> dict[str, object]:
    from httpx import Response

    assert isinstance(response, Response)
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    body: dict[str, object] = response.json()
    assert body["status"] == status
    return body


def test_body_over_the_size_limit(client: TestClient, regulator: Headers) -> None:
    body = b'{"pad": "' + b"x" * 2_100_000 + b'"}'
    response = client.post(
        "/epcis/capture", content=body, headers={**regulator, "Content-Type": "application/json"}
    )
    assert "2000000 bytes" in str(_problem(response, 413)["detail"])


def test_streamed_body_without_length(client: TestClient, regulator: Headers) -> None:
    def chunks() -> Iterator[bytes]:
        for _ in range(30):
            yield b" " * 100_000

    response = client.post(
        "/epcis/capture",
        content=chunks(),
        headers={**regulator, "Content-Type": "application/json"},
    )
    _problem(response, 413)


@pytest.mark.parametrize("content_type", ["text/plain", "application/xml", ""])
def test_wrong_content_type(client: TestClient, regulator: Headers, content_type: str) -> None:
    response = client.post(
        "/epcis/capture",
        content=orjson.dumps(chain.document()),
        headers={**regulator, "Content-Type": content_type},
    )
    assert "not supported" in str(_problem(response, 415)["detail"])


@pytest.mark.parametrize(
    ("body", "fragment"),
    [
        (b"{not json", "not JSON"),
        (b'{"a": "\xff"}', "not UTF-8"),
        (b"[" * 5000 + b"]" * 5000, "nests deeper"),
        (b'{"a":' * 100 + b"1" + b"}" * 100, "nests deeper"),
        (b"42", "not an EPCIS document"),
    ],
)
def test_malformed_bodies(
    client: TestClient, regulator: Headers, body: bytes, fragment: str
) -> None:
    response = client.post(
        "/epcis/capture", content=body, headers={**regulator, "Content-Type": "application/json"}
    )
    problem = _problem(response, 400)
    assert fragment in str(problem["detail"]) or fragment in orjson.dumps(problem).decode()


@pytest.mark.parametrize(
    "query",
    [
        "EQ_bizStep=%ZZ%",
        "MATCH_epc=" + "a" * 5000,
        "x" * 500 + "=1",
        "&".join(f"EQ_p{n}=1" for n in range(200)),
        "nextPageToken=%00%ff",
        "nextPageToken=" + "A" * 3000,
        "GE_eventTime=2026-13-45T99:00:00Z",
        "EQ_quantity=1e99999",
    ],
)
def test_hostile_queries(client: TestClient, regulator: Headers, query: str) -> None:
    response = client.get(f"/epcis/events?{query}", headers=regulator)
    assert response.status_code in (200, 400), response.text
    if response.status_code == 400:
        _problem(response, 400)


def test_unknown_path_is_a_problem(client: TestClient, regulator: Headers) -> None:
    _problem(client.get("/epcis/nothing", headers=regulator), 404)
    _problem(client.delete("/epcis/events", headers=regulator), 405)


@pytest.mark.parametrize(
    "query", ["EQ_bizStep=a%00b", "MATCH_epc=%00", "EQ_eventID=x%00", "GE_eventTime=%00"]
)
def test_nul_characters(client: TestClient, regulator: Headers, query: str) -> None:
    problem = _problem(client.get(f"/epcis/events?{query}", headers=regulator), 400)
    assert "NUL" in str(problem["detail"])


def test_nul_in_event_path(client: TestClient, regulator: Headers) -> None:
    _problem(client.get("/epcis/events/abc%00def", headers=regulator), 400)


def test_nul_in_a_captured_event(client: TestClient, regulator: Headers) -> None:
    event = chain.events()[0]
    event["bizStep"] = "commissioning\u0000"
    response = client.post(
        "/epcis/events",
        content=orjson.dumps(event),
        headers={**regulator, "Content-Type": "application/json"},
    )
    assert "NUL" in str(_problem(response, 400)["detail"])


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/epcis/capture/a%00b"),
        ("GET", "/epcis/queries/a%00b"),
        ("GET", "/epcis/queries/a%00b/events"),
        ("DELETE", "/epcis/queries/a%00b"),
    ],
)
def test_nul_in_resource_ids(
    client: TestClient, regulator: Headers, method: str, path: str
) -> None:
    _problem(client.request(method, path, headers=regulator), 404)
