"""The simulated Mercury module answers the captured URA sessions byte for byte."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from firmware_sim.device import SimulatedReader
from firmware_sim.scenario import Scenario, TagSpec, epc_bytes
from foodtrace.reader.mercury import (
    ContinuousReadStopped,
    KeepAlive,
    SetReadTxPower,
    StartContinuousRead,
    StatusResponse,
    StopContinuousRead,
    TagRecord,
    decode_response,
)
from foodtrace.reader.mercury.frame import build_command
from tests.firmware_sim.clock import ManualClock
from tests.reader.protocol_data import SPARKFUN_LOGS, LogEntry, log_entries

CONNECT_LOGS = [p for p in SPARKFUN_LOGS if p.name[:2] in ("1-", "2-")]
READING_LOG = next(p for p in SPARKFUN_LOGS if p.name.startswith("3-"))
KEEP_ALIVE = bytes.fromhex("FF0022040084E0")
STOPPED = bytes.fromhex("FF012F00000230E6")


def exchanges(path: Path) -> list[tuple[LogEntry, LogEntry]]:
    entries = list(log_entries(path))
    return [(a, b) for a, b in itertools.pairwise(entries) if a.sending and not b.sending]


@pytest.mark.parametrize("path", CONNECT_LOGS, ids=lambda p: p.name)
def test_connect_and_region_logs_replay_exactly(path: Path) -> None:
    """Every command of the logged sessions, in order, gets the logged reply."""
    clock = ManualClock()
    reader = SimulatedReader("mercury", None, clock)
    pairs = exchanges(path)
    assert len(pairs) >= 4
    for sent, received in pairs:
        reader.write(sent.data)
        assert reader.read() == [received.data], f"line {sent.line}: {sent.data.hex()}"


def test_power_above_the_maximum_is_refused() -> None:
    reader = SimulatedReader("mercury", None, ManualClock())
    reader.write(SetReadTxPower(3000).encode())
    assert decode_response(reader.read()[0]) == StatusResponse(0x92, status=0x0103)
    unknown = build_command(0xEE)
    reader.write(unknown[:-1] + bytes((unknown[-1] ^ 1,)))  # bad CRC: ignored, as on the wire
    assert reader.read() == []
    reader.write(unknown)
    assert decode_response(reader.read()[0]) == StatusResponse(0xEE, status=0x0101)


def logged_reading() -> tuple[list[LogEntry], list[LogEntry]]:
    entries = list(log_entries(READING_LOG))
    sent = [e for e in entries if e.sending]
    return entries, sent


def test_continuous_read_sequence_matches_the_log() -> None:
    entries, sent = logged_reading()
    start = next(e for e in sent if e.data[2] == 0x2F and e.data[5] == 0x01)
    stop = next(e for e in sent if e.data[2] == 0x2F and e.data[5] == 0x02)
    assert isinstance(StartContinuousRead.decode(start.data), StartContinuousRead)
    started_reply = entries[entries.index(start) + 1].data
    logged = [e.data for e in entries if not e.sending and e.data[2] == 0x22 and len(e.data) > 7]
    record = bytes.fromhex(
        "FF2822000010001B01FF0101C9110E0830000000130000050000"
        "0F00803000E2001026760E01791590712519855797"
    )
    assert record in logged  # the record compared byte for byte below

    tag = TagSpec(epc_bytes("E2001026760E017915907125"))
    clock = ManualClock()
    scenario = Scenario(tags=(tag,), read_rate=1000, rssi_at_1m_dbm=-55, rssi_noise_db=0)
    reader = SimulatedReader("mercury", scenario, clock)
    reader.write(bytes.fromhex("FF01970D4BB0"))  # the logged set region NA2
    assert reader.read() == [bytes.fromhex("FF0097000077 9E".replace(" ", ""))]
    reader.write(start.data)
    assert reader.read() == [started_reply]
    out: list[bytes] = []
    for _ in range(2500):
        clock.advance(0.001)
        out.extend(reader.read())
    assert record in out  # timestamp 19 ms, 919.6 MHz (the NA2 table's first hop), -55 dBm
    keep_alives = [i for i, chunk in enumerate(out) if chunk == KEEP_ALIVE]
    assert len(keep_alives) == 2  # one per 1 s search, as in the log
    records = [decode_response(c) for c in out if c != KEEP_ALIVE]
    assert all(isinstance(r, TagRecord) for r in records)
    first_search = records[: keep_alives[0]]
    assert {r.tag.frequency_khz for r in first_search} == {919_600}  # type: ignore[attr-defined]
    stamps = [r.tag.timestamp_ms for r in first_search]  # type: ignore[attr-defined]
    assert stamps == sorted(stamps) and stamps[-1] < 1000
    assert abs(len(out) - (2500 + 2)) <= 1  # 1000 reads/s for 2.5 s plus two keep-alives

    reader.write(stop.data)
    tail: list[bytes] = []
    for _ in range(200):
        clock.advance(0.001)
        tail.extend(reader.read())
    assert tail[-2:] == [KEEP_ALIVE, STOPPED]  # the logged end of a continuous read
    assert 40 <= len(tail) - 2 <= 51  # reads until the search in progress ends
    assert decode_response(tail[-1]) == ContinuousReadStopped()
    clock.advance(1.0)
    assert reader.read() == []  # stopped: silence


def test_no_records_without_continuous_read_and_sensor_data() -> None:
    tag = TagSpec(epc_bytes("3014257BF7194E4000001A85"), temperature_c=-18.25)
    clock = ManualClock()
    reader = SimulatedReader("mercury", Scenario(tags=(tag,)), clock)
    clock.advance(2.0)
    assert reader.read() == []
    reader.write(StartContinuousRead().encode())
    clock.advance(0.1)
    chunks = reader.read()
    records = [decode_response(c) for c in chunks[1:]]
    assert len(records) == 30  # 300 reads/s
    first = records[0]
    assert isinstance(first, TagRecord)
    assert int.from_bytes(first.tag.data or b"", "big", signed=True) == -1825
    reader.write(StopContinuousRead().encode())
    clock.advance(0.1)
    assert decode_response(reader.read()[-2]) == KeepAlive(status=0x0400)
