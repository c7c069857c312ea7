"""Bearer tokens: who may capture and query what."""

from __future__ import annotations

import orjson
from sqlalchemy.engine import Engine

from foodtrace.cli import run
from tests.trace_api.api import chain
from tests.trace_api.api.client import TestClient
from tests.trace_api.api.conftest import bearer
from trace_api.auth.tokens import authenticate, create_token, hash_token
from trace_api.models import metadata
from trace_api.storage import load_master_data

Headers = dict[str, str]
JSON = {"Content-Type": "application/json"}


def test_no_token(client: TestClient) -> None:
    for response in (
        client.get("/epcis/events"),
        client.post("/epcis/capture", content=b"{}", headers=JSON),
        client.get("/epcis/capture/x"),
    ):
        assert response.status_code == 401
        assert response.headers["WWW-Authenticate"] == "Bearer"
        assert response.json()["type"] == "epcisException:SecurityException"


def test_unknown_or_malformed_token(client: TestClient) -> None:
    assert client.get("/epcis/events", headers=bearer("ft_nope")).status_code == 401
    basic = {"Authorization": "Basic dXNlcjpwYXNz"}
    assert client.get("/epcis/events", headers=basic).status_code == 401


def test_token_is_stored_hashed(db: Engine) -> None:
    token = create_token(db, "regulator")
    with db.connect() as connection:
        stored = connection.execute(metadata.tables["api_token"].select()).one()
    assert stored.token_hash == hash_token(token)
    assert token not in stored._mapping.values()
    principal = authenticate(db, token)
    assert principal is not None and principal.role == "regulator"


def test_station_cannot_query(client: TestClient, station: Headers) -> None:
    response = client.get("/epcis/events", headers=station)
    assert response.status_code == 403
    assert "may not query" in response.json()["detail"]


def test_public_cannot_capture_or_query(client: TestClient, db: Engine) -> None:
    public = bearer(create_token(db, "public"))
    assert client.get("/epcis/events", headers=public).status_code == 403
    body = orjson.dumps(chain.document())
    assert (
        client.post("/epcis/capture", content=body, headers={**public, **JSON}).status_code == 403
    )


def test_station_captures_at_its_own_read_point(
    client: TestClient, station: Headers, regulator: Headers
) -> None:
    own = chain.events()[0]  # readPoint and bizLocation FARM, the station's
    response = client.post("/epcis/events", content=orjson.dumps(own), headers={**station, **JSON})
    assert response.status_code == 201, response.text
    assert client.get(f"/epcis/events/{chain.event_id(1)}", headers=regulator).status_code == 200


def test_station_refused_at_a_foreign_read_point(client: TestClient, station: Headers) -> None:
    foreign = chain.events()[2]  # PACKHOUSE
    response = client.post(
        "/epcis/events", content=orjson.dumps(foreign), headers={**station, **JSON}
    )
    assert response.status_code == 403
    assert chain.PACKHOUSE in response.json()["detail"]
    document = orjson.dumps(chain.document([chain.events()[0], foreign]))
    whole = client.post("/epcis/capture", content=document, headers={**station, **JSON})
    assert whole.status_code == 403
    proceed = client.post(
        "/epcis/capture",
        content=document,
        headers={**station, **JSON, "GS1-Capture-Error-Behaviour": "proceed"},
    )
    assert proceed.status_code == 202
    job = client.get(proceed.headers["Location"], headers=station).json()
    assert job["storedCount"] == 1
    assert [(e["eventIndex"], e["rule"]) for e in job["errors"]] == [(1, "forbidden")]


def test_unregistered_station(client: TestClient, db: Engine) -> None:
    ghost = bearer(create_token(db, "station", station_id="ghost"))
    body = orjson.dumps(chain.events()[0])
    response = client.post("/epcis/events", content=body, headers={**ghost, **JSON})
    assert response.status_code == 403
    assert "not registered" in response.json()["detail"]


def test_operator_sees_its_party_events(client: TestClient, db: Engine, regulator: Headers) -> None:
    with db.begin() as connection:
        party = connection.execute(
            metadata.tables["party"].insert().returning(metadata.tables["party"].c.id),
            {"gln": "4012345000009", "canonical": "https://id.gs1.org/417/4012345000009"},
        ).scalar_one()
        connection.execute(
            metadata.tables["location"].insert(),
            {
                "gln": chain.FARM,
                "canonical": "https://id.gs1.org/414/4012345000016",
                "party_id": party,
            },
        )
    body = orjson.dumps(chain.document())
    captured = client.post("/epcis/capture", content=body, headers={**regulator, **JSON})
    assert captured.status_code == 202
    operator = bearer(create_token(db, "operator", party="4012345000009"))
    seller = bearer(create_token(db, "operator", party=chain.SELLER))
    buyer = bearer(create_token(db, "operator", party=chain.BUYER))
    stranger = bearer(create_token(db, "operator", party="9999999999994"))
    cases: tuple[tuple[Headers, set[int]], ...] = (
        (operator, {1, 2, 3}),
        (seller, {1, 2, 3}),
        (buyer, {3}),
        (stranger, set()),
    )
    for headers, expected in cases:
        response = client.get("/epcis/events", headers=headers)
        assert response.status_code == 200
        found = response.json()["epcisBody"]["queryResults"]["resultsBody"]["eventList"]
        assert {int(e["eventID"][-1]) for e in found} == expected


def test_auth_token_cli(db: Engine, db_url: str, capsys: object) -> None:
    import pytest

    assert isinstance(capsys, pytest.CaptureFixture)
    assert run(["auth", "token", "--role", "station", "--station", "dock-9", "--db", db_url]) == 0
    token = capsys.readouterr().out.strip()
    principal = authenticate(db, token)
    assert principal is not None
    assert (principal.role, principal.station_id) == ("station", "dock-9")
    assert run(["auth", "token", "--role", "operator", "--db", db_url]) == 1
    assert "party GLN" in capsys.readouterr().err
    assert run(["auth", "token", "--role", "emperor", "--db", db_url]) == 1


def test_operator_sees_partners_shipping_to_its_locations(
    client: TestClient, db: Engine, regulator: Headers
) -> None:
    """One-up/one-down: a partner's event naming the operator's location as its source or
    destination is visible to the operator; another party's is not."""
    load_master_data(
        db,
        {
            "parties": [{"gln": "4012345000009"}],
            "locations": [{"gln": chain.FARM, "party": "4012345000009"}],
        },
    )
    inbound = {
        **chain.events()[4],  # at the SHOP, another party's site
        "eventID": "urn:uuid:20000000-0000-4000-8000-000000000001",
        "sourceList": [{"type": "location", "source": chain.FARM}],
    }
    elsewhere = {
        **chain.events()[4],
        "eventID": "urn:uuid:20000000-0000-4000-8000-000000000002",
        "sourceList": [{"type": "location", "source": chain.PACKHOUSE}],
    }
    body = orjson.dumps(chain.document([inbound, elsewhere]))
    assert (
        client.post("/epcis/capture", content=body, headers={**regulator, **JSON}).status_code
        == 202
    )
    operator = bearer(create_token(db, "operator", party="4012345000009"))
    response = client.get("/epcis/events", headers=operator)
    found = response.json()["epcisBody"]["queryResults"]["resultsBody"]["eventList"]
    assert [e["eventID"] for e in found] == [inbound["eventID"]]
