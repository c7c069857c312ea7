"""ThingMagic Mercury framing, message base classes and the generic frames.

===============  ======  ===  ======  ==========  =====  =============
direction        Header  Len  Opcode  Status      Data   CRC
===============  ======  ===  ======  ==========  =====  =============
host → module    0xFF    N    1       –           N      2, MSB first
module → host    0xFF    N    1       2 (0=OK)    N      2, MSB first
===============  ======  ===  ======  ==========  =====  =============

``Len`` counts the data bytes only, so a command is ``Len + 5`` bytes and a reply ``Len + 7``.
The CRC (:mod:`.crc`) covers ``Len`` through the last data byte. Because the two directions
differ in size, a frame's CRC tells which direction it travels (a 1-in-65,536 chance of a
wrong guess when the direction is not known in advance).
"""

from __future__ import annotations

import binascii
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, fields, is_dataclass
from enum import Enum
from typing import Any, ClassVar, Final, Self

from foodtrace.exceptions import FrameError, ReaderProtocolError
from foodtrace.reader.direction import Direction
from foodtrace.reader.mercury.codes import opcode_name, status_name
from foodtrace.reader.mercury.crc import crc16
from foodtrace.reader.stream import BAD_CHECKSUM, NEED_MORE, BytesLike

__all__ = [
    "COMMAND_OVERHEAD",
    "HEADER",
    "MAX_DATA",
    "RESPONSE_OVERHEAD",
    "Command",
    "CommandFrame",
    "MercuryFraming",
    "Message",
    "Response",
    "ResponseFrame",
    "build_command",
    "build_response",
    "frame_errors",
    "split_command",
    "split_response",
]

HEADER: Final = 0xFF
COMMAND_OVERHEAD: Final = 5  # FF Len Op CRC CRC
RESPONSE_OVERHEAD: Final = 7  # FF Len Op Status Status CRC CRC
MAX_DATA: Final = 0xFF
_J: Final = binascii.crc_hqx(b"\x00\x00", 0xFFFF)  # see crc.py: crc(P||t) = crc_hqx(P, J) ^ t


def _with_crc(body: bytes) -> bytes:
    return body + crc16(body[1:]).to_bytes(2, "big")


def build_command(opcode: int, data: bytes = b"") -> bytes:
    """A complete host → module frame."""
    if len(data) > MAX_DATA:
        raise ValueError(f"Mercury message data is at most 255 bytes, got {len(data)}")
    return _with_crc(bytes((HEADER, len(data), opcode)) + data)


def build_response(opcode: int, status: int, data: bytes = b"") -> bytes:
    """A complete module → host frame."""
    if len(data) > MAX_DATA:
        raise ValueError(f"Mercury message data is at most 255 bytes, got {len(data)}")
    return _with_crc(bytes((HEADER, len(data), opcode, status >> 8, status & 0xFF)) + data)


def _check_frame(data: bytes, overhead: int, what: str) -> None:
    size = len(data)
    if size < overhead:
        raise FrameError(f"Mercury {what} too short: {size} bytes (minimum {overhead})")
    if data[0] != HEADER:
        raise FrameError(f"Mercury frame must start with 0xFF, got {data[0]:#04x}")
    if data[1] + overhead != size:
        raise FrameError(
            f"Mercury length byte {data[1]:#04x} announces a {data[1] + overhead}-byte {what},"
            f" got {size} bytes"
        )
    expected = crc16(data[1:-2])
    got = data[-2] << 8 | data[-1]
    if got != expected:
        raise FrameError(f"Mercury CRC mismatch: frame has {got:#06x}, computed {expected:#06x}")


def split_command(data: BytesLike) -> tuple[int, bytes]:
    """Check one complete host → module frame; return ``(opcode, data)``."""
    data = bytes(data)  # the payload goes into frozen values: never a mutable bytearray
    _check_frame(data, COMMAND_OVERHEAD, "command")
    return data[2], data[3:-2]


