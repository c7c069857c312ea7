"""The Gen2 EPC memory bank around the EPC: StoredCRC, Protocol Control (PC) word, EPC words.

Bank layout (EPC UHF Gen2 air interface; TDS §9): word 0 StoredCRC, word 1 the PC word, then the
EPC. PC bits 15-11 are L, the EPC length in 16-bit words; bit 10 UMI (user memory indicator),
bit 9 XI (an XPC word follows), bit 8 T (toggle: 0 = GS1 EPC, bits 7-0 are TDS attribute bits,
bit 0 of which flags hazardous material; 1 = ISO/IEC 15961 data, bits 7-0 are the AFI).
The StoredCRC is CRC-16/GENIBUS (poly 0x1021, preset 0xFFFF, output inverted) over PC + EPC.

Readers report the PC and EPC words (often with the CRC); :func:`decode_pc_epc` takes the EPC
length from the PC (words after it are reader padding) and reports the PC flags; a read that is
not a decodable GS1 EPC (toggle 1, header 0xE2, …) keeps its raw URI (TDS §15.2.2).
"""

from __future__ import annotations

from dataclasses import dataclass

from foodtrace.exceptions import EPCBinaryError
from foodtrace.gs1.epc.codec import decode_hex
from foodtrace.gs1.epc.model import EPC
from foodtrace.gs1.epc.raw import raw_uri

__all__ = ["EPCBankRead", "ProtocolControl", "crc16_genibus", "decode_epc_bank", "decode_pc_epc",
           "parse_pc"]  # fmt: skip

_HEX_DIGITS = "0123456789abcdefABCDEF"


def _crc_table() -> tuple[int, ...]:
    table = []
    for byte in range(256):
        crc = byte << 8
        for _ in range(8):
            crc = ((crc << 1) ^ 0x1021) if crc & 0x8000 else crc << 1
        table.append(crc & 0xFFFF)
    return tuple(table)


_CRC_TABLE = _crc_table()


def crc16_genibus(data: bytes) -> int:
    """CRC-16/GENIBUS (the Gen2 CRC-16) of ``data``."""
    crc = 0xFFFF
    for byte in data:
        crc = ((crc << 8) & 0xFFFF) ^ _CRC_TABLE[(crc >> 8) ^ byte]
    return crc ^ 0xFFFF


@dataclass(frozen=True, slots=True)
class ProtocolControl:
    """A decoded PC word."""

    word: int
    length_words: int
    umi: bool
    xi: bool
    toggle: bool
    #: Bits 7-0: TDS attribute bits when ``toggle`` is False, the ISO AFI when True.
    low_bits: int

    @property
    def epc_bits(self) -> int:
        return 16 * self.length_words

    @property
    def attributes(self) -> int | None:
        return None if self.toggle else self.low_bits

    @property
    def afi(self) -> int | None:
        return self.low_bits if self.toggle else None

    @property
    def hazmat(self) -> bool:
        """TDS attribute bit 1Fh (PC bit 0, only when toggle is 0): hazardous material."""
        return not self.toggle and bool(self.low_bits & 1)

    @property
    def control_fields(self) -> str:
        """TDS §15.2.4 control fields for tag/raw URIs, e.g. ``[att=x01][umi=1]``."""
        out = f"[att=x{self.low_bits:02X}]" if not self.toggle and self.low_bits else ""
        return out + ("[umi=1]" if self.umi else "")


def parse_pc(pc: int | str) -> ProtocolControl:
    """Decode a PC word given as an int or 4 hex digits (e.g. ``"3000"``)."""
    if isinstance(pc, str):
        if len(pc) != 4 or pc.strip(_HEX_DIGITS):
            raise EPCBinaryError(f"PC word {pc!r} must be 4 hex digits")
        word = int(pc, 16)
    else:
        word = pc
    if not 0 <= word <= 0xFFFF:
        raise EPCBinaryError(f"PC word {word} is not a 16-bit value")
    return ProtocolControl(
        word=word,
        length_words=word >> 11,
        umi=bool(word & 0x400),
        xi=bool(word & 0x200),
        toggle=bool(word & 0x100),
        low_bits=word & 0xFF,
    )


@dataclass(frozen=True, slots=True)
class EPCBankRead:
    """A tag's PC and EPC as read: the decoded EPC, or why there is none, and the raw URI."""

    pc: ProtocolControl
    epc_hex: str
    epc: EPC | None
    reason: str | None
    raw_uri: str
    stored_crc: int | None = None
    crc_ok: bool | None = None

    @property
    def tag_uri(self) -> str:
        """The tag URI with the PC's control fields (TDS §15.2.2), else the raw URI."""
        if self.epc is None:
            return self.raw_uri
        plain = self.epc.tag_uri
        return "urn:epc:tag:" + self.pc.control_fields + plain[len("urn:epc:tag:") :]


def _hex_of(data: str | bytes, what: str) -> str:
    if isinstance(data, bytes):
        return data.hex().upper()
    if data.strip(_HEX_DIGITS) or len(data) % 4:
        raise EPCBinaryError(f"{what} {data!r} must be hex digits in whole 16-bit words")
    return data.upper()


def decode_pc_epc(
    pc: int | str, epc_words: str | bytes, stored_crc: int | None = None
) -> EPCBankRead:
    """Decode the EPC that the PC word announces; later words (reader padding) are ignored.

    ``stored_crc``, when given, is checked against CRC-16/GENIBUS over PC + EPC words.
    """
    control = parse_pc(pc)
    words = _hex_of(epc_words, "EPC words")
    n_hex = 4 * control.length_words
    if len(words) < n_hex:
        raise EPCBinaryError(
            f"wrong length: the PC word 0x{control.word:04X} announces {control.length_words} "
            f"words ({control.epc_bits} bits), only {len(words) // 4} words given"
        )
    epc_hex = words[:n_hex]
    crc_ok = None
    if stored_crc is not None:
        crc_ok = crc16_genibus(bytes.fromhex(f"{control.word:04X}{epc_hex}")) == stored_crc
    raw = raw_uri(epc_hex, afi=control.afi, control=control.control_fields)
    epc: EPC | None = None
    reason: str | None = None
    if control.toggle:
        reason = f"PC toggle bit is 1: ISO/IEC 15961 data with AFI 0x{control.low_bits:02X}"
    elif not control.length_words:
        reason = "the PC word announces an empty EPC (L = 0)"
    else:
        try:
            epc = decode_hex(epc_hex)
        except EPCBinaryError as exc:
            reason = str(exc)
    return EPCBankRead(control, epc_hex, epc, reason, raw, stored_crc, crc_ok)


def decode_epc_bank(bank: str | bytes) -> EPCBankRead:
    """Decode a whole EPC bank read from word 0: StoredCRC, PC, then the EPC words."""
    words = _hex_of(bank, "EPC bank")
    if len(words) < 8:
        raise EPCBinaryError(f"EPC bank {words!r} is shorter than its CRC and PC words")
    return decode_pc_epc(words[4:8], words[8:], stored_crc=int(words[:4], 16))
