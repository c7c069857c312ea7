"""Mercury replies: frames from the M6e Nano logs, round trips, validation."""

from __future__ import annotations

import pytest
from hypothesis import given, settings

from foodtrace.exceptions import FrameError, UnknownCommandError
from foodtrace.reader.direction import Direction
from foodtrace.reader.mercury import (
    ContinuousReadStarted,
    ContinuousReadStopped,
    KeepAlive,
    ReadTagIdMultipleResult,
    ReadTxPower,
    RegionInfo,
    Response,
    SetRegion,
    StatusResponse,
    TagBuffer,
    TagData,
    TagRecord,
    VersionInfo,
    build_response,
    decode_response,
)
from foodtrace.reader.records import TagRead
from tests.reader.mercury.strategies import responses

LOGGED: list[tuple[Response, str]] = [
    (KeepAlive(status=0x0400), "FF0022040084E0"),
    (StatusResponse(0x97), "FF00970000779E"),
    (StatusResponse(0x06), "FF00060000E406"),
    (RegionInfo(0x0D), "FF016700000DB48C"),
    (ReadTxPower(2700), "FF03620000000A8CA12A"),
    (ReadTxPower(1800, 2700, 0), "FF076200000107080A8C00008AA8"),
    (ReadTagIdMultipleResult(1, 0x0013), "FF07220000000013000000018B58"),
    (ContinuousReadStarted(0), "FF042F0000012200006DC3"),
    (ContinuousReadStopped(), "FF012F00000230E6"),
]


@pytest.mark.parametrize(("response", "hex_"), LOGGED, ids=lambda x: getattr(x, "TYPE", x))
def test_logged_responses(response: Response, hex_: str) -> None:
    raw = bytes.fromhex(hex_)
    assert response.encode() == raw
    assert decode_response(raw) == response
    assert type(response).decode(raw) == response
    assert response.DIRECTION is Direction.READER_TO_HOST


def test_version() -> None:
    raw = bytes.fromhex("FF140300001412080030000002201503100103014700000010EBFF")
    version = decode_response(raw)
    assert isinstance(version, VersionInfo)
    assert version.supported_protocols == (5,)
    extra = version.to_dict()
    assert extra["bootloader"] == "14.12.08.00"
    assert extra["firmware_date"] == "20150310"
    assert extra["firmware_version"] == "01.03.01.47"


def test_tag_buffer_with_two_tags() -> None:
    raw = bytes.fromhex(  # Tag_ID_Packet_Decoding-2_1545.txt, line 293
        "FF4029000001FF00020BDF110E13E80000000800000500000F0080300000000000000000000000"
        "1545E94A01C4110E13E80000000B00000500000F00401000596F596FF3136410"
    )
    buffer = decode_response(raw)
    assert isinstance(buffer, TagBuffer)
    assert [tag.epc.hex() for tag in buffer.tags] == ["000000000000000000001545", "596f596f"]
    assert [read.rssi_dbm for read in buffer.tag_reads()] == [-33, -60]
    assert all(tag.tag_crc_ok for tag in buffer.tags)
    assert buffer.encode() == raw


def test_streamed_tag_record() -> None:
    raw = bytes.fromhex(
        "FF2822000010001B01FF0101CA110E08300000014A00000500000F00803000"
        "E2001026760E01791590712519856E50"
    )
    record = decode_response(raw)
    assert isinstance(record, TagRecord)
    assert record.search_flags == 0x001B
    assert record.tag_read() == TagRead(
        "E2001026760E017915907125", 1, -54, 0x3000, 919_600, 0, 330, 1
    )
    built = TagRecord(
        TagData.gen2(
            "E2001026760E017915907125",
            rssi_dbm=-54,
            frequency_khz=919_600,
            timestamp_ms=330,
            gpio=0x0F,
        )
    )
    assert built.encode() == raw


@settings(deadline=None, max_examples=300)
@given(responses)
def test_every_response_round_trips(response: Response) -> None:
    raw = response.encode()
    assert decode_response(raw) == response
    assert type(response).decode(raw) == response


@pytest.mark.parametrize(
    ("opcode", "hex_data", "error", "message"),
    [
        (0x03, "00", FrameError, "VersionInfo carries 20 data bytes, frame has 1"),
        (0x22, "00 0013 0000", FrameError, "ReadTagIdMultipleResult carries 7 data bytes"),
        (0x22, "10 001B 01FF", FrameError, "needs the metadata option and 6"),
        (0x22, "10 001B 01FF 00", FrameError, "response type 0x00 is not a tag record"),
        (0x22, "10 001B 0000 01 0010 AAAA 00", FrameError, "1 bytes follow the streamed"),
        (0x29, "01FF 00", FrameError, "needs at least 4 data bytes, got 3"),
        (0x29, "0000 00 01 0010 AAAA 00", FrameError, "1 bytes follow the 1 buffered"),
        (0x2F, "03", UnknownCommandError, "reply 03 is not modelled"),
        (0x2F, "01 21 0000", FrameError, "must begin 01 22"),
        (0x2F, "02 00", FrameError, "stop reply must be 02"),
        (0x62, "01 0A8C", FrameError, "option 0x01 does not fit"),
        (0x6A, "01 0E 00", UnknownCommandError, r"0x6a \(get_reader_optional_params\)"),
    ],
)
def test_decoding_names_the_problem(
    opcode: int, hex_data: str, error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=message):
        decode_response(build_response(opcode, 0, bytes.fromhex(hex_data)))


def test_error_replies() -> None:
    locked = decode_response(build_response(0x23, 0x0424))
    assert locked == StatusResponse(0x23, status=0x0424)
    assert isinstance(locked, StatusResponse)
    assert not locked.ok
    assert locked.to_dict()["status_name"] == "gen2_protocol_memory_locked"
    assert KeepAlive(status=0x0504).to_dict()["status_name"] == "temperature_exceed_limits"
    assert StatusResponse.reply(SetRegion(0x0D)) == StatusResponse(0x97)
    assert StatusResponse.reply(SetRegion(0xEE), 0x010B).encode() == build_response(0x97, 0x010B)


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: StatusResponse(0x97, status=0x10000), "status must be"),
        (lambda: VersionInfo(b"", b"", b"", b"", 0), "bootloader must be 4 bytes"),
        (lambda: ReadTagIdMultipleResult(1, option=0x10), "tag records, not counts"),
        (lambda: TagRecord(TagData(b"", 0), option=0), "metadata bit 0x10"),
        (lambda: TagBuffer((TagData(b"", 0),), 0x01FF), "tag has metadata 0x0000"),
        (lambda: ReadTxPower(1, 2), "give both power limits or neither"),
        (lambda: TagBuffer((TagData.gen2(bytes(62)),) * 4).encode(), "exceeds 255"),
    ],
)
def test_constructors_name_the_bad_field(make: object, message: str) -> None:
    assert callable(make)
    with pytest.raises(ValueError, match=message):
        make()
