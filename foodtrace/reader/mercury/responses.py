"""Mercury replies and reports (module → host) as frozen values with ``encode()`` / ``decode()``.

Every reply carries a 16-bit ``status`` (0x0000 = success; names in
:class:`~foodtrace.reader.mercury.codes.Status`).

=========================  ======  ========================================================
class                      opcode  data
=========================  ======  ========================================================
StatusResponse             any     – (the reply to a set command, or an error reply)
KeepAlive                  0x22    – (continuous read: ~1/s; status 0x0400 no tags found,
                                   0x0504 temperature throttle, 0x0505 high return loss)
VersionInfo                0x03    bootloader (4), hardware (4), firmware date (4),
                                   firmware version (4), protocol bit mask (4)
ReadTagIdMultipleResult    0x22    option, search flags (2), tags found (4)
TagRecord                  0x22    option (0x10), search flags (2), metadata flags (2),
                                   response type 0x01, one tag record (streamed)
TagBuffer                  0x29    metadata flags (2), read option, count, tag records
ContinuousReadStarted      0x2F    0x01, 0x22, search flags (2)
ContinuousReadStopped      0x2F    0x02
ReadTxPower                0x62    option, centi-dBm (2) [, max (2), min (2) when option 1]
RegionInfo                 0x67    region
=========================  ======  ========================================================
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar, Final, Self

from foodtrace.exceptions import FrameError
from foodtrace.reader.mercury.codes import Opcode
from foodtrace.reader.mercury.commands import OPTION_METADATA, _expect_length, _region_name
from foodtrace.reader.mercury.frame import MAX_DATA, Message, Response, _check_range
from foodtrace.reader.mercury.metadata import ALL_METADATA, TagData, parse_tag
from foodtrace.reader.records import TagRead

__all__ = [
    "ContinuousReadStarted",
    "ContinuousReadStopped",
    "KeepAlive",
    "ReadTagIdMultipleResult",
    "ReadTxPower",
    "RegionInfo",
    "StatusResponse",
    "TagBuffer",
    "TagRecord",
    "VersionInfo",
]

_STREAM_TAG: Final = 0x01  # response type: a tag record, the stream continues
_new = object.__new__
_set = object.__setattr__


@dataclass(frozen=True, slots=True)
class StatusResponse(Response):
    """A reply without data: the acknowledgement of a set command (status 0) or an error."""

    TYPE: ClassVar[str] = "status"

    opcode: int

    def __post_init__(self) -> None:
        Response.__post_init__(self)
        _check_range("opcode", self.opcode, 0, 0xFF)

    @classmethod
    def reply(cls, to: Message, status: int = 0) -> StatusResponse:
        """The data-less reply to command ``to`` (same opcode), success unless ``status``."""
        return StatusResponse(to.opcode, status=status)

    def payload(self) -> bytes:
        return b""

    @classmethod
    def from_payload(cls, opcode: int, status: int, payload: bytes, /) -> Self:
        _expect_length(cls, payload, 0)
        return cls(opcode, status=status)

    def _extra_dict(self) -> dict[str, Any]:
        return {"ok": self.ok}


@dataclass(frozen=True, slots=True)
class KeepAlive(Response):
    """An empty Read Tag ID Multiple reply: the continuous-read heartbeat (the same bytes
    answer a synchronous search that found nothing)."""

    TYPE: ClassVar[str] = "keep_alive"
    CODE: ClassVar[int] = Opcode.READ_TAG_ID_MULTIPLE

    def payload(self) -> bytes:
        return b""

    @classmethod
    def from_payload(cls, _opcode: int, status: int, payload: bytes, /) -> Self:
        _expect_length(cls, payload, 0)
        return cls(status=status)


def _version_text(value: bytes) -> str:
    return ".".join(f"{b:02X}" for b in value)


@dataclass(frozen=True, slots=True)
class VersionInfo(Response):
    """Module versions (4 bytes each, printed as hex pairs: bootloader ``12.08.00.30``),
    and the supported tag protocols as a bit mask (bit n-1 = protocol n; 0x10 = Gen2)."""

    TYPE: ClassVar[str] = "version"
    CODE: ClassVar[int] = Opcode.VERSION

    bootloader: bytes
    hardware: bytes
    firmware_date: bytes
    firmware_version: bytes
    protocols: int

    def __post_init__(self) -> None:
        Response.__post_init__(self)
        for name in ("bootloader", "hardware", "firmware_date", "firmware_version"):
            if len(getattr(self, name)) != 4:
                raise ValueError(f"{name} must be 4 bytes")
        _check_range("protocols", self.protocols, 0, 0xFFFFFFFF)

    @property
    def supported_protocols(self) -> tuple[int, ...]:
        return tuple(n + 1 for n in range(32) if self.protocols >> n & 1)

    def payload(self) -> bytes:
        return (
            self.bootloader
            + self.hardware
            + self.firmware_date
            + self.firmware_version
            + self.protocols.to_bytes(4, "big")
        )

    @classmethod
    def from_payload(cls, _opcode: int, status: int, payload: bytes, /) -> Self:
        _expect_length(cls, payload, 20)
        return cls(
            payload[0:4],
            payload[4:8],
            payload[8:12],
            payload[12:16],
            int.from_bytes(payload[16:20], "big"),
            status=status,
        )

    def _extra_dict(self) -> dict[str, Any]:
        return {
            "bootloader": _version_text(self.bootloader),
            "hardware": _version_text(self.hardware),
            "firmware_date": self.firmware_date.hex(),
            "firmware_version": _version_text(self.firmware_version),
            "supported_protocols": list(self.supported_protocols),
        }


@dataclass(frozen=True, slots=True)
class ReadTagIdMultipleResult(Response):
    """Reply to a synchronous Read Tag ID Multiple: how many tags are now in the buffer."""

    TYPE: ClassVar[str] = "read_tag_id_multiple_result"
    CODE: ClassVar[int] = Opcode.READ_TAG_ID_MULTIPLE

    tag_count: int
    search_flags: int = 0
    option: int = 0

    def __post_init__(self) -> None:
        Response.__post_init__(self)
        _check_range("tag_count", self.tag_count, 0, 0xFFFFFFFF)
        _check_range("search_flags", self.search_flags, 0, 0xFFFF)
        _check_range("option", self.option, 0, 0xFF)
        if self.option & OPTION_METADATA:
            raise ValueError("option 0x10 (metadata) replies are tag records, not counts")

    def payload(self) -> bytes:
        return (
            bytes((self.option,))
            + self.search_flags.to_bytes(2, "big")
            + self.tag_count.to_bytes(4, "big")
        )

    @classmethod
    def from_payload(cls, _opcode: int, status: int, payload: bytes, /) -> Self:
        _expect_length(cls, payload, 7)
        return cls(
            int.from_bytes(payload[3:7], "big"),
            payload[1] << 8 | payload[2],
            payload[0],
            status=status,
        )


@dataclass(frozen=True, slots=True)
class TagRecord(Response):
    """One tag streamed during a continuous read (opcode 0x22 with the metadata option)."""

    TYPE: ClassVar[str] = "tag_record"
    CODE: ClassVar[int] = Opcode.READ_TAG_ID_MULTIPLE

    tag: TagData
    search_flags: int = 0x001B
    option: int = OPTION_METADATA

    def __post_init__(self) -> None:
        Response.__post_init__(self)
        _check_range("search_flags", self.search_flags, 0, 0xFFFF)
        _check_range("option", self.option, 0, 0xFF)
        if not self.option & OPTION_METADATA:
            raise ValueError("a streamed tag record's option byte has the metadata bit 0x10")

    def tag_read(self) -> TagRead:
        return self.tag.tag_read()

    def payload(self) -> bytes:
        head = bytes((self.option,)) + self.search_flags.to_bytes(2, "big")
        head += self.tag.metadata_flags.to_bytes(2, "big") + bytes((_STREAM_TAG,))
        return head + self.tag.encode()

    @classmethod
    def from_payload(cls, _opcode: int, status: int, payload: bytes, /) -> Self:
        size = len(payload)
        if size < 6 or not payload[0] & OPTION_METADATA:
            raise FrameError(f"streamed tag record needs the metadata option and 6+ bytes: {size}")
        if payload[5] != _STREAM_TAG:
            raise FrameError(f"streamed response type {payload[5]:#04x} is not a tag record")
        tag, end = parse_tag(payload, 6, size, payload[3] << 8 | payload[4])
        if end != size:
            raise FrameError(f"{size - end} bytes follow the streamed tag record")
        # Hot path: fields in range by construction (see parse_tag); no __post_init__ re-run.
        record = _new(cls)
        _set(record, "tag", tag)
        _set(record, "search_flags", payload[1] << 8 | payload[2])
        _set(record, "option", payload[0])
        _set(record, "status", status)
        return record

    def _extra_dict(self) -> dict[str, Any]:
        return {"tag": self.tag.to_dict()}


@dataclass(frozen=True, slots=True)
class TagBuffer(Response):
    """Tags fetched from the module's buffer (reply to ``GetTagBuffer``).

    Every tag carries the same fields (``metadata_flags``).
    """

    TYPE: ClassVar[str] = "tag_buffer"
    CODE: ClassVar[int] = Opcode.GET_TAG_ID_BUFFER

    tags: tuple[TagData, ...]
    metadata_flags: int = ALL_METADATA
    read_option: int = 0

    def __post_init__(self) -> None:
        Response.__post_init__(self)
        _check_range("metadata_flags", self.metadata_flags, 0, ALL_METADATA)
        _check_range("read_option", self.read_option, 0, 0xFF)
        _check_range("tag count", len(self.tags), 0, 0xFF)
        for tag in self.tags:
            if tag.metadata_flags != self.metadata_flags:
                raise ValueError(
                    f"tag has metadata {tag.metadata_flags:#06x}, buffer {self.metadata_flags:#06x}"
                )

    def tag_reads(self) -> tuple[TagRead, ...]:
        return tuple(tag.tag_read() for tag in self.tags)

    def payload(self) -> bytes:
        head = self.metadata_flags.to_bytes(2, "big") + bytes((self.read_option, len(self.tags)))
        body = head + b"".join(tag.encode() for tag in self.tags)
        if len(body) > MAX_DATA:
            raise ValueError(f"tag buffer reply of {len(body)} bytes exceeds 255")
        return body

    @classmethod
    def from_payload(cls, _opcode: int, status: int, payload: bytes, /) -> Self:
        size = len(payload)
        if size < 4:
            raise FrameError(f"tag buffer reply needs at least 4 data bytes, got {size}")
        flags = payload[0] << 8 | payload[1]
        tags = []
        pos = 4
        for _ in range(payload[3]):
            tag, pos = parse_tag(payload, pos, size, flags)
            tags.append(tag)
        if pos != size:
            raise FrameError(f"{size - pos} bytes follow the {payload[3]} buffered tag records")
        return cls(tuple(tags), flags, payload[2], status=status)

    def _extra_dict(self) -> dict[str, Any]:
        return {"tags": [tag.to_dict() for tag in self.tags]}


@dataclass(frozen=True, slots=True)
class ContinuousReadStarted(Response):
    """Acknowledgement of ``StartContinuousRead``."""

    TYPE: ClassVar[str] = "continuous_read_started"
    CODE: ClassVar[int] = Opcode.MULTI_PROTOCOL_TAG_OP

    search_flags: int = 0

    def __post_init__(self) -> None:
        Response.__post_init__(self)
        _check_range("search_flags", self.search_flags, 0, 0xFFFF)

    def payload(self) -> bytes:
        return bytes((0x01, Opcode.READ_TAG_ID_MULTIPLE)) + self.search_flags.to_bytes(2, "big")

    @classmethod
    def from_payload(cls, _opcode: int, status: int, payload: bytes, /) -> Self:
        _expect_length(cls, payload, 4)
        if payload[:2] != bytes((0x01, Opcode.READ_TAG_ID_MULTIPLE)):
            raise FrameError(f"continuous-read start reply must begin 01 22, got {payload.hex()}")
        return cls(payload[2] << 8 | payload[3], status=status)


@dataclass(frozen=True, slots=True)
class ContinuousReadStopped(Response):
    """Acknowledgement of ``StopContinuousRead``."""

    TYPE: ClassVar[str] = "continuous_read_stopped"
    CODE: ClassVar[int] = Opcode.MULTI_PROTOCOL_TAG_OP

    def payload(self) -> bytes:
        return b"\x02"

    @classmethod
    def from_payload(cls, _opcode: int, status: int, payload: bytes, /) -> Self:
        if payload != b"\x02":
            raise FrameError(f"continuous-read stop reply must be 02, got {payload.hex()}")
        return cls(status=status)


@dataclass(frozen=True, slots=True)
class ReadTxPower(Response):
    """Read TX power in centi-dBm; ``max_centi_dbm``/``min_centi_dbm`` when limits were asked."""

    TYPE: ClassVar[str] = "read_tx_power"
    CODE: ClassVar[int] = Opcode.GET_READ_TX_POWER

    centi_dbm: int
    max_centi_dbm: int | None = None
    min_centi_dbm: int | None = None

    def __post_init__(self) -> None:
        Response.__post_init__(self)
        if (self.max_centi_dbm is None) != (self.min_centi_dbm is None):
            raise ValueError("give both power limits or neither")
        for name in ("centi_dbm", "max_centi_dbm", "min_centi_dbm"):
            value = getattr(self, name)
            if value is not None:
                _check_range(name, value, -0x8000, 0x7FFF)

    @property
    def dbm(self) -> float:
        return self.centi_dbm / 100

    def payload(self) -> bytes:
        values = [self.centi_dbm]
        if self.max_centi_dbm is not None and self.min_centi_dbm is not None:
            values += [self.max_centi_dbm, self.min_centi_dbm]
        option = bytes((0 if len(values) == 1 else 1,))
        return option + b"".join(v.to_bytes(2, "big", signed=True) for v in values)

    @classmethod
    def from_payload(cls, _opcode: int, status: int, payload: bytes, /) -> Self:
        _expect_length(cls, payload, 3, 7)
        if payload[0] != (len(payload) == 7):
            raise FrameError(f"read-TX-power option {payload[0]:#04x} does not fit {payload.hex()}")
        values = [int.from_bytes(payload[i : i + 2], "big", signed=True) for i in (1, 3, 5)]
        if len(payload) == 3:
            return cls(values[0], status=status)
        return cls(values[0], values[1], values[2], status=status)


@dataclass(frozen=True, slots=True)
class RegionInfo(Response):
    """The module's regulatory region (reply to ``GetRegion``)."""

    TYPE: ClassVar[str] = "region"
    CODE: ClassVar[int] = Opcode.GET_REGION

    region: int

    def __post_init__(self) -> None:
        Response.__post_init__(self)
        _check_range("region", self.region, 0, 0xFF)

    def payload(self) -> bytes:
        return bytes((self.region,))

    @classmethod
    def from_payload(cls, _opcode: int, status: int, payload: bytes, /) -> Self:
        _expect_length(cls, payload, 1)
        return cls(payload[0], status=status)

    def _extra_dict(self) -> dict[str, Any]:
        return {"region_name": _region_name(self.region)}
