"""ThingMagic / JADAK Mercury serial protocol (head 0xFF): M6e, M6e Nano, M7e, Micro.

Frame: ``FF Len Opcode [Status(2)] Data… CRC(2)``; the status word is present in replies only.

* :mod:`.frame` — framing, message bases, generic ``CommandFrame`` / ``ResponseFrame``
* :mod:`.commands` — host → module; :mod:`.responses` — module → host
* :mod:`.metadata` — tag-record metadata flags and :class:`TagData`
* :mod:`.codec` — :class:`MercuryCodec`: decode by direction, stream parsers, tag reads
* :mod:`.codes` — opcodes, status codes, regions, tag protocols; :mod:`.crc` — the message CRC

Typical edge-agent use (continuous reading)::

    codec = MercuryCodec()
    port.write(StartContinuousRead().encode())
    parser = codec.response_parser()
    for frame in parser.feed(port.read(4096)):
        for read in codec.tag_reads(frame): ...     # TagRecord → TagRead
    port.write(StopContinuousRead().encode())

A simulator answers ``codec.command_parser()`` output with e.g.
``TagRecord(TagData.gen2("E200…", rssi_dbm=-54)).encode()`` and ``KeepAlive(status=0x0400)``.
"""

from foodtrace.reader.mercury.codec import (
    MercuryCodec,
    decode,
    decode_command,
    decode_response,
    stream_parser,
)
from foodtrace.reader.mercury.codes import (
    Opcode,
    Region,
    Status,
    TagProtocol,
    opcode_name,
    status_name,
)
from foodtrace.reader.mercury.commands import (
    DEFAULT_CONTINUOUS_READ,
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
from foodtrace.reader.mercury.crc import crc16
from foodtrace.reader.mercury.frame import (
    HEADER,
    Command,
    CommandFrame,
    MercuryFraming,
    Message,
    Response,
    ResponseFrame,
    build_command,
    build_response,
    split_command,
    split_response,
)
from foodtrace.reader.mercury.metadata import ALL_METADATA, MetadataFlag, TagData, parse_tag
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

__all__ = [
    "ALL_METADATA",
    "DEFAULT_CONTINUOUS_READ",
    "HEADER",
    "ClearTagBuffer",
    "Command",
    "CommandFrame",
    "ContinuousReadStarted",
    "ContinuousReadStopped",
    "GetReadTxPower",
    "GetRegion",
    "GetTagBuffer",
    "GetVersion",
    "KeepAlive",
    "MercuryCodec",
    "MercuryFraming",
    "Message",
    "MetadataFlag",
    "Opcode",
    "ReadTagIdMultiple",
    "ReadTagIdMultipleResult",
    "ReadTxPower",
    "Region",
    "RegionInfo",
    "Response",
    "ResponseFrame",
    "SetAntennaPort",
    "SetAntennaSearchList",
    "SetBaudRate",
    "SetReadTxPower",
    "SetRegion",
    "SetTagProtocol",
    "StartContinuousRead",
    "Status",
    "StatusResponse",
    "StopContinuousRead",
    "TagBuffer",
    "TagData",
    "TagProtocol",
    "TagRecord",
    "VersionInfo",
    "build_command",
    "build_response",
    "crc16",
    "decode",
    "decode_command",
    "decode_response",
    "opcode_name",
    "parse_tag",
    "split_command",
    "split_response",
    "status_name",
    "stream_parser",
]
