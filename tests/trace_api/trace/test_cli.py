"""``foodtrace trace`` and ``foodtrace recall`` against a database file (SQLite) and
PostgreSQL, through :func:`foodtrace.cli.run`."""

from __future__ import annotations

from typing import Any

import orjson
import pytest
from sqlalchemy.engine import Engine

from foodtrace.cli import run
from tests.trace_api.trace import chain as ch
from tests.trace_api.trace.chain import c
from trace_api.trace import trace


def _json(capsys: pytest.CaptureFixture[str], argv: list[str]) -> Any:
    assert run(argv) == 0
    return orjson.loads(capsys.readouterr().out)


@pytest.mark.parametrize("direction", ["back", "forward", "both"])
def test_trace_json_contract(
    chain_db: Engine, db_url: str, capsys: pytest.CaptureFixture[str], direction: str
) -> None:
    out = _json(capsys, ["trace", ch.L1, "--db", db_url, "--direction", direction, "--json"])
    assert set(out) == {"nodes", "edges", "timeline", "holders"}
    assert all({"id", "kind"} <= set(node) for node in out["nodes"])
    expected = trace(chain_db, ch.L1, direction).to_dict()
    assert out == {k: expected[k] for k in out}


def test_trace_tables(chain_db: Engine, db_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["trace", ch.H1, "--db", db_url, "--direction", "forward"]) == 0
    out = capsys.readouterr().out
    assert "Journey" in out
    assert "Current holders" in out
    assert "Shop One" in out
    assert "sold" in out


def test_trace_errors_are_one_line(
    chain_db: Engine, db_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(["trace", "urn:epc:id:sgtin:4012345.022222.NOPE", "--db", db_url]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "no stored event names" in err
    assert run(["trace", "urn:epc:id:sgtin:4012345.022222", "--db", db_url]) == 1
    assert "3 dot-separated components" in capsys.readouterr().err
    assert run(["trace", ch.L1, "--db", db_url, "--direction", "up"]) == 1
    assert "direction 'up'" in capsys.readouterr().err


def test_recall_declare_show_list(
    chain_db: Engine, db_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    lots = ["--lot", ch.H1, "--lot", ch.H2]
    declared = _json(
        capsys, ["recall", "declare", *lots, "--reason", "Listeria", "--db", db_url, "--json"]
    )
    assert declared["reason"] == "Listeria"
    assert [(x["id"], x["status"]) for x in declared["blastRadius"]["lots"]] == [
        (c(ch.H1), "recalled"),
        (c(ch.H2), "recalled"),
        (c(ch.L1), "affected"),
    ]
    shown = _json(capsys, ["recall", "show", declared["id"], "--db", db_url, "--json"])
    assert shown == declared
    listed = _json(capsys, ["recall", "list", "--db", db_url, "--json"])
    assert [r["id"] for r in listed["recalls"]] == [declared["id"]]
    assert run(["recall", "show", declared["id"], "--db", db_url]) == 0
    assert "Listeria" in capsys.readouterr().out
    assert run(["recall", "show", "nope", "--db", db_url]) == 1
    assert "no recall nope" in capsys.readouterr().err
    assert run(["recall", "declare", "--lot", ch.C1, "--reason", "x", "--db", db_url]) == 1
    assert "is not a lot" in capsys.readouterr().err
