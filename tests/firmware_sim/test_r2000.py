"""The simulated R2000 module answers like the logged IND903, and streams tags only while an
inventory runs."""

from __future__ import annotations

from typing import Any

from firmware_sim.device import SimulatedReader
from firmware_sim.r2000 import EMPTY_ROUND_S
from firmware_sim.scenario import Fault, Scenario, TagSpec, epc_bytes
from foodtrace.reader.r2000 import (
    AntennaMissing,
    FastSwitchAntennaInventory,
    FastSwitchRoundEnd,
    FrequencyRegion,
    GetFrequencyRegion,
    GetOutputPower,
    GetWorkAntenna,
    InventoryRoundEnd,
    InventoryTag,
    OutputPower,
    RealTimeInventory,
    Region,
    Reset,
    SetFrequencyRegion,
    SetOutputPower,
    SetWorkAntenna,
    StatusResponse,
    WorkAntenna,
    decode_response,
)
from tests.firmware_sim.clock import ManualClock
from tests.reader.protocol_data import R2000_FRAMES, golden

CAPTURED_EPC = "E200301666130121155074EF"


def make(scenario: Scenario | None = None) -> tuple[SimulatedReader, ManualClock]:
    clock = ManualClock()
    return SimulatedReader("r2000", scenario, clock), clock


def run(reader: SimulatedReader, clock: ManualClock, seconds: float) -> list[bytes]:
    out: list[bytes] = []
    for _ in range(round(seconds / 0.001)):
        clock.advance(0.001)
        out.extend(reader.read())
    return out


def running(reader: SimulatedReader) -> bool:
    return reader.inventory_running


def decoded(chunks: list[bytes]) -> list[Any]:
    return [decode_response(chunk) for chunk in chunks]


def test_replies_are_the_captured_frames() -> None:
    """The captured exchange (IND903 at address 1): version, set antenna, inventory record."""
    golden_frames = {f["hex"]: f for f in golden(R2000_FRAMES)}
    pairs = [("A0030172EA", "A00501720109DE"), ("A004017400E7", "A004017410D7")]
    reader, clock = make()
    for command, reply in pairs:
        assert command in golden_frames and reply in golden_frames
        reader.write(bytes.fromhex(command))
        assert reader.read() == [bytes.fromhex(reply)]
    # The logged tag record: frequency index 1, antenna 1, RSSI raw 0x45 (-61 dBm).
    tag = TagSpec(epc_bytes(CAPTURED_EPC))
    reader, clock = make(Scenario(tags=(tag,), rssi_at_1m_dbm=-61, rssi_noise_db=0))
    reader.write(SetFrequencyRegion(Region.ETSI, 1, 1, address=1).encode())
    assert decoded(reader.read()) == [StatusResponse(0x78, address=1)]
    reader.write(bytes.fromhex("A004018901D1"))  # the logged inventory command
    chunks = run(reader, clock, 0.05)
    record = "A0130189043000E200301666130121155074EF45BF"
    assert record in golden_frames
    assert chunks[0] == bytes.fromhex(record)
    assert decoded(chunks[1:]) == [InventoryRoundEnd(1, 1, chunks_rate(chunks), address=1)]


def chunks_rate(chunks: list[bytes]) -> int:
    end = decode_response(chunks[-1])
    assert isinstance(end, InventoryRoundEnd) and end.read_rate is not None
    return end.read_rate


def test_settings_round_trip() -> None:
    reader, _ = make()
    for command, reply in [
        (SetWorkAntenna(3), StatusResponse(0x74, address=1)),
        (GetWorkAntenna(), WorkAntenna(3, address=1)),
        (SetOutputPower((26,)), StatusResponse(0x76, address=1)),
        (GetOutputPower(), OutputPower((26,), address=1)),
        (SetFrequencyRegion(Region.FCC, 7, 59), StatusResponse(0x78, address=1)),
        (GetFrequencyRegion(), FrequencyRegion(Region.FCC, 7, 59, address=1)),
        (SetWorkAntenna(8), StatusResponse(0x74, 0x47, address=1)),  # 4-port module
    ]:
        reader.write(command.encode())
        assert decoded(reader.read()) == [reply]
    reader.write(GetWorkAntenna(address=9).encode())  # another reader's address: silence
    assert reader.read() == []


