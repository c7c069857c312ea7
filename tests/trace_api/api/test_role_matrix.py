"""The role matrix: every route under /epcis and /api/v1 × every kind of caller → the status.

Callers: a regulator; an operator of the party owning the farm where the chain starts (``own``);
an operator of a party with nothing in the database (``other``); a station registered at the
farm; a ``public`` token; no token. :data:`MATRIX` holds one entry per route of the app's
OpenAPI schema (every ``APIRoute`` of ``app.routes``): a new route without an entry fails
:func:`test_every_route_has_an_entry`, so its access rule is decided when it is added.

The statuses are decided in Python, the same on both databases, so the matrix runs on SQLite
only; the SQL of the operator's scope is tested on both in ``test_auth.py``.
"""

from __future__ import annotations

import itertools
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson
import pytest
from sqlalchemy.engine import Engine

from tests.trace_api.api import chain
from tests.trace_api.api.client import TestClient
from tests.trace_api.api.conftest import bearer
from trace_api.auth.tokens import create_token
from trace_api.models import metadata
from trace_api.recall import declare_recall
from trace_api.storage import load_master_data
from trace_api.storage.station_registry import add_station

ROLES = ("regulator", "own", "other", "station", "public", "none")
OWN_PARTY = "4012345000009"  # chain.SELLER; owns FARM and PACKHOUSE
OTHER_PARTY = "7612345000008"
PRODUCT = "04012345111118"  # the GTIN of chain.ITEM1
_counter = itertools.count()


@dataclass
class Env:
    client: TestClient
    db: Engine
    headers: dict[str, dict[str, str]]
    recall_id: str = ""
    warning_id: str = ""


def _expect(*statuses: int) -> dict[str, int]:
    assert len(statuses) == len(ROLES)
    return dict(zip(ROLES, statuses, strict=True))


QUERY = _expect(200, 200, 200, 403, 403, 401)  # the operator's view is scoped, not refused
OWN_ONLY = _expect(200, 200, 404, 403, 403, 401)  # someone else's entry reads as absent
OWN_WRITE = _expect(200, 200, 403, 403, 403, 401)
REGULATOR = _expect(200, 403, 403, 403, 403, 401)
OPEN = _expect(200, 200, 200, 200, 200, 200)
DISCOVERY = _expect(204, 204, 204, 204, 204, 204)


@dataclass
class Call:
    path: str | Callable[[Env], str]
    expect: dict[str, int]
    body: Callable[[Env], Any] | None = None
    raw: bool = False  # send the body as the EPCIS JSON document bytes
    params: dict[str, str] = field(default_factory=dict)


def _fresh_event(_env: Env) -> dict[str, Any]:
    event = chain.events()[0]
    return {**event, "eventID": f"urn:uuid:00000000-0000-4000-9000-{next(_counter):012d}"}


def _fresh_document(env: Env) -> dict[str, Any]:
    return chain.document([_fresh_event(env)])


def _new_query(env: Env) -> str:
    name = f"tmp-{next(_counter)}"
    body = {"name": name, "query": {"EQ_bizStep": ["shipping"]}}
    response = env.client.post("/epcis/queries", json=body, headers=env.headers["regulator"])
    assert response.status_code == 201, response.text
    return f"/epcis/queries/{name}"


def _new_station(_env: Env) -> str:
    name = f"tmp-{next(_counter)}"
    add_station(_env.db, name, read_points=[chain.SHOP])
    return f"/api/v1/stations/{name}"


def _capture_job(env: Env) -> str:
    response = env.client.post(
        "/epcis/capture",
        content=orjson.dumps(_fresh_document(env)),
        headers={**env.headers["regulator"], "Content-Type": "application/json"},
    )
    assert response.status_code == 202, response.text
    return str(response.headers["Location"])


_HOOK = {"dest": "http://127.0.0.1:9/hook", "signatureToken": "0123456789abcdef", "stream": True}


