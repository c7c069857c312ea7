"""The protocol-neutral codec interface: both protocols through the same calls."""

from __future__ import annotations

import pytest

from foodtrace.reader import PROTOCOLS, Codec, Direction, get_codec
from foodtrace.reader.mercury import KeepAlive, MercuryCodec, TagData, TagRecord
from foodtrace.reader.r2000 import InventoryTag, R2000Codec, RealTimeInventory

EPC = "E200301666130121155074EF"


def test_get_codec() -> None:
    assert isinstance(get_codec("r2000"), R2000Codec)
    assert isinstance(get_codec("mercury"), MercuryCodec)
    assert [get_codec(name).name for name in PROTOCOLS] == list(PROTOCOLS)
    with pytest.raises(ValueError, match="unknown reader protocol 'llrp'"):
        get_codec("llrp")


@pytest.mark.parametrize(
    ("name", "stream", "tags"),
    [
        (
            "r2000",
            RealTimeInventory(1).encode()
            + InventoryTag.from_epc(EPC, rssi_dbm=-60, frequency_index=7).encode(),
            1,
        ),
        (
            "mercury",
            TagRecord(TagData.gen2(EPC, rssi_dbm=-60, frequency_khz=902_000)).encode()
            + KeepAlive(status=0x0400).encode(),
            1,
        ),
    ],
)
def test_same_calls_for_both(name: str, stream: bytes, tags: int) -> None:
    codec: Codec = get_codec(name)
    frames = codec.parser(None).feed(stream)
    reads = [read for frame in frames for read in codec.tag_reads(frame)]
    assert len(reads) == tags
    assert (reads[0].epc, reads[0].rssi_dbm, reads[0].frequency_khz, reads[0].antenna) == (
        EPC,
        -60,
        902_000,
        1,
    )
    for frame in frames:
        raw = frame.encode()
        assert codec.decode(raw) == frame
        assert frame.to_dict()["type"]
    assert codec.parser(Direction.READER_TO_HOST).feed(stream) == codec.response_parser().feed(
        stream
    )
