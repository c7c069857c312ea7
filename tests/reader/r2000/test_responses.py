"""R2000 replies and reports: golden frames, layouts of both firmware generations, round trips."""

from __future__ import annotations

import pytest
from hypothesis import given, settings

from foodtrace.exceptions import FrameError
from foodtrace.reader.direction import Direction
from foodtrace.reader.r2000 import (
    AntennaMissing,
    ErrorCode,
    FastSwitchRoundEnd,
    FirmwareVersion,
    FrequencyRegion,
    InventoryRoundEnd,
    InventoryTag,
    Layout,
    OutputPower,
    RealTimeInventory,
    Region,
    Response,
    StatusResponse,
    UserDefinedChannels,
    UserFrequencyRegion,
    WorkAntenna,
    build_frame,
    decode_response,
)
from foodtrace.reader.records import TagRead
from tests.reader.r2000.strategies import responses

EPC = bytes.fromhex("E200301666130121155074EF")


def test_device_tag_record() -> None:
    raw = bytes.fromhex("A0130189043000E200301666130121155074EF45BF")
    tag = decode_response(raw)
    assert tag == InventoryTag(EPC, 0x3000, 1, 1, 0x45, address=1)
    assert isinstance(tag, InventoryTag)
    assert tag.rssi_dbm == -61
    assert tag.frequency_khz() == 865_500
    assert tag.DIRECTION is Direction.READER_TO_HOST
    assert tag.tag_read() == TagRead(
        "E200301666130121155074EF", antenna=1, rssi_dbm=-61, pc=0x3000, frequency_khz=865_500
    )
    assert tag.encode() == raw


def test_bytearray_input_gives_immutable_values() -> None:
    raw = bytearray.fromhex("A0130189043000E200301666130121155074EF45BF")
    for tag in (decode_response(raw), InventoryTag.decode(raw)):
        assert isinstance(tag, InventoryTag)
        assert type(tag.epc) is bytes
        assert hash(tag) == hash(InventoryTag(EPC, 0x3000, 1, 1, 0x45, address=1))


def test_round_end_layouts() -> None:
    v3 = bytes.fromhex("A00A01890000110000000 5B6".replace(" ", ""))  # edge.md §1.2
    assert decode_response(v3) == InventoryRoundEnd(1, 5, 17, address=1)
    v22 = bytes.fromhex("A00801890100000001CC")  # frames.json, V2.2 layout
    end = decode_response(v22)
    assert end == InventoryRoundEnd(2, 1, None, address=1)
    assert isinstance(end, InventoryRoundEnd)
    assert end.layout is Layout.V2_2
    assert InventoryRoundEnd(1, 5, 17, address=1).encode() == v3
    assert end.encode() == v22


def test_status_replies() -> None:
    ok = decode_response(bytes.fromhex("A004017410D7"))
    assert ok == StatusResponse(0x74, ErrorCode.COMMAND_SUCCESS, address=1)
    assert isinstance(ok, StatusResponse)
    assert ok.ok
    failed = StatusResponse(0x89, ErrorCode.ANTENNA_MISSING_ERROR, address=1)
    assert not failed.ok
    assert decode_response(failed.encode()) == failed
    assert failed.to_dict()["code_name"] == "antenna_missing_error"
    assert StatusResponse.reply(RealTimeInventory(address=3), 0x36) == StatusResponse(
        0x89, 0x36, address=3
    )


def test_firmware_version() -> None:
    reply = decode_response(bytes.fromhex("A00501720109DE"))
    assert reply == FirmwareVersion(1, 9, address=1)
    assert isinstance(reply, FirmwareVersion)
    assert reply.version == "1.9"


def test_one_byte_replies_by_command() -> None:
    assert decode_response(build_frame(1, 0x75, b"\x03")) == WorkAntenna(4, address=1)
    assert decode_response(build_frame(1, 0x75, b"\x11")) == StatusResponse(0x75, 0x11, address=1)
    assert decode_response(build_frame(1, 0x77, b"\x1e")) == OutputPower((30,), address=1)
    assert decode_response(build_frame(1, 0x79, b"\x11")) == StatusResponse(0x79, 0x11, address=1)
    assert decode_response(build_frame(1, 0x72, b"\x11")) == StatusResponse(0x72, 0x11, address=1)
    assert decode_response(build_frame(1, 0x79, bytes.fromhex("01073B"))) == FrequencyRegion(
        Region.FCC, 7, 59, address=1
    )
    user = decode_response(build_frame(1, 0x79, bytes.fromhex("04320A0DF638")))
    assert user == UserFrequencyRegion(UserDefinedChannels(915_000, 500, 10), address=1)


