"""The OpenAPI document describes every route: a summary, its success response and each
problem response it can give (as ``application/problem+json``), and no FastAPI 422."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.trace_api.api.client import TestClient

_OPEN = {("GET", "/api/v1/health"), ("GET", "/api/v1/qr")}  # public: no auth problems


@pytest.fixture
def db_url(tmp_path: Path) -> str:
    """The schema does not depend on the database: SQLite only."""
    return f"sqlite:///{tmp_path / 'trace.db'}"


def _operations(client: TestClient) -> list[tuple[str, str, dict[str, Any]]]:
    schema = client.get("/api/v1/openapi.json").json()
    return [
        (method.upper(), path, operation)
        for path, operations in schema["paths"].items()
        if path.startswith(("/epcis", "/api/v1"))
        for method, operation in operations.items()
    ]


def test_every_operation_is_documented(client: TestClient) -> None:
    operations = _operations(client)
    assert len(operations) > 50
    for method, path, operation in operations:
        where = f"{method} {path}"
        assert operation.get("summary"), f"{where}: no summary"
        responses = operation["responses"]
        assert any(code.startswith("2") for code in responses), f"{where}: no success response"
        assert "422" not in responses, f"{where}: documents FastAPI's 422, we answer 400"
        for code, response in responses.items():
            if code.startswith(("4", "5")) and code != "503":
                assert "application/problem+json" in response.get("content", {}), (where, code)
        if method != "OPTIONS" and (method, path) not in _OPEN:
            assert {"401", "403"} <= responses.keys(), f"{where}: auth problems undocumented"


def test_validation_errors_are_400_problems(client: TestClient, regulator: dict[str, str]) -> None:
    response = client.get("/api/v1/masterdata/parties?limit=0", headers=regulator)
    assert response.status_code == 400
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["errors"][0]["pointer"] == "/query/limit"
