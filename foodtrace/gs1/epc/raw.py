"""EPC raw URIs (TDS §12.4, decoding procedure §15.2.1) for binaries that are not GS1 EPCs.

``urn:epc:raw:96.x3074257BF7194E4000001A85`` - the bit count, then ``x`` and the hex. A tag
whose PC toggle bit is 1 carries an ISO/IEC 15961 AFI, written before the hex:
``urn:epc:raw:96.xC1.x1234…``. Control fields from the PC word (``[att=x01][umi=1]…``) are
written right after ``urn:epc:raw:``.
"""

from __future__ import annotations

from foodtrace.exceptions import EPCBinaryError

__all__ = ["raw_uri"]

_HEX_DIGITS = "0123456789abcdefABCDEF"


def raw_uri(
    epc_hex: str, bits: int | None = None, afi: int | None = None, control: str = ""
) -> str:
    """The raw URI of ``epc_hex`` (its first ``bits`` bits; default: all of it)."""
    if epc_hex.strip(_HEX_DIGITS):
        raise EPCBinaryError(f"EPC hex {epc_hex!r}: hex digits only")
    n = 4 * len(epc_hex) if bits is None else bits
    if n % 4 or n > 4 * len(epc_hex) or n < 0:
        raise EPCBinaryError(
            f"raw URI of {n} bits needs a multiple of 4 bits and at most {4 * len(epc_hex)}"
        )
    body = epc_hex[: n // 4].upper()
    afi_part = "" if afi is None else f"x{afi:02X}."
    return f"urn:epc:raw:{control}{n}.{afi_part}x{body}"