def _own_subscription(env: Env) -> str:
    """A subscription of the ``own`` operator to the shared query: its path."""
    response = env.client.post(
        "/epcis/queries/shared/subscriptions", json=_HOOK, headers=env.headers["own"]
    )
    assert response.status_code == 201, response.text
    return str(response.headers["Location"])


def _dead_delivery(env: Env) -> str:
    """A dead delivery of a new ``own`` subscription: the path that retries it."""
    subscription_id = _own_subscription(env).rsplit("/", 1)[1]
    now = datetime.now(UTC)
    uid = str(uuid.uuid4())
    with env.db.begin() as connection:
        connection.execute(
            metadata.tables["delivery"].insert(),
            {
                "uid": uid,
                "subscription_id": subscription_id,
                "body": "{}",
                "event_count": 0,
                "status": "dead",
                "attempts": 12,
                "created_at": now,
                "next_attempt_at": now,
            },
        )
    return f"/api/v1/subscriptions/{subscription_id}/deliveries/{uid}/retry"


def _record_warning(db: Engine) -> str:
    """A new open warning about a temperature excursion at the own party's farm: its id."""
    from analytics.context import context_from_db
    from analytics.detectors.base import Finding
    from analytics.warnings.store import record_findings

    finding = Finding(
        type="temperature_excursion",
        detector="matrix",
        version="1",
        score=2.0,
        threshold=1.0,
        subject=f"lot-{next(_counter)}",
        explanation="matrix",
        quantity=("degree_hours", 2.0, "K·h"),
        lots=(f"urn:epc:class:lgtin:4012345.011111.M{next(_counter)}",),
        gtin=PRODUCT,
        locations=(chain.FARM,),
        times=(1_700_000_000.0 + next(_counter) * 10**7,),
    )
    (recorded,) = record_findings(db, [finding], context_from_db(db))
    return str(recorded.warning["id"])


def _fresh_warning(env: Env) -> str:
    return f"/api/v1/warnings/{_record_warning(env.db)}/status"


_OWN_PARTY_ENTRY = {"gln": OWN_PARTY, "name": {"en": "Seller"}}
_FARM_ENTRY = {"gln": chain.FARM, "kind": "farm", "party": OWN_PARTY}
_PRODUCT_ENTRY = {"gtin": PRODUCT, "name": {"en": "Spinach"}, "brand_owner": OWN_PARTY}

