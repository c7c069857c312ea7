"""Fixtures of the REST interface tests: an app on a migrated database, tokens, a station."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy.engine import Engine

from tests.trace_api.api.client import TestClient
from trace_api.api.limits import CaptureLimits
from trace_api.auth.tokens import create_token
from trace_api.core.config import Settings
from trace_api.main import create_app
from trace_api.models import metadata

STATION_READ_POINT = "urn:epc:id:sgln:4012345.00001.0"
STATION_LOCATION = "urn:epc:id:sgln:4012345.00001.0"


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def limits() -> CaptureLimits:
    return CaptureLimits(max_events=500, max_bytes=2_000_000)


@pytest.fixture
def client(db: Engine, db_url: str, limits: CaptureLimits) -> Iterator[TestClient]:
    app = create_app(Settings(db=db_url), capture_limits=limits, engine=db)
    with TestClient(app) as test_client:
        yield test_client


@pytest.fixture
def regulator(db: Engine) -> dict[str, str]:
    return bearer(create_token(db, "regulator"))


@pytest.fixture
def station(db: Engine) -> dict[str, str]:
    with db.begin() as connection:
        connection.execute(
            metadata.tables["station"].insert(),
            {
                "id": "dock-1",
                "read_points": [STATION_READ_POINT],
                "biz_locations": [STATION_LOCATION],
            },
        )
    return bearer(create_token(db, "station", station_id="dock-1"))
