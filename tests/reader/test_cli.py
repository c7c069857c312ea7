"""``foodtrace reader decode`` through ``foodtrace.cli.run`` (both protocols, binary and hex)."""

from __future__ import annotations

import io
import sys
from pathlib import Path
from typing import Any

import orjson
import pytest

from foodtrace.cli import run
from foodtrace.reader.mercury import KeepAlive, TagBuffer, TagData, TagRecord
from foodtrace.reader.r2000 import (
    InventoryRoundEnd,
    InventoryTag,
    RealTimeInventory,
    SetWorkAntenna,
    StatusResponse,
)
from tests.reader.protocol_data import (
    MERCURY_FRAMES,
    R2000_FRAMES,
    SPARKFUN_LOGS,
    golden,
    log_entries,
)

EPC = "E200301666130121155074EF"


def _decode(capsys: pytest.CaptureFixture[str], *args: str) -> list[dict[str, Any]]:
    assert run(["reader", "decode", *args]) == 0
    captured = capsys.readouterr()
    assert captured.err == ""
    lines = [orjson.loads(line) for line in captured.out.splitlines()]
    assert lines[-1]["type"] == "summary"
    return lines


def _stdin(monkeypatch: pytest.MonkeyPatch, data: bytes) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))


def test_r2000_binary_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    capture = tmp_path / "r2000.bin"
    capture.write_bytes(
        b"\x00\xa0\x13"  # line noise, one of them a start byte
        + InventoryTag.from_epc(EPC, antenna=3, rssi_dbm=-61, frequency_index=1).encode()
        + InventoryRoundEnd(3, 1, 29).encode()
    )
    lines = _decode(capsys, "--protocol", "r2000", str(capture))
    tag, end, summary = lines
    assert tag == {
        "type": "inventory_tag",
        "epc": EPC,
        "antenna": 3,
        "rssi_dbm": -61,
        "pc": 0x3000,
        "frequency_khz": 865_500,
        "direction": "reader->host",
        "offset": 3,
        "command": "0x89",
        "command_name": "real_time_inventory",
        "address": 0xFF,
        "frequency_index": 1,
        "rssi_raw": 0x45,
        "phase": None,
    }
    assert end["type"] == "inventory_round_end"
    assert (end["read_rate"], end["total_read"], end["layout"]) == (29, 1, "3")
    assert summary == {
        "type": "summary",
        "protocol": "r2000",
        "frames": 2,
        "tags": 1,
        "bytes": 3 + 21 + 12,
        "bytes_dropped": 3,
        "checksum_errors": 1,
        "length_errors": 0,
        "unknown_frames": 0,
        "malformed_frames": 0,
    }


