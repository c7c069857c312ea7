"""R2000 commands (host → reader) as frozen values with ``encode()`` / ``decode()``.

Antennas are 1-based in this API (the wire carries 0-based ids: antenna 1 = 0x00). Every class
accepts only the canonical encoding of its fields; other layouts of a known command are left
to the generic :class:`~foodtrace.reader.r2000.frame.Frame` by the codec and the stream parser.

Layouts (``Data`` bytes; IND903 protocol V2.2 §2 and, where marked, the V3 forms):

=============================  ====  ========================================================
class                          Cmd   Data
=============================  ====  ========================================================
Reset                          0x70  –
SetUartBaudrate                0x71  code (0x01 9600, 0x02 19200, 0x03 38400, 0x04 115200)
GetFirmwareVersion             0x72  –
SetReaderAddress               0x73  new address (0x00–0xFE)
SetWorkAntenna                 0x74  antenna id (0x00–0x07)
GetWorkAntenna                 0x75  –
SetOutputPower                 0x76  dBm ×1 (V2.2), ×4 or ×8 (V3, per antenna)
GetOutputPower                 0x77  –
SetFrequencyRegion             0x78  region (1 FCC, 2 ETSI, 3 CHN), start index, end index
SetUserFrequencyRegion         0x78  0x04, spacing (×10 kHz), count, start kHz (3 bytes) (V3)
GetFrequencyRegion             0x79  –
GetReaderTemperature           0x7B  –
RealTimeInventory              0x89  repeat (V3: rounds, 0xFF = shortest; V2.2: "channel")
FastSwitchAntennaInventory     0x8A  V2.2: A B C D repeat; V3: A loopA … D loopD interval repeat
CustomizedSessionInventory     0x8B  session (0–3), target (0 A, 1 B), repeat (V3)
=============================  ====  ========================================================
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar, Final, Self

from foodtrace.exceptions import FrameError
from foodtrace.reader.direction import Direction
from foodtrace.reader.r2000.channels import REGION_INDEX_RANGES, Region, UserDefinedChannels
from foodtrace.reader.r2000.codes import BAUD_RATE_CODES, CommandCode
from foodtrace.reader.r2000.frame import Message, _check_range

__all__ = [
    "COMMAND_TYPES",
    "Command",
    "CustomizedSessionInventory",
    "FastSwitchAntennaInventory",
    "GetFirmwareVersion",
    "GetFrequencyRegion",
    "GetOutputPower",
    "GetReaderTemperature",
    "GetWorkAntenna",
    "RealTimeInventory",
    "Reset",
    "SetFrequencyRegion",
    "SetOutputPower",
    "SetReaderAddress",
    "SetUartBaudrate",
    "SetUserFrequencyRegion",
    "SetWorkAntenna",
]

_DISABLED: Final = 0xFF  # fast-switch "skip this slot" byte (V2.2: any value above 3)
MAX_OUTPUT_POWER_DBM: Final = 33


def _expect_length(cls: type, payload: bytes, *sizes: int) -> None:
    if len(payload) not in sizes:
        want = " or ".join(str(s) for s in sizes)
        raise FrameError(f"{cls.__name__} carries {want} data bytes, frame has {len(payload)}")


@dataclass(frozen=True, slots=True)
class Command(Message):
    """Base of host → reader frames."""

    DIRECTION: ClassVar[Direction | None] = Direction.HOST_TO_READER


@dataclass(frozen=True, slots=True)
class _NoData(Command):
    """A command without parameters."""

    def payload(self) -> bytes:
        return b""

    @classmethod
    def from_payload(cls, address: int, _command: int, payload: bytes, /) -> Self:
        _expect_length(cls, payload, 0)
        return cls(address=address)


@dataclass(frozen=True, slots=True)
class Reset(_NoData):
    """Reset the reader (no reply on success; ``StatusResponse`` on failure)."""

    TYPE: ClassVar[str] = "reset"
    CODE: ClassVar[int] = CommandCode.RESET
    CODES: ClassVar[frozenset[int] | None] = frozenset({CODE})


@dataclass(frozen=True, slots=True)
class GetFirmwareVersion(_NoData):
    """Ask for the firmware version (reply: ``FirmwareVersion``)."""

    TYPE: ClassVar[str] = "get_firmware_version"
    CODE: ClassVar[int] = CommandCode.GET_FIRMWARE_VERSION
    CODES: ClassVar[frozenset[int] | None] = frozenset({CODE})


@dataclass(frozen=True, slots=True)
class GetWorkAntenna(_NoData):
    """Ask for the working antenna (reply: ``WorkAntenna``)."""

    TYPE: ClassVar[str] = "get_work_antenna"
    CODE: ClassVar[int] = CommandCode.GET_WORK_ANTENNA
    CODES: ClassVar[frozenset[int] | None] = frozenset({CODE})


@dataclass(frozen=True, slots=True)
class GetOutputPower(_NoData):
    """Ask for the RF output power (reply: ``OutputPower``)."""

    TYPE: ClassVar[str] = "get_output_power"
    CODE: ClassVar[int] = CommandCode.GET_OUTPUT_POWER
    CODES: ClassVar[frozenset[int] | None] = frozenset({CODE})


@dataclass(frozen=True, slots=True)
class GetFrequencyRegion(_NoData):
    """Ask for the frequency region (reply: ``FrequencyRegion`` / ``UserFrequencyRegion``)."""

    TYPE: ClassVar[str] = "get_frequency_region"
    CODE: ClassVar[int] = CommandCode.GET_FREQUENCY_REGION
    CODES: ClassVar[frozenset[int] | None] = frozenset({CODE})


@dataclass(frozen=True, slots=True)
class GetReaderTemperature(_NoData):
    """Ask for the reader's temperature (the reply is left to the generic frame: the sign
    byte's meaning differs between V2.2 and public V3 code)."""

    TYPE: ClassVar[str] = "get_reader_temperature"
    CODE: ClassVar[int] = CommandCode.GET_READER_TEMPERATURE
    CODES: ClassVar[frozenset[int] | None] = frozenset({CODE})


