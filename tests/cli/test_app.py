"""The root command: help lists the groups; every error is one line and a non-zero exit."""

from __future__ import annotations

import subprocess
import sys

import pytest

from foodtrace import __version__
from foodtrace.cli import run


def test_help_lists_groups(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["--help"]) == 0
    out = capsys.readouterr().out
    for group in ("epc", "epcis"):
        assert group in out


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["--version"]) == 0
    assert capsys.readouterr().out.strip() == f"foodtrace {__version__}"


def test_unknown_command_is_one_line_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["no-such-command"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert err.startswith("foodtrace: error: ")
    assert "no-such-command" in err


def test_missing_file_is_one_line_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["epcis", "hash", "/nonexistent/doc.jsonld"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "/nonexistent/doc.jsonld" in err
    assert "Traceback" not in err


def test_console_script_never_shows_a_traceback() -> None:
    proc = subprocess.run(
        [sys.executable, "-c", "from foodtrace.cli import main; main()", "epcis", "hash", "/nope"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr
    assert proc.stderr.startswith("foodtrace: error: ")