def test_r2000_golden_frames_as_hex_on_stdin(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    frames = golden(R2000_FRAMES)
    _stdin(monkeypatch, "\n".join(frame["hex"] for frame in frames).encode())
    lines = _decode(capsys, "--protocol", "r2000", "--hex")
    types = [line["type"] for line in lines[:-1]]
    assert types == [
        "get_firmware_version",
        "firmware_version",
        "set_work_antenna",
        "status",
        "real_time_inventory",
        "inventory_tag",
        "inventory_round_end",
    ]
    assert [line.get("direction") for line in lines[:-1]] == [
        frame["direction"] for frame in frames if frame["checksum_ok"]
    ]
    summary = lines[-1]
    assert (summary["frames"], summary["tags"], summary["checksum_errors"]) == (7, 1, 2)


def test_r2000_ambiguous_frames_have_no_direction(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    capture = tmp_path / "cmd.hex"
    capture.write_text(StatusResponse(0x89, 0x11).encode().hex(" "))
    (line, _) = _decode(capsys, "-p", "r2000", "--hex", str(capture))
    assert line["type"] == "status"  # also reads as "repeat 17 rounds": direction unknown
    assert "direction" not in line
    (line, _) = _decode(capsys, "-p", "r2000", "--hex", "--direction", "host", str(capture))
    assert (line["type"], line["repeat"], line["direction"]) == (
        "real_time_inventory",
        0x11,
        "host->reader",
    )


def test_r2000_host_direction(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    capture = tmp_path / "commands.bin"
    capture.write_bytes(RealTimeInventory(1).encode() + SetWorkAntenna(2).encode())
    lines = _decode(capsys, "--protocol", "r2000", "--direction", "host", str(capture))
    assert [(line["type"], line["direction"]) for line in lines[:-1]] == [
        ("real_time_inventory", "host->reader"),
        ("set_work_antenna", "host->reader"),
    ]


def test_mercury_binary_log(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = next(p for p in SPARKFUN_LOGS if p.name == "3-Ant_Select_Reading.txt")
    received = b"".join(entry.data for entry in log_entries(path) if not entry.sending)
    capture = tmp_path / "nano.bin"
    capture.write_bytes(received)
    lines = _decode(capsys, "--protocol", "mercury", "--direction", "reader", str(capture))
    tags = [line for line in lines if line["type"] == "tag_record"]
    assert len(tags) == 1122
    first = tags[0]
    assert {"epc", "antenna", "rssi_dbm", "pc", "frequency_khz", "phase", "timestamp_ms"} <= set(
        first
    )
    assert first["direction"] == "reader->host"
    assert first["tag"]["tag_crc_ok"] is True
    summary = lines[-1]
    assert (summary["tags"], summary["bytes"], summary["bytes_dropped"]) == (
        1122,
        len(received),
        0,
    )
    assert sum(line["type"] == "keep_alive" for line in lines) == 16


def test_mercury_hex_with_separators_and_tag_buffer(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    buffer = TagBuffer((TagData.gen2("11223344"), TagData.gen2("55667788", rssi_dbm=-70)))
    stream = buffer.encode() + KeepAlive(status=0x0400).encode()
    spelled = ",".join(f"0x{b:02X}" for b in stream[:10]) + "\n" + stream[10:].hex(":")
    _stdin(monkeypatch, spelled.encode())
    buffer_line, keep_alive, summary = _decode(capsys, "--protocol", "mercury", "--hex", "-")
    assert buffer_line["type"] == "tag_buffer"
    assert [tag["epc"] for tag in buffer_line["tags"]] == ["11223344", "55667788"]
    assert buffer_line["tags"][1]["rssi_dbm"] == -70
    assert keep_alive["status_name"] == "no_tags_found"
    assert summary["tags"] == 2


def test_mercury_golden_frames_both_directions(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    _stdin(monkeypatch, " ".join(frame["hex"] for frame in golden(MERCURY_FRAMES)).encode())
    lines = _decode(capsys, "-p", "mercury", "--hex")
    assert [(line["type"], line["direction"]) for line in lines[:-1]] == [
        ("get_version", "host->reader"),
        ("version", "reader->host"),
        ("tag_record", "reader->host"),
        ("tag_record", "reader->host"),
    ]
    assert [line["epc"] for line in lines[2:4]] == [
        "E2001026760E017915907125",
        "596F596F",
    ]


def test_garbage_only_still_exits_zero(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    capture = tmp_path / "noise.bin"
    capture.write_bytes(bytes(range(256)) * 4)
    (summary,) = _decode(capsys, "-p", "mercury", str(capture))
    assert summary["frames"] == 0
    assert summary["bytes_dropped"] == summary["bytes"] == 1024
    empty = tmp_path / "empty.bin"
    empty.write_bytes(b"")
    (summary,) = _decode(capsys, "-p", "r2000", str(empty))
    assert (summary["frames"], summary["bytes"]) == (0, 0)


def test_a_truncated_tail_is_counted(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    record = TagRecord(TagData.gen2(EPC)).encode()
    capture = tmp_path / "cut.bin"
    capture.write_bytes(record + record[:20])
    lines = _decode(capsys, "-p", "mercury", str(capture))
    assert lines[-1]["frames"] == 1
    assert lines[-1]["bytes_dropped"] == 20


def _one_line_error(capsys: pytest.CaptureFixture[str], args: list[str], code: int | None) -> str:
    """Run, expect exit ``code`` (``None``: any failure) and one line on stderr."""
    result = run(["reader", "decode", *args])
    assert result == code if code is not None else result != 0
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.count("\n") == 1
    assert captured.err.startswith("foodtrace: error: ")
    return captured.err


def test_invalid_hex_is_a_one_line_error(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    _stdin(monkeypatch, b"A0 04 01 89 01 D1\nA0 0G")
    err = _one_line_error(capsys, ["-p", "r2000", "--hex"], 1)
    assert "line 2: '0G' is not hex bytes" in err


def test_unreadable_input_is_a_one_line_error(capsys: pytest.CaptureFixture[str]) -> None:
    err = _one_line_error(capsys, ["-p", "r2000", "/nonexistent/capture.bin"], 1)
    assert "/nonexistent/capture.bin" in err


def test_protocol_is_required_and_checked(capsys: pytest.CaptureFixture[str]) -> None:
    # Usage errors: the exit code is foodtrace.cli's business (2 for usage errors once it
    # recognises typer's own click exceptions); here only "fails, on one line".
    assert "protocol" in _one_line_error(capsys, ["-"], None)
    assert "llrp" in _one_line_error(capsys, ["--protocol", "llrp", "-"], None)


def test_help_lists_the_group(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["--help"]) == 0
    assert "Decode reader serial captures." in capsys.readouterr().out
