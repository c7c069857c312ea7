"""Generic binary packing and unpacking of EPC fields, driven by :mod:`~.schemes` layouts.

``unpack`` turns the bits of an EPC (as an ``int``) into the filter value and the URI components
(unescaped strings, in URI order); ``pack`` does the reverse. Both check every rule of the TDS
encoding/decoding procedures (§14.3/§14.4) and raise errors naming the scheme, the field, the
offending value and what was expected: :class:`EPCBinaryError` from ``unpack``,
:class:`EPCURIError` from ``pack`` (its input comes from a URI, AI values or a caller).

The SGTIN-96 hot path has a specialised decoder in :mod:`~.fast`; this module is the reference.
"""

from __future__ import annotations

from collections.abc import Sequence

from foodtrace.exceptions import EPCBinaryError, EPCURIError
from foodtrace.gs1.epc.bits import (
    pack_cage6,
    pack_cage8,
    pack_string6,
    pack_string7,
    unpack_cage6,
    unpack_cage8,
    unpack_string6,
    unpack_string7,
)
from foodtrace.gs1.epc.escape import AI82, SIX_BIT
from foodtrace.gs1.epc.schemes import Field, Kind, Scheme

__all__ = ["label", "pack", "unpack"]

_DIGITS = frozenset("0123456789")


def label(scheme: Scheme, field: Field) -> str:
    """``"SGTIN-96 item reference"`` - how errors name a field."""
    return field.label or f"{scheme.name.upper()} {field.name.replace('_', ' ')}"


_INTEGER, _PADDED, _STRING7, _STRING6 = Kind.INTEGER, Kind.PADDED, Kind.STRING7, Kind.STRING6
_NUMERIC_STRING, _ZERO, _CAGE8 = Kind.NUMERIC_STRING, Kind.ZERO, Kind.CAGE8


def _is_digits(text: str) -> bool:
    return bool(text) and _DIGITS.issuperset(text)


# --- decoding ----------------------------------------------------------------------------------


def unpack(scheme: Scheme, value: int, nbits: int) -> tuple[int | None, tuple[str, ...]]:
    """Decode ``value``, an EPC of ``nbits`` bits that starts with ``scheme``'s header.

    Bits after the scheme's last field (reader padding) must be zero. Returns the filter value
    (None for GID-96) and the unescaped URI components.
    """
    pos = nbits - 8
    filter_value: int | None = None
    if scheme.filter_bits:
        pos -= scheme.filter_bits
        filter_value = (value >> pos) & scheme.max_filter
    if scheme.partition is not None:
        pos -= 3
        part = (value >> pos) & 7
        if part == 7:
            raise EPCBinaryError(
                f"{scheme.name.upper()}: bad partition value 7 (valid: 0-6, i.e. a GS1 Company "
                "Prefix of 12 down to 6 digits)"
            )
        layout = scheme.layouts[part]
    else:
        layout = scheme.layouts[0]
    comps: list[str] = []
    for field in layout:
        kind = field.kind
        if kind is _STRING6:
            text, pos = unpack_string6(value, pos, field.digits, field.label)
            _check_6bit_text(scheme, field, text, EPCBinaryError)
            comps.append(text)
            continue
        pos -= field.bits
        if pos < 0:
            raise EPCBinaryError(
                f"{field.label}: the binary ends before this field (wrong length: "
                f"{nbits} bits given)"
            )
        x = (value >> pos) & field.mask
        if kind is _INTEGER:
            if x >= field.limit:
                raise EPCBinaryError(
                    f"{field.label}: value {x} has more than {field.digits} digits"
                )
            comps.append(str(x))
        elif kind is _PADDED:
            if x >= field.limit:
                raise EPCBinaryError(
                    f"{field.label}: value {x} does not fit in {field.digits} digits"
                )
            comps.append(f"{x:0{field.digits}d}" if field.digits else "")
        elif kind is _STRING7:
            comps.append(unpack_string7(x, field.bits, field.digits, field.label))
        elif kind is _NUMERIC_STRING:
            digits = str(x)
            if digits[0] != "1" or len(digits) < 2 or len(digits) > field.digits + 1:
                raise EPCBinaryError(
                    f"{field.label}: value {x} is not a numeric string (must be 1 "
                    f"followed by 1 to {field.digits} digits)"
                )
            comps.append(digits[1:])
        elif kind is _ZERO:
            if x:
                raise EPCBinaryError(
                    f"{scheme.name.upper()}: the {field.bits} reserved bits after the "
                    f"{layout[1].name.replace('_', ' ')} must be zero, got 0x{x:X}"
                )
        elif kind is _CAGE8:
            comps.append(unpack_cage8(x, field.label))
        else:  # Kind.CAGE6
            comps.append(unpack_cage6(x, field.label))
    if pos and value & ((1 << pos) - 1):
        raise EPCBinaryError(
            f"{scheme.name.upper()}: non-zero bits after the end of the EPC (bit "
            f"{nbits - pos} onward of {nbits}); wrong length or corrupted read"
        )
    return filter_value, tuple(comps)


def _check_6bit_text(
    scheme: Scheme, field: Field, text: str, error: type[EPCBinaryError] | type[EPCURIError]
) -> None:
    if len(text) < field.min_chars:
        raise error(f"{label(scheme, field)}: must not be empty")
    if scheme.family == "adi" and "#" in text and (field.name != "serial" or "#" in text[1:]):
        raise error(
            f"{label(scheme, field)} {text!r}: '#' is only allowed as the first character of "
            "an ADI serial number"
        )


# --- encoding ----------------------------------------------------------------------------------


