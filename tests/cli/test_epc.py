"""``foodtrace epc decode|encode``: one output line per input line, errors on stderr, exit 1."""

from __future__ import annotations

import io
import json

import pytest

from foodtrace.cli import run

E3_HEX = "3074257BF7194E4000001A85"
E3_URN = "urn:epc:id:sgtin:0614141.812345.6789"
E3_TAG = "urn:epc:tag:sgtin-96:3.0614141.812345.6789"
TID = "E2001026760E017915907125"


def _stdin(monkeypatch: pytest.MonkeyPatch, text: str) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(text))


def test_decode_arguments_default_urn(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["epc", "decode", E3_HEX, "3114257BF4499602D2000000"]) == 0
    out = capsys.readouterr()
    assert out.out.splitlines() == [E3_URN, "urn:epc:id:sscc:0614141.1234567890"]
    assert out.err == ""


@pytest.mark.parametrize(
    ("fmt", "expected"),
    [
        ("urn", E3_URN),
        ("tag-uri", E3_TAG),
        ("dl", "https://id.gs1.org/01/80614141123458/21/6789"),
    ],
)
def test_decode_formats(capsys: pytest.CaptureFixture[str], fmt: str, expected: str) -> None:
    assert run(["epc", "decode", "--format", fmt, E3_HEX.lower()]) == 0
    assert capsys.readouterr().out == expected + "\n"


def test_decode_json_is_one_compact_object_per_line(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["epc", "decode", "-f", "json", "--domain", "https://example.com", E3_HEX]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 1
    assert " " not in lines[0]
    assert json.loads(lines[0]) == {
        "scheme": "sgtin-96",
        "filter": 3,
        "uri": E3_URN,
        "tag_uri": E3_TAG,
        "hex": E3_HEX,
        "fields": {"company_prefix": "0614141", "item_reference": "812345", "serial": "6789"},
        "ai": [["01", "80614141123458"], ["21", "6789"]],
        "digital_link": "https://example.com/01/80614141123458/21/6789",
    }


def test_decode_stdin_bad_and_blank_lines_stay_aligned(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _stdin(monkeypatch, f"{E3_HEX}\n\nzz\n{TID}\n  {E3_HEX}  \r\n")
    assert run(["epc", "decode"]) == 1
    out = capsys.readouterr()
    assert out.out.split("\n") == [E3_URN, "", "", "", E3_URN, ""]
    err = out.err.splitlines()
    assert err[0] == "line 2: empty line"
    assert err[1].startswith("line 3: EPC hex 'zz': invalid character 'z'")
    assert err[2].startswith("line 4: unknown EPC header 0xE2")
    assert len(err) == 3


def test_decode_raw_passes_non_gs1_headers_through(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["epc", "decode", "--raw", TID, E3_HEX]) == 0
    assert capsys.readouterr().out.splitlines() == [f"urn:epc:raw:96.x{TID}", E3_URN]
    assert run(["epc", "decode", "--raw", "-f", "json", TID]) == 0
    assert json.loads(capsys.readouterr().out) == {
        "scheme": None,
        "raw_uri": f"urn:epc:raw:96.x{TID}",
        "hex": TID,
    }


def test_decode_dl_of_an_epc_without_gs1_key_is_a_bad_line(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert run(["epc", "decode", "-f", "dl", "350007AB70425D4000000586", E3_HEX]) == 1
    out = capsys.readouterr()
    assert out.out == "\nhttps://id.gs1.org/01/80614141123458/21/6789\n"
    assert out.err == (
        "line 1: urn:epc:id:gid:31415.271828.1414 carries no GS1 key, so it has no Digital Link\n"
    )


def test_encode_defaults_and_options(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["epc", "encode", E3_URN, E3_TAG, "urn:epc:id:sgtin:0614141.812345.A%2Fb"]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "3014257BF7194E4000001A85",  # URN: sgtin-96 (fits), filter 0
        E3_HEX,  # tag URI: its own scheme and filter
        "3614257BF7194E60AFC400000000000000000000000000000000",  # alphanumeric serial: sgtin-198
    ]
    assert run(["epc", "encode", "--scheme", "sgtin-198", "--filter", "3", E3_URN]) == 0
    assert capsys.readouterr().out == "3674257BF7194E5B3770E4".ljust(52, "0") + "\n"


def test_encode_stdin_errors_and_json(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _stdin(monkeypatch, f"{E3_TAG}\nurn:epc:tag:sgtin-96:9.0614141.812345.6789\n\n")
    assert run(["epc", "encode"]) == 1
    out = capsys.readouterr()
    assert out.out.split("\n") == [E3_HEX, "", "", ""]
    assert out.err.splitlines() == [
        "line 2: 'urn:epc:tag:sgtin-96:9.0614141.812345.6789': filter value 9 out of range 0-7 "
        "for sgtin-96",
        "line 3: empty line",
    ]
    assert run(["epc", "encode", "-f", "json", "--filter", "1", E3_TAG]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["tag_uri"] == "urn:epc:tag:sgtin-96:1.0614141.812345.6789"
    assert data["hex"] == "3034257BF7194E4000001A85"


def test_encode_unknown_scheme_is_a_bad_line(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["epc", "encode", "--scheme", "sgtin-64", E3_URN]) == 1
    out = capsys.readouterr()
    assert out.out == "\n"
    assert "unknown EPC binary coding scheme 'sgtin-64'" in out.err
