"""EPC Gen2 facts every reader protocol needs: the PC word's EPC length and the tag CRC-16.

* PC word (16 bits): bits 15–11 = length of PC-covered EPC memory in 16-bit words; bit 10 =
  UMI; bit 9 = XI (an XPC_W1 word follows the PC); bit 8 = toggle (0: GS1 EPC numbering);
  bits 7–0 = attribute bits / AFI.
* The tag's stored CRC-16 over PC+EPC is CRC-16/GENIBUS (poly 0x1021, init 0xFFFF, output
  inverted; check value over ``b"123456789"`` is 0xD64E).
"""

from __future__ import annotations

import binascii

__all__ = ["epc_length_from_pc", "pc_for_epc", "tag_crc16"]

_PC_LENGTH_SHIFT = 11
_MAX_EPC_WORDS = 31


def epc_length_from_pc(pc: int) -> int:
    """Number of EPC bytes the PC word announces (``((pc >> 11) & 0x1F) * 2``)."""
    return ((pc >> _PC_LENGTH_SHIFT) & 0x1F) * 2


def pc_for_epc(epc_length: int, *, low_bits: int = 0) -> int:
    """The PC word for an EPC of ``epc_length`` bytes (even, ≤ 62); ``low_bits`` = bits 10–0.

    ``pc_for_epc(12) == 0x3000`` (a 96-bit EPC, no UMI, GS1 numbering).
    """
    if epc_length % 2 or not 0 <= epc_length <= 2 * _MAX_EPC_WORDS:
        raise ValueError(f"EPC length must be an even number of bytes 0..62, got {epc_length}")
    if not 0 <= low_bits <= 0x7FF:
        raise ValueError(f"PC low bits must be 0..0x7FF, got {low_bits:#x}")
    return (epc_length // 2) << _PC_LENGTH_SHIFT | low_bits


def tag_crc16(data: bytes) -> int:
    """CRC-16/GENIBUS (the Gen2 tag's stored CRC) of ``data`` (normally PC + EPC)."""
    return binascii.crc_hqx(data, 0xFFFF) ^ 0xFFFF
