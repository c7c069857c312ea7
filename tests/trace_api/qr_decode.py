"""Read QR codes back with zxing-cpp (an independent decoder) from segno's 1-bit PNGs."""

from __future__ import annotations

import struct
import zlib

import numpy as np
import zxingcpp


def png_pixels(data: bytes) -> np.ndarray:
    """The pixels (0 dark, 255 light) of a 1-bit or 8-bit greyscale, non-interlaced PNG."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat = 8, b""
    width = height = depth = 0
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind, body = data[pos + 4 : pos + 8], data[pos + 8 : pos + 8 + length]
        if kind == b"IHDR":
            width, height, depth, colour = struct.unpack(">IIBB", body[:10])
            assert colour == 0 and depth in (1, 8), (colour, depth)
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    raw = zlib.decompress(idat)
    stride = (width * depth + 7) // 8
    bpp = max(1, depth // 8)
    rows = []
    previous = bytearray(stride)
    for y in range(height):
        start = y * (stride + 1)
        row_filter, line = raw[start], bytearray(raw[start + 1 : start + 1 + stride])
        for i in range(stride):
            left = line[i - bpp] if i >= bpp else 0
            up = previous[i]
            corner = previous[i - bpp] if i >= bpp else 0
            if row_filter == 1:
                line[i] = (line[i] + left) & 0xFF
            elif row_filter == 2:
                line[i] = (line[i] + up) & 0xFF
            elif row_filter == 3:
                line[i] = (line[i] + (left + up) // 2) & 0xFF
            elif row_filter == 4:
                p = left + up - corner
                pa, pb, pc = abs(p - left), abs(p - up), abs(p - corner)
                pred = left if pa <= pb and pa <= pc else (up if pb <= pc else corner)
                line[i] = (line[i] + pred) & 0xFF
        previous = line
        row = np.frombuffer(bytes(line), dtype=np.uint8)
        if depth == 1:
            row = np.unpackbits(row)[:width] * 255
        rows.append(row.astype(np.uint8))
    return np.stack(rows)


def decode_png(data: bytes) -> list[str]:
    """The texts of every QR code in the PNG."""
    return [code.text for code in zxingcpp.read_barcodes(png_pixels(data))]
