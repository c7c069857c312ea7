"""R2000 commands: golden frames, every class round-trips, validation names the field."""

from __future__ import annotations

import pytest
from hypothesis import given, settings

from foodtrace.exceptions import FrameError
from foodtrace.reader.direction import Direction
from foodtrace.reader.r2000 import (
    Command,
    CustomizedSessionInventory,
    FastSwitchAntennaInventory,
    GetFirmwareVersion,
    RealTimeInventory,
    Region,
    SetFrequencyRegion,
    SetOutputPower,
    SetReaderAddress,
    SetUartBaudrate,
    SetUserFrequencyRegion,
    SetWorkAntenna,
    UserDefinedChannels,
    decode_command,
)
from tests.reader.r2000.strategies import commands


@pytest.mark.parametrize(
    ("command", "hex_"),
    [
        (GetFirmwareVersion(address=1), "A0030172EA"),  # device frames (frames.json)
        (SetWorkAntenna(1, address=1), "A004017400E7"),
        (RealTimeInventory(1, address=1), "A004018901D1"),
    ],
)
def test_golden_commands(command: Command, hex_: str) -> None:
    raw = bytes.fromhex(hex_)
    assert command.encode() == raw
    assert decode_command(raw) == command
    assert command.DIRECTION is Direction.HOST_TO_READER


@settings(deadline=None, max_examples=300)
@given(commands)
def test_every_command_round_trips(command: Command) -> None:
    raw = command.encode()
    assert decode_command(raw) == command
    assert type(command).decode(raw) == command


def test_layouts_byte_by_byte() -> None:
    assert SetOutputPower((30,)).encode() == bytes.fromhex("A004FF761EC9")
    assert SetOutputPower((20, 21, 22, 33)).payload() == bytes((20, 21, 22, 33))
    assert SetFrequencyRegion(Region.FCC, 7, 59).payload() == bytes.fromhex("01073B")
    user = SetUserFrequencyRegion(UserDefinedChannels(915_000, 500, 10))
    assert user.payload() == bytes.fromhex("04320A0DF638")  # 915000 kHz = 0x0DF638
    assert SetUartBaudrate(115200).payload() == b"\x04"
    assert SetReaderAddress(0xFE).payload() == b"\xfe"
    assert SetWorkAntenna(8).payload() == b"\x07"
    v22 = FastSwitchAntennaInventory((1, 2, None, 4), repeat=3)
    assert v22.payload() == bytes.fromhex("0001FF0303")
    v3 = FastSwitchAntennaInventory((1, None, None, None), 1, loops=(1, 1, 1, 1), interval_ms=5)
    assert v3.payload() == bytes.fromhex("0001FF01FF01FF010501")
    assert CustomizedSessionInventory(1, 0, 1).payload() == bytes.fromhex("010001")


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: SetWorkAntenna(0), "antenna must be 1..8, got 0"),
        (lambda: SetWorkAntenna(9), "antenna must be 1..8, got 9"),
        (lambda: SetOutputPower((34,)), r"output power \(dBm\) must be 0..33, got 34"),
        (lambda: SetOutputPower((20, 20)), "give 1, 4 or 8 output power values, got 2"),
        (lambda: SetFrequencyRegion(Region.ETSI, 0, 7), "ETSI channel indices"),
        (lambda: SetFrequencyRegion(Region.FCC, 20, 10), "FCC channel indices"),
        (lambda: SetFrequencyRegion(Region.USER, 0, 1), "FCC, ETSI or CHN"),
        (lambda: SetUartBaudrate(57600), "baud rate must be one of"),
        (lambda: SetReaderAddress(0xFF), "new_address must be 0..254"),
        (lambda: RealTimeInventory(256), "repeat must be 0..255"),
        (lambda: FastSwitchAntennaInventory((5, None, None, None)), "antenna must be 1..4"),
        (lambda: FastSwitchAntennaInventory((1, 2, 3)), "exactly 4 antenna slots"),  # type: ignore[arg-type]
        (
            lambda: FastSwitchAntennaInventory((1, None, None, None), loops=(1, 1, 1, 1)),
            "loops and interval_ms go together",
        ),
        (lambda: CustomizedSessionInventory(4, 0), "session must be 0..3"),
        (lambda: CustomizedSessionInventory(0, 2), "target must be 0..1"),
        (lambda: GetFirmwareVersion(address=256), "address must be 0..255"),
    ],
)
def test_constructors_name_the_bad_field(make: object, message: str) -> None:
    assert callable(make)
    with pytest.raises(ValueError, match=message):
        make()


@pytest.mark.parametrize(
    ("hex_payload", "command", "message"),
    [
        ("", 0x74, "SetWorkAntenna carries 1 data bytes, frame has 0"),
        ("00", 0x72, "GetFirmwareVersion carries 0 data bytes, frame has 1"),
        ("05", 0x71, "unknown R2000 baud-rate code 0x05"),
        ("14 15", 0x76, "carries 1 or 4 or 8 data bytes, frame has 2"),
        ("04 07 3B", 0x78, "standard region must be 0x01-0x03, got 0x04"),
        ("01 32 0A 0D F6 38", 0x78, "user-defined region must be 0x04, got 0x01"),
        ("00 01 04 03 02", 0x8A, "slot must be 0x00-0x03 or 0xFF, got 0x04"),
    ],
)
def test_decoding_refuses_other_layouts(hex_payload: str, command: int, message: str) -> None:
    from foodtrace.reader.r2000 import build_frame

    raw = build_frame(1, command, bytes.fromhex(hex_payload))
    with pytest.raises(FrameError, match=message):
        decode_command(raw)


def test_out_of_range_values_on_the_wire_are_frame_errors() -> None:
    from foodtrace.reader.r2000 import build_frame

    with pytest.raises(FrameError, match=r"antenna must be 1\.\.8, got 9"):
        decode_command(build_frame(1, 0x74, b"\x08"))
    with pytest.raises(FrameError, match=r"antenna must be 1\.\.8, got 9"):
        SetWorkAntenna.decode(build_frame(1, 0x74, b"\x08"))
