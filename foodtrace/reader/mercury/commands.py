"""Mercury commands (host → module) as frozen values with ``encode()`` / ``decode()``.

Layouts (data bytes; Mercury API ``serial_reader_l3.c`` and the SparkFun M6e Nano logs):

=====================  ======  ==========================================================
class                  opcode  data
=====================  ======  ==========================================================
GetVersion             0x03    –
SetBaudRate            0x06    bit/s (4)
ReadTagIdMultiple      0x22    option, search flags (2), timeout ms (2)
                               [, metadata flags (2) when option has 0x10] [, filter…]
GetTagBuffer           0x29    metadata flags (2), read option
ClearTagBuffer         0x2A    –
StartContinuousRead    0x2F    timeout (2) = 0, 0x01, 0x22, search flags (2),
                               protocol, plen, 0x22 + embedded ReadTagIdMultiple (plen)
StopContinuousRead     0x2F    timeout (2) = 0, 0x02
GetReadTxPower         0x62    option (0: current; 1: current, max, min)
GetRegion              0x67    –
SetAntennaPort         0x91    TX port, RX port
SetAntennaSearchList   0x91    0x02, (TX, RX) pairs
SetReadTxPower         0x92    centi-dBm (2, signed)
SetTagProtocol         0x93    protocol (2)
SetRegion              0x97    region
=====================  ======  ==========================================================
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar, Final, Self

from foodtrace.exceptions import FrameError
from foodtrace.reader.mercury.codes import Opcode, Region, TagProtocol
from foodtrace.reader.mercury.frame import MAX_DATA, Command, _check_range
from foodtrace.reader.mercury.metadata import ALL_METADATA

__all__ = [
    "COMMAND_TYPES",
    "ClearTagBuffer",
    "GetReadTxPower",
    "GetRegion",
    "GetTagBuffer",
    "GetVersion",
    "ReadTagIdMultiple",
    "SetAntennaPort",
    "SetAntennaSearchList",
    "SetBaudRate",
    "SetReadTxPower",
    "SetRegion",
    "SetTagProtocol",
    "StartContinuousRead",
    "StopContinuousRead",
]

OPTION_METADATA: Final = 0x10  # TMR_SR_GEN2_SINGULATION_OPTION_FLAG_METADATA
_START: Final = 0x01
_STOP: Final = 0x02
_SEARCH_LIST: Final = 0x02


def _expect_length(cls: type, payload: bytes, *sizes: int) -> None:
    if len(payload) not in sizes:
        want = " or ".join(str(s) for s in sizes)
        raise FrameError(f"{cls.__name__} carries {want} data bytes, frame has {len(payload)}")


@dataclass(frozen=True, slots=True)
class _NoData(Command):
    def payload(self) -> bytes:
        return b""

    @classmethod
    def from_payload(cls, _opcode: int, payload: bytes, /) -> Self:
        _expect_length(cls, payload, 0)
        return cls()


@dataclass(frozen=True, slots=True)
class GetVersion(_NoData):
    """Ask for bootloader, hardware and firmware versions (reply: ``VersionInfo``)."""

    TYPE: ClassVar[str] = "get_version"
    CODE: ClassVar[int] = Opcode.VERSION


@dataclass(frozen=True, slots=True)
class ClearTagBuffer(_NoData):
    """Empty the module's tag buffer."""

    TYPE: ClassVar[str] = "clear_tag_buffer"
    CODE: ClassVar[int] = Opcode.CLEAR_TAG_ID_BUFFER


@dataclass(frozen=True, slots=True)
class GetRegion(_NoData):
    """Ask for the regulatory region (reply: ``RegionInfo``)."""

    TYPE: ClassVar[str] = "get_region"
    CODE: ClassVar[int] = Opcode.GET_REGION


@dataclass(frozen=True, slots=True)
class SetBaudRate(Command):
    """Switch the serial speed (the module acknowledges at the old speed, then switches)."""

    TYPE: ClassVar[str] = "set_baud_rate"
    CODE: ClassVar[int] = Opcode.SET_BAUD_RATE

    baud_rate: int

    def __post_init__(self) -> None:
        _check_range("baud_rate", self.baud_rate, 1, 0xFFFFFFFF)

    def payload(self) -> bytes:
        return self.baud_rate.to_bytes(4, "big")

    @classmethod
    def from_payload(cls, _opcode: int, payload: bytes, /) -> Self:
        _expect_length(cls, payload, 4)
        return cls(int.from_bytes(payload, "big"))


