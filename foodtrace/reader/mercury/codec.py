"""The Mercury codec: bytes ↔ typed frames in both directions, and stream parsers.

Commands and replies differ in size (a reply has a status word), so ``decode(data)`` can tell
the direction from the length byte; the stream parser without a direction tells it from the
CRC. ``FrameError`` means the bytes are not a valid frame (or a modelled opcode has an
unexpected layout); ``UnknownCommandError`` means a valid frame whose opcode (or sub-option)
is not modelled. Stream parsers never raise: those frames come out as ``CommandFrame`` /
``ResponseFrame``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import ClassVar, Final

from foodtrace.exceptions import FrameError, UnknownCommandError
from foodtrace.reader.direction import Direction
from foodtrace.reader.mercury.codes import Opcode, opcode_name
from foodtrace.reader.mercury.commands import (
    ClearTagBuffer,
    GetReadTxPower,
    GetRegion,
    GetTagBuffer,
    GetVersion,
    ReadTagIdMultiple,
    SetAntennaPort,
    SetAntennaSearchList,
    SetBaudRate,
    SetReadTxPower,
    SetRegion,
    SetTagProtocol,
    StartContinuousRead,
    StopContinuousRead,
)
from foodtrace.reader.mercury.frame import (
    COMMAND_OVERHEAD,
    RESPONSE_OVERHEAD,
    Command,
    CommandFrame,
    MercuryFraming,
    Message,
    Response,
    ResponseFrame,
    frame_errors,
    split_command,
    split_response,
)
from foodtrace.reader.mercury.responses import (
    ContinuousReadStarted,
    ContinuousReadStopped,
    KeepAlive,
    ReadTagIdMultipleResult,
    ReadTxPower,
    RegionInfo,
    StatusResponse,
    TagBuffer,
    TagRecord,
    VersionInfo,
)
from foodtrace.reader.records import TagRead
from foodtrace.reader.stream import BytesLike, StreamParser

__all__ = [
    "MercuryCodec",
    "decode",
    "decode_command",
    "decode_response",
    "stream_parser",
]


def _describe(opcode: int) -> str:
    return f"{opcode:#04x} ({opcode_name(opcode) or 'unknown opcode'})"


# --- host -> module -------------------------------------------------------------------------


def _multi_protocol_command(opcode: int, payload: bytes) -> Command:
    option = payload[2] if len(payload) > 2 else None
    if option == 0x02:
        return StopContinuousRead.from_payload(opcode, payload)
    if option == 0x01:
        return StartContinuousRead.from_payload(opcode, payload)
    raise UnknownCommandError(f"multi-protocol tag op {payload[:3].hex()} is not modelled")


def _antenna_command(opcode: int, payload: bytes) -> Command:
    if len(payload) == 2:
        return SetAntennaPort.from_payload(opcode, payload)
    if payload[:1] == b"\x02":
        return SetAntennaSearchList.from_payload(opcode, payload)
    raise UnknownCommandError(f"antenna-port option {payload[:1].hex()} is not modelled")


_COMMAND_DECODERS: Final[dict[int, Callable[[int, bytes], Command]]] = {
    Opcode.VERSION: GetVersion.from_payload,
    Opcode.SET_BAUD_RATE: SetBaudRate.from_payload,
    Opcode.READ_TAG_ID_MULTIPLE: ReadTagIdMultiple.from_payload,
    Opcode.GET_TAG_ID_BUFFER: GetTagBuffer.from_payload,
    Opcode.CLEAR_TAG_ID_BUFFER: ClearTagBuffer.from_payload,
    Opcode.MULTI_PROTOCOL_TAG_OP: _multi_protocol_command,
    Opcode.GET_READ_TX_POWER: GetReadTxPower.from_payload,
    Opcode.GET_REGION: GetRegion.from_payload,
    Opcode.SET_ANTENNA_PORT: _antenna_command,
    Opcode.SET_READ_TX_POWER: SetReadTxPower.from_payload,
    Opcode.SET_TAG_PROTOCOL: SetTagProtocol.from_payload,
    Opcode.SET_REGION: SetRegion.from_payload,
}


def _command_from(opcode: int, payload: bytes) -> Command:
    decoder = _COMMAND_DECODERS.get(opcode)
    if decoder is None:
        raise UnknownCommandError(f"Mercury command {_describe(opcode)} is not modelled")
    return decoder(opcode, payload)


def decode_command(data: BytesLike) -> Command:
    """Decode one complete host → module frame into its typed command."""
    opcode, payload = split_command(data)
    with frame_errors("Mercury command"):
        return _command_from(opcode, payload)


# --- module -> host -------------------------------------------------------------------------


def _read_multiple_reply(opcode: int, status: int, payload: bytes) -> Response:
    if payload[0] & 0x10:
        return TagRecord.from_payload(opcode, status, payload)
    return ReadTagIdMultipleResult.from_payload(opcode, status, payload)


def _multi_protocol_reply(opcode: int, status: int, payload: bytes) -> Response:
    if payload[0] == 0x02:
        return ContinuousReadStopped.from_payload(opcode, status, payload)
    if payload[0] == 0x01:
        return ContinuousReadStarted.from_payload(opcode, status, payload)
    raise UnknownCommandError(f"multi-protocol tag op reply {payload[:1].hex()} is not modelled")


_RESPONSE_DECODERS: Final[dict[int, Callable[[int, int, bytes], Response]]] = {
    Opcode.VERSION: VersionInfo.from_payload,
    Opcode.READ_TAG_ID_MULTIPLE: _read_multiple_reply,
    Opcode.GET_TAG_ID_BUFFER: TagBuffer.from_payload,
    Opcode.MULTI_PROTOCOL_TAG_OP: _multi_protocol_reply,
    Opcode.GET_READ_TX_POWER: ReadTxPower.from_payload,
    Opcode.GET_REGION: RegionInfo.from_payload,
}


def _response_from(opcode: int, status: int, payload: bytes) -> Response:
    if not payload:
        if opcode == Opcode.READ_TAG_ID_MULTIPLE:
            return KeepAlive(status=status)
        return StatusResponse(opcode, status=status)
    decoder = _RESPONSE_DECODERS.get(opcode)
    if decoder is None:
        raise UnknownCommandError(
            f"Mercury reply to {_describe(opcode)} with {len(payload)} data bytes is not modelled"
        )
    return decoder(opcode, status, payload)


def decode_response(data: BytesLike) -> Response:
    """Decode one complete module → host frame into its typed reply or report."""
    opcode, status, payload = split_response(data)
    with frame_errors("Mercury reply"):
        return _response_from(opcode, status, payload)


def _fast_response(raw: bytes) -> Response:
    return _response_from(raw[2], raw[3] << 8 | raw[4], raw[5:-2])


def _fast_command(raw: bytes) -> Command:
    return _command_from(raw[2], raw[3:-2])


def _fast_any(raw: bytes) -> Message:
    if len(raw) - raw[1] == RESPONSE_OVERHEAD:
        return _fast_response(raw)
    return _fast_command(raw)


def decode(data: BytesLike, direction: Direction | None = None) -> Message:
    """Decode one complete frame; without ``direction`` the frame's size tells it."""
    if direction is Direction.HOST_TO_READER:
        return decode_command(data)
    if direction is Direction.READER_TO_HOST:
        return decode_response(data)
    if len(data) >= 2 and len(data) - data[1] == RESPONSE_OVERHEAD:
        return decode_response(data)
    if len(data) >= 2 and len(data) - data[1] == COMMAND_OVERHEAD:
        return decode_command(data)
    raise FrameError(
        f"Mercury frame of {len(data)} bytes fits neither a command (Len + 5) nor a reply (Len + 7)"
    )