def test_fast_switch_reports() -> None:
    assert decode_response(build_frame(1, 0x8A, b"\x02\x22")) == AntennaMissing(3, address=1)
    v3 = decode_response(build_frame(1, 0x8A, bytes.fromhex("00000A000003E8")))
    assert v3 == FastSwitchRoundEnd(10, 1000, Layout.V3, address=1)
    v22 = decode_response(build_frame(1, 0x8A, bytes.fromhex("0000000A000003E8")))
    assert v22 == FastSwitchRoundEnd(10, 1000, Layout.V2_2, address=1)
    tag = InventoryTag.from_epc("0102030405060708", command=0x8A, antenna=2)
    assert decode_response(tag.encode()) == tag


def test_v22_fast_switch_end_that_reads_as_a_tag() -> None:
    """An 8-byte 0x8A report is a tag when its PC agrees: the V2.2 end frame of a round with
    at least 0x080000 reads is then taken for a tag (documented ambiguity)."""
    end = FastSwitchRoundEnd(0x100000, 7, Layout.V2_2)
    reading = decode_response(end.encode())
    assert isinstance(reading, InventoryTag)
    assert reading.encode() == end.encode()


def test_eight_antennas_use_the_rssi_high_bit() -> None:
    tag = InventoryTag.from_epc(EPC, antenna=7, rssi_dbm=-50, frequency_index=9)
    raw = tag.encode()
    assert raw[4] == 9 << 2 | 2  # FreqAnt: index 9, antenna bits 0-1 = 2
    assert raw[-2] == 0x80 | 80  # RSSI: bit 7 = antenna bit 2, value 80 = -50 dBm
    assert decode_response(raw) == tag
    assert tag.tag_read().antenna == 7


def test_phase_word() -> None:
    tag = InventoryTag.from_epc(EPC, phase=0x1234)
    raw = tag.encode()
    assert raw[-3:-1] == b"\x12\x34"
    assert len(raw) == 23  # edge.md §5: 23 bytes with phase
    assert decode_response(raw) == tag
    assert tag.tag_read().phase == 0x1234


def test_tag_read_uses_the_channel_table() -> None:
    tag = InventoryTag.from_epc(EPC, frequency_index=3)
    user = UserDefinedChannels(915_000, 250 * 2, 8)
    assert tag.tag_read(user).frequency_khz == 916_500
    assert InventoryTag.from_epc(EPC, frequency_index=62).tag_read().frequency_khz is None


@settings(deadline=None, max_examples=300)
@given(responses)
def test_every_response_round_trips(response: Response) -> None:
    raw = response.encode()
    assert decode_response(raw) == response
    assert type(response).decode(raw) == response


@pytest.mark.parametrize(
    ("command", "hex_payload", "message"),
    [
        (0x89, "04 30 00 E2 00 01 02 03", "PC 0x3000 announces 12 EPC bytes"),
        (0x89, "08 30 00 E2 00", "antenna id must be 0x00-0x07, got 0x08"),  # odd: a round end
        (0x89, "04 30", "tag record needs at least 4 data bytes, frame has 2"),
        (0x89, "08 00 00 00 00 01 02", "antenna id must be 0x00-0x07, got 0x08"),
        (0x89, "99", "unknown R2000 status code 0x99"),
        (0x8A, "02 23", "antenna-missing report must be <ant 0-7> 22"),
        (0x72, "01 09 00", "FirmwareVersion carries 2 data bytes, frame has 3"),
        (0x77, "22", "output power above 33 dBm"),
        (0x79, "01 3C 3C", "start_index must be 0..59, got 60"),
    ],
)
def test_decoding_names_the_problem(command: int, hex_payload: str, message: str) -> None:
    with pytest.raises(FrameError, match=message):
        decode_response(build_frame(1, command, bytes.fromhex(hex_payload)))


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: InventoryTag(EPC, 0x3800), "PC 0x3800 announces 14 EPC bytes, EPC has 12"),
        (lambda: InventoryTag(EPC, 0x3000, antenna=9), "antenna must be 1..8"),
        (lambda: InventoryTag(EPC, 0x3000, frequency_index=64), "frequency_index must be 0..63"),
        (lambda: InventoryTag(EPC, 0x3000, rssi_raw=128), "rssi_raw must be 0..127"),
        (lambda: InventoryTag(EPC, 0x3000, command=0x80), "inventory command must be"),
        (lambda: InventoryRoundEnd(1, 1 << 32), "total_read must be"),
        (lambda: FastSwitchRoundEnd(1 << 24, 0), "total_read must be 0..16777215"),
        (lambda: FrequencyRegion(Region.USER, 0, 1), "FCC, ETSI or CHN"),
        (lambda: OutputPower(()), "give 1, 4 or 8"),
    ],
)
def test_constructors_name_the_bad_field(make: object, message: str) -> None:
    assert callable(make)
    with pytest.raises(ValueError, match=message):
        make()
