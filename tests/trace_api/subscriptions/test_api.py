"""The subscription resource of the EPCIS 2.0 binding: subscribe, list, read, unsubscribe."""

from __future__ import annotations

import orjson
import pytest
from sqlalchemy.engine import Engine

from tests.trace_api.api.client import TestClient
from tests.trace_api.subscriptions.conftest import JSON, TOKEN, Headers, bearer, subscribe
from trace_api.auth.tokens import create_token

HOOK = "http://127.0.0.1:9/hook"


def test_subscribe_read_list_delete(
    client: TestClient, regulator: Headers, all_events: str
) -> None:
    response = client.post(
        f"/epcis/queries/{all_events}/subscriptions",
        content=orjson.dumps({"dest": HOOK, "signatureToken": TOKEN, "stream": True}),
        headers={**regulator, **JSON},
    )
    assert response.status_code == 201
    view = response.json()
    location = response.headers["Location"]
    assert location == f"/epcis/queries/all/subscriptions/{view['subscriptionID']}"
    assert view["stream"] is True and view["dest"] == HOOK and view["queryName"] == "all"
    assert TOKEN not in response.text  # the secret is never returned
    assert view["deliveries"] == {"pending": 0, "delivered": 0, "dead": 0}
    scheduled = subscribe(
        client,
        regulator,
        all_events,
        dest=HOOK,
        schedule={"hour": "1", "minute": "5"},
        reportIfEmpty=True,
        initialRecordTime="2026-01-01T00:00:00+01:00",
    )
    assert scheduled["initialRecordTime"] == "2025-12-31T23:00:00.000Z"
    assert str(scheduled["nextRunAt"]).endswith("T01:05:00.000Z")
    listed = client.get(f"/epcis/queries/{all_events}/subscriptions", headers=regulator).json()
    assert [s["subscriptionID"] for s in listed] == [
        view["subscriptionID"],
        scheduled["subscriptionID"],
    ]
    assert (
        client.get(location, headers=regulator).json()["subscriptionID"] == view["subscriptionID"]
    )
    options = client.options(location, headers=regulator)
    assert options.status_code == 204 and options.headers["Allow"] == "OPTIONS, DELETE, GET"
    assert client.delete(location, headers=regulator).status_code == 204
    gone = client.get(location, headers=regulator)
    assert gone.status_code == 404
    assert gone.headers["content-type"] == "application/problem+json"
    assert client.delete(location, headers=regulator).status_code == 404


@pytest.mark.parametrize(
    ("body", "detail"),
    [
        ({"dest": HOOK, "signatureToken": TOKEN}, "either stream must be true or a schedule"),
        ({"dest": HOOK, "signatureToken": TOKEN, "stream": False}, "either stream must be true"),
        (
            {"dest": HOOK, "signatureToken": TOKEN, "stream": True, "schedule": {"hour": "1"}},
            "mutually exclusive",
        ),
        ({"dest": HOOK, "stream": True}, "signatureToken: required"),
        ({"dest": HOOK, "signatureToken": "short", "stream": True}, "16 to 512 characters"),
        ({"dest": HOOK, "signatureToken": TOKEN, "schedule": {"hour": "25"}}, "schedule.hour"),
        (
            {"dest": HOOK, "signatureToken": TOKEN, "stream": True, "reportIfEmpty": True},
            "scheduled subscriptions only",
        ),
        (
            {"dest": HOOK, "signatureToken": TOKEN, "stream": True, "secret": "x"},
            "unknown field 'secret'",
        ),
        (
            {
                "dest": HOOK,
                "signatureToken": TOKEN,
                "stream": True,
                "initialRecordTime": "yesterday",
            },
            "initialRecordTime",
        ),
        (
            {
                "dest": HOOK,
                "signatureToken": TOKEN,
                "stream": True,
                "initialRecordTime": "2026-01-01T00:00:00",
            },
            "time zone offset is missing",
        ),
        ({"dest": "ftp://127.0.0.1/x", "signatureToken": TOKEN, "stream": True}, "scheme 'ftp'"),
        (
            {"dest": "http://169.254.169.254/latest/", "signatureToken": TOKEN, "stream": True},
            "link-local or cloud metadata",
        ),
        ({"signatureToken": TOKEN, "stream": True}, "dest: expected an http(s) URL"),
        (["not", "an", "object"], "must be a JSON object"),
    ],
)
def test_invalid_subscriptions_are_problems(
    client: TestClient, regulator: Headers, all_events: str, body: object, detail: str
) -> None:
    response = client.post(
        f"/epcis/queries/{all_events}/subscriptions",
        content=orjson.dumps(body),
        headers={**regulator, **JSON},
    )
    assert response.status_code == 400, response.text
    assert response.headers["content-type"] == "application/problem+json"
    problem = response.json()
    assert problem["type"] == "epcisException:SubscriptionControlsException"
    assert detail in problem["detail"]
    assert client.get(f"/epcis/queries/{all_events}/subscriptions", headers=regulator).json() == []


