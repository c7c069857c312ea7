"""``/api/v1/warnings`` (contract B): roles, filters, workflow and problems — on SQLite and
PostgreSQL, over warnings the analytics recorded from the labelled world."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest
from sqlalchemy.engine import Engine

from analytics.run import run_batch
from tests.analytics.support import store_world
from tests.analytics.world import PARTIES, World, pgln, routes
from tests.trace_api.api.client import TestClient
from tests.trace_api.api.conftest import bearer
from trace_api.auth.tokens import create_token

CONTRACT_KEYS = {
    "id", "created", "updated", "detector", "detector_version", "type", "severity",
    "recall_level", "score", "threshold", "gtin", "lots", "epcs", "evidence", "explanation",
    "origin", "holders", "recommended_action", "status", "history",
}  # fmt: skip


@pytest.fixture
def warned(db: Engine, tmp_path: Path) -> Engine:
    store_world(db, World(read_rate=1.0, seed=7).build())
    path = tmp_path / "routes.json"
    path.write_bytes(orjson.dumps(routes()))
    run_batch(db, path)
    return db


def test_regulator_lists_reads_and_moves_warnings(
    client: TestClient, warned: Engine, regulator: dict[str, str]
) -> None:
    listed = client.get("/api/v1/warnings", headers=regulator)
    assert listed.status_code == 200
    warnings = listed.json()["warnings"]
    assert len(warnings) == 13
    assert all(set(w) == CONTRACT_KEYS for w in warnings)
    assert set(warnings[0]["evidence"]) == {"event_ids", "locations", "times", "quantity"}
    alerts = client.get("/api/v1/warnings?severity=alert&limit=2", headers=regulator).json()
    assert len(alerts["warnings"]) == 2
    assert {w["severity"] for w in alerts["warnings"]} == {"alert"}
    (hot,) = client.get("/api/v1/warnings?type=temperature_excursion", headers=regulator).json()[
        "warnings"
    ]
    by_lot = client.get(
        "/api/v1/warnings", params={"lot": hot["lots"][0]}, headers=regulator
    ).json()["warnings"]
    assert hot["id"] in [w["id"] for w in by_lot]
    one = client.get(f"/api/v1/warnings/{hot['id']}", headers=regulator)
    assert one.status_code == 200 and one.json() == hot
    moved = client.post(
        f"/api/v1/warnings/{hot['id']}/status",
        json={"status": "acknowledged", "note": "cold store checked"},
        headers=regulator,
    )
    assert moved.status_code == 200
    body = moved.json()
    assert body["status"] == "acknowledged"
    assert body["history"][-1]["note"] == "cold store checked"
    assert body["history"][-1]["by"].startswith("regulator:")
    open_now = client.get("/api/v1/warnings?status=open", headers=regulator).json()["warnings"]
    assert hot["id"] not in [w["id"] for w in open_now]


def test_problems(client: TestClient, warned: Engine, regulator: dict[str, str]) -> None:
    (w,) = client.get("/api/v1/warnings?type=clone", headers=regulator).json()["warnings"]
    url = f"/api/v1/warnings/{w['id']}/status"
    assert client.post(url, json={"status": "closed"}, headers=regulator).status_code == 200
    again = client.post(url, json={"status": "acknowledged"}, headers=regulator)
    assert again.status_code == 409
    assert again.headers["content-type"] == "application/problem+json"
    assert "cannot become acknowledged" in again.json()["detail"]
    bad = client.post(url, json={"status": "reopened"}, headers=regulator)
    assert bad.status_code == 400
    unknown = client.get("/api/v1/warnings/nope", headers=regulator)
    assert unknown.status_code == 404
    assert client.get("/api/v1/warnings?severity=urgent", headers=regulator).status_code == 400
    assert client.get("/api/v1/warnings?limit=0", headers=regulator).status_code == 400


def test_roles(client: TestClient, warned: Engine, station: dict[str, str]) -> None:
    assert client.get("/api/v1/warnings").status_code == 401
    assert client.get("/api/v1/warnings", headers=station).status_code == 403
    public = bearer(create_token(warned, "public"))
    assert client.get("/api/v1/warnings", headers=public).status_code == 403
    rogue = bearer(create_token(warned, "operator", party=pgln(PARTIES["rogue"])))
    seen = client.get("/api/v1/warnings", headers=rogue).json()["warnings"]
    assert [w["type"] for w in seen] == ["diversion"]
    shop = bearer(create_token(warned, "operator", party=pgln(PARTIES["shop"])))
    shop_seen = {w["type"] for w in client.get("/api/v1/warnings", headers=shop).json()["warnings"]}
    assert "diversion" not in shop_seen and "recalled_lot_sighted" in shop_seen
    brand = bearer(create_token(warned, "operator", party=pgln(PARTIES["farm"])))
    assert len(client.get("/api/v1/warnings", headers=brand).json()["warnings"]) == 13
    regulator = bearer(create_token(warned, "regulator"))
    everything = client.get("/api/v1/warnings", headers=regulator).json()["warnings"]
    hidden = next(w for w in everything if w["type"] == "temperature_excursion")
    assert client.get(f"/api/v1/warnings/{hidden['id']}", headers=rogue).status_code == 403
    refused = client.post(
        f"/api/v1/warnings/{hidden['id']}/status", json={"status": "closed"}, headers=rogue
    )
    assert refused.status_code == 403
    (mine,) = seen
    ok = client.post(
        f"/api/v1/warnings/{mine['id']}/status", json={"status": "acknowledged"}, headers=rogue
    )
    assert ok.status_code == 200
