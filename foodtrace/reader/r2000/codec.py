"""The R2000 codec: bytes ↔ typed frames in both directions, and stream parsers.

The same byte layout serves both directions, so the caller says which way a frame travels:
``decode_command`` (host → reader: what a simulator receives) or ``decode_response`` (reader →
host: what the edge agent receives). ``decode(data)`` without a direction tries the reply
interpretation first, then the command one.

Decoding raises :class:`~foodtrace.exceptions.FrameError` for bytes that are not a valid frame or
a modelled command with an unexpected layout, and
:class:`~foodtrace.exceptions.UnknownCommandError` for a valid frame whose command (or reply)
this library does not model. The stream parsers never raise: such frames come out as the
generic :class:`~foodtrace.reader.r2000.frame.Frame`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import ClassVar, Final

from foodtrace.exceptions import FrameError, UnknownCommandError
from foodtrace.reader.direction import Direction
from foodtrace.reader.r2000.channels import STANDARD_CHANNELS, ChannelTable
from foodtrace.reader.r2000.codes import CommandCode
from foodtrace.reader.r2000.commands import (
    COMMAND_TYPES,
    Command,
    SetFrequencyRegion,
    SetUserFrequencyRegion,
)
from foodtrace.reader.r2000.frame import Frame, Message, R2000Framing, frame_errors, split_frame
from foodtrace.reader.r2000.responses import (
    AntennaMissing,
    FastSwitchRoundEnd,
    FirmwareVersion,
    FrequencyRegion,
    InventoryRoundEnd,
    InventoryTag,
    OutputPower,
    Response,
    StatusResponse,
    UserFrequencyRegion,
    WorkAntenna,
)
from foodtrace.reader.records import TagRead
from foodtrace.reader.stream import BytesLike, StreamParser

__all__ = [
    "R2000Codec",
    "decode",
    "decode_command",
    "decode_response",
    "stream_parser",
]

_Decoder = Callable[[int, int, bytes], Message]
_KNOWN: Final = frozenset(CommandCode)

# Commands whose one-byte reply is a value, not an Error_Code (values overlap the codes).
_ONE_BYTE_VALUE_REPLIES: Final = frozenset({0x63, 0x6A, 0x77, 0x7D, 0x7E, 0x8E, 0x95})


def _name(command: int) -> str:
    return CommandCode(command).name.lower() if command in _KNOWN else "unknown command"


# --- host -> reader -------------------------------------------------------------------------


def _frequency_region_command(address: int, command: int, payload: bytes) -> Command:
    if len(payload) == 6:
        return SetUserFrequencyRegion.from_payload(address, command, payload)
    return SetFrequencyRegion.from_payload(address, command, payload)


_COMMAND_DECODERS: Final[dict[int, _Decoder]] = {
    cls.CODE: cls.from_payload for cls in COMMAND_TYPES
}
_COMMAND_DECODERS[CommandCode.SET_FREQUENCY_REGION] = _frequency_region_command


def decode_command(data: BytesLike) -> Command:
    """Decode one complete host → reader frame into its typed command."""
    data = bytes(data)  # frames hold immutable bytes, whatever bytes-like came in
    split_frame(data)
    with frame_errors("R2000 command"):
        return _fast_command(data)


# --- reader -> host -------------------------------------------------------------------------


def _status(address: int, command: int, payload: bytes) -> Response:
    return StatusResponse.from_payload(address, command, payload)


def _inventory(address: int, command: int, payload: bytes) -> Response:
    size = len(payload)
    if size == 1:
        return StatusResponse.from_payload(address, command, payload)
    if size & 1:
        if command == CommandCode.FAST_SWITCH_ANT_INVENTORY:
            return FastSwitchRoundEnd.from_payload(address, command, payload)
        return InventoryRoundEnd.from_payload(address, command, payload)
    if command == CommandCode.FAST_SWITCH_ANT_INVENTORY:
        if size == 2:
            return AntennaMissing.from_payload(address, command, payload)
        if size == 8:
            try:
                return InventoryTag.from_payload(address, command, payload)
            except FrameError:
                return FastSwitchRoundEnd.from_payload(address, command, payload)
    return InventoryTag.from_payload(address, command, payload)


def _firmware(address: int, command: int, payload: bytes) -> Response:
    if len(payload) == 1:
        return StatusResponse.from_payload(address, command, payload)
    return FirmwareVersion.from_payload(address, command, payload)


def _work_antenna(address: int, command: int, payload: bytes) -> Response:
    if len(payload) == 1 and payload[0] > 7:
        return StatusResponse.from_payload(address, command, payload)
    return WorkAntenna.from_payload(address, command, payload)


def _region(address: int, command: int, payload: bytes) -> Response:
    if len(payload) == 1:
        return StatusResponse.from_payload(address, command, payload)
    if len(payload) == 6:
        return UserFrequencyRegion.from_payload(address, command, payload)
    return FrequencyRegion.from_payload(address, command, payload)


_RESPONSE_DECODERS: Final[dict[int, _Decoder]] = {
    CommandCode.REAL_TIME_INVENTORY: _inventory,
    CommandCode.FAST_SWITCH_ANT_INVENTORY: _inventory,
    CommandCode.CUSTOMIZED_SESSION_TARGET_INVENTORY: _inventory,
    CommandCode.GET_FIRMWARE_VERSION: _firmware,
    CommandCode.GET_WORK_ANTENNA: _work_antenna,
    CommandCode.GET_OUTPUT_POWER: OutputPower.from_payload,
    CommandCode.GET_FREQUENCY_REGION: _region,
}


def _response_from_parts(address: int, command: int, payload: bytes) -> Response:
    decoder = _RESPONSE_DECODERS.get(command)
    if decoder is not None:
        message = decoder(address, command, payload)
        assert isinstance(message, Response)
        return message
    if command in _KNOWN and command not in _ONE_BYTE_VALUE_REPLIES and len(payload) == 1:
        return StatusResponse.from_payload(address, command, payload)
    raise UnknownCommandError(
        f"R2000 reply to {command:#04x} ({_name(command)}) with {len(payload)} data bytes"
        " is not modelled"
    )


def decode_response(data: BytesLike) -> Response:
    """Decode one complete reader → host frame into its typed reply or report."""
    address, command, payload = split_frame(data)
    with frame_errors("R2000 reply"):
        return _response_from_parts(address, command, payload)


def _fast_response(raw: bytes) -> Response:
    """``decode_response`` for frames the stream parser already checked (hot path)."""
    return _response_from_parts(raw[2], raw[3], raw[4:-1])


def _fast_command(raw: bytes) -> Command:
    command = raw[3]
    decoder = _COMMAND_DECODERS.get(command)
    if decoder is None:
        raise UnknownCommandError(
            f"R2000 command {command:#04x} ({_name(command)}) is not modelled"
        )
    message = decoder(raw[2], command, raw[4:-1])
    assert isinstance(message, Command)
    return message


def _fast_any(raw: bytes) -> Message:
    try:
        return _fast_response(raw)
    except ValueError as reply_error:  # FrameError, UnknownCommandError or a field's range
        try:
            return _fast_command(raw)
        except ValueError:
            raise reply_error from None


def decode(data: BytesLike, direction: Direction | None = None) -> Message:
    """Decode one complete frame; ``direction=None`` tries a reply first, then a command."""
    if direction is Direction.HOST_TO_READER:
        return decode_command(data)
    if direction is Direction.READER_TO_HOST:
        return decode_response(data)
    data = bytes(data)
    split_frame(data)
    with frame_errors("R2000 frame"):
        return _fast_any(data)


def stream_parser(direction: Direction | None = Direction.READER_TO_HOST) -> StreamParser[Message]:
    """A resynchronising stream parser for one direction (``None``: either, reply first)."""
    if direction is Direction.HOST_TO_READER:
        return StreamParser(R2000Framing(_fast_command))
    if direction is Direction.READER_TO_HOST:
        return StreamParser(R2000Framing(_fast_response))
    return StreamParser(R2000Framing(_fast_any))


@dataclass(frozen=True, slots=True)
class R2000Codec:
    """Both directions of the R2000 protocol for one reader.

    ``channels`` maps tag records' frequency indices to kHz (the standard table unless the
    reader runs a V3 user-defined region: pass ``UserFrequencyRegion.channels``).
    """

    name: ClassVar[str] = "r2000"

    channels: ChannelTable = STANDARD_CHANNELS

    @staticmethod
    def encode_command(command: Command) -> bytes:
        if not isinstance(command, Command):
            raise TypeError(f"not an R2000 command: {command!r}")
        return command.encode()

    @staticmethod
    def encode_response(response: Response) -> bytes:
        if not isinstance(response, Response):
            raise TypeError(f"not an R2000 reply: {response!r}")
        return response.encode()

    @staticmethod
    def decode_command(data: BytesLike) -> Command:
        return decode_command(data)

    @staticmethod
    def decode_response(data: BytesLike) -> Response:
        return decode_response(data)

    @staticmethod
    def decode(data: BytesLike, direction: Direction | None = None) -> Message:
        return decode(data, direction)

    @staticmethod
    def decode_generic(data: BytesLike) -> Frame:
        """Any valid frame as the generic :class:`Frame` (never ``UnknownCommandError``)."""
        return Frame.decode(data)

    @staticmethod
    def command_parser() -> StreamParser[Message]:
        """Parser for host → reader bytes (what a reader or simulator receives)."""
        return stream_parser(Direction.HOST_TO_READER)

    @staticmethod
    def response_parser() -> StreamParser[Message]:
        """Parser for reader → host bytes (what the edge agent receives)."""
        return stream_parser(Direction.READER_TO_HOST)

    @staticmethod
    def parser(direction: Direction | None = Direction.READER_TO_HOST) -> StreamParser[Message]:
        return stream_parser(direction)

    def tag_reads(self, message: object) -> tuple[TagRead, ...]:
        """The tag reads a frame carries (one for ``InventoryTag``, none otherwise)."""
        if isinstance(message, InventoryTag):
            return (message.tag_read(self.channels),)
        return ()