def test_not_json_unknown_query_and_roles(
    client: TestClient, db: Engine, regulator: Headers, all_events: str
) -> None:
    path = f"/epcis/queries/{all_events}/subscriptions"
    not_json = client.post(path, content=b"{", headers={**regulator, **JSON})
    assert not_json.status_code == 400
    assert not_json.headers["content-type"] == "application/problem+json"
    body = orjson.dumps({"dest": HOOK, "signatureToken": TOKEN, "stream": True})
    missing = client.post(
        "/epcis/queries/nope/subscriptions", content=body, headers={**regulator, **JSON}
    )
    assert missing.status_code == 404
    assert client.get("/epcis/queries/nope/subscriptions", headers=regulator).status_code == 404
    assert client.post(path, content=body, headers=JSON).status_code == 401
    public = bearer(create_token(db, "public"))
    assert client.post(path, content=body, headers={**public, **JSON}).status_code == 403
    assert client.get(path, headers=public).status_code == 403


def test_operators_see_only_their_party_subscriptions(
    client: TestClient, db: Engine, regulator: Headers, all_events: str
) -> None:
    first = bearer(create_token(db, "operator", party="4012345000009"))
    colleague = bearer(create_token(db, "operator", party="4012345000009"))
    other = bearer(create_token(db, "operator", party="0614141000005"))
    mine = subscribe(client, first, all_events, dest=HOOK, stream=True)
    theirs = subscribe(client, other, all_events, dest=HOOK, stream=True)
    path = f"/epcis/queries/{all_events}/subscriptions"

    def ids(headers: Headers) -> set[object]:
        return {s["subscriptionID"] for s in client.get(path, headers=headers).json()}

    assert ids(colleague) == {mine["subscriptionID"]}
    assert ids(other) == {theirs["subscriptionID"]}
    assert ids(regulator) == {mine["subscriptionID"], theirs["subscriptionID"]}
    assert client.delete(f"{path}/{mine['subscriptionID']}", headers=other).status_code == 404
    assert client.get(f"{path}/{mine['subscriptionID']}", headers=colleague).status_code == 200


def test_deleting_the_query_unsubscribes_everyone(
    client: TestClient, regulator: Headers, all_events: str
) -> None:
    view = subscribe(client, regulator, all_events, dest=HOOK, stream=True)
    assert client.delete(f"/epcis/queries/{all_events}", headers=regulator).status_code == 204
    deliveries = client.get(
        f"/api/v1/subscriptions/{view['subscriptionID']}/deliveries", headers=regulator
    )
    assert deliveries.status_code == 404


def test_openapi_documents_the_subscription_resource(client: TestClient) -> None:
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    post = paths["/epcis/queries/{name}/subscriptions"]["post"]
    schema = post["requestBody"]["content"]["application/json"]["schema"]
    assert schema["required"] == ["dest", "signatureToken"]
    assert set(schema["properties"]["schedule"]["properties"]) == {
        "second",
        "minute",
        "hour",
        "dayOfMonth",
        "month",
        "dayOfWeek",
    }
    assert "delete" in paths["/epcis/queries/{name}/subscriptions/{subscription_id}"]
    assert "get" in paths["/api/v1/subscriptions/{subscription_id}/deliveries"]
