"""The EPC binary coding schemes of the GS1 Tag Data Standard, as tables built once at import.

Every scheme is a header byte, an optional filter value, an optional partition value and a list
of fields. A *layout* is the concrete field list for one partition value (company prefix and
reference widths filled in from the partition table), so decoding and encoding never compute
widths at run time.

Supported: all schemes of TDS 1.13 / 2.x Table 14-1 except the deprecated GDTI-113, i.e. SGTIN-96,
SGTIN-198, SSCC-96, SGLN-96, SGLN-195, GRAI-96, GRAI-170, GIAI-96, GIAI-202, GSRN-96, GSRNP-96,
GDTI-96, GDTI-174, SGCN-96, CPI-96, CPI-var, ITIP-110, ITIP-212, GID-96, USDoD-96 and ADI-var.
The TDS 2.0 "+" and "++" schemes (SGTIN+, DSGTIN+, …, headers 0xF0-0xFF) carry GS1 element
strings with AIDC data and are not implemented: decoding names them as not supported.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from foodtrace.gs1.epc import partition as pt
from foodtrace.gs1.epc.escape import escape_6bit, escape_82

__all__ = [
    "FAMILIES",
    "HEADER_NAMES",
    "SCHEMES",
    "SCHEMES_BY_HEADER",
    "Field",
    "Kind",
    "Scheme",
    "scheme_named",
]


class Kind(enum.IntEnum):
    """How a field is encoded in binary and written in a URI."""

    INTEGER = 1  # unsigned integer; URI: decimal without leading zeros
    PADDED = 2  # integer shown with exactly `digits` digits (leading zeros kept; may be 0 digits)
    STRING7 = 3  # 7-bit characters of GS1 AI set 82, fixed-width field padded with zeros
    STRING6 = 4  # 6-bit characters + 000000 terminator (variable width)
    NUMERIC_STRING = 5  # digits with leading zeros, stored as the integer "1" + digits (SGCN)
    ZERO = 6  # reserved bits, must be zero; no URI component
    CAGE8 = 7  # USDoD CAGE code / DoDAAC, 6 ASCII bytes
    CAGE6 = 8  # ADI CAGE code / DoDAAC, 6 six-bit characters


@dataclass(frozen=True, slots=True)
class Field:
    """One field of a layout.

    ``digits``: PADDED - exact digit count; INTEGER - maximum digit count (0 = bounded by
    ``bits`` only); STRING7/STRING6 - maximum characters; NUMERIC_STRING - maximum digits.
    ``min_chars``: STRING6 only (ADI part numbers may be empty).
    """

    name: str
    kind: Kind
    bits: int
    digits: int = 0
    min_chars: int = 1
    #: How errors name the field, e.g. ``"SGTIN-96 item reference"`` (set by the scheme table).
    label: str = field(default="", compare=False)
    #: ``(1 << bits) - 1``
    mask: int = field(init=False, repr=False, compare=False)
    #: Exclusive upper bound of the integer value (INTEGER/PADDED/NUMERIC_STRING).
    limit: int = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        by_bits = 1 << self.bits
        limit = by_bits
        if self.kind is Kind.PADDED or (self.kind is Kind.INTEGER and self.digits):
            by_digits: int = 10**self.digits
            limit = min(by_bits, by_digits)
        object.__setattr__(self, "mask", by_bits - 1)
        object.__setattr__(self, "limit", limit)

    @property
    def uri_escape(self) -> Callable[[str], str] | None:
        if self.kind is Kind.STRING7:
            return escape_82
        if self.kind is Kind.STRING6:
            return escape_6bit
        return None


@dataclass(frozen=True, slots=True)
class Scheme:
    """One binary coding scheme (``sgtin-96``, ``cpi-var``, …).

    ``layouts[p]`` is the field list for partition value ``p`` (a single layout for schemes
    without a partition). ``bits`` is None for the variable-length schemes (CPI-var, ADI-var).
    """

    name: str
    family: str
    header: int
    bits: int | None
    filter_bits: int
    partition: pt.PartitionTable | None
    layouts: tuple[tuple[Field, ...], ...]
    names: tuple[str, ...]

    @property
    def max_filter(self) -> int:
        return (1 << self.filter_bits) - 1

    @property
    def hex_digits(self) -> int | None:
        """Hex digits of the scheme's binary padded to whole 16-bit words (None if variable)."""
        return None if self.bits is None else -(-self.bits // 16) * 4


def _labelled(scheme_name: str, fields: tuple[Field, ...]) -> tuple[Field, ...]:
    upper = scheme_name.upper()
    return tuple(replace(f, label=f"{upper} {f.name.replace('_', ' ')}") for f in fields)


def _partitioned(
    name: str,
    header: int,
    bits: int | None,
    table: pt.PartitionTable,
    reference: tuple[str, Kind],
    *tail: Field,
) -> Scheme:
    ref_name, ref_kind = reference
    layouts = tuple(
        _labelled(
            name,
            (
                Field(
                    "company_prefix",
                    Kind.PADDED,
                    row.company_prefix_bits,
                    row.company_prefix_digits,
                ),
                Field(ref_name, ref_kind, row.reference_bits, row.reference_digits),
                *tail,
            ),
        )
        for row in table
    )
    names = tuple(f.name for f in layouts[0] if f.kind is not Kind.ZERO)
    return Scheme(name, name.split("-")[0], header, bits, 3, table, layouts, names)


def _plain(name: str, header: int, bits: int | None, filter_bits: int, *fields: Field) -> Scheme:
    names = tuple(f.name for f in fields)
    return Scheme(
        name, name.split("-")[0], header, bits, filter_bits, None, (_labelled(name, fields),), names
    )


_I, _P, _S7, _S6 = Kind.INTEGER, Kind.PADDED, Kind.STRING7, Kind.STRING6

SCHEMES: tuple[Scheme, ...] = (
    _partitioned("sgtin-96", 0x30, 96, pt.SGTIN, ("item_reference", _P), Field("serial", _I, 38)),
    _partitioned(
        "sgtin-198", 0x36, 198, pt.SGTIN, ("item_reference", _P), Field("serial", _S7, 140, 20)
    ),
    _partitioned("sscc-96", 0x31, 96, pt.SSCC, ("serial_reference", _P), Field("", Kind.ZERO, 24)),
    _partitioned(
        "sgln-96", 0x32, 96, pt.SGLN, ("location_reference", _P), Field("extension", _I, 41)
    ),
    _partitioned(
        "sgln-195", 0x39, 195, pt.SGLN, ("location_reference", _P), Field("extension", _S7, 140, 20)
    ),
    _partitioned("grai-96", 0x33, 96, pt.GRAI, ("asset_type", _P), Field("serial", _I, 38)),
    _partitioned("grai-170", 0x37, 170, pt.GRAI, ("asset_type", _P), Field("serial", _S7, 112, 16)),
    # GIAI-96: the asset reference is bounded by its bit width only (digits column unused).
    _partitioned("giai-96", 0x34, 96, pt.GIAI_96, ("asset_reference", _I)),
    _partitioned("giai-202", 0x38, 202, pt.GIAI_202, ("asset_reference", _S7)),
    _partitioned("gsrn-96", 0x2D, 96, pt.SSCC, ("service_reference", _P), Field("", Kind.ZERO, 24)),
    _partitioned(
        "gsrnp-96", 0x2E, 96, pt.SSCC, ("service_reference", _P), Field("", Kind.ZERO, 24)
    ),
    _partitioned("gdti-96", 0x2C, 96, pt.SGLN, ("document_type", _P), Field("serial", _I, 41)),
    _partitioned(
        "gdti-174", 0x3E, 174, pt.SGLN, ("document_type", _P), Field("serial", _S7, 119, 17)
    ),
    _partitioned(
        "sgcn-96",
        0x3F,
        96,
        pt.SGLN,
        ("coupon_reference", _P),
        Field("serial", Kind.NUMERIC_STRING, 41, 12),
    ),
    _partitioned("cpi-96", 0x3C, 96, pt.CPI_96, ("part_reference", _I), Field("serial", _I, 31)),
    _partitioned(
        "cpi-var", 0x3D, None, pt.CPI_VAR, ("part_reference", _S6), Field("serial", _I, 40, 12)
    ),
    _partitioned(
        "itip-110",
        0x40,
        110,
        pt.SGTIN,
        ("item_reference", _P),
        Field("piece", _P, 7, 2),
        Field("total", _P, 7, 2),
        Field("serial", _I, 38),
    ),
    _partitioned(
        "itip-212",
        0x41,
        212,
        pt.SGTIN,
        ("item_reference", _P),
        Field("piece", _P, 7, 2),
        Field("total", _P, 7, 2),
        Field("serial", _S7, 140, 20),
    ),
    _plain(
        "gid-96",
        0x35,
        96,
        0,
        Field("manager", _I, 28),
        Field("object_class", _I, 24),
        Field("serial", _I, 36),
    ),
    _plain("usdod-96", 0x2F, 96, 4, Field("cage", Kind.CAGE8, 48), Field("serial", _I, 36)),
    _plain(
        "adi-var",
        0x3B,
        None,
        6,
        Field("cage", Kind.CAGE6, 36),
        Field("part_number", _S6, 0, 32, min_chars=0),
        Field("serial", _S6, 0, 30),
    ),
)

_BY_NAME = {s.name: s for s in SCHEMES}
SCHEMES_BY_HEADER: dict[int, Scheme] = {s.header: s for s in SCHEMES}

#: Schemes of each pure-identity family, in the order ``encode`` tries them by default: the
#: 96-bit scheme first (when the value fits), then the variable/longer one.
FAMILIES: dict[str, tuple[Scheme, ...]] = {}
for _s in SCHEMES:
    FAMILIES.setdefault(_s.family, ())
    FAMILIES[_s.family] += (_s,)

#: Assigned headers this codec does not decode, with the reason (TDS 2.x Table 14-1; the "+"
#: scheme headers as given by the GS1 Tag Data Translation 2.0 files on ref.gs1.org).
HEADER_NAMES: dict[int, str] = {
    0x00: "header 0x00 means an unprogrammed tag",
    0x3A: "GDTI-113, deprecated since TDS 1.9 and not supported",
    0xE2: "reserved for ISO/IEC 15963 tag identifiers: a factory TID-style EPC, not a GS1 EPC",
    0xF1: "GRAI+ (TDS 2.0 '+' scheme), not supported",
    0xF2: "SGLN+ (TDS 2.0 '+' scheme), not supported",
    0xF6: "GDTI+ (TDS 2.0 '+' scheme), not supported",
    0xF7: "SGTIN+ (TDS 2.0 '+' scheme), not supported",
    0xF9: "SSCC+ (TDS 2.0 '+' scheme), not supported",
    0xFB: "DSGTIN+ (TDS 2.0 '+' scheme), not supported",
    0xFD: "SGTIN++ (TDS 2.0 '++' scheme), not supported",
}


def scheme_named(name: str) -> Scheme | None:
    """The scheme called ``name`` (case-insensitive, e.g. ``"SGTIN-96"``), or None."""
    return _BY_NAME.get(name.lower())
