"""``/api/v1/recalls`` on the app, over the hand-built chain (SQLite and PostgreSQL)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy.engine import Engine

from tests.trace_api.api.client import TestClient
from tests.trace_api.trace import chain as ch
from tests.trace_api.trace.chain import c
from trace_api.auth.tokens import create_token
from trace_api.core.config import Settings
from trace_api.main import create_app
from trace_api.recall import blast_radius


@pytest.fixture
def client(chain_db: Engine, db_url: str) -> Iterator[TestClient]:
    with TestClient(create_app(Settings(db=db_url), engine=chain_db)) as test_client:
        yield test_client


@pytest.fixture
def regulator(chain_db: Engine) -> dict[str, str]:
    return {"Authorization": f"Bearer {create_token(chain_db, 'regulator')}"}


def test_declare_list_and_show(
    client: TestClient, chain_db: Engine, regulator: dict[str, str]
) -> None:
    assert client.get("/api/v1/recalls", headers=regulator).json() == {"recalls": []}
    created = client.post(
        "/api/v1/recalls", json={"lots": [ch.H3], "reason": "Salmonella"}, headers=regulator
    )
    assert created.status_code == 201
    body = created.json()
    assert body["reason"] == "Salmonella"
    assert [lot["lot"] for lot in body["lots"]] == [c(ch.H3)]
    assert body["blastRadius"] == blast_radius(chain_db, [c(ch.H3)])
    assert [(x["id"], x["status"]) for x in body["blastRadius"]["lots"]] == [
        (c(ch.H3), "recalled"),
        (c(ch.L2), "affected"),
        (c(ch.L3), "affected"),
    ]
    listed = client.get("/api/v1/recalls", headers=regulator).json()["recalls"]
    assert [r["id"] for r in listed] == [body["id"]]
    assert "blastRadius" not in listed[0]
    shown = client.get(f"/api/v1/recalls/{body['id']}", headers=regulator)
    assert shown.status_code == 200
    assert shown.json() == body


def test_recall_problems(client: TestClient, chain_db: Engine, regulator: dict[str, str]) -> None:
    unknown = client.get("/api/v1/recalls/0b5e33c6-7d50-4f7e-9a39-2f1d1c7e0a11", headers=regulator)
    assert unknown.status_code == 404
    no_lot = client.post(
        "/api/v1/recalls",
        json={"lots": [ch.lot("011111", "NOPE")], "reason": "x"},
        headers=regulator,
    )
    assert no_lot.status_code == 404
    not_lot = client.post(
        "/api/v1/recalls", json={"lots": [ch.C1], "reason": "x"}, headers=regulator
    )
    assert not_lot.status_code == 400
    assert "is not a lot" in not_lot.json()["detail"]
    empty = client.post("/api/v1/recalls", json={"lots": [], "reason": "x"}, headers=regulator)
    assert empty.status_code == 400
    operator = {"Authorization": f"Bearer {create_token(chain_db, 'operator', party=ch.R1_CO)}"}
    assert client.get("/api/v1/recalls", headers=operator).status_code == 403