def stream_parser(direction: Direction | None = Direction.READER_TO_HOST) -> StreamParser[Message]:
    """A resynchronising stream parser for one direction (``None``: either, told by CRC)."""
    if direction is Direction.HOST_TO_READER:
        return StreamParser(MercuryFraming(_fast_command, direction))
    if direction is Direction.READER_TO_HOST:
        return StreamParser(MercuryFraming(_fast_response, direction))
    return StreamParser(MercuryFraming(_fast_any, None))


@dataclass(frozen=True, slots=True)
class MercuryCodec:
    """Both directions of the ThingMagic Mercury serial protocol."""

    name: ClassVar[str] = "mercury"

    @staticmethod
    def encode_command(command: Command) -> bytes:
        if not isinstance(command, Command):
            raise TypeError(f"not a Mercury command: {command!r}")
        return command.encode()

    @staticmethod
    def encode_response(response: Response) -> bytes:
        if not isinstance(response, Response):
            raise TypeError(f"not a Mercury reply: {response!r}")
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
    def decode_generic(data: BytesLike, direction: Direction | None = None) -> Message:
        """Any valid frame as ``CommandFrame``/``ResponseFrame`` (never UnknownCommandError)."""
        if direction is Direction.HOST_TO_READER:
            return CommandFrame.decode(data)
        if direction is Direction.READER_TO_HOST:
            return ResponseFrame.decode(data)
        if len(data) >= 2 and len(data) - data[1] == RESPONSE_OVERHEAD:
            return ResponseFrame.decode(data)
        return CommandFrame.decode(data)

    @staticmethod
    def command_parser() -> StreamParser[Message]:
        """Parser for host → module bytes (what a module or simulator receives)."""
        return stream_parser(Direction.HOST_TO_READER)

    @staticmethod
    def response_parser() -> StreamParser[Message]:
        """Parser for module → host bytes (what the edge agent receives)."""
        return stream_parser(Direction.READER_TO_HOST)

    @staticmethod
    def parser(direction: Direction | None = Direction.READER_TO_HOST) -> StreamParser[Message]:
        return stream_parser(direction)

    @staticmethod
    def tag_reads(message: object) -> tuple[TagRead, ...]:
        """The tag reads a frame carries (``TagRecord``: one; ``TagBuffer``: its tags)."""
        if isinstance(message, TagRecord):
            return (message.tag.tag_read(),)
        if isinstance(message, TagBuffer):
            return message.tag_reads()
        return ()
