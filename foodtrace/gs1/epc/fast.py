"""Specialised decoders and packers for the 96-bit partitioned schemes (the reader-feed hot path).

SGTIN-96, SSCC-96, SGLN-96, GRAI-96, GIAI-96, GSRN-96, GSRNP-96, GDTI-96 and CPI-96 all have
the shape ``header(8) filter(3) partition(3) company-prefix reference [tail]`` with at most one
integer (or reserved zero) field after the reference. For each scheme and partition value the
shifts, masks, limits and ``%``-formats are computed once at import; a decode is then a few
shifts and one format per component. Anything unusual (partition 7, a field out of range,
non-zero padding) is handed to the reference decoder :func:`~.layout.unpack`, which raises the
precise error - so both paths accept and reject exactly the same inputs (the tests check this).
The packers work the same way for encoding: they return None for anything but a plain valid
value, and :func:`~.layout.pack` then encodes it or raises.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from foodtrace.gs1.epc.layout import unpack
from foodtrace.gs1.epc.model import EPC
from foodtrace.gs1.epc.schemes import SCHEMES, SCHEMES_BY_HEADER, Kind, Scheme
from foodtrace.gs1.epc.uri import format_pure, pure_prefix

__all__ = ["FAST_DECODERS", "FAST_PACKERS"]

Decoder = Callable[[int, int], EPC]
Packer = Callable[[int, Sequence[str]], "int | None"]
_BODY = (1 << 82) - 1


def _digits_format(digits: int) -> str:
    return f"%0{digits}d"


def _make(scheme: Scheme) -> Decoder:
    name = scheme.name
    prefix = pure_prefix(scheme.family)
    rows = []
    for layout in scheme.layouts:
        cp, ref = layout[0], layout[1]
        tail = layout[2] if len(layout) > 2 else None
        tail_bits = tail.bits if tail is not None else 0
        ref_fmt = _digits_format(ref.digits) if ref.kind is Kind.PADDED else "%d"
        rows.append(
            (
                ref.bits + tail_bits,
                ref.mask,
                tail_bits,
                cp.limit,
                ref.limit,
                tail.limit if tail is not None and tail.kind is Kind.INTEGER else 1,
                _digits_format(cp.digits),
                ref_fmt if ref.kind is not Kind.PADDED or ref.digits else "",
            )
        )
    table = tuple(rows)
    named_tail = len(scheme.names) == 3
    n0, n1 = scheme.names[0], scheme.names[1]
    n2 = scheme.names[2] if named_tail else ""

    def slow(value: int, nbits: int) -> EPC:
        filter_value, comps = unpack(scheme, value, nbits)  # raises the precise error
        return EPC(
            name,
            filter_value,
            tuple(zip(scheme.names, comps, strict=True)),
            format_pure(scheme, comps),
        )

    def decode(value: int, nbits: int) -> EPC:
        extra = nbits - 96
        if extra:
            if value & ((1 << extra) - 1):
                return slow(value, nbits)
            value >>= extra
        part = (value >> 82) & 7
        if part == 7:
            return slow(value, 96)
        cp_shift, ref_mask, tail_bits, cp_lim, ref_lim, tail_lim, cp_fmt, ref_fmt = table[part]
        body = value & _BODY
        cp = body >> cp_shift
        ref = (body >> tail_bits) & ref_mask
        tail = body & ((1 << tail_bits) - 1)
        if cp >= cp_lim or ref >= ref_lim or tail >= tail_lim:
            return slow(value, 96)
        cp_s = cp_fmt % cp
        ref_s = ref_fmt % ref if ref_fmt else ""
        if named_tail:
            tail_s = str(tail)
            return EPC(
                name,
                (value >> 85) & 7,
                ((n0, cp_s), (n1, ref_s), (n2, tail_s)),
                f"{prefix}{cp_s}.{ref_s}.{tail_s}",
            )
        return EPC(name, (value >> 85) & 7, ((n0, cp_s), (n1, ref_s)), f"{prefix}{cp_s}.{ref_s}")

    return decode


FAST_DECODERS: dict[int, Decoder] = {
    s.header: _make(s)
    for s in SCHEMES
    if s.bits == 96
    and s.partition is not None
    and all(f.kind in (Kind.INTEGER, Kind.PADDED, Kind.ZERO) for f in s.layouts[0])
}


def _plain_integer(text: str) -> bool:
    """ASCII digits without leading zeros (``"0"`` itself allowed)."""
    return text.isdigit() and text.isascii() and (len(text) == 1 or text[0] != "0")


def _make_packer(scheme: Scheme) -> Packer:
    header = scheme.header
    count = len(scheme.names)
    rows = {}
    for part, layout in enumerate(scheme.layouts):
        cp, ref = layout[0], layout[1]
        tail = layout[2] if len(layout) > 2 else None
        tail_bits = tail.bits if tail is not None else 0
        tail_is_int = tail is not None and tail.kind is Kind.INTEGER
        rows[cp.digits] = (
            part,
            ref.bits + tail_bits,
            ref.kind is Kind.PADDED,
            ref.digits,
            ref.limit,
            tail_bits,
            tail_is_int,
            tail.limit if tail is not None and tail_is_int else 1,
        )

    def pack96(filter_value: int, comps: Sequence[str]) -> int | None:
        if len(comps) != count or not 0 <= filter_value <= 7:
            return None
        cp = comps[0]
        row = rows.get(len(cp))
        if row is None or not (cp.isdigit() and cp.isascii()):
            return None
        part, cp_shift, padded, ref_digits, ref_lim, tail_bits, tail_is_int, tail_lim = row
        ref = comps[1]
        if padded:
            if len(ref) != ref_digits or (ref and not (ref.isdigit() and ref.isascii())):
                return None
            ref_value = int(ref) if ref else 0
        else:
            if not _plain_integer(ref):
                return None
            ref_value = int(ref)
            if ref_value >= ref_lim:
                return None
        tail_value = 0
        if tail_is_int:
            tail = comps[2]
            if not _plain_integer(tail):
                return None
            tail_value = int(tail)
            if tail_value >= tail_lim:
                return None
        return (
            (header << 88)
            | (filter_value << 85)
            | (part << 82)
            | (int(cp) << cp_shift)
            | (ref_value << tail_bits)
            | tail_value
        )

    return pack96


FAST_PACKERS: dict[str, Packer] = {
    SCHEMES_BY_HEADER[header].name: _make_packer(SCHEMES_BY_HEADER[header])
    for header in FAST_DECODERS
}