#: (method, OpenAPI path template) → the call and each caller's status
MATRIX: dict[tuple[str, str], Call] = {
    ("OPTIONS", "/epcis/capture"): Call("/epcis/capture", DISCOVERY),
    ("POST", "/epcis/capture"): Call(
        "/epcis/capture", _expect(202, 202, 202, 202, 403, 401), _fresh_document, raw=True
    ),
    ("GET", "/epcis/capture"): Call("/epcis/capture", REGULATOR),
    # a capture job is read by regulators and by whoever submitted it (here a regulator)
    ("GET", "/epcis/capture/{capture_id}"): Call(
        _capture_job, _expect(200, 404, 404, 404, 403, 401)
    ),
    ("OPTIONS", "/epcis/events"): Call("/epcis/events", DISCOVERY),
    ("GET", "/epcis/events"): Call("/epcis/events", QUERY),
    ("GET", "/epcis/events/{event_id}"): Call(f"/epcis/events/{chain.event_id(1)}", OWN_ONLY),
    ("POST", "/epcis/events"): Call(
        "/epcis/events", _expect(201, 201, 201, 201, 403, 401), _fresh_event, raw=True
    ),
    ("OPTIONS", "/epcis/queries"): Call("/epcis/queries", DISCOVERY),
    ("POST", "/epcis/queries"): Call(
        "/epcis/queries",
        _expect(201, 201, 201, 403, 403, 401),
        lambda _env: {"name": f"q-{next(_counter)}", "query": {"EQ_bizStep": ["shipping"]}},
    ),
    ("GET", "/epcis/queries"): Call("/epcis/queries", QUERY),
    ("GET", "/epcis/queries/{name}"): Call("/epcis/queries/shared", QUERY),
    ("DELETE", "/epcis/queries/{name}"): Call(_new_query, _expect(204, 204, 204, 403, 403, 401)),
    ("GET", "/epcis/queries/{name}/events"): Call("/epcis/queries/shared/events", QUERY),
    ("OPTIONS", "/epcis/queries/{name}/subscriptions"): Call(
        "/epcis/queries/shared/subscriptions", DISCOVERY
    ),
    ("GET", "/epcis/queries/{name}/subscriptions"): Call(
        "/epcis/queries/shared/subscriptions", QUERY
    ),
    ("POST", "/epcis/queries/{name}/subscriptions"): Call(
        "/epcis/queries/shared/subscriptions",
        _expect(201, 201, 201, 403, 403, 401),
        lambda _env: _HOOK,
    ),
    # a subscription is seen by regulators and by its creator's party
    ("OPTIONS", "/epcis/queries/{name}/subscriptions/{subscription_id}"): Call(
        _own_subscription, DISCOVERY
    ),
    ("GET", "/epcis/queries/{name}/subscriptions/{subscription_id}"): Call(
        _own_subscription, OWN_ONLY
    ),
    ("DELETE", "/epcis/queries/{name}/subscriptions/{subscription_id}"): Call(
        _own_subscription, _expect(204, 204, 404, 403, 403, 401)
    ),
    ("GET", "/api/v1/subscriptions/{subscription_id}/deliveries"): Call(
        lambda env: (
            "/api/v1/subscriptions/" + _own_subscription(env).rsplit("/", 1)[1] + "/deliveries"
        ),
        OWN_ONLY,
    ),
    ("POST", "/api/v1/subscriptions/{subscription_id}/deliveries/{delivery_id}/retry"): Call(
        _dead_delivery, _expect(204, 204, 404, 403, 403, 401)
    ),
    ("GET", "/api/v1/health"): Call("/api/v1/health", OPEN),
    # a warning about the own party's farm: the other operator's view is scoped (empty list)
    # and reading or moving that warning is refused to it
    ("GET", "/api/v1/warnings"): Call("/api/v1/warnings", QUERY),
    ("GET", "/api/v1/warnings/{warning_id}"): Call(
        lambda env: f"/api/v1/warnings/{env.warning_id}", _expect(200, 200, 403, 403, 403, 401)
    ),
    ("POST", "/api/v1/warnings/{warning_id}/status"): Call(
        _fresh_warning,
        _expect(200, 200, 403, 403, 403, 401),
        lambda _env: {"status": "acknowledged", "note": "matrix"},
    ),
    # a QR code carries no private data: anyone may draw one (the resolver at /01/… is public too)
    ("GET", "/api/v1/qr"): Call("/api/v1/qr", OPEN, params={"uri": chain.LOT1}),
    ("GET", "/api/v1/trace/{identifier}"): Call(f"/api/v1/trace/{chain.ITEM1}", REGULATOR),
    ("POST", "/api/v1/recalls"): Call(
        "/api/v1/recalls",
        _expect(201, 403, 403, 403, 403, 401),
        lambda _env: {"lots": [chain.LOT1], "reason": "matrix"},
    ),
    ("GET", "/api/v1/recalls"): Call("/api/v1/recalls", REGULATOR),
    ("GET", "/api/v1/recalls/{recall_id}"): Call(
        lambda env: f"/api/v1/recalls/{env.recall_id}", REGULATOR
    ),
    ("GET", "/api/v1/masterdata/parties"): Call("/api/v1/masterdata/parties", QUERY),
    ("GET", "/api/v1/masterdata/parties/{gln}"): Call(
        f"/api/v1/masterdata/parties/{OWN_PARTY}", OWN_ONLY
    ),
    ("PUT", "/api/v1/masterdata/parties"): Call(
        "/api/v1/masterdata/parties", OWN_WRITE, lambda _env: [_OWN_PARTY_ENTRY]
    ),
    ("PUT", "/api/v1/masterdata/parties/{gln}"): Call(
        f"/api/v1/masterdata/parties/{OWN_PARTY}", OWN_WRITE, lambda _env: _OWN_PARTY_ENTRY
    ),
    ("GET", "/api/v1/masterdata/locations"): Call("/api/v1/masterdata/locations", QUERY),
    ("GET", "/api/v1/masterdata/locations/{gln}"): Call(
        f"/api/v1/masterdata/locations/{chain.FARM}", OWN_ONLY
    ),
    ("PUT", "/api/v1/masterdata/locations"): Call(
        "/api/v1/masterdata/locations", OWN_WRITE, lambda _env: [_FARM_ENTRY]
    ),
    ("PUT", "/api/v1/masterdata/locations/{gln}"): Call(
        f"/api/v1/masterdata/locations/{chain.FARM}", OWN_WRITE, lambda _env: _FARM_ENTRY
    ),
    ("GET", "/api/v1/masterdata/products"): Call("/api/v1/masterdata/products", QUERY),
    ("GET", "/api/v1/masterdata/products/{gtin}"): Call(
        f"/api/v1/masterdata/products/{PRODUCT}", OWN_ONLY
    ),
    ("PUT", "/api/v1/masterdata/products"): Call(
        "/api/v1/masterdata/products", OWN_WRITE, lambda _env: [_PRODUCT_ENTRY]
    ),
    ("PUT", "/api/v1/masterdata/products/{gtin}"): Call(
        f"/api/v1/masterdata/products/{PRODUCT}", OWN_WRITE, lambda _env: _PRODUCT_ENTRY
    ),
    ("GET", "/api/v1/stations"): Call("/api/v1/stations", REGULATOR),
    ("GET", "/api/v1/stations/{station_id}"): Call("/api/v1/stations/dock-1", REGULATOR),
    ("PUT", "/api/v1/stations/{station_id}"): Call(
        "/api/v1/stations/dock-1",
        REGULATOR,
        lambda _env: {"read_points": [chain.FARM], "biz_locations": [chain.FARM]},
    ),
    ("DELETE", "/api/v1/stations/{station_id}"): Call(
        _new_station, _expect(204, 403, 403, 403, 403, 401)
    ),
    # exports hold what the caller may see: nothing visible about the lot reads as absent
    ("GET", "/api/v1/exports/fsma204"): Call(
        "/api/v1/exports/fsma204", OWN_ONLY, params={"lot": chain.LOT1}
    ),
    ("GET", "/api/v1/exports/art18"): Call(
        "/api/v1/exports/art18", OWN_ONLY, params={"lot": chain.LOT1}
    ),
    ("GET", "/api/v1/exports/epcis"): Call(
        "/api/v1/exports/epcis", OWN_ONLY, params={"lot": chain.LOT1}
    ),
}
_RESOURCE_VALUES = {
    "eventTypes": "ObjectEvent",
    "epcs": chain.ITEM1,
    "bizSteps": "commissioning",
    "bizLocations": chain.FARM,
    "readPoints": chain.FARM,
    "dispositions": "active",
}
for _resource, _value in _RESOURCE_VALUES.items():
    MATRIX[("OPTIONS", f"/epcis/{_resource}")] = Call(f"/epcis/{_resource}", DISCOVERY)
    MATRIX[("GET", f"/epcis/{_resource}")] = Call(f"/epcis/{_resource}", QUERY)
    MATRIX[("GET", f"/epcis/{_resource}/{{value}}/events")] = Call(
        f"/epcis/{_resource}/{_value}/events", QUERY
    )


