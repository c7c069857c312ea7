"""R2000-family "UHF RFID Reader Serial Interface Protocol" (head 0xA0): IND903, YR903, YR904…

Frame: ``A0 Len Addr Cmd Data… Check`` (both directions), two's-complement checksum.

* :mod:`.frame` — framing, the :class:`Message` base, the generic :class:`Frame`
* :mod:`.commands` — host → reader commands; :mod:`.responses` — reader → host replies/reports
* :mod:`.codec` — :class:`R2000Codec`: decode by direction, stream parsers, tag reads
* :mod:`.codes` — command and error codes; :mod:`.channels` — regions and channel tables;
  :mod:`.rssi` — RSSI ↔ dBm; :mod:`.checksum`

Typical edge-agent use::

    codec = R2000Codec()
    port.write(RealTimeInventory(repeat=1, address=1).encode())
    parser = codec.response_parser()
    for frame in parser.feed(port.read(4096)):
        for read in codec.tag_reads(frame): ...

A simulator does the reverse: ``codec.command_parser()`` on what it receives, and
``InventoryTag.from_epc(...).encode()`` / ``StatusResponse.reply(cmd).encode()`` to answer.
"""

from foodtrace.reader.r2000.channels import (
    REGION_INDEX_RANGES,
    STANDARD_CHANNELS,
    ChannelTable,
    Region,
    StandardChannels,
    UserDefinedChannels,
)
from foodtrace.reader.r2000.checksum import checksum, frame_checksum_ok
from foodtrace.reader.r2000.codec import (
    R2000Codec,
    decode,
    decode_command,
    decode_response,
    stream_parser,
)
from foodtrace.reader.r2000.codes import BAUD_RATE_CODES, CommandCode, ErrorCode, error_name
from foodtrace.reader.r2000.commands import (
    Command,
    CustomizedSessionInventory,
    FastSwitchAntennaInventory,
    GetFirmwareVersion,
    GetFrequencyRegion,
    GetOutputPower,
    GetReaderTemperature,
    GetWorkAntenna,
    RealTimeInventory,
    Reset,
    SetFrequencyRegion,
    SetOutputPower,
    SetReaderAddress,
    SetUartBaudrate,
    SetUserFrequencyRegion,
    SetWorkAntenna,
)
from foodtrace.reader.r2000.frame import (
    HEAD,
    MAX_FRAME_SIZE,
    PUBLIC_ADDRESS,
    Frame,
    Message,
    R2000Framing,
    build_frame,
    split_frame,
)
from foodtrace.reader.r2000.responses import (
    AntennaMissing,
    FastSwitchRoundEnd,
    FirmwareVersion,
    FrequencyRegion,
    InventoryRoundEnd,
    InventoryTag,
    Layout,
    OutputPower,
    Response,
    StatusResponse,
    UserFrequencyRegion,
    WorkAntenna,
)
from foodtrace.reader.r2000.rssi import rssi_dbm, rssi_raw

__all__ = [
    "BAUD_RATE_CODES",
    "HEAD",
    "MAX_FRAME_SIZE",
    "PUBLIC_ADDRESS",
    "REGION_INDEX_RANGES",
    "STANDARD_CHANNELS",
    "AntennaMissing",
    "ChannelTable",
    "Command",
    "CommandCode",
    "CustomizedSessionInventory",
    "ErrorCode",
    "FastSwitchAntennaInventory",
    "FastSwitchRoundEnd",
    "FirmwareVersion",
    "Frame",
    "FrequencyRegion",
    "GetFirmwareVersion",
    "GetFrequencyRegion",
    "GetOutputPower",
    "GetReaderTemperature",
    "GetWorkAntenna",
    "InventoryRoundEnd",
    "InventoryTag",
    "Layout",
    "Message",
    "OutputPower",
    "R2000Codec",
    "R2000Framing",
    "RealTimeInventory",
    "Region",
    "Reset",
    "Response",
    "SetFrequencyRegion",
    "SetOutputPower",
    "SetReaderAddress",
    "SetUartBaudrate",
    "SetUserFrequencyRegion",
    "SetWorkAntenna",
    "StandardChannels",
    "StatusResponse",
    "UserDefinedChannels",
    "UserFrequencyRegion",
    "WorkAntenna",
    "build_frame",
    "checksum",
    "decode",
    "decode_command",
    "decode_response",
    "error_name",
    "frame_checksum_ok",
    "rssi_dbm",
    "rssi_raw",
    "split_frame",
    "stream_parser",
]
