"""Decode EPC binaries and URIs into :class:`EPC` values, and encode them back to hex.

Hex input is what a reader reports for the EPC bank from word 2 on (after the StoredCRC and PC
words): any number of hex digits that covers the scheme's bits. Bits beyond the scheme's length
(reader padding to whole 16-bit words, trailing zero words, the 50- or 52-digit forms of
SGTIN-198) must be zero. Encoding always emits whole 16-bit words, as a tag stores them.
"""

from __future__ import annotations

from collections.abc import Iterable

from foodtrace.exceptions import EPCBinaryError, EPCHeaderError, EPCURIError
from foodtrace.gs1.epc.elements import components_from_ai
from foodtrace.gs1.epc.fast import FAST_DECODERS, FAST_PACKERS
from foodtrace.gs1.epc.layout import pack, unpack
from foodtrace.gs1.epc.model import EPC, to_hex
from foodtrace.gs1.epc.schemes import (
    FAMILIES,
    HEADER_NAMES,
    SCHEMES_BY_HEADER,
    Scheme,
    scheme_named,
)
from foodtrace.gs1.epc.uri import TAG_PREFIX, format_pure, parse_pure, parse_tag

__all__ = [
    "decode_bytes",
    "decode_hex",
    "decode_int",
    "encode",
    "from_ai",
    "from_digital_link",
    "parse_uri",
]

_HEX_DIGITS = "0123456789abcdefABCDEF"


def _header_error(header: int) -> EPCHeaderError:
    why = HEADER_NAMES.get(header, "not a GS1 EPC header assigned in TDS Table 14-1")
    return EPCHeaderError(header, f"unknown EPC header 0x{header:02X}: {why}")


def decode_int(value: int, nbits: int) -> EPC:
    """Decode an EPC binary given as an integer of ``nbits`` bits (header in the top byte)."""
    if nbits < 8 or value >> nbits:
        raise EPCBinaryError(f"an EPC binary of {nbits} bits cannot hold the value 0x{value:X}")
    header = value >> (nbits - 8)
    fast = FAST_DECODERS.get(header)
    if fast is not None and nbits >= 96:
        return fast(value, nbits)
    scheme = SCHEMES_BY_HEADER.get(header)
    if scheme is None:
        raise _header_error(header)
    if scheme.bits is not None and nbits < scheme.bits:
        raise EPCBinaryError(
            f"wrong length: {scheme.name.upper()} needs {scheme.bits} bits, got {nbits} "
            f"({nbits // 4} hex digits; expected at least {-(-scheme.bits // 4)})"
        )
    filter_value, comps = unpack(scheme, value, nbits)
    return EPC(
        scheme.name,
        filter_value,
        tuple(zip(scheme.names, comps, strict=True)),
        format_pure(scheme, comps),
    )


def decode_hex(text: str) -> EPC:
    """Decode reader hex (EPC bank from word 2 on), e.g. ``"3074257BF7194E4000001A85"``."""
    if len(text) < 2 or text.strip(_HEX_DIGITS):
        bad = next((ch for ch in text if ch not in _HEX_DIGITS), None)
        if bad is None:
            raise EPCBinaryError(f"EPC hex {text!r} is too short (at least 2 hex digits)")
        raise EPCBinaryError(f"EPC hex {text!r}: invalid character {bad!r} (hex digits only)")
    return decode_int(int(text, 16), 4 * len(text))


def decode_bytes(data: bytes) -> EPC:
    """Decode the EPC bank contents from word 2 on as raw bytes."""
    return decode_int(int.from_bytes(data, "big"), 8 * len(data))


def _pack(scheme: Scheme, filter_value: int | None, comps: tuple[str, ...]) -> tuple[int, int]:
    """:func:`~.layout.pack`, through the specialised 96-bit packer when one takes the value."""
    fast = FAST_PACKERS.get(scheme.name)
    if fast is not None and filter_value is not None:
        value = fast(filter_value, comps)
        if value is not None:
            return value, 96
    return pack(scheme, filter_value, comps)


def _choose(
    family: str, filter_value: int | None, comps: tuple[str, ...]
) -> tuple[Scheme, int, int]:
    """Pack with the family's first scheme that takes the components (96-bit first)."""
    schemes = FAMILIES[family]
    error: EPCURIError | None = None
    for scheme in schemes:
        try:
            value, nbits = _pack(scheme, filter_value, comps)
        except EPCURIError as exc:
            error = exc
            continue
        return scheme, value, nbits
    assert error is not None
    raise error


