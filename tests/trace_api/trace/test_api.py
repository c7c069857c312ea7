"""``GET /api/v1/trace/{id}`` on the app, over the hand-built chain (SQLite and PostgreSQL)."""

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
from trace_api.trace import trace


@pytest.fixture
def client(chain_db: Engine, db_url: str) -> Iterator[TestClient]:
    with TestClient(create_app(Settings(db=db_url), engine=chain_db)) as test_client:
        yield test_client


def _bearer(db: Engine, role: str, **kwargs: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {create_token(db, role, **kwargs)}"}


def test_trace_by_lgtin_and_digital_link(client: TestClient, chain_db: Engine) -> None:
    regulator = _bearer(chain_db, "regulator")
    response = client.get(f"/api/v1/trace/{ch.L1}?direction=back", headers=regulator)
    assert response.status_code == 200
    assert response.json() == trace(chain_db, ch.L1, "back").to_dict()
    by_link = client.get(
        "/api/v1/trace/https://id.gs1.org/01/04012345333336/10/L1",
        params={"direction": "forward"},
        headers=regulator,
    )
    assert by_link.status_code == 200
    body = by_link.json()
    assert body["direction"] == "forward"
    assert {(h["location"], h["status"]) for h in body["holders"]} == {
        (c(ch.R1), "sold"),
        (c(ch.R2), "held"),
    }
    default = client.get(f"/api/v1/trace/{ch.C1}", headers=regulator).json()
    assert default["direction"] == "both"


def test_trace_errors_are_problems(client: TestClient, chain_db: Engine) -> None:
    regulator = _bearer(chain_db, "regulator")
    unknown = client.get("/api/v1/trace/urn:epc:id:sgtin:4012345.022222.NOPE", headers=regulator)
    assert unknown.status_code == 404
    assert unknown.headers["content-type"] == "application/problem+json"
    assert "no stored event names" in unknown.json()["detail"]
    malformed = client.get("/api/v1/trace/urn:epc:id:sgtin:4012345.022222", headers=regulator)
    assert malformed.status_code == 400
    assert "3 dot-separated components" in malformed.json()["detail"]
    bad_check = client.get("/api/v1/trace/04012345333331", headers=regulator)
    assert bad_check.status_code == 400
    assert "check digit" in bad_check.json()["detail"]
    sideways = client.get(f"/api/v1/trace/{ch.L1}?direction=sideways", headers=regulator)
    assert sideways.status_code == 400


def test_trace_needs_a_regulator(client: TestClient, chain_db: Engine) -> None:
    assert client.get(f"/api/v1/trace/{ch.L1}").status_code == 401
    operator = _bearer(chain_db, "operator", party=ch.R1_CO)
    refused = client.get(f"/api/v1/trace/{ch.L1}", headers=operator)
    assert refused.status_code == 403
    assert refused.headers["content-type"] == "application/problem+json"