def test_tags_stream_only_while_an_inventory_runs() -> None:
    tags = (TagSpec(epc_bytes(CAPTURED_EPC)), TagSpec(bytes.fromhex("3014257BF7194E4000001A85")))
    reader, clock = make(Scenario(tags=tags, read_rate=400))
    assert run(reader, clock, 0.5) == []  # tags in the field, no inventory: nothing
    reader.write(RealTimeInventory(repeat=3).encode())
    assert running(reader)
    frames = decoded(run(reader, clock, 0.1))
    records = [f for f in frames if isinstance(f, InventoryTag)]
    assert len(records) == 6  # 3 rounds x 2 tags
    assert {r.epc.hex().upper() for r in records} == {t.epc_hex for t in tags}
    end = frames[-1]
    assert isinstance(end, InventoryRoundEnd) and end.total_read == 6
    assert end.read_rate == 400  # spaced at the air rate
    assert not running(reader)
    assert run(reader, clock, 0.5) == []  # the round ended: silence again


def test_empty_field_round_and_reset() -> None:
    reader, clock = make()
    reader.write(RealTimeInventory().encode())
    assert run(reader, clock, EMPTY_ROUND_S / 2) == []
    assert decoded(run(reader, clock, EMPTY_ROUND_S)) == [InventoryRoundEnd(1, 0, 0, address=1)]
    tag = TagSpec(epc_bytes(CAPTURED_EPC))
    reader, clock = make(Scenario(tags=(tag,), read_rate=10))
    reader.write(RealTimeInventory().encode())
    reader.write(Reset().encode())  # no reply; the round in progress is gone
    assert run(reader, clock, 0.5) == []
    assert reader.stats.power_cycles == 0


def test_fast_switch_over_antennas() -> None:
    tags = (
        TagSpec(epc_bytes(CAPTURED_EPC), antenna=1),
        TagSpec(bytes.fromhex("3014257BF7194E4000001A85"), antenna=2),
    )
    reader, clock = make(Scenario(tags=tags, antennas=(1, 2)))
    reader.write(FastSwitchAntennaInventory((1, 2, 3, None)).encode())
    frames = decoded(run(reader, clock, 0.2))
    records = [(f.epc.hex().upper(), f.antenna, f.command) for f in frames[:2]]
    assert records == [(CAPTURED_EPC, 1, 0x8A), ("3014257BF7194E4000001A85", 2, 0x8A)]
    assert frames[2] == AntennaMissing(3, address=1)
    end = frames[3]
    assert isinstance(end, FastSwitchRoundEnd) and end.total_read == 2
    assert len(frames) == 4


def test_misses_are_seeded() -> None:
    tags = tuple(TagSpec(bytes([0x30, i] + [0] * 10)) for i in range(20))

    def reads(seed: int) -> list[bytes]:
        reader, clock = make(Scenario(tags=tags, miss_probability=0.5, seed=seed))
        reader.write(RealTimeInventory(repeat=5).encode())
        return [c for c in run(reader, clock, 1.0) if len(c) > 12]

    first = reads(1)
    assert first == reads(1)
    assert 20 < len(first) < 80  # about half of 100 slots
    assert first != reads(2)


def test_corrupt_and_garbage_faults() -> None:
    tag = TagSpec(epc_bytes(CAPTURED_EPC))
    faults = (Fault("garbage", 0.0, count=30), Fault("corrupt", 0.0, count=2))
    reader, clock = make(Scenario(tags=(tag,), faults=faults))
    clock.advance(0.001)
    garbage = reader.read()
    assert len(garbage) == 1 and len(garbage[0]) == 30 and 0xA0 not in garbage[0]
    reader.write(RealTimeInventory(repeat=3).encode())
    chunks = run(reader, clock, 0.1)
    assert reader.stats.corrupted == 2
    good = [c for c in chunks if sum(c) & 0xFF == 0]
    assert len(chunks) - len(good) == 2  # two records with a wrong checksum, the rest intact
    assert len(chunks) == 4


def test_inventory_on_a_disconnected_antenna_fails() -> None:
    reader, clock = make(Scenario(antennas=(1,)))
    reader.write(SetWorkAntenna(2).encode())
    reader.write(RealTimeInventory().encode())
    assert decoded(run(reader, clock, 0.05)) == [
        StatusResponse(0x74, address=1),
        StatusResponse(0x89, 0x22, address=1),  # antenna_missing_error
    ]
