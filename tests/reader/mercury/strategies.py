"""Hypothesis strategies for Mercury frame values."""

from __future__ import annotations

from hypothesis import strategies as st

from foodtrace.reader.gen2 import tag_crc16
from foodtrace.reader.mercury import (
    ClearTagBuffer,
    CommandFrame,
    ContinuousReadStarted,
    ContinuousReadStopped,
    GetReadTxPower,
    GetRegion,
    GetTagBuffer,
    GetVersion,
    KeepAlive,
    ReadTagIdMultiple,
    ReadTagIdMultipleResult,
    ReadTxPower,
    RegionInfo,
    ResponseFrame,
    SetAntennaPort,
    SetAntennaSearchList,
    SetBaudRate,
    SetReadTxPower,
    SetRegion,
    SetTagProtocol,
    StartContinuousRead,
    StatusResponse,
    StopContinuousRead,
    TagBuffer,
    TagData,
    TagRecord,
    VersionInfo,
)

byte = st.integers(0, 0xFF)
word = st.integers(0, 0xFFFF)
status = st.sampled_from([0, 0x0400, 0x0504, 0x0505, 0x0423]) | word
optional = st.booleans()


@st.composite
def tag_data(draw: st.DrawFn, flags: int | None = None, max_epc: int = 62) -> TagData:
    """A tag record; ``flags`` fixes which metadata fields are present."""
    present = draw(st.integers(0, 0x1FF)) if flags is None else flags

    def field(bit: int, strategy: st.SearchStrategy[object]) -> object:
        return draw(strategy) if present & bit else None

    gen2 = draw(st.booleans()) if present & 0x40 else False
    protocol = 5 if gen2 else field(0x40, st.sampled_from([3, 6, 7]))
    epc = draw(st.binary(max_size=max_epc))
    pc = xpc = None
    if gen2:
        pc = draw(word)
        if pc & 0x0200:
            xpc = draw(st.binary(min_size=2, max_size=2))
            if xpc[0] & 0x80:
                xpc += draw(st.binary(min_size=2, max_size=2))
        crc = tag_crc16(pc.to_bytes(2, "big") + (xpc or b"") + epc)
    else:
        crc = draw(word)
    return TagData(
        epc,
        crc,
        pc,
        xpc or b"",
        field(0x001, byte),  # type: ignore[arg-type]
        field(0x002, st.integers(-128, 127)),  # type: ignore[arg-type]
        field(0x004, byte),  # type: ignore[arg-type]
        field(0x008, st.integers(0, 0xFFFFFF)),  # type: ignore[arg-type]
        field(0x010, st.integers(0, 0xFFFFFFFF)),  # type: ignore[arg-type]
        field(0x020, word),  # type: ignore[arg-type]
        protocol,  # type: ignore[arg-type]
        field(0x080, st.binary(max_size=16)),  # type: ignore[arg-type]
        field(0x100, byte),  # type: ignore[arg-type]
    )


@st.composite
def tag_buffers(draw: st.DrawFn) -> TagBuffer:
    flags = draw(st.integers(0, 0x1FF))
    tags = tuple(draw(st.lists(tag_data(flags, max_epc=16), max_size=4)))
    return TagBuffer(tags, flags, draw(byte), status=draw(status))


reads = st.builds(
    ReadTagIdMultiple,
    word,
    word,
    st.integers(0, 0xFF).filter(lambda o: not o & 0x10),
    st.none(),
    st.binary(max_size=12),
) | st.builds(
    ReadTagIdMultiple,
    word,
    word,
    st.integers(0, 0xFF).map(lambda o: o | 0x10),
    word,
    st.binary(max_size=12),
)

commands = st.one_of(
    st.builds(GetVersion),
    st.builds(ClearTagBuffer),
    st.builds(GetRegion),
    st.builds(SetBaudRate, st.sampled_from([9600, 115200, 921600]) | st.integers(1, 0xFFFFFFFF)),
    reads,
    st.builds(StartContinuousRead, reads, byte, word, word),
    st.builds(StopContinuousRead, word),
    st.builds(GetTagBuffer, word, byte),
    st.builds(GetReadTxPower, st.booleans()),
    st.builds(SetReadTxPower, st.integers(-0x8000, 0x7FFF)),
    st.builds(SetAntennaPort, byte, byte),
    st.builds(
        SetAntennaSearchList, st.lists(st.tuples(byte, byte), min_size=1, max_size=8).map(tuple)
    ),
    st.builds(SetTagProtocol, word),
    st.builds(SetRegion, byte),
)

four = st.binary(min_size=4, max_size=4)
responses = st.one_of(
    st.builds(StatusResponse, byte.filter(lambda o: o != 0x22), status=status),
    st.builds(KeepAlive, status=status),
    st.builds(VersionInfo, four, four, four, four, st.integers(0, 0xFFFFFFFF), status=status),
    st.builds(
        ReadTagIdMultipleResult,
        st.integers(0, 0xFFFFFFFF),
        word,
        byte.filter(lambda o: not o & 0x10),
        status=status,
    ),
    st.builds(TagRecord, tag_data(), word, byte.map(lambda o: o | 0x10), status=status),
    tag_buffers(),
    st.builds(ContinuousReadStarted, word, status=status),
    st.builds(ContinuousReadStopped, status=status),
    st.builds(ReadTxPower, st.integers(-0x8000, 0x7FFF), status=status),
    st.builds(
        ReadTxPower,
        st.integers(-0x8000, 0x7FFF),
        st.integers(-0x8000, 0x7FFF),
        st.integers(-0x8000, 0x7FFF),
        status=status,
    ),
    st.builds(RegionInfo, byte, status=status),
)

generic_responses = st.builds(ResponseFrame, byte, st.binary(max_size=60), status=word)
generic_commands = st.builds(CommandFrame, byte, st.binary(max_size=60))
