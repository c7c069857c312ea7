"""Byte captures written as hex text (logs, issue reports, test vectors) → bytes.

Accepted: hex digit pairs, optionally prefixed ``0x``/``0X``, separated (or not) by whitespace,
newlines, ``:`` or ``,`` — ``"A0 04 01 89 01 D1"``, ``"0xA0,0x04"``, ``"a0:04:01"``,
``"A0040189"``. Every token must hold whole bytes (an even number of digits).
"""

from __future__ import annotations

import re
from typing import Final

from foodtrace.exceptions import CaptureFormatError

__all__ = ["parse_hex_capture"]

_SEPARATORS: Final = re.compile(r"[\s:,]+")
_HEX_TOKEN: Final = re.compile(r"(?:0[xX])?((?:[0-9A-Fa-f]{2})+)")


def parse_hex_capture(text: str | bytes) -> bytes:
    """The bytes a hex capture spells; :class:`CaptureFormatError` names the first bad token."""
    if isinstance(text, bytes):
        try:
            text = text.decode("ascii")
        except UnicodeDecodeError as exc:
            raise CaptureFormatError(
                f"hex capture is not ASCII text (byte {exc.start} is {text[exc.start]:#04x})"
            ) from None
    out = bytearray()
    for number, line in enumerate(text.splitlines(), start=1):
        for token in _SEPARATORS.split(line):
            if not token:
                continue
            match = _HEX_TOKEN.fullmatch(token)
            if match is None:
                raise CaptureFormatError(
                    f"line {number}: {token[:20]!r} is not hex bytes"
                    " (pairs of 0-9/A-F, optionally 0x-prefixed)"
                )
            out += bytes.fromhex(match.group(1))
    return bytes(out)