def _resolve(
    uri: str, scheme: str | None, filter_value: int | None
) -> tuple[Scheme, int | None, tuple[str, ...], int, int]:
    """Parse ``uri`` and pack it: ``(scheme, filter, components, value, bits)``."""
    if uri.startswith(TAG_PREFIX):
        chosen, tag_filter, comps = parse_tag(uri)
        family = chosen.family
        if filter_value is None:
            filter_value = tag_filter
    else:
        family, comps = parse_pure(uri)
        chosen = None
    if scheme is not None:
        named = scheme_named(scheme)
        if named is None:
            raise EPCURIError(f"unknown EPC binary coding scheme {scheme!r}")
        if named.family != family:
            raise EPCURIError(
                f"scheme {named.name} encodes {named.family} EPCs, not {family} ({uri!r})"
            )
        chosen = named
    if chosen is None:
        if filter_value is None and FAMILIES[family][0].filter_bits:
            filter_value = 0
        chosen, value, nbits = _choose(family, filter_value, comps)
    else:
        if filter_value is None and chosen.filter_bits:
            filter_value = 0
        value, nbits = _pack(chosen, filter_value, comps)
    return chosen, filter_value, comps, value, nbits


def parse_uri(uri: str) -> EPC:
    """Parse a pure-identity URN or a tag URI (validated: it must be encodable).

    A tag URI carries scheme and filter. A pure-identity URN carries neither: the EPC gets the
    scheme :func:`encode` would choose (the 96-bit one when the value fits, else the longer
    one) and filter 0.
    """
    chosen, filter_value, comps, _, _ = _resolve(uri, None, None)
    return EPC(
        chosen.name,
        filter_value,
        tuple(zip(chosen.names, comps, strict=True)),
        format_pure(chosen, comps),
    )


def encode(epc_or_uri: EPC | str, scheme: str | None = None, filter: int | None = None) -> str:
    """Encode an EPC (value or URI) to upper-case hex in whole 16-bit words.

    ``scheme`` and ``filter`` override the EPC's or tag URI's own. Without them a pure-identity
    URN is encoded with filter 0 and the family's 96-bit scheme when the value fits it (numeric
    serial without leading zeros, small enough), else with the longer one (SGTIN-198, SGLN-195,
    GRAI-170, GIAI-202, GDTI-174, CPI-var, ITIP-212).
    """
    if isinstance(epc_or_uri, EPC):
        uri = epc_or_uri.uri
        if scheme is None:
            scheme = epc_or_uri.scheme
        if filter is None:
            filter = epc_or_uri.filter
    else:
        uri = epc_or_uri
    _, _, _, value, nbits = _resolve(uri, scheme, filter)
    return to_hex(value, nbits)


def from_ai(
    pairs: Iterable[tuple[str, str]],
    company_prefix_length: int,
    scheme: str | None = None,
    filter: int | None = None,
) -> EPC:
    """The EPC of GS1 element string pairs, e.g. ``[("01", "80614141123458"), ("21", "6789")]``.

    The GS1 Company Prefix length is needed because an element string does not carry it.
    Check digits are verified (:class:`~foodtrace.exceptions.CheckDigitError`).
    """
    family, comps = components_from_ai(pairs, company_prefix_length)
    if scheme is None:
        f = 0 if filter is None and FAMILIES[family][0].filter_bits else filter
        chosen, _, _ = _choose(family, f, comps)
    else:
        named = scheme_named(scheme)
        if named is None or named.family != family:
            raise EPCURIError(f"scheme {scheme!r} does not encode {family} EPCs")
        chosen = named
        f = 0 if filter is None else filter
        pack(chosen, f, comps)
    return EPC(
        chosen.name, f, tuple(zip(chosen.names, comps, strict=True)), format_pure(chosen, comps)
    )


def from_digital_link(
    uri: str,
    company_prefix_length: int,
    scheme: str | None = None,
    filter: int | None = None,
) -> EPC:
    """The EPC of a GS1 Digital Link with a serialised key (``/01/…/21/…``, ``/00/…``, …).

    Parsing and check digits are :mod:`foodtrace.gs1.digital_link`'s (a wrong check digit is a
    :class:`~foodtrace.exceptions.CheckDigitError`); the GS1 Company Prefix length is needed
    because the key does not carry it. A link without a serial (``/01/{gtin}`` alone) names a
    class of objects, not one EPC, and is rejected.
    """
    from foodtrace.gs1.digital_link import digital_link_to_epc

    urn = digital_link_to_epc(uri, company_prefix_length)
    if not urn.startswith("urn:epc:id:"):
        raise EPCURIError(f"{uri!r} names {urn!r}, not a single EPC (a serial is missing)")
    if scheme is None and filter is None:
        return parse_uri(urn)
    return decode_hex(encode(urn, scheme=scheme, filter=filter))