@pytest.fixture
def db_url(tmp_path: Path) -> str:
    """SQLite only (see the module docstring)."""
    return f"sqlite:///{tmp_path / 'trace.db'}"


@pytest.fixture
def env(client: TestClient, db: Engine) -> Env:
    load_master_data(
        db,
        {
            "parties": [_OWN_PARTY_ENTRY],
            "locations": [_FARM_ENTRY, {"gln": chain.PACKHOUSE, "party": OWN_PARTY}],
            "products": [_PRODUCT_ENTRY],
        },
    )
    add_station(db, "dock-1", read_points=[chain.FARM], biz_locations=[chain.FARM])
    headers = {
        "regulator": bearer(create_token(db, "regulator")),
        "own": bearer(create_token(db, "operator", party=OWN_PARTY)),
        "other": bearer(create_token(db, "operator", party=OTHER_PARTY)),
        "station": bearer(create_token(db, "station", station_id="dock-1")),
        "public": bearer(create_token(db, "public")),
        "none": {},
    }
    made = Env(client, db, headers)
    captured = client.post(
        "/epcis/capture",
        content=orjson.dumps(chain.document()),
        headers={**headers["regulator"], "Content-Type": "application/json"},
    )
    assert captured.status_code == 202, captured.text
    shared = {"name": "shared", "query": {"EQ_bizStep": ["shipping"]}}
    assert (
        client.post("/epcis/queries", json=shared, headers=headers["regulator"]).status_code == 201
    )
    made.recall_id = declare_recall(db, [chain.LOT2], "matrix").id
    made.warning_id = _record_warning(db)
    return made


