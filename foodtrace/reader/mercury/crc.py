"""The ThingMagic message CRC ("ThingMagic-mutated CRC … not a CCITT CRC-16", vendor source).

16-bit register initialised to 0xFFFF, polynomial 0x1021, message bits shifted in MSB first
*without* augmentation: ``crc = (0xFFFF·x^(8n) + M(x)) mod (x^16 + x^12 + x^5 + 1)``, computed
over ``Len … last data byte`` and sent MSB first. Check value over ``b"123456789"``: 0xA69D
(CRC-16/CCITT-FALSE would give 0x29B1).

Fast form: for a message ``M = P || t`` whose last two bytes are ``t``,
``crc(M) = crc_hqx(P, J) ^ t`` with ``J = 0xFFFF·x^16 mod G = crc_hqx(b"\\0\\0", 0xFFFF)``, because
``binascii.crc_hqx(P, init)`` computes the augmented ``(init·x^(8|P|) + P·x^16) mod G``.
"""

from __future__ import annotations

import binascii
from typing import Final

__all__ = ["crc16"]

_POLY: Final = 0x1021
_INIT: Final = 0xFFFF
_J: Final = binascii.crc_hqx(b"\x00\x00", _INIT)


def _crc_bitwise(data: bytes | bytearray) -> int:
    crc = _INIT
    for byte in data:
        for bit in range(7, -1, -1):
            carry = crc & 0x8000
            crc = (crc << 1 | (byte >> bit) & 1) & 0xFFFF
            if carry:
                crc ^= _POLY
    return crc


def crc16(data: bytes | bytearray) -> int:
    """The ThingMagic CRC of ``data`` (``Len`` through the last data byte of a message)."""
    if len(data) < 2:
        return _crc_bitwise(data)
    return binascii.crc_hqx(data[:-2], _J) ^ (data[-2] << 8 | data[-1])
