"""``foodtrace epcis hash FILE``: one CBV 2.0 hash ID per event, in document order."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pytest

from foodtrace.cli import run

VECTORS = Path(__file__).parent.parent / "data" / "epcis-hash" / "examples"


@pytest.mark.parametrize(
    "name",
    ["epcisDocWithSingleEvent", "epcisDocWithVariousEventTypes", "epcisQueryDocument"],
)
def test_prints_one_hash_per_event_in_order(name: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["epcis", "hash", str(VECTORS / f"{name}.jsonld")]) == 0
    out = capsys.readouterr().out
    assert out.splitlines() == (VECTORS / f"{name}.hashes").read_text().split()


def test_reads_stdin(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    data = (VECTORS / "epcisDocWithSingleEvent.jsonld").read_bytes()
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))
    assert run(["epcis", "hash", "-"]) == 0
    assert (
        capsys.readouterr().out.split()
        == (VECTORS / "epcisDocWithSingleEvent.hashes").read_text().split()
    )


def test_not_json_is_a_one_line_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "broken.jsonld"
    path.write_text('{"epcisBody": {"eventList": [\n  {"type": "ObjectEvent",\n')
    assert run(["epcis", "hash", str(path)]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.count("\n") == 1
    assert captured.err.startswith("foodtrace: error: ")
    assert "not JSON" in captured.err
    assert str(path) in captured.err


def test_not_an_epcis_document_is_a_one_line_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "other.json"
    path.write_text('{"hello": "world"}')
    assert run(["epcis", "hash", str(path)]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "no 'epcisBody'" in err


def test_an_event_without_type_names_its_index(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "doc.json"
    path.write_text('{"epcisBody": {"eventList": [{"type": "ObjectEvent"}, {"action": "ADD"}]}}')
    assert run(["epcis", "hash", str(path)]) == 1
    assert "event 1: event has no 'type'" in capsys.readouterr().err
