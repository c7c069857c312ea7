"""The R2000 "0xA0" frame checksum: two's complement of the 8-bit sum of Head..last data byte.

``checksum(b"\\xa0\\x04\\x01\\x89\\x01") == 0xD1``. A whole frame (checksum included) sums to
0 modulo 256, which is how :func:`frame_checksum_ok` checks it.
"""

from __future__ import annotations

__all__ = ["checksum", "frame_checksum_ok"]


def checksum(data: bytes | bytearray) -> int:
    """``((~sum(data)) + 1) & 0xFF`` — the byte that makes ``data`` + it sum to 0 mod 256."""
    return -sum(data) & 0xFF


def frame_checksum_ok(frame: bytes | bytearray) -> bool:
    """True when the last byte of ``frame`` is the checksum of the bytes before it."""
    return not sum(frame) & 0xFF
