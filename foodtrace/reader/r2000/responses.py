"""R2000 replies and reports (reader → host) as frozen values with ``encode()`` / ``decode()``.

Layouts (``Data`` bytes; IND903 protocol V2.2 §2 and the V3 forms seen in device logs and in
``hex-in/pyImpinj``):

========================  ==============  ====================================================
class                     Cmd             Data
========================  ==============  ====================================================
StatusResponse            any             error code (0x10 = command_success)
FirmwareVersion           0x72            major, minor
WorkAntenna               0x75            antenna id (0x00–0x07)
OutputPower               0x77            dBm ×1 (V2.2), ×4 or ×8 (V3)
FrequencyRegion           0x79            region, start index, end index
UserFrequencyRegion       0x79            0x04, spacing (×10 kHz), count, start kHz (3) (V3)
InventoryTag              0x89 0x8A 0x8B  FreqAnt, PC (2), EPC (n), RSSI [, phase (2)]
InventoryRoundEnd         0x89 0x8B       V3: AntID, ReadRate (2), TotalRead (4)
                                          V2.2: AntID, TotalRead (4)
FastSwitchRoundEnd        0x8A            V3: TotalRead (3), duration ms (4)
                                          V2.2: TotalRead (4), duration ms (4)
AntennaMissing            0x8A            AntID, 0x22
========================  ==============  ====================================================

``FreqAnt``: high 6 bits = frequency index (see :mod:`.channels`), low 2 bits = antenna id bits
0–1. On 8-antenna readers bit 7 of the RSSI byte is antenna id bit 2 (two independent public
implementations agree; not in V2.2), so the RSSI value is 7 bits (:mod:`.rssi`). The EPC length
comes from the PC word; a record two bytes longer than that carries the V3 phase. Tag records
have an even number of data bytes and the round-end frames an odd one, which is how the 0x89
replies are told apart; for 0x8A an 8-byte record is a tag when its PC agrees, else a V2.2 round
end.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, ClassVar, Final, Self

from foodtrace.exceptions import FrameError
from foodtrace.reader.direction import Direction
from foodtrace.reader.gen2 import epc_length_from_pc, pc_for_epc
from foodtrace.reader.r2000.channels import (
    REGION_INDEX_RANGES,
    STANDARD_CHANNELS,
    ChannelTable,
    Region,
    UserDefinedChannels,
)
from foodtrace.reader.r2000.codes import CommandCode, ErrorCode, error_name
from foodtrace.reader.r2000.commands import (
    MAX_OUTPUT_POWER_DBM,
    _check_powers,
    _expect_length,
    _standard_region,
    _user_region_bytes,
    _user_region_from,
)
from foodtrace.reader.r2000.frame import Message, _check_range
from foodtrace.reader.r2000.rssi import rssi_dbm, rssi_raw
from foodtrace.reader.records import TagRead

__all__ = [
    "AntennaMissing",
    "FastSwitchRoundEnd",
    "FirmwareVersion",
    "FrequencyRegion",
    "InventoryRoundEnd",
    "InventoryTag",
    "Layout",
    "OutputPower",
    "Response",
    "StatusResponse",
    "UserFrequencyRegion",
    "WorkAntenna",
]

_INVENTORY_CODES: Final = frozenset(
    {
        CommandCode.REAL_TIME_INVENTORY,
        CommandCode.FAST_SWITCH_ANT_INVENTORY,
        CommandCode.CUSTOMIZED_SESSION_TARGET_INVENTORY,
    }
)
_KNOWN_ERRORS: Final = frozenset(ErrorCode)
_new = object.__new__
_set = object.__setattr__


class Layout(StrEnum):
    """Firmware generation of a frame layout that changed between protocol versions."""

    V2_2 = "2.2"
    V3 = "3"


@dataclass(frozen=True, slots=True)
class Response(Message):
    """Base of reader → host frames."""

    DIRECTION: ClassVar[Direction | None] = Direction.READER_TO_HOST


@dataclass(frozen=True, slots=True)
class StatusResponse(Response):
    """One-byte result of a command: success (0x10) or an error code, echoing the command.

    Decoding accepts only the error codes of :class:`ErrorCode` (so that a command's parameter
    byte is never mistaken for a status); constructing accepts any byte.
    """

    TYPE: ClassVar[str] = "status"

    command: int
    code: int = ErrorCode.COMMAND_SUCCESS

    def __post_init__(self) -> None:
        Message.__post_init__(self)
        _check_range("command", self.command, 0, 0xFF)
        _check_range("code", self.code, 0, 0xFF)

    @classmethod
    def reply(cls, to: Message, code: int = ErrorCode.COMMAND_SUCCESS) -> StatusResponse:
        """The status reply to command frame ``to`` (same address and command byte)."""
        return StatusResponse(to.command, code, address=to.address)

    @property
    def ok(self) -> bool:
        return self.code == ErrorCode.COMMAND_SUCCESS

    def payload(self) -> bytes:
        return bytes((self.code,))

    @classmethod
    def from_payload(cls, address: int, command: int, payload: bytes, /) -> Self:
        _expect_length(cls, payload, 1)
        if payload[0] not in _KNOWN_ERRORS:
            raise FrameError(f"unknown R2000 status code {payload[0]:#04x}")
        return cls(command, payload[0], address=address)

    def _extra_dict(self) -> dict[str, Any]:
        return {"code": f"0x{self.code:02X}", "code_name": error_name(self.code), "ok": self.ok}


@dataclass(frozen=True, slots=True)
class FirmwareVersion(Response):
    """Firmware version ``major.minor`` (reply to 0x72)."""

    TYPE: ClassVar[str] = "firmware_version"
    CODE: ClassVar[int] = CommandCode.GET_FIRMWARE_VERSION
    CODES: ClassVar[frozenset[int] | None] = frozenset({CODE})

    major: int
    minor: int

    def __post_init__(self) -> None:
        Message.__post_init__(self)
        _check_range("major", self.major, 0, 0xFF)
        _check_range("minor", self.minor, 0, 0xFF)

    @property
    def version(self) -> str:
        return f"{self.major}.{self.minor}"

    def payload(self) -> bytes:
        return bytes((self.major, self.minor))

    @classmethod
    def from_payload(cls, address: int, _command: int, payload: bytes, /) -> Self:
        _expect_length(cls, payload, 2)
        return cls(payload[0], payload[1], address=address)

    def _extra_dict(self) -> dict[str, Any]:
        return {"version": self.version}


@dataclass(frozen=True, slots=True)
class WorkAntenna(Response):
    """The working antenna, 1–8 (reply to 0x75)."""

    TYPE: ClassVar[str] = "work_antenna"
    CODE: ClassVar[int] = CommandCode.GET_WORK_ANTENNA
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
        if payload[0] > 7:
            raise FrameError(f"antenna id must be 0x00-0x07, got {payload[0]:#04x}")
        return cls(payload[0] + 1, address=address)


@dataclass(frozen=True, slots=True)
class OutputPower(Response):
    """RF output power in dBm: one value (V2.2) or one per antenna (V3; reply to 0x77)."""

    TYPE: ClassVar[str] = "output_power"
    CODE: ClassVar[int] = CommandCode.GET_OUTPUT_POWER
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
        if max(payload) > MAX_OUTPUT_POWER_DBM:
            raise FrameError(f"output power above {MAX_OUTPUT_POWER_DBM} dBm: {payload.hex()}")
        return cls(tuple(payload), address=address)


@dataclass(frozen=True, slots=True)
class FrequencyRegion(Response):
    """A standard region and its hopping range as channel indices (reply to 0x79)."""

    TYPE: ClassVar[str] = "frequency_region"
    CODE: ClassVar[int] = CommandCode.GET_FREQUENCY_REGION
    CODES: ClassVar[frozenset[int] | None] = frozenset({CODE})

    region: Region
    start_index: int
    end_index: int

    def __post_init__(self) -> None:
        Message.__post_init__(self)
        if self.region not in REGION_INDEX_RANGES:
            raise ValueError(f"region must be FCC, ETSI or CHN here, got {self.region!r}")
        _check_range("start_index", self.start_index, 0, 59)
        _check_range("end_index", self.end_index, self.start_index, 59)

    @property
    def channels(self) -> ChannelTable:
        return STANDARD_CHANNELS

    def payload(self) -> bytes:
        return bytes((self.region, self.start_index, self.end_index))

    @classmethod
    def from_payload(cls, address: int, _command: int, payload: bytes, /) -> Self:
        _expect_length(cls, payload, 3)
        return cls(_standard_region(payload[0]), payload[1], payload[2], address=address)

    def _extra_dict(self) -> dict[str, Any]:
        return {
            "region_name": Region(self.region).name,
            "start_khz": STANDARD_CHANNELS.frequency_khz(self.start_index),
            "end_khz": STANDARD_CHANNELS.frequency_khz(self.end_index),
        }


@dataclass(frozen=True, slots=True)
class UserFrequencyRegion(Response):
    """V3 user-defined region (reply to 0x79): its channels define the frequency indices."""

    TYPE: ClassVar[str] = "user_frequency_region"
    CODE: ClassVar[int] = CommandCode.GET_FREQUENCY_REGION
    CODES: ClassVar[frozenset[int] | None] = frozenset({CODE})

    channels: UserDefinedChannels

    def payload(self) -> bytes:
        return _user_region_bytes(self.channels)

    @classmethod
    def from_payload(cls, address: int, _command: int, payload: bytes, /) -> Self:
        _expect_length(cls, payload, 6)
        return cls(_user_region_from(payload), address=address)


@dataclass(frozen=True, slots=True)
class InventoryTag(Response):
    """One tag read reported during a real-time inventory (0x89, 0x8A or 0x8B).

    ``antenna`` 1–8, ``frequency_index`` 0–63 (``frequency_khz()`` maps it through a channel
    table), ``rssi_raw`` the 7-bit RSSI value (``rssi_dbm`` converts), ``phase`` the V3 phase
    word when the reader appends one. ``pc`` must announce ``len(epc)``
    (use :meth:`from_epc` to have it computed).
    """

    TYPE: ClassVar[str] = "inventory_tag"
    CODES: ClassVar[frozenset[int] | None] = _INVENTORY_CODES

    epc: bytes
    pc: int
    antenna: int = 1
    frequency_index: int = 0
    rssi_raw: int = 0
    phase: int | None = None
    command: int = field(default=CommandCode.REAL_TIME_INVENTORY, kw_only=True)

    def __post_init__(self) -> None:
        Message.__post_init__(self)
        if self.command not in _INVENTORY_CODES:
            raise ValueError(f"inventory command must be 0x89, 0x8A or 0x8B, got {self.command}")
        _check_range("antenna", self.antenna, 1, 8)
        _check_range("frequency_index", self.frequency_index, 0, 63)
        _check_range("rssi_raw", self.rssi_raw, 0, 0x7F)
        _check_range("pc", self.pc, 0, 0xFFFF)
        if self.phase is not None:
            _check_range("phase", self.phase, 0, 0xFFFF)
        if epc_length_from_pc(self.pc) != len(self.epc):
            raise ValueError(
                f"PC {self.pc:#06x} announces {epc_length_from_pc(self.pc)} EPC bytes,"
                f" EPC has {len(self.epc)}"
            )

    @classmethod
    def from_epc(
        cls,
        epc: bytes | str,
        *,
        antenna: int = 1,
        rssi_dbm: int = -60,
        frequency_index: int = 0,
        phase: int | None = None,
        pc_low_bits: int = 0,
        command: int = CommandCode.REAL_TIME_INVENTORY,
        address: int = 0xFF,
    ) -> InventoryTag:
        """Build a record from an EPC (bytes or hex), computing PC and the RSSI value."""
        raw = bytes.fromhex(epc) if isinstance(epc, str) else epc
        return InventoryTag(
            raw,
            pc_for_epc(len(raw), low_bits=pc_low_bits),
            antenna,
            frequency_index,
            rssi_raw(rssi_dbm),
            phase,
            command=command,
            address=address,
        )

    @property
    def rssi_dbm(self) -> int:
        return rssi_dbm(self.rssi_raw)

    def frequency_khz(self, channels: ChannelTable = STANDARD_CHANNELS) -> int | None:
        return channels.frequency_khz(self.frequency_index)

    def tag_read(self, channels: ChannelTable = STANDARD_CHANNELS) -> TagRead:
        """The protocol-independent :class:`TagRead` of this record."""
        raw = self.rssi_raw
        return TagRead(
            self.epc.hex().upper(),
            self.antenna,
            raw - 129 if raw >= 90 else raw - 130,  # rssi_dbm(), inlined for speed
            self.pc,
            channels.frequency_khz(self.frequency_index),
            self.phase,
        )

    def payload(self) -> bytes:
        ant = self.antenna - 1
        head = bytes((self.frequency_index << 2 | ant & 3, self.pc >> 8, self.pc & 0xFF))
        tail = bytes((self.rssi_raw | (ant >> 2) << 7,))
        if self.phase is not None:
            tail += self.phase.to_bytes(2, "big")
        return head + self.epc + tail

    @classmethod
    def from_payload(cls, address: int, command: int, payload: bytes, /) -> Self:
        size = len(payload)
        if size < 4:
            raise FrameError(f"tag record needs at least 4 data bytes, frame has {size}")
        freq_ant = payload[0]
        pc = payload[1] << 8 | payload[2]
        epc_end = 3 + ((pc >> 11) & 0x1F) * 2
        if size == epc_end + 1:
            phase = None
        elif size == epc_end + 3:
            phase = payload[-2] << 8 | payload[-1]
        else:
            raise FrameError(
                f"tag record: PC {pc:#06x} announces {epc_end - 3} EPC bytes,"
                f" which does not fit {size} data bytes (expected {epc_end + 1} or {epc_end + 3})"
            )
        rssi = payload[epc_end]
        # The hot path of a reader stream. Every field is in range by construction (bytes, bit
        # fields, an EPC length taken from the PC), so the value is assembled without running
        # __post_init__'s checks again; the round-trip tests hold it to encode() == the bytes.
        tag = _new(cls)
        _set(tag, "epc", payload[3:epc_end])
        _set(tag, "pc", pc)
        _set(tag, "antenna", (freq_ant & 3) + (rssi >> 7 << 2) + 1)
        _set(tag, "frequency_index", freq_ant >> 2)
        _set(tag, "rssi_raw", rssi & 0x7F)
        _set(tag, "phase", phase)
        _set(tag, "command", command)
        _set(tag, "address", address)
        return tag

    def _extra_dict(self) -> dict[str, Any]:
        return {"rssi_dbm": self.rssi_dbm, "frequency_khz": self.frequency_khz()}


@dataclass(frozen=True, slots=True)
class InventoryRoundEnd(Response):
    """End of a real-time inventory round (0x89, 0x8B): antenna and read counts.

    ``read_rate`` (reads/s) is present in the V3 layout and ``None`` in the V2.2 layout.
    """

    TYPE: ClassVar[str] = "inventory_round_end"
    CODES: ClassVar[frozenset[int] | None] = frozenset(
        {CommandCode.REAL_TIME_INVENTORY, CommandCode.CUSTOMIZED_SESSION_TARGET_INVENTORY}
    )

    antenna: int
    total_read: int
    read_rate: int | None = None
    command: int = field(default=CommandCode.REAL_TIME_INVENTORY, kw_only=True)

    def __post_init__(self) -> None:
        Message.__post_init__(self)
        assert self.CODES is not None
        if self.command not in self.CODES:
            raise ValueError(f"round end command must be 0x89 or 0x8B, got {self.command}")
        _check_range("antenna", self.antenna, 1, 8)
        _check_range("total_read", self.total_read, 0, 0xFFFFFFFF)
        if self.read_rate is not None:
            _check_range("read_rate", self.read_rate, 0, 0xFFFF)

    @property
    def layout(self) -> Layout:
        return Layout.V2_2 if self.read_rate is None else Layout.V3

    def payload(self) -> bytes:
        ant = bytes((self.antenna - 1,))
        total = self.total_read.to_bytes(4, "big")
        if self.read_rate is None:
            return ant + total
        return ant + self.read_rate.to_bytes(2, "big") + total

    @classmethod
    def from_payload(cls, address: int, command: int, payload: bytes, /) -> Self:
        _expect_length(cls, payload, 5, 7)
        if payload[0] > 7:
            raise FrameError(f"round end: antenna id must be 0x00-0x07, got {payload[0]:#04x}")
        if len(payload) == 5:
            total = int.from_bytes(payload[1:5], "big")
            return cls(payload[0] + 1, total, command=command, address=address)
        rate = int.from_bytes(payload[1:3], "big")
        total = int.from_bytes(payload[3:7], "big")
        return cls(payload[0] + 1, total, rate, command=command, address=address)

    def _extra_dict(self) -> dict[str, Any]:
        return {"layout": self.layout.value}


@dataclass(frozen=True, slots=True)
class FastSwitchRoundEnd(Response):
    """End of a fast-switch inventory (0x8A): reads sent and the command's duration in ms.

    ``Layout.V3`` carries a 3-byte read total (``hex-in/pyImpinj``); ``Layout.V2_2`` a 4-byte one.
    """

    TYPE: ClassVar[str] = "fast_switch_round_end"
    CODE: ClassVar[int] = CommandCode.FAST_SWITCH_ANT_INVENTORY
    CODES: ClassVar[frozenset[int] | None] = frozenset({CODE})

    total_read: int
    duration_ms: int
    layout: Layout = Layout.V3

    def __post_init__(self) -> None:
        Message.__post_init__(self)
        width = 3 if self.layout == Layout.V3 else 4
        _check_range("total_read", self.total_read, 0, (1 << 8 * width) - 1)
        _check_range("duration_ms", self.duration_ms, 0, 0xFFFFFFFF)

    def payload(self) -> bytes:
        width = 3 if self.layout == Layout.V3 else 4
        return self.total_read.to_bytes(width, "big") + self.duration_ms.to_bytes(4, "big")

    @classmethod
    def from_payload(cls, address: int, _command: int, payload: bytes, /) -> Self:
        _expect_length(cls, payload, 7, 8)
        layout = Layout.V3 if len(payload) == 7 else Layout.V2_2
        total = int.from_bytes(payload[:-4], "big")
        return cls(total, int.from_bytes(payload[-4:], "big"), layout, address=address)


@dataclass(frozen=True, slots=True)
class AntennaMissing(Response):
    """During a fast-switch inventory: antenna ``antenna`` is not connected (code 0x22)."""

    TYPE: ClassVar[str] = "antenna_missing"
    CODE: ClassVar[int] = CommandCode.FAST_SWITCH_ANT_INVENTORY
    CODES: ClassVar[frozenset[int] | None] = frozenset({CODE})

    antenna: int

    def __post_init__(self) -> None:
        Message.__post_init__(self)
        _check_range("antenna", self.antenna, 1, 8)

    def payload(self) -> bytes:
        return bytes((self.antenna - 1, ErrorCode.ANTENNA_MISSING_ERROR))

    @classmethod
    def from_payload(cls, address: int, _command: int, payload: bytes, /) -> Self:
        _expect_length(cls, payload, 2)
        if payload[1] != ErrorCode.ANTENNA_MISSING_ERROR or payload[0] > 7:
            raise FrameError(f"antenna-missing report must be <ant 0-7> 22, got {payload.hex()}")
        return cls(payload[0] + 1, address=address)
