"""Bit-level string encodings of the TDS: 7-bit ASCII, 6-bit characters, CAGE/DoDAAC codes.

Integers are plain ``int`` shifts and masks in :mod:`foodtrace.gs1.epc.layout`; this module
holds the character encodings, each as a pair of pack/unpack functions working on ``int`` values.

* 7-bit (TDS §14.3.2 "String"): each character of GS1 AI set 82 as its 7-bit ASCII code, left
  aligned in the field, the rest zero. Decoding stops at the first all-zero character; every
  bit after it must be zero.
* 6-bit (TDS §14.3.5/§14.4.5 and Table G-1, used by CPI-var and ADI-var): a character's code is
  the low six bits of its ASCII code; the string ends with the 6-bit terminator ``000000``.
* CAGE/DoDAAC: USDoD-96 stores 6 ASCII bytes (a 5-character CAGE code is preceded by a space);
  ADI-var stores 6 six-bit characters (a 5-character CAGE code is preceded by a 6-bit space).
"""

from __future__ import annotations

import string

from foodtrace.exceptions import EPCBinaryError, EPCURIError
from foodtrace.gs1.epc.escape import AI82, SIX_BIT

__all__ = [
    "CAGE_CHARS",
    "pack_cage6",
    "pack_cage8",
    "pack_string6",
    "pack_string7",
    "unpack_cage6",
    "unpack_cage8",
    "unpack_string6",
    "unpack_string7",
]

#: CAGE codes and DoDAACs: digits and upper-case letters except I and O.
CAGE_CHARS = frozenset(string.digits + string.ascii_uppercase) - {"I", "O"}


def _spread_steps(n: int) -> tuple[tuple[int, int], ...]:
    """Masks that move ``n`` packed 7-bit characters into one byte each (or back).

    Character k (counted from the least significant end) must move up by k bits. Moving by the
    binary digits of k from the highest down, every step shifts the lanes whose k has that
    digit, and a lane never lands on its neighbour (the gap it moves into is at least twice
    the step). Five big-int steps replace a per-character loop.
    """
    steps = []
    for step in (16, 8, 4, 2, 1):
        move = 0
        for k in range(n):
            if k & step:
                move |= 0x7F << (7 * k + (k & ~(2 * step - 1)))
        if move:
            steps.append((move, step))
    return tuple(steps)


_STEPS = tuple(_spread_steps(n) for n in range(25))  # up to 24 characters (GIAI-202, P6)


def pack_string7(value: str, bits: int) -> int:
    """Pack a set-82 string into a ``bits``-wide field (caller checked length and characters)."""
    n = len(value)
    packed = int.from_bytes(value.encode("ascii"), "big")
    for move, step in reversed(_STEPS[n]):
        lane = (packed >> step) & move
        packed = (packed ^ (lane << step)) | lane
    return packed << (bits - 7 * n)


def unpack_string7(field: int, bits: int, max_chars: int, what: str) -> str:
    """Decode a 7-bit string field of ``bits`` bits holding at most ``max_chars`` characters."""
    n, spare = divmod(bits, 7)
    if field & ((1 << spare) - 1):
        raise EPCBinaryError(f"{what}: non-zero bits after the end of the string (last {spare})")
    spread = field >> spare
    for move, step in _STEPS[n]:
        lane = spread & move
        spread = (spread ^ lane) | (lane << step)
    raw = spread.to_bytes(n, "big")
    codes = raw.rstrip(b"\x00")
    if b"\x00" in codes:
        raise EPCBinaryError(
            f"{what}: non-zero bits after the end of the string (character "
            f"{codes.index(0) + 1} of {n} is zero, a later one is not)"
        )
    if not codes:
        raise EPCBinaryError(f"{what}: empty string (the first 7-bit character is zero)")
    if len(codes) > max_chars:
        raise EPCBinaryError(f"{what}: {len(codes)} characters, at most {max_chars} allowed")
    text = codes.decode("ascii")
    if not AI82.issuperset(text):
        bad = next(ch for ch in text if ch not in AI82)
        raise EPCBinaryError(
            f"{what}: character 0x{ord(bad):02X} is not in GS1 AI character set 82"
        )
    return text


def pack_string6(value: str) -> tuple[int, int]:
    """Pack a 6-bit-set string plus its ``000000`` terminator; return ``(bits, width)``."""
    acc = 0
    for ch in value:
        acc = (acc << 6) | (ord(ch) & 0x3F)
    return acc << 6, 6 * len(value) + 6


def unpack_string6(value: int, pos: int, max_chars: int, what: str) -> tuple[str, int]:
    """Read 6-bit characters from ``value`` whose unread part is its low ``pos`` bits.

    Returns the string and the new ``pos`` (after the terminator).
    """
    chars: list[str] = []
    while True:
        if pos < 6:
            raise EPCBinaryError(f"{what}: no 6-bit terminator before the end of the binary")
        pos -= 6
        code = (value >> pos) & 0x3F
        if code == 0:
            return "".join(chars), pos
        if len(chars) == max_chars:
            raise EPCBinaryError(f"{what}: more than {max_chars} characters")
        ch = chr(code | 0x40) if code < 0x20 else chr(code)
        if ch not in SIX_BIT:
            raise EPCBinaryError(
                f"{what}: 6-bit code 0x{code:02X} ({ch!r}) is not allowed (A-Z 0-9 # - /)"
            )
        chars.append(ch)


def _check_cage(code: str, what: str) -> None:
    if not 5 <= len(code) <= 6 or not CAGE_CHARS.issuperset(code):
        raise EPCURIError(
            f"{what} {code!r}: must be a 5-character CAGE code or 6-character DoDAAC "
            "(digits and upper-case letters except I and O)"
        )


def pack_cage8(code: str, what: str) -> int:
    """USDoD-96: 6 ASCII bytes, a 5-character CAGE code preceded by a space."""
    _check_cage(code, what)
    return int.from_bytes(code.rjust(6).encode("ascii"), "big")


def unpack_cage8(field: int, what: str) -> str:
    raw = field.to_bytes(6, "big")
    text = raw[1:].decode("latin-1") if raw[0] == 0x20 else raw.decode("latin-1")
    if not CAGE_CHARS.issuperset(text):
        raise EPCBinaryError(f"{what}: bytes {raw.hex().upper()} are not a CAGE code or DoDAAC")
    return text


def pack_cage6(code: str, what: str) -> int:
    """ADI-var: 6 six-bit characters, a 5-character CAGE code preceded by a 6-bit space."""
    _check_cage(code, what)
    acc = 0
    for ch in code.rjust(6):
        acc = (acc << 6) | (ord(ch) & 0x3F)
    return acc


def unpack_cage6(field: int, what: str) -> str:
    chars = []
    for shift in (30, 24, 18, 12, 6, 0):
        code = (field >> shift) & 0x3F
        chars.append(chr(code | 0x40) if code < 0x20 else chr(code))
    text = "".join(chars)
    if text[0] == " ":
        text = text[1:]
    if not CAGE_CHARS.issuperset(text):
        raise EPCBinaryError(f"{what}: 6-bit characters {text!r} are not a CAGE code or DoDAAC")
    return text
