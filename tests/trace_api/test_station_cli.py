"""``foodtrace station add|list|remove`` on SQLite and PostgreSQL."""

from __future__ import annotations

import orjson
import pytest
from sqlalchemy.engine import Engine

from foodtrace.cli import run
from trace_api.storage import load_master_data
from trace_api.storage.station_registry import get_station

READ_POINT = "urn:epc:id:sgln:4012345.00001.3"
SITE = "urn:epc:id:sgln:4012345.00001.0"


def test_add_list_remove(db: Engine, db_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    load_master_data(
        db,
        {
            "parties": [{"gln": "4012345000009"}],
            "locations": [{"gln": SITE, "party": "4012345000009"}],
        },
    )
    args = ["station", "add", "--id", "dock-door-3", "--read-point", READ_POINT]
    more = ["--biz-location", SITE, "--party", "4012345000009", "--site", "4012345000016"]
    assert run([*args, *more, "--db", db_url]) == 0
    assert "station dock-door-3: 1 read point(s), 1 biz location(s)" in capsys.readouterr().out
    record = get_station(db, "dock-door-3")
    assert record is not None
    assert (record.read_points, record.biz_locations) == ([READ_POINT], [SITE])
    assert (record.party, record.site) == ("4012345000009", SITE)
    # adding it again fails, --replace redefines it
    assert run([*args, "--db", db_url]) == 1
    assert "already registered" in capsys.readouterr().err
    assert run([*args, "--read-point", SITE, "--replace", "--db", db_url]) == 0
    capsys.readouterr()
    assert run(["station", "list", "--json", "--db", db_url]) == 0
    listed = orjson.loads(capsys.readouterr().out)
    assert listed == [
        {
            "id": "dock-door-3",
            "read_points": [READ_POINT, SITE],
            "biz_locations": [],
            "party": None,
            "site": None,
        }
    ]
    assert run(["station", "remove", "dock-door-3", "--db", db_url]) == 0
    assert get_station(db, "dock-door-3") is None
    capsys.readouterr()
    assert run(["station", "remove", "dock-door-3", "--db", db_url]) == 1
    assert "no station 'dock-door-3'" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ([], "at least one read point"),
        (["--read-point", "somewhere"], "not a GS1 location"),
        (["--read-point", READ_POINT, "--party", "4012345000009"], "unknown party"),
        (["--read-point", READ_POINT, "--site", SITE], "unknown site location"),
    ],
)
def test_refused_definitions(
    db: Engine, db_url: str, capsys: pytest.CaptureFixture[str], extra: list[str], message: str
) -> None:
    assert run(["station", "add", "--id", "s1", *extra, "--db", db_url]) == 1
    assert message in capsys.readouterr().err
    assert get_station(db, "s1") is None
