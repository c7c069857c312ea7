"""R2000 "0xA0" framing: ``A0 Len Addr Cmd Data… Check``, the message base class, the generic frame.

``Len`` counts the bytes after itself (Addr, Cmd, Data, Check), so a frame is ``Len + 2`` bytes
long and ``Len >= 3``. ``Check`` is the two's complement of the 8-bit sum of every byte before
it (:mod:`.checksum`). Both directions use the same layout; replies echo the command byte and
the reader's address (0x00–0xFE; 0xFF is the public address every reader accepts).

Every typed frame derives from :class:`Message`: a frozen dataclass with ``encode() -> bytes``
and ``decode(data) -> Self``; :class:`Frame` is the generic frame for codes or layouts this
library does not model (it keeps every byte).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, fields, is_dataclass
from enum import Enum
from typing import TYPE_CHECKING, Any, ClassVar, Final, Self

from foodtrace.exceptions import FrameError, ReaderProtocolError
from foodtrace.reader.direction import Direction
from foodtrace.reader.r2000.checksum import checksum
from foodtrace.reader.r2000.codes import CommandCode
from foodtrace.reader.stream import BAD_CHECKSUM, BAD_LENGTH, NEED_MORE, BytesLike

if TYPE_CHECKING:
    from collections.abc import Callable

__all__ = [
    "HEAD",
    "MAX_FRAME_SIZE",
    "PUBLIC_ADDRESS",
    "Frame",
    "Message",
    "R2000Framing",
    "build_frame",
    "frame_errors",
    "split_frame",
]

HEAD: Final = 0xA0
PUBLIC_ADDRESS: Final = 0xFF
MIN_LENGTH: Final = 3  # Addr + Cmd + Check
MAX_FRAME_SIZE: Final = 2 + 0xFF
_COMMAND_CODES: Final = frozenset(CommandCode)


def build_frame(address: int, command: int, data: bytes = b"") -> bytes:
    """Assemble a complete frame (head, length, checksum added)."""
    if len(data) > 0xFF - MIN_LENGTH:
        raise ValueError(f"R2000 frame data is at most 252 bytes, got {len(data)}")
    body = bytes((HEAD, len(data) + MIN_LENGTH, address, command)) + data
    return body + bytes((checksum(body),))


def split_frame(data: BytesLike) -> tuple[int, int, bytes]:
    """Check one complete frame and return ``(address, command, payload)``.

    Raises :class:`FrameError` naming what is wrong: head, length byte, size, checksum.
    """
    data = bytes(data)  # the payload goes into frozen values: never a mutable bytearray
    size = len(data)
    if size < MIN_LENGTH + 2:
        raise FrameError(f"R2000 frame too short: {size} bytes (minimum 5: A0 Len Addr Cmd Check)")
    if data[0] != HEAD:
        raise FrameError(f"R2000 frame must start with 0xA0, got {data[0]:#04x}")
    length = data[1]
    if length < MIN_LENGTH:
        raise FrameError(f"R2000 length byte {length:#04x} is below the minimum 0x03")
    if length + 2 != size:
        raise FrameError(
            f"R2000 length byte {length:#04x} announces a {length + 2}-byte frame, got {size} bytes"
        )
    expected = checksum(data[:-1])
    if data[-1] != expected:
        raise FrameError(
            f"R2000 checksum mismatch: frame has {data[-1]:#04x}, computed {expected:#04x}"
        )
    return data[2], data[3], data[4:-1]


@contextmanager
def frame_errors(what: str) -> Iterator[None]:
    """Turn a field validation ``ValueError`` raised while decoding into a ``FrameError``."""
    try:
        yield
    except ReaderProtocolError:
        raise
    except ValueError as exc:
        raise FrameError(f"{what}: {exc}") from None


def _hex(value: bytes) -> str:
    return value.hex().upper()


@dataclass(frozen=True, slots=True)
class Message:
    """Base of every R2000 frame value (typed or generic).

    ``address`` is keyword-only everywhere and defaults to the public address 0xFF.
    Subclasses set ``TYPE`` (JSON type name), ``CODE`` (their command byte, read through the
    ``command`` property; classes that serve several commands have a ``command`` field instead)
    and ``DIRECTION``.
    """

    TYPE: ClassVar[str] = "frame"
    CODE: ClassVar[int] = -1
    CODES: ClassVar[frozenset[int] | None] = None  # command bytes decode() accepts; None = any
    DIRECTION: ClassVar[Direction | None] = None

    address: int = field(default=PUBLIC_ADDRESS, kw_only=True)

    def __post_init__(self) -> None:
        _check_range("address", self.address, 0, 0xFF)

    @property
    def command(self) -> int:
        """The command byte (``Cmd``) of this frame."""
        return self.CODE

    def payload(self) -> bytes:
        """The ``Data`` bytes (between Cmd and Check)."""
        raise NotImplementedError

    def encode(self) -> bytes:
        """The complete frame, checksum included."""
        return build_frame(self.address, self.command, self.payload())

    @classmethod
    def decode(cls, data: BytesLike) -> Self:
        """Parse one complete frame of this type; :class:`FrameError` if it is not one."""
        address, command, payload = split_frame(data)
        if cls.CODES is not None and command not in cls.CODES:
            want = ", ".join(f"{c:#04x}" for c in sorted(cls.CODES))
            raise FrameError(f"{cls.__name__} has command {want}, frame has {command:#04x}")
        with frame_errors(f"R2000 {cls.__name__}"):
            return cls.from_payload(address, command, payload)

    @classmethod
    def from_payload(cls, address: int, command: int, payload: bytes, /) -> Self:
        """Build from an already-checked frame's parts (raises :class:`FrameError`)."""
        raise NotImplementedError

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready mapping: type, command, direction (when fixed), address, fields."""
        code = self.command
        out: dict[str, Any] = {"type": self.TYPE, "command": f"0x{code:02X}"}
        if code in _COMMAND_CODES:
            out["command_name"] = CommandCode(code).name.lower()
        if self.DIRECTION is not None:
            out["direction"] = self.DIRECTION.value
        out["address"] = self.address
        for f in fields(self):
            if f.name in ("address", "command"):
                continue
            out[f.name] = _json_value(getattr(self, f.name))
        out.update(self._extra_dict())
        return out

    def _extra_dict(self) -> dict[str, Any]:
        return {}


def _json_value(value: object) -> object:
    if isinstance(value, bytes):
        return _hex(value)
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, tuple):
        return [_json_value(v) for v in value]
    if is_dataclass(value) and not isinstance(value, type):
        return {f.name: _json_value(getattr(value, f.name)) for f in fields(value)}
    return value


def _check_range(name: str, value: int, low: int, high: int) -> None:
    if not low <= value <= high:
        raise ValueError(f"{name} must be {low}..{high}, got {value}")


@dataclass(frozen=True, slots=True)
class Frame(Message):
    """Any R2000 frame, undecoded: the command byte and its raw data. Keeps every byte."""

    TYPE: ClassVar[str] = "frame"

    command: int
    data: bytes = b""

    def __post_init__(self) -> None:
        Message.__post_init__(self)
        _check_range("command", self.command, 0, 0xFF)
        if len(self.data) > 0xFF - MIN_LENGTH:
            raise ValueError(f"R2000 frame data is at most 252 bytes, got {len(self.data)}")

    def payload(self) -> bytes:
        return self.data

    @classmethod
    def from_payload(cls, address: int, command: int, payload: bytes, /) -> Self:
        return cls(command, payload, address=address)

    @classmethod
    def from_raw(cls, raw: bytes) -> Frame:
        """Generic frame from bytes the stream parser already checked (no re-validation)."""
        return Frame(raw[3], raw[4:-1], address=raw[2])


class R2000Framing:
    """Stream-parser rules for R2000 frames; ``decode`` picks the direction's decoder."""

    __slots__ = ("decode",)

    start: Final = HEAD
    max_frame_size: Final = MAX_FRAME_SIZE

    def __init__(self, decode: Callable[[bytes], Message]) -> None:
        self.decode = decode

    @staticmethod
    def match(buf: bytes, i: int, n: int) -> int:
        if i + 1 >= n:
            return NEED_MORE
        length = buf[i + 1]
        if length < MIN_LENGTH:
            return BAD_LENGTH
        end = i + 2 + length
        if end > n:
            return NEED_MORE
        if sum(buf[i:end]) & 0xFF:
            return BAD_CHECKSUM
        return end

    @staticmethod
    def generic(raw: bytes) -> Message:
        return Frame.from_raw(raw)
