"""The station registry is what the MQTT ingest's acceptance reads."""

from __future__ import annotations

import pytest
from sqlalchemy.engine import Engine

from trace_api.exceptions import StationError, StationExistsError, StationNotFoundError
from trace_api.ingest.acceptance import StationDirectory
from trace_api.storage.station_registry import (
    add_station,
    get_station,
    list_stations,
    remove_station,
)

DOCK = "urn:epc:id:sgln:4012345.00001.3"


def test_ingest_sees_registered_and_removed_stations(db: Engine) -> None:
    clock = [0.0]
    directory = StationDirectory(db, refresh_s=10.0, clock=lambda: clock[0])
    assert directory.rights("dock-3") is None
    add_station(db, "dock-3", read_points=[DOCK])
    clock[0] += 2.0  # an unknown station re-reads the table after a second
    rights = directory.rights("dock-3")
    assert rights is not None
    assert rights.read_points == {"https://id.gs1.org/414/4012345000016/254/3"}
    remove_station(db, "dock-3")
    clock[0] += 11.0
    assert directory.rights("dock-3") is None


def test_registry_errors(db: Engine) -> None:
    add_station(db, "a", biz_locations=["4012345000016"])
    with pytest.raises(StationExistsError):
        add_station(db, "a", read_points=[DOCK])
    replaced = add_station(db, "a", read_points=[DOCK, DOCK], replace=True)
    assert (replaced.read_points, replaced.biz_locations) == ([DOCK], [])
    with pytest.raises(StationError, match="station id"):
        add_station(db, "../etc", read_points=[DOCK])
    with pytest.raises(StationNotFoundError):
        remove_station(db, "b")
    assert [s.id for s in list_stations(db)] == ["a"]
    assert get_station(db, "b") is None
