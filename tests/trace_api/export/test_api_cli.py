"""Exports over ``/api/v1/exports/*`` (regulator, operator scope, problems) and from
``foodtrace export`` (SQLite and PostgreSQL)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path

import openpyxl
import orjson
import pytest
from sqlalchemy.engine import Engine

from foodtrace.cli import run
from foodtrace.epcis.validate import validate_document
from tests.trace_api.api.client import TestClient
from tests.trace_api.export.chain import P3
from tests.trace_api.export.oracle import check_row
from tests.trace_api.trace.chain import L1, R1, R1_CO, c
from trace_api.auth.tokens import create_token
from trace_api.core.config import Settings
from trace_api.export import collect, make_selection
from trace_api.export.fsma204 import fsma204_csv
from trace_api.export.rows import gln_of
from trace_api.main import create_app

PACKED = {c(P3): (10.0, "KGM")}


@pytest.fixture
def client(export_db: Engine, db_url: str) -> Iterator[TestClient]:
    with TestClient(create_app(Settings(db=db_url), engine=export_db)) as test_client:
        yield test_client


def _auth(engine: Engine, role: str, **kwargs: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {create_token(engine, role, **kwargs)}"}


def _csv(content: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"))))


def test_regulator_downloads_each_export(client: TestClient, export_db: Engine) -> None:
    regulator = _auth(export_db, "regulator")
    got = client.get("/api/v1/exports/fsma204", params={"lot": L1}, headers=regulator)
    assert got.status_code == 200
    assert got.headers["content-type"].startswith("text/csv")
    assert 'filename="fsma204-L1.csv"' in got.headers["content-disposition"]
    rows = _csv(got.content)
    assert len(rows) == 7 == int(got.headers["x-export-rows"])
    for row in rows:
        check_row(export_db, row, PACKED)
    xlsx = client.get(
        "/api/v1/exports/fsma204", params={"lot": L1, "format": "xlsx"}, headers=regulator
    )
    assert xlsx.status_code == 200
    assert openpyxl.load_workbook(io.BytesIO(xlsx.content))["All CTEs"].max_row == 8
    art18 = client.get("/api/v1/exports/art18", params={"lot": L1}, headers=regulator)
    assert art18.status_code == 200 and orjson.loads(art18.content)["entries"]
    epcis = client.get("/api/v1/exports/epcis", params={"lot": L1}, headers=regulator)
    assert epcis.status_code == 200
    assert validate_document(orjson.loads(epcis.content)) == []


def test_operator_export_is_limited_to_its_party(client: TestClient, export_db: Engine) -> None:
    operator = _auth(export_db, "operator", party=R1_CO)
    got = client.get("/api/v1/exports/fsma204", params={"lot": L1}, headers=operator)
    assert got.status_code == 200
    rows = _csv(got.content)
    full = _csv(fsma204_csv(collect(export_db, make_selection([L1]))))
    assert 0 < len(rows) < len(full)
    r1 = gln_of(c(R1))
    for row in rows:  # shipped to it (its party named as destination) or received at its shop
        assert r1 in (row["Ship-To Location ID (GLN)"], row["Receiving Location ID (GLN)"])


def test_export_problems(client: TestClient, export_db: Engine) -> None:
    regulator = _auth(export_db, "regulator")
    station = _auth(export_db, "station", station_id="s1")
    assert client.get("/api/v1/exports/fsma204", params={"lot": L1}).status_code == 401
    denied = client.get("/api/v1/exports/fsma204", params={"lot": L1}, headers=station)
    assert denied.status_code == 403
    none = client.get("/api/v1/exports/fsma204", headers=regulator)
    assert none.status_code == 400
    assert none.headers["content-type"] == "application/problem+json"
    assert "either lots" in none.json()["detail"]
    unknown = client.get(
        "/api/v1/exports/fsma204",
        params={"lot": "urn:epc:class:lgtin:4012345.033333.NOPE"},
        headers=regulator,
    )
    assert unknown.status_code == 404
    bad_format = client.get(
        "/api/v1/exports/fsma204", params={"lot": L1, "format": "pdf"}, headers=regulator
    )
    assert bad_format.status_code == 400
    bad_lot = client.get("/api/v1/exports/art18", params={"lot": "junk"}, headers=regulator)
    assert bad_lot.status_code == 400


def test_cli_writes_each_export(
    export_db: Engine, db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "l1.xlsx"
    assert run(["export", "fsma204", "--lot", L1, "--out", str(out), "--db", db_url]) == 0
    assert "wrote 7 rows" in capsys.readouterr().out
    assert openpyxl.load_workbook(out)["All CTEs"].max_row == 8
    out_csv = tmp_path / "range.csv"
    argv = ["export", "fsma204", "--gtin", "04012345333336", "--from", "2026-01-05"]
    argv += ["--to", "2026-01-05T12:00:00Z", "--out", str(out_csv), "--db", db_url]
    assert run(argv) == 0
    rows = _csv(out_csv.read_bytes())
    assert len(rows) == 5
    for row in rows:
        check_row(export_db, row, PACKED)
    art18 = tmp_path / "a.json"
    assert run(["export", "art18", "--lot", L1, "--out", str(art18), "--db", db_url]) == 0
    assert orjson.loads(art18.read_bytes())["lots"][0]["lot"] == c(L1)
    doc = tmp_path / "e.jsonld"
    assert run(["export", "epcis", "--lot", L1, "--out", str(doc), "--db", db_url]) == 0
    assert validate_document(orjson.loads(doc.read_bytes())) == []
    capsys.readouterr()
    assert run(["export", "fsma204", "--out", str(out), "--db", db_url]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "either lots" in err
