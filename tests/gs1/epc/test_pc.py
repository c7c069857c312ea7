"""PC word, whole EPC bank (StoredCRC + PC + EPC), CRC-16/GENIBUS and raw URIs."""

from __future__ import annotations

from typing import Any

import pytest

from foodtrace.exceptions import EPCBinaryError
from foodtrace.gs1.epc import (
    crc16_genibus,
    decode_epc_bank,
    decode_pc_epc,
    parse_pc,
    raw_uri,
)
from tests.gs1.epc.data import load_json

CRC_VECTORS = [pytest.param(v, id=v["epc"]) for v in load_json("pc-crc-vectors.json")["vectors"]]


@pytest.mark.parametrize("vector", CRC_VECTORS)
def test_stored_crc_of_real_reads(vector: dict[str, Any]) -> None:
    assert crc16_genibus(bytes.fromhex(vector["pc"] + vector["epc"])) == int(vector["crc"], 16)
    read = decode_epc_bank(vector["crc"] + vector["pc"] + vector["epc"])
    assert read.crc_ok is True
    assert read.epc_hex == vector["epc"]


def test_crc_check_value() -> None:
    assert crc16_genibus(b"123456789") == 0xD64E  # CRC-16/GENIBUS catalogue check value


def test_pc_word_fields() -> None:
    pc = parse_pc("3400")
    assert (pc.length_words, pc.epc_bits, pc.umi, pc.xi, pc.toggle) == (6, 96, True, False, False)
    assert pc.attributes == 0
    assert pc.afi is None
    assert not pc.hazmat
    pc = parse_pc(0x3201)
    assert (pc.length_words, pc.umi, pc.xi, pc.toggle, pc.hazmat) == (6, False, True, False, True)
    assert pc.control_fields == "[att=x01]"
    iso = parse_pc("31C1")
    assert iso.toggle and iso.afi == 0xC1 and iso.attributes is None and not iso.hazmat
    assert parse_pc("6800").length_words == 13


def test_pc_epc_with_reader_padding_and_control_fields() -> None:
    read = decode_pc_epc("3400", "30751FEB705C5904E3D50D70" + "0000", stored_crc=0x3A76)
    assert read.crc_ok is True
    assert read.epc is not None
    assert read.epc.uri == "urn:epc:id:sgtin:4717276.094564.21002259824"
    assert read.tag_uri == "urn:epc:tag:[umi=1]sgtin-96:3.4717276.094564.21002259824"
    assert read.raw_uri == "urn:epc:raw:[umi=1]96.x30751FEB705C5904E3D50D70"
    assert decode_pc_epc("3400", "30751FEB705C5904E3D50D70", stored_crc=0x3A77).crc_ok is False
    # the PC length decides: an SGTIN-198 is 13 words
    long = decode_pc_epc("6800", "3674257BF6B7A659B2C2BF10" + "0" * 28 + "FFFF")
    assert long.epc is not None and long.epc.uri == "urn:epc:id:sgtin:0614141.712345.32a%2Fb"


def test_non_gs1_reads_keep_their_raw_uri() -> None:
    tid = decode_pc_epc("3000", "E2001026760E017915907125")
    assert tid.epc is None
    assert tid.reason is not None and "0xE2" in tid.reason
    assert tid.raw_uri == "urn:epc:raw:96.xE2001026760E017915907125"
    assert tid.tag_uri == tid.raw_uri
    iso = decode_pc_epc("31C1", "1234567890ABCDEF01234567")
    assert iso.epc is None and iso.reason is not None and "AFI 0xC1" in iso.reason
    assert iso.raw_uri == "urn:epc:raw:96.xC1.x1234567890ABCDEF01234567"
    empty = decode_pc_epc("0000", "")
    assert empty.epc is None and empty.raw_uri == "urn:epc:raw:0.x"


def test_pc_errors() -> None:
    with pytest.raises(EPCBinaryError, match="announces 6 words \\(96 bits\\), only 4 words"):
        decode_pc_epc("3000", "3074257BF7194E4000001A85"[:16])
    with pytest.raises(EPCBinaryError, match="4 hex digits"):
        parse_pc("300")
    with pytest.raises(EPCBinaryError, match="16-bit"):
        parse_pc(0x10000)
    with pytest.raises(EPCBinaryError, match="whole 16-bit words"):
        decode_pc_epc("3000", "3074257BF7194E4000001A8")
    with pytest.raises(EPCBinaryError, match="shorter than its CRC and PC"):
        decode_epc_bank("1234")


def test_raw_uri() -> None:
    assert raw_uri("3074257BF7194E4000001A85") == "urn:epc:raw:96.x3074257BF7194E4000001A85"
    assert raw_uri("e200", bits=8) == "urn:epc:raw:8.xE2"
    with pytest.raises(EPCBinaryError, match="hex digits only"):
        raw_uri("xyz")
    with pytest.raises(EPCBinaryError, match="multiple of 4"):
        raw_uri("e200", bits=6)
