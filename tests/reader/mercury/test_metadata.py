"""Mercury tag records: every metadata combination round-trips; real records decode."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from foodtrace.exceptions import FrameError
from foodtrace.reader.mercury import ALL_METADATA, MetadataFlag, TagData, parse_tag
from foodtrace.reader.records import TagRead
from tests.reader.mercury.strategies import tag_data

# The record of frames.json's first streamed tag (after the 6-byte streaming header).
RECORD = bytes.fromhex("01CA110E08300000014A00000500000F00803000E2001026760E0179159071251985")


def test_real_record() -> None:
    tag, end = parse_tag(RECORD, 0, len(RECORD), ALL_METADATA)
    assert end == len(RECORD)
    assert tag == TagData(
        bytes.fromhex("E2001026760E017915907125"),
        0x1985,
        0x3000,
        read_count=1,
        rssi_dbm=-54,
        antenna_id=0x11,
        frequency_khz=919_600,
        timestamp_ms=0x14A,
        phase=0,
        protocol=5,
        data=b"",
        gpio=0x0F,
    )
    assert tag.tag_crc_ok is True
    assert tag.antenna == 1
    assert tag.metadata_flags == ALL_METADATA
    assert tag.encode() == RECORD
    assert tag.tag_read() == TagRead(
        "E2001026760E017915907125",
        antenna=1,
        rssi_dbm=-54,
        pc=0x3000,
        frequency_khz=919_600,
        phase=0,
        timestamp_ms=330,
        read_count=1,
    )


@settings(deadline=None, max_examples=300)
@given(tag_data())
def test_every_field_combination_round_trips(tag: TagData) -> None:
    raw = tag.encode()
    assert parse_tag(raw, 0, len(raw), tag.metadata_flags) == (tag, len(raw))
    padded = b"\xaa" + raw + b"\xbb"
    assert parse_tag(padded, 1, len(padded) - 1, tag.metadata_flags) == (tag, len(raw) + 1)


@settings(deadline=None, max_examples=200)
@given(tag_data(), st.data())
def test_truncated_records_are_frame_errors(tag: TagData, data: st.DataObject) -> None:
    raw = tag.encode()
    cut = data.draw(st.integers(0, len(raw) - 1))
    with pytest.raises(FrameError):
        parse_tag(raw[:cut], 0, cut, tag.metadata_flags)


def test_decode_one_record() -> None:
    tag = TagData.decode(bytearray(RECORD), ALL_METADATA)
    assert type(tag.epc) is bytes  # immutable even from a bytearray
    assert tag.encode() == RECORD
    with pytest.raises(FrameError, match="1 bytes follow the tag record"):
        TagData.decode(RECORD + b"\x00", ALL_METADATA)


def test_without_protocol_the_pc_stays_in_the_epc() -> None:
    flags = MetadataFlag.RSSI | MetadataFlag.ANTENNAID
    tag, _ = parse_tag(RECORD[1:3] + RECORD[-18:], 0, 20, flags)
    assert tag.pc is None
    assert tag.epc == bytes.fromhex("3000E2001026760E017915907125")
    assert tag.tag_crc_ok is None
    assert tag.tag_read().pc is None


def test_xpc_words() -> None:
    with pytest.raises(ValueError, match="disagree"):  # XI bit set: an XPC_W1 must follow
        TagData.gen2("11223344", pc_low_bits=0x0200)
    tag = TagData(b"\x11\x22", 0, 0x1200, b"\x00\x01", protocol=5)
    raw = tag.encode()
    assert parse_tag(raw, 0, len(raw), tag.metadata_flags)[0] == tag
    two = TagData(b"\x11\x22", 0, 0x1200, b"\x80\x01\x00\x02", protocol=5)
    assert parse_tag(two.encode(), 0, len(two.encode()), two.metadata_flags)[0] == two


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: TagData(b"", 0, 0x3000), "pc must be given exactly when protocol is Gen2"),
        (lambda: TagData(b"", 0, protocol=5), "pc must be given exactly when protocol is Gen2"),
        (lambda: TagData(b"", 0, 0x3200, protocol=5), "XPC - disagree"),
        (lambda: TagData(b"", 0, 0x3200, b"\x80\x00", protocol=5), "XPC 8000 disagree"),
        (lambda: TagData(b"", 0, xpc=b"\x00\x00"), "xpc needs a Gen2 PC word"),
        (lambda: TagData(b"", 0x10000), "tag_crc must be"),
        (lambda: TagData(b"", 0, rssi_dbm=-129), "rssi_dbm must be -128..127"),
        (lambda: TagData(b"", 0, frequency_khz=1 << 24), "frequency_khz must be"),
    ],
)
def test_constructor_names_the_bad_field(make: object, message: str) -> None:
    assert callable(make)
    with pytest.raises(ValueError, match=message):
        make()


@pytest.mark.parametrize(
    ("record", "flags", "message"),
    [
        (RECORD, 0x0200, "include fields this library does not read"),
        (RECORD[:10], ALL_METADATA, "embedded data of 0 bytes overruns|tag record truncated"),
        (bytes.fromhex("0009AA000000"), 0x0080, "embedded data of 9 bits is not whole bytes"),
        (bytes.fromhex("0001"), 0, "tag length 1 bits does not fit"),
        (bytes.fromhex("0008AA"), 0, "tag length 8 bits does not fit"),
        (bytes.fromhex("05 0010 AAAA"), 0x0040, "Gen2 tag of 2 bytes has no room for PC and CRC"),
        (bytes.fromhex("05 0020 3200 0000"), 0x0040, "announces XPC words the tag"),
    ],
)
def test_parse_names_the_problem(record: bytes, flags: int, message: str) -> None:
    with pytest.raises(FrameError, match=message):
        parse_tag(record, 0, len(record), flags)