def pack(scheme: Scheme, filter_value: int | None, comps: Sequence[str]) -> tuple[int, int]:
    """Encode URI components (unescaped) into ``(value, bit length)``, checking every rule."""
    if len(comps) != len(scheme.names):
        raise EPCURIError(
            f"{scheme.name}: expected {len(scheme.names)} components "
            f"({', '.join(scheme.names)}), got {len(comps)}"
        )
    value = scheme.header
    nbits = 8
    if scheme.filter_bits:
        f = 0 if filter_value is None else filter_value
        if not 0 <= f <= scheme.max_filter:
            raise EPCURIError(f"{scheme.name}: filter value {f} out of range 0-{scheme.max_filter}")
        value = (value << scheme.filter_bits) | f
        nbits += scheme.filter_bits
    elif filter_value:
        raise EPCURIError(f"{scheme.name} has no filter value (got {filter_value})")
    if scheme.partition is not None:
        cp = comps[0]
        if not _is_digits(cp):
            raise EPCURIError(f"{scheme.name}: company prefix {cp!r} is not numeric")
        if not 6 <= len(cp) <= 12:
            raise EPCURIError(
                f"{scheme.name}: company prefix {cp!r} has {len(cp)} digits; a GS1 Company "
                "Prefix has 6 to 12"
            )
        part = 12 - len(cp)
        value = (value << 3) | part
        nbits += 3
        layout = scheme.layouts[part]
    else:
        part = -1
        layout = scheme.layouts[0]
    i = 0
    for index, field in enumerate(layout):
        if field.kind is Kind.ZERO:
            value <<= field.bits
            nbits += field.bits
            continue
        comp = comps[i]
        i += 1
        # Only the reference after the company prefix depends on the partition.
        ref_part = part if index == 1 else -1
        if field.kind is Kind.STRING6:
            _check_6bit_chars(scheme, field, comp, ref_part)
            x, width = pack_string6(comp)
        else:
            x = _pack_field(scheme, field, comp, ref_part)
            width = field.bits
        value = (value << width) | x
        nbits += width
    return value, nbits


def _pack_field(scheme: Scheme, field: Field, comp: str, part: int) -> int:
    kind = field.kind
    if kind is Kind.PADDED:
        if not _is_digits(comp) and comp:
            raise EPCURIError(f"{label(scheme, field)} {comp!r} is not numeric")
        if len(comp) != field.digits:
            if part >= 0:
                raise EPCURIError(
                    f"{label(scheme, field)} {comp!r} has {len(comp)} digits, but with a "
                    f"{12 - part}-digit company prefix (partition {part}) it must have "
                    f"{field.digits}"
                )
            raise EPCURIError(
                f"{label(scheme, field)} {comp!r} must have exactly {field.digits} digits"
            )
        return int(comp) if comp else 0
    if kind is Kind.INTEGER:
        if not _is_digits(comp):
            raise EPCURIError(
                f"{label(scheme, field)} {comp!r} is not a decimal integer (this field is "
                "numeric-only)"
            )
        if len(comp) > 1 and comp[0] == "0":
            raise EPCURIError(
                f"{label(scheme, field)} {comp!r} has leading zeros, which a numeric-only "
                "field does not allow"
            )
        x = int(comp)
        if x >= field.limit:
            if field.digits and field.limit < (1 << field.bits):
                raise EPCURIError(
                    f"{label(scheme, field)} {comp} is too large: at most {field.digits} digits"
                    + _with_prefix(part)
                )
            raise EPCURIError(
                f"{label(scheme, field)} {comp} is too large for its {field.bits} bits "
                f"(maximum {field.limit - 1})"
            )
        return x
    if kind is Kind.STRING7:
        if not comp:
            raise EPCURIError(f"{label(scheme, field)} must not be empty")
        if len(comp) > field.digits:
            raise EPCURIError(
                f"{label(scheme, field)} {comp!r} has {len(comp)} characters; at most "
                f"{field.digits} fit" + _with_prefix(part)
            )
        if not AI82.issuperset(comp):
            bad = next(ch for ch in comp if ch not in AI82)
            raise EPCURIError(
                f"{label(scheme, field)} {comp!r}: invalid character {bad!r} (not in GS1 AI "
                "character set 82)"
            )
        return pack_string7(comp, field.bits)
    if kind is Kind.NUMERIC_STRING:
        if not _is_digits(comp):
            raise EPCURIError(f"{label(scheme, field)} {comp!r} must be 1 or more digits")
        if len(comp) > field.digits:
            raise EPCURIError(
                f"{label(scheme, field)} {comp!r} has {len(comp)} digits; at most {field.digits}"
            )
        return int("1" + comp)
    if kind is Kind.CAGE8:
        return pack_cage8(comp, label(scheme, field))
    if kind is Kind.CAGE6:
        return pack_cage6(comp, label(scheme, field))
    raise AssertionError(f"unhandled field kind {kind!r}")  # pragma: no cover


def _with_prefix(part: int) -> str:
    return f" with a {12 - part}-digit company prefix" if part >= 0 else ""


def _check_6bit_chars(scheme: Scheme, field: Field, comp: str, part: int) -> None:
    if not SIX_BIT.issuperset(comp):
        bad = next(ch for ch in comp if ch not in SIX_BIT)
        raise EPCURIError(
            f"{label(scheme, field)} {comp!r}: invalid character {bad!r} (allowed: A-Z 0-9 # - /)"
        )
    if len(comp) > field.digits:
        raise EPCURIError(
            f"{label(scheme, field)} {comp!r} has {len(comp)} characters; at most {field.digits}"
            + _with_prefix(part)
        )
    _check_6bit_text(scheme, field, comp, EPCURIError)