_BAUD_CODE_OF: Final = {baud: code for code, baud in BAUD_RATE_CODES.items()}


@dataclass(frozen=True, slots=True)
class SetUartBaudrate(Command):
    """Set the serial speed (9600, 19200, 38400 or 115200 bit/s); stored in flash."""

    TYPE: ClassVar[str] = "set_uart_baudrate"
    CODE: ClassVar[int] = CommandCode.SET_UART_BAUDRATE
    CODES: ClassVar[frozenset[int] | None] = frozenset({CODE})

    baud_rate: int

    def __post_init__(self) -> None:
        Message.__post_init__(self)
        if self.baud_rate not in _BAUD_CODE_OF:
            choices = sorted(_BAUD_CODE_OF)
            raise ValueError(f"baud rate must be one of {choices}, got {self.baud_rate}")

    def payload(self) -> bytes:
        return bytes((_BAUD_CODE_OF[self.baud_rate],))

    @classmethod
    def from_payload(cls, address: int, _command: int, payload: bytes, /) -> Self:
        _expect_length(cls, payload, 1)
        if payload[0] not in BAUD_RATE_CODES:
            raise FrameError(f"unknown R2000 baud-rate code {payload[0]:#04x}")
        return cls(BAUD_RATE_CODES[payload[0]], address=address)


@dataclass(frozen=True, slots=True)
class SetReaderAddress(Command):
    """Give the reader a new address (0–254); ``address`` is the one the frame is sent to."""

    TYPE: ClassVar[str] = "set_reader_address"
    CODE: ClassVar[int] = CommandCode.SET_READER_ADDRESS
    CODES: ClassVar[frozenset[int] | None] = frozenset({CODE})

    new_address: int

    def __post_init__(self) -> None:
        Message.__post_init__(self)
        _check_range("new_address", self.new_address, 0, 0xFE)

    def payload(self) -> bytes:
        return bytes((self.new_address,))

    @classmethod
    def from_payload(cls, address: int, _command: int, payload: bytes, /) -> Self:
        _expect_length(cls, payload, 1)
        return cls(payload[0], address=address)


@dataclass(frozen=True, slots=True)
class SetWorkAntenna(Command):
    """Select the working antenna (1–8; 1–4 on 4-port readers)."""

    TYPE: ClassVar[str] = "set_work_antenna"
    CODE: ClassVar[int] = CommandCode.SET_WORK_ANTENNA
    CODES: ClassVar[frozenset[int] | None] = frozenset({CODE})

    antenna: int

    def __post_init__(self) -> None:
        Message.__post_init__(self)
        _check_range("antenna", self.antenna, 1, 8)

    def payload(self) -> bytes:
        return bytes((self.antenna - 1,))

    @classmethod
    def from_payload(cls, address: int, _command: int, payload: bytes, /) -> Self:
        _expect_length(cls, payload, 1)
        return cls(payload[0] + 1, address=address)


