"""``TagRead``: one tag observation, the same shape whatever reader protocol reported it.

Protocol decoders turn their tag-record frames into ``TagRead`` values (``tag_read()`` on the
frame, or ``Codec.tag_reads(message)``); the edge agent consumes only this type.

Field conventions:

* ``epc`` — the EPC as upper-case hex, without PC, XPC or the tag's CRC-16.
* ``antenna`` — 1-based logical antenna port.
* ``rssi_dbm`` — received signal strength in dBm (negative integer).
* ``pc`` — the Gen2 Protocol-Control word (16 bits), when the reader reports it.
* ``frequency_khz`` — carrier frequency of the read in kHz.
* ``phase`` — RF phase as the reader reports it (ThingMagic: degrees 0–180).
* ``timestamp_ms`` — the reader's own relative clock in milliseconds (ThingMagic: since the read
  command started). Readers have no wall clock; stamp arrival time on the host.
* ``read_count`` — how many times the reader saw the tag before reporting it, when reported.

``None`` means "this reader or this configuration does not report the field".
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["TagRead"]


@dataclass(frozen=True, slots=True)
class TagRead:
    """One tag observation (protocol-independent). See the module docstring for units."""

    epc: str
    antenna: int | None = None
    rssi_dbm: int | None = None
    pc: int | None = None
    frequency_khz: int | None = None
    phase: int | None = None
    timestamp_ms: int | None = None
    read_count: int | None = None

    def to_dict(self) -> dict[str, str | int]:
        """JSON-ready mapping; fields the reader did not report are left out."""
        out: dict[str, str | int] = {"epc": self.epc}
        for name in (
            "antenna",
            "rssi_dbm",
            "pc",
            "frequency_khz",
            "phase",
            "timestamp_ms",
            "read_count",
        ):
            value = getattr(self, name)
            if value is not None:
                out[name] = value
        return out