def split_response(data: BytesLike) -> tuple[int, int, bytes]:
    """Check one complete module → host frame; return ``(opcode, status, data)``."""
    data = bytes(data)  # the payload goes into frozen values: never a mutable bytearray
    _check_frame(data, RESPONSE_OVERHEAD, "reply")
    return data[2], data[3] << 8 | data[4], data[5:-2]


@contextmanager
def frame_errors(what: str) -> Iterator[None]:
    """Turn a field validation ``ValueError`` raised while decoding into a ``FrameError``."""
    try:
        yield
    except ReaderProtocolError:
        raise
    except ValueError as exc:
        raise FrameError(f"{what}: {exc}") from None


def _json_value(value: object) -> object:
    if isinstance(value, bytes):
        return value.hex().upper()
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, tuple):
        return [_json_value(v) for v in value]
    if is_dataclass(value) and not isinstance(value, type):
        to_dict = getattr(value, "to_dict", None)
        if callable(to_dict):
            return to_dict()
        return {f.name: _json_value(getattr(value, f.name)) for f in fields(value)}
    return value


def _check_range(name: str, value: int, low: int, high: int) -> None:
    if not low <= value <= high:
        raise ValueError(f"{name} must be {low}..{high}, got {value}")


@dataclass(frozen=True, slots=True)
class Message:
    """Base of every Mercury frame value. ``opcode`` reads ``CODE`` unless a class serves
    several opcodes (then ``opcode`` is a field)."""

    TYPE: ClassVar[str] = "frame"
    CODE: ClassVar[int] = -1
    DIRECTION: ClassVar[Direction | None] = None

    @property
    def opcode(self) -> int:
        return self.CODE

    def payload(self) -> bytes:
        """The data bytes (after the opcode, or after the status in a reply)."""
        raise NotImplementedError

    def encode(self) -> bytes:
        raise NotImplementedError

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready mapping: type, opcode (+ name), direction, status (replies), fields."""
        code = self.opcode
        out: dict[str, Any] = {"type": self.TYPE, "opcode": f"0x{code:02X}"}
        name = opcode_name(code)
        if name is not None:
            out["opcode_name"] = name
        if self.DIRECTION is not None:
            out["direction"] = self.DIRECTION.value
        for f in fields(self):
            if f.name == "opcode":
                continue
            value = getattr(self, f.name)
            if f.name == "status":
                out["status"] = f"0x{value:04X}"
                out["status_name"] = status_name(value)
            else:
                out[f.name] = _json_value(value)
        out.update(self._extra_dict())
        return out

    def _extra_dict(self) -> dict[str, Any]:
        return {}


@dataclass(frozen=True, slots=True)
class Command(Message):
    """Base of host → module frames."""

    DIRECTION: ClassVar[Direction | None] = Direction.HOST_TO_READER

    def encode(self) -> bytes:
        return build_command(self.opcode, self.payload())

    @classmethod
    def decode(cls, data: BytesLike) -> Self:
        """Parse one complete command frame of this type (:class:`FrameError` if not one)."""
        opcode, payload = split_command(data)
        if cls.CODE >= 0 and opcode != cls.CODE:
            raise FrameError(f"{cls.__name__} has opcode {cls.CODE:#04x}, frame has {opcode:#04x}")
        with frame_errors(f"Mercury {cls.__name__}"):
            return cls.from_payload(opcode, payload)

    @classmethod
    def from_payload(cls, opcode: int, payload: bytes, /) -> Self:
        raise NotImplementedError


@dataclass(frozen=True, slots=True)
class Response(Message):
    """Base of module → host frames; ``status`` 0x0000 means success."""

    DIRECTION: ClassVar[Direction | None] = Direction.READER_TO_HOST

    status: int = field(default=0, kw_only=True)

    def __post_init__(self) -> None:
        _check_range("status", self.status, 0, 0xFFFF)

    @property
    def ok(self) -> bool:
        return self.status == 0

    def encode(self) -> bytes:
        return build_response(self.opcode, self.status, self.payload())

    @classmethod
    def decode(cls, data: BytesLike) -> Self:
        """Parse one complete reply frame of this type (:class:`FrameError` if not one)."""
        opcode, status, payload = split_response(data)
        if cls.CODE >= 0 and opcode != cls.CODE:
            raise FrameError(f"{cls.__name__} has opcode {cls.CODE:#04x}, frame has {opcode:#04x}")
        with frame_errors(f"Mercury {cls.__name__}"):
            return cls.from_payload(opcode, status, payload)

    @classmethod
    def from_payload(cls, opcode: int, status: int, payload: bytes, /) -> Self:
        raise NotImplementedError


@dataclass(frozen=True, slots=True)
class CommandFrame(Command):
    """Any host → module frame, undecoded (keeps every byte)."""

    TYPE: ClassVar[str] = "command_frame"

    opcode: int
    data: bytes = b""

    def __post_init__(self) -> None:
        _check_range("opcode", self.opcode, 0, 0xFF)
        if len(self.data) > MAX_DATA:
            raise ValueError(f"Mercury message data is at most 255 bytes, got {len(self.data)}")

    def payload(self) -> bytes:
        return self.data

    @classmethod
    def from_payload(cls, opcode: int, payload: bytes, /) -> Self:
        return cls(opcode, payload)


@dataclass(frozen=True, slots=True)
class ResponseFrame(Response):
    """Any module → host frame, undecoded (keeps every byte)."""

    TYPE: ClassVar[str] = "response_frame"

    opcode: int
    data: bytes = b""

    def __post_init__(self) -> None:
        Response.__post_init__(self)
        _check_range("opcode", self.opcode, 0, 0xFF)
        if len(self.data) > MAX_DATA:
            raise ValueError(f"Mercury message data is at most 255 bytes, got {len(self.data)}")

    def payload(self) -> bytes:
        return self.data

    @classmethod
    def from_payload(cls, opcode: int, status: int, payload: bytes, /) -> Self:
        return cls(opcode, payload, status=status)


def generic(raw: bytes) -> Message:
    """The generic frame for a CRC-checked frame (direction from its size)."""
    if len(raw) - raw[1] == RESPONSE_OVERHEAD:
        return ResponseFrame(raw[2], raw[5:-2], status=raw[3] << 8 | raw[4])
    return CommandFrame(raw[2], raw[3:-2])


class MercuryFraming:
    """Stream-parser rules: ``direction`` fixes the frame size; ``None`` accepts either.

    With ``direction=None`` the shorter (command) reading is tried first when both are
    complete; a frame is only accepted when its CRC matches.
    """

    __slots__ = ("_overheads", "decode")

    start: Final = HEADER
    max_frame_size: Final = MAX_DATA + RESPONSE_OVERHEAD

    def __init__(self, decode: Callable[[bytes], Message], direction: Direction | None) -> None:
        self.decode = decode
        if direction is Direction.HOST_TO_READER:
            self._overheads: tuple[int, ...] = (COMMAND_OVERHEAD,)
        elif direction is Direction.READER_TO_HOST:
            self._overheads = (RESPONSE_OVERHEAD,)
        else:
            self._overheads = (COMMAND_OVERHEAD, RESPONSE_OVERHEAD)

    def match(self, buf: bytes, i: int, n: int) -> int:
        if i + 1 >= n:
            return NEED_MORE
        length = buf[i + 1]
        for overhead in self._overheads:
            end = i + overhead + length
            if end > n:
                return NEED_MORE
            crc = binascii.crc_hqx(buf[i + 1 : end - 4], _J) ^ (buf[end - 4] << 8 | buf[end - 3])
            if crc == buf[end - 2] << 8 | buf[end - 1]:
                return end
        return BAD_CHECKSUM

    @staticmethod
    def generic(raw: bytes) -> Message:
        return generic(raw)