@dataclass(frozen=True, slots=True)
class ReadTagIdMultiple(Command):
    """Search for tags for ``timeout_ms`` (reply: ``ReadTagIdMultipleResult``; tags then come
    from ``GetTagBuffer``). Also the embedded command of :class:`StartContinuousRead`.

    ``option`` bit 0x10 asks for metadata (``metadata_flags`` then follows the timeout);
    ``tail`` holds whatever follows (select filter, access password) undecoded.
    """

    TYPE: ClassVar[str] = "read_tag_id_multiple"
    CODE: ClassVar[int] = Opcode.READ_TAG_ID_MULTIPLE

    timeout_ms: int
    search_flags: int = 0
    option: int = 0
    metadata_flags: int | None = None
    tail: bytes = b""

    def __post_init__(self) -> None:
        _check_range("timeout_ms", self.timeout_ms, 0, 0xFFFF)
        _check_range("search_flags", self.search_flags, 0, 0xFFFF)
        _check_range("option", self.option, 0, 0xFF)
        if (self.metadata_flags is not None) != bool(self.option & OPTION_METADATA):
            raise ValueError("metadata_flags goes with option bit 0x10, and only with it")
        if self.metadata_flags is not None:
            _check_range("metadata_flags", self.metadata_flags, 0, 0xFFFF)
        if len(self.tail) > MAX_DATA - 7:
            raise ValueError(f"filter bytes too long: {len(self.tail)}")

    def payload(self) -> bytes:
        out = bytes((self.option,))
        out += self.search_flags.to_bytes(2, "big") + self.timeout_ms.to_bytes(2, "big")
        if self.metadata_flags is not None:
            out += self.metadata_flags.to_bytes(2, "big")
        return out + self.tail

    @classmethod
    def from_payload(cls, _opcode: int, payload: bytes, /) -> Self:
        if len(payload) < 5:
            raise FrameError(f"ReadTagIdMultiple needs at least 5 data bytes, got {len(payload)}")
        option = payload[0]
        search = payload[1] << 8 | payload[2]
        timeout = payload[3] << 8 | payload[4]
        if option & OPTION_METADATA:
            if len(payload) < 7:
                raise FrameError("ReadTagIdMultiple with metadata option lacks metadata flags")
            flags = payload[5] << 8 | payload[6]
            return cls(timeout, search, option, flags, payload[7:])
        return cls(timeout, search, option, None, payload[5:])


#: The embedded read of a continuous read as ThingMagic's Universal Reader Assistant and the
#: SparkFun library send it: metadata option, search flags 0x001B (configured antenna list +
#: tag streaming + large population), 1 s per search, every metadata field.
DEFAULT_CONTINUOUS_READ: Final = ReadTagIdMultiple(
    timeout_ms=1000, search_flags=0x001B, option=OPTION_METADATA, metadata_flags=ALL_METADATA
)


@dataclass(frozen=True, slots=True)
class StartContinuousRead(Command):
    """Start continuous reading (multi-protocol tag op, option 0x01): the module then streams
    a ``TagRecord`` per read and a ``KeepAlive`` about once a second until stopped."""

    TYPE: ClassVar[str] = "start_continuous_read"
    CODE: ClassVar[int] = Opcode.MULTI_PROTOCOL_TAG_OP

    read: ReadTagIdMultiple = field(default=DEFAULT_CONTINUOUS_READ)
    protocol: int = TagProtocol.GEN2
    search_flags: int = 0
    timeout_ms: int = 0

    def __post_init__(self) -> None:
        _check_range("protocol", self.protocol, 0, 0xFF)
        _check_range("search_flags", self.search_flags, 0, 0xFFFF)
        _check_range("timeout_ms", self.timeout_ms, 0, 0xFFFF)
        if len(self.read.payload()) > MAX_DATA - 9:
            raise ValueError("embedded read command too long")

    def payload(self) -> bytes:
        sub = self.read.payload()
        head = self.timeout_ms.to_bytes(2, "big") + bytes((_START, Opcode.READ_TAG_ID_MULTIPLE))
        head += self.search_flags.to_bytes(2, "big")
        return head + bytes((self.protocol, len(sub), Opcode.READ_TAG_ID_MULTIPLE)) + sub

    @classmethod
    def from_payload(cls, _opcode: int, payload: bytes, /) -> Self:
        if len(payload) < 9 or payload[2] != _START:
            raise FrameError("not a start-continuous-read multi-protocol tag op")
        if payload[3] != Opcode.READ_TAG_ID_MULTIPLE or payload[8] != Opcode.READ_TAG_ID_MULTIPLE:
            raise FrameError("continuous read: only a Read Tag ID Multiple sub-command is modelled")
        if payload[7] + 9 != len(payload):
            raise FrameError(
                f"continuous read: one protocol entry of {payload[7]} bytes expected,"
                f" frame has {len(payload) - 9}"
            )
        read = ReadTagIdMultiple.from_payload(Opcode.READ_TAG_ID_MULTIPLE, payload[9:])
        return cls(read, payload[6], payload[4] << 8 | payload[5], payload[0] << 8 | payload[1])