@dataclass(frozen=True, slots=True)
class SetOutputPower(Command):
    """Set RF output power in dBm: one value (V2.2), or one per antenna (V3: 4 or 8 values)."""

    TYPE: ClassVar[str] = "set_output_power"
    CODE: ClassVar[int] = CommandCode.SET_OUTPUT_POWER
    CODES: ClassVar[frozenset[int] | None] = frozenset({CODE})

    powers_dbm: tuple[int, ...]

    def __post_init__(self) -> None:
        Message.__post_init__(self)
        _check_powers(self.powers_dbm)

    def payload(self) -> bytes:
        return bytes(self.powers_dbm)

    @classmethod
    def from_payload(cls, address: int, _command: int, payload: bytes, /) -> Self:
        _expect_length(cls, payload, 1, 4, 8)
        return cls(tuple(payload), address=address)


def _check_powers(powers: tuple[int, ...]) -> None:
    if len(powers) not in (1, 4, 8):
        raise ValueError(f"give 1, 4 or 8 output power values, got {len(powers)}")
    for power in powers:
        _check_range("output power (dBm)", power, 0, MAX_OUTPUT_POWER_DBM)


@dataclass(frozen=True, slots=True)
class SetFrequencyRegion(Command):
    """Set a standard region (FCC, ETSI, CHN) and the hopping range as channel indices."""

    TYPE: ClassVar[str] = "set_frequency_region"
    CODE: ClassVar[int] = CommandCode.SET_FREQUENCY_REGION
    CODES: ClassVar[frozenset[int] | None] = frozenset({CODE})

    region: Region
    start_index: int
    end_index: int

    def __post_init__(self) -> None:
        Message.__post_init__(self)
        _check_region_range(self.region, self.start_index, self.end_index)

    def payload(self) -> bytes:
        return bytes((self.region, self.start_index, self.end_index))

    @classmethod
    def from_payload(cls, address: int, _command: int, payload: bytes, /) -> Self:
        _expect_length(cls, payload, 3)
        return cls(_standard_region(payload[0]), payload[1], payload[2], address=address)


def _standard_region(value: int) -> Region:
    if value not in (Region.FCC, Region.ETSI, Region.CHN):
        raise FrameError(f"R2000 standard region must be 0x01-0x03, got {value:#04x}")
    return Region(value)


def _check_region_range(region: Region, start: int, end: int) -> None:
    if region not in REGION_INDEX_RANGES:
        raise ValueError(f"region must be FCC, ETSI or CHN here, got {region!r}")
    low, high = REGION_INDEX_RANGES[Region(region)]
    if not low <= start <= end <= high:
        raise ValueError(
            f"{Region(region).name} channel indices must satisfy {low} <= start <= end <= {high},"
            f" got start={start} end={end}"
        )


@dataclass(frozen=True, slots=True)
class SetUserFrequencyRegion(Command):
    """V3 user-defined region: ``channels.count`` channels from ``start_khz``, ``spacing_khz``."""

    TYPE: ClassVar[str] = "set_user_frequency_region"
    CODE: ClassVar[int] = CommandCode.SET_FREQUENCY_REGION
    CODES: ClassVar[frozenset[int] | None] = frozenset({CODE})

    channels: UserDefinedChannels

    def payload(self) -> bytes:
        return _user_region_bytes(self.channels)

    @classmethod
    def from_payload(cls, address: int, _command: int, payload: bytes, /) -> Self:
        _expect_length(cls, payload, 6)
        return cls(_user_region_from(payload), address=address)


