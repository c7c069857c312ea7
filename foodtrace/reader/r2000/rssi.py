"""R2000 RSSI byte ↔ dBm (IND903 protocol V2.2 §5 "RSSI parameter reference table").

The table maps raw 98 (0x62) → −31 dBm down to raw 31 (0x1F) → −99 dBm: ``raw − 129`` for raw
≥ 90 and ``raw − 130`` below (the table skips −40 dBm; its 0x41 → −55 dBm entry is a typo for
−65). The same rule is extended to the whole 7-bit range. Note: ``hex-in/pyImpinj`` uses
``raw − 129`` everywhere, i.e. 1 dB higher below raw 90.

On 8-antenna readers the RSSI byte's bit 7 is antenna bit 2 (see ``responses.InventoryTag``), so
the RSSI value itself is 7 bits.
"""

from __future__ import annotations

from typing import Final

__all__ = ["rssi_dbm", "rssi_raw"]

_KNEE: Final = 90  # raw 90 → −39 dBm; raw 89 → −41 dBm


def rssi_dbm(raw: int) -> int:
    """dBm for a 7-bit RSSI value (0–127)."""
    if not 0 <= raw <= 0x7F:
        raise ValueError(f"R2000 RSSI value must be 0..127, got {raw}")
    return raw - 129 if raw >= _KNEE else raw - 130


def rssi_raw(dbm: int) -> int:
    """The RSSI value a reader reports for ``dbm`` (−130..−2); −40 dBm maps to −39's value."""
    raw = dbm + 129 if dbm >= -40 else dbm + 130
    if dbm == -40:
        raw = _KNEE
    if not 0 <= raw <= 0x7F:
        raise ValueError(f"{dbm} dBm is outside the R2000 RSSI range (-130..-2 dBm)")
    return raw