def _schema_routes(client: TestClient) -> set[tuple[str, str]]:
    schema = client.get("/api/v1/openapi.json").json()
    return {
        (method.upper(), path)
        for path, operations in schema["paths"].items()
        if path.startswith(("/epcis", "/api/v1"))
        for method in operations
    }


def test_every_route_has_an_entry(client: TestClient) -> None:
    routes = _schema_routes(client)
    assert routes - MATRIX.keys() == set(), "routes without an entry in MATRIX"
    assert MATRIX.keys() - routes == set(), "MATRIX entries for routes that do not exist"


@pytest.mark.parametrize("route", sorted(MATRIX), ids=lambda r: f"{r[0]} {r[1]}")
def test_role_matrix(env: Env, route: tuple[str, str]) -> None:
    method, _template = route
    call = MATRIX[route]
    got: dict[str, int] = {}
    for role in ROLES:
        path = call.path(env) if callable(call.path) else call.path
        headers = dict(env.headers[role])
        kwargs: dict[str, Any] = {}
        if call.body is not None:
            body = call.body(env)
            if call.raw:
                kwargs["content"] = orjson.dumps(body)
                headers["Content-Type"] = "application/json"
            else:
                kwargs["json"] = body
        response = env.client.request(method, path, headers=headers, params=call.params, **kwargs)
        got[role] = response.status_code
        if response.status_code >= 400:
            assert response.headers["content-type"] == "application/problem+json", response.text
    assert got == call.expect


@pytest.mark.parametrize(
    ("resource", "hidden"),
    [("epcs", None), ("bizSteps", "receiving"), ("bizLocations", None), ("readPoints", chain.SHOP)],
)
def test_collections_list_only_what_the_caller_may_see(
    env: Env, resource: str, hidden: str | None
) -> None:
    def members(role: str) -> list[str]:
        response = env.client.get(f"/epcis/{resource}", headers=env.headers[role])
        assert response.status_code == 200, response.text
        listed: list[str] = response.json()["member"]
        return listed

    everything = members("regulator")
    own = members("own")
    assert own and set(own) <= set(everything)
    if hidden is not None:  # a value of the shop's events only
        assert hidden in everything and hidden not in own
    assert members("other") == []


def test_a_capture_job_is_read_by_its_submitter(env: Env) -> None:
    document = orjson.dumps(_fresh_document(env))
    submitted = env.client.post(
        "/epcis/capture",
        content=document,
        headers={**env.headers["station"], "Content-Type": "application/json"},
    )
    assert submitted.status_code == 202, submitted.text
    job = submitted.headers["Location"]
    got = {role: env.client.get(job, headers=env.headers[role]).status_code for role in ROLES}
    assert got == _expect(200, 404, 404, 200, 403, 401)
