"""perPage + nextPageToken: keyset pages without duplicates or gaps, tamper-proof tokens."""

from __future__ import annotations

import base64
from urllib.parse import parse_qs, urlsplit

import orjson
import pytest
from sqlalchemy.engine import Engine

from tests.trace_api.api import chain
from tests.trace_api.api.client import TestClient
from trace_api.storage import prepare_event, store_events

Headers = dict[str, str]
SAME_TIME = 7  # events sharing one eventTime, so pages split inside a tie


@pytest.fixture
def many(db: Engine) -> list[str]:
    """47 events; several share an eventTime."""
    template = chain.events()[0]
    ids = []
    prepared = []
    for n in range(47):
        event = dict(template)
        event["eventID"] = f"urn:uuid:00000000-0000-4000-8000-{n:012d}"
        minute = n // SAME_TIME
        event["eventTime"] = f"2026-02-01T10:{minute:02d}:00Z"
        ids.append(event["eventID"])
        prepared.append(prepare_event(event, chain.CONTEXT))
    store_events(db, prepared)
    return ids


def _walk(client: TestClient, headers: Headers, url: str) -> tuple[list[str], int]:
    seen: list[str] = []
    pages = 0
    while url:
        response = client.get(url, headers=headers)
        assert response.status_code == 200, response.text
        pages += 1
        found = response.json()["epcisBody"]["queryResults"]["resultsBody"]["eventList"]
        seen += [e["eventID"] for e in found]
        link = response.headers.get("Link")
        if link is None:
            assert "GS1-Next-Page-Token-Expires" not in response.headers
            break
        assert link.endswith('>; rel="next"')
        assert response.headers["GS1-Next-Page-Token-Expires"].endswith("Z")
        url = link[1 : link.index(">")]
    return seen, pages


@pytest.mark.parametrize("direction", ["ASC", "DESC"])
@pytest.mark.parametrize("per_page", [1, 5, 10, 47, 100])
def test_pages_cover_everything_once(
    client: TestClient, regulator: Headers, many: list[str], direction: str, per_page: int
) -> None:
    url = f"/epcis/events?orderBy=eventTime&orderDirection={direction}&perPage={per_page}"
    seen, pages = _walk(client, regulator, url)
    assert sorted(seen) == sorted(many)
    assert len(seen) == len(set(seen))
    assert pages == -(-len(many) // per_page)  # no empty last page


def test_event_count_limit_spans_pages(
    client: TestClient, regulator: Headers, many: list[str]
) -> None:
    seen, pages = _walk(client, regulator, "/epcis/events?perPage=4&eventCountLimit=10")
    assert len(seen) == 10 and len(set(seen)) == 10
    assert pages == 3


def test_rows_added_between_pages_cause_no_duplicates(
    client: TestClient, regulator: Headers, many: list[str], db: Engine
) -> None:
    first = client.get("/epcis/events?orderDirection=ASC&perPage=20", headers=regulator)
    link = first.headers["Link"]
    late = dict(chain.events()[0], eventID="urn:uuid:00000000-0000-4000-8000-999999999999")
    late["eventTime"] = "2026-01-01T00:00:00Z"  # sorts before every page already served
    store_events(db, [prepare_event(late, chain.CONTEXT)])
    rest, _ = _walk(client, regulator, link[1 : link.index(">")])
    served = [
        e["eventID"] for e in first.json()["epcisBody"]["queryResults"]["resultsBody"]["eventList"]
    ]
    assert sorted(served + rest) == sorted(many)


def _token(client: TestClient, headers: Headers) -> str:
    response = client.get("/epcis/events?perPage=5", headers=headers)
    link = response.headers["Link"]
    token: str = parse_qs(urlsplit(link[1 : link.index(">")]).query)["nextPageToken"][0]
    return token


def test_tampered_token(client: TestClient, regulator: Headers, many: list[str]) -> None:
    token = _token(client, regulator)
    body, _, signature = token.partition(".")
    payload = orjson.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
    payload[2] = 1  # restart from another row
    forged = base64.urlsafe_b64encode(orjson.dumps(payload)).rstrip(b"=").decode()
    for bad in (f"{forged}.{signature}", token[:-2] + "AA", "garbage", token + "."):
        response = client.get(
            "/epcis/events", params={"perPage": "5", "nextPageToken": bad}, headers=regulator
        )
        assert response.status_code == 400, bad
        assert response.json()["type"] == "epcisException:QueryParameterException"
        assert "nextPageToken" in response.json()["detail"]


def test_token_bound_to_its_parameters(
    client: TestClient, regulator: Headers, many: list[str]
) -> None:
    token = _token(client, regulator)
    response = client.get(
        "/epcis/events",
        params={"perPage": "5", "nextPageToken": token, "EQ_action": "ADD"},
        headers=regulator,
    )
    assert response.status_code == 400
    assert "other query parameters" in response.json()["detail"]
    same = client.get(
        "/epcis/events", params={"perPage": "7", "nextPageToken": token}, headers=regulator
    )
    assert same.status_code == 200  # perPage may change between pages