@dataclass(frozen=True, slots=True)
class StopContinuousRead(Command):
    """Stop continuous reading (multi-protocol tag op, option 0x02)."""

    TYPE: ClassVar[str] = "stop_continuous_read"
    CODE: ClassVar[int] = Opcode.MULTI_PROTOCOL_TAG_OP

    timeout_ms: int = 0

    def __post_init__(self) -> None:
        _check_range("timeout_ms", self.timeout_ms, 0, 0xFFFF)

    def payload(self) -> bytes:
        return self.timeout_ms.to_bytes(2, "big") + bytes((_STOP,))

    @classmethod
    def from_payload(cls, _opcode: int, payload: bytes, /) -> Self:
        _expect_length(cls, payload, 3)
        if payload[2] != _STOP:
            raise FrameError(f"stop-continuous-read option must be 0x02, got {payload[2]:#04x}")
        return cls(payload[0] << 8 | payload[1])


@dataclass(frozen=True, slots=True)
class GetTagBuffer(Command):
    """Fetch tags from the module's buffer with the given metadata (reply: ``TagBuffer``)."""

    TYPE: ClassVar[str] = "get_tag_buffer"
    CODE: ClassVar[int] = Opcode.GET_TAG_ID_BUFFER

    metadata_flags: int = ALL_METADATA
    read_option: int = 0

    def __post_init__(self) -> None:
        _check_range("metadata_flags", self.metadata_flags, 0, 0xFFFF)
        _check_range("read_option", self.read_option, 0, 0xFF)

    def payload(self) -> bytes:
        return self.metadata_flags.to_bytes(2, "big") + bytes((self.read_option,))

    @classmethod
    def from_payload(cls, _opcode: int, payload: bytes, /) -> Self:
        _expect_length(cls, payload, 3)
        return cls(payload[0] << 8 | payload[1], payload[2])


@dataclass(frozen=True, slots=True)
class GetReadTxPower(Command):
    """Ask for the read TX power; ``with_limits`` also asks for the maximum and minimum."""

    TYPE: ClassVar[str] = "get_read_tx_power"
    CODE: ClassVar[int] = Opcode.GET_READ_TX_POWER

    with_limits: bool = False

    def payload(self) -> bytes:
        return bytes((int(self.with_limits),))

    @classmethod
    def from_payload(cls, _opcode: int, payload: bytes, /) -> Self:
        _expect_length(cls, payload, 1)
        if payload[0] > 1:
            raise FrameError(f"read-TX-power option must be 0x00 or 0x01, got {payload[0]:#04x}")
        return cls(bool(payload[0]))


@dataclass(frozen=True, slots=True)
class SetReadTxPower(Command):
    """Set the read TX power in centi-dBm (2700 = 27.00 dBm)."""

    TYPE: ClassVar[str] = "set_read_tx_power"
    CODE: ClassVar[int] = Opcode.SET_READ_TX_POWER

    centi_dbm: int

    def __post_init__(self) -> None:
        _check_range("centi_dbm", self.centi_dbm, -0x8000, 0x7FFF)

    @property
    def dbm(self) -> float:
        return self.centi_dbm / 100

    def payload(self) -> bytes:
        return self.centi_dbm.to_bytes(2, "big", signed=True)

    @classmethod
    def from_payload(cls, _opcode: int, payload: bytes, /) -> Self:
        _expect_length(cls, payload, 2)
        return cls(int.from_bytes(payload, "big", signed=True))