def _user_region_bytes(channels: UserDefinedChannels) -> bytes:
    return bytes(
        (Region.USER, channels.spacing_khz // 10, channels.count)
    ) + channels.start_khz.to_bytes(3, "big")


def _user_region_from(payload: bytes) -> UserDefinedChannels:
    if payload[0] != Region.USER:
        raise FrameError(f"user-defined region must be 0x04, got {payload[0]:#04x}")
    try:
        return UserDefinedChannels(
            start_khz=int.from_bytes(payload[3:6], "big"),
            spacing_khz=payload[1] * 10,
            count=payload[2],
        )
    except ValueError as exc:
        raise FrameError(f"user-defined region: {exc}") from None


@dataclass(frozen=True, slots=True)
class RealTimeInventory(Command):
    """Run a real-time inventory (0x89): one ``InventoryTag`` per read, then a round end.

    ``repeat``: V3 — inventory rounds (0xFF = shortest round); V2.2 calls the byte "Channel"
    (hopping channels per round).
    """

    TYPE: ClassVar[str] = "real_time_inventory"
    CODE: ClassVar[int] = CommandCode.REAL_TIME_INVENTORY
    CODES: ClassVar[frozenset[int] | None] = frozenset({CODE})

    repeat: int = 1

    def __post_init__(self) -> None:
        Message.__post_init__(self)
        _check_range("repeat", self.repeat, 0, 0xFF)

    def payload(self) -> bytes:
        return bytes((self.repeat,))

    @classmethod
    def from_payload(cls, address: int, _command: int, payload: bytes, /) -> Self:
        _expect_length(cls, payload, 1)
        return cls(payload[0], address=address)


@dataclass(frozen=True, slots=True)
class FastSwitchAntennaInventory(Command):
    """Real-time inventory over up to four antennas in turn (0x8A).

    ``antennas``: four slots, each an antenna 1–4 or ``None`` (skipped; sent as 0xFF).
    V2.2 layout when ``loops`` is ``None``; V3 layout (per-slot loop counts and an interval in
    ms between switches) when ``loops`` and ``interval_ms`` are given.
    """

    TYPE: ClassVar[str] = "fast_switch_antenna_inventory"
    CODE: ClassVar[int] = CommandCode.FAST_SWITCH_ANT_INVENTORY
    CODES: ClassVar[frozenset[int] | None] = frozenset({CODE})

    antennas: tuple[int | None, int | None, int | None, int | None]
    repeat: int = 1
    loops: tuple[int, int, int, int] | None = None
    interval_ms: int | None = None

    def __post_init__(self) -> None:
        Message.__post_init__(self)
        if len(self.antennas) != 4:
            raise ValueError(f"give exactly 4 antenna slots, got {len(self.antennas)}")
        for antenna in self.antennas:
            if antenna is not None:
                _check_range("antenna", antenna, 1, 4)
        _check_range("repeat", self.repeat, 0, 0xFF)
        if (self.loops is None) != (self.interval_ms is None):
            raise ValueError("loops and interval_ms go together (V3 layout) or are both None")
        if self.loops is not None and self.interval_ms is not None:
            if len(self.loops) != 4:
                raise ValueError(f"give exactly 4 loop counts, got {len(self.loops)}")
            for loop in self.loops:
                _check_range("loop count", loop, 0, 0xFF)
            _check_range("interval_ms", self.interval_ms, 0, 0xFF)

    def payload(self) -> bytes:
        slots = [_DISABLED if a is None else a - 1 for a in self.antennas]
        if self.loops is None or self.interval_ms is None:
            return bytes((*slots, self.repeat))
        pairs = [b for slot, loop in zip(slots, self.loops, strict=True) for b in (slot, loop)]
        return bytes((*pairs, self.interval_ms, self.repeat))

    @classmethod
    def from_payload(cls, address: int, _command: int, payload: bytes, /) -> Self:
        _expect_length(cls, payload, 5, 10)
        if len(payload) == 5:
            a, b, c, d = (_slot(x) for x in payload[:4])
            return cls((a, b, c, d), payload[4], address=address)
        a, b, c, d = (_slot(x) for x in payload[0:8:2])
        la, lb, lc, ld = payload[1:8:2]
        loops = (la, lb, lc, ld)
        return cls((a, b, c, d), payload[9], loops=loops, interval_ms=payload[8], address=address)


def _slot(value: int) -> int | None:
    if value == _DISABLED:
        return None
    if value > 3:
        raise FrameError(f"fast-switch antenna slot must be 0x00-0x03 or 0xFF, got {value:#04x}")
    return value + 1


@dataclass(frozen=True, slots=True)
class CustomizedSessionInventory(Command):
    """V3 real-time inventory with a chosen Gen2 session (0–3) and target (0 = A, 1 = B)."""

    TYPE: ClassVar[str] = "customized_session_inventory"
    CODE: ClassVar[int] = CommandCode.CUSTOMIZED_SESSION_TARGET_INVENTORY
    CODES: ClassVar[frozenset[int] | None] = frozenset({CODE})

    session: int
    target: int
    repeat: int = 1

    def __post_init__(self) -> None:
        Message.__post_init__(self)
        _check_range("session", self.session, 0, 3)
        _check_range("target", self.target, 0, 1)
        _check_range("repeat", self.repeat, 0, 0xFF)

    def payload(self) -> bytes:
        return bytes((self.session, self.target, self.repeat))

    @classmethod
    def from_payload(cls, address: int, _command: int, payload: bytes, /) -> Self:
        _expect_length(cls, payload, 3)
        return cls(payload[0], payload[1], payload[2], address=address)


#: Command classes by command byte (``SetFrequencyRegion``/``SetUserFrequencyRegion`` share
#: 0x78; the codec tells them apart by the region byte).
COMMAND_TYPES: Final[tuple[type[Command], ...]] = (
    Reset,
    SetUartBaudrate,
    GetFirmwareVersion,
    SetReaderAddress,
    SetWorkAntenna,
    GetWorkAntenna,
    SetOutputPower,
    GetOutputPower,
    SetFrequencyRegion,
    SetUserFrequencyRegion,
    GetFrequencyRegion,
    GetReaderTemperature,
    RealTimeInventory,
    FastSwitchAntennaInventory,
    CustomizedSessionInventory,
)
