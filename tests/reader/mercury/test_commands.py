"""Mercury commands: frames from the M6e Nano logs, round trips, validation."""

from __future__ import annotations

import pytest
from hypothesis import given, settings

from foodtrace.exceptions import FrameError, UnknownCommandError
from foodtrace.reader.direction import Direction
from foodtrace.reader.mercury import (
    DEFAULT_CONTINUOUS_READ,
    ClearTagBuffer,
    Command,
    GetReadTxPower,
    GetRegion,
    GetTagBuffer,
    GetVersion,
    ReadTagIdMultiple,
    Region,
    SetAntennaPort,
    SetAntennaSearchList,
    SetBaudRate,
    SetReadTxPower,
    SetRegion,
    SetTagProtocol,
    StartContinuousRead,
    StopContinuousRead,
    build_command,
    decode_command,
)
from tests.reader.mercury.strategies import commands

# Commands exactly as the M6e Nano logs show them (tests/data/protocols/thingmagic-mercury).
LOGGED: list[tuple[Command, str]] = [
    (GetVersion(), "FF00031D0C"),
    (SetBaudRate(115200), "FF04060001C200A460"),
    (GetRegion(), "FF00671D68"),
    (SetRegion(Region.NA2), "FF01970D4BB0"),
    (GetReadTxPower(with_limits=True), "FF016201BEBC"),
    (GetReadTxPower(), "FF016200BEBD"),
    (SetReadTxPower(2700), "FF02920A8C4BD5"),
    (SetAntennaPort(1, 1), "FF02910101703B"),
    (SetAntennaSearchList(((1, 1),)), "FF039102010142C5"),
    (SetTagProtocol(5), "FF02930005517D"),
    (ClearTagBuffer(), "FF002A1D25"),
    (ReadTagIdMultiple(500, 0x0013), "FF0522000013 01F42B19"),
    (GetTagBuffer(0x01FF, 0), "FF032901FF001B03"),
    (StartContinuousRead(), "FF102F00000122000005072210001B03E801FFDD2B"),
    (StopContinuousRead(), "FF032F0000025E86"),
]


@pytest.mark.parametrize(("command", "hex_"), LOGGED, ids=lambda x: getattr(x, "TYPE", x))
def test_logged_commands(command: Command, hex_: str) -> None:
    raw = bytes.fromhex(hex_.replace(" ", ""))
    assert command.encode() == raw
    assert decode_command(raw) == command
    assert type(command).decode(raw) == command
    assert command.DIRECTION is Direction.HOST_TO_READER


def test_continuous_read_defaults_are_what_the_logs_send() -> None:
    start = StartContinuousRead()
    assert start.read == DEFAULT_CONTINUOUS_READ
    assert start.read.metadata_flags == 0x01FF
    assert start.read.search_flags == 0x001B
    assert start.read.timeout_ms == 1000
    assert SetReadTxPower(2700).dbm == 27.0


@settings(deadline=None, max_examples=300)
@given(commands)
def test_every_command_round_trips(command: Command) -> None:
    raw = command.encode()
    assert decode_command(raw) == command
    assert type(command).decode(raw) == command


@pytest.mark.parametrize(
    ("opcode", "hex_data", "error", "message"),
    [
        (0x03, "00", FrameError, "GetVersion carries 0 data bytes, frame has 1"),
        (0x06, "0001C2", FrameError, "SetBaudRate carries 4 data bytes, frame has 3"),
        (0x22, "00 0013 01", FrameError, "needs at least 5 data bytes, got 4"),
        (0x22, "10 0013 01F4", FrameError, "metadata option lacks metadata flags"),
        (0x2F, "0000 03", UnknownCommandError, "multi-protocol tag op 000003 is not modelled"),
        (0x2F, "0000 01 22 0000 05 07", FrameError, "not a start-continuous-read"),
        (0x2F, "0000 01 21 0000 05 00 22 00", FrameError, "only a Read Tag ID Multiple"),
        (0x2F, "0000 01 22 0000 05 09 22 00 0000 0000", FrameError, "one protocol entry of 9"),
        (0x62, "02", FrameError, "read-TX-power option must be 0x00 or 0x01, got 0x02"),
        (0x91, "03 01 01", UnknownCommandError, "antenna-port option 03 is not modelled"),
        (0x91, "02 01 01 02", FrameError, "antenna search list must be 02 followed by pairs"),
        (0x97, "", FrameError, "SetRegion carries 1 data bytes, frame has 0"),
        (0x9A, "01 0C 00", UnknownCommandError, r"0x9a \(set_reader_optional_params\)"),
    ],
)
def test_decoding_names_the_problem(
    opcode: int, hex_data: str, error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=message):
        decode_command(build_command(opcode, bytes.fromhex(hex_data)))


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: SetBaudRate(0), "baud_rate must be"),
        (lambda: ReadTagIdMultiple(1000, option=0x10), "metadata_flags goes with option bit"),
        (lambda: ReadTagIdMultiple(1000, metadata_flags=1), "metadata_flags goes with option bit"),
        (lambda: ReadTagIdMultiple(0x10000), "timeout_ms must be"),
        (lambda: SetAntennaSearchList(()), "give 1..127 port pairs"),
        (lambda: SetReadTxPower(0x8000), "centi_dbm must be"),
        (lambda: SetRegion(256), "region must be 0..255"),
        (lambda: GetTagBuffer(0x10000), "metadata_flags must be"),
    ],
)
def test_constructors_name_the_bad_field(make: object, message: str) -> None:
    assert callable(make)
    with pytest.raises(ValueError, match=message):
        make()