@dataclass(frozen=True, slots=True)
class SetAntennaPort(Command):
    """Use one TX port and one RX port (1-based; monostatic antenna N is ``(N, N)``)."""

    TYPE: ClassVar[str] = "set_antenna_port"
    CODE: ClassVar[int] = Opcode.SET_ANTENNA_PORT

    tx_port: int
    rx_port: int

    def __post_init__(self) -> None:
        _check_range("tx_port", self.tx_port, 0, 0xFF)
        _check_range("rx_port", self.rx_port, 0, 0xFF)

    def payload(self) -> bytes:
        return bytes((self.tx_port, self.rx_port))

    @classmethod
    def from_payload(cls, _opcode: int, payload: bytes, /) -> Self:
        _expect_length(cls, payload, 2)
        return cls(payload[0], payload[1])


@dataclass(frozen=True, slots=True)
class SetAntennaSearchList(Command):
    """Search the given (TX port, RX port) pairs in turn (antenna option 0x02)."""

    TYPE: ClassVar[str] = "set_antenna_search_list"
    CODE: ClassVar[int] = Opcode.SET_ANTENNA_PORT

    ports: tuple[tuple[int, int], ...]

    def __post_init__(self) -> None:
        if not 1 <= len(self.ports) <= (MAX_DATA - 1) // 2:
            raise ValueError(f"give 1..127 port pairs, got {len(self.ports)}")
        for tx, rx in self.ports:
            _check_range("tx_port", tx, 0, 0xFF)
            _check_range("rx_port", rx, 0, 0xFF)

    def payload(self) -> bytes:
        return bytes((_SEARCH_LIST, *(b for pair in self.ports for b in pair)))

    @classmethod
    def from_payload(cls, _opcode: int, payload: bytes, /) -> Self:
        if payload[:1] != bytes((_SEARCH_LIST,)) or len(payload) < 3 or not len(payload) & 1:
            raise FrameError(f"antenna search list must be 02 followed by pairs: {payload.hex()}")
        return cls(tuple(zip(payload[1::2], payload[2::2], strict=True)))


@dataclass(frozen=True, slots=True)
class SetTagProtocol(Command):
    """Select the tag protocol (0x0005 = Gen2)."""

    TYPE: ClassVar[str] = "set_tag_protocol"
    CODE: ClassVar[int] = Opcode.SET_TAG_PROTOCOL

    protocol: int = TagProtocol.GEN2

    def __post_init__(self) -> None:
        _check_range("protocol", self.protocol, 0, 0xFFFF)

    def payload(self) -> bytes:
        return self.protocol.to_bytes(2, "big")

    @classmethod
    def from_payload(cls, _opcode: int, payload: bytes, /) -> Self:
        _expect_length(cls, payload, 2)
        return cls(payload[0] << 8 | payload[1])


@dataclass(frozen=True, slots=True)
class SetRegion(Command):
    """Set the regulatory region (:class:`~foodtrace.reader.mercury.codes.Region`)."""

    TYPE: ClassVar[str] = "set_region"
    CODE: ClassVar[int] = Opcode.SET_REGION

    region: int

    def __post_init__(self) -> None:
        _check_range("region", self.region, 0, 0xFF)

    def payload(self) -> bytes:
        return bytes((self.region,))

    @classmethod
    def from_payload(cls, _opcode: int, payload: bytes, /) -> Self:
        _expect_length(cls, payload, 1)
        return cls(payload[0])

    def _extra_dict(self) -> dict[str, Any]:
        return {"region_name": _region_name(self.region)}


def _region_name(value: int) -> str | None:
    return Region(value).name if value in _REGIONS else None


_REGIONS: Final = frozenset(Region)

COMMAND_TYPES: Final[tuple[type[Command], ...]] = (
    GetVersion,
    SetBaudRate,
    ReadTagIdMultiple,
    GetTagBuffer,
    ClearTagBuffer,
    StartContinuousRead,
    StopContinuousRead,
    GetReadTxPower,
    GetRegion,
    SetAntennaPort,
    SetAntennaSearchList,
    SetReadTxPower,
    SetTagProtocol,
    SetRegion,
)
