"""``foodtrace epcis validate``: silent exit 0 on valid files; one line per problem and exit 1."""

from __future__ import annotations

import io
import re
import sys
from pathlib import Path

import orjson
import pytest

from foodtrace.cli import run
from tests.epcis.epcis_data import ALL_FIELDS, EXAMPLES, FSMA204, INVALID, load

VALID = [path for path in EXAMPLES if path not in ALL_FIELDS]
LINE = re.compile(
    r"^(?P<file>.+?): (?:event (?P<index>\d+)|document) at (?P<pointer>/\S*): (?P<message>.+)$"
)


def test_valid_files(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["epcis", "validate", *map(str, VALID)]) == 0
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == ""


def test_fsma_documents(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    stripped = []
    for path in FSMA204:
        copy = tmp_path / path.name
        copy.write_bytes(orjson.dumps(load(path)))  # without _comment_gs1us_mapping
        stripped.append(str(copy))
    assert run(["epcis", "validate", *stripped]) == 0
    assert capsys.readouterr().out == ""


def test_fsma_document_with_its_comment_key_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    path = FSMA204[0]
    assert run(["epcis", "validate", str(path)]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert lines == [
        f"{path}: document at /_comment_gs1us_mapping: EPCISDocument has unknown field "
        "'_comment_gs1us_mapping': not a standard field and not a namespaced extension "
        "(prefix:name) [schema]"
    ]


def test_invalid_files(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["epcis", "validate", *map(str, INVALID), str(VALID[0])]) == 1
    captured = capsys.readouterr()
    lines = captured.out.splitlines()
    files = set()
    for line in lines:
        match = LINE.match(line)
        assert match, line
        files.add(match["file"])
        if match["index"] is not None:
            assert match["pointer"].startswith(f"/epcisBody/eventList/{match['index']}")
    assert files == {str(path) for path in INVALID}
    assert captured.err == f"{len(INVALID)} of {len(INVALID) + 1} file(s) invalid\n"


def test_one_line_names_file_event_pointer_and_message(capsys: pytest.CaptureFixture[str]) -> None:
    path = next(
        p for p in INVALID if p.name == "ObjectEvent_with_non_standard_bizStep_in_second_event.json"
    )
    assert run(["epcis", "validate", str(path)]) == 1
    assert capsys.readouterr().out == (
        f"{path}: event 1 at /epcisBody/eventList/1/bizStep: bizStep 'transforming' is neither "
        "a CBV 2.0 business step nor a URI [schema]\n"
    )


def test_rule_warnings_go_to_stderr_and_do_not_fail(capsys: pytest.CaptureFixture[str]) -> None:
    path = ALL_FIELDS[0]
    assert run(["epcis", "validate", str(path)]) == 0
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "[epcis:sensor-min-max]" in captured.err
    assert all(
        line.startswith(f"{path}: warning: event 0 at /epcisBody/eventList/0/")
        for line in captured.err.splitlines()
    )


def test_rule_errors_fail(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    doc = load(next(p for p in VALID if p.name == "Example_9.6.1-ObjectEvent.jsonld"))
    event = doc["epcisBody"]["eventList"][0]
    doc["epcisBody"]["eventList"].insert(1, dict(event))  # same eventID twice
    path = tmp_path / "twice.jsonld"
    path.write_bytes(orjson.dumps(doc))
    assert run(["epcis", "validate", str(path)]) == 1
    out = capsys.readouterr().out
    assert "[epcis:eventID-unique]" in out
    assert out.startswith(f"{path}: event 1 at /epcisBody/eventList/1/eventID")


def test_not_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    broken = tmp_path / "broken.jsonld"
    broken.write_text('{"type": "EPCISDocument",')
    assert run(["epcis", "validate", str(broken), str(VALID[0])]) == 1
    captured = capsys.readouterr()
    assert captured.out.startswith(f"{broken}: document at /: not JSON: ")
    assert captured.out.count("\n") == 1
    assert "Traceback" not in captured.out + captured.err


def test_missing_file_does_not_stop_the_others(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "nope.jsonld"
    assert run(["epcis", "validate", str(missing), str(INVALID[0])]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == f"{missing}: document at /: cannot read: No such file or directory"
    assert any(line.startswith(str(INVALID[0])) for line in lines[1:])


def test_stdin(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(VALID[0].read_bytes())))
    assert run(["epcis", "validate", "-"]) == 0
    assert capsys.readouterr().out == ""
